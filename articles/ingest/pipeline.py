"""parse(): bytes in, a frozen ArticleDraft out, through small named steps."""
from __future__ import annotations

import hashlib
import re
from operator import itemgetter
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import rjieba

from . import metadata
from .checks import checked
from . import patterns as P
from .decode import decode_bytes, html_to_text
from .dedup import bands, simhash
from .segment import index_tokens
from .regions import _FOREIGN as FOREIGN
from .regions import Gazetteer, choose_regions, score_regions
from .script import fold_text, to_simplified
from .blocks import strip_end_mark
from .structure import Layout, find_anchor, find_body, find_date_line, find_title, score_lines
from .tagging import Vocabulary, extract_tags

HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class ArticleDraft:
    filename: str
    sha256: str
    encoding: str
    raw_text: str
    title: str
    published_at: datetime | None
    date_only: bool
    source: str | None
    authors: tuple[str, ...]
    editors: tuple[str, ...]
    views: int | None
    url: str | None
    language: str
    regions: tuple[str, ...]
    region_codes: tuple[str, ...]
    tags: tuple[str, ...]
    body: str
    summary: str
    warnings: tuple[str, ...]
    rules: tuple[tuple[str, str], ...]
    fingerprint: int
    fingerprint_bands: tuple[int, int, int, int]
    # Segmented title and body for the search index, made only when parse() is asked for them
    # (the importer's worker processes), so the main process never segments.
    index_tokens: tuple[str, str] | None = None

    @property
    def rules_dict(self) -> dict[str, str]:
        return dict(self.rules)


def _language(text: str, simplified: str) -> str:
    """zh-Hant when more than 3% of the hanzi change under traditional-to-simplified conversion."""
    head, simple_head = text[:3000], simplified[:3000]
    if head == simple_head:  # no hanzi changed (most pages): nothing to count
        return "zh-Hans"
    if len(head) != len(simple_head):  # a phrase conversion changed the length: compare the hanzi alone
        hanzi = "".join(c for c in head if "\u4e00" <= c <= "\u9fff")
        simple_head, head = to_simplified(hanzi), hanzi
    if len(head) != len(simple_head):
        return "zh-Hans"
    a = np.frombuffer(head.encode("utf-32-le"), dtype=np.uint32)
    b = np.frombuffer(simple_head.encode("utf-32-le"), dtype=np.uint32)
    hanzi = (a >= 0x4E00) & (a <= 0x9FFF)
    total = int(hanzi.sum())
    if not total:
        return "zh-Hans"
    changed = int((hanzi & (a != b)).sum())
    return "zh-Hant" if changed / total > 0.03 else "zh-Hans"


def _simplified_lines(lines: list[str]) -> list[str]:
    """The lines in simplified script, converted in one call (OpenCC never joins across a newline)."""
    keys = to_simplified("\n".join(lines)).split("\n")
    return keys if len(keys) == len(lines) else [to_simplified(line) for line in lines]


# Dated by the month of the issue it was printed in: stored as the 1st, which the editor should know.
ISSUE_MONTH_WARNING = "only the month of the issue is printed: dated the 1st"
_BLANKS = " \t\u3000\u00a0\u200b"
_ICON = re.compile("[\ue000-\uf8ff]")


def _has_icons(text: str) -> bool:
    """_ICON.search(text), over the code points in NumPy: the regex tests a page one character at a time."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return bool(((codes >= 0xE000) & (codes <= 0xF8FF)).any())


def _lines(text: str) -> tuple[list[str], list[bool], list[bool]]:
    """The non-empty lines, stripped; for each whether a blank line stands beside it (paragraphs
    are printed with blank lines around them; menus and lists are not), and whether it follows
    the line before it directly (no blank line between)."""
    if _has_icons(text):  # icon-font glyphs (private-use code points) carry no text
        text = _ICON.sub("", text)
    raw = [line.strip(_BLANKS) for line in text.split("\n")]
    lines, alone, joined = [], [], []
    for i, line in enumerate(raw):
        if line:
            lines.append(line)
            alone.append((i > 0 and not raw[i - 1]) or (i + 1 < len(raw) and not raw[i + 1]))
            joined.append(len(lines) > 1 and bool(raw[i - 1]))
    return lines, alone, joined


def _edited(pair: tuple[str, str], line: str) -> tuple[str, str]:
    return pair if line == pair[0] else (line, to_simplified(line) if line else "")


def _split_at_lead(tagged: list[tuple[str, str]], size: int, lead: str, rest: str) -> dict[str, list[str]]:
    """The body's words as two zones: the lead line, and the rest after its blank line."""
    words = list(map(itemgetter(0), tagged))
    offset = size + 2  # the lead, then "\n\n"
    in_lead = after = position = 0
    for word in words:  # only as far as the rest's first word
        if position >= offset:
            break
        position += len(word)
        after += 1
        if position <= size:
            in_lead += 1
    return {lead: words[:in_lead], rest: words[after:]}


def parse(data: bytes, filename: str, *, gazetteer: Gazetteer, vocabulary: Vocabulary,
          tz: str = "Asia/Shanghai", with_index_tokens: bool = False) -> ArticleDraft:
    text, encoding = decode_bytes(data, filename)
    html_title = None
    if filename.lower().endswith(HTML_SUFFIXES) or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        text, html_title = html_to_text(text)
    lines, alone, joined = _lines(text)
    layout = Layout(lines=lines, keys=_simplified_lines(lines), alone=alone, joined=joined)
    rules: dict[str, str] = {"encoding": encoding}

    score_lines(layout)
    find_date_line(layout)
    find_anchor(layout)
    find_title(layout, html_title)
    find_body(layout)
    rules.update(title=layout.title_rule, body=f"start:{layout.body_start}/stop:{layout.stop_rule or 'end'}")

    # The body's lines with their simplified keys (converted once, with the page).
    pairs = [(lines[i], layout.keys[i]) for i in layout.body_index]
    if pairs:
        pairs[-1] = _edited(pairs[-1], strip_end_mark(pairs[-1][0]))
    body_lines = [line for line, _ in pairs if line]
    authors, rules["authors"] = metadata.authors(layout, body_lines)
    if rules["authors"] == "trailing_parenthesis":
        pairs = [pair for pair in pairs if pair[0]]
        pairs[-1] = _edited(pairs[-1], P.TRAILING_AUTHOR.sub("", pairs[-1][0]).rstrip())
    pairs = [pair for pair in pairs if pair[0]]  # a credit or mark that was the whole last line
    body_lines = [line for line, _ in pairs]
    source, rules["source"] = metadata.source(layout)
    editors, rules["editors"] = metadata.editors(layout)
    views, rules["views"] = metadata.views(layout)
    url, rules["url"] = metadata.url(layout)

    warnings = list(layout.warnings)
    published_at, date_only = None, False
    if layout.date_hit:
        hit = layout.date_hit
        published_at = hit.value.replace(tzinfo=ZoneInfo(tz))
        date_only = not hit.has_time
        rules["published_at"] = layout.date_rule
    elif layout.issue_month:
        published_at, date_only = layout.issue_month.value.replace(tzinfo=ZoneInfo(tz)), True
        rules["published_at"] = "issue_month"
        warnings.append(ISSUE_MONTH_WARNING)
    else:
        warnings.append("no date found")
        rules["published_at"] = "none"
    if not source:
        warnings.append("no source found")
    body = "\n\n".join(body_lines)
    if not body:
        warnings.append("no body found")
    elif body.rstrip()[-1] not in P.END_PUNCT:  # the last line may be empty once a trailing author is cut
        warnings.append("body looks truncated")
    elif len(body) < 80:
        warnings.append("body is very short")

    # Convert the body once; every rule below reads the simplified text.
    simple_title = to_simplified(layout.title)
    simple_lines = [key for _, key in pairs]
    simple_body = "\n\n".join(simple_lines)
    # The body is segmented once: its words give the keywords and, split at the lead, the places.
    body_tagged = rjieba.tag(simple_body)
    zones = [("title", simple_title), ("source", to_simplified(source or ""))]
    segmented = {}
    if simple_lines:
        lead, rest = simple_lines[0], "\n\n".join(simple_lines[1:])
        zones += [("lead", lead), ("body", rest)]
        segmented = _split_at_lead(body_tagged, len(lead), lead, rest)
    credit = [layout.keys[i] for i in metadata.credit_lines(layout)[:3] if P.BODY_STOPS[3][1].search(layout.keys[i])]
    zones += [("credit", c) for c in credit]
    scores = score_regions(gazetteer, zones, segmented)
    codes = choose_regions(gazetteer, scores, references=simple_body)
    rules["regions"] = "weighted_mentions" if codes else "none"
    if not codes:
        footer = [k for k in layout.keys[layout.body_stop:] if "地址" in k or "版权所有" in k or "主办" in k]
        codes = choose_regions(gazetteer, score_regions(gazetteer, [("footer", f) for f in footer]), minimum=1.0)
        if codes:
            rules["regions"] = "site_footer"
            warnings.append("region guessed from the site's footer")
    # Places belong in regions, not tags.
    tags = [t for t in extract_tags(simple_title, simple_body, vocabulary, limit=8, simplified=True,
                                    body_tagged=body_tagged)
            if t not in gazetteer.names and not FOREIGN.fullmatch(t)][:5]
    rules["tags"] = "tfidf"
    language = _language(body, simple_body) if body else _language(text, to_simplified(text))
    folded = fold_text(body, simple_body) if body else fold_text(text)  # the fingerprint's and the index's text
    fingerprint = simhash(body or text, folded=folded)
    title = layout.title or (body_lines[0][:60] if body_lines else filename)
    tokens = None
    if with_index_tokens:
        tokens = (" ".join(index_tokens(fold_text(title))), " ".join(index_tokens(folded)) if body else "")
    return checked(ArticleDraft(
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        raw_text=text,
        title=title,
        published_at=published_at,
        date_only=date_only,
        source=source,
        authors=tuple(authors),
        editors=tuple(editors),
        views=views,
        url=url,
        language=language,
        regions=tuple(gazetteer.path(c) for c in codes),
        region_codes=tuple(codes),
        tags=tuple(tags),
        body=body,
        summary=body_lines[0] if body_lines else "",
        warnings=tuple(warnings),
        rules=tuple(sorted(rules.items())),
        fingerprint=fingerprint,
        fingerprint_bands=bands(fingerprint),
        index_tokens=tokens,
    ))


def draft_to_record(draft: ArticleDraft | None, *, file: str, status: str, error: str | None = None) -> dict:
    """The JSON Lines record of `import_texts --json`: exactly these keys."""
    if draft is None:
        return {"file": file, "status": status, "error": error, "title": None, "published_at": None,
                "source": None, "authors": [], "editors": [], "views": None, "url": None, "regions": [],
                "tags": [], "language": None, "body": None, "warnings": []}
    when = None
    if draft.published_at:
        when = draft.published_at.date().isoformat() if draft.date_only else draft.published_at.isoformat()
        if ISSUE_MONTH_WARNING in draft.warnings:
            when = when[:7]  # the page gives a month only
    return {
        "file": file, "status": status, "error": error, "title": draft.title, "published_at": when,
        "source": draft.source, "authors": list(draft.authors), "editors": list(draft.editors),
        "views": draft.views, "url": draft.url, "regions": list(draft.regions), "tags": list(draft.tags),
        "language": draft.language, "body": draft.body, "warnings": list(draft.warnings),
    }
