"""The body and the headline by evidence: each rule on real lines from the corpus' pages.

The pages here are put together from lines of real pages (menus, headers, paragraphs, furniture)
so that each test shows one rule; the corpus floors (test_corpus.py) keep the whole.
"""
import re
from pathlib import Path

from articles.ingest import parse
from articles.ingest.blocks import _SEPARATED, _SPACE_OR_BAR, BAD, GOOD, SHORT, _counts, classify, classify_lines
from articles.ingest.structure import clean_title

SAMPLES = Path(__file__).parent / "samples"

P1 = ("近期大盘宽幅震荡，不少上市公司不甘沉沦，纷纷展开自救，回购、增持、停牌等手段轮番上阵，"
      "试图稳定股价，提振投资者信心。")
P2 = ("回购与增持在性质上有差别。增持是大股东以真金白银去买公司股票，显示对公司未来发展的信心；"
      "而上市公司回购，除了显示公司营运正常外，注销股份使已发行股份数量减少。")
P3 = ("A股历史证明，自2005年以来产业资本曾在几轮行情的底部大举增持，随后指数均出现波段上涨行情。")
MENU = ["网易首页", "新闻", "体育", "娱乐", "财经", "股票", "汽车", "科技", "手机", "数码"]
HEADER = ["网易首页 > 财经频道 > 证券新闻 > 正文", "近500家公司停牌 上市公司浑身解数躲下跌",
          "2015-07-03 07:42:28　来源: 投资快报"]


def page(*lines, blank=True):
    return ("\n\n" if blank else "\n").join(lines).encode("utf-8")


def run(data, gazetteer, vocabulary):
    return parse(data, "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)


def test_line_classes():
    assert classify(P1, P1, True).cls == GOOD
    assert classify("相关阅读", "相关阅读", False).cls == BAD
    assert classify("首页 | 时事 | 生活 | 财经 | 法律 | 文体", "首页 | 时事 | 生活 | 财经 | 法律 | 文体", True).cls == BAD
    assert classify("一、提高政治站位", "一、提高政治站位", True).cls == SHORT
    # A paragraph that names 版权所有 in passing is text, not a copyright line.
    line = "其次，提供音频和视频内容的播客，使本来已经很麻烦的互联网版权问题更加复杂，播客一定要获得版权所有者或制作人的许可。"
    assert classify(line, line, True).cls == GOOD
    # A line of a code listing is neither text nor furniture.
    assert classify("docker run -p 28080:8080 \\", "docker run -p 28080:8080 \\", False).cls == SHORT


def test_body_is_the_run_of_text_under_the_header_and_menus_stay_out(gazetteer, vocabulary):
    draft = run(page(*MENU, *HEADER, P1, "TCL7.95亿元回购", P2, P3, "相关阅读", "证券要闻", "重点推荐", *MENU),
                gazetteer, vocabulary)
    assert draft.title == "近500家公司停牌 上市公司浑身解数躲下跌"
    assert draft.body.split("\n\n") == [P1, "TCL7.95亿元回购", P2, P3]  # the subheading stays a paragraph


def test_related_box_inside_a_longer_article_is_dropped_and_the_text_goes_on(gazetteer, vocabulary):
    more = [P2 + "第二段。", P3 + "第三段。", P2 + "第四段。", P3 + "第五段。"]
    draft = run(page(*HEADER, P1, "延伸阅读：57岁小学肄业 广西骗子演绎25亿美元惊天骗局", *more), gazetteer, vocabulary)
    assert draft.body.startswith(P1) and draft.body.endswith(more[-1]) and "延伸阅读" not in draft.body


def test_related_links_heading_ends_the_article(gazetteer, vocabulary):
    links = ["重置城寨 不如搞「港版環球影城」", "最新港產片《九龍城寨之圍城》熱播，好評如潮，不少人建議政府「復刻」該地，"
             "打造成旅遊景點，吸引遊客前來參觀，帶動經濟，有議員更提出多個方案，引起社會熱烈討論。"]
    draft = run(page(*HEADER, P1, P2, "你可能还想看", *links, *links), gazetteer, vocabulary)
    assert draft.body.endswith(P2)


def test_byline_under_the_lead_does_not_end_the_body(gazetteer, vocabulary):
    draft = run(page(*HEADER, P1, "本报记者 罗科 苏盈", P2, P3, "责任编辑：NF041"), gazetteer, vocabulary)
    assert draft.body.endswith(P3) and P2 in draft.body


def test_post_meta_and_comment_form_end_a_blog_post(gazetteer, vocabulary):
    draft = run(page("播客热潮迅速蔓延 挑逗传统传媒业", "Saturday, September 10th, 2005   10:56 am", P1, P2,
                     "(本文发表于首页批评与建议, 已被阅读178次)", "本文通告引用(Trackback)链接: /wp-trackback.php?p=1700",
                     "《播客热潮迅速蔓延 挑逗传统传媒业》已有1件评论", "新宠的评论", "September 19th, 2005 at 7:32 pm", P3),
                gazetteer, vocabulary)
    assert draft.body.endswith(P2)


def test_text_ends_with_a_sentence_not_a_promotion(gazetteer, vocabulary):
    draft = run(page(*HEADER, P1, P2, "网易财经", "会赚钱的客户端：", "网易携手华泰证券"), gazetteer, vocabulary)
    assert draft.body.endswith(P2)


def test_opening_lines_kept(gazetteer, vocabulary):
    # A first line broken mid-sentence, a salutation, a dateline on a line of its own.
    broken = run(page("北京市儿童心理素质发展现状调查研究报告", "2003年5月", "为了贯彻落实北京市“十五”时期儿童发展规划，", P1, P2),
                 gazetteer, vocabulary)
    assert broken.body.startswith("为了贯彻落实")
    speech = run(page("在2024年全市党建质量过硬行动工作推进会上的讲话", "2024年03月01日", "同志们:", P1, P2), gazetteer, vocabulary)
    assert speech.body.startswith("同志们:")
    wire = run(page("谷歌AI学会自己推理", "2016年10月14日07:17", "TNW中文站 10月14日报道", P1, P2), gazetteer, vocabulary)
    assert wire.body.startswith("TNW中文站 10月14日报道")


def test_subtitle_and_caption_never_open_the_body(gazetteer, vocabulary):
    draft = run(page("犬儒病(上)", "2005-06-01", "——当代中国的精神危机 (上)", P1, P2), gazetteer, vocabulary)
    assert draft.body.startswith(P1) and draft.title == "犬儒病(上)"
    draft = run(page(*HEADER, "资料图：无性婚姻能走多远？", P1, P2), gazetteer, vocabulary)
    assert draft.body.startswith(P1)


def test_counter_and_end_mark_after_the_last_sentence_dropped(gazetteer, vocabulary):
    draft = run(page(*HEADER, P1, P2 + "319"), gazetteer, vocabulary)
    assert draft.body.endswith("注销股份使已发行股份数量减少。")
    draft = run(page(*HEADER, P1, P2 + "□"), gazetteer, vocabulary)
    assert draft.body.endswith("注销股份使已发行股份数量减少。")


def test_first_post_of_a_thread_is_the_article(gazetteer, vocabulary):
    posts = []
    for k, (who, when) in enumerate([("alva4U", "2005/07/07 19:37:59"), ("woshi", "2005/08/30 15:13:48")]):
        posts += [f"回复{k}", who, P3 + f"第{k}楼。", f"〓 网易娱乐 明星话题 发布时间 {when} by {who} 〓"]
    draft = run(page("网易娱乐 > 明星俱乐部 > 明星话题", "惊爆日企SONY MUSIC操控华人女星黑幕(转载)", "duscha", P1, P2,
                     "〓 网易娱乐 明星话题 发布时间 2005/03/15 22:36:13 by duscha 〓", *posts), gazetteer, vocabulary)
    assert draft.published_at.isoformat().startswith("2005-03-15")
    assert draft.body.startswith(P1)


def test_no_header_falls_back_to_the_densest_prose_and_says_so(gazetteer, vocabulary):
    footer = ["最新军情", "军事评论", "本站永久域名:", "2005-08-01 版权所有"]
    draft = run(page(*MENU, "飞行物理学常识", P1, P2, P3, *footer), gazetteer, vocabulary)
    assert draft.body.startswith(P1) and draft.body.endswith(P3)


def test_a_count_glued_to_the_headline_is_dropped_but_a_year_or_an_ordinal_stays():
    assert clean_title("第二章 失乡号的船长241", []) == "第二章 失乡号的船长"
    assert clean_title("中国经济展望2024", []) == "中国经济展望2024"
    assert clean_title("浙江省运动会第14", []) == "浙江省运动会第14"


def test_headline_without_what_copy_paste_glued_to_it():
    lines = ["网易 --> 商业频道 --> --> CCER经济学人分析中国经济热度"]
    assert clean_title("免费订阅《高端阅读》 CCER经济学人分析中国经济热度", lines) == "CCER经济学人分析中国经济热度"
    assert clean_title("电影网>新闻>电影资讯>《蓝羽会客厅》之《北京影人》5月20日起播出", []) == \
        "《蓝羽会客厅》之《北京影人》5月20日起播出"
    assert clean_title("主题： 你知道导游为什么那么热衷于让你去购物吗？", []) == "你知道导游为什么那么热衷于让你去购物吗？"
    assert clean_title("台湾著名教育家许宜铭先生演讲精选2 [ 回复本贴 ] [ 关闭本窗口 ] [ 刷新 ]", []) == "台湾著名教育家许宜铭先生演讲精选2"
    assert clean_title("煮一碗好吃的腊八粥，请记好这几个小窍门举报/反馈", []) == "煮一碗好吃的腊八粥，请记好这几个小窍门"


def test_headline_is_the_longer_line_above_the_outlet_and_buttons(gazetteer, vocabulary):
    draft = run(page("新浪微博", "美官员否认伊朗直升机事故存在谋杀行为", "播报文章", "中国新闻网", "2024-05-20 13:09", P1, P2,
                     blank=False), gazetteer, vocabulary)
    assert draft.title == "美官员否认伊朗直升机事故存在谋杀行为"


def test_row_of_links_in_table_cells_is_furniture():
    row = "股票：中国股民一定要活下来 \t 托起的千点能走多远\t “国九条”成了谁的道具"
    assert classify(row, row, False).cls == BAD


def test_story_opens_at_its_dateline_not_at_the_caption_above_it(gazetteer, vocabulary):
    caption = "新专辑《FunnyGirl》封面上有薛凯琪各种各样Funny的表情，她说整张专辑的概念就是做回自己，拍照时也就特别放得开。"
    lead = "南方网讯　薛凯琪新专辑《Funny Girl》再拿好莱坞巨星开涮"
    draft = run(page("薛凯琪新专辑表情千奇百怪 再拿巨星开涮(图)", "2005-04-28 11:13更新 来源：转载文章", caption, lead, P1, P2),
                gazetteer, vocabulary)
    assert draft.body.startswith(lead)


def test_forum_title_printed_beside_its_date(gazetteer, vocabulary):
    draft = run(page("社区首页 > 社会探索 > 奇闻异事", "我收藏的：图片 音乐", "从原子弹爆炸原理想开去\t 2005-09-11 18:04:42   楼主",
                     P1, P2), gazetteer, vocabulary)
    assert draft.title == "从原子弹爆炸原理想开去"


def test_undated_essay_keeps_its_headline_over_its_first_section(gazetteer, vocabulary):
    draft = run(page("路是人走出来的(下)", "胡平", "——论争取自由的方式及其相互关系(下)", "四、规范理论与结构理论", P1, P2),
                gazetteer, vocabulary)
    assert draft.title == "路是人走出来的(下)" and draft.body.startswith("四、规范理论与结构理论")


def test_summary_abstract_and_citation_above_the_text_are_not_its_start(gazetteer, vocabulary):
    draft = run(page(*HEADER, "核心提示：腊八节要吃腊八粥，但很多年轻人并不知道腊八粥该怎样熬才好吃，下面介绍几个小窍门。", P1, P2),
                gazetteer, vocabulary)
    assert draft.body.startswith(P1)
    draft = run(page("淘宝网物流配送存在的问题及对策研究", "作者:  赵 培：北京物资学院，北京",
                     "摘要: 本文基于网络化购物普及的背景下，叙述了电子商务和物流配送的概念，分析了淘宝网物流配送存在的问题，并提出了对策。",
                     "Abstract:  Based on the popularization of the network shopping, this article describes the concepts.",
                     "文章引用：赵培. 淘宝网物流配送存在的问题及对策研究[J]. 现代管理, 2018, 8(2): 9-13.",
                     "1. 电子商务物流配送概述", P1, P2), gazetteer, vocabulary)
    assert draft.body.startswith("1. 电子商务物流配送概述")


def test_the_first_paragraph_under_the_header_starts_the_run(gazetteer, vocabulary):
    links = ["会染病的避孕套你用过吗", "肛周湿疣中医治疗配方", "喝茶可以减肥吗", "保护“生命腺”", "警惕沉默的杀手", "哪种血型易老年痴呆？"]
    draft = run(page("煮一碗好吃的腊八粥，请记好这几个小窍门", "2021-01-20 04:29:4439健康网", "栏目关注：", "大众保健", "女性保健",
                     *links, P1, P2, "39健康网(www.39.net)专稿，未经书面授权请勿转载。", "相关资讯 营养成分 粥 好吃的 维生素",
                     blank=False), gazetteer, vocabulary)
    assert draft.body.startswith(P1) and draft.body.endswith(P2)


def test_hard_wrapped_paragraph_keeps_its_last_line(gazetteer, vocabulary):
    wrapped = ["胜利的前提，他们不知道勇气其实也是胜利的结果。当士气由於一再失败而低落时，唯有成功才能使士气重新振作",
               "，哪怕是微小的胜利，只要它在众目睽睽之下，都会对士气的恢复产生莫大的作用。因此我们不应该低估近",
               "稳步推进的策略，其实自由离我们并不遥远。□"]
    data = ("路是人走出来的(下)\n\n胡平\n\n" + P1 + "\n\n" + "\n".join(wrapped) + "\n\n——《北京之春》1996年3月号").encode()
    draft = run(data, gazetteer, vocabulary)
    assert draft.body.endswith("其实自由离我们并不遥远。")


def test_dialogue_before_a_repost_notice_is_the_end_of_the_story(gazetteer, vocabulary):
    draft = run(page("【赛马娘】情人节赠礼", "2023-02-14 10:00", P1, P2, "“咳咳，茶座君。”", "“……嗯……？”", "“也谢谢你……”",
                     "本文为我原创本文禁止转载或摘编", "同人  情人节  赛马娘"), gazetteer, vocabulary)
    assert draft.body.endswith("“也谢谢你……”")


def test_a_code_listing_is_neutral_whole():
    from articles.ingest.blocks import classify_lines

    lines = ["docker stop apollo-portal && docker rm apollo-portal", "docker run -p 28070:8070 \\", "-d --rm \\",
             "sleep 30s", "-e ENV=dev \\", 'echo "apollo启动完成"', "-e ENV=dev \\"]
    infos = classify_lines(lines, lines, [False] * len(lines))
    assert all(info.code and info.score == 0.0 for info in infos[1:-1])


def test_code_statements_are_code_and_an_english_sentence_is_not():
    for line in ("import json", "from contextlib import ExitStack", "return", "for i in range(3):", "if not data:"):
        assert classify(line, line, True).code, line
    assert not classify("for example this is English text", "for example this is English text", True).code


def test_a_code_listing_with_imports_does_not_end_a_tech_post(gazetteer, vocabulary):
    # A WeChat post: prose, a listing that opens with imports, prose again.
    code = ["import json", "import redis", "import pymongo", "client = redis.Redis()", "def parse():"]
    draft = run(page("一日一技：在 Python 中实现延迟调用", "原创 kingname 未闻Code 前天", P1, *code, P2, *code, P3),
                gazetteer, vocabulary)
    assert draft.title == "一日一技：在 Python 中实现延迟调用"
    assert draft.body.startswith(P1[:20]) and draft.body.endswith(P3)


def test_a_byline_dated_yesterday_anchors_the_header(gazetteer, vocabulary):
    draft = run(page("三星 Galaxy S20 系列手机正式发布", "爱否科技 昨天", P1 + "\n", P2, blank=False), gazetteer, vocabulary)
    assert draft.title == "三星 Galaxy S20 系列手机正式发布"
    assert draft.published_at is None and draft.body.startswith(P1[:20])


def test_a_date_printed_over_three_lines_dates_the_article(gazetteer, vocabulary):
    draft = run(page(*MENU, "儿歌一分钱被改成一元钱 原作者女儿：改成这样不觉得拗口吗？", "2019", "09/07", "19:02", "扬眼",
                     P1, P2, "相关阅读", "2019-9-5 9:38:01", blank=False), gazetteer, vocabulary)
    assert draft.published_at.isoformat().startswith("2019-09-07T19:02")
    assert draft.title.startswith("儿歌一分钱被改成一元钱")


def test_a_list_of_dated_links_under_the_article_never_dates_it(gazetteer, vocabulary):
    related = []
    for title in ("龙湖集团长沙项目质量风波调查", "外资潜伏3个月，疯狂买入1000亿", "科技牛来临？创业板暴涨"):
        related += [title, "2019-09-09 21:38:04", "阅读 1024"]
    draft = run(page(*MENU, "债券市场是否存在泡沫？世界知名首席投资官们这么说", "2019年09月09日 20:52 新浪财经-自媒体综合",
                     P1, P2, P3, "最新评论", *related), gazetteer, vocabulary)
    assert draft.published_at.isoformat().startswith("2019-09-09T20:52")


def test_a_long_line_without_a_single_punctuation_mark_is_not_text():
    outlets = "新华网人民网中国新闻网中国日报网站中青在线中国网中国青年网国际在线中国台湾网南方都市报新京报解放网东方网金羊网汉网南方网红网北京青年报"
    assert classify(outlets, outlets, True).cls != GOOD


def test_a_menu_glued_without_spaces_is_a_menu_not_a_headline(gazetteer, vocabulary):
    menu = "网站首页时政国际财经台湾军事观点领导人事理论法治社会产经教育科普体育文化"
    assert classify(menu, menu, False).cls == BAD
    draft = run(page(menu, "登录注册", "人民网>>文化", "女儿出嫁，郑板桥画了几笔兰花当嫁妆", "2019年06月15日08:18  来源：人民网-文化频道",
                     "分享到：", P1, P2, blank=False), gazetteer, vocabulary)
    assert draft.title == "女儿出嫁，郑板桥画了几笔兰花当嫁妆"


def test_an_author_card_beside_the_headline_is_not_the_headline(gazetteer, vocabulary):
    draft = run(page(*MENU, "王文：中美贸易“持久战”，中国人的斗志被激发", "王文中国人民大学重阳金融研究院执行院长", "分享到：",
                     "2019-09-07 09:25:09 字号：A- A A+ 来源：观察者网", P1, P2), gazetteer, vocabulary)
    assert draft.title == "王文：中美贸易“持久战”，中国人的斗志被激发"


def test_a_top_bar_is_never_the_first_half_of_a_wrapped_headline(gazetteer, vocabulary):
    draft = run(page("百度首页 登录月落_长安", "英国美女在殡仪馆工作太痛苦，转行当美人鱼！每小时收入近千元", "加拿大必读",
                     "发布时间：2019-10-08 12:00", P1, P2), gazetteer, vocabulary)
    assert draft.title == "英国美女在殡仪馆工作太痛苦，转行当美人鱼！每小时收入近千元"


def test_the_headline_right_above_the_date_line_inside_a_run_of_text(gazetteer, vocabulary):
    # A magazine notice printed above the headline makes the page's densest run start above it.
    draft = run(page("我司杂志提供免费订阅，任何第三方平台的赠送或售卖行为均未获得我司授权，我司保留追究法律责任的权利。", "广告",
                     "阿里发布最强AI芯片：性能“吊打”同行，一块顶十块GPU", "时间：2019-09-25 作者：网络整理", P1, P2, P3,
                     blank=False), gazetteer, vocabulary)
    assert draft.title == "阿里发布最强AI芯片：性能“吊打”同行，一块顶十块GPU"


def test_numbered_parts_of_an_interview_do_not_end_the_article(gazetteer, vocabulary):
    # Each part: a number, the speaker, a question printed again in every part, the answer.
    parts = []
    for n, (who, answer) in enumerate([("AMUNDI副首席投资官：Vincent Mortier", P1 + P2),
                                       ("PIMCO首席投资官：Dan Ivascyn", P2 + P3),
                                       ("道富环球全球首席投资官：Rick Lacaille", P3 + P1)], 1):
        parts += [str(n), who, "债券市场存在泡沫吗？", answer]
    draft = run(page(*HEADER, P2, *parts, "责任编辑：郭明煜", "网友评论"), gazetteer, vocabulary)
    assert draft.body.startswith(P2) and draft.body.endswith(P3 + P1) and P2 + P3 in draft.body


def test_a_blog_page_keeps_its_first_post_only(gazetteer, vocabulary):
    posts = ["昨天去金矿玩 (图)\t 2005-03-21 01:20:44", P1 + P2, "[打印]", "由海姑娘张贴 @ 2005-03-21 01:20:44 (359) 共 3 篇评论",
             "长发剪了，感觉很轻松\t 2005-03-18 01:58:01", P2, "[打印]", "由海姑娘张贴 @ 2005-03-18 01:58:01 (1666) 共 7 篇评论",
             "SBS 回来, 感觉澳洲在进步\t 2005-03-18 01:28:08", P3, P2]
    draft = run(page("控制面板\t 发表文章\t 文章编辑\t 评论管理", *posts), gazetteer, vocabulary)
    assert draft.body == P1 + P2


def test_the_sites_promotion_after_the_last_sentence_is_not_the_text(gazetteer, vocabulary):
    promo = "喜欢这篇文章？去 App 商店搜 好奇心日报 ，每天看点不一样的。"
    assert classify(promo, promo, True).cls == BAD
    signup = "欢迎加入本站邮件列表，您将得到最新更新邮件。请在表格中填入您的邮件地址："
    assert classify(signup, signup, True).cls == BAD
    draft = run(page(*HEADER, P1, P2, promo, "分享至："), gazetteer, vocabulary)
    assert draft.body.endswith(P2)


def test_end_notes_after_the_last_sentence_are_dropped():
    from articles.ingest.blocks import strip_end_mark
    assert strip_end_mark("共产党的犬儒主义也就走到了它的极点。(未完待续)□") == "共产党的犬儒主义也就走到了它的极点。"
    assert strip_end_mark("全国人大常委会将继续审议。（完）") == "全国人大常委会将继续审议。"
    assert strip_end_mark("他说：“我们还会回来。”（记者 王平）") == "他说：“我们还会回来。”（记者 王平）"


def test_shell_commands_and_their_comments_are_a_listing():
    for line in ("docker stop grafana && docker rm grafana", "ls -la /tmp", "fi"):
        assert classify(line, line, False).code, line
    listing = ["docker inspect grafana", "# 查看镜像详细信息", "docker logs grafana", "# 进入镜像命令行",
               "docker exec -it grafana sh"]
    infos = classify_lines(listing, listing, [False] * len(listing))
    assert all(info.code for info in infos)


def test_the_date_printed_beside_its_outlet_dates_a_reprint_not_the_bloggers_repost(gazetteer, vocabulary):
    draft = run(page("拆房屡出命案 管理形同虚设", "2003-7-24 钱江晚报", P1, P2, P3,
                     "- 作者： 流泉 访问统计：　2005年08月30日, 星期二 13:22 加入博采"), gazetteer, vocabulary)
    assert draft.published_at.date().isoformat() == "2003-07-24"


def test_icon_font_glyphs_and_an_ad_line_never_make_the_headline(gazetteer, vocabulary):
    draft = run(page("立刻注册新浪免费邮箱，激活1G空间", "投身外交的那些年\ue004", "2004年10月10日17:06  来源：新浪读书",
                     "\ue5e5\ue5e5" + P1, P2), gazetteer, vocabulary)
    assert draft.title == "投身外交的那些年"
    assert draft.body.startswith(P1)


def test_a_line_with_a_label_is_no_headline_and_anchors_an_undated_header(gazetteer, vocabulary):
    draft = run(page("您现在的位置：读书 -> 连载 -> 畅销小说 -> 正文", "02日14:25 作者： 赵婕  出自[人民文学出版社]",
                     P1, P2, P3), gazetteer, vocabulary)
    assert "作者" not in draft.title
    assert draft.authors == ("赵婕",)


def test_a_source_opening_a_later_section_is_no_dateline_lead(gazetteer, vocabulary):
    lead = "据英国《卫报》4日报道，目前，每年平均有200名过着无性婚姻生活的日本女性到东京郊区的一家诊所寻求帮助，这一数字还在上升。"
    draft = run(page("多数夫妻生活有名无实 日本无性婚姻问题严重(图)", "2005-04-05 06:40更新 来源：新闻晨报",
                     "资料图：无性婚姻能走多远？", P1, "妻子变成替代母亲", lead, P2), gazetteer, vocabulary)
    assert draft.body.startswith(P1)


def test_an_english_date_line_with_commas_is_a_date_line(gazetteer, vocabulary):
    draft = run(page("首页 | 时事 | 生活 | 财经 | 法律 | 文体\t 2006年12月27日（京港台时间）", "Saturday, September 10th, 2005   10:56 am",
                     "中国的农民工问题", P1, P2, P3, "September 19th, 2005 at 7:32 pm", P1), gazetteer, vocabulary)
    assert draft.published_at.isoformat().startswith("2005-09-10T10:56")


def test_a_list_of_dated_links_alone_gives_no_date(gazetteer, vocabulary):
    links = [f"{name}(2004/10/10 17:06)" for name in ("少年时代(1)", "少年时代(2)", "三度开除(1)", "三度开除(2)")]
    draft = run(page("投身外交的那些年", "连载：乔冠华才情人生   出版社：团结出版社   作者：罗银胜", P1, P2, "相关链接", *links),
                gazetteer, vocabulary)
    assert draft.published_at is None and "no date found" in draft.warnings


def test_a_comments_date_under_the_comments_heading_never_dates_the_article(gazetteer, vocabulary):
    draft = run(page("当前位置：首页>>会议>>中国经济学年会秘书处", "第四届中国经济学年会会议议程", "2004-12-10      阅读10544次",
                     P1, P2, P3, "相关评论:", "点这里发表评论", "发表人：550",
                     "发表人邮件：skywalker5-x@163.com\t 发表时间：2004-12-11 9:51:00", "怎样能看到各位学者的论文全文？"),
                gazetteer, vocabulary)
    assert draft.published_at.date().isoformat() == "2004-12-10"
    assert draft.title == "第四届中国经济学年会会议议程"
    assert draft.views == 10544 and draft.source is None


def test_a_headline_mostly_in_latin_letters_and_digits_is_still_the_headline(gazetteer, vocabulary):
    draft = run(page("新浪手机 | 新浪科技 | 新浪首页 | 新浪导航", "苹果发布新iPhone 11：64GB售5499元 256GB售6799元",
                     "2019年09月11日01:53  新浪科技   我有话说(1307人参与) 收藏本文", "自动播放", "苹果发布新iPhone 11：配6种颜色",
                     P1, P2, blank=False), gazetteer, vocabulary)
    assert draft.title == "苹果发布新iPhone 11：64GB售5499元 256GB售6799元"


def test_a_publication_note_and_the_authors_bio_after_it_end_the_article(gazetteer, vocabulary):
    bio = "Joel Spolsky 是纽约市一家小软件公司，Fog Creek Software, 的创始人。他毕业于耶鲁大学，曾在美国微软公司任软件设计师及经理。"
    draft = run(page(*HEADER, P1, P2, P3, "本文最先用英文出版，题为 Advice for Computer Science College Students", bio),
                gazetteer, vocabulary)
    assert draft.body.endswith(P3)


def test_an_events_dates_in_a_caption_do_not_end_the_article(gazetteer, vocabulary):
    caption = ["Conventry, UK", "2017/9/28-10/31 10:00 - 22:00 Lee Tung Ave", "my-moon.org @ 利东街 (Lee Tung Ave)"]
    draft = run(page(*HEADER, P1 + P2, *caption, P3 + P1, "相关阅读"), gazetteer, vocabulary)
    assert draft.body.endswith(P3 + P1)


def test_a_posts_view_rank_and_its_reply_thread_are_not_the_post(gazetteer, vocabulary):
    thread = ["旅行中，谁忽悠了你？【新闻频道版主】08-11 16:06 298字 [4321/87]", "一把辛酸泪啊。【皮皮说话】08-11 17:15 80字 [176/0]",
              "还是素质问题【柠檬沁心】08-11 17:20 124字 [137/0]", "偶哭诉一个【黑眼圈猫猫】08-11 17:45 315字 [155/0]"]
    for line in thread:
        assert classify(line, line, False).cls == BAD, line
    draft = run(page("主题： 你知道导游为什么那么热衷于让你去各种各样的商场购物吗？", "作者：芊草凡凡   时间：2005-08-22 19:13:18",
                     P1 + P2, "您是本文第 154 个阅览者", "| 回复线索：", *thread, P3, blank=False), gazetteer, vocabulary)
    assert draft.body == P1 + P2 and draft.views == 154


def test_a_list_of_records_ends_the_article_where_its_last_record_does(gazetteer, vocabulary):
    # Lines of a real price list and of a spec table: labels recur with other values, record after record.
    records = ["1、上海野生动物园", "成人票原价：165元", "游客咨询电话：58036000", "备注：其余单票型均不参加本次半价优惠活动",
               "2、上海欢乐谷", "成人票原价：260元", "游客咨询电话：4006688022", "备注：所有游客购买日场门票均享130元/人",
               "3、上海方塔园", "成人票原价：12元", "游客咨询电话：57832621", "备注：仅限成人票享受半价优惠"]
    footer = ["热点搜索", "东部战区位台岛周边开展演习", "上海地铁辟谣有人掉进扶梯", "版权声明"]
    draft = run(page(*HEADER, P1, P2, *records, *footer), gazetteer, vocabulary)
    assert draft.body.endswith("备注：仅限成人票享受半价优惠"), draft.body[-80:]
    spec = ["爱迪尔CH7121", "发动机型式：直列4缸", "发动机总排量：1171ml", "最大功率：51Kw／6000rpm", "变速箱：国产手动五速",
            "北斗星CH6350B", "发动机型式：直列4缸", "发动机总排量：1171ml", "最大功率：51Kw／6000rpm", "变速箱：进口手动五速"]
    draft = run(page(*HEADER, P1, P2, P3, *spec, "页面功能  【我来说两句】【我要“揪”错】【推荐给朋友】【关闭】"),
                gazetteer, vocabulary)
    assert draft.body.endswith("变速箱：进口手动五速"), draft.body[-80:]


def test_a_list_of_links_under_one_or_two_labels_is_no_list_of_records(gazetteer, vocabulary):
    links = ["视频：脸书进军智能手机市场收看01:49", "音频：黄文广谈薄案疑点与中共高层内幕（下）收听06:46",
             "音频：黄文广谈薄案疑点与中共高层内幕（上）收听05:49", "视频：香港码头工人罢工旷日持久收看02:21",
             "音频：戴耀廷谈“占领中环”形势（一）收听07:15", "音频：许志永谈北京教育平权活动情况收听02:52"]
    infos = classify_lines(links, links, [True] * len(links))
    assert not any(info.field for info in infos)
    card = ["地址：北京市东城区正义路1号", "电话：010-12345678", "邮编：100006", "主办：某某市人民政府办公厅"]
    infos = classify_lines(card, card, [True] * len(card))
    assert not any(info.field for info in infos)


def test_a_book_card_inside_a_long_post_does_not_end_it(gazetteer, vocabulary):
    # A Douban note embeds a card (title, rating, author / year / publisher) between its stories:
    # most of the post is still to come, so a gap of that size is bridged.
    card = ["月亮和六便士", "9.0", "[英] 毛姆 / 2006 / 上海译文出版社", "塞勒涅 (Selene)", "The Buried Moon, Bradbury Press 1969"]
    story = [P1, P2, P3, P2 + P1, P3 + P2]
    draft = run(page(*HEADER, P1 + P2, *card, *story, "回应", "推荐", "添加回应"), gazetteer, vocabulary)
    assert draft.body.endswith(P3 + P2) and draft.body.startswith(P1 + P2)


def test_a_long_gap_with_time_stamps_is_a_thread_not_a_box_in_the_text(gazetteer, vocabulary):
    # The same gap, but its lines are stamped as replies are: what follows is the thread, not the post.
    thread = ["| 回复线索：", "一把辛酸泪啊。【皮皮说话】08-11 17:15 80字 [176/0]", "还是素质问题【柠檬沁心】08-11 17:20 124字 [137/0]",
              "我的经历：【hylxy】08-11 18:24 273字 [180/1]", "偶转一个别人的经历【黑眼圈猫猫】08-12 11:59 338字 [164/0]"]
    replies = [P1, P2, P3, P2 + P1, P3 + P2]
    draft = run(page(*HEADER, P1 + P2, *thread, *replies, blank=False), gazetteer, vocabulary)
    assert draft.body == P1 + P2


def test_a_data_table_inside_a_long_article_is_bridged_and_its_references_end_it(gazetteer, vocabulary):
    # An encyclopedia entry: a table of districts between its sections, then 参考文献 and the citations.
    table = ["行政区划\t 面积", "雄安新区 \t 1770\t 120.54\t 218.36", "保定市 \t 安新县[71] \t 724\t 45.37\t 57.82",
             "雄县[72] \t 513\t 47.86\t 101.14", "容城县[73] \t 314\t 27.32\t 59.4", "苟各庄镇[76] \t 60.3\t 3.16",
             "七间房乡[76] \t 52.2\t 2.94", "沧州市 \t 任丘市 \t 鄚州镇[76] \t 58.2\t 2.91\t 由雄县托管",
             *[f"第{n}片区 \t {n * 7}\t {n}.5\t {n * 3}.1" for n in range(1, 8)], "容东片区为雄安新区先期启动建设的片区之一"]
    refs = ["参考文献[编辑]", "^ 刘桃熊. 河北雄安新区邮政编码发布. 新华网. 2023-12-06  [2023-12-11].",
            "^ 跳转到： 3.0 3.1 中共中央、国务院决定设立河北雄安新区。新华社，2017年4月1日，北京电，全文见新华网。"]
    draft = run(page(*HEADER, P1 + P2, P3, "美丽乡村[编辑]", *table, "承接疏解[编辑]", P2 + P1, P3 + P2, P1 + P3, P2,
                     *refs), gazetteer, vocabulary)
    assert draft.body.startswith(P1 + P2) and draft.body.endswith(P2), draft.body[-60:]
    assert "跳转到" not in draft.body


def test_a_poems_notes_heading_is_part_of_the_text():
    assert classify("注释", "注释", True).stop is None
    assert classify("参考资料", "参考资料", True).stop == "furniture"


def test_a_numbered_comment_is_not_the_headline(gazetteer, vocabulary):
    # A blog's sidebar of latest comments, numbered 1· 2· …, above a post whose metadata is printed after it.
    comments = ["最新评论", "6·实在太完美了！！！！我好喜欢品超侧面的轮廓，简直无法用语言形容", "7·心如很漂亮的~",
                "8·希望尽快的搞好一点，不然说坏话的人就多了啊~~~ 望看到这个贴的领导多多考虑一下~~~", "阅读排行榜"]
    draft = run(page(*comments, "13岁女孩辍学后生下女婴(附图)", P1 + P2, P3, "作者:zboygirl 阅读(1660) 评论(5)  编辑 发表于:2005-07-31",
                     blank=False), gazetteer, vocabulary)
    assert draft.title == "13岁女孩辍学后生下女婴(附图)"


def test_counted_spaces_and_bars_are_what_the_regex_finds():
    """classify reads whether a line holds a space or a bar from _counts (the page in NumPy at once): on
    every line of the sample pages, and on each kind of whitespace, it is what _SPACE_OR_BAR finds."""
    lines = sorted({line.strip() for path in SAMPLES.glob("*.txt")
                    for line in path.read_text("utf-8", "replace").split("\n")} - {""})
    lines += [f"甲{c}乙" for c in " \t\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u200a\u2028\u202f\u205f\u3000|｜丨"]
    _, _, spacey = _counts(lines)
    assert spacey == [_SPACE_OR_BAR.search(line) is not None for line in lines]


def test_separators_found_whitespace_first_are_the_plain_ones():
    """_SEPARATED consumes its whitespace first (the engine then scans for whitespace): it finds the
    spans the plain alternation finds, on every sample line and on each kind of separator."""
    plain = re.compile(r"\s[|｜·•]\s|\s-\s|\t")
    lines = {line for path in SAMPLES.glob("*.txt") for line in path.read_text("utf-8", "replace").split("\n")}
    lines |= {"a\t|\tb", "a - b - c", "a\t\tb", " | ", "\u3000·\u3000", "x\t-\ty", "\t", "甲 • 乙 ｜ 丙"}
    for line in lines:
        assert [m.span() for m in _SEPARATED.finditer(line)] == [m.span() for m in plain.finditer(line)], line
