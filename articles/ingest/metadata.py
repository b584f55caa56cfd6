"""Fields read from labelled lines: source, authors, editors, views, url. Each returns (value, rule)."""
from __future__ import annotations

import re

from . import patterns as P
from .script import to_simplified
from .structure import Layout, is_meta_line

_NAME_SPLIT = re.compile(r"[、，,&＆/\s]+")
_HAN_NAME = re.compile(rf"^[{P.HAN}·•]{{2,4}}$")
_ORG_NAME = re.compile(rf"^[{P.HAN}·•A-Za-z0-9]{{2,16}}$")
_CLEAN_VALUE = re.compile(r"^[\s:：|︱]+|[\s,，。;；|]+$")


def header_lines(layout: Layout) -> list[int]:
    """Indices of the header's metadata lines: from the anchor to the body, and the date line."""
    idx = set()
    if layout.anchor is not None:
        idx.update(range(layout.anchor, layout.body_start))
    if layout.date_line is not None:
        idx.add(layout.date_line)
    return sorted(i for i in idx if i < len(layout.keys))


def credit_lines(layout: Layout) -> list[int]:
    """Lines just after the body, where credits, editors and counters are printed."""
    return list(range(layout.body_stop, min(len(layout.keys), layout.body_stop + 12)))


def _cut_value(text: str) -> str:
    m = P.NEXT_LABEL.search(text)
    value = text[: m.start()] if m else text
    for hit in re.finditer(r"(?:19|20)\d{2}[-/.年]", value):
        value = value[: hit.start()]
        break
    return _CLEAN_VALUE.sub("", value).strip("《》<>【】[]()（） ")


def _labelled_source(layout: Layout, indices: list[int], *, anywhere: bool) -> str | None:
    for i in indices:
        key, line = layout.keys[i], layout.lines[i]
        m = (P.LABELED_SOURCE.search if anywhere else P.LABELED_SOURCE.match)(key)
        if m:
            value = _cut_value(line[m.start("value"):])
            if value:
                return value
    return None


def source(layout: Layout) -> tuple[str | None, str]:
    value = _labelled_source(layout, header_lines(layout), anywhere=True)
    if value:
        return value, "labelled_source"
    for i in credit_lines(layout):
        m = re.match(r"^《(?P<name>[^》]{2,20})》\s*(?:19|20)\d{2}\s*年\s*第\s*\d+\s*期", layout.lines[i])
        if m:
            return m.group("name"), "journal_issue"
    if layout.date_line is not None and layout.date_hit is not None:
        beside = layout.lines[layout.date_line][layout.date_hit.end:].strip()
        byline = P.SLASH_BYLINE.search(layout.keys[layout.date_line][layout.date_hit.end:])
        if byline and byline.group("source"):
            start = layout.date_hit.end + byline.start("source")
            return layout.lines[layout.date_line][start: start + len(byline.group("source"))], "byline_outlet"
        tokens = [t for t in beside.split() if t and not P.NOT_A_SOURCE.match(t)]
        if len(tokens) == 1 and not P.LABEL_ANYWHERE.search(tokens[0]) and len(tokens[0]) <= 20:
            return tokens[0].strip("《》"), "beside_date"
        nxt = layout.date_line + 1
        if not tokens and nxt < len(layout.lines):
            if _standalone_name(layout, nxt, maxlen=10):
                return layout.lines[nxt], "line_below_date"
            byline = P.SLASH_BYLINE.match(layout.keys[nxt])  # 北京日报客户端 | 记者 孙杰
            if byline and byline.group("source"):
                return layout.lines[nxt][byline.start("source"): byline.end("source")], "byline_outlet"
    value = _labelled_source(layout, credit_lines(layout), anywhere=False)  # 来源：南京发布 after the body
    if value:
        return value, "labelled_source_after_body"
    if layout.body_start < layout.body_stop:  # the wire service of the lead: 新华社杭州5月11日电, （中央社记者…电）
        lead = layout.keys[layout.body_start]
        m = P.DATELINE.match(lead) or P.DATELINE_INSIDE.match(lead)
        if m and m.group("agency"):
            return layout.lines[layout.body_start][m.start("agency"):m.end("agency")], "dateline_agency"
        m = P.NEWS_FLASH.match(lead)  # 【香港文汇报讯】
        if m and not P.OWN_OUTLET.match(m.group("agency")):
            return layout.lines[layout.body_start][m.start("agency"):m.end("agency")], "news_flash"
    return None, "none"


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


def _names(value: str, *, allow_org: bool = False) -> list[str]:
    names = []
    for part in _NAME_SPLIT.split(value):
        part = part.strip("()（）【】[]")
        if _HAN_NAME.match(part) or (allow_org and _ORG_NAME.match(part) and len(part) > 4):
            names.append(part)
    return names


def authors(layout: Layout, body_lines: list[str]) -> tuple[list[str], str]:
    for i in header_lines(layout):
        m = P.LABELED_AUTHOR.search(layout.keys[i])
        if m:
            value = _cut_value(layout.lines[i][m.start("value"):])
            names = _names(value, allow_org=True)
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
        if len(tokens) >= 2 and all(_HAN_NAME.match(t) for t in tokens):
            return tokens, "names_beside_date"
        src_line = layout.date_line + 1
        if not beside and src_line + 1 < len(layout.lines) and _standalone_name(layout, src_line, 10) \
                and _standalone_name(layout, src_line + 1, 4):
            return [layout.lines[src_line + 1]], "line_below_source"
    for i in range(layout.anchor or 0, layout.body_start + 1):
        if i < len(layout.keys) and re.match(r"^(?:执笔|撰文|文|作者)\s*[/／|︱:：]", layout.keys[i]):
            names = _names(re.split(r"[/／|︱:：]", layout.lines[i], maxsplit=1)[1])
            if names:
                return names, "byline"
    for i in credit_lines(layout):
        key, line = layout.keys[i], layout.lines[i]
        m = re.match(rf"^(?:作者|撰文|执笔|文){P.SEP}(?P<value>.+)$", key)
        if m:
            names = _names(line[m.start("value"):])
            if names:
                return names, "credit_author"
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
            return _names(m.group("names")), "trailing_parenthesis"
    return [], "none"


def editors(layout: Layout) -> tuple[list[str], str]:
    found: list[str] = []
    for i in header_lines(layout) + credit_lines(layout):
        key, line = layout.keys[i], layout.lines[i]
        for m in P.LABELED_EDITOR.finditer(key):
            for name in _names(line[m.start("value"): m.end("value")]):
                if name not in found:
                    found.append(name)
    return found, ("credit_lines" if found else "none")


def views(layout: Layout) -> tuple[int | None, str]:
    for i in header_lines(layout) + credit_lines(layout):
        key = layout.keys[i]
        if len(key) > 150:
            continue
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
