"""Script conversion and comparison keys (OpenCC's C++ binding)."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s.json")
_S2T = opencc.OpenCC("s2t.json")


def to_simplified(text: str) -> str:
    return _T2S.convert(text) if text else text


def to_traditional(text: str) -> str:
    return _S2T.convert(text) if text else text


@lru_cache(maxsize=65536)
def normalize_key(text: str) -> str:
    """Key for comparing names: NFKC, simplified, case-folded, no spaces. Never for display."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(to_simplified(text).casefold().split())
