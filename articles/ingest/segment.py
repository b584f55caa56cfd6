"""Chinese word segmentation shared by the search index and search queries.

rjieba (Rust port of jieba, same dictionary and tokens, ~28x faster) segments
text after NFKC and traditional-to-simplified normalisation, so a 简体 query
matches 繁體 text and back.
"""
from __future__ import annotations

import re
import unicodedata

import rjieba

from .script import to_simplified

_WORD = re.compile(r"[\w]", re.UNICODE)


def normalize(text: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", text or "")).casefold()


def index_tokens(normalized: str) -> list[str]:
    """segment() of text already passed through normalize()."""
    return [t for t in rjieba.cut_for_search(normalized) if _WORD.search(t)]


def segment(text: str) -> list[str]:
    """Tokens for indexing: words plus their sub-words (cut_for_search), punctuation dropped."""
    return index_tokens(normalize(text))
