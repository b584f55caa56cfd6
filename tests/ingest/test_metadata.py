"""Source, authors, editors and views as real pages print them: each rule on a real line from a page."""
import pytest

from articles.ingest import metadata, parse
from articles.ingest.dates import find_dates
from articles.ingest.metadata import clean_source
from articles.ingest.script import to_simplified
from articles.ingest.structure import Layout

BODY = "抓基层、打基础，是我们党治国理政、管党治党的固本之策。这是一段足够长的正文，用来测试规则是否正确。"
TITLE = "广汽回应现代合资内幕 全面合作项目即将展开"


def draft(*lines, gazetteer, vocabulary):
    return parse("\n".join(lines).encode("utf-8"), "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)


@pytest.mark.parametrize(
    "raw, value",
    [
        (" 21世纪经济报道(广州)", "21世纪经济报道"),  # the branch city is no part of the outlet
        (" 中国证券报·中证网(北京)", "中国证券报·中证网"),
        ("人民日报（海外版）", "人民日报（海外版）"),  # an edition is
        ("[ 人民网 ]\ue5c2", "人民网"),  # brackets and an icon-font glyph
        (' size="20"   ', None),  # HTML left in the value
        (")", None),
        ("相关内容", None),
    ],
)
def test_clean_source(raw, value):
    assert clean_source(raw) == value


def test_placeholder_source_yields_to_the_outlet_named_after_the_body(gazetteer, vocabulary):
    d = draft("多数夫妻生活有名无实 日本无性婚姻问题严重(图)",
              "2005-04-05 06:40更新 来源：转载文章 \t 第1页/共1页 << 上一页 | 下一页 >>", BODY,
              "来源：新闻晨报", "编辑：山石", gazetteer=gazetteer, vocabulary=vocabulary)
    assert (d.source, d.rules_dict["source"]) == ("新闻晨报", "labelled_source_after_body")
    assert d.editors == ("山石",)


def test_placeholder_source_is_kept_when_nothing_names_the_outlet(gazetteer, vocabulary):
    d = draft("多数夫妻生活有名无实 日本无性婚姻问题严重(图)", "2005-01-06 08:13更新 来源：转载文章", BODY,
              gazetteer=gazetteer, vocabulary=vocabulary)
    assert (d.source, d.rules_dict["source"]) == ("转载文章", "labelled_source_placeholder")


def test_reprint_credit_closing_the_article_names_the_source(gazetteer, vocabulary):
    d = draft("多数夫妻生活有名无实 日本无性婚姻问题严重(图)", "2005-01-06 08:13更新 来源：转载文章", BODY,
              "转自《北京科技报》", gazetteer=gazetteer, vocabulary=vocabulary)
    assert (d.source, d.rules_dict["source"]) == ("北京科技报", "reprinted_from")


def test_book_excerpt_is_no_outlet(gazetteer, vocabulary):
    d = draft(TITLE, "湘菜粤菜 兵分两路 (图)\t 2005-06-14 03:25:55", BODY,
              "(摘自《我们的七十年代》，旷晨编著，广西人民出版社)", gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.source is None


def test_credit_line_after_the_body_with_several_labels(gazetteer, vocabulary):
    d = draft(TITLE, "http://www.qianlong.com/ \u3000 2005-07-18 13:03:17", BODY,
              "编辑： 金金 \t 来源： 21世纪经济报道 \t 作者：宋怡 杨志华", gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.source == "21世纪经济报道" and d.editors == ("金金",) and d.authors == ("宋怡", "杨志华")


def test_closing_credit_with_source_author_and_staff_code(gazetteer, vocabulary):
    d = draft(TITLE, "2015-05-21 05:03:58\u3000来源: 21世纪经济报道(广州)", BODY,
              "本文来源：投资快报 作者：孙宁 责任编辑：NF041", gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.source == "21世纪经济报道" and d.authors == ("孙宁",) and d.editors == ("NF041",)


def test_outlet_glued_in_front_of_the_date(gazetteer, vocabulary):
    d = draft("DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶", "TNW中文站2016年10月14日07:17", BODY,
              "[责任编辑：alonliu]", gazetteer=gazetteer, vocabulary=vocabulary)
    assert (d.source, d.rules_dict["source"]) == ("TNW中文站", "outlet_before_date")
    assert d.editors == ("alonliu",)
    assert d.published_at.isoformat() == "2016-10-14T07:17:00+08:00"


def test_original_content_label_names_the_outlet(gazetteer, vocabulary):
    d = draft("《热辣滚烫》贾玲瘦了100斤，她说：我的减重非常健康", "原创：39健康网2024-04-23 12:27:25", BODY,
              gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.source == "39健康网"


@pytest.mark.parametrize(
    "lines, authors",
    [
        # A role word is never a name: 评论员, 信报记者, 记者 glued to the name.
        (["2020-02-19 20:29:58  来源： 半月谈", BODY + "（评论员 罗博 萧海川）"], ("罗博", "萧海川")),
        (["新华网河北频道 ( 2012-06-04 09:20:26 )        稿件来源： 河北日报", BODY, "作者： 记者王敬照 \t 编辑： 王华军"],
         ("王敬照",)),
        (["2020-01-02 17:11", "来源：半月谈网", "分享到：", "半月谈记者 史卫燕", BODY], ("史卫燕",)),
        # The source is labelled, so the bracketed name beside the date is the author.
        (["BUSINESS.SOHU.COM\u30002004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]", BODY], ("黄宇",)),
        # An empty author label: the editor's name after it is not the author.
        (["2017-03-10 09:58:03来源：网易科学人作者：责任编辑：肖春芳", BODY], ()),
    ],
)
def test_authors_in_bylines_and_credits(lines, authors, gazetteer, vocabulary):
    assert draft(TITLE, *lines, gazetteer=gazetteer, vocabulary=vocabulary).authors == authors


@pytest.mark.parametrize(
    "line, author, rule",
    [
        ("ggjjzhzz 发表于 2005-9-15 11:46:00", "ggjjzhzz", "poster_before_posted_at"),
        ("〓 网易娱乐 周黎明留言板 发布时间 2005/05/17 22:11:42 by 眉间尺 〓", "眉间尺", "posted_by"),
        ("本贴由大卫于2005年8月12日16:12:21在〖心灵体操（在线心理咨询）〗发表.", "大卫", "posted_by_on"),
        ("由海姑娘张贴 @ 2005-06-14 03:25:55 (370) 共 11 篇评论 发表评论 >>>", "海姑娘", "posted_by_on"),
    ],
)
def test_poster_on_a_forum_or_blog_date_line(line, author, rule, gazetteer, vocabulary):
    d = draft(TITLE, line, BODY, gazetteer=gazetteer, vocabulary=vocabulary)
    assert (d.authors, d.rules_dict["authors"]) == ((author,), rule)
    assert d.source is None


def test_ui_text_before_posted_at_is_no_poster(gazetteer, vocabulary):
    d = draft(TITLE, "点击此处收藏本文 发表于 2005-9-7 11:57:00", BODY, gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.authors == ()


def test_source_label_by_the_poster_marker_is_no_outlet(gazetteer, vocabulary):
    d = draft(TITLE, "从原子弹爆炸原理想开去\t 2005-09-11 18:04:42   楼主", BODY, gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.source is None


@pytest.mark.parametrize(
    "lines, views",
    [
        (["作者：芊草凡凡   时间：2005-08-22 19:13:18", "您是本文第 154 个阅览者", BODY], 154),
        (["ggjjzhzz 发表于 2005-9-15 11:46:00", BODY, "阅读全文(736) | 回复(0) | 引用(1)"], 736),
    ],
)
def test_view_counters_of_posts(lines, views, gazetteer, vocabulary):
    assert draft(TITLE, *lines, gazetteer=gazetteer, vocabulary=vocabulary).views == views


def test_view_counter_between_title_and_header(gazetteer, vocabulary):
    d = draft("当前您在- 中关村在线论坛 - BT下载专区 点击数：39", "主题: 【2005年中国革命历史巨作】【太行山上】 【DVDSCR-RMVB】",
              "楼层： 第 1 楼 时间：2005-08-28 20:56:20", BODY, gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.views == 39


def test_provider_line_above_the_date(gazetteer, vocabulary):
    d = draft("義大利公開賽 茲韋列夫封王", "閱讀整篇文章", "法新社", "2024年5月20日週一 下午2:05", BODY,
              gazetteer=gazetteer, vocabulary=vocabulary)
    assert (d.source, d.rules_dict["source"]) == ("法新社", "line_above_date")
    assert d.published_at.isoformat() == "2024-05-20T14:05:00+08:00"


def test_provider_with_its_section_above_the_date():
    # The layout as the structure step leaves it on the real page (Yahoo Hong Kong, an RTHK item).
    lines = ["日本企業5月信心保持穩定 但日圓疲弱推高成本損害利潤", "閱讀整篇文章", "香港電台-財經", "2024年5月22日週三 上午8:21", BODY]
    layout = Layout(lines=lines, keys=[to_simplified(line) for line in lines])
    layout.title_line, layout.date_line, layout.anchor, layout.body_start, layout.body_stop = 0, 3, 3, 4, 5
    layout.date_hit = find_dates(layout.keys[3])[0]
    assert metadata.source(layout) == ("香港電台-財經", "line_above_date")


def test_account_above_a_follow_button_is_the_author(gazetteer, vocabulary):
    d = draft("【赛马娘】情人节赠礼", "同人连载 2022-02-14 03:01--阅读 · --喜欢 · --评论", "魑皇", "粉丝：23文章：11", "关注",
              BODY, gazetteer=gazetteer, vocabulary=vocabulary)
    assert (d.authors, d.rules_dict["authors"]) == (("魑皇",), "followed_account")


def test_account_of_a_labelled_outlet_is_no_author(gazetteer, vocabulary):
    d = draft("定了！广州南沙邮轮母港即将开通！地铁直达+无敌免税城", "2019-08-13 14:07来源：澎湃新闻·澎湃号·政务",
              "字号", "中国广州发布", "关注", BODY, gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.authors == ()


def test_author_between_headline_and_date_line(gazetteer, vocabulary):
    d = draft("Joel on Software   周思博趣谈软件", "教授编程的危险", "作者： 周思博 (Joel Spolsky)", "2005年1月2日", BODY,
              gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.authors == ("周思博",)


def test_writers_credit_after_the_body(gazetteer, vocabulary):
    d = draft("北京市儿童(13-15岁)心理素质发展现状调查研究报告", "http://www.qianlong.com/ \u3000 2005-03-06 16:17:00", BODY,
              "执笔人：闵乐夫 赵兰波 刘韬 刘晋芳 胡玉顺", "编辑： 吕峥\t 来源： 千龙网", gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.authors == ("闵乐夫", "赵兰波", "刘韬", "刘晋芳", "胡玉顺")
    assert d.source == "千龙网" and d.editors == ("吕峥",)


def test_dated_flash_names_the_outlet(gazetteer, vocabulary):
    d = draft("茉莉：我是怎样卷入八九民运的", '作者： size="20"   来源： size="20"   发布日期： 7/5/2005 9:23:57 PM',
              "【看中国2005年07月03日报道】一九八九年四月，我在湖南张家界开一个全省教学研究会议，会议结束后我们到了北京。",
              gazetteer=gazetteer, vocabulary=vocabulary)
    assert (d.source, d.rules_dict["source"]) == ("看中国", "news_flash")
    assert d.published_at.isoformat() == "2005-07-05T21:23:57+08:00"


def test_post_location_is_no_source(gazetteer, vocabulary):
    d = draft("37岁丁俊晖身价过亿，住英国富人区", "管不饿", "关注", "2024-05-08 23:23", "来自甘肃", BODY,
              gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.source is None and d.authors == ("管不饿",)


@pytest.mark.parametrize(
    "lines, authors, rule",
    [
        # A two-character name padded to three, then the writer's affiliation.
        (["作者:  赵 培：北京物资学院，北京", BODY], ("赵培",), "labelled_author"),
        # The next label glued to the name is no name.
        (["- 作者： 流泉 访问统计：\u30002005年08月30日, 星期二 13:22 加入博采", BODY], ("流泉",), "labelled_author"),
        (["赵延东、风笑天", BODY], ("赵延东", "风笑天"), "names_under_title"),
        (["胡平", BODY], ("胡平",), "names_under_title"),
        (["胡平", "——对文化革命的政治心理学分析", "一、理解文革的一个重要内容", BODY], ("胡平",), "names_under_title"),
        (["谢若含2017-03-01 14:27:02", BODY], ("谢若含",), "name_glued_to_date"),
        (["TNW中文站2016年10月14日07:17", BODY + "（编译/林靖东）"], ("林靖东",), "trailing_parenthesis"),
        (["http://biz.163.com\u30002005-04-25 08:24:06\u3000来源: 第一财经日报", "这是导语。", "本报记者罗科苏盈发自北京", BODY],
         ("罗科苏盈",), "reporter_byline"),
        (["湘菜粤菜 兵分两路 (图)\t 2005-06-14 03:25:55", BODY, "[打印]",
          "由海姑娘张贴 @ 2005-06-14 03:25:55 (370) 共 11 篇评论 发表评论 >>>"], ("海姑娘",), "posted_by_on"),
    ],
)
def test_writers_printed_around_the_headline_and_post(lines, authors, rule, gazetteer, vocabulary):
    d = draft(TITLE, *lines, gazetteer=gazetteer, vocabulary=vocabulary)
    assert (d.authors, d.rules_dict["authors"]) == (authors, rule)


def test_share_buttons_under_the_date_are_no_outlet_and_author(gazetteer, vocabulary):
    d = draft("DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶", "TNW中文站2016年10月14日07:17", "我要分享", "腾讯微博",
              "QQ空间", BODY, gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.authors == () and d.source == "TNW中文站"


def test_magazine_issue_closing_the_article_names_the_source(gazetteer, vocabulary):
    d = draft(TITLE, "胡平", BODY, BODY, "——《北京之春》1998年3月号", gazetteer=gazetteer, vocabulary=vocabulary)
    assert (d.source, d.rules_dict["source"]) == ("北京之春", "journal_issue") and d.authors == ("胡平",)


def test_related_link_with_a_number_is_no_view_counter(gazetteer, vocabulary):
    d = draft(TITLE, "2005-01-06 08:13更新 来源：转载文章", BODY, "延伸阅读：57岁小学肄业 广西骗子演绎25亿美元惊天骗局", BODY,
              gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.views is None


def test_counter_on_a_line_of_links_closing_the_paper(gazetteer, vocabulary):
    d = draft("淘宝网物流配送存在的问题及对策研究", BODY,
              "DOI: 10.12677/MOM.2018.82002, PDF, HTML,  XML,   下载: 1,038  浏览: 6,323", gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.views == 6323


def test_closing_credit_line_of_outlet_and_reporter(gazetteer, vocabulary):
    # The credit is a line of its own: the reporter is the author, the outlet is not, and the body keeps its text.
    d = draft(TITLE, "2015-07-08 07:12:18\u3000来源: 网易财经", BODY, "（网易财经 张艳）",
              gazetteer=gazetteer, vocabulary=vocabulary)
    assert (d.authors, d.rules_dict["authors"]) == (("张艳",), "closing_credit_line")
    assert d.source == "网易财经" and d.body.startswith("抓基层")


def test_bracketed_name_under_the_text_is_the_writer(gazetteer, vocabulary):
    d = draft("李简——新外科运动向我们走来", "2005-07-01 10:00", BODY, "（袁源）", "【打印本页】", gazetteer=gazetteer,
              vocabulary=vocabulary)
    assert (d.authors, d.rules_dict["authors"]) == (("袁源",), "bracketed_credit")


def test_bracketed_outlet_under_the_text_is_no_writer(gazetteer, vocabulary):
    d = draft("悲慟！北市士林年邁母子 住處上吊自殺身亡", "2016-03-04 05:30", "中時", BODY, "(中時 )",
              gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.source == "中時" and d.authors == ()


@pytest.mark.parametrize("line", ["编者按", "首页2024-01-01", "2004年7月16日08:19 [ 图片 ] 来源：[ 国际金融报 ]",
                                  "文章 发布于 2024-01-01 10:00"])
def test_section_and_furniture_words_are_no_writers(line, gazetteer, vocabulary):
    assert draft(TITLE, line, BODY, gazetteer=gazetteer, vocabulary=vocabulary).authors == ()


def test_credit_line_after_a_promo_block(gazetteer, vocabulary):
    promo = ["网易财经", "会赚钱的客户端：", "网易携手华泰证券", "推出“打新神器”：", "重点推荐", "证券要闻", "行业动态", "公司新闻",
             "大盘走势", "个股点评", "基金动态", "理财产品", "期货行情", "外汇牌价"]
    d = draft(TITLE, "2015-07-03 07:42:28\u3000来源: 投资快报", BODY, "——", *promo,
              "本文来源：投资快报 作者：孙宁 责任编辑：NF041", gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.authors == ("孙宁",) and d.editors == ("NF041",)


def test_where_the_reporter_filed_from_is_no_name(gazetteer, vocabulary):
    d = draft(TITLE, "2005-01-14 17:02:30 来源: 21世纪经济报道", BODY + "（姚峰 上海报道）", gazetteer=gazetteer,
              vocabulary=vocabulary)
    assert d.authors == ("姚峰",)


def test_counter_in_the_breadcrumb_above_the_header(gazetteer, vocabulary):
    d = draft("当前您在- 中关村在线论坛 - BT下载专区 点击数：39", "主题: 【2005年中国革命历史巨作】【太行山上】 【DVDSCR-RMVB】",
              "楼层： 第 1 楼 时间：2005-08-28 20:56:20", "【2005年中国革命历史巨作】【太行山上】", BODY,
              gazetteer=gazetteer, vocabulary=vocabulary)
    assert d.views == 39


@pytest.mark.parametrize("notice", ["原文鏈接：", "本文鏈接:", "轉載請註明出處：", "原文链接："])
def test_a_repost_notice_gives_the_url_in_either_script(notice, gazetteer, vocabulary):
    from articles.ingest.script import to_traditional

    page = draft(to_traditional(TITLE), "2024-03-05 10:00 來源：新華網", to_traditional(BODY) * 3,
                 f"{notice}https://www.Example.com/News/2024/a_1.html", gazetteer=gazetteer, vocabulary=vocabulary)
    assert page.url == "https://www.Example.com/News/2024/a_1.html"


def test_bylines_between_the_headline_and_the_date_line_all_count(gazetteer, vocabulary):
    from articles.ingest import parse
    p1 = "为拆一幢房，断送了三条人命。前天的这场惨剧发生得实在太突然，让人来不及反应，也让人不能不追问责任究竟在谁。"
    p2 = "采访中，我们发现，一项建筑工程往往要经过层层转包，最后就落到了没有资质的施工队手里，安全也就无从谈起。"
    data = "\n\n".join(["拆房屡出命案 管理形同虚设", "谁来为无序拆房“埋单”？", "本报实习生 刘国栋 周炜",
                       "本报记者 王燕平 方云凤 柏建斌", "2003-7-24 钱江晚报", p1, p2]).encode()
    draft = parse(data, "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.authors == ("刘国栋", "周炜", "王燕平", "方云凤", "柏建斌")
