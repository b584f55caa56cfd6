"""Keywords an editor would choose: TF-IDF over rjieba tokens with the IDF table jieba ships."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
import importlib.util
from pathlib import Path
from collections.abc import Mapping
from itertools import compress, count
from operator import itemgetter

import numpy as np
import rjieba

from .script import to_simplified

_STOP = set(  # a word table: one string reads as data
    """工作 进行 加强 发展 我们 他们 你们 自己 一个 这个 那个 没有 就是 还是 已经 可以 以及 通过 开展 推进 推动 实现 坚持 提高
    提升 全面 不断 进一步 积极 深入 相关 重要 问题 方面 情况 要求 有关 目前 表示 认为 成为 作为 同时 其中 这些 一些 更加 持续
    如何 因为 所以 但是 如果 虽然 记者 编辑 来源 时间 发布 点击 阅读 今年 去年 明年 目前 近日 当天 日前 记者 报道 中国 国家
    全国 地方 单位 部门 活动 会议 人员 同志 领导 组织 建设 管理 服务 社会 政治 经济 文化 群众 一定 一直 一起 之后 之前 以来
    以上 以下 不是 只是 还有 这样 那样 这种 那种 什么 怎么 非常 比较 主要 需要 应该 能够 必须 根据 按照 对于 关于 为了 由于
    目标 任务 措施 意见 方案 内容 水平 能力 作用 基础 机制 体系 质量 高质量 新时代 习近平 总书记 同志们 本站 本网 网站 页面
    首页 正文 分享 打印 关闭 窗口 上一篇 下一篇 责任编辑 版权所有 有限公司 公司 一是 二是 三是 四是 五是
    时候 结果 人们 东西 事情 样子 大家 地方 广告 浏览 发表 标题 存档 评论 回复 楼主 版主 网友 登录 注册 收藏 转发 下载
    链接 点赞 点赞数 自动播放 播放 全文 本文 文章 图片 附图 原标题""".split()  # noqa: SIM905
)
# 我院, 该院, 本片, 全算: a pronoun or determiner glued to one character is a phrase of the page
# ("our hospital"), not a keyword. 本质 or 其实 are words, and common ones: only rare pairs are dropped.
_DEICTIC_PAIR = re.compile(r"^[我你他她该此其各每某这那本全贵][\u4e00-\u9fff]$")
# Numerals and measure words (一篇, 万次, 廿一) are never keywords.
_NUMERAL_POS = frozenset({"m", "mq", "q"})
# A rare word glued to the same odd neighbour in this share of its occurrences is a piece of a longer
# unit that segmentation split: the name 于家乐 as 于|家乐, 辱母者 as 刺死辱|母者, 雄安官网 as 雄安官|网.
_FRAGMENT_SHARE = 2 / 3
# Single characters that stand next to any word in running text; being glued to one of them proves nothing.
_FUNCTION_CHARS = frozenset("的了是在和与及或等也都就把被对从向为以之而并将由给让使所中上下里内外后前时说有到去来会要能可又还再才已"
                            "不没很最更太这那个们着过地得吗呢吧啊呀等")
_WORD = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
# jieba's part-of-speech flags of words that can be keywords: nouns, other proper nouns, organisations,
# verbal and adjectival nouns, abbreviations (党建 j), set phrases and idioms.
_KEYWORD_POS = frozenset({"n", "nz", "nt", "nw", "nr", "ns", "vn", "an", "j", "l", "i"})
_OTHER_POS_WEIGHT = 0.35


@dataclass(frozen=True)
class Vocabulary:
    """Existing tag names, and synonyms an editor has mapped (党的建设 -> 党建)."""

    tags: frozenset[str] = frozenset()
    synonyms: Mapping[str, str] = field(default_factory=dict)

    def canonical(self, name: str) -> str:
        return self.synonyms.get(name, name)

    @cached_property
    def long_phrases(self) -> tuple[str, ...]:
        """Tags of four characters or more (全面从严治党), which segmentation splits into words."""
        return tuple(sorted(t for t in self.tags if len(t) >= 4))

    @cached_property
    def phrases_by_head(self) -> dict[str, tuple[str, ...]]:
        """long_phrases by their first two characters."""
        heads: dict[str, list[str]] = {}
        for phrase in self.long_phrases:
            heads.setdefault(phrase[:2], []).append(phrase)
        return {head: tuple(found) for head, found in heads.items()}

    @cached_property
    def heads_by_code(self) -> dict[int, str]:
        """phrases_by_head's heads by a number made of their two code points (see _heads_in)."""
        return {_pair_code(ord(head[0]), ord(head[1])): head for head in self.phrases_by_head}

    @cached_property
    def head_codes(self) -> np.ndarray:
        """The keys of heads_by_code, sorted."""
        return np.sort(np.fromiter(self.heads_by_code, dtype=np.int64, count=len(self.heads_by_code)))


def _pair_code(first, second):
    """Two code points (below 2**21) as one number: an int, or NumPy arrays of them."""
    return (first << 21) | second


def _heads_in(text: str, vocabulary: Vocabulary) -> list[str]:
    """The vocabulary's phrase heads that the text holds: its character pairs as numbers, matched
    against the heads' in NumPy (a set of the text's two-character slices took 0.3-0.4 ms a shared page)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    pairs = _pair_code(codes[:-1], codes[1:])
    heads = vocabulary.head_codes
    if not len(pairs) or not len(heads):
        return []
    at = np.minimum(np.searchsorted(heads, pairs), len(heads) - 1)  # where each pair would stand among the heads
    found = np.unique(pairs[heads[at] == pairs])
    return [vocabulary.heads_by_code[code] for code in found.tolist()]


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    # Locate jieba's IDF table without importing jieba (its import loads models we do not need).
    spec = importlib.util.find_spec("jieba")
    path = Path(spec.origin).parent / "analyse" / "idf.txt"
    table: dict[str, float] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            word, _, value = line.partition(" ")
            if value and len(word) >= 2:
                table[word] = float(value)
    median = sorted(table.values())[len(table) // 2]
    return table, median


_NEWLINE = [("\n", "x")]
# The IDF of the words scored so far: a page's common words read it from this small table, not from
# jieba's 260,000 words (whose lookups miss the processor's caches).
_SCORED_IDF: dict[str, float] = {}


def extract_tags(title: str, body: str, vocabulary: Vocabulary, *, limit: int = 5,
                 simplified: bool = False, body_tagged: list[tuple[str, str]] | None = None) -> list[str]:
    """Up to `limit` keywords; pass simplified=True when title and body are in simplified script already,
    and ``body_tagged`` (rjieba.tag of the body) when the caller has segmented the body already."""
    idf, median = _idf()
    text = f"{title}\n{title}\n{body}"
    if not simplified:
        text = to_simplified(text)
    # Count every (word, part of speech) in C, then judge each distinct one once. Nouns, verbal
    # nouns, abbreviations and idioms make keywords; a verb or adjective (召开, 出台, 点亮) must be
    # far more salient to be chosen, unless an editor has made it a tag already.
    tags = vocabulary.tags
    if body_tagged is not None and simplified:  # segmentation breaks at line ends: the parts add up
        head = rjieba.tag(title) + _NEWLINE
        tokens = head + head + body_tagged
    else:
        tokens = rjieba.tag(text)
    counts: dict[str, int] = {}
    strong: set[str] = set()  # seen at least once as a keyword part of speech
    scored_idf = _SCORED_IDF
    if len(scored_idf) > 200_000:  # a bound on a worker's memory over a long import
        scored_idf.clear()
    for (w, flag), n in Counter(tokens).items():
        # A keyword has two to eight hanzi and is no stop word. Judged afresh on every page: a table
        # remembering the verdicts across pages cost more than the judging, its lookups missing the
        # processor's caches. Most tokens are one character (particles, punctuation): no regex for them.
        if len(w) >= 2 and w not in _STOP and _WORD.match(w) is not None and flag not in _NUMERAL_POS:
            counts[w] = counts.get(w, 0) + n
            if flag in _KEYWORD_POS:
                strong.add(w)
    if not counts:
        return []
    total = sum(counts.values())
    synonyms = vocabulary.synonyms
    scores: dict[str, float] = {}
    for word, n in counts.items():
        if n == 1 and word not in synonyms and word not in tags:
            continue  # seen once: never a keyword (below), and no other word's synonym to add to
        canonical = synonyms.get(word, word)
        weight = scored_idf.get(word)
        if weight is None:
            weight = scored_idf[word] = idf.get(word, median)
        score = n / total * weight * (1.0 if word in strong or word in tags else _OTHER_POS_WEIGHT)
        if canonical in tags:
            score *= 2.0  # existing tags are preferred
        before = scores.get(canonical, 0.0)
        scores[canonical] = max(before, score) + (before if canonical != word else 0)
    # Multi-word vocabulary terms found verbatim (全面从严治党). A large vocabulary is looked up
    # by the phrases' first two characters, so its size does not multiply the cost per page.
    phrases = vocabulary.long_phrases
    if len(phrases) > 64:
        heads = vocabulary.phrases_by_head
        phrases = [p for head in _heads_in(text, vocabulary) for p in heads[head]]
    for phrase in phrases:
        if phrase not in scores and (n := text.count(phrase)) >= 2:
            scores[phrase] = n / total * median * 2
    # Words seen once are not keywords, unless an editor made them tags already.
    kept = [w for w in scores if counts.get(w, 2) >= 2 or w in tags]
    kept.sort(key=lambda w: (-scores[w], w))
    # Judged in rank order a few words at a time, so a page's many other words are never looked at.
    words: list[str] = []
    chosen: list[str] = []
    step = limit * 3
    for first in range(0, len(kept), step):
        chunk = [w for w in kept[first:first + step] if w in tags or not _is_deictic_pair(w, idf, median)]
        rare = {w for w in chunk if w not in tags and idf.get(w, median) >= median}
        if rare and not words:
            words = list(map(itemgetter(0), tokens))
        fragments = _fragments(rare, words, idf) if rare else set()
        for word in chunk:
            if word not in fragments:
                chosen.append(word)
                if len(chosen) == limit:
                    return chosen
    return chosen


def _is_deictic_pair(word: str, idf: dict[str, float], median: float) -> bool:
    return bool(_DEICTIC_PAIR.match(word)) and idf.get(word, median) >= median


def _fragments(rare: set[str], words: list[str], idf: dict[str, float]) -> set[str]:
    """The rare words (unknown to the dictionary, or rarer than its median) whose occurrences mostly
    have the same odd token beside them: a lone character that is no function word (于|家乐, 眉间尺's 尺),
    or a string the dictionary does not know either (刺死辱|母者).

    新冠|肺炎 and 医养|结合 are no fragments: their neighbours are words of the dictionary."""
    seen: Counter[str] = Counter()
    beside: Counter[tuple[str, str, str]] = Counter()
    last = len(words) - 1
    for i in compress(count(), map(rare.__contains__, words)):  # in C: most words are not rare
        word = words[i]
        seen[word] += 1
        if i > 0:
            beside[(word, "left", words[i - 1])] += 1
        if i < last:
            beside[(word, "right", words[i + 1])] += 1
    found = set()
    for (word, _, near), n in beside.items():
        if n < max(2, _FRAGMENT_SHARE * seen[word]) or not all("\u4e00" <= c <= "\u9fff" for c in near):
            continue
        if (len(near) == 1 and near not in _FUNCTION_CHARS) or (len(near) > 1 and near not in idf):
            found.add(word)
    return found
