"""The outlet a page credits: a chain of strategies, placeholders passed over."""
from __future__ import annotations

import re

from .. import patterns as P
from ..structure import Layout
from .lines import PRIVATE_USE, closing_lines, credit_lines, cut_value, header_lines, standalone_name

# 21世纪经济报道(广州): the branch or city after an outlet is not part of its name (海外版 is).
_BRANCH = re.compile(rf"\s*[(（](?![^()（）]*版)[{P.HAN}]{{1,6}}[)）]?$")


def clean_source(raw: str) -> str | None:
    """The outlet named in a source value; None when the value is no name at all (size="20", ')', 相关内容)."""
    value = cut_value(PRIVATE_USE.sub("", raw))
    value = _BRANCH.sub("", value).strip("《》<>【】[]()（） ")
    if P.NOT_A_SOURCE.match(value):
        return None
    for opening, closing in ("（）", "()"):  # 人民日报（海外版: give back the bracket cut_value took
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


def _reprinted_from(layout: Layout) -> str | None:
    """转自《北京科技报》 closing the article, or just after it; a book (《…》，某某编著，…出版社) is no outlet."""
    for i in [*closing_lines(layout), *credit_lines(layout)]:
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
    counter = P.VIEWS.search(layout.keys[date_line][hit.end:])  # 2004-12-10  阅读10544次: a count, no outlet
    if len(tokens) == 1 and not P.LABEL_ANYWHERE.search(tokens[0]) and len(tokens[0]) <= 20 \
            and not re.search(r"发表|发布|张贴|回复", tokens[0]) and not counter:
        yield clean_source(tokens[0]), "beside_date"
    above = date_line - 1  # Yahoo's provider line: 法新社 / 2024年5月20日週一 下午2:05
    if above >= 0 and above != layout.title_line:
        name = layout.lines[above]
        if P.OUTLET_SHAPE.match(re.split(r"\s*[-－]\s*", layout.keys[above])[0]) and len(name) <= 16:
            yield clean_source(name), "line_above_date"
    nxt = date_line + 1
    if not tokens and nxt < len(layout.lines):
        if standalone_name(layout, nxt, maxlen=10):
            yield clean_source(layout.lines[nxt]), "line_below_date"
        byline = P.SLASH_BYLINE.match(layout.keys[nxt])  # 北京日报客户端 | 记者 孙杰
        if byline and byline.group("source"):
            yield layout.lines[nxt][byline.start("source"): byline.end("source")], "byline_outlet"


def _source_candidates(layout: Layout):
    """(value, rule) in order of trust; a value may be None (the strategy found only junk)."""
    for value in _labelled_sources(layout, header_lines(layout), anywhere=True):
        yield value, "labelled_source"
    for i in [*closing_lines(layout), *credit_lines(layout)]:
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
