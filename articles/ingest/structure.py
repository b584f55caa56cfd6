"""Where things are on the page: the metadata anchor, the title, the body's first and last lines."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import patterns as P
from .blocks import (BAD, GOOD, LATIN, SHORT, LineInfo, anchored_run, best_run, classify_lines, is_caption,
                     is_subheading, stop_rule, strip_counter, strip_end_mark)
from .dates import DateHit, find_dates, find_issue_month, lines_with_years


@dataclass
class Layout:
    lines: list[str]  # original lines, stripped, non-empty
    keys: list[str]  # the same lines in simplified script, for matching rules
    alone: list[bool] = field(default_factory=list)  # a blank line beside it on the page
    joined: list[bool] = field(default_factory=list)  # no blank line between it and the line above
    infos: list[LineInfo] = field(default_factory=list)  # each line's content class and score
    prose: tuple[int, int] = (0, 0)  # the best-scoring run of the whole page, before any header is known
    body_index: list[int] = field(default_factory=list)  # the body's lines (furniture inside dropped)
    squeezed_page: str | None = None  # the simplified page without spaces, for "printed again" lookups
    first_content: int | None = None  # the first line after the navigation
    credits: tuple[int, ...] | None = None  # metadata.credit_lines(), which every metadata field reads
    date_line: int | None = None
    date_hit: DateHit | None = None
    date_rule: str = ""
    issue_month: DateHit | None = None  # the month of the issue, on a page with no day at all
    dated_alike: set[int] = field(default_factory=set)  # date lines printed like another (posts, comments)
    anchor: int | None = None
    title: str = ""
    title_rule: str = ""
    title_line: int | None = None
    body_start: int = 0
    body_stop: int = 0
    stop_rule: str = ""
    warnings: list[str] = field(default_factory=list)


def _is_sentence(line: str) -> bool:
    return len(line) >= 40 and line.count("，") + line.count("。") + line.count(",") >= 2


_POSTED = re.compile(r"(?:发表于|发布于|发表在|张贴于|posted|Posted)\s*[@:：]?\s*$")


_LABEL_SEP = re.compile(r"[:：|︱]")  # every metadata label is followed by one of these


_OUTLET_AFTER = re.compile(r"\s*[\u4e00-\u9fff《》]{2,12}(?:报|网|通讯社|新闻社|电视台|广播电台|杂志|周刊|新闻|频道)"
                           r"(?:\s|$|[-—(（])")


def score_date_line(key: str, hit: DateHit) -> float:
    score = 1.0
    before = key[max(0, hit.start - 8): hit.start]
    if P.LABELED_TIME.search(before + "：") and any(lbl in before for lbl in ("时间", "日期")):
        score += 3
    elif _POSTED.search(before):  # 发表于 2004年12月27日, posted @ …: the post's own date
        score += 2
    if P.LABELED_SOURCE.search(key) or "来源" in key:
        score += 2
    elif _OUTLET_AFTER.match(key, hit.end):  # 2003-7-24 钱江晚报: the outlet printed beside the date
        score += 1.5
    if hit.has_time:
        score += 1
    if P.VIEWS.search(key) or "作者" in key or "编辑" in key:
        score += 1
    if len(key) - (hit.end - hit.start) <= 3:
        score += 0.5
    return score


def score_lines(layout: Layout) -> None:
    """Each line's content score, and the page's densest run of prose."""
    alone = layout.alone or [False] * len(layout.lines)
    infos = classify_lines(layout.lines, layout.keys, alone, layout.joined or None)
    # Metadata lines are the header, never the text. A label and an original-title notice both need a
    # separator: one regex call spares most lines the other two.
    for i, key in enumerate(layout.keys):
        if infos[i].cls != BAD and (_LABEL_SEP.search(key) and (is_meta_line(key) or P.ORIGINAL_TITLE.match(key))
                                    or _relative_byline(key)):
            infos[i] = LineInfo(BAD, -2.0, infos[i].han, None)
    layout.infos = infos
    a, b, _ = best_run([info.score for info in layout.infos], 0, len(layout.lines))
    layout.prose = (a, b)


_YEAR_ALONE = re.compile(r"^(?:19|20)\d{2}$")
_MONTH_DAY_ALONE = re.compile(r"^\d{1,2}[/.-]\d{1,2}$")
_TIME_ALONE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")


def _split_date(keys: list[str], i: int) -> str | None:
    """A date widget that prints year, month/day and time on lines of their own (2019 / 09/07 / 19:02)."""
    if not (_YEAR_ALONE.match(keys[i]) and i + 1 < len(keys) and _MONTH_DAY_ALONE.match(keys[i + 1])):
        return None
    text = f"{keys[i]}-{re.sub(r'[/.]', '-', keys[i + 1])}"
    if i + 2 < len(keys) and _TIME_ALONE.match(keys[i + 2]):
        text += " " + keys[i + 2]
    return text


_COMMENTS_HEADING = re.compile(r"^(?:相关评论|网友评论|最新评论|热门评论|精彩评论|全部评论|读者评论|评论区|用户评论"
                               r"|网友留言|读者留言)"
                               r"\s*[:：]?\s*(?:[(（\[]?\d*[)）\]]?)$")


def _comments_start(layout: Layout) -> int | None:
    """The comments heading after the start of the page's main text (网友评论, 相关评论：); a sidebar's
    最新评论 printed above the text is no such heading."""
    a, b = layout.prose
    if b <= a:
        return None
    keys = layout.keys  # every heading names 评论 or 留言: substring tests before the regex
    return next((i for i in range(a + 1, len(keys))
                 if ("评论" in keys[i] or "留言" in keys[i]) and _COMMENTS_HEADING.match(keys[i])), None)


def find_date_line(layout: Layout) -> None:
    best = None
    found: dict[int, DateHit] = {}
    keys = layout.keys
    dated = lines_with_years(keys)
    for i in dated:  # a line without a year holds no date, nor starts a split one (2019 / 09/07)
        key = keys[i]
        if len(key) > 150 or len(key) > 100 and _is_sentence(key):
            continue  # a date is never half of so long a sentence (below): skip the search
        hits = find_dates(key) or (find_dates(split) if (split := _split_date(layout.keys, i)) else None)
        # A date inside a sentence dates what the sentence tells, unless the date is most of the line
        # (Saturday, September 10th, 2005 10:56 am has the commas of a sentence).
        if hits and (not _is_sentence(key) or hits[0].end - hits[0].start >= 0.5 * len(key)):
            found[i] = hits[0]
    # Date lines printed alike (the posts of a thread, comments, a list of links): the first of
    # the series dates the article; the rest date replies.
    shape = {i: re.sub(r"\d", "0", layout.keys[i][: hit.start])[-12:].strip() or re.sub(r"\d", "0", layout.keys[i])
             for i, hit in found.items()}
    counts = Counter(shape.values())
    layout.dated_alike = {i for i in found if counts[shape[i]] >= 2}
    first: dict[str, int] = {}
    for i in found:
        first.setdefault(shape[i], i)
    # The first of a series is the article's date, unless a date of its own stands above it (the
    # series is then a list of links or comments under the article).
    lone = min((i for i in found if counts[shape[i]] < 3), default=None)
    series = {i: counts[shape[i]] >= 3 and (first[shape[i]] != i or lone is not None and lone < i) for i in found}
    comments = _comments_start(layout)
    for i, hit in found.items():
        key = layout.keys[i]
        score = score_date_line(key, hit) - (1.5 if series[i] else 0.0)
        if comments is not None and i > comments:
            score -= 3  # a comment's date, under the comments heading
        if sum(j in found for j in (i - 4, i - 2, i - 1, i + 1, i + 2, i + 4)) >= 2:
            score -= 2  # one date of a list of links, posts or comments
        if best is None or score > best[0]:
            best = (score, i, hit)
    if best and best[0] > 0:  # only dates of a list of links (each line a link and its date): none is ours
        layout.date_line, layout.date_hit = best[1], best[2]
        layout.date_rule = f"{best[2].rule}:score{best[0]:g}"
        return
    # No day anywhere: the month of the issue the article was printed in (——《北京之春》1998年3月号).
    # It dates the article but is no header: it is often printed after the text.
    for key in (keys[i] for i in dated):  # an issue's month is printed with its year
        if len(key) <= 80 and not _is_sentence(key) and (hit := find_issue_month(key)):
            layout.issue_month = hit
            return


def is_meta_line(key: str) -> bool:
    if len(key) > 120 or not _LABEL_SEP.search(key) or _is_sentence(key):
        return False
    return bool(P.META_LABEL_START.search(key) or (P.LABEL_ANYWHERE.search(key) and find_dates(key)))


def _relative_byline(key: str) -> bool:
    return len(key) <= 40 and key[-1] in "天前刚0123456789" and bool(P.RELATIVE_DATE.search(key))


def find_anchor(layout: Layout) -> None:
    """The first metadata line of the article header (date line, or a labelled line above it; on a
    page with no date, a byline dated 昨天 or 3小时前)."""
    limit = layout.date_line if layout.date_line is not None else min(len(layout.keys), 40)
    for i in range(limit):
        key = layout.keys[i]
        if is_meta_line(key) and (P.LABELED_SOURCE.search(key) or P.LABELED_TIME.search(key)):
            layout.anchor = i
            return
    if layout.date_line is None:  # a byline dated 昨天, or a short line naming the author (02日14:25 作者： 赵婕)
        layout.anchor = next((i for i in range(limit) if _relative_byline(layout.keys[i])
                              or len(layout.keys[i]) <= 80 and P.LABELED_AUTHOR.search(layout.keys[i])), None)
        return
    layout.anchor = layout.date_line


def _han_share(text: str) -> float:
    return sum("\u4e00" <= c <= "\u9fff" for c in text) / max(1, len(text))


def _title_like(line: str, key: str, han: int | None = None) -> bool:
    """``han``: the line's hanzi, when they are counted already (LineInfo.han, of the same line)."""
    if len(line) < 5 or len(line) > 120:
        return False
    if (_han_share(line.replace(" ", "")) if han is None else han / max(1, len(line) - line.count(" "))) < 0.2:
        return False
    if P.BREADCRUMB.search(key) or P.is_menu(line) or is_meta_line(key) or P.LABEL_ANYWHERE.search(key):
        return False  # a headline never holds a label (作者：, 来源：)
    if P.PROMOTION.match(key):
        return False
    if _is_sentence(line) and line.endswith("。"):
        return False
    return stop_rule(key) is None  # none of the rules that end a body


def _title_score(layout: Layout, i: int, ref: int, html_title: str | None) -> float | None:
    """How much line i looks like this page's headline, seen from the header line ``ref``."""
    line, key = layout.lines[i], layout.keys[i]
    info = layout.infos[i]
    latin_headline = info.cls == BAD and info.score == LATIN and info.han >= 5  # 苹果发布新iPhone 11：64GB售5499元
    if (info.cls == BAD and not (info.repeated or latin_headline) or info.cls == GOOD and info.han > 40
            or line[-1] == "。" or "\t" in line or line.startswith("—")):
        return None
    if not _title_like(line, key, info.han) or _TITLE_FURNITURE.search(key) or _CELLS.search(line):
        return None
    han = layout.infos[i].han
    score = min(han, 30) / 5
    lo, hi = (i, ref) if i < ref else (ref, i)
    between = sum(1 for j in range(lo + 1, hi) if layout.infos[j].cls == SHORT)
    score -= 0.8 * between + (1.5 if i > ref else 0.0)
    if layout.prose[0] < i < layout.prose[1] and not _adjacent(layout, i, ref):
        score -= 3  # a line inside the page's prose: a subheading (unless the date line is right under it)
    if _AUTHOR_CARD.match(key):
        score -= 4
    if i <= _first_content_line(layout):
        score += 1  # the first line after the navigation
    if han <= 4:
        score -= 1
    if _NUMBERED.match(line.lstrip("\ue000\ue5e5 \u3000")):  # 一、 (二) 3. : a section of the text, not its headline
        score -= 2.5
    if line[-1] in "。：:，,":
        score -= 4
    squeezed = key.replace(" ", "")
    if len(squeezed) >= 4 and _printed_again(layout, squeezed, key):
        score += 2  # printed again inside a breadcrumb, a tab title or a longer line
    if html_title and squeezed in html_title.replace(" ", ""):
        score += 4
    return score


_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_NUMBERED = re.compile(r"[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．·]\D")
_GLUE = re.compile(r"\s{2,}|\u3000|[|｜>＞»›：:]|\t")
_CELLS = re.compile(r"\S(?:\s{2,}|\u3000)\S.*\S(?:\s{2,}|\u3000)\S")  # cells of a menu or table row
# An author's card beside the headline: a name glued to an affiliation and a position (王文中国人民大学
# 重阳金融研究院执行院长), no punctuation.
_AUTHOR_CARD = re.compile(r"^[^，。！？：:、,!?“”\s]{2,16}"
                          r"(?:大学|学院|研究院|研究所|研究中心|中心|公司|集团|银行|报社|协会|学会)[^，。！？：:、,!?“”\s]{0,12}"
                          r"(?:院长|所长|主任|教授|研究员|博士|总裁|总经理|董事长|书记|主编|分析师|专家|首席\S{0,6})$")


def _adjacent(layout: Layout, i: int, ref: int) -> bool:
    """Only furniture (metadata, share buttons) between line i and the header line below it."""
    return i < ref and all(layout.infos[j].cls == BAD for j in range(i + 1, ref))


def _first_content_line(layout: Layout) -> int:
    """The first line that is neither furniture nor a navigation item."""
    if layout.first_content is None:
        layout.first_content = next((j for j, info in enumerate(layout.infos)
                                     if not (info.cls == BAD or info.score <= -1.2)), len(layout.infos))
    return layout.first_content


def _printed_again(layout: Layout, squeezed: str, key: str) -> bool:
    """Does another line of the page (a breadcrumb, a tab title, a longer line) hold this text?"""
    page = layout.squeezed_page
    if page is None:
        page = layout.squeezed_page = "\n".join(layout.keys).replace(" ", "")  # one C call for the page
    return page.count(squeezed) > layout.keys.count(key)


# Lines near a headline that are page widgets, never the headline itself.
_TITLE_FURNITURE = re.compile(r"^(?:播报文章|语音播报|阅读整篇文章|阅读全文|举报|举报/反馈|关注|已关注|订阅|收藏|分享)")


def _title_candidate(layout: Layout, ref: int, html_title: str | None, below: bool) -> tuple[float, int] | None:
    """The best headline candidate seen from header line ``ref``: up to twelve lines of text above
    it (paragraphs skipped over, since some sites print the metadata after the body), and, when
    ``below``, just under it (a date line printed above the headline)."""
    lines, best, looked = layout.lines, None, 0
    for i in range(ref - 1, -1, -1):
        if _is_sentence(lines[i]) and lines[i][-1] in P.END_PUNCT:
            continue
        score = _title_score(layout, i, ref, html_title)
        if score is not None and (best is None or score > best[0]):
            best = (score, i)
        if layout.infos[i].cls != BAD:
            looked += 1
        if looked >= 12:
            break
    if below and (best is None or best[0] < 1.0):  # a date line printed above the headline
        for i in range(ref + 1, min(len(lines), ref + 4)):
            if lines[i][-1] in "。；;…" or layout.infos[i].cls == GOOD:  # the lead, not the headline
                continue
            score = _title_score(layout, i, ref, html_title)
            if score is not None and (best is None or score > best[0]):
                best = (score, i)
    return best


def _title_before_date(layout: Layout) -> tuple[float, str] | None:
    """A forum or blog line that prints the post's title, then its date: 从原子弹爆炸原理想开去\t 2005-09-11 18:04."""
    if layout.date_line is None or layout.date_hit is None:
        return None
    line = layout.lines[layout.date_line]
    head = line[: layout.date_hit.start]
    m = re.match(r"^(.*?\S)(?:\t|\s{2,}|\s*[|｜]\s*)\s*$", head)
    if not m or P.LABEL_ANYWHERE.search(layout.keys[layout.date_line][: layout.date_hit.start]):
        return None
    text = re.sub(r"\s*[(（]图[)）]$", "", m.group(1).strip())
    han = len(_HAN_RE.findall(text))
    if han < 4 or not _title_like(text, text) or _CELLS.search(text):
        return None
    return min(han, 30) / 5 + 0.5, text


def find_title(layout: Layout, html_title: str | None = None) -> None:
    """The headline among the candidates near the metadata anchor."""
    lines, keys = layout.lines, layout.keys
    refs = []
    a, b = layout.prose
    if layout.anchor is not None and a < b <= layout.anchor <= b + 12:
        # Metadata printed after the body: the headline stands above the text, or opens it.
        refs.append((a + 1 if layout.infos[a].han <= 40 and layout.lines[a][-1] != "。" else a, False))
    elif layout.anchor is not None:
        refs.append((layout.anchor, True))
    elif a < b:  # no date anywhere: the headline stands above the text
        refs.append((a, False))
    found = [c for ref, below in refs if (c := _title_candidate(layout, ref, html_title, below))]
    layout.title, layout.title_line = "", None
    glued = _title_before_date(layout)
    if glued and (not found or glued[0] > max(found)[0]):
        layout.title, layout.title_line, layout.title_rule = glued[1], layout.date_line, "title_beside_date"
    elif found:
        i = max(found)[1]
        ref = layout.anchor if layout.anchor is not None else layout.body_start
        layout.title, layout.title_line = clean_title(lines[i], lines, html_title), i
        layout.title_rule = "line_above_meta" if i < ref else "line_below_meta"
        if i < ref:
            _join_wrapped_title(layout, i)
    if not layout.title:
        if html_title:
            layout.title, layout.title_rule = html_title.split("_")[0].split(" - ")[0].strip(), "html_title"
        else:
            for i, line in enumerate(lines[:30]):
                if _title_like(line, keys[i], layout.infos[i].han) and not line.endswith("。"):
                    layout.title, layout.title_line, layout.title_rule = line, i, "first_title_like_line"
                    break
        if "title guessed" not in layout.warnings:
            layout.warnings.append("title guessed")
    elif "title guessed" in layout.warnings:
        layout.warnings.remove("title guessed")
    _prefer_original_title(layout)


# What copy-paste glues onto a headline: actions after it, a label or a category before it.
_TITLE_TAIL = re.compile(r"(?:\s*\[\s*[^\]]{1,8}?\s*\])+$|\s*(?:举报/反馈|我要纠错|分享到|收藏本文|打印本页)$")
_TITLE_LABEL = re.compile(r"^(?:主题|标题|题目|文章标题|帖子主题)\s*[:：]\s*|^\[[^\]]{1,10}\]\s*(?=\S{4})")
_TITLE_COUNTER = re.compile(r"(?<=[\u4e00-\u9fff])(?<![第前近约])\d{2,6}$")
_CRUMB_SEP = re.compile(r"\s*(?:-->|->|>>|»|›|＞|>)\s*")


def clean_title(title: str, lines: list[str], html_title: str | None = None) -> str:
    """The headline without the breadcrumb, menu, label or buttons that copy-paste glued to it.
    Where the page prints the bare headline again (a breadcrumb's last step, a tab title, a
    line of its own), that copy shows where the glue ends."""
    cleaned = _TITLE_TAIL.sub("", title).strip()
    badge = _TITLE_COUNTER.search(cleaned)
    if badge and not re.fullmatch(r"(?:19|20)\d\d", badge.group()):
        cleaned = cleaned[:badge.start()]  # a reply or view count glued to the headline (失乡号的船长241)
    parts = _CRUMB_SEP.split(cleaned)
    if len(parts) > 1 and len(parts[-1]) >= 5:
        cleaned = parts[-1]
    cleaned = _TITLE_LABEL.sub("", cleaned).strip() or cleaned
    squeezed = cleaned.replace(" ", "").replace("\u3000", "")
    tail = squeezed[-4:]  # a witness ends as the headline does
    # Its last character is in the line itself (spaces are all that squeezing drops): a test that spares
    # most lines the two copies.
    witnesses = {_CRUMB_SEP.split(line)[-1].strip() for line in lines
                 if line != title and tail[-1:] in line and tail in line.replace(" ", "").replace("\u3000", "")}
    if html_title:
        witnesses.update(part.strip() for part in re.split(r"[_|]|\s-\s", html_title))
    best = None
    for w in witnesses:
        bare = w.replace(" ", "").replace("\u3000", "")
        if 6 <= len(bare) < len(squeezed) and len(bare) >= 0.5 * len(squeezed) \
                and squeezed.endswith(bare) and (best is None or len(w) > len(best)):
            best = w
    return best or cleaned


def _join_wrapped_title(layout: Layout, i: int) -> None:
    """A headline wrapped over two lines, or a headline followed by its subtitle."""
    if i == 0:
        return
    above, title = layout.lines[i - 1], layout.title
    if (
        _title_like(above, layout.keys[i - 1], layout.infos[i - 1].han)
        and layout.infos[i - 1].han >= 10
        and above[-1] not in P.END_PUNCT
        and title not in above
        and layout.lines.count(above) == 1
        and not find_dates(layout.keys[i - 1])
        and not _GLUE.search(above)  # a menu or breadcrumb above the headline is no half of it
        and not _NAV_WORDS.search(above)
        and layout.infos[i - 1].cls != BAD
    ):
        layout.title = f"{above} {title}" if _ends_wordlike(above) else above + title
        layout.title_line = i - 1
        layout.title_rule = "wrapped_over_two_lines"


_NAV_WORDS = re.compile(r"首页|登录|注册|导航|_")  # a top bar (百度首页 登录 user_name) is no half of a headline


def _ends_wordlike(text: str) -> bool:
    return text[-1] in "）)》」』”\"" or text[-1].isascii()


def _prefer_original_title(layout: Layout) -> None:
    """A display title cut with '...' yields to the full '原标题：《…》' printed below it."""
    title = layout.title.rstrip()
    if not (title.endswith("...") or title.endswith("…")):
        return
    stem = title.rstrip(".…")
    for line in layout.lines:
        m = P.ORIGINAL_TITLE.match(line)
        if m and m.group("title").startswith(stem[: max(4, len(stem) - 2)]):
            layout.title, layout.title_rule = m.group("title").rstrip(".…》"), "original_title_notice"
            return


# Short lines that open a body (编者按, 一、培养目标：) are kept when the header stands just above them.
LEAD_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}(?:\.\d{1,2})*[.、．]\s*\D"
    r"|第[一二三四五六七八九十百\d]+[章节部分篇回]|编者按|编者的话|编前|编后|导语|引言|前言)"
    r"|^\S{2,12}\s*(?:\d{1,2}月)?\d{1,2}日(?:电|讯|报道)$"  # a dateline on a line of its own: TNW中文站 10月14日报道
    r"|^(?:同志们|同学们|朋友们|各位\S{0,8}|亲爱的\S{0,10}|尊敬的\S{0,20})[:：,，]$"  # a speech's salutation
)
# A first line broken mid-sentence: it ends with a comma, or runs on in hanzi.
BROKEN_LEAD = re.compile(r"(?:[，、,]|[\u4e00-\u9fff]{20,})$")


def find_body(layout: Layout) -> None:
    """The best-scoring run of lines after the header; the page's densest prose when the header
    has none (a wrong header, or metadata printed after the body)."""
    infos, n = layout.infos, len(layout.lines)
    scores = [info.score for info in infos]
    heads = [x for x in (layout.title_line, layout.anchor) if x is not None]
    g = layout.prose
    g_score = sum(scores[g[0]:g[1]])
    a, b = g
    if heads:
        lo = min(heads) + 1
        # The run starts at the first paragraph below the header at the latest.
        first_text = next((i for i in range(lo, n) if infos[i].cls == GOOD), n - 1)
        h = anchored_run(scores, lo, n, first_text)
        h = _cut_at_furniture(layout, *h)
        between = sum(1 for i in range(max(heads) + 1, h[0]) if infos[i].cls != BAD)
        close = between <= 6 and h[2] >= 8  # a paragraph right under the headline and date
        if h[1] > h[0] and (h[2] >= 0.4 * g_score or close):
            a, b = h[0], h[1]
        elif g_score > 0:
            layout.warnings.append("body found by text density (no body below the header)")
    if b <= a:  # no text anywhere
        layout.body_start = layout.body_stop = min(n, (max(heads) + 1) if heads else 0)
        layout.body_index = []
        return
    while a + 1 < b and P.SUMMARY_BOX.match(layout.keys[a]):  # summary, abstract, keywords above the text
        a += 1
    lead = _news_lead(layout, a, b)
    a = lead if lead > a else _extend_lead(layout, a, heads)  # nothing stands above a dateline lead
    b = _extend_to_credits(layout, b)
    while (b > a + 1 and infos[b - 1].cls != GOOD and not infos[b - 1].field
           and strip_counter(layout.lines[b - 1])[-1] not in SENTENCE_END):
        b -= 1  # the text ends with a sentence (or a list of records), not with a label, a button or a promotion
    layout.body_start, layout.body_stop = a, b
    layout.body_index = [i for i in range(a, b) if (infos[i].cls != BAD or infos[i].repeated and infos[i].han < 40)
                         and not P.BODY_NOISE.match(layout.keys[i])]
    after = next((infos[j].stop for j in range(b, min(n, b + 3)) if infos[j].stop), None)
    layout.stop_rule = after or ""
    prose = sum(info.han for info in infos if info.cls == GOOD)
    kept = sum(infos[i].han for i in layout.body_index)
    if prose and kept < 0.3 * prose:
        layout.warnings.append("body much shorter than the page's prose")


def _inline_box(layout: Layout, i: int) -> bool:
    """A furniture label carrying its link on the same line, with text again within a few lines."""
    m = P.FURNITURE.match(layout.keys[i])
    inline = m is not None and len(layout.keys[i]) - m.end() >= 6
    return inline and any(x.cls == GOOD for x in layout.infos[i + 1:i + 10])


def _cut_at_furniture(layout: Layout, a: int, b: int, total: float) -> tuple[int, int, float]:
    """The article ends where page furniture starts once text came before it: a related-links
    heading, share bar, copyright or repost notice; a credit line (编辑：…) unless more text
    follows it at once (a byline under the lead); a stretch of several furniture lines (post
    meta, counters, comment forms). A box inside a much longer article is bridged over."""
    infos, text = layout.infos, 0
    remaining = sum(x.han for x in infos[a:b] if x.cls == GOOD)  # text from line i to the run's end
    for i in range(a, b):
        info = infos[i]
        if info.cls == GOOD:
            remaining -= info.han
        if info.cls == GOOD:
            text += info.han
            continue
        if info.field:  # a list of records is the text, however short its lines
            continue
        if text < 60 or text < 120 and remaining > text:  # furniture above the text proper (a summary box)
            continue
        if info.stop:
            if info.stop not in ("furniture", "disclaimer", "repost_notice"):
                nxt = next((x for x in infos[i + 1:i + 4] if x.cls != SHORT), None)
                if nxt is not None and nxt.cls == GOOD:
                    continue
        else:
            gap = infos[i:i + 3]
            # Lines printed twice weigh little here: a list the text then takes point by point.
            if not (len(gap) == 3 and all(x.cls != GOOD for x in gap)
                    and sum(-1.0 if x.repeated else x.score for x in gap) <= -4):
                continue
            # Numbered parts, speakers, questions between the parts of a longer text; and where as much
            # of the article is still to come, a longer box inside it (a book's or a film's card in a long
            # post, an infobox).
            if remaining >= 60 and (_text_resumes(layout, i)
                                    or remaining >= max(300, text) and _text_resumes(layout, i, reach=10)):
                continue
        if info.stop == "furniture" and remaining > 1.5 * text and _inline_box(layout, i):
            continue  # a related link set inside a longer article (延伸阅读：…), the text resuming below it
        return a, i, sum(x.score for x in infos[a:i])
    return a, b, total


def _text_resumes(layout: Layout, i: int, reach: int = 4) -> bool:
    """Paragraphs again within ``reach`` lines of the gap starting at ``i``, with no named furniture in
    the gap and none of the page's dated lines printed alike (those head the next post of a list or
    a comment; an event's dates in a caption are no such line). A longer gap (a book's card inside
    a long post) holds no time stamp and no view counter either."""
    infos, k, seen = layout.infos, i, 0
    while k < len(infos) and seen <= reach:
        if seen >= 3 and infos[k].cls == GOOD:
            return True
        if infos[k].stop or infos[k].score <= (-3 if reach <= 4 else -3.5) or k in layout.dated_alike:
            return False
        if reach > 4 and (_STAMPED.search(layout.keys[k]) or P.VIEWS.search(layout.keys[k])):
            return False  # a post's counter, a reply's time stamp: posts and replies follow, not the text
        # A table's rows (cells apart by tabs) count as one line of a long gap: a data table inside an article.
        seen += 0 if reach > 4 and "\t" in layout.lines[k] and "\t" in layout.lines[k - 1] else 1
        k += 1
    return False


_STAMPED = re.compile(r"(?<!\d)(?:\d{1,2}[-/.]\d{1,2}|\d{1,2}月\d{1,2}日)\s*\d{1,2}:\d{2}(?!\d)")


SENTENCE_END = "。！？!?…”」』"
CREDIT_STOPS = ("credit_bracket", "credit_label", "reporter_line", "outlet_credit", "credit_inline", "author_note")


def _extend_to_credits(layout: Layout, b: int) -> int:
    """Short lines (a post formatted for phones) between the run and the article's credits
    (编辑|…, 责编：…) are still the article."""
    for k in range(b, min(len(layout.infos), b + 25)):
        info = layout.infos[k]
        if info.stop in CREDIT_STOPS:
            return k if k > b else b
        if info.stop == "repost_notice":  # 本文为原创，禁止转载: the lines above it must be sentences
            ended = all(strip_end_mark(layout.lines[j])[-1] in SENTENCE_END for j in range(b, k))
            return k if k > b and ended else b
        if info.cls == BAD:
            return b
    return b


_WIRE_LEAD = re.compile(r"^\S{2,12}?(?:\d{1,2}月)?\d{1,2}日(?:专)?(?:电|讯|报道)")


def _news_lead(layout: Layout, a: int, b: int) -> int:
    """A news story opens with its dateline (新华社北京5月1日电, 南方网讯, 【看中国…报道】): what the run
    holds above such a lead (a caption, a teaser, a link box) is not the story."""
    for j in range(a + 1, min(b, a + 5)):
        key = layout.keys[j]
        lead = layout.infos[j].cls != BAD and (P.DATELINE.match(key) or P.DATELINE_INSIDE.match(key)
                                               or P.NEWS_FLASH_DATED.match(key) or _WIRE_LEAD.match(key)
                                               or P.NEWS_FLASH.match(key) and "讯" in key[:14])
        earlier = any(P.DATELINE.match(layout.keys[k]) or P.NEWS_FLASH.match(layout.keys[k]) for k in range(a, j))
        # A paragraph, then a subheading, then the "lead": a section of the story that opens with a source.
        section = j - 1 > a and layout.infos[j - 1].cls == SHORT and is_subheading(layout.lines[j - 1]) \
            and any(layout.infos[k].cls == GOOD for k in range(a, j - 1))
        if lead and not earlier and not section:
            return j
    return a


def _extend_lead(layout: Layout, a: int, heads: list[int]) -> int:
    """Take back the short opening lines (编者按, a first subheading) between the header and the run."""
    j = a
    while j > 0 and a - j < 6:
        i = j - 1
        if i in heads or layout.infos[i].cls == BAD or is_meta_line(layout.keys[i]):
            break
        line = strip_counter(layout.lines[i])
        if is_caption(layout.keys[i]) or P.SUMMARY_BOX.match(layout.keys[i]) or not (
                LEAD_HEADING.search(layout.keys[i]) or line[-1] in "。！？!?…”」" and layout.infos[i].han >= 4
                or j == a and BROKEN_LEAD.search(line)):
            break
        j = i
    if j < a and (j == 0 or j - 1 in heads or is_meta_line(layout.keys[j - 1]) or layout.infos[j - 1].cls == BAD
                  or layout.lines[j - 1].startswith("—")):
        return j
    return a
