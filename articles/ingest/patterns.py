"""Line rules as data: named, compiled once. Matched against simplified text (see pipeline)."""
from __future__ import annotations

import re

HAN = r"\u4e00-\u9fff"
NAME = rf"[{HAN}·•]{{2,4}}"

SOURCE_LABEL = r"(?:信息来源|文章来源|稿件来源|新闻来源|稿源|来源于|来源|出处|出自)"
TIME_LABEL = r"(?:发布时间|发布日期|发表时间|发表日期|更新时间|上传时间|时间|日期)"
AUTHOR_LABEL = r"(?:作者|撰文|执笔人|执笔|撰稿)"
EDITOR_LABEL = r"(?:责任编辑|责编|编辑|审核|审校|编审)"
_VIEWS_WORDS = ("点击量", "点击数", "点击率", "点击", "阅读量", "阅读数", "阅读次数", "阅读全文", "阅读", "浏览量", "浏览次数",
                "浏览", "人气", "访问量", "访问次数")
_READER_WORDS = ("阅览者", "读者", "访客", "浏览者")
VIEWS_LABEL = rf"(?:{'|'.join(_VIEWS_WORDS)})"
OTHER_LABEL = r"(?:校对|摄影|摄像|字号|字体|分享|发布于|IP属地|选稿|标签)"


def _either(*groups: str) -> str:
    """The words of several (?:a|b) groups as one flat alternation, in the same order: it matches what
    the groups nested would, and only a flat one lets the regex engine scan for its first characters
    (LABEL_ANYWHERE's search is six times faster)."""
    return "(?:" + "|".join(group.removeprefix("(?:").removesuffix(")") for group in groups) + ")"


def _starts_with(group: str) -> str:
    """A lookahead on the first characters of a (?:a|b) group's words, for a pattern that opens with
    look-behinds: they give the regex engine nothing to scan for, and the lookahead, which changes no
    match, lets every position that starts no word fail at its first test."""
    words = group.removeprefix("(?:").removesuffix(")").split("|")
    return "(?=[" + "".join(sorted({re.escape(word[0]) for word in words})) + "])"


ANY_LABEL = _either(SOURCE_LABEL, TIME_LABEL, AUTHOR_LABEL, EDITOR_LABEL, VIEWS_LABEL, OTHER_LABEL)
SEP = r"\s*[:：|︱丨/]\s*"

LABELED_SOURCE = re.compile(rf"{SOURCE_LABEL}\s*[:：|︱]\s*(?P<value>[^\s:：|]?.*)")
LABELED_TIME = re.compile(rf"{TIME_LABEL}\s*[:：]")
LABELED_AUTHOR = re.compile(rf"{_starts_with(AUTHOR_LABEL)}(?<![编辑审校]){AUTHOR_LABEL}{SEP}(?P<value>.*)")
# The value runs to the next label (编辑： 金金 \t 来源： 21世纪经济报道); Latin staff names count (编辑：alonliu).
LABELED_EDITOR = re.compile(rf"{_starts_with(EDITOR_LABEL)}(?<!校){EDITOR_LABEL}{SEP}(?P<value>[{HAN}·A-Za-z][^:：|]*)")
# 延伸阅读：57岁小学肄业… is a related link, not a counter: no heading word before the label, no
# age, date or count of things after the number.
VIEWS = re.compile(
    rf"{_starts_with(VIEWS_LABEL)}(?<!延伸)(?<!推荐)(?<!相关)(?<!精彩)(?<!热点)(?<!扩展){VIEWS_LABEL}\s*[:：(（]?\s*"
    rf"(?P<value>\d[\d,]*(?:\.\d+(?=\s*[万wW]))?)(?![\d,]*\s*[岁年月日号元个条篇位名家])"
    rf"\s*(?P<unit>[万wW])?\+?\s*(?:次|人次|[)）])?")
# 您是本文第 154 个阅览者: a counter printed as the reader's rank.
VIEWS_ORDINAL = re.compile(rf"第\s*(?P<value>\d[\d,]*)\s*(?:个|位|名)(?:{'|'.join(_READER_WORDS)})")
# A cheap test before VIEWS and VIEWS_ORDINAL (whose look-behinds are tried at every position): the
# first two characters of every word they need.
VIEWS_HINT = re.compile("|".join(sorted({w[:2] for w in _VIEWS_WORDS + _READER_WORDS})))
META_LABEL_START = re.compile(rf"^[\s【\[(（]*{ANY_LABEL}\s*[:：|︱]")
LABEL_ANYWHERE = re.compile(rf"{ANY_LABEL}\s*[:：|︱]")
# A post's byline dated relative to the reader (公众号名 昨天, 作者 3小时前): the header of an app or social
# page, with no date we could store.
RELATIVE_DATE = re.compile(r"(?:^|\s)(?:刚刚|今天|昨天|前天|\d{1,2}\s*(?:秒|分钟|小时|天|周|个月)前)(?:\s*\d{1,2}:\d{2})?$")
NEXT_LABEL = re.compile(rf"(?:{ANY_LABEL})\s*[:：|︱]|\s{{2,}}|\u3000|\s[|｜]\s")

# (name, regex) lines that end the article body.
BODY_STOPS = [
    ("author_note", re.compile(r"^[(（]\s*(?:作者|本文作者)(?:系|为|是|单位)")),
    ("credit_bracket", re.compile(rf"^[(（【\[]\s*(?:{EDITOR_LABEL}|作者|记者|来源|稿源|校对|通讯员|摘自|选自|转自)")),
    ("credit_label", re.compile(rf"^(?:{EDITOR_LABEL}|{AUTHOR_LABEL}|执笔人|校对|出品|原标题|来源|稿源|摄影|供稿){SEP}")),
    ("reporter_line", re.compile(rf"^\S{{0,8}}(?:记者|实习生)\s*[:：]?\s*{NAME}(?:[\s、]+{NAME})*(?:\s+\S{{0,12}}报道)?$")),
    ("outlet_credit", re.compile(rf"^[(（]\s*[{HAN}A-Za-z]{{1,8}}\s*[)）]$")),
    ("credit_inline", re.compile(rf"^.{{0,30}}(?:供稿|(?:摄影|编辑|责编|校对|审核)\s*[/:：|︱]\s*{NAME})(?!.*[。！？])")),
    ("journal_issue", re.compile(r"^《[^》]{2,20}》\s*(?:19|20)\d{2}\s*年\s*第\s*\d+\s*期")),
    ("hashtags", re.compile(r"^#\S+(?:\s+#\S+)+")),
    # Floating rules are flat alternations of literals: the regex engine scans for their first characters.
    ("repost_notice", re.compile(r"本文首发于|本文(?:最先|最早|首先|原)(?:用\S{1,4}文)?(?:发表|出版|刊登|刊载|发布)|本文转载自|本文转自|禁止转载|谢绝转载|严禁转载|不得转载|请勿转载|如若转载|转载请注明"
                                 r"|未经授权.{0,6}转载|本文链接|原文链接|原文地址|文章链接")),
    ("furniture", FURNITURE := re.compile(
        r"^(?:相关(?:阅读|新闻|文章|链接|热词|推荐|资讯|专题|报道|内容|视频|图集)|推荐阅读|延伸阅读|热点推荐|热门推荐|猜你喜欢|也许您会感兴趣"
        r"|最新动态|图片聚焦|图片新闻|上一篇|下一篇|上一条|下一条|分享到|扫一扫|扫描下方二维码|返回搜狐|返回顶部|热门文章"
        r"|往期推荐|往期回顾|(?:你|您)?可能(?:还)?(?:想看|喜欢|感兴趣|也喜欢)|大家都在看|其他人也在看|为你推荐|热门阅读|热门评论|分享至|网友评论|我要评论|发表评论|评论|精彩推荐|更多>>|点击排行|编辑推荐|今日推荐|热新闻|关于我们)")),
    # The references of a paper or an encyclopedia entry (参考文献, 参考资料[编辑]) follow its text. A bare
    # 注释 heads a poem's notes, part of the text; a wiki's 注释[编辑] its footnotes.
    ("furniture", re.compile(r"^(?:(?:参考文献|参考资料|外部链接|脚注)\s*(?:\[编辑\])?|(?:注释|注解)\s*\[编辑\])$")),
    ("disclaimer", re.compile(r"^声明[:：]")),
    ("disclaimer", re.compile(r"仅提供信息存储|仅提供信息发布|不代表本站|不代表本网|不代表本平台|版权所有|版权声明|免责声明"
                              r"|特别声明|ICP备|网安备|Copyright|©|All Rights Reserved|打印本页|关闭窗口|【打印】|关心您")),
]

# A summary box above the text (核心提示：…, 内容提要：…): not the article's first paragraph.
SUMMARY_BOX = re.compile(
    r"^[【\[]?(?:核心提示|内容提要|内容摘要|提要|导读|摘要|关键词|关键字|文章引用|引用本文|引用格式|Abstract|Key\s?words)\s*[】\]]?\s*[:：]", re.I)

# Lines inside the body that are page furniture, not text.
BODY_NOISE = re.compile(
    r"^(?:展开全文|字号|字体[:：].*|分享|分享至|关注|打印|收藏|复制链接|复制连结|复制网址|点赞|在看|Facebook|Line|Weibo|Twitter|微信|微博|QQ空间"
    r"|字级设定.*|大中小|放大|缩小|默认|[0-9]+|[\s\W]*)$",
    re.IGNORECASE,
)

# The article's own promotion, before or after its last sentence: 喜欢这篇文章？去 App 商店搜…, 扫描下方二维码…
PROMOTION = re.compile(
    r"^(?:喜欢(?:这篇|本篇|本)文章|喜欢本文|觉得(?:本文|这篇文章)?(?:不错|有用|好看)|如果(?:你|您)(?:喜欢|觉得)(?:这篇|本文|本篇)"
    r"|更多精彩|欢迎(?:关注|加入|订阅|访问|光临)|敬请关注|点击(?:上方|下方)?(?:蓝字)?关注|长按(?:识别)?二维码|扫(?:描|一扫)?(?:下方|上方)?二维码"
    r"|关注(?:我们|本号|公众号|微信公众号)|(?:立即|立刻|马上)(?:注册|下载|购买|领取|订阅|体验|开通))")
PROMOTION_FIRST = frozenset("喜觉如更欢敬点长扫关立马")  # the characters a promotion starts with

BREADCRUMB = re.compile(
    r"(?:当前位置|现在位置|您的位置|你的位置|位置)\s*[:：]|首页\s*(?:>|》|»|->|/|＞)|\s(?:>|»|->|＞)\s|^>|->|>>|＞＞|»|›"
    r"|^[^/／]{1,10}(?:\s[/／]\s[^/／]{1,10})+$")  # 地方 / 桃园市
MENU = re.compile(r"(?:\|.*){2,}|(?:\s\S{2,4}){5,}|^\S{2,6}(?:\s+\S{2,6}){3,}$")


def is_menu(line: str) -> bool:
    """MENU, tried only where it can match: two bars, or four words apart (its search is costly)."""
    return (line.count("|") >= 2 or len(line.split()) >= 4) and MENU.search(line) is not None
END_PUNCT = "。！？!?…；;”’\"」』）)：:"
URL = re.compile(r"https?://[^\s，。）)\"'<>]+")
URL_NOTICE = re.compile(r"(?:如若转载|转载请注明|本文链接|原文链接|原文地址|文章链接|本文地址|出处)\S{0,12}?[:：]?\s*(?P<url>"
                        + URL.pattern + ")")
ORIGINAL_TITLE = re.compile(r"^(?:本文)?原标题\s*[:：]\s*《?(?P<title>.+?)》?\s*$")
# Closing credits: （记者 王明）, （评论员 罗博 萧海川）, （编译/林靖东）.
TRAILING_AUTHOR = re.compile(
    rf"[(（]\s*(?:(?:特约评论员|评论员|本报记者|记者|通讯员|作者|编译|撰文|文)\s*[/／:：]?)?\s*"
    rf"(?P<names>{NAME}(?:[\s、]+{NAME})*)\s*[)）]\s*$")
# The wire-service lead: 新华社杭州5月11日电（记者 张乐 李平）, 中新网北京11月20日电(记者 王明),
# （中央社记者杨思瑞台南5日电）. Matched on the first body line, in simplified script.
_AGENCY = rf"(?P<agency>[{HAN}]{{2,5}}?社|[{HAN}]{{2,3}}网)?"  # 新华社, 中新网 …
_WIRED_ON = r"(?:\d{1,2}月)?\d{1,2}日(?:专)?电"  # 5月11日电, 5日专电
DATELINE = re.compile(
    rf"^{_AGENCY}(?P<place>[{HAN}]{{0,10}}?)(?:{_WIRED_ON}|讯)"
    rf"\s*[(（]\s*(?P<names>(?:(?:记者|通讯员|实习生)\s*{NAME}(?:[\s、]+{NAME})*\s*)+)[)）]"
)
DATELINE_INSIDE = re.compile(rf"^[(（]\s*{_AGENCY}记者\s*(?P<rest>[{HAN}·、\s]{{3,40}}?){_WIRED_ON}\s*[)）]")
# Taiwanese bylines: 联合报／记者王小明／桃园即时报导 beside the date, 〔记者陈文婵／高雄报导〕 opening the lead.
# 北京日报客户端 | 记者 孙杰 on a line of its own.
SLASH_BYLINE = re.compile(
    rf"(?:^|\s|[〔【\[(（])(?:(?P<source>[{HAN}A-Za-z]{{2,12}})\s*[／/|｜]\s*)?记者\s*(?P<names>{NAME}(?:[、\s]+{NAME})*)"
    rf"\s*(?:[／/]\s*[{HAN}]{{0,10}}报导|[〕】\])）]|$)"
)
DATELINE_ROLE = re.compile(r"记者|通讯员|实习生")
# Not an outlet: 发表于江苏, 来自甘肃 and IP属地 are where a post was sent from; 楼主 marks the poster.
NOT_A_SOURCE = re.compile(
    r"^(?:发表于|IP属地|来自|原创$|楼主$|\d{1,2}:\d{2}(?::\d{2})?$|星期[一二三四五六日天]$|周[一二三四五六日]$|礼拜[一二三四五六日天]$)")
# A source label filled with a placeholder instead of a name (来源：转载文章): the real outlet is often
# printed elsewhere, after the body; the placeholder is kept only when it is not.
PLACEHOLDER_SOURCE = re.compile(
    r"^(?:转载文章|转载|网络转载|网络|互联网|网上|网友|网友投稿|投稿|原创|本站原创|本网原创|本站|本网|本报|本刊|未知|不详"
    r"|佚名|匿名|综合|综合报道|其他|其它|整理|编辑|管理员|admin)$",
    re.IGNORECASE,
)
# Not a name at all: HTML left in the value (size="20"), punctuation, furniture headings, UI words.
JUNK_SOURCE = re.compile(
    r"^(?:.*[=<>].*|[^\u4e00-\u9fffA-Za-z]*|相关\S{0,4}|楼主|手机版|电脑版|.*(?:点击|收藏|查看|更多|返回|分享|关注).*)$")
# 转自《北京科技报》, 转载自新华网, 摘自《上海社会科学院学术季刊》2000年第2期: a reprint credit.
REPRINTED_FROM = re.compile(r"^[(（]?\s*(?:本文)?(?:转自|转载自|转载于|摘自|选自|原载于|原载|刊于)\s*[:：]?\s*(?P<value>《[^》]{2,20}》|[\u4e00-\u9fffA-Za-z·]{2,16})")
# Words that name a role, never a person: 评论员 罗博 -> 罗博; 信报记者 蔡雪婧 -> 蔡雪婧.
ROLE_PREFIX = re.compile(
    r"^[\u4e00-\u9fffA-Za-z]{0,8}?(?:特约评论员|评论员|特约记者|首席记者|见习记者|实习记者|记者|特约通讯员|通讯员|实习生"
    r"|责任编辑|编辑|主持人|撰稿人|撰稿|作者|摄影)\s*[:：]?\s*")
NOT_A_NAME = re.compile(
    r"^.*(?:点击|收藏|本文|此处|查看|更多|返回|分享)|^(?:来源|出处|作者|编辑|责编|校对|审核|摄影|时间|日期|阅读|点击|浏览|评论|回复|发表|本报|本网|本站|本刊|网友|楼主|版主"
    r"|佚名|匿名|未知|不详|管理员|admin|网易|新浪|搜狐|腾讯|新华社|整理|综合|报道|发布|标签|相关|分享"
    # Section and furniture words printed under a headline or beside a date: 编者按, 导读, [ 图片 ].
    r"|编者按|编者的话|导读|导语|摘要|内容提要|提要|核心提示|前言|引言|概述|简介|正文|目录|关键词|背景|按语"
    r"|首页|更新|文章|帖子|图片|组图|图文|视频|专题|打印|关闭|字号|大字|小字)$"
    r"|^\S{0,6}(?:报道|发自\S*)$", re.IGNORECASE)  # （姚峰 上海报道）: where the reporter filed from
# An outlet's name as printed: TNW中文站, 39健康网, 北京日报, 中国新闻网, 香港電台.
OUTLET_SHAPE = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9·—]{2,14}(?:网|站|报|社|台|刊|杂志|频道|新闻|客户端|日报|晚报|周刊)$")
# 【香港文汇报讯】, 本报讯, （人民网讯）: a lead that credits an outlet (本报 / 本网 … name none).
NEWS_FLASH = re.compile(rf"^[【\[(（]?\s*(?P<agency>[{HAN}A-Za-z]{{2,12}}?)讯\s*[】\])）]?")
# 【看中国2005年07月03日报道】: an outlet's flash with the date inside the brackets.
NEWS_FLASH_DATED = re.compile(
    rf"^[【\[]\s*(?P<agency>[{HAN}A-Za-z]{{2,12}}?)\s*(?:19|20)\d{{2}}年\d{{1,2}}月\d{{1,2}}日\s*(?:讯|报道|电)\s*[】\]]")
# A follow button beside a self-media account's name (快传号, bilibili, 头条号): 管不饿 / 关注.
FOLLOW_BUTTON = re.compile(r"^[+＋]?\s*(?:关注|关注TA|关注他|关注她|订阅)$")
OWN_OUTLET = re.compile(r"^(?:本报|本网|本刊|本台|本站|本社|本报记者)$")
AUTHOR_AFTER_TITLE = re.compile(
    r"(?:教授|研究员|讲师|博士|博士后|硕士|主任|书记|部长|院长|所长|校长|处长|科长|局长|馆长|委员|干部|记者|编辑|学者|专家|成员|副教授|助理研究员|研究生|学生)"
    rf"(?P<name>{NAME})$"
)
# The poster of a forum or blog post, printed on its date line: ggjjzhzz 发表于 2005-9-15 11:46:00,
# 发布时间 2005/05/17 22:11:42 by 眉间尺, 本贴由大卫于2005年8月12日…发表, 由海姑娘张贴 @ 2005-06-14 03:25:55.
POSTER = [
    ("posted_by", re.compile(r"(?:^|\s)by\s+(?P<name>[^\s〓|]{2,20})")),
    ("poster_before_posted_at", re.compile(r"^(?P<name>[^\s:：]{2,20})\s+(?:发表于|发表在|发布于)")),
    ("posted_by_on", re.compile(r"(?:^|本[贴帖文]|\s)由\s*(?P<name>[^\s@:：]{2,20}?)\s*(?:于|张贴|发表|发布|@)")),
]
NICKNAME = re.compile(r"^(?=.*[\u4e00-\u9fffA-Za-z])[\u4e00-\u9fffA-Za-z0-9_.\-&·]{2,20}$")
# A reporter's byline line in the header: 半月谈记者 史卫燕, 本报记者 王燕平 方云凤, 本报记者罗科苏盈发自北京.
REPORTER_BYLINE = re.compile(
    rf"^\S{{0,8}}?(?:记者|通讯员|评论员|实习生)\s*[:：]?\s*(?P<value>{NAME}(?:[\s、]+{NAME})*?)(?:\s*发自\S{{2,8}}|\s+\S{{0,12}}报道)?$")
# 《党建研究》2024年第1期, ——《北京之春》1998年3月号: the journal an article was printed in.
JOURNAL_ISSUE = re.compile(r"^[—－-]*\s*《(?P<name>[^》]{2,20})》\s*(?:19|20)\d{2}\s*年\s*(?:第\s*\d+\s*期|\d{1,2}\s*月号)")
# 赵延东、风笑天 on the line under the headline: the writers of an essay or paper.
NAMES_LINE = re.compile(rf"^{NAME}(?:\s*[、，,]\s*{NAME})*$")
