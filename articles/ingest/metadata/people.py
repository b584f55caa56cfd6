"""The people a page credits: writers (bylines, datelines, posters, closing credits) and editors."""
from __future__ import annotations

import re

from .. import patterns as P
from ..dates import find_dates
from ..script import to_simplified
from ..structure import Layout
from .lines import PRIVATE_USE, closing_lines, credit_lines, cut_value, header_lines, standalone_name
from .source import clean_source, source

_NAME_SPLIT = re.compile(r"[、，,&＆/\s]+")
_HAN_NAME = re.compile(rf"^[{P.HAN}·•]{{2,4}}$")
_ORG_NAME = re.compile(rf"^[{P.HAN}·•A-Za-z0-9]{{2,16}}$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{1,23}$")
_PARENTHETICAL = re.compile(r"\s*[(（][^()（）]*(?:[)）]|$)")
_TRAILING_LABEL = re.compile(rf"\s*{P.ANY_LABEL}\s*$")
# Two-character names padded to the width of three: 赵 培, 刘　韬.
_PADDED_NAME = re.compile(rf"(?<![{P.HAN}])([{P.HAN}])[ \u3000]([{P.HAN}])(?![{P.HAN}])")


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


Found = tuple[list[str], str] | None  # (names, rule) ends the chain, even with no names; None goes on


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


def _labelled_author(layout: Layout, body_lines: list[str]) -> Found:
    for i in _author_region(layout):
        m = P.LABELED_AUTHOR.search(layout.keys[i])
        if m:
            names = _names(cut_value(layout.lines[i][m.start("value"):]), allow_org=True, allow_latin=True)
            if names:
                return names, "labelled_author"
    return None


def _dateline(layout: Layout, body_lines: list[str]) -> Found:
    names = dateline_reporters(body_lines[0], to_simplified(body_lines[0][:80])) if body_lines else []
    return (names, "dateline_reporters") if names else None


def _slash_byline(layout: Layout, body_lines: list[str]) -> Found:
    bylines = [(body_lines[0], to_simplified(body_lines[0][:80]))] if body_lines else []
    if layout.date_line is not None:
        below = [layout.date_line + 1] if layout.date_line + 1 < min(len(layout.lines), layout.body_start) else []
        bylines[:0] = [(layout.lines[i], layout.keys[i]) for i in [layout.date_line, *below]]
    for line, key in bylines:
        m = P.SLASH_BYLINE.search(key)
        if m:
            names = _names(line[m.start("names"): m.end("names")])
            if names:
                return names, "slash_byline"
    return None


def _beside_date(layout: Layout, body_lines: list[str]) -> Found:
    beside = layout.lines[layout.date_line][layout.date_hit.end:].strip()
    tokens = beside.split()
    if len(tokens) >= 2 and all(_HAN_NAME.match(t) and not P.NOT_A_NAME.match(t) for t in tokens):
        return tokens, "names_beside_date"
    # 2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]: the source is labelled, so the bracketed name is the author.
    after = layout.lines[layout.date_line][layout.date_hit.end:]
    labelled = P.LABELED_SOURCE.search(layout.keys[layout.date_line][layout.date_hit.end:])
    m = re.match(r"^[\[【〔]\s*(?P<name>\S{2,4})\s*[\]】〕]$",
                 PRIVATE_USE.sub("", after[: labelled.start()]).strip()) if labelled else None
    if m and _names(m.group("name")) and not P.OUTLET_SHAPE.match(m.group("name")):
        return [m.group("name")], "bracketed_name_beside_date"
    return None


def _poster(layout: Layout, body_lines: list[str]) -> Found:
    """The poster named on a forum or blog post's date line (see patterns.POSTER), or on a line after
    the post that repeats its date (由海姑娘张贴 @ 2005-06-14 03:25:55)."""
    day = layout.date_hit.value.date()
    after = [i for i in [*closing_lines(layout), *credit_lines(layout)[:6]]
             if any(h.value.date() == day for h in find_dates(layout.keys[i]))]
    for i in [layout.date_line, *after]:
        key, line = layout.keys[i], layout.lines[i]
        for rule, rx in P.POSTER:
            m = rx.search(key)
            if m:
                name = line[m.start("name"): m.end("name")].strip("〖〗【】[]")
                if P.NICKNAME.match(name) and not P.NOT_A_NAME.match(name) and not find_dates(name):
                    return [name], rule
    return None


def _followed_account(layout: Layout, body_lines: list[str]) -> Found:
    """管不饿 / 关注 / 2024-05-08 23:23: the account name above a follow button near the date line.
    When the header labels a source (来源：澎湃新闻·澎湃号·政务), the account is the outlet's, not an author."""
    if any(P.LABELED_SOURCE.search(layout.keys[i]) for i in header_lines(layout)):
        return None
    for i in range(max(0, layout.date_line - 3), min(len(layout.lines), layout.date_line + 5)):
        if not P.FOLLOW_BUTTON.match(layout.keys[i]):
            continue
        for j in range(i - 1, max(-1, i - 4), -1):
            line = layout.lines[j]
            if j in (layout.date_line, layout.title_line) or re.search(r"\d", line):
                continue  # 粉丝：23文章：11 between the name and the button
            if P.NICKNAME.match(line) and not P.NOT_A_NAME.match(line) and not P.LABEL_ANYWHERE.search(line):
                return [line], "followed_account"
            break
    return None


def _name_glued_to_date(layout: Layout, body_lines: list[str]) -> Found:
    """谢若含2017-03-01 14:27:02: a writer's name printed straight against the date, nothing else before it."""
    before = layout.keys[layout.date_line][: layout.date_hit.start]
    if _HAN_NAME.match(before) and not P.OUTLET_SHAPE.match(before) and not P.NOT_A_NAME.match(before):
        return [layout.lines[layout.date_line][: layout.date_hit.start]], "name_glued_to_date"
    return None


def _line_below_source(layout: Layout, body_lines: list[str]) -> Found:
    """A date alone on its line, the outlet on the next and the writer on the one after."""
    src = layout.date_line + 1
    if layout.lines[layout.date_line][layout.date_hit.end:].strip() or src + 1 >= len(layout.lines):
        return None
    if standalone_name(layout, src, 10) and standalone_name(layout, src + 1, 4) \
            and clean_source(layout.lines[src]) and _names(layout.lines[src + 1]):
        return [layout.lines[src + 1]], "line_below_source"
    return None


def _names_under_title(layout: Layout, body_lines: list[str]) -> Found:
    """赵延东、风笑天 or 胡平 alone on the line between the headline (repeated or not) and the text or subtitle."""
    title = layout.title_line
    if title is None:
        return None
    below = [i for i in range(title + 1, min(title + 3, len(layout.keys))) if layout.keys[i] != layout.keys[title]]
    if not below or below[0] >= layout.body_start:
        return None
    nxt = below[0] + 1  # the text, or a subtitle (——对文化革命的政治心理学分析) before it
    key = layout.keys[below[0]]
    if (nxt == layout.body_start or layout.keys[nxt].startswith(("——", "--"))) \
            and P.NAMES_LINE.match(key) and not P.OUTLET_SHAPE.match(key):
        names = _names(layout.lines[below[0]])
        return (names, "names_under_title") if names else None
    return None


def _header_byline(layout: Layout, body_lines: list[str]) -> Found:
    start = layout.anchor or 0
    if layout.title_line is not None and layout.title_line < start:
        start = layout.title_line + 1  # bylines printed between the headline and the date line
    for i in range(start, min(len(layout.keys), layout.body_start + 3)):  # may follow a lead
        if re.match(r"^(?:执笔|撰文|文|作者)\s*[/／|︱:：]", layout.keys[i]):
            names = _names(re.split(r"[/／|︱:：]", layout.lines[i], maxsplit=1)[1])
            if names:
                return names, "byline"
        names = _reporters(layout, i)  # 半月谈记者 史卫燕; 本报实习生 刘国栋 周炜 / 本报记者 王燕平 on the next line
        if names:
            for j in range(i + 1, min(len(layout.keys), i + 3)):
                more = _reporters(layout, j)
                if not more:
                    break
                names += [n for n in more if n not in names]
            return names, "reporter_byline"
    return None


def _reporters(layout: Layout, i: int) -> list[str]:
    m = P.REPORTER_BYLINE.match(layout.keys[i])
    return _names(layout.lines[i][m.start("value"): m.end("value")]) if m else []


def _credit(layout: Layout, body_lines: list[str]) -> Found:
    for i in credit_lines(layout):
        key, line = layout.keys[i], layout.lines[i]
        m = re.match(rf"^(?:作者|撰文|执笔|文){P.SEP}(?P<value>.+)$", key)
        if m:
            names = _names(cut_value(line[m.start("value"):]))
            if names:
                return names, "credit_author"
        # 本文来源：21世纪经济报道 作者：何苗 张梦洁, 编辑： 金金 \t 来源： … \t 作者：宋怡 杨志华
        m = P.LABELED_AUTHOR.search(key) if (P.META_LABEL_START.match(key) or key.startswith("本文")) else None
        if m:
            names = _names(cut_value(line[m.start("value"):]))
            if names:
                return names, "credit_line_author"
        m = re.match(rf"^\S{{0,8}}记者\s*[:：]?\s*(?P<value>{P.NAME}(?:[\s、]+{P.NAME})*?)(?:\s+\S{{0,12}}报道)?$", key)
        if m:
            return _names(line[m.start("value"): m.end("value")]), "reporter_credit"
        m = re.match(r"^[(（]\s*(?:作者|本文作者)(?:系|为|是)(?P<rest>.+?)[)）]?$", key)
        if m:
            tail = P.AUTHOR_AFTER_TITLE.search(line.rstrip(")）"))
            return ([tail.group("name")] if tail else []), "author_note"
        # （袁源） right under the text: the writer's credit, unless it names an outlet ((中時 )).
        m = re.match(rf"^[(（]\s*(?P<name>{P.NAME})\s*[)）]$", key) if i == layout.body_stop else None
        if m and not P.OUTLET_SHAPE.match(m.group("name")):
            names = _names(line.strip("()（） "))
            if names:
                return names, "bracketed_credit"
    return None


def _trailing_parenthesis(layout: Layout, body_lines: list[str]) -> Found:
    m = P.TRAILING_AUTHOR.search(body_lines[-1]) if body_lines else None
    if not m and layout.body_stop < len(layout.lines):  # the credit line just after the text
        after = P.TRAILING_AUTHOR.match(layout.lines[layout.body_stop])
        if after and not after.group("names").endswith("摄"):
            return _names(after.group("names")), "closing_credit_line"
    if not m or m.group("names").endswith("摄"):
        return None
    # The pipeline cuts a credit that closes the last paragraph off the body; a credit that is the
    # whole line ((网易财经 张艳)) gets its own rule so that the line is never left empty.
    rule = "trailing_parenthesis" if body_lines[-1][: m.start()].strip() else "closing_credit_line"
    return _names(m.group("names")), rule


# The priority chain, most explicit first; the middle ones read the date line.
_AUTHOR_CHAIN = [
    (False, _labelled_author), (False, _dateline), (False, _slash_byline), (True, _beside_date), (True, _poster),
    (True, _followed_account), (True, _name_glued_to_date), (True, _line_below_source), (False, _names_under_title),
    (False, _header_byline), (False, _credit), (False, _trailing_parenthesis),
]


def authors(layout: Layout, body_lines: list[str]) -> tuple[list[str], str]:
    """The writers, by the first strategy that finds any; the page's own outlet ((网易财经 张艳)) is no writer."""
    has_date = layout.date_line is not None and layout.date_hit is not None
    for needs_date, strategy in _AUTHOR_CHAIN:
        found = strategy(layout, body_lines) if has_date or not needs_date else None
        if found is not None:
            names, rule = found
            outlet = source(layout)[0] if names else None
            return [n for n in names if n != outlet], rule
    return [], "none"


def editors(layout: Layout) -> tuple[list[str], str]:
    found: list[str] = []
    for i in header_lines(layout) + credit_lines(layout):
        key, line = layout.keys[i], layout.lines[i]
        for m in P.LABELED_EDITOR.finditer(key):
            value = _TRAILING_LABEL.sub("", line[m.start("value"): m.end("value")])
            for name in _names(cut_value(value), allow_latin=True):
                if name not in found:
                    found.append(name)
    return found, ("credit_lines" if found else "none")
