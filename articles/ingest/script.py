"""Script conversion and comparison keys (OpenCC's C++ binding)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache, cache

import numpy as np
import opencc

_T2S = opencc.OpenCC("t2s.json")
_S2T = opencc.OpenCC("s2t.json")

# Display standards for readers of Traditional: Taiwan (with Taiwan's words: 软件 → 軟體)
# or Hong Kong. Both write 為 where plain s2t writes 爲.
DISPLAY_STANDARDS = {"tw": "s2twp.json", "hk": "s2hk.json"}

# OpenCC's own phrase tables get these wrong; our correction runs on its output.
# Each pair is (what OpenCC writes, what readers of Traditional write), with the input that shows it.
DISPLAY_CORRECTIONS: dict[str, str] = {
    "對錶": "對表",  # 对表对标 (check against a standard), not 錶 the watch
    "徵程": "征程",  # 新征程: 征 the journey, not 徵 the levy
    "徵途": "征途",  # 新征途
    "程式碼": "代碼",  # s2twp's IT word: 行政区划代码, 地区代码 are code numbers, not source code
}
_CORRECTION = re.compile("|".join(map(re.escape, sorted(DISPLAY_CORRECTIONS, key=len, reverse=True))))


def to_simplified(text: str) -> str:
    return _T2S.convert(text) if text else text


def to_traditional(text: str) -> str:
    """Plain character conversion (for matching, e.g. search highlights); not for display."""
    return _S2T.convert(text) if text else text


@cache
def _display_converter(standard: str):
    try:
        return opencc.OpenCC(DISPLAY_STANDARDS[standard])
    except KeyError:
        raise ValueError(f"未知的繁體标准 {standard!r}：可选 {', '.join(DISPLAY_STANDARDS)}") from None


def to_display_traditional(text: str, standard: str = "tw") -> str:
    """Traditional as readers of the standard ("tw" or "hk") expect it, with OpenCC's known errors corrected."""
    if not text:
        return text
    converted = _display_converter(standard).convert(text)
    return _CORRECTION.sub(lambda m: DISPLAY_CORRECTIONS[m.group()], converted)


def fold_text(text: str, simplified: str | None = None) -> str:
    """NFKC, simplified, case-folded: the form search, fingerprints and name keys compare. Never for display.

    ``simplified``: to_simplified(text) when the caller has it; NFKC of it is the same text unless NFKC
    makes new hanzi (compatibility ideographs, radicals), and skips a second conversion of the page."""
    if simplified is not None and not _COMPAT_HAN.search(text):
        return nfkc(simplified).casefold()
    return to_simplified(nfkc(text or "")).casefold()


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), faster on Chinese pages.

    What keeps most pages from being NFKC already is a few kinds of characters: full-width punctuation
    and ideographic spaces (，：（）　), which NFKC maps one for one (to ASCII), and a few that it spells
    out (…, ①, ㍿). Both are replaced here by their own NFKC, the first for the whole text at once in
    NumPy, the second by str.replace (CPython's normalize is slow on long text). Replacing a character
    by its own NFKC leaves the NFKC of the text as it was (its compatibility decomposition is the
    same), and the text is then mostly normalized already; where it is not (combining marks, astral
    compatibility characters), unicodedata normalizes what is left.
    """
    if len(text) < 256 or unicodedata.is_normalized("NFKC", text):
        return unicodedata.normalize("NFKC", text)
    single, longer = _bmp_nfkc()
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bmp = np.minimum(codes, 0xFFFF)
    mapped = np.where(codes <= 0xFFFF, single[bmp], codes).tobytes().decode("utf-32-le", "surrogatepass")
    for code in np.unique(codes[longer[bmp] & (codes <= 0xFFFF)]).tolist():
        char = chr(code)
        mapped = mapped.replace(char, unicodedata.normalize("NFKC", char))
    return mapped if unicodedata.is_normalized("NFKC", mapped) else unicodedata.normalize("NFKC", mapped)


@cache
def _bmp_nfkc() -> tuple[np.ndarray, np.ndarray]:
    """For each code point of the BMP: its NFKC where that is one character (itself otherwise), and
    whether its NFKC is longer than one character. Built on first use: about 3 ms."""
    single = np.arange(0x10000, dtype=np.uint32)
    longer = np.zeros(0x10000, dtype=bool)
    for code in range(0x10000):
        char = chr(code)
        if not unicodedata.is_normalized("NFKC", char):
            folded = unicodedata.normalize("NFKC", char)
            if len(folded) == 1:
                single[code] = ord(folded)
            else:
                longer[code] = True
    return single, longer


# Characters NFKC turns into hanzi: Kangxi and CJK radicals, compatibility ideographs, enclosed and squared signs.
_COMPAT_HAN = re.compile("[\u2e80-\u2fdf\u3200-\u33ff\uf900-\ufaff\U0002f800-\U0002fa1f]")


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """fold_text() without whitespace, the key names are compared by: 南方雜誌 and 南方 杂志 are one source."""
    return "".join(fold_text(text).split())
