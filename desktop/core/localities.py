"""Localities by their 行政区划代码 (GB/T 2260), and the built-in table of Zhejiang's.

A code has six digits: two for the province, two for the city, two for the county. A
province's code ends in ``0000`` (浙江省 330000), a city's in ``00`` (湖州市 330500), a
county's does not (吴兴区 330502); a county's first four digits are its city's, a city's
first two its province's. That is all the structure the program relies on: a code is
checked against the office's level, and a lower locality against its parent, by these
rules alone, so an office anywhere in the country can use them.

The built-in table (``resources/localities/zhejiang.json``) lists Zhejiang's 11 cities and
90 counties with their codes, as the 民政部 publishes them; its source and date travel with
it (:attr:`LocalityTable.source`, :attr:`LocalityTable.as_of`). It is only an offer: at
set-up a city or the province takes its expected lower localities from it, and the office
may add what it lacks (a functional area without a code) by hand.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from desktop.core.names import normalise_name
from desktop.core.worklist import LEVELS
from desktop.paths import resource_path

__all__ = [
    "BUILTIN_FILE",
    "LocalityTable",
    "TableEntry",
    "builtin_table",
    "code_level",
    "code_problem",
    "lower_level",
    "may_report_under",
    "parent_code",
    "under",
]

BUILTIN_FILE = ("localities", "zhejiang.json")
_SIX_DIGITS = re.compile(r"[0-9]{6}")
_LEVEL_SHAPE = {
    "省级": "以 0000 结尾（如 330000）",
    "市级": "以 00 结尾、但不以 0000 结尾（如 330500）",
    "县级": "不以 00 结尾（如 330502）",
}


def code_level(code: str) -> str | None:
    """The level a six-digit code belongs to, or None when it is not one."""
    if not _SIX_DIGITS.fullmatch(code) or code.startswith("00"):
        return None
    if code.endswith("0000"):
        return "省级"
    if code.endswith("00"):
        return "市级"
    return "县级"


def code_problem(code: str, level: str) -> str | None:
    """None when ``code`` is a code of ``level``, else why not (a Chinese sentence)."""
    if not _SIX_DIGITS.fullmatch(code):
        return f"行政区划代码应为 6 位数字（如 330502），实为“{code}”"
    found = code_level(code)
    if found != level:
        return f"行政区划代码 {code} 不是{level}地区的代码：{level}的代码应{_LEVEL_SHAPE[level]}"
    return None


def parent_code(code: str) -> str:
    """The code of the locality one level up (a county's city, a city's province); "" for a
    province or a code that is not one."""
    level = code_level(code)
    if level == "县级":
        return code[:4] + "00"
    if level == "市级":
        return code[:2] + "0000"
    return ""


def under(code: str, upper: str) -> bool:
    """Whether locality ``code`` lies within locality ``upper`` (at any depth)."""
    level = code_level(upper)
    if level is None or code_level(code) is None or code == upper:
        return False
    prefix = {"省级": 2, "市级": 4, "县级": 6}[level]
    return code[:prefix] == upper[:prefix]


def may_report_under(code: str, upper: str) -> bool:
    """Whether a locality coded ``code`` may report to (or through) the one coded ``upper``.

    Always within the same province (a city or county of another province never). Within
    the same city too when ``code`` is a real code of the built-in table — a real county's
    first four digits are its city's; a code the table does not know (an office's made-up
    example code) is held to its province only, its city checked by name."""
    if code_level(code) is None or code_level(upper) is None or code == upper:
        return False
    if code[:2] != upper[:2]:
        return False
    if builtin_table().get(code) is None:
        return True
    return under(code, upper)


def lower_level(level: str) -> str | None:
    """The level directly below ``level`` (市级 → 县级), None for a county."""
    i = LEVELS.index(level) if level in LEVELS else 0
    return LEVELS[i - 1] if i > 0 else None


@dataclass(frozen=True)
class TableEntry:
    code: str
    name: str
    level: str
    parent_code: str
    parent_name: str


@dataclass(frozen=True)
class LocalityTable:
    """A province's cities and counties with their codes, from a published list."""

    source: str
    as_of: str
    note: str
    entries: tuple[TableEntry, ...]  # the province first, then each city and its counties

    def get(self, code: str) -> TableEntry | None:
        return next((e for e in self.entries if e.code == code), None)

    def named(self, name: str) -> list[TableEntry]:
        """Entries whose name is ``name`` once normalised."""
        key = normalise_name(name)
        return [e for e in self.entries if e.name == key]

    def below(self, code: str) -> list[TableEntry]:
        """Every locality of the table within ``code``: a city's counties; the province's
        cities, each followed by its counties."""
        return [e for e in self.entries if under(e.code, code)]

    @property
    def citation(self) -> str:
        return f"{self.source}，截至 {self.as_of}"


@lru_cache(maxsize=1)
def builtin_table() -> LocalityTable:
    """The built-in table of Zhejiang's cities and counties (read once)."""
    raw = resource_path(*BUILTIN_FILE).read_text(encoding="utf-8")
    return table_from_json(json.loads(raw))


def table_from_json(doc: dict[str, object]) -> LocalityTable:
    province = doc["province"]
    assert isinstance(province, dict)
    entries = [TableEntry(province["code"], province["name"], "省级", "", "")]
    cities = doc["cities"]
    assert isinstance(cities, list)
    for city in cities:
        entries.append(
            TableEntry(city["code"], city["name"], "市级", province["code"], province["name"])
        )
        entries += [
            TableEntry(c["code"], c["name"], "县级", city["code"], city["name"])
            for c in city["counties"]
        ]
    return LocalityTable(str(doc["source"]), str(doc["as_of"]), str(doc["note"]), tuple(entries))
