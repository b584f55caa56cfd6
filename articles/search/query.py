"""Query parsing and snippet highlighting, shared by every backend."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from articles.ingest.script import fold_text, to_traditional
from articles.ingest.segment import segment

_PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”|「([^」]+)」')


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...]  # ANDed tokens
    phrases: tuple[tuple[str, ...], ...]  # each phrase: tokens that must be adjacent

    @property
    def empty(self) -> bool:
        return not self.terms and not self.phrases

    @property
    def all_tokens(self) -> tuple[str, ...]:
        return self.terms + tuple(t for p in self.phrases for t in p)


def parse_query(text: str) -> ParsedQuery:
    """Quoted parts are phrases; everything else is segmented into ANDed tokens."""
    text = (text or "").strip()[:200]
    phrases = []
    for m in _PHRASE.finditer(text):
        tokens = tuple(segment(next(g for g in m.groups() if g)))
        if tokens:
            phrases.append(tokens)
    rest = _PHRASE.sub(" ", text)
    terms = tuple(dict.fromkeys(segment(rest)))
    return ParsedQuery(terms=terms, phrases=tuple(phrases))


@dataclass(frozen=True)
class SearchFilters:
    tag_id: int | None = None
    region_ids: tuple[int, ...] = ()
    source_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    public_only: bool = True  # the editors' desk searches drafts too

    @property
    def narrowed(self) -> bool:
        """Whether the reader narrowed the search to part of the collection (a tag, region, source or dates)."""
        return bool(self.tag_id or self.region_ids or self.source_id or self.date_from or self.date_to)


@dataclass
class SearchHits:
    ids: list[int] = field(default_factory=list)  # the requested page, in order
    total: int = 0  # every match, counted or (exact False) estimated
    exact: bool = True

    @property
    def rounded_total(self) -> int:
        """The total as a reader should see it: an estimate to two significant figures."""
        if self.exact or self.total < 100:
            return self.total
        step = 10 ** (len(str(self.total)) - 2)
        return round(self.total / step) * step


def _needles(query: ParsedQuery) -> list[str]:
    words = {t for t in query.all_tokens if t}
    return sorted(words, key=len, reverse=True)


def highlight(text: str, query: ParsedQuery, *, width: int = 140) -> SafeString:
    """An escaped snippet of text around the first match, matches wrapped in <mark>."""
    text = text or ""
    needles = _needles(query)
    # fold_text() keeps length for nearly all CJK text, so offsets map back to the original.
    norm = fold_text(text)
    if len(norm) != len(text):
        norm = text.casefold()
        needles = sorted({*needles, *(to_traditional(n) for n in needles)}, key=len, reverse=True)
    spans = _find_spans(norm, needles)
    start = 0
    if spans:
        start = max(0, spans[0][0] - width // 4)
    end = min(len(text), start + width)
    out = SafeString("…" if start > 0 else "")
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out += escape(text[pos:s])
        out += format_html("<mark>{}</mark>", text[s:e])
        pos = e
    out += escape(text[pos:end])
    if end < len(text):
        out += SafeString("…")
    return out


def _find_spans(haystack: str, needles: list[str]) -> list[tuple[int, int]]:
    if not needles:
        return []
    pattern = re.compile("|".join(re.escape(n) for n in needles))
    return [(m.start(), m.end()) for m in pattern.finditer(haystack)]
