"""China's administrative divisions read from the data files kept in the repo.

Pure: used by the Region data migration and by tests that need a gazetteer
without a database. Two levels are kept as regions (province, prefecture);
county-level names become aliases of the prefecture (or municipality) they
belong to.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "regions"

PROVINCE = "province"
CITY = "city"

# Placeholder rows in cities.csv that are not prefecture-level units themselves.
_MUNICIPAL_PLACEHOLDERS = {"市辖区", "县"}
_DIRECT_PLACEHOLDERS = {"省直辖县级行政区划", "自治区直辖县级行政区划"}

# GB/T 2260 codes for the units HK-MO-TW.json lists without codes.
_SPECIAL_CODES = {"台湾省": "71", "香港特别行政区": "81", "澳门特别行政区": "82"}

# Names of China's ethnic groups as they appear inside autonomous-unit names,
# longest first so that 哈萨克 wins over shorter prefixes.
_ETHNIC = sorted(  # a word table: one string reads as data
    """蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲
    高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌
    普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴
    珞巴 基诺 各""".split(),  # noqa: SIM905
    key=len,
    reverse=True,
)
_ETHNIC_RE = "(?:" + "|".join(_ETHNIC) + ")族?"
_AUTONOMOUS_RE = re.compile(rf"^(.{{2,}}?)(?:{_ETHNIC_RE})+自治(?:区|州|县|旗)$")
_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "新区", "林区", "省", "市", "盟", "区", "县", "旗")


def short_name(name: str) -> str:
    """杭州市 -> 杭州, 广西壮族自治区 -> 广西, 延边朝鲜族自治州 -> 延边; never shorter than two characters."""
    m = _AUTONOMOUS_RE.match(name)
    if m:
        return m.group(1)
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    short_name: str
    level: str  # PROVINCE or CITY
    parent_code: str | None


@dataclass(frozen=True)
class AliasRow:
    """A county-level name and the region (city, or municipality) it resolves to."""

    name: str
    short_name: str
    region_code: str


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_divisions(data_dir: Path = DATA_DIR) -> tuple[list[RegionRow], list[AliasRow]]:
    """Return (regions, aliases) from provinces.csv, cities.csv, areas.csv and HK-MO-TW.json."""
    regions: list[RegionRow] = []
    aliases: list[AliasRow] = []
    provinces = {r["code"]: r["name"] for r in _read_csv(data_dir / "provinces.csv")}
    for code, name in provinces.items():
        regions.append(RegionRow(code, name, short_name(name), PROVINCE, None))

    placeholder_cities: dict[str, str] = {}  # city code -> kind
    for row in _read_csv(data_dir / "cities.csv"):
        if row["name"] in _MUNICIPAL_PLACEHOLDERS:
            placeholder_cities[row["code"]] = "municipal"
        elif row["name"] in _DIRECT_PLACEHOLDERS:
            placeholder_cities[row["code"]] = "direct"
        else:
            regions.append(RegionRow(row["code"], row["name"], short_name(row["name"]), CITY, row["provinceCode"]))

    for row in _read_csv(data_dir / "areas.csv"):
        kind = placeholder_cities.get(row["cityCode"])
        if kind == "direct":
            # County-level cities governed by the province (仙桃市, 济源市) act as cities.
            regions.append(RegionRow(row["code"], row["name"], short_name(row["name"]), CITY, row["provinceCode"]))
            continue
        target = row["provinceCode"] if kind == "municipal" else row["cityCode"]
        aliases.append(AliasRow(row["name"], short_name(row["name"]), target))

    special = json.loads((data_dir / "HK-MO-TW.json").read_text(encoding="utf-8"))
    for pname, subdivisions in special.items():
        pcode = _SPECIAL_CODES[pname]
        regions.append(RegionRow(pcode, pname, short_name(pname), PROVINCE, None))
        if pname == "台湾省":
            for i, (cname, districts) in enumerate(subdivisions.items(), start=1):
                ccode = f"{pcode}{i:02d}"
                regions.append(RegionRow(ccode, cname, short_name(cname), CITY, pcode))
                aliases.extend(AliasRow(d, short_name(d), ccode) for d in districts)
        else:
            # 香港, 澳门: their areas and districts resolve to the SAR, like a municipality.
            for area, districts in subdivisions.items():
                aliases.append(AliasRow(area, short_name(area), pcode))
                aliases.extend(AliasRow(d, short_name(d), pcode) for d in districts)
    return regions, aliases
