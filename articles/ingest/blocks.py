"""The body by evidence: every line gets a content score, the body is the best-scoring run.

Prior art: jusText (paragraphs classed good / short / bad, short ones decided by their
neighbours), BTE (the body is the segment that maximises text inside and boilerplate outside)
and text-density extractors (CETD, cx-extractor: prose is long, punctuated and dense; page
furniture is short, link-like and repetitive). We only have text, so the features are what a
line looks like (length in hanzi, sentence punctuation, separators, list and menu shapes,
whether it stands alone between blank lines as paragraphs do) and the named rules of
``patterns`` (furniture, credits, disclaimers) as strong evidence.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import compress, count
from typing import NamedTuple

import numpy as np

from . import patterns as P

GOOD, SHORT, BAD = "good", "short", "bad"
LATIN = -1.5  # the score of a line mostly in Latin letters and digits (English, numbers, symbols)

_SENTENCE_PUNCT = re.compile(r"[，。！？；、：“”‘’「」…]|[,!?;](?=\s*[\u4e00-\u9fff])")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LINK_ITEM = re.compile(r"^(?:\d{1,2}[.、·]\s*|[·•\-*]\s*).{2,40}?[(（]\d+[)）]$"
                        r"|\[\d{2,4}[-/]\d{1,2}[-/]\d{1,2}\]$|[(（]\d+[)）]$"
                        r"|\[\d+/\d+\]$")  # a thread's reply: 还是素质问题【柠檬沁心】08-11 17:20 124字 [137/0]
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_BRACKET_MENU = re.compile(r"^(?:\s*[\[【][^\]】]{1,12}[\]】]\s*){2,}$")
# Cells apart by a bar, a dot or a dash between spaces, or by a tab: the whitespace is consumed first (a tab
# looked back at), so that the engine scans for whitespace instead of trying a lookahead at every position.
_SEPARATED = re.compile(r"\s(?:[|｜·•]\s|-\s|(?<=\t))")
# What closes an article after its last sentence: □ ■ ◆, and （完） （全文完） （未完待续） notes.
# The lookahead changes no match (whatever it cuts starts with a space, a bracket or a mark) but lets
# every other position of the line fail at its first test.
_END_MARK = re.compile(r"(?=[\s(（【\[□■◆])\s*(?:[(（【\[]\s*(?:全文完|完|未完待续|待续|未完)\s*[)）】\]]\s*)?[□■◆]*$")
_CODE = re.compile(r"[=;{}$\\]|^\s*(?:#|//|--|\$ )|[A-Za-z_]\w*\(.*\)|&&|\s--?[A-Za-z][\w-]*(?:\s|$)"
                   # a statement that opens a line of code in the common languages (import json, def f():,
                   # return x), short or ending as a statement does: an English sentence is neither
                   r"|^\s*(?:import|from\s+[\w.]+\s+import|def|class|return|elif|else|try|except|finally|with|for|while|if"
                   r"|package|public|private|var|let|const|function|SELECT|INSERT|UPDATE|pip|npm|sudo|git|cd"
                   r"|docker|podman|kubectl|curl|wget|systemctl|apt|yum|mkdir|chmod|export|fi|done|esac)\b"
                   r"(?:\s*\S+){0,3}\s*$|^\s*(?:for|while|if|elif|else|try|except|with|def|class)\b.*[:{]\s*$")
_COMMENT = re.compile(r"\s*(?:#|//|--|/\*)\s")  # a comment line of a listing, in any script: # 查看日志
# Cheap tests first: each holds a character that the pattern after it cannot match without.
_DIGIT = re.compile(r"\d")
_SPACE_OR_BAR = re.compile(r"[\s|]")
_CRUMB_HINT = re.compile(r"位置|>|》|»|/|＞|›|／")  # all literals: the engine scans for their first characters
_CITATION = re.compile(r"\s*\[\d{1,3}\]$")  # a wiki's footnote mark after the sentence: 。[2]
_COUNTER = re.compile(r"(?=\d)(?<=[。！？!?”」』…])\d{1,4}$")  # a reply or like count glued to the last sentence
_END_PUNCT = frozenset(P.END_PUNCT)  # a set: the empty string of an empty line is not in it
_CAPTION = re.compile(r"^(?:资料图|资料图片|题图|图片|图为|图[:：]|[(（]图[)）]|◎\s*图|配图|摄影[:：])")


# A portal's channel names. Copy-paste glues a menu's items without a space (网站首页时政国际财经台湾军事…):
# a line that is mostly these words is a menu, however it is spaced.
_CHANNELS = frozenset((  # noqa: SIM905 - a word table: one string a line reads as data
    "首页 新闻 时政 国际 国内 财经 军事 社会 体育 娱乐 科技 教育 文化 健康 汽车 房产 旅游 时尚 游戏 视频"
    " 图片 评论 观点 理论 法治 产经 科普 地方 台湾 港澳 博客 论坛 读书 历史 女性 育儿 星座 收藏 彩票 股票"
    " 基金 公益 生活 美食 专题 人事 领导 党建 政务 数码 手机 家居 原创 直播 要闻 滚动 排行 环球 民生 法制"
    " 廉政 图库 专栏 访谈 公告 服务 互动 电影 音乐 动漫 时评 人物 经济 金融 证券 理财 保险 创业 招聘 商业"
    " 能源 环保 农业 航空 佛学 母婴 亲子 宠物 网站 导航").split())


_CHANNEL_WORD = re.compile("|".join(sorted(_CHANNELS)))


def _glued_menu(line: str) -> bool:
    hits = len(_CHANNEL_WORD.findall(line))
    return hits >= 5 and 2 * hits >= 0.7 * len(line)


class LineInfo(NamedTuple):  # a tuple: built for every line of every page, so it must be cheap
    cls: str
    score: float
    han: int
    stop: str | None  # the named end-of-article rule the line matches, if any
    repeated: bool = False  # bad only because the page prints it more than once
    code: bool = False  # a line of a code listing: neutral, never furniture
    field: bool = False  # a field of a list of records (票价：50元, 下周趋势　看多): the text, however short


# The stop rules in passes for most lines: those anchored at the line's start (tried at one position),
# and the few that float (literals, which the regex engine scans for by first character).
_ANCHORED = [rx.pattern for _, rx in P.BODY_STOPS if rx.pattern.startswith("^") and "|^" not in rx.pattern]
_FLOATING_STOP = re.compile("|".join(rx.pattern for _, rx in P.BODY_STOPS if rx.pattern not in _ANCHORED))
# Two anchored rules let a few characters run before their word (^\S{0,8}记者, ^.{0,30}编辑：), which the
# engine tries at every length of the run; they are tried only where one of their words ends within
# the line's first 32 characters (most lines hold none), the other anchored rules fail at once.
_RUN_IN = ("reporter_line", "credit_inline")
_RUN_IN_WORD = re.compile("记者|实习生|供稿|摄影|编辑|责编|校对|审核")
_RUN_IN_REACH = 32
_ANY_STOP = re.compile("|".join(f"(?:{rx.pattern})" for name, rx in P.BODY_STOPS
                                if rx.pattern in _ANCHORED and name not in _RUN_IN))
_RUN_IN_STOP = re.compile("|".join(f"(?:{rx.pattern})" for name, rx in P.BODY_STOPS if name in _RUN_IN))


def _anchored_stop(key: str) -> bool:
    """Does one of the anchored stop rules match the line?"""
    return bool(_ANY_STOP.match(key)
                or _RUN_IN_WORD.search(key, 0, _RUN_IN_REACH) and _RUN_IN_STOP.match(key))


def stop_rule(key: str) -> str | None:
    """The first of patterns.BODY_STOPS found in the line, if any, tried in two or three regex calls for most lines."""
    if not (_anchored_stop(key) or _FLOATING_STOP.search(key)):
        return None
    return next((name for name, rx in P.BODY_STOPS if rx.search(key)), None)


# Sentence punctuation by code point: 1 always (，。！？), 2 the ASCII marks that end a clause only before a hanzi;
# 3 what _SPACE_OR_BAR finds (whitespace, less the newline that joins the lines below, and |).
_PUNCT_KIND = np.zeros(0x10000, dtype=np.uint8)
_PUNCT_KIND[[ord(c) for c in "，。！？；、：“”‘’「」…"]] = 1
_PUNCT_KIND[[ord(c) for c in ",!?;"]] = 2
_PUNCT_KIND[[c for c in range(0x10000) if chr(c).isspace() and c != ord("\n")] + [ord("|")]] = 3


def _counts(lines: list[str]) -> tuple[list[int], list[int], list[bool]]:
    """Hanzi and sentence punctuation per line, and whether it holds a space or a bar, counted for the
    whole page at once."""
    if not lines:
        return [], [], []
    codes = np.frombuffer("\n".join(lines).encode("utf-32-le"), dtype=np.uint32)
    han = (codes >= 0x4E00) & (codes <= 0x9FFF)
    kind = _PUNCT_KIND[np.minimum(codes, 0xFFFF)]
    follows = np.zeros_like(han)  # ASCII , ! ? ; before a hanzi (perhaps after one space) ends a clause
    follows[:-1] = han[1:]
    follows[:-2] |= (codes[1:-1] == 32) & han[2:]
    punct = (kind == 1) | ((kind == 2) & follows)
    # Summed line by line from where each line starts in the joined page (no line is empty).
    lengths = np.fromiter(map(len, lines), dtype=np.intp, count=len(lines))
    starts = np.zeros(len(lines), dtype=np.intp)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    return (np.add.reduceat(han, starts, dtype=np.intp).tolist(),
            np.add.reduceat(punct, starts, dtype=np.intp).tolist(),
            np.logical_or.reduceat(kind == 3, starts).tolist())


def _text_score(han: int, punct: int, alone: bool) -> float:
    """A paragraph's weight: its hanzi (up to 400), its clauses, and blank lines around it."""
    return 1.0 + min(han, 400) / 12 + punct * 0.3 + (1.0 if alone else 0.0)


def classify(line: str, key: str, alone: bool, spaced: bool = True, *, han: int | None = None,
             punct: int | None = None, spacey: bool | None = None) -> LineInfo:
    """One line's class and score. ``alone``: blank lines around it, as paragraphs are printed.
    ``han``, ``punct``, ``spacey``: the line's hanzi, punctuation and whether _SPACE_OR_BAR finds
    something in it, when they are counted already (_counts)."""
    if han is None:
        han = len(_HAN.findall(line))
    if punct is None:
        punct = len(_SENTENCE_PUNCT.findall(line)) if han else 0
    if han >= 40 and punct >= 3:
        # A paragraph that mentions 版权所有 or 转载 in passing is still a paragraph: only a rule
        # that matches from its first character makes it a stop.
        stop = next((name for name, rx in P.BODY_STOPS if rx.match(key)), None) \
            if _anchored_stop(key) or _FLOATING_STOP.match(key) else None
    else:
        stop = stop_rule(key)
    n = len(line)
    if stop in ("furniture", "disclaimer", "repost_notice"):
        return LineInfo(BAD, -12.0 if stop != "repost_notice" else -6.0, han, stop)
    if stop:  # a credit line: the article usually ends here, but a byline under the lead looks the same
        return LineInfo(BAD, -4.0, han, stop)
    if key[0] in P.PROMOTION_FIRST and n <= 80 and P.PROMOTION.match(key):  # the site's promotion, not the text
        return LineInfo(BAD, -2.0, han, None)
    if han >= 30 and punct >= 3 and punct >= 0.08 * han and "\t" not in line:  # plain prose: skip the menu tests
        return LineInfo(GOOD, _text_score(han, punct, alone), han, None)
    # Substring tests first where a pattern needs the substring: an address its / or ., a menu of
    # bracketed items its brackets, a caption its 图 or 摄影.
    if (P.BODY_NOISE.match(key) or ("/" in line or "." in line) and _URL_ONLY.match(line)
            or ("[" in line or "【" in line) and _BRACKET_MENU.match(line)
            or han < 30 and P.VIEWS_HINT.search(key) and _DIGIT.search(key)  # one line in seventy holds the words
            and (P.VIEWS.search(key) or P.VIEWS_ORDINAL.search(key))):
        return LineInfo(BAD, -2.0, han, None)
    if line.count("\t") >= 2:  # table cells: a row of links unless a cell holds a sentence
        parts = [c.strip() for c in line.split("\t") if c.strip()]
        if len(parts) >= 2 and all(len(_HAN.findall(c)) < 30 and not c.endswith("。") for c in parts):
            return LineInfo(BAD, -3.0, han, None)
    if han < 0.3 * n and punct < 2:  # English, numbers, symbols: not a Chinese paragraph
        if (han <= 2 or line.lstrip().startswith(("#", "//"))) and _CODE.search(line):
            # a line of a code listing in a technical post: neither text nor furniture
            return LineInfo(SHORT, 0.0, han, None, code=True)
        return LineInfo(BAD, LATIN, han, None)
    if punct < 3 and _CRUMB_HINT.search(key) and P.BREADCRUMB.search(key):
        return LineInfo(BAD, -3.0, han, None)
    if spacey is None:
        spacey = _SPACE_OR_BAR.search(line) is not None
    density = punct / max(1, han)
    if density < 0.08 and spacey and len(_SEPARATED.findall(line)) >= 2:  # cells of a menu, a table of links
        return LineInfo(BAD, -3.0, han, None)
    # Whether the line ends a sentence, asked only of the lines no test above has settled.
    last = line[-1]  # most lines end in neither an end mark nor a counter: nothing to strip
    ends = (strip_end_mark(line)[-1:] if last in _MARK_ENDS or last.isdigit() else last) in _END_PUNCT
    if punct <= 1 and not ends and (spacey and P.is_menu(line) or han >= 10 and _glued_menu(line.replace(" ", ""))):
        return LineInfo(BAD, -2.5, han, None)
    if han < 40 and line[-1] in ")）]" and _LINK_ITEM.search(line):
        return LineInfo(BAD, -2.0, han, None)
    if line.startswith(("——", "--", "—")) and han < 40:  # a subtitle under the headline
        return LineInfo(SHORT, -1.0, han, None)
    # A photo caption (it needs 图 or 摄影): kept inside the text, never its start.
    if han < 40 and ("图" in key or "摄影" in key) and _CAPTION.match(key):
        return LineInfo(SHORT, -0.5, han, None)
    if (han >= 30 and (punct >= 2 or ends) or han >= 60 and punct
            or han >= 10 and punct >= 1 and ends and (alone or not spaced)):
        return LineInfo(GOOD, _text_score(han, punct, alone), han, None)
    # Short: a subheading, a caption, a short sentence, a line of a phone-formatted post, or a
    # menu item. Blank lines around it (a paragraph of its own) speak for text; a few hanzi
    # packed between other lines, against.
    if ends and han >= 6:
        return LineInfo(SHORT, 0.5 if alone else -0.3, han, None)
    return LineInfo(SHORT, -0.3 if alone else -1.2, han, None)


@lru_cache(maxsize=1 << 16)
def _classify_cached(line: str, key: str, alone: bool, spaced: bool, han: int, punct: int, spacey: bool) -> LineInfo:
    """A site prints the same menus, footers and furniture on every page: a bulk import classifies
    each such line once per worker."""
    return classify(line, key, alone, spaced, han=han, punct=punct, spacey=spacey)


def classify_lines(lines: list[str], keys: list[str], alone: list[bool],
                   joined: list[bool] | None = None) -> list[LineInfo]:
    spaced = sum(alone) >= 0.1 * len(alone)  # does this page print blank lines between paragraphs?
    han, punct, spacey = _counts(lines)
    infos = [_classify_cached(line, key, a, spaced, h, p, s)
             for line, key, a, h, p, s in zip(lines, keys, alone, han, punct, spacey, strict=True)]
    # Lines repeated on the page (menus printed twice, sidebars) are furniture.
    # Inside a code listing every line is code, however plain (sleep 30s, echo "完成").
    code = [info.code for info in infos]
    if any(code):
        for i, info in enumerate(infos):
            if (not info.code and not info.stop and (info.cls != GOOD and info.han <= 6 or _COMMENT.match(lines[i]))
                    and any(code[max(0, i - 2):i]) and any(code[i + 1:i + 3])):
                infos[i] = LineInfo(SHORT, 0.0, info.han, None, code=True)
    _mark_record_fields(keys, infos)
    # A paragraph printed again (a summary box, a teaser in a sidebar) counts once. Only the lines
    # the page prints more than once are looked at (counted in C).
    repeated = {key for key, n in Counter(keys).items() if n > 1}
    shown: set[str] = set()
    for i in compress(count(), map(repeated.__contains__, keys)):
        key = keys[i]
        if (len(key) >= 4 and (infos[i].cls == SHORT or key in shown)
                and not infos[i].code and not infos[i].field):
            infos[i] = LineInfo(BAD, -2.0, infos[i].han, infos[i].stop, repeated=infos[i].cls != BAD)
        shown.add(key)
    # jusText's context step: a short line between good ones is part of the text (subheading,
    # caption, short paragraph); short lines among bad ones are furniture. Neighbours are the
    # nearest lines that are not short, looked for up to three lines away.
    size = len(infos)
    prev_class: list[str | None] = [None] * size
    last, last_at = None, -10
    for i, info in enumerate(infos):
        prev_class[i] = last if i - last_at <= 3 else None
        if info.cls != SHORT:
            last, last_at = info.cls, i
    last, last_at = None, size + 10
    for i in range(size - 1, -1, -1):
        info = infos[i]
        if info.cls != SHORT:
            last, last_at = info.cls, i
            continue
        if info.code or info.field:
            continue  # code repeats itself and sits between anything: it is still the text
        nxt = last if last_at - i <= 3 else None
        if prev_class[i] == GOOD and nxt == GOOD:
            infos[i] = LineInfo(SHORT, max(info.score, 0.2), info.han, None, repeated=info.repeated)
        elif prev_class[i] == BAD and nxt == BAD:
            infos[i] = LineInfo(SHORT, min(info.score, -1.5), info.han, None, repeated=info.repeated)
    if joined:
        # A paragraph hard-wrapped at a fixed width: a line that carries on the sentence of the good
        # line right above it (no blank line between) is the same paragraph.
        for i in compress(range(1, size), joined[1:]):  # the lines right under another (no blank line between)
            info, above = infos[i], infos[i - 1]
            if (info.cls == SHORT and above.cls == GOOD and above.han >= 25
                    and _CITATION.sub("", lines[i - 1])[-1:] not in _END_PUNCT and info.han >= 4
                    and not info.repeated
                    and info.han >= 0.6 * len(lines[i]) and len(lines[i]) <= len(lines[i - 1]) + 4):
                infos[i] = LineInfo(GOOD, 1.0 + info.han / 12, info.han, None)
    return infos


# A field of a record: a short label, a colon or an ideographic space, a value (成人票原价：50元,
# 下周趋势　看多, 发动机型式：直列4缸). Not a metadata label (来源, 作者, 时间: the header's fields).
_FIELD = re.compile(r"^([\u4e00-\u9fffA-Za-z（）()]{2,10}?)\s*(?:[：:]|\u3000+)\s*(\S.{0,60})$")
_FIELD_PUNCT = re.compile(r"[，。！？；,;!?]")


def _mark_record_fields(keys: list[str], infos: list[LineInfo]) -> None:
    """A list of records (a price list, a spec table, each analyst's forecast) prints the same labels
    again with other values: such lines are the text however short and however often a value
    repeats, where a page's furniture (a contact card, a form) prints each label once and a list of
    links one label (视频：…, 音频：…) on line after line. A block of at least four field lines, with
    at least three labels that recur on the page, one of them with another value, and the label
    changing from line to line, is a list of records: a record has several fields."""
    found: dict[int, tuple[str, str]] = {}
    for i, key in enumerate(keys):
        if not ("：" in key or ":" in key or "\u3000" in key):  # no field without its separator (most lines)
            continue
        info = infos[i]
        if info.stop or info.code or info.score <= -3 or len(key) > 72 or key[0] in "【[(（":
            continue
        m = _FIELD.match(key)
        if m is None or _FIELD_PUNCT.search(m[1]) or P.META_LABEL_START.match(key) or P.BODY_NOISE.match(key):
            continue
        found[i] = (m[1], m[2])
    if len(found) < 4:
        return
    values: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for label, value in found.values():
        values.setdefault(label, set()).add(value)
        counts[label] = counts.get(label, 0) + 1
    block: list[int] = []
    for i in [*sorted(found), len(keys) + 2]:
        if block and i - block[-1] > 2:  # a record's name may stand between its fields
            labels = {found[k][0] for k in block}
            same = sum(found[x][0] == found[y][0] for x, y in zip(block, block[1:], strict=False))
            if (len(block) >= 4 and sum(counts[x] >= 2 for x in labels) >= 3
                    and any(len(values[x]) >= 2 for x in labels) and same <= 0.25 * (len(block) - 1)):
                for k in block:
                    if counts[found[k][0]] >= 2 and infos[k].cls != GOOD:
                        infos[k] = LineInfo(SHORT, 0.2, infos[k].han, None, field=True)
            block = []
        block.append(i)


def best_run(scores: list[float], lo: int, hi: int) -> tuple[int, int, float]:
    """The contiguous run [a, b) of lines[lo:hi] with the largest total score (Kadane)."""
    best = (lo, lo, 0.0)
    start, total = lo, 0.0
    for i in range(lo, hi):
        if total <= 0:
            start, total = i, scores[i]
        else:
            total += scores[i]
        if total > best[2]:
            best = (start, i + 1, total)
    return best


def anchored_run(scores: list[float], lo: int, hi: int, max_start: int) -> tuple[int, int, float]:
    """The best run [a, b) of lines[lo:hi] that starts no later than ``max_start``."""
    prefix = [0.0]
    for i in range(lo, hi):
        prefix.append(prefix[-1] + scores[i])
    best_end = [0] * len(prefix)  # index of the largest prefix sum at or after each position
    k = len(prefix) - 1
    for j in range(len(prefix) - 1, -1, -1):
        if prefix[j] > prefix[k]:
            k = j
        best_end[j] = k
    best = (lo, lo, 0.0)
    for a in range(0, min(hi, max_start + 1) - lo):
        b = best_end[a + 1] if a + 1 < len(prefix) else a
        total = prefix[b] - prefix[a]
        if total > best[2]:
            best = (lo + a, lo + b, total)
    return best


_SUBHEADING_PUNCT = re.compile(r"[，。！？；,;!?]")


def is_subheading(paragraph: str) -> bool:
    """A short unpunctuated paragraph between paragraphs (一、提高政治站位, 产业资本掀起增持潮): the
    text's own subheading, which the site shows as one."""
    text = paragraph.strip()
    if not text or len(text) > 40 or "\n" in text or _SUBHEADING_PUNCT.search(text) or _CAPTION.match(text):
        return False
    if re.match(r"^[一二三四五六七八九十]{1,3}、", text):
        return True
    return len(_HAN.findall(text)) >= 2 and text[-1] not in "：:）)》」』”\""


def is_caption(key: str) -> bool:
    return bool(_CAPTION.match(key))


_MARK_ENDS = frozenset("□■◆ )）】]")  # the last characters of the marks _END_MARK removes


def strip_end_mark(line: str) -> str:
    """□ and ■ that close an article on some sites, a （完） or （未完待续） note, and a counter glued to the
    last sentence."""
    if line[-1:] in _MARK_ENDS:
        line = _END_MARK.sub("", line)
    return strip_counter(line) if line else line


def strip_counter(line: str) -> str:
    if not line[-1:].isdigit():
        return line
    return _COUNTER.sub("", line) or line
