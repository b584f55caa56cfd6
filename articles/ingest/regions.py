"""The gazetteer: which provinces and cities an article is principally about.

Matching runs on simplified text, token by token (rjieba), so a place name must be
a word of the sentence, not any substring (中华 is not 华中). Mentions are weighted
by zone (title and lead count most) and by role: places of visitors ("X一行到…")
count little. County-level names resolve to their city.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count

import rjieba

from .divisions import CITY, PROVINCE, AliasRow, RegionRow, read_divisions

# Short forms that are ordinary words far more often than places.
_COMMON_WORDS = {
    "城区", "郊区", "新区", "矿区", "东区", "西区", "南区", "北区", "中区", "市中", "开发", "高新", "经开",
    "和平", "长安", "复兴", "太平", "向阳", "新华", "红旗", "前进", "胜利", "解放", "团结", "光明", "新城",
    "永和", "城关", "青山", "白云", "宝山", "江北", "江南", "河东", "河西", "城中", "城东", "城西", "城南",
    "城北", "桥东", "桥西", "铁东", "铁西", "东方", "西湖", "南山", "北山", "海城", "龙井", "双桥",
    "通道", "石门", "安平", "清河", "长城", "大同", "新民", "安宁", "普陀", "龙华", "宁安", "永安", "华容",
    "阿里", "海北", "海西", "文山", "红河", "临高", "江华", "金山", "中华",
    "龙潭", "双流", "和田", "昌江", "宁海", "永定", "福山", "万年", "万全", "建设", "大安", "东港", "南岗",
    "连山", "太和", "新兴", "长宁", "泰山", "峨眉", "嘉定", "松山", "信义", "东城", "西城",
}
AMBIGUOUS = "?"
_VISITOR_WORDS = ("一行", "代表团", "考察团", "调研组")
_VISITOR = re.compile("|".join(_VISITOR_WORDS))
_SENTENCE = re.compile(r"[^。！？!?\n]+")


def _is_place_word(word: str) -> bool:
    tags = rjieba.tag(word)
    return len(tags) != 1 or tags[0][1].startswith("ns")


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: str
    parent: str | None


class Gazetteer:
    """Names of regions and county-level aliases, built from plain rows (no database)."""

    def __init__(self, regions: list[RegionRow], aliases: list[AliasRow]):
        self.places = {r.code: Place(r.code, r.name, r.level, r.parent_code) for r in regions}
        names: dict[str, set[str]] = defaultdict(set)
        full: set[str] = set()
        region_short: dict[str, set[str]] = defaultdict(set)
        for r in regions:
            names[r.name].add(r.code)
            full.add(r.name)
            if len(r.short_name) >= 2:
                region_short[r.short_name].add(r.code)
        for short, codes in region_short.items():
            # 吉林, 海南: the province wins a short name shared with a prefecture.
            provinces = {c for c in codes if self.places[c].level == PROVINCE}
            names[short].update(provinces or codes)
        alias_short: dict[str, set[str]] = defaultdict(set)
        for a in aliases:
            if a.name not in names:
                names[a.name].add(a.region_code)
                full.add(a.name)
            elif a.name not in region_short:
                names[a.name].add(a.region_code)
            if len(a.short_name) >= 2 and a.short_name != a.name:
                alias_short[a.short_name].add(a.region_code)
        for short, codes in alias_short.items():
            if short not in names:
                names[short].update(codes)
        self.names = {k: frozenset(v) for k, v in names.items()}
        self.full_names = frozenset(full)
        # A county's short name that the dictionary knows as an ordinary word (合作, 比如, 平安,
        # 通道: a verb, an adjective, a person's name) needs its region named nearby to count.
        ordinary = {short for short in alias_short if short in names and not _is_place_word(short)}
        self.common = frozenset(_COMMON_WORDS) | frozenset(ordinary)
        self.prefixes = frozenset(name[:i] for name in self.names for i in range(1, len(name) + 1))

    @classmethod
    def from_rows(cls, regions, aliases) -> Gazetteer:
        return cls(list(regions), list(aliases))

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Gazetteer:
        return cls(*read_divisions())

    def path(self, code: str) -> str:
        place = self.places[code]
        return f"{self.places[place.parent].name}/{place.name}" if place.parent else place.name

    def province_of(self, code: str) -> str:
        place = self.places[code]
        return place.parent or place.code

    def mentions(self, text: str, words: list[str] | None = None) -> list[tuple[int, frozenset[str], bool]]:
        """(position, candidate codes, is_full_name) for each place word in simplified text.
        ``words``: the text's segmentation, when the caller has it."""
        out = []
        names, prefixes, full_names = self.names, self.prefixes, self.full_names
        if words is None:
            words = rjieba.cut(text)
        n = len(words)
        # The words tile the text: a place's position is the length of the words before it, summed
        # only for the few words that name a place.
        position, before = 0, 0
        # Most words name no place: judge each distinct word once, then find the few that may in C.
        maybe = {w for w in set(words) if w in prefixes or len(w) >= 3 and w[:2] in prefixes}
        candidates = compress(count(), map(maybe.__contains__, words))
        skip_to = 0
        for k in candidates:
            if k < skip_to:
                continue  # joined into the name before it
            word = words[k]
            matched = (word, 0) if word in names else None
            # Join up to three tokens: 士林 + 区, 香洲 + 区.
            joined = word
            for extra in (1, 2):
                if k + extra >= n or joined not in prefixes:
                    break
                joined += words[k + extra]
                if joined in names and joined in full_names:
                    matched = (joined, extra)
            if matched is None and len(word) >= 3:
                for cut in range(len(word) - 1, 1, -1):  # 苏州市委 -> 苏州市
                    if word[:cut] in full_names:
                        matched = (word[:cut], 0)
                        break
            if matched:
                name, extra = matched
                codes = names[name]
                if name in self.common and name not in full_names:
                    # An ordinary word: counts only where the context already names its region.
                    codes = codes | {AMBIGUOUS}
                position += sum(map(len, words[before:k]))
                before = k
                out.append((position, codes, name in full_names))
                skip_to = k + extra + 1
        return out


# Weights of the zones of a page: where a place is named says how much it matters.
ZONE_WEIGHTS = {"title": 5.0, "source": 3.0, "lead": 3.0, "credit": 2.0, "body": 1.0, "footer": 1.0}
_REFERENCE = {
    PROVINCE: re.compile(r"我省|全省|本省|省委|省政府|我区(?=.{0,3}(?:自治区))"),
    CITY: re.compile(r"我市|全市|本市|市委|市政府"),
}


_FOREIGN = re.compile(
    "美国|英国|日本|德国|法国|俄罗斯|意大利|加拿大|澳大利亚|澳洲|新西兰|印度|韩国|朝鲜|越南|泰国|新加坡|马来西亚|印尼|菲律宾"
    "|巴西|阿根廷|墨西哥|乌拉圭|智利|秘鲁|南非|埃及|以色列|伊朗|土耳其|沙特|乌克兰|波兰|荷兰|比利时|瑞士|瑞典|挪威|芬兰|丹麦"
    "|西班牙|葡萄牙|希腊|欧盟|北约|联合国|白宫|华盛顿|伦敦|东京|巴黎|柏林|莫斯科|纽约"
)
PROMINENT = ("title", "source", "lead", "credit")


# Regions named as a group in a headline (京津冀协同发展…): each member counts as named there.
# In the body such groups are mostly context (融入长三角), so they count only in the title.
REGION_GROUPS = {
    "京津冀": ("11", "12", "13"),
    "长三角": ("31", "32", "33", "34"),
    "长江三角洲": ("31", "32", "33", "34"),
    "沪苏浙皖": ("31", "32", "33", "34"),
    "粤港澳大湾区": ("44", "81", "82"),
    "粤港澳": ("44", "81", "82"),
    "成渝地区": ("50", "51"),
    "川渝": ("50", "51"),
    "东北三省": ("21", "22", "23"),
    "黑吉辽": ("21", "22", "23"),
}
_GROUPS = re.compile("|".join(sorted(REGION_GROUPS, key=len, reverse=True)))


def _weighted_mentions(mentions, zone: str, text: str, weight: float, places):
    """(position, codes, weight) of each place named in a zone's text.

    Places named before 一行 / 代表团 … in the same sentence are the visitors' home, not the
    article's subject: they count a tenth. Sentences end at 。！？ and line breaks, which are also
    where segmentation breaks, so a zone without visitors is segmented in one call.
    """
    groups = [(m.start(), frozenset({code}), weight) for m in _GROUPS.finditer(text)
              for code in REGION_GROUPS[m.group()] if code in places] if zone == "title" else []
    # Four substring tests in C, where the regex stops at every 一 of the text.
    if not any(map(text.__contains__, _VISITOR_WORDS)):
        return groups + [(pos, codes, weight) for pos, codes, _full in mentions(text)]
    # Segment once; give each mention the sentence it stands in.
    visitors = [(m.start(), m.end(), v.start() + m.start() if (v := _VISITOR.search(m.group())) else None)
                for m in _SENTENCE.finditer(text)]
    starts = [start for start, _end, _v in visitors]
    out = groups
    for pos, codes, _full in mentions(text):
        k = bisect_right(starts, pos) - 1
        visitor = visitors[k][2] if k >= 0 and pos < visitors[k][1] else None
        out.append((pos, codes, weight * (0.1 if visitor is not None and pos < visitor else 1.0)))
    return out


def score_regions(gazetteer: Gazetteer, zones: list[tuple[str, str]],
                  segmented: dict[str, list[str]] | None = None) -> dict[str, float]:
    """Weighted mention counts per region code; ambiguous names go to a region already named.

    An article mostly about other countries keeps only the places of its title, lead and credits.
    """
    found: dict[str, list] = {}

    def mentions(text: str) -> list:  # the body is segmented once, for the foreign test and the count
        if text not in found:
            found[text] = gazetteer.mentions(text, (segmented or {}).get(text))
        return found[text]

    body = "".join(text for zone, text in zones if zone == "body")
    foreign = len(_FOREIGN.findall(body))
    if foreign >= 10 and foreign >= 2 * len(mentions(body)):
        zones = [(zone, text) for zone, text in zones if zone in PROMINENT]
    scores: dict[str, float] = defaultdict(float)
    ambiguous: list[tuple[frozenset[str], float]] = []
    for zone, text in zones:
        weight = ZONE_WEIGHTS[zone]
        for _pos, codes, w in _weighted_mentions(mentions, zone, text, weight, gazetteer.places):
            if len(codes) == 1 and AMBIGUOUS not in codes:
                scores[next(iter(codes))] += w
            else:
                ambiguous.append((codes, w))
    for codes, w in ambiguous:
        codes = codes - {AMBIGUOUS}
        known = [c for c in codes if scores.get(c) or any(
            gazetteer.province_of(c) == gazetteer.province_of(k) for k in scores)]
        if len(known) == 1:
            scores[known[0]] += w
    return scores


def choose_regions(gazetteer: Gazetteer, scores: dict[str, float], references: str = "",
                   *, minimum: float = 4.0, max_regions: int = 3, dominance: float = 0.3) -> list[str]:
    """Region codes the article is principally about: the top province, narrowed to a city when it dominates.

    ``minimum`` 4 asks for a place named in the headline, or in the lead and again in the text, or
    four times in the text: a place mentioned in passing (a company's seat, a visitor's origin) is
    not what the article is about."""
    if not scores:
        return []
    own: dict[str, float] = defaultdict(float)
    cities: dict[str, dict[str, float]] = defaultdict(dict)
    for code, s in scores.items():
        place = gazetteer.places[code]
        if place.level == PROVINCE:
            own[code] += s
        else:
            cities[place.parent][code] = s
    totals = {p: own.get(p, 0.0) + sum(cities.get(p, {}).values()) for p in set(own) | set(cities)}
    ranked = sorted(totals, key=lambda p: (-totals[p], p))
    top = ranked[0]
    if len(totals) >= 5 and totals[top] < dominance * sum(totals.values()):
        return []  # many places, none leading: a national or general topic
    # 我省 / 我市 refer to the leading province and its leading city.
    own[top] += 0.5 * len(_REFERENCE[PROVINCE].findall(references))
    city_refs = len(_REFERENCE[CITY].findall(references))
    chosen = []
    for p in ranked[:max_regions]:
        if totals[p] < minimum or (chosen and totals[p] < 0.6 * totals[top]):
            break
        chosen.append(_narrow(p, own.get(p, 0.0), cities.get(p, {}), city_refs if p == top else 0))
    return chosen


def _narrow(province: str, own: float, cities: dict[str, float], city_refs: int) -> str:
    if not cities:
        return province
    best = max(cities, key=lambda c: (cities[c], c))
    score = cities[best] + 0.5 * city_refs
    if score >= 2.0 and cities[best] >= 0.5 * sum(cities.values()) and score >= 0.6 * own:
        return best
    return province
