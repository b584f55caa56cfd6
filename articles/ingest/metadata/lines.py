"""Where metadata is printed on a page (the header, the credits after the body) and how a value is cut."""
from __future__ import annotations

import re

from .. import patterns as P
from ..structure import Layout

_CLEAN_VALUE = re.compile(r"^[\s:：|︱]+|[\s,，。;；|]+$")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # icon-font glyphs copied with the text


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
    line closing the body (本文来源：投资快报 作者：孙宁 责任编辑：NF041) that the body step kept.
    Found once, when the body is known (the metadata steps come after it), for every field that reads them."""
    if layout.credits is None:
        layout.credits = tuple(_credit_lines(layout))
    return list(layout.credits)


def _credit_lines(layout: Layout) -> list[int]:
    closing = [i for i in range(max(layout.body_start, layout.body_stop - 2), layout.body_stop)
               if len(layout.keys[i]) <= 80 and P.META_LABEL_START.search(layout.keys[i].removeprefix("本文"))]
    near = range(layout.body_stop, min(len(layout.keys), layout.body_stop + 12))
    # A line of several labels (本文来源：投资快报 作者：孙宁 责任编辑：NF041) is a credit even after a promo block.
    later = [i for i in range(near.stop, min(len(layout.keys), layout.body_stop + 24)) if _full_credit(layout.keys[i])]
    return closing + list(near) + later


def _full_credit(key: str) -> bool:
    return len(key) <= 80 and bool(P.META_LABEL_START.match(key.removeprefix("本文"))) \
        and len(P.LABEL_ANYWHERE.findall(key)) >= 2


def closing_lines(layout: Layout) -> range:
    """The body's last lines, where a credit may close the article."""
    return range(max(layout.body_start, layout.body_stop - 3), layout.body_stop)


def cut_value(text: str) -> str:
    m = P.NEXT_LABEL.search(text)
    value = text[: m.start()] if m else text
    for hit in re.finditer(r"(?:19|20)\d{2}[-/.年]", value):
        value = value[: hit.start()]
        break
    return _CLEAN_VALUE.sub("", value).strip("《》<>【】[]()（） ")


def standalone_name(layout: Layout, i: int, maxlen: int) -> bool:
    line = layout.lines[i]
    return bool(re.fullmatch(rf"[{P.HAN}A-Za-z·]{{2,{maxlen}}}", line)) and not P.BODY_NOISE.match(layout.keys[i])
