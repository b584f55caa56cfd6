"""Dates and times as pages print them. Each pattern has a name; the first that matches a span wins."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

# A clock time after the date, perhaps after the weekday: 2023年05月12日 星期五 10:30.
_TIME = r"(?:(?:\s*[(（]?(?:星期|周|礼拜|禮拜)[一二三四五六日天][)）]?)?\s*(?:T|\s)?\s*(?P<H>[01]?\d|2[0-3])[:：时](?P<M>[0-5]\d)(?:[:：分](?P<S>[0-5]\d))?)?"

# (name, regex): order matters; earlier patterns are tried first.
DATE_PATTERNS = [
    # 15:312018/09/16: a clock time glued in front of the date.
    ("time_glued_before_date", re.compile(
        r"(?<!\d)(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")),
    # 2023-08-02 11:19:26, 2019年10月31日 23:00, 2024.03.01
    ("ymd", re.compile(
        r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?P<sep>[-/.年])\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)日?" + _TIME)),
    # 105年3月4日: the ROC calendar (year + 1911).
    ("roc", re.compile(r"(?:民[国國]\s*)?(?<!\d)(?P<roc>\d{2,3})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日" + _TIME)),
    # 25/12/2023 14:05: day first.
    ("day_first", re.compile(r"(?<!\d)(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>(?:19|20)\d{2})(?!\d)" + _TIME)),
]


@dataclass(frozen=True)
class DateHit:
    value: datetime  # naive; the caller attaches the page's time zone
    has_time: bool
    start: int
    end: int
    rule: str


def find_dates(text: str) -> list[DateHit]:
    """Every date in the text, left to right, without overlaps."""
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            hit = _build(m, name)
            if hit:
                hits.append(hit)
                taken.append((m.start(), m.end()))
    return sorted(hits, key=lambda h: h.start)


def _build(m: re.Match, name: str) -> DateHit | None:
    g = m.groupdict()
    if g.get("roc"):
        year = int(g["roc"]) + 1911
        if not 1912 <= year <= 2100:
            return None
    else:
        year = int(g["y"])
    month, day = int(g["m"]), int(g["d"])
    if name == "day_first" and month > 12 and day <= 12:
        month, day = day, month
    hour = int(g["H"]) if g.get("H") else 0
    minute = int(g["M"]) if g.get("M") else 0
    second = int(g["S"]) if g.get("S") else 0
    try:
        value = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if not 1949 <= year <= 2100:
        return None
    return DateHit(value, g.get("H") is not None, m.start(), m.end(), name)
