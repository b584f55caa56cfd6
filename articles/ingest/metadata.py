"""Fields read from labelled lines: source, authors, editors, views, url. Each returns (value, rule)."""
from __future__ import annotations

import re

from . import patterns as P
from .dates import find_dates
from .script import to_simplified
from .structure import Layout, is_meta_line

_NAME_SPLIT = re.compile(r"[、，,&＆/\s]+")
_HAN_NAME = re.compile(rf"^[{P.HAN}·•]{{2,4}}$")
_ORG_NAME = re.compile(rf"^[{P.HAN}·•A-Za-z0-9]{{2,16}}$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{1,23}$")
_CLEAN_VALUE = re.compile(r"^[\s:：|︱]+|[\s,，。;；|]+$")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # icon-font glyphs copied with the text
_PARENTHETICAL = re.compile(r"\s*[(（][^()（）]*(?:[)）]|$)")
# 21世纪经济报道(广州): the branch or city after an outlet is not part of its name (海外版 is).
_BRANCH = re.compile(rf"\s*[(（](?![^()（）]*版)[{P.HAN}]{{1,6}}[)）]?$")
_TRAILING_LABEL = re.compile(rf"\s*{P.ANY_LABEL}\s*$")
# Two-character names padded to the width of three: 赵 培, 刘　韬.
_PADDED_NAME = re.compile(rf"(?<![{P.HAN}])([{P.HAN}])[ \u3000]([{P.HAN}])(?![{P.HAN}])")


def header_lines(layout: Layout) -> list[int]:
    """Indices of the header's metadata lines: from the anchor to the body, and the date line."""
    idx = set()
    if layout.anchor is not None:
        idx.update(range(layout.anchor, layout.body_start))
    if layout.date_line is not None:
        idx.add(layout.date_line)
    return sorted(i for i in idx if i < len(layout.keys))


def credit_lines(layout: Layout) -> list[int]:
    """Lines just after the body, where credits, editors and counters are printed, and a short labelled
    line closing the body (本文来源：投资快报 作者：孙宁 责任编辑：NF041) that the body step kept."""
    closing = [i for i in range(max(layout.body_start, layout.body_stop - 2), layout.body_stop)
               if len(layout.keys[i]) <= 80 and P.META_LABEL_START.search(layout.keys[i].removeprefix("本文"))]
    return closing + list(range(layout.body_stop, min(len(layout.keys), layout.body_stop + 12)))


def _cut_value(text: str) -> str:
    m = P.NEXT_LABEL.search(text)
    value = text[: m.start()] if m else text
    for hit in re.finditer(r"(?:19|20)\d{2}[-/.年]", value):
        value = value[: hit.start()]
        break
    return _CLEAN_VALUE.sub("", value).strip("《》<>【】[]()（） ")


def clean_source(raw: str) -> str | None:
    """The outlet named in a source value; None when the value is no name at all (size="20", ')', 相关内容)."""
    value = _cut_value(_PRIVATE_USE.sub("", raw))
    value = _BRANCH.sub("", value).strip("《》<>【】[]()（） ")
    if P.NOT_A_SOURCE.match(value):
        return None
    for opening, closing in ("（）", "()"):  # 人民日报（海外版: give back the bracket _cut_value took
        if value.count(opening) > value.count(closing):
            value += closing
    if not value or P.JUNK_SOURCE.match(value):
        return None
    return value


def _labelled_sources(layout: Layout, indices: list[int], *, anywhere: bool):
    """Each labelled source value among the lines.

    After the body (anywhere=False) the label must open the line, or the line must be a credit line
    that opens with another label (编辑： 金金 \t 来源： 21世纪经济报道, 本文来源：投资快报 作者：孙宁)."""
    for i in indices:
        key, line = layout.keys[i], layout.lines[i]
        credit_line = anywhere or P.META_LABEL_START.match(key) or key.startswith("本文")
        m = (P.LABELED_SOURCE.search if credit_line else P.LABELED_SOURCE.match)(key)
        if m:
            yield clean_source(line[m.start("value"):])


def _closing_lines(layout: Layout) -> range:
    """The body's last lines, where a credit may close the article."""
    return range(max(layout.body_start, layout.body_stop - 3), layout.body_stop)


def _reprinted_from(layout: Layout) -> str | None:
    """转自《北京科技报》 closing the article, or just after it; a book (《…》，某某编著，…出版社) is no outlet."""
    for i in [*_closing_lines(layout), *credit_lines(layout)]:
        key = layout.keys[i]
        m = P.REPRINTED_FROM.match(key)
        if not m or len(key) > 80 or re.search(r"[著译]|出版社", key[m.end():]):
            continue
        if not m.group("value").startswith("《") and not re.fullmatch(r"[\s。.)）]*", key[m.end():]):
            continue  # 摘自 in running text, not a credit
        return clean_source(layout.lines[i][m.start("value"): m.end("value")])
    return None


def _outlet_before_date(layout: Layout) -> str | None:
    """TNW中文站2016年10月14日07:17, 原创：39健康网2024-04-23: the outlet printed in front of the date."""
    before = layout.lines[layout.date_line][: layout.date_hit.start]
    tokens = re.split(r"[\s:：|｜]+", before.strip())
    token = tokens[-1].strip("《》") if tokens else ""
    if P.OUTLET_SHAPE.match(token) and not P.LABEL_ANYWHERE.search(token + "："):
        return clean_source(token)
    return None


def _beside_date(layout: Layout):
    """Outlets printed on the date line or on the line below it."""
    date_line, hit = layout.date_line, layout.date_hit
    beside = layout.lines[date_line][hit.end:].strip()
    byline = P.SLASH_BYLINE.search(layout.keys[date_line][hit.end:])
    if byline and byline.group("source"):
        start = hit.end + byline.start("source")
        yield layout.lines[date_line][start: start + len(byline.group("source"))], "byline_outlet"
    tokens = [t for t in beside.split() if t and not P.NOT_A_SOURCE.match(t)]
    if len(tokens) == 1 and not P.LABEL_ANYWHERE.search(tokens[0]) and len(tokens[0]) <= 20 \
            and not re.search(r"发表|发布|张贴|回复", tokens[0]):
        yield clean_source(tokens[0]), "beside_date"
    above = date_line - 1  # Yahoo's provider line: 法新社 / 2024年5月20日週一 下午2:05
    if above >= 0 and above != layout.title_line:
        name = layout.lines[above]
        if P.OUTLET_SHAPE.match(re.split(r"\s*[-－]\s*", layout.keys[above])[0]) and len(name) <= 16:
            yield clean_source(name), "line_above_date"
    nxt = date_line + 1
    if not tokens and nxt < len(layout.lines):
        if _standalone_name(layout, nxt, maxlen=10):
            yield clean_source(layout.lines[nxt]), "line_below_date"
        byline = P.SLASH_BYLINE.match(layout.keys[nxt])  # 北京日报客户端 | 记者 孙杰
        if byline and byline.group("source"):
            yield layout.lines[nxt][byline.start("source"): byline.end("source")], "byline_outlet"


def _source_candidates(layout: Layout):
    """(value, rule) in order of trust; a value may be None (the strategy found only junk)."""
    for value in _labelled_sources(layout, header_lines(layout), anywhere=True):
        yield value, "labelled_source"
    for i in [*_closing_lines(layout), *credit_lines(layout)]:
        m = P.JOURNAL_ISSUE.match(layout.lines[i])
        if m:
            yield m.group("name"), "journal_issue"
    has_date = layout.date_line is not None and layout.date_hit is not None
    if has_date:
        yield from _beside_date(layout)
    for value in _labelled_sources(layout, credit_lines(layout), anywhere=False):  # 来源：南京发布 after the body
        yield value, "labelled_source_after_body"
    yield _reprinted_from(layout), "reprinted_from"
    if has_date:
        yield _outlet_before_date(layout), "outlet_before_date"
    if layout.body_start < layout.body_stop:  # the wire service of the lead: 新华社杭州5月11日电, （中央社记者…电）
        lead = layout.keys[layout.body_start]
        m = P.DATELINE.match(lead) or P.DATELINE_INSIDE.match(lead)
        if m and m.group("agency"):
            yield layout.lines[layout.body_start][m.start("agency"):m.end("agency")], "dateline_agency"
        m = P.NEWS_FLASH.match(lead) or P.NEWS_FLASH_DATED.match(lead)  # 【香港文汇报讯】
        if m and not P.OWN_OUTLET.match(m.group("agency")):
            yield layout.lines[layout.body_start][m.start("agency"):m.end("agency")], "news_flash"


def source(layout: Layout) -> tuple[str | None, str]:
    """The first outlet the chain finds. A placeholder (来源：转载文章, 本站原创) is kept only when
    nothing later on the page names the outlet."""
    placeholder = None
    for value, rule in _source_candidates(layout):
        if not value:
            continue
        if not P.PLACEHOLDER_SOURCE.match(value):
            return value, rule
        placeholder = placeholder or (value, f"{rule}_placeholder")
    return placeholder or (None, "none")


def dateline_reporters(line: str, key: str) -> list[str]:
    """Reporters named in a wire-service lead (see patterns.DATELINE), as the line writes them."""
    m = P.DATELINE.match(key)
    if m:
        start, names = m.start("names"), P.DATELINE_ROLE.sub(lambda r: " " * len(r.group()), m.group("names"))
        return [line[start + n.start(): start + n.end()] for n in re.finditer(P.NAME, names)]
    m = P.DATELINE_INSIDE.match(key)
    if not m:
        return []
    # （中央社记者杨思瑞、王小明台南5日电）: the last name runs into the place.
    start = m.start("rest")
    parts = [(start + p.start(), p.group()) for p in re.finditer(r"[^、\s]+", m.group("rest"))]
    found = []
    for k, (offset, part) in enumerate(parts):
        size = len(part)
        if k == len(parts) - 1 and size >= 4:
            size = 3 if size >= 5 else 2
        if 2 <= size <= 4:
            found.append(line[offset: offset + size])
    return found


def _standalone_name(layout: Layout, i: int, maxlen: int) -> bool:
    line = layout.lines[i]
    return bool(re.fullmatch(rf"[{P.HAN}A-Za-z·]{{2,{maxlen}}}", line)) and not P.BODY_NOISE.match(layout.keys[i])


def _names(value: str, *, allow_org: bool = False, allow_latin: bool = False) -> list[str]:
    """Personal names in a credit value; role words (评论员, 信报记者) are dropped, never kept as names."""
    value = _PADDED_NAME.sub(r"\1\2", value)
    if re.search("[:：]", value):  # 赵培：北京物资学院 (an affiliation), but 流泉 访问统计：2005… (the next label)
        before = re.split("[:：]", value)[0].split()
        value = " ".join(before[:-1] if len(before) > 1 else before)
    outside = _PARENTHETICAL.sub(" ", value)  # 周思博 (Joel Spolsky): the name outside the brackets
    names = []
    for part in _NAME_SPLIT.split(outside if outside.strip() else value):
        part = P.ROLE_PREFIX.sub("", part.strip("()（）【】[]〔〕"))
        if not part or P.NOT_A_NAME.match(part):
            continue
        if _HAN_NAME.match(part) or (allow_org and _ORG_NAME.match(part) and len(part) > 4) \
                or (allow_latin and _LATIN_NAME.match(part)):
            names.append(part)
    return names


def _poster(layout: Layout) -> tuple[list[str], str]:
    """The poster named on a forum or blog post's date line (see patterns.POSTER), or on a line after
    the post that repeats its date (由海姑娘张贴 @ 2005-06-14 03:25:55)."""
    day = layout.date_hit.value.date()
    after = [i for i in [*_closing_lines(layout), *credit_lines(layout)[:6]]
             if any(h.value.date() == day for h in find_dates(layout.keys[i]))]
    for i in [layout.date_line, *after]:
        key, line = layout.keys[i], layout.lines[i]
        for rule, rx in P.POSTER:
            m = rx.search(key)
            if m:
                name = line[m.start("name"): m.end("name")].strip("〖〗【】[]")
                if P.NICKNAME.match(name) and not P.NOT_A_NAME.match(name) and not find_dates(name):
                    return [name], rule
    return [], "none"


def _name_glued_to_date(layout: Layout) -> list[str]:
    """谢若含2017-03-01 14:27:02: a writer's name printed straight against the date, nothing else before it."""
    before = layout.keys[layout.date_line][: layout.date_hit.start]
    if _HAN_NAME.match(before) and not P.OUTLET_SHAPE.match(before) and not P.NOT_A_NAME.match(before):
        return [layout.lines[layout.date_line][: layout.date_hit.start]]
    return []


def _names_under_title(layout: Layout) -> list[str]:
    """赵延东、风笑天 or 胡平 alone on the line between the headline (repeated or not) and the text or subtitle."""
    title = layout.title_line
    if title is None:
        return []
    below = [i for i in range(title + 1, min(title + 3, len(layout.keys))) if layout.keys[i] != layout.keys[title]]
    if not below or below[0] >= layout.body_start:
        return []
    nxt = below[0] + 1  # the text, or a subtitle (——对文化革命的政治心理学分析) before it
    key = layout.keys[below[0]]
    if (nxt == layout.body_start or layout.keys[nxt].startswith(("——", "--"))) \
            and P.NAMES_LINE.match(key) and not P.OUTLET_SHAPE.match(key):
        return _names(layout.lines[below[0]])
    return []


def _author_region(layout: Layout) -> list[int]:
    """The header's lines and those between the headline and the header (作者： 周思博 above the date);
    without a header, the headline's line and the lines under it."""
    title = layout.title_line
    lines = header_lines(layout)
    if lines and title is not None and title < lines[0]:
        lines = [*range(title + 1, lines[0]), *lines]
    if not lines and title is not None:
        lines = list(range(title, min(len(layout.keys), title + 4)))
    return lines


def _followed_account(layout: Layout) -> list[str]:
    """管不饿 / 关注 / 2024-05-08 23:23: the account name above a follow button near the date line.
    When the header labels a source (来源：澎湃新闻·澎湃号·政务), the account is the outlet's, not an author."""
    if any(P.LABELED_SOURCE.search(layout.keys[i]) for i in header_lines(layout)):
        return []
    near = range(max(0, layout.date_line - 3), min(len(layout.lines), layout.date_line + 5))
    for i in near:
        if not P.FOLLOW_BUTTON.match(layout.keys[i]):
            continue
        for j in range(i - 1, max(-1, i - 4), -1):
            line = layout.lines[j]
            if j in (layout.date_line, layout.title_line) or re.search(r"\d", line):
                continue  # 粉丝：23文章：11 between the name and the button
            if P.NICKNAME.match(line) and not P.NOT_A_NAME.match(line) and not P.LABEL_ANYWHERE.search(line):
                return [line]
            break
    return []


def _authors(layout: Layout, body_lines: list[str]) -> tuple[list[str], str]:
    for i in _author_region(layout):
        m = P.LABELED_AUTHOR.search(layout.keys[i])
        if m:
            value = _cut_value(layout.lines[i][m.start("value"):])
            names = _names(value, allow_org=True, allow_latin=True)
            if names:
                return names, "labelled_author"
    lead = (body_lines[0], to_simplified(body_lines[0][:80])) if body_lines else None
    if lead:
        names = dateline_reporters(*lead)
        if names:
            return names, "dateline_reporters"
    bylines = [lead] if lead else []
    if layout.date_line is not None:
        below = [layout.date_line + 1] if layout.date_line + 1 < min(len(layout.lines), layout.body_start) else []
        bylines[:0] = [(layout.lines[i], layout.keys[i]) for i in [layout.date_line, *below]]
    for line, key in bylines:
        m = P.SLASH_BYLINE.search(key)
        if m:
            names = _names(line[m.start("names"): m.end("names")])
            if names:
                return names, "slash_byline"
    if layout.date_line is not None and layout.date_hit is not None:
        beside = layout.lines[layout.date_line][layout.date_hit.end:].strip()
        tokens = beside.split()
        if len(tokens) >= 2 and all(_HAN_NAME.match(t) and not P.NOT_A_NAME.match(t) for t in tokens):
            return tokens, "names_beside_date"
        # 2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]: the source is labelled, so the bracketed name is the author.
        after = layout.lines[layout.date_line][layout.date_hit.end:]
        labelled = P.LABELED_SOURCE.search(layout.keys[layout.date_line][layout.date_hit.end:])
        m = re.match(r"^[\[【〔]\s*(?P<name>\S{2,4})\s*[\]】〕]$",
                     _PRIVATE_USE.sub("", after[: labelled.start()]).strip()) if labelled else None
        if m and _names(m.group("name")) and not P.OUTLET_SHAPE.match(m.group("name")):
            return [m.group("name")], "bracketed_name_beside_date"
        names, rule = _poster(layout)
        if names:
            return names, rule
        names = _followed_account(layout)
        if names:
            return names, "followed_account"
        names = _name_glued_to_date(layout)
        if names:
            return names, "name_glued_to_date"
        src_line = layout.date_line + 1
        if not beside and src_line + 1 < len(layout.lines) and _standalone_name(layout, src_line, 10) \
                and _standalone_name(layout, src_line + 1, 4) and clean_source(layout.lines[src_line]) \
                and _names(layout.lines[src_line + 1]):
            return [layout.lines[src_line + 1]], "line_below_source"
    names = _names_under_title(layout)
    if names:
        return names, "names_under_title"
    for i in range(layout.anchor or 0, layout.body_start + 3):  # a byline may follow a lead or subtitle
        if i >= len(layout.keys):
            break
        if re.match(r"^(?:执笔|撰文|文|作者)\s*[/／|︱:：]", layout.keys[i]):
            names = _names(re.split(r"[/／|︱:：]", layout.lines[i], maxsplit=1)[1])
            if names:
                return names, "byline"
        m = P.REPORTER_BYLINE.match(layout.keys[i])  # 半月谈记者 史卫燕
        if m:
            names = _names(layout.lines[i][m.start("value"): m.end("value")])
            if names:
                return names, "reporter_byline"
    for i in credit_lines(layout):
        key, line = layout.keys[i], layout.lines[i]
        m = re.match(rf"^(?:作者|撰文|执笔|文){P.SEP}(?P<value>.+)$", key)
        if m:
            names = _names(_cut_value(line[m.start("value"):]))
            if names:
                return names, "credit_author"
        # 本文来源：21世纪经济报道 作者：何苗 张梦洁, 编辑： 金金 \t 来源： … \t 作者：宋怡 杨志华
        m = P.LABELED_AUTHOR.search(key) if (P.META_LABEL_START.match(key) or key.startswith("本文")) else None
        if m:
            names = _names(_cut_value(line[m.start("value"):]))
            if names:
                return names, "credit_line_author"
        m = re.match(rf"^\S{{0,8}}记者\s*[:：]?\s*(?P<value>{P.NAME}(?:[\s、]+{P.NAME})*?)(?:\s+\S{{0,12}}报道)?$", key)
        if m:
            return _names(line[m.start("value"): m.end("value")]), "reporter_credit"
        m = re.match(r"^[(（]\s*(?:作者|本文作者)(?:系|为|是)(?P<rest>.+?)[)）]?$", key)
        if m:
            tail = P.AUTHOR_AFTER_TITLE.search(line.rstrip(")）"))
            return ([tail.group("name")] if tail else []), "author_note"
    if body_lines:
        m = P.TRAILING_AUTHOR.search(body_lines[-1])
        if m and not m.group("names").endswith("摄"):
            # The pipeline cuts a credit that closes the last paragraph off the body; a credit that is
            # the whole line ((网易财经 张艳)) gets its own rule so that the line is never left empty.
            rule = "trailing_parenthesis" if body_lines[-1][: m.start()].strip() else "closing_credit_line"
            return _names(m.group("names")), rule
    return [], "none"


def authors(layout: Layout, body_lines: list[str]) -> tuple[list[str], str]:
    """The writers, by the first strategy that finds any; the page's own outlet ((网易财经 张艳)) is no writer."""
    names, rule = _authors(layout, body_lines)
    outlet = source(layout)[0] if names else None
    return [n for n in names if n != outlet], rule


def editors(layout: Layout) -> tuple[list[str], str]:
    found: list[str] = []
    for i in header_lines(layout) + credit_lines(layout):
        key, line = layout.keys[i], layout.lines[i]
        for m in P.LABELED_EDITOR.finditer(key):
            value = _TRAILING_LABEL.sub("", line[m.start("value"): m.end("value")])
            for name in _names(_cut_value(value), allow_latin=True):
                if name not in found:
                    found.append(name)
    return found, ("credit_lines" if found else "none")


def views(layout: Layout) -> tuple[int | None, str]:
    """A counter in the header (or between the title and the header), or on a line without sentences
    opening or closing the post (您是本文第 154 个阅览者, 阅读全文(736) | 回复(0))."""
    above = range(layout.title_line, layout.anchor) if layout.title_line is not None and layout.anchor else []
    edges = [*range(layout.body_start, min(layout.body_start + 2, layout.body_stop)),
             *range(max(layout.body_start, layout.body_stop - 2), layout.body_stop)]
    edges = [i for i in edges if len(layout.keys[i]) <= 100 and not re.search("[。！？]", layout.keys[i])]
    for i in [*header_lines(layout), *above, *credit_lines(layout), *edges]:
        key = layout.keys[i]
        if len(key) > 150:
            continue
        m = P.VIEWS_ORDINAL.search(key)
        if m:
            return int(m.group("value").replace(",", "")), "reader_rank"
        m = P.VIEWS.search(key)
        if m:
            value = float(m.group("value").replace(",", ""))
            if m.group("unit"):  # 3.2万, 10w+
                return int(round(value * 10000)), "labelled_views_wan"
            return int(value), "labelled_views"
    return None, "none"


def url(layout: Layout) -> tuple[str | None, str]:
    for key, line in zip(layout.keys, layout.lines):
        m = P.URL_NOTICE.search(line)
        if m:
            return m.group("url").rstrip(".,;"), "repost_notice"
    return None, "none"


def body_meta_lines(layout: Layout) -> list[int]:
    return [i for i in range(layout.body_start, layout.body_stop) if is_meta_line(layout.keys[i])]
