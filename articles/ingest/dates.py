"""Dates and times as pages print them. Each pattern has a name; the first that matches a span wins."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

MIN_YEAR, MAX_YEAR = 1949, 2100

# 上午/下午 before the clock, AM/PM after it: 12-hour times (下午2:05 is 14:05, 12:30 AM is 00:30).
_HALF_DAY = r"(?P<half>上午|下午|凌晨|早上|早晨|中午|晚上|傍晚|夜间|夜里)?"
_AM_PM = r"(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?)(?![A-Za-z]))?"
# A clock time after the date: after the weekday (2023年05月12日 星期五 10:30), after a zone label
# (2012年12月10日, 格林尼治标准时间10:41), in 12-hour form (2024年5月20日周一 下午2:05, 9:23:57 PM).
_TIME = (
    r"(?:(?:\s*[(（]?(?:星期|周|礼拜|禮拜|週)[一二三四五六日天][)）]?)?"
    r"\s*[,，]?\s*(?:(?:北京时间|格林尼治标准时间|格林威治时间|香港时间|台北时间|GMT|UTC)\s*)?"
    r"\s*(?:T|\s|at\s)?\s*" + _HALF_DAY + r"\s*"
    r"(?P<H>[01]?\d|2[0-3])[:：时](?P<M>[0-5]\d)(?:[:：分](?P<S>[0-5]\d))?" + _AM_PM + ")?"
)
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH_NAME = r"(?P<mon>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?)"
_WEEKDAY_EN = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)"

# (name, regex): order matters; earlier patterns are tried first. A pattern that opens with a look-behind
# gives the regex engine nothing to scan a line for: a lookahead on its first character ((?=\d), a date
# starts with a digit) changes no match but lets every other position fail at its first test.
DATE_PATTERNS = [
    # 15:312018/09/16: a clock time glued in front of the date.
    ("time_glued_before_date", re.compile(
        r"(?=\d)(?<!\d)(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")),
    # 2023-08-02 11:19:26, 2019年10月31日 23:00, 2024.03.01 (one separator throughout: 2004 - 01/01 is no date)
    # Tried on every line with a year: its look-behind (no digit before the year) stands after the year's
    # first digit, as (?<!\d\d), so that the engine scans for a 1 or a 2 (0.6 us a line faster).
    ("ymd", re.compile(
        r"(?P<y>(?:1(?<!\d\d)9|2(?<!\d\d)0)\d{2})(?:(?P<sep>[-/.])|\s*年\s*)(?P<m>\d{1,2})(?:(?P=sep)|\s*月\s*)(?P<d>\d{1,2})(?!\d)日?"
        + _TIME)),
    # 105年3月4日: the ROC calendar (year + 1911).
    ("roc", re.compile(r"(?=[民\d])(?:民[国國]\s*)?(?<!\d)(?P<roc>\d{2,3})\s*年\s*(?P<m>\d{1,2})\s*月"
                       r"\s*(?P<d>\d{1,2})\s*日" + _TIME)),
    # Saturday, September 10th, 2005 10:56 am; Oct 14, 2016; Dec 28 Sat 2013 00:28 (pixnet).
    ("month_name", re.compile(
        rf"(?<![A-Za-z]){_WEEKDAY_EN}?{_MONTH_NAME}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_WEEKDAY_EN}?"
        rf"(?P<y>(?:19|20)\d{{2}})(?!\d)" + _TIME, re.IGNORECASE)),
    # 10 December 2012, 14:05
    ("day_month_name", re.compile(
        rf"(?=\d)(?<!\d)(?P<d>\d{{1,2}})\s+{_MONTH_NAME}\s+(?P<y>(?:19|20)\d{{2}})(?!\d)" + _TIME, re.IGNORECASE)),
    # 7/5/2005 9:23:57 PM, 10/14/2016 (month first, as US-configured servers print it), 25/12/2023 14:05
    # (day first when the first number cannot be a month, or with '.' or '-' as European pages print it).
    ("numeric_dmy_or_mdy", re.compile(
        r"(?=\d)(?<!\d)(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2})(?!\d)" + _TIME)),
]


@dataclass(frozen=True)
class DateHit:
    value: datetime  # naive; the caller attaches the page's time zone
    has_time: bool
    start: int
    end: int
    rule: str


# What a line must hold for a pattern to be worth trying: most lines hold no date at all.
# The lookahead rejects a position with one test instead of twelve: every month word starts with a
# Latin letter (or ſ, which IGNORECASE takes for s).
_MONTH_WORD = re.compile(r"(?=[A-Za-zſ])(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
_NEEDS = {
    "time_glued_before_date": re.compile(r"\d:\d"),
    "roc": re.compile(r"年\s*\d{1,2}\s*月"),  # its year's 年 and the month after it: most lines with 年 have no month
    "numeric_dmy_or_mdy": re.compile("[-/.]"),  # its separator: half the lines with a year hold none
    "month_name": _MONTH_WORD,
    "day_month_name": _MONTH_WORD,
}
# Every pattern needs a 19xx/20xx year, or the ROC one its 年.
# Only whether it matches is asked: the digit is consumed first (its alternatives then look back at it),
# so that the engine scans the line for digits instead of trying the pattern at every position.
_YEAR = re.compile(r"\d(?:(?<=1)9\d\d|(?<=2)0\d\d|[^\S\n]*年)")


def lines_with_years(lines: list[str]) -> list[int]:
    """The indexes of the lines find_dates() may find a date in: a year needs 19, 20 or 年 (the others
    hold none), and three substring tests a line cost less than any regex over the page."""
    return [i for i, line in enumerate(lines) if "19" in line or "20" in line or "年" in line]


def find_dates(text: str) -> list[DateHit]:
    """Every date in the text, left to right, without overlaps."""
    if not _YEAR.search(text):
        return []
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    present: dict[re.Pattern, bool] = {}  # both month patterns need a month word: looked for once
    for name, pattern in DATE_PATTERNS:
        needs = _NEEDS.get(name)
        if needs is not None:
            if needs not in present:
                present[needs] = needs.search(text) is not None
            if not present[needs]:
                continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            hit = _build(m, name)
            if hit:
                hits.append(hit)
                taken.append((m.start(), m.end()))
    return sorted(hits, key=lambda h: h.start)


def _day_month(g: dict, name: str) -> tuple[int, int, str]:
    """(month, day, rule) of a match."""
    if name == "numeric_dmy_or_mdy":
        a, b = int(g["a"]), int(g["b"])
        month_first = g["sep"] == "/" or g.get("ampm")
        if a > 12 or (b <= 12 and not month_first):
            return b, a, "day_first"
        return a, b, "month_first"
    if g.get("mon"):
        return _MONTHS[g["mon"][:3].lower()], int(g["d"]), name
    return int(g["m"]), int(g["d"]), name


def _hour(g: dict) -> int:
    hour = int(g["H"]) if g.get("H") else 0
    half, ampm = g.get("half"), (g.get("ampm") or "").lower()
    if hour <= 12 and (ampm.startswith("p") or half in ("下午", "晚上", "傍晚", "夜间", "夜里")):
        return hour % 12 + 12
    if hour == 12 and (ampm.startswith("a") or half in ("凌晨", "夜里")):
        return 0
    if half == "中午" and hour < 6:
        return hour + 12
    return hour


def _build(m: re.Match, name: str) -> DateHit | None:
    g = m.groupdict()
    year = int(g["roc"]) + 1911 if g.get("roc") else int(g["y"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    month, day, rule = _day_month(g, name)
    minute = int(g["M"]) if g.get("M") else 0
    second = int(g["S"]) if g.get("S") else 0
    try:
        value = datetime(year, month, day, _hour(g), minute, second)
    except ValueError:
        return None
    return DateHit(value, g.get("H") is not None, m.start(), m.end(), rule)


# An issue printed with its month only: ——《北京之春》1996年6月号, Vol. 8 No. 2 (May 2018), 2019年3月刊.
_ISSUE_MONTH = [
    re.compile(r"《[^》]{2,20}》\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月[号刊]"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月[号刊](?!\d)"),
    re.compile(rf"\bVol\.?\s*\d+.*?\(\s*{_MONTH_NAME}\s+(?P<y>(?:19|20)\d{{2}})\s*\)", re.IGNORECASE),
]


def find_issue_month(text: str) -> DateHit | None:
    """The month of a journal or magazine issue the line names (no day: the 1st stands for it)."""
    if not _YEAR.search(text):
        return None
    for pattern in _ISSUE_MONTH:
        m = pattern.search(text)
        if m:
            g = m.groupdict()
            year = int(g["y"])
            month = _MONTHS[g["mon"][:3].lower()] if g.get("mon") else int(g["m"])
            if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12:
                return DateHit(datetime(year, month, 1), False, m.start(), m.end(), "issue_month")
    return None
