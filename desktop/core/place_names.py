"""The place names a text mentions: Zhejiang's 设区市 and 县、市、区 (the built-in table of
``localities``), in full and, where unambiguous, short.

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

from desktop.core.localities import builtin_table


@cache
def divisions() -> dict[str, tuple[str, ...]]:
    """设区市 → its 县、县级市、区, from the built-in table of localities."""
    out: dict[str, list[str]] = {}
    for e in builtin_table().entries:
        if e.level == "市级":
            out.setdefault(e.name, [])
        elif e.level == "县级":
            out.setdefault(e.parent_name, []).append(e.name)
    return {city: tuple(counties) for city, counties in out.items()}


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
    for city, counties in divisions().items():
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
    own.update(divisions().get(itself, ()))
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
