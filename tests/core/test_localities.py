"""行政区划代码 and names: a code's level and place, the built-in table, look-alike names."""

from __future__ import annotations

import pytest

from desktop.core.localities import (
    builtin_table,
    code_level,
    code_problem,
    may_report_under,
    parent_code,
    under,
)
from desktop.core.names import normalise_name, same_name
from desktop.errors import ValidationError


@pytest.mark.parametrize(
    ("code", "level"),
    [("330000", "省级"), ("330500", "市级"), ("330502", "县级"), ("331127", "县级"),
     ("33050", None), ("3305021", None), ("33O502", None), ("000000", None)],
)  # fmt: skip
def test_a_code_says_its_level(code: str, level: str | None) -> None:
    assert code_level(code) == level


def test_a_code_of_another_level_is_named_as_such() -> None:
    assert code_problem("330500", "市级") is None
    assert "不是县级地区的代码" in (code_problem("330500", "县级") or "")
    assert "应为 6 位数字" in (code_problem("3305", "县级") or "")


def test_where_a_code_lies() -> None:
    assert parent_code("330502") == "330500" and parent_code("330500") == "330000"
    assert parent_code("330000") == ""
    assert under("330502", "330500") and under("330502", "330000") and under("330500", "330000")
    assert not under("330602", "330500") and not under("320502", "330000")
    assert not under("330500", "330500")
    # a real county only through its own city; a made-up code only within its province
    assert may_report_under("330502", "330500") and not may_report_under("330602", "330500")
    assert may_report_under("330999", "330100") and not may_report_under("320999", "330100")
    assert may_report_under("320500", "320000") and not may_report_under("320500", "330000")


def test_the_built_in_table_of_zhejiang() -> None:
    table = builtin_table()
    assert "民政部" in table.source and table.as_of == "2023-12-31"
    cities = [e for e in table.entries if e.level == "市级"]
    counties = [e for e in table.entries if e.level == "县级"]
    assert [c.name for c in cities] == [
        "杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市",
        "舟山市", "台州市", "丽水市",
    ]  # fmt: skip
    assert len(counties) == 90
    codes = [e.code for e in table.entries]
    assert len(set(codes)) == len(codes)
    assert all(code_level(e.code) == e.level for e in table.entries)
    assert all(parent_code(c.code) == c.parent_code for c in counties)
    assert len({c.name for c in counties}) == 90  # no two counties of Zhejiang share a name
    huzhou = [(e.name, e.code) for e in table.below("330500")]
    assert huzhou == [("吴兴区", "330502"), ("南浔区", "330503"), ("德清县", "330521"),
                      ("长兴县", "330522"), ("安吉县", "330523")]  # fmt: skip
    assert table.get("330383") is not None and table.get("330383").name == "龙港市"  # type: ignore[union-attr]
    assert [e.code for e in table.named("景宁畲族自治县")] == ["331127"]
    assert len(table.below("330000")) == 101


def test_names_are_compared_as_people_read_them() -> None:
    assert normalise_name(" 吴兴区 ") == "吴兴区"
    assert normalise_name("ＡＢ开发区") == "AB开发区"  # full-width letters
    assert same_name("Ｂ区", "B区") and not same_name("吴兴区", "南浔区")
    with pytest.raises(ValidationError) as err:
        normalise_name("吴兴\u200b区", "地区名称")
    assert "地区名称“吴兴⟨U+200B⟩区”的第 3 个字符是看不见的 U+200B（零宽空格）" in str(err.value)
    for hidden in ("\ufeff", "\u200d", "\u2060", "\u3164", "\x07", "\u202e"):
        with pytest.raises(ValidationError):
            normalise_name(f"吴兴{hidden}区")
    assert not same_name("吴兴\u200b区", "吴兴区")
