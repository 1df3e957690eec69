"""The localities of Zhejiang (设区市 and their 县、市、区), and the place names a text mentions.

The check before sending (校验) uses them to find a task that still speaks of another place —
the province's "推动宁波舟山国际物流枢纽建设" left in 安吉县's list. A locality is the office's
own when it is the office itself, its parent or one of the office's own lower localities; every
other name in the table is another locality's.

A name is matched in full (安吉县, 鄞州区) and, where the short form is unambiguous in
policy text, short (安吉, 义乌). Districts and a few counties whose short form is an
ordinary word (天台 "rooftop", 临海 "by the sea", 江山, 开化, 钱塘 of 钱塘江) match only in full.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import cache

# 设区市：its 县、县级市、区 (2024 divisions)
_DIVISIONS = """
杭州市：上城区 拱墅区 西湖区 滨江区 萧山区 余杭区 临平区 钱塘区 富阳区 临安区 桐庐县 淳安县 建德市
宁波市：海曙区 江北区 北仑区 镇海区 鄞州区 奉化区 象山县 宁海县 余姚市 慈溪市
温州市：鹿城区 龙湾区 瓯海区 洞头区 永嘉县 平阳县 苍南县 文成县 泰顺县 瑞安市 乐清市 龙港市
嘉兴市：南湖区 秀洲区 嘉善县 海盐县 海宁市 平湖市 桐乡市
湖州市：吴兴区 南浔区 德清县 长兴县 安吉县
绍兴市：越城区 柯桥区 上虞区 新昌县 诸暨市 嵊州市
金华市：婺城区 金东区 武义县 浦江县 磐安县 兰溪市 义乌市 东阳市 永康市
衢州市：柯城区 衢江区 常山县 开化县 龙游县 江山市
舟山市：定海区 普陀区 岱山县 嵊泗县
台州市：椒江区 黄岩区 路桥区 三门县 天台县 仙居县 温岭市 临海市 玉环市
丽水市：莲都区 青田县 缙云县 遂昌县 松阳县 云和县 庆元县 景宁畲族自治县 龙泉市
"""
ZHEJIANG: dict[str, tuple[str, ...]] = {
    city: tuple(counties.split())
    for city, counties in (line.split("：") for line in _DIVISIONS.strip().splitlines())
}

# short forms that read as ordinary words in policy text: matched in full only
_FULL_ONLY = frozenset({"天台县", "临海市", "江山市", "开化县", "三门县"})
_SHORT_OVERRIDES = {"景宁畲族自治县": "景宁"}


def _short(name: str) -> str | None:
    if name in _SHORT_OVERRIDES:
        return _SHORT_OVERRIDES[name]
    if name in _FULL_ONLY or name.endswith("区"):
        return None
    return name[:-1] if len(name) >= 3 else None


@cache
def _table() -> dict[str, tuple[str, str]]:
    """Every spelling (full and short) → (full name, its 设区市)."""
    out: dict[str, tuple[str, str]] = {}
    for city, counties in ZHEJIANG.items():
        out[city] = (city, city)
        out[city[:-1]] = (city, city)
        for county in counties:
            out[county] = (county, city)
            short = _short(county)
            if short:
                out[short] = (county, city)
    return out


@cache
def _pattern() -> re.Pattern[str]:
    spellings = sorted(_table(), key=len, reverse=True)  # 安吉县 before 安吉
    return re.compile("|".join(re.escape(s) for s in spellings))


def full_name(name: str) -> str | None:
    """The table's full name for a spelling of a Zhejiang locality (安吉 → 安吉县)."""
    found = _table().get(name.strip())
    return found[0] if found else None


def locality_place(name: str) -> tuple[str | None, str | None]:
    """(level, parent) of a Zhejiang locality: 市级 under 浙江省, or 县级 under its city;
    (None, None) for a name the table does not hold."""
    full = full_name(name)
    if full is None:
        return None, None
    city = _table()[full][1]
    return ("市级", "浙江省") if full == city else ("县级", city)


def own_localities(locality: str, parent: str = "") -> frozenset[str]:
    """The full names an office may speak of as its own: itself, its parent and, for a
    设区市, its own 县、市、区."""
    own = {n for n in (locality.strip(), parent.strip()) if n}
    own |= {f for f in (full_name(n) for n in list(own)) if f}
    itself = full_name(locality) or locality.strip()
    own.update(ZHEJIANG.get(itself, ()))
    return frozenset(own)


def places_in(text: str) -> list[str]:
    """The Zhejiang localities ``text`` names, as full names, in order of first mention."""
    table = _table()
    found: list[str] = []
    for m in _pattern().finditer(text):
        full = table[m.group(0)][0]
        if full not in found:
            found.append(full)
    return found


def other_places(text: str, own: Collection[str]) -> list[str]:
    """The localities ``text`` names that are not the office's own (``own_localities``)."""
    return [p for p in places_in(text) if p not in own]


def spellings_of(names: Iterable[str]) -> list[str]:
    """Every spelling of the given full names that occurs in the table (full and short)."""
    wanted = set(names)
    return [s for s, (full, _city) in _table().items() if full in wanted]
