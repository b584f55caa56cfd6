"""Where things are on the page: the metadata anchor, the title, the body's first and last lines."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import patterns as P
from .dates import DateHit, find_dates


@dataclass
class Layout:
    lines: list[str]  # original lines, stripped, non-empty
    keys: list[str]  # the same lines in simplified script, for matching rules
    date_line: int | None = None
    date_hit: DateHit | None = None
    date_rule: str = ""
    anchor: int | None = None
    title: str = ""
    title_rule: str = ""
    title_line: int | None = None
    body_start: int = 0
    body_stop: int = 0
    stop_rule: str = ""
    warnings: list[str] = field(default_factory=list)


def _is_sentence(line: str) -> bool:
    return len(line) >= 40 and sum(line.count(p) for p in "，。,") >= 2


def score_date_line(key: str, hit: DateHit) -> float:
    score = 1.0
    before = key[max(0, hit.start - 8): hit.start]
    if P.LABELED_TIME.search(before + "：") and any(lbl in before for lbl in ("时间", "日期")):
        score += 3
    if P.LABELED_SOURCE.search(key) or "来源" in key:
        score += 2
    if hit.has_time:
        score += 1
    if P.VIEWS.search(key) or "作者" in key or "编辑" in key:
        score += 1
    if len(key) - (hit.end - hit.start) <= 3:
        score += 0.5
    return score


def find_date_line(layout: Layout) -> None:
    best = None
    for i, key in enumerate(layout.keys):
        if len(key) > 150 or _is_sentence(key):
            continue
        hits = find_dates(key)
        if not hits:
            continue
        hit = hits[0]
        score = score_date_line(key, hit)
        if best is None or score > best[0]:
            best = (score, i, hit)
    if best:
        layout.date_line, layout.date_hit = best[1], best[2]
        layout.date_rule = f"{best[2].rule}:score{best[0]:g}"


def is_meta_line(key: str) -> bool:
    if len(key) > 120 or _is_sentence(key):
        return False
    return bool(P.META_LABEL_START.search(key) or (P.LABEL_ANYWHERE.search(key) and find_dates(key)))


def find_anchor(layout: Layout) -> None:
    """The first metadata line of the article header (date line, or a labelled line above it)."""
    limit = layout.date_line if layout.date_line is not None else min(len(layout.keys), 40)
    for i in range(limit):
        key = layout.keys[i]
        if is_meta_line(key) and (P.LABELED_SOURCE.search(key) or P.LABELED_TIME.search(key)):
            layout.anchor = i
            return
    layout.anchor = layout.date_line


def _han_share(text: str) -> float:
    return sum("\u4e00" <= c <= "\u9fff" for c in text) / max(1, len(text))


def _title_like(line: str, key: str) -> bool:
    if len(line) < 5 or len(line) > 120 or _han_share(line) < 0.4:
        return False
    if P.BREADCRUMB.search(key) or P.MENU.search(line) or is_meta_line(key):
        return False
    if _is_sentence(line) and line.endswith("。"):
        return False
    return not any(rule.search(key) for _, rule in P.BODY_STOPS)


def find_title(layout: Layout, html_title: str | None = None) -> None:
    lines, keys = layout.lines, layout.keys
    if layout.anchor is not None:
        # Up to seven lines above the metadata; paragraphs in between are skipped over, since
        # some sites print the metadata after the body.
        looked = 0
        for i in range(layout.anchor - 1, -1, -1):
            if _is_sentence(lines[i]) and lines[i][-1] in P.END_PUNCT:
                continue
            if _title_like(lines[i], keys[i]):
                layout.title, layout.title_line, layout.title_rule = lines[i], i, "line_above_meta"
                _join_wrapped_title(layout, i)
                break
            looked += 1
            if looked >= 7:
                break
        if not layout.title:  # some pages print the date line above the headline
            for i in range(layout.anchor + 1, min(len(lines), layout.anchor + 4)):
                if _title_like(lines[i], keys[i]) and lines[i][-1] not in "。；;":
                    layout.title, layout.title_line, layout.title_rule = lines[i], i, "line_below_meta"
                    break
    if not layout.title:
        if html_title:
            layout.title, layout.title_rule = html_title.split("_")[0].split(" - ")[0].strip(), "html_title"
        else:
            for i, line in enumerate(lines[:30]):
                if _title_like(line, keys[i]) and not line.endswith("。"):
                    layout.title, layout.title_line, layout.title_rule = line, i, "first_title_like_line"
                    break
        layout.warnings.append("title guessed")
    _prefer_original_title(layout)


def _join_wrapped_title(layout: Layout, i: int) -> None:
    """A headline wrapped over two lines, or a headline followed by its subtitle."""
    if i == 0:
        return
    above, title = layout.lines[i - 1], layout.title
    if (
        _title_like(above, layout.keys[i - 1])
        and len(above) >= 8
        and above[-1] not in P.END_PUNCT
        and title not in above
        and layout.lines.count(above) == 1
    ):
        layout.title = f"{above} {title}" if _ends_wordlike(above) else above + title
        layout.title_line = i - 1
        layout.title_rule = "wrapped_over_two_lines"


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


def _paragraph_like(line: str) -> bool:
    return line[-1] in P.END_PUNCT or len(line) >= 25


def find_body(layout: Layout) -> None:
    start = 0
    if layout.anchor is not None:
        start = layout.anchor + 1
    elif layout.title_line is not None:
        start = layout.title_line + 1
    first, stop, rule = _scan_body(layout, start, len(layout.lines))
    title_line, anchor = layout.title_line, layout.anchor
    if stop <= first and title_line is not None and anchor is not None and title_line < anchor:
        # Nothing after the metadata: the body stands between the headline and the metadata.
        first, stop, rule = _scan_body(layout, title_line + 1, anchor)
        rule = rule or "metadata_after_body"
    layout.body_start, layout.body_stop, layout.stop_rule = first, stop, rule or layout.stop_rule


def _scan_body(layout: Layout, start: int, end: int) -> tuple[int, int, str]:
    """(first, stop, stop rule) of the body looked for in lines[start:end]."""
    lines, keys = layout.lines, layout.keys
    title_key = keys[layout.title_line] if layout.title_line is not None else None
    first = start
    for j in range(start, min(end, start + 15)):
        key = keys[j]
        if is_meta_line(key) or key == title_key or P.BODY_NOISE.match(key) or P.ORIGINAL_TITLE.match(key):
            continue
        if any(rx.search(key) for _, rx in P.BODY_STOPS):
            continue
        if P.LABEL_ANYWHERE.match(key) or key.startswith("执笔"):
            continue
        if _paragraph_like(lines[j]) and not P.BREADCRUMB.search(key):
            first = j
            break
    else:
        first = start
    header = set(keys[:first])
    stop, stop_rule = end, ""
    for j in range(first, end):
        key = keys[j]
        rule = next((name for name, rx in P.BODY_STOPS if rx.search(key)), None)
        if rule is None and j > first and len(key) >= 6 and key in header and not P.BODY_NOISE.match(key):
            rule = "repeated_header_line"
        if rule:
            stop, stop_rule = j, rule
            break
    while stop > first and not _paragraph_like(lines[stop - 1]):
        stop -= 1
    return first, max(first, stop), stop_rule
