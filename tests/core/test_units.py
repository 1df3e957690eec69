"""Local units and the provincial → local mapping (desktop.core.local_units)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.local_units import (
    DEFAULT_EXCEPTIONS,
    EXCEPTION_NOTES,
    LocalUnitSpec,
    default_local_units,
    is_generic_collective,
    level_prefix,
    map_units,
    propose_mapping,
)

NOTICE = Path(__file__).resolve().parents[2] / "resources" / "notices" / "zjzf-2026-16.txt"

COUNTY = [u.name for u in default_local_units("县级")]
CITY = [u.name for u in default_local_units("市级")]


def notice_units() -> list[str]:
    """The responsible units named in the built-in notice's notes, in first-seen order.

    A plain regex on purpose: this test is about the mapping, not the notice parser.
    """
    text = NOTICE.read_text(encoding="utf-8")
    found: list[str] = []
    for body in re.findall(r"[（(]责任单位[:：]([^）)]*)[）)]", text):
        first = re.split(r"[。]", body)[0]
        for part in re.split(r"[、，,]", first):
            name = re.sub(r"按职责分工负责$", "", part.strip())
            if name and name not in found:
                found.append(name)
    return found


# --------------------------------------------------------------------------- default lists


def test_level_prefix() -> None:
    assert [level_prefix(x) for x in ("县级", "市级", "省级")] == ["县", "市", "省"]
    with pytest.raises(ValueError, match="行政层级"):
        level_prefix("乡级")


@pytest.mark.parametrize("level, prefix", [("县级", "县"), ("市级", "市")])
def test_default_lists_are_realistic(level: str, prefix: str) -> None:
    units = default_local_units(level)
    names = [u.name for u in units]
    assert 35 <= len(units) <= 45
    assert len(set(names)) == len(names)
    assert all(u.name.startswith((prefix, "人行")) for u in units)
    assert all(u.short_name and len(u.short_name) <= len(u.name) for u in units)
    for stem in ("发改", "经信局", "科技局", "商务局", "市场监管局", "委金融办", "税务局"):
        assert any(stem in n for n in names), stem


def test_county_and_city_differ_where_the_structures_differ() -> None:
    assert "县文化广电旅游体育局" in COUNTY and "县体育局" not in COUNTY
    assert "市文化广电旅游局" in CITY and "市体育局" in CITY
    assert "县发改局" in COUNTY and "市发改委" in CITY
    assert "人行县支行" in COUNTY and "人行市分行" in CITY
    assert "县金融监管支局" in COUNTY and "市金融监管分局" in CITY
    assert "市邮政管理局" in CITY and not any("邮政" in n for n in COUNTY)
    assert "县生态环境分局" in COUNTY and "市生态环境局" in CITY


def test_prefix_override_for_a_district_or_county_level_city() -> None:
    units = default_local_units("县级", prefix="区")
    names = [u.name for u in units]
    assert "区发改局" in names and "人行区支行" in names
    assert next(u for u in units if u.name == "区委办").short_name == "区委办"
    proposal = propose_mapping("人行浙江省分行", names, "县级")
    assert proposal.local == "人行区支行" and proposal.source == "default"
    assert propose_mapping("省体育局", names, "县级").local == "区文化广电旅游体育局"


def test_provincial_level_maps_to_itself() -> None:
    names = [u.name for u in default_local_units("省级")]
    for unit in ("省科技厅", "人行浙江省分行", "浙江证监局", "省市场监管局"):
        assert propose_mapping(unit, names, "省级").local == unit
    assert propose_mapping("省人社保厅", names, "省级").local == "省人力社保厅"
    assert propose_mapping("省版权局", names, "省级").local == "省委宣传部"


def test_exception_tables_are_consistent() -> None:
    for prefix, notes in EXCEPTION_NOTES.items():
        assert set(notes) <= set(DEFAULT_EXCEPTIONS[prefix]), prefix
    # Every default target exists in the default list of its level.
    for level in ("县级", "市级", "省级"):
        prefix = level_prefix(level)
        names = [u.name for u in default_local_units(level)]
        for provincial in DEFAULT_EXCEPTIONS[prefix]:
            assert propose_mapping(provincial, names, level).source == "default", provincial


# --------------------------------------------------------------------------- the notice


def test_notice_units_are_found() -> None:
    units = notice_units()
    assert "省科技厅" in units and "人行浙江省分行" in units and "省体育局" in units
    assert len(units) >= 30


@pytest.mark.parametrize("level", ["县级", "市级"])
def test_every_unit_of_the_notice_is_mapped(level: str) -> None:
    local = [u.name for u in default_local_units(level)]
    named = [u for u in notice_units() if not is_generic_collective(u)]
    for unit in named:
        p = propose_mapping(unit, local, level)
        assert p.local in local, (p.provincial, p.note)
        assert p.source in ("default", "rule") and p.note
    # map_units gives one proposal per unit: 省市场监管局[省知识产权局] and
    # 省市场监管局〔省知识产权局〕 are 省市场监管局.
    proposals = map_units(notice_units(), local, level)
    without_alias = {re.sub(r"[\[〔].*$", "", u) for u in named}
    assert sorted(p.provincial for p in proposals) == sorted(without_alias)
    assert all(p.local in local for p in proposals)


COUNTY_PAIRS = {
    "省科技厅": "县科技局",
    "省经信厅": "县经信局",
    "省商务厅": "县商务局",
    "省委金融办": "县委金融办",
    "人行浙江省分行": "人行县支行",
    "浙江金融监管局": "县金融监管支局",
    "浙江证监局": "县委金融办",
    "省文化广电和旅游厅": "县文化广电旅游体育局",
    "省体育局": "县文化广电旅游体育局",
    "省发展改革委": "县发改局",
    "省市场监管局": "县市场监管局",
    "省市场监管局〔省知识产权局〕": "县市场监管局",
    "省知识产权局": "县市场监管局",
    "省人社保厅": "县人力社保局",
    "省人社厅": "县人力社保局",
    "省卫生健康委": "县卫生健康局",
    "省建设厅": "县住建局",
    "省自然资源厅": "县自然资源和规划局",
    "省生态环境厅": "县生态环境分局",
    "省海洋经济厅": "县发改局",
    "省邮政管理局": "县交通运输局",
    "省能源局": "县发改局",
    "省版权局": "县委宣传部",
    "省数据局": "县数据局",
    "省总工会": "县总工会",
    "省税务局": "县税务局",
    "省统计局": "县统计局",
    "省医保局": "县医保分局",
    "省委组织部": "县委组织部",
    "省委宣传部": "县委宣传部",
    "省交通运输厅": "县交通运输局",
}

CITY_PAIRS = {
    "省科技厅": "市科技局",
    "省委金融办": "市委金融办",
    "人行浙江省分行": "人行市分行",
    "浙江金融监管局": "市金融监管分局",
    "浙江证监局": "市委金融办",
    "省文化广电和旅游厅": "市文化广电旅游局",
    "省体育局": "市体育局",
    "省发展改革委": "市发改委",
    "省市场监管局": "市市场监管局",
    "省人社保厅": "市人力社保局",
    "省卫生健康委": "市卫生健康委",
    "省生态环境厅": "市生态环境局",
    "省邮政管理局": "市邮政管理局",
    "省能源局": "市发改委",
    "省医保局": "市医保局",
    "省建设厅": "市住建局",
}


@pytest.mark.parametrize("provincial, local", COUNTY_PAIRS.items())
def test_county_pairs(provincial: str, local: str) -> None:
    assert propose_mapping(provincial, COUNTY, "县级").local == local


@pytest.mark.parametrize("provincial, local", CITY_PAIRS.items())
def test_city_pairs(provincial: str, local: str) -> None:
    assert propose_mapping(provincial, CITY, "市级").local == local


def test_sources_and_notes() -> None:
    rule = propose_mapping("省科技厅", COUNTY, "县级")
    assert rule.source == "rule" and rule.note == "按命名规则：省科技厅 → 县科技局"
    default = propose_mapping("省能源局", COUNTY, "县级")
    assert default.source == "default"
    assert "县发改局" in default.note and "发改部门承担" in default.note


@pytest.mark.parametrize(
    "provincial, local",
    [
        ("浙江省科技厅", "县科技局"),
        ("中共浙江省委宣传部", "县委宣传部"),
        ("省人民政府办公厅", "县政府办"),
        ("国家税务总局浙江省税务局", "县税务局"),
        ("省经济和信息化厅", "县经信局"),
        ("省科学技术厅", "县科技局"),
        ("省人力资源和社会保障厅", "县人力社保局"),
        ("省市场监督管理局", "县市场监管局"),
        ("省 科技厅", "县科技局"),
        ("省应急管理厅", "县应急管理局"),
        ("省退役军人事务厅", "县退役军人事务局"),
    ],
)
def test_other_spellings(provincial: str, local: str) -> None:
    assert propose_mapping(provincial, COUNTY, "县级").local == local


def test_unknown_unit_is_flagged() -> None:
    p = propose_mapping("省外星人事务局", COUNTY, "县级")
    assert p.local is None and p.source == "none"
    assert p.note == "未找到对应的本级单位，请手动指定"


def test_one_shared_character_never_matches() -> None:
    # 局 and 科 are shared, but no two-character core is.
    p = propose_mapping("省科学院", ["县科技局", "县教育局"], "县级")
    assert p.local is None
    # 人事 occurs inside 退役军人事务局, but not as a word of it.
    assert propose_mapping("省人事厅", COUNTY, "县级").local is None


def test_fuzzy_match_is_flagged_for_checking() -> None:
    # A city that merged sport into its culture bureau: no 市体育局 in the list.
    local = ["市发改委", "市文化广电旅游体育局", "市商务局"]
    p = propose_mapping("省体育局", local, "市级")
    assert p.local == "市文化广电旅游体育局" and p.source == "rule"
    assert "请核对" in p.note


def test_user_exception_wins() -> None:
    p = propose_mapping("省体育局", COUNTY, "县级", {"省体育局": "县教育局"})
    assert p.local == "县教育局" and p.source == "user"
    # Over the naming rule too, and under another spelling of the provincial name.
    p = propose_mapping("浙江省科技厅", COUNTY, "县级", {"省科技厅": "县经信局"})
    assert p.local == "县经信局" and p.source == "user"


def test_user_exception_to_a_missing_unit_falls_back() -> None:
    p = propose_mapping("省体育局", COUNTY, "县级", {"省体育局": "县体育中心"})
    assert p.local == "县文化广电旅游体育局" and p.source == "default"
    assert "县体育中心" in p.note and "不在本级单位名单中" in p.note
    p = propose_mapping("省科技厅", COUNTY, "县级", {"省科技厅": "县科创局"})
    assert p.local == "县科技局" and p.source == "rule" and "县科创局" in p.note


def test_default_exception_to_a_missing_unit_falls_back_to_rules() -> None:
    # An office that renamed the merged bureau to its common short form.
    local = [n for n in COUNTY if n != "县文化广电旅游体育局"] + ["县文广旅体局"]
    p = propose_mapping("省文化广电和旅游厅", local, "县级")
    assert p.local == "县文广旅体局" and p.source == "rule"
    assert "不在本级单位名单中" in p.note
    # Without any counterpart: unmapped, and the note says both things.
    local = [n for n in COUNTY if n != "人行县支行"]
    p = propose_mapping("人行浙江省分行", local, "县级")
    assert p.local is None and p.source == "none"
    assert "人行县支行" in p.note and "请手动指定" in p.note


def test_specs_with_short_names_are_accepted() -> None:
    local = [LocalUnitSpec("某某县科学技术局", "科技局"), LocalUnitSpec("某某县发改局", "发改局")]
    assert propose_mapping("省科技厅", local, "县级").local == "某某县科学技术局"


@pytest.mark.parametrize(
    "name",
    [
        "各设区市政府",
        "省有关部门",
        "各县（市、区）政府",
        "各县(市、区)政府",
        "各地各部门",
        "省委各部门",
    ],
)
def test_generic_collectives(name: str) -> None:
    assert is_generic_collective(name)
    p = propose_mapping(name, COUNTY, "县级")
    assert p.local is None and p.source == "none"


@pytest.mark.parametrize("name", ["省科技厅", "人行浙江省分行", "浙江证监局", "省委金融办", ""])
def test_named_units_are_not_generic(name: str) -> None:
    assert not is_generic_collective(name)


def test_map_units_dedupes_and_skips_collectives() -> None:
    proposals = map_units(
        ["省科技厅", "各设区市政府", "省科技厅", "省外星人事务局", "省经信厅"], COUNTY, "县级"
    )
    assert [(p.provincial, p.local) for p in proposals] == [
        ("省科技厅", "县科技局"),
        ("省外星人事务局", None),
        ("省经信厅", "县经信局"),
    ]


_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@settings(max_examples=200, deadline=None)
@given(
    provincial=st.text(_CJK, min_size=1, max_size=8),
    local=st.lists(st.text(_CJK, min_size=1, max_size=8), max_size=6),
    level=st.sampled_from(["县级", "市级", "省级"]),
)
def test_proposal_is_always_one_of_the_local_units(
    provincial: str, local: list[str], level: str
) -> None:
    p = propose_mapping("省" + provincial, local, level)
    assert p.local is None or p.local in local
    assert (p.local is None) == (p.source == "none")
    assert p.note
