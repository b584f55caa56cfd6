"""Each rule on real lines taken from the sample pages."""
import re
from pathlib import Path

import pytest

from articles.ingest import parse
from articles.ingest import patterns as P
from articles.ingest.blocks import stop_rule
from articles.ingest.dates import DATE_PATTERNS

SAMPLES = Path(__file__).parent / "samples"


def page(*lines):
    return "\n".join(lines).encode("utf-8")


BODY = "抓基层、打基础，是我们党治国理政、管党治党的固本之策。这是一段足够长的正文，用来测试规则是否正确。"


@pytest.mark.parametrize(
    "line, rule",
    [
        ("(责编:赵珊)", "credit_bracket"),
        ("【编辑:乔宇】", "credit_bracket"),
        ("[责任编辑:肖春芳]", "credit_bracket"),
        ("编辑|禤志杰", "credit_label"),
        ("作者︱春春", "credit_label"),
        ("原标题：他晚于阿姆斯特朗登月 却是首个敢在月球喝酒", "credit_label"),
        ("记者 刘涛", "reporter_line"),
        ("新京报记者 彭冲 山东冠县报道", "reporter_line"),
        ("(作者系浙江省杭州市委党校党史党建教研部副教授付文科)", "author_note"),
        ("(中時 )", "outlet_credit"),
        ("医技药剂党支部、药剂科供稿  摄影/张艳  编辑/苏芳", "credit_inline"),
        ("《党建研究》2024年第1期", "journal_issue"),
        ("#上吊 #自殺 #葫蘆 #北市 #士林區", "hashtags"),
        ("如若转载,请注明出处:https://www.dawenbi.com/181730.html", "repost_notice"),
        ("相关热词搜索:", "furniture"),
        ("推荐阅读", "furniture"),
        ("辽ICP备2021003851号-2 辽公网安备21010202000803", "disclaimer"),
    ],
)
def test_body_stop_rules(line, rule):
    assert next(name for name, rx in P.BODY_STOPS if rx.search(line)) == rule
    assert stop_rule(line) == rule


def test_the_two_call_stop_test_finds_what_the_rules_find():
    """blocks.stop_rule tries the anchored rules in one call and the floating ones in another: on every
    line of the sample pages it names the rule the list of rules finds first, or none."""
    lines = {line.strip() for path in SAMPLES.glob("*.txt") for line in path.read_text("utf-8", "replace").split("\n")}
    for line in filter(None, lines):
        assert stop_rule(line) == next((name for name, rx in P.BODY_STOPS if rx.search(line)), None), line


@pytest.mark.parametrize("line, rule", [
    ("一二三四五六七八记者 彭冲", "reporter_line"),  # 记者 after eight characters
    ("一" * 30 + "编辑/苏芳", "credit_inline"),  # 编辑 after thirty
])
def test_run_in_stop_rules_at_the_end_of_their_reach(line, rule):
    """stop_rule tries reporter_line and credit_inline only where one of their words ends within a
    line's first 32 characters: the farthest such rules reach."""
    assert next(name for name, rx in P.BODY_STOPS if rx.search(line)) == rule
    assert stop_rule(line) == rule
    assert stop_rule("一" + line) != rule  # one character more: beyond the rule itself


@pytest.mark.parametrize("line", ["一、从整体上领会把握习近平总书记关于党的建设的重要思想", "安宁疗护精细化",
                                  "(一)党建质量过硬是巩固党的执政地位的必然要求"])
def test_subheadings_are_not_stops(line):
    assert not any(rx.search(line) for _, rx in P.BODY_STOPS)


@pytest.mark.parametrize(
    "meta, views",
    [("来源:dgti 发布时间:2023-12-25 点击量:", None), ("发布时间:2024-03-01 21:52   阅读量:10614次", 10614),
     ("时间：2019年10月31日 23:00  浏览：  33", 33)],
)
def test_views(meta, views, gazetteer, vocabulary):
    draft = parse(page("推动基层党建全域提升全面提质", meta, BODY), "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.views == views


def test_views_with_mismatched_brackets_after_the_body(gazetteer, vocabulary):
    draft = parse(page("补壹刀：别笑！18人的新八国联军今天成立了", "2020-06-05 20:35  叨叨姐 胡一刀 李小飞刀", BODY,
                       "责编：薛艺磊", "阅读数(15878）"), "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.views == 15878 and draft.editors == ("薛艺磊",)
    assert draft.authors == ("叨叨姐", "胡一刀", "李小飞刀") and draft.source is None


def test_source_beside_date_and_editor_in_brackets(gazetteer, vocabulary):
    draft = parse(page("推动基层党建全域提升全面提质", "2023-08-02 11:19:26    学习时报", BODY, "(责编:赵珊)"),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.source == "学习时报" and draft.editors == ("赵珊",)
    assert draft.published_at.isoformat() == "2023-08-02T11:19:26+08:00" and not draft.date_only


def test_empty_author_glued_to_editor(gazetteer, vocabulary):
    draft = parse(page("宇航员在太空中喝酒会怎么样？后果很严重",
                       "2017-03-10 09:58:03来源：网易科学人作者：责任编辑：肖春芳", BODY, "作者︱春春"),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.source == "网易科学人" and draft.authors == ("春春",) and draft.editors == ("肖春芳",)


def test_proofreader_and_late_source_list_are_ignored(gazetteer, vocabulary):
    draft = parse(page("定了！广州南沙邮轮母港即将开通", "2019-08-13 14:07来源：澎湃新闻·澎湃号·政务", BODY,
                       "编辑|禤志杰", "责编|陈梦莹", "校对|黄慧敏", "来源|广州参考、广州南沙发布、羊城晚报"),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.source == "澎湃新闻·澎湃号·政务" and draft.editors == ("禤志杰", "陈梦莹")


def test_sites_today_date_loses_to_labelled_publish_time(gazetteer, vocabulary):
    draft = parse(page("我们,不忘使命,为辽宁振兴添砖加瓦", "2024-11-22", "首页 -> 调查研究",
                       "深入学习贯彻习近平总书记关于党的建设的重要思想", "发布时间:2024-03-01 21:52   阅读量:10614次", BODY),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.published_at.date().isoformat() == "2024-03-01"
    assert draft.title == "深入学习贯彻习近平总书记关于党的建设的重要思想"


def test_traditional_source_kept_as_written_language_detected(gazetteer, vocabulary):
    draft = parse(page("新征程上砥礪奮進,廣東高品質黨建推動高品質發展", "发布时间:2023-02-10 | 信息来源:南方雜誌",
                       "落實黨的二十大精神,辦好廣東的事情,關鍵在黨。廣東各地各部門旗幟鮮明講政治抓政治。"),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.source == "南方雜誌" and draft.language == "zh-Hant" and draft.date_only
    assert draft.regions == ("广东省",)


def test_reporter_line_after_body_gives_author(gazetteer, vocabulary):
    draft = parse(page("居家养老有医靠 安宁疗护有温度", "来源：太原晚报 2021-11-25 16:26:07", BODY, "记者 刘涛", "最新动态"),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.authors == ("刘涛",) and draft.source == "太原晚报"


def test_tags_map_synonyms_and_skip_filler(gazetteer, vocabulary):
    body = "党的建设是根本。" * 5 + "基层党建工作要加强，乡村振兴要推进，进行工作。" * 4
    draft = parse(page("以高质量党建促进乡村振兴", "来源：学习时报 2023-01-01", body), "p.txt",
                  gazetteer=gazetteer, vocabulary=vocabulary)
    assert "党建" in draft.tags and "党的建设" not in draft.tags
    assert not {"工作", "进行", "加强"} & set(draft.tags)


def test_date_printed_above_the_headline(gazetteer, vocabulary):
    draft = parse(page("首页 > 新闻中心 > 正文", "发布时间：2022-02-13 04:22:18  来源：云南日报",
                       "17种产品、1个园区入选国家绿色制造名单", BODY), "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.title == "17种产品、1个园区入选国家绿色制造名单"
    assert draft.rules_dict["title"] == "line_below_meta"
    assert draft.body.startswith("抓基层")


@pytest.mark.parametrize("extra_tags", [0, 500])
def test_multiword_vocabulary_tag_found_verbatim_whatever_the_vocabulary_size(gazetteer, extra_tags):
    from articles.ingest import Vocabulary

    # 500 other long tags switch the lookup to the by-first-two-characters index; the answer must not change.
    others = {f"无关标签{i:04d}号" for i in range(extra_tags)}
    vocabulary = Vocabulary(tags=frozenset({"全面从严治党", *others}))
    body = "坚定不移推进全面从严治党，以自我革命精神管党治党。" * 3 + "全面从严治党永远在路上。"
    draft = parse(page("全面从严治党向纵深发展", "来源：学习时报 2023-01-01", body), "p.txt",
                  gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.tags[0] == "全面从严治党"


def test_index_tokens_are_the_search_segmentation_of_title_and_body(samples_dir, gazetteer, vocabulary):
    from articles.ingest.segment import segment

    for path in sorted(samples_dir.glob("*.txt"))[:6]:
        draft = parse(path.read_bytes(), path.name, gazetteer=gazetteer, vocabulary=vocabulary, with_index_tokens=True)
        assert draft.index_tokens == (" ".join(segment(draft.title)), " ".join(segment(draft.body)))
        assert parse(path.read_bytes(), path.name, gazetteer=gazetteer, vocabulary=vocabulary).index_tokens is None


# Lines below are modelled on real wire-service, portal and WeChat pages (not in the samples).
WIRE_BODY = "初夏时节，浙江省湖州市安吉县山川乡的竹林郁郁葱葱。当地村民说，过去竹子只能卖竹材，如今竹林还能卖空气。"


@pytest.mark.parametrize("lead, authors", [
    ("新华社杭州5月11日电（记者 张乐 李平）", ["张乐", "李平"]),
    ("中新网北京11月20日电(记者 王明 通讯员 赵小红)", ["王明", "赵小红"]),
    ("本报北京5月11日电（记者张乐）", ["张乐"]),
    ("（中央社記者楊思瑞台南5日電）", ["楊思瑞"]),
    ("（中央社記者王明、楊思瑞台北5日電）", ["王明", "楊思瑞"]),
    ("（中央社記者王明台北5日電）", ["王明"]),
])
def test_wire_dateline_names_the_reporters(gazetteer, vocabulary, lead, authors):
    draft = parse(page("浙江安吉：竹林碳汇助力共同富裕", "2023-05-12 08:21:36", lead + WIRE_BODY, WIRE_BODY),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert list(draft.authors) == authors
    assert draft.rules_dict["authors"] == "dateline_reporters"


def test_wire_agency_is_the_source_when_no_outlet_is_printed(gazetteer, vocabulary):
    draft = parse(page("台南鹽水蜂炮登場 萬人湧入體驗烽火洗禮", "2023/02/05 23:10（2/6 00:15 更新）",
                       "（中央社記者楊思瑞台南5日電）台南鹽水蜂炮今晚登場，吸引上萬民眾湧入，體驗「烽火洗禮」。", WIRE_BODY),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.source == "中央社" and draft.rules_dict["source"] == "dateline_agency"
    labelled = parse(page("浙江安吉：竹林碳汇助力共同富裕", "2023-05-12 08:21:36 来源：新华网",
                          "新华社杭州5月11日电（记者 张乐）" + WIRE_BODY), "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert labelled.source == "新华网"


def test_breadcrumb_with_double_arrows_is_not_part_of_the_title(gazetteer, vocabulary):
    draft = parse(page("人民网", "人民网>>经济·科技", "四川成都：夜间经济点亮城市烟火气", "2023年08月15日09:12 | 来源：人民网－四川频道",
                       WIRE_BODY), "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.title == "四川成都：夜间经济点亮城市烟火气"


def test_wechat_post_location_is_no_source_and_wan_counts_are_numbers(gazetteer, vocabulary):
    draft = parse(page("江苏发布", "原创 江苏发布 江苏发布 2023-04-18 18:30 发表于江苏", "南京地铁又有新线路开通！",
                       "今天上午，南京地铁7号线中间段正式开通初期运营，线路全长约12.6公里，共设车站10座。", WIRE_BODY,
                       "来源：南京发布", "编辑：张静", "审核：刘洋", "阅读 3.2万", "在看"),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.source == "南京发布" and draft.rules_dict["source"] == "labelled_source_after_body"
    assert draft.views == 32000 and list(draft.editors) == ["张静", "刘洋"]


@pytest.mark.parametrize("line, value", [("阅读 10万+", 100000), ("浏览次数：1265", 1265), ("阅读量：1,024次", 1024),
                                         ("阅读 2.5w", 25000), ("评论 35", None)])
def test_view_counts(gazetteer, vocabulary, line, value):
    draft = parse(page("南京地铁又有新线路开通！", "2023-04-18 18:30 来源：南京发布", WIRE_BODY, WIRE_BODY, "编辑：张静", line),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.views == value


def test_taiwanese_slash_bylines_give_outlet_and_reporter(gazetteer, vocabulary):
    body = "桃園機場捷運延伸至中壢火車站路段，工程進度已達95%，交通部鐵道局今天表示，預計明年底通車。"
    udn = parse(page("地方 / 桃園市", "桃園機場捷運延伸線 明年底通車", "2023-05-12 14:30 聯合報／ 記者王小明／桃園即時報導", body, body),
                "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert udn.title == "桃園機場捷運延伸線 明年底通車"
    assert (udn.source, list(udn.authors)) == ("聯合報", ["王小明"])
    ltn = parse(page("高雄愛河畔 熱氣球嘉年華登場", "2023/05/12 05:30", "〔記者陳文嬋／高雄報導〕" + body, body),
                "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert list(ltn.authors) == ["陳文嬋"]


def test_post_location_line_is_metadata_not_the_title(gazetteer, vocabulary):
    draft = parse(page("搜狐首页", "2023-06-20 15:47 来源: 澎湃新闻", "发布于：上海市", "上海浦东：首个“15分钟社区生活圈”示范街道揭牌",
                       WIRE_BODY, "返回搜狐，查看更多"), "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.title == "上海浦东：首个“15分钟社区生活圈”示范街道揭牌" and draft.source == "澎湃新闻"


def test_metadata_printed_after_the_body(gazetteer, vocabulary):
    draft = parse(page("黑龙江省哈尔滨市香坊区人民政府", "网站首页 政务公开 政务服务 政民互动", "香坊区开展冰雪文化旅游推介活动",
                       "1月8日，香坊区在哈尔滨冰雪大世界举办冰雪文化旅游推介活动，推介区内冰雪旅游线路和特色产品。", WIRE_BODY,
                       "发布日期：2024-01-09  来源：香坊区文体广电和旅游局  浏览次数：561", "【打印本页】【关闭窗口】"),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.title == "香坊区开展冰雪文化旅游推介活动"
    assert draft.body.startswith("1月8日") and draft.body.endswith("如今竹林还能卖空气。")
    assert (draft.source, draft.views, draft.regions) == ("香坊区文体广电和旅游局", 561, ("黑龙江省/哈尔滨市",))


def test_weekday_between_date_and_time_and_news_flash_outlet(gazetteer, vocabulary):
    draft = parse(page("港府推出新一輪消費券計劃", "2023年05月12日 星期五 10:30",
                       "【香港文匯報訊】特區政府今日公布新一輪消費券計劃詳情，合資格市民將分兩期獲發共5000元電子消費券。"),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.published_at.isoformat() == "2023-05-12T10:30:00+08:00" and not draft.date_only
    assert draft.source == "香港文匯報"
    own = parse(page("标题在这里写着", "2023年05月12日", "本报讯（记者 孙杰 通讯员 王明）" + WIRE_BODY),
                "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert own.source is None and list(own.authors) == ["孙杰", "王明"]


def test_outlet_and_reporter_on_the_line_below_a_date_with_weekday(gazetteer, vocabulary):
    draft = parse(page("京津冀协同发展迈上新台阶", "2024年2月26日 星期一", "北京日报客户端 | 记者 孙杰",
                       "十年来，京津冀三地协同发展取得显著成效。北京、天津、河北三地交通一体化加快推进。"),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert (draft.source, list(draft.authors)) == ("北京日报客户端", ["孙杰"])
    assert {"北京市", "天津市", "河北省"} == set(draft.regions)


def test_verbs_yield_to_nouns_as_tags(gazetteer, vocabulary):
    # From a government page: 召开 (a verb) is as frequent as the subject's nouns but is no keyword.
    body = ("7月3日，郴州市召开2023年安全生产工作推进会，总结上半年安全生产工作。会议要求深入开展重大事故隐患专项排查整治行动。"
            "会议召开前，各部门报送了隐患排查清单。要聚焦道路交通、建筑施工、危险化学品等重点领域，开展隐患排查。")
    more = ("会议强调，要压实企业主体责任，对排查出的隐患建立台账、限期整改。各县市区召开专题会议，部署隐患排查整治工作，"
            "确保安全生产形势持续稳定。")
    draft = parse(page("郴州市召开安全生产工作推进会", "发布时间：2023-07-03 16:45 信息来源：市应急管理局", body, more),
                  "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert "隐患" in draft.tags and "召开" not in draft.tags


def test_the_lookaheads_before_look_behinds_change_no_match():
    """The date, counter and credit patterns that open with look-behinds start with a lookahead on
    their first character, for speed: without it they find the same spans on every sample line."""
    lines = {line for path in SAMPLES.glob("*.txt") for line in path.read_text("utf-8", "replace").split("\n")}
    patterns = [rx for _, rx in DATE_PATTERNS if rx.pattern.startswith("(?=")]
    patterns += [P.VIEWS, P.LABELED_AUTHOR, P.LABELED_EDITOR]
    assert len(patterns) == 7
    for rx in patterns:
        bare = re.compile(re.sub(r"^\(\?=[^)]*\)", "", rx.pattern), rx.flags)
        for line in lines:
            assert [m.span() for m in rx.finditer(line)] == [m.span() for m in bare.finditer(line)], line


def test_the_year_first_digit_form_changes_no_date():
    """The ymd date pattern checks that no digit precedes the year after the year's first digit, for
    speed: it finds the same spans and groups as with the look-behind before the year, on every
    sample line."""
    lines = {line for path in SAMPLES.glob("*.txt") for line in path.read_text("utf-8", "replace").split("\n")}
    lines |= {"12019-01-02", "2019-1-2", "a2019年1月2日", "02019/1/1", "2020.01.01 下午3:05 PM", "x1999.12.31"}
    ymd = dict(DATE_PATTERNS)["ymd"]
    plain = re.compile(ymd.pattern.replace(r"(?P<y>(?:1(?<!\d\d)9|2(?<!\d\d)0)\d{2})", r"(?<!\d)(?P<y>(?:19|20)\d{2})"))
    assert plain.pattern != ymd.pattern
    for line in lines:
        assert [(m.span(), m.groupdict()) for m in ymd.finditer(line)] == \
            [(m.span(), m.groupdict()) for m in plain.finditer(line)], line
