"""Counters and links a page prints about itself: views, the original URL."""
from __future__ import annotations

import re

from .. import patterns as P
from ..structure import Layout
from .lines import credit_lines, header_lines




def views(layout: Layout) -> tuple[int | None, str]:
    """A counter in the header (or just above it), or on a line without sentences
    opening or closing the post (您是本文第 154 个阅览者, 阅读全文(736) | 回复(0))."""
    above = []  # the headline's lines down to the header, or the few lines above the header
    if layout.anchor is not None:
        title_above = layout.title_line is not None and layout.title_line < layout.anchor
        top = layout.title_line if title_above else layout.anchor
        above = range(max(0, min(top, layout.anchor - 3)), layout.anchor)
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
            digits = m.group("value").replace(",", "")
            if m.group("unit"):  # 3.2万, 10w+
                return int(round(float(digits) * 10000)), "labelled_views_wan"
            return int(float(digits)) if "." in digits else int(digits), "labelled_views"  # exact, however long
    return None, "none"


def url(layout: Layout) -> tuple[str | None, str]:
    for key, line in zip(layout.keys, layout.lines, strict=True):
        # The simplified key, as every rule matches (原文鏈接 is 原文链接); a notice holds its address,
        # and the substring test spares the regex the many lines with none.
        m = "http" in key and P.URL_NOTICE.search(key)
        if m:
            # The address as the line wrote it (simplifying leaves ASCII alone; should it not, the line's own).
            found = m.group("url") if m.group("url") in line else next(iter(P.URL.findall(line)), m.group("url"))
            return found.rstrip(".,;"), "repost_notice"
    return None, "none"
