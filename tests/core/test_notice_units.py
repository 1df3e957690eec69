"""Responsible-unit notes in their real variety, one note at a time."""

from __future__ import annotations

import pytest

from desktop.core.notice.unit_names import glued, is_unit_name, unit_list
from desktop.core.notice.unit_notes import (
    find_doc_rules,
    match_remark,
    note_line_cut,
    parse_note,
    resolve,
    split_notes,
)


def _resolve(
    body: str, *, rule: bool = False
) -> tuple[list[str], list[str], bool, list[str], list[str]]:
    r = resolve([parse_note(body)], first_listed_leads=rule)
    return r.units, r.lead_units, r.joint, r.generic, r.warnings


@pytest.mark.parametrize(
    ("body", "units", "leads", "joint"),
    [
        (
            "牵头单位：省发展改革委；责任单位：省经信厅、省商务厅",
            ["省发展改革委", "省经信厅", "省商务厅"],
            ["省发展改革委"],
            False,
        ),
        ("牵头单位：省商务厅；配合单位：南京海关", ["省商务厅", "南京海关"], ["省商务厅"], False),
        (
            "牵头单位：省发展改革委；责任单位：省发展改革委、省财政厅",
            ["省发展改革委", "省财政厅"],
            ["省发展改革委"],
            False,
        ),
        (
            "省发展改革委牵头，省经信厅、省商务厅配合",
            ["省发展改革委", "省经信厅", "省商务厅"],
            ["省发展改革委"],
            False,
        ),
        (
            "省发展改革委牵头，省经信厅、省商务厅参与",
            ["省发展改革委", "省经信厅", "省商务厅"],
            ["省发展改革委"],
            False,
        ),
        (
            "省发展改革委牵头，省经信厅、省商务厅",
            ["省发展改革委", "省经信厅", "省商务厅"],
            ["省发展改革委"],
            False,
        ),
        (
            "省委网信办、省数据局牵头，省商务厅按职责分工负责",
            ["省委网信办", "省数据局", "省商务厅"],
            ["省委网信办", "省数据局"],
            False,  # two marked leads: not a joint responsibility
        ),
        (
            "责任单位：省发展改革委牵头，省财政厅配合",
            ["省发展改革委", "省财政厅"],
            ["省发展改革委"],
            False,
        ),
        (
            "省司法厅、省财政厅、省税务局按职责分工负责",
            ["省司法厅", "省财政厅", "省税务局"],
            ["省司法厅", "省财政厅", "省税务局"],
            True,
        ),
        (
            "责任单位：省司法厅、省财政厅按职责分工负责",
            ["省司法厅", "省财政厅"],
            ["省司法厅", "省财政厅"],
            True,
        ),
        ("省科技厅、省教育厅等负责", ["省科技厅", "省教育厅"], ["省科技厅", "省教育厅"], True),
        (
            "省卫生健康委、省医保局分别负责",
            ["省卫生健康委", "省医保局"],
            ["省卫生健康委", "省医保局"],
            True,
        ),
        (
            "省人力社保厅、省民政厅等按职责分工负责",
            ["省人力社保厅", "省民政厅"],
            ["省人力社保厅", "省民政厅"],
            True,
        ),
        ("省市场监管局负责", ["省市场监管局"], ["省市场监管局"], False),
        ("责任单位：省建设厅", ["省建设厅"], ["省建设厅"], False),
        (
            "省科技厅、省教育厅（牵头）、省财政厅",
            ["省科技厅", "省教育厅", "省财政厅"],
            ["省教育厅"],
            False,
        ),
        (
            "【牵头单位】省工信厅；【配合单位】省通信管理局",
            ["省工信厅", "省通信管理局"],
            ["省工信厅"],
            False,
        ),
        ("配合单位：省公安厅；牵头单位：省商务厅", ["省公安厅", "省商务厅"], ["省商务厅"], False),
        ("由市发改委牵头，市财政局配合", ["市发改委", "市财政局"], ["市发改委"], False),
        ("由市发改委、市商务局负责", ["市发改委", "市商务局"], ["市发改委", "市商务局"], True),
        ("市发改委会同市财政局负责", ["市发改委", "市财政局"], ["市发改委"], False),
        (
            "市商务局会同市邮政管理局、市交通局等推进",
            ["市商务局", "市邮政管理局", "市交通局"],
            ["市商务局"],
            False,
        ),
        (  # two labels on one line, the spaces between them dropped by normalisation
            "牵头单位：市发改委配合单位：市财政局、市商务局",
            ["市发改委", "市财政局", "市商务局"],
            ["市发改委"],
            False,
        ),
        ("牵头部门：市商务局；协同部门：市财政局", ["市商务局", "市财政局"], ["市商务局"], False),
        (
            "市商务局牵头，市财政局和市税务局配合",
            ["市商务局", "市财政局", "市税务局"],
            ["市商务局"],
            False,
        ),
        (
            "省发展和改革委员会牵头，省文化和旅游厅配合",
            ["省发展和改革委员会", "省文化和旅游厅"],
            ["省发展和改革委员会"],
            False,
        ),
    ],
)
def test_note_variants(body: str, units: list[str], leads: list[str], joint: bool) -> None:
    got_units, got_leads, got_joint, _generic, warnings = _resolve(body)
    assert (got_units, got_leads, got_joint) == (units, leads, joint)
    assert warnings == []


def test_first_listed_rule_decides_only_without_markers() -> None:
    body = "责任单位：省科技厅、省经信厅"
    assert _resolve(body, rule=True)[1:3] == (["省科技厅"], False)
    _units, leads, joint, _generic, warnings = _resolve(body, rule=False)
    assert leads == ["省科技厅"] and not joint
    assert warnings == ["牵头单位不明确，按排第一位处理"]
    assert _resolve("省科技厅、省经信厅按职责分工负责", rule=True)[1] == ["省科技厅", "省经信厅"]


def test_first_listed_rule_in_a_measure_with_two_notes() -> None:
    """Each note is a list of its own: the first unit of each leads its part."""
    notes = [parse_note("责任单位：市教育局"), parse_note("责任单位：市人社局、市教育局、市财政局")]
    got = resolve(notes, first_listed_leads=True)
    assert (got.units, got.lead_units) == (
        ["市教育局", "市人社局", "市财政局"],
        ["市教育局", "市人社局"],
    )
    # without the rule the first named unit is a guess, and the reader is told
    guess = resolve(notes, first_listed_leads=False)
    assert guess.lead_units == ["市教育局"] and "牵头单位不明确，按排第一位处理" in guess.warnings


@pytest.mark.parametrize(
    ("body", "units", "aliases"),
    [
        (
            "责任单位：省市场监管局〔省知识产权局〕、省版权局",
            ["省市场监管局", "省版权局"],
            {"省市场监管局": "省知识产权局"},
        ),
        ("责任单位：省委宣传部[省版权局]", ["省委宣传部"], {"省委宣传部": "省版权局"}),
        (
            "责任单位：省市场监管局（省知识产权局）",
            ["省市场监管局"],
            {"省市场监管局": "省知识产权局"},
        ),
        (
            "责任单位：省商务厅【省贸促会】、省外办",
            ["省商务厅", "省外办"],
            {"省商务厅": "省贸促会"},
        ),
    ],
)
def test_aliases(body: str, units: list[str], aliases: dict[str, str]) -> None:
    result = resolve([parse_note(body)], first_listed_leads=True)
    assert (result.units, result.aliases) == (units, aliases)


@pytest.mark.parametrize(
    ("body", "units", "generic"),
    [
        ("责任单位：省科技厅，各设区市政府", ["省科技厅"], ["各设区市政府"]),
        ("责任单位：省经信厅、省有关部门", ["省经信厅"], ["省有关部门"]),
        ("责任单位：市经信局、市级各有关部门", ["市经信局"], ["市级各有关部门"]),
        ("责任单位：省建设厅、各市、县（市、区）政府", ["省建设厅"], ["各市、县（市、区）政府"]),
        ("责任单位：省民政厅、各县（市、区）人民政府", ["省民政厅"], ["各县（市、区）人民政府"]),
        (
            "市商务局牵头，各区、县（市）人民政府按职责分工负责",
            ["市商务局"],
            ["各区、县（市）人民政府"],
        ),
        ("省商务厅牵头，各市、州、县人民政府配合", ["省商务厅"], ["各市、州、县人民政府"]),
        ("责任单位：省卫生健康委、各地", ["省卫生健康委"], ["各地"]),
        ("责任单位：省文化广电和旅游厅、省总工会", ["省文化广电和旅游厅", "省总工会"], []),
        # a level and a body after a collective end it; they name no unit of their own
        (
            "责任单位：自治区商务厅，各盟行政公署、市人民政府",
            ["自治区商务厅"],
            ["各盟行政公署、市人民政府"],
        ),
        ("省林草局牵头，有关州、市人民政府配合", ["省林草局"], ["有关州、市人民政府"]),
        ("市数据局牵头，各盟市、旗县人民政府负责落实", ["市数据局"], ["各盟市、旗县人民政府"]),
        ("责任单位：市交通运输局、县市区政府", ["市交通运输局"], ["县市区政府"]),
        # a level, then 各: 自治区各…部门, 市直各单位
        (
            "自治区公安厅牵头，自治区各市场监管部门按职责分工负责",
            ["自治区公安厅"],
            ["自治区各市场监管部门"],
        ),
        ("责任单位：省民政厅、市直各单位", ["省民政厅"], ["市直各单位"]),
        # a place before 各 and a list of levels: one collective, not 沿江各县 + 市政府
        ("责任单位：市水务局，沿江各县、市政府", ["市水务局"], ["沿江各县、市政府"]),
        # a body after local governments shares their 相关 / 有关
        (
            "责任单位：市科技局、相关县（市）人民政府、开发区管委会",
            ["市科技局"],
            ["相关县（市）人民政府", "开发区管委会"],
        ),
        ("责任单位：市教育局，有关区政府、管委会", ["市教育局"], ["有关区政府", "管委会"]),
    ],
)
def test_generic_collectives_kept_apart(body: str, units: list[str], generic: list[str]) -> None:
    got_units, _, _, got_generic, _ = _resolve(body, rule=True)
    assert (got_units, got_generic) == (units, generic)


def test_divisions_are_units_only_where_no_unit_is_named() -> None:
    """责任处室 beside 牵头单位 names the issuing office's division that follows the work
    up; in a department's own work plan the divisions are the responsible units."""
    assert _resolve("牵头单位：省商务厅；责任处室：省政府办公厅经济处；配合单位：省财政厅")[:2] == (
        ["省商务厅", "省财政厅"],
        ["省商务厅"],
    )
    assert _resolve("牵头处室：综合处；配合处室：法规处、财务处")[:2] == (
        ["综合处", "法规处", "财务处"],
        ["综合处"],
    )


def test_person_labels_name_no_unit() -> None:
    units, leads, _joint, _generic, warnings = _resolve(
        "牵头单位：市发展改革委；牵头市领导：王某某；联络员：李某；联系电话：12345678"
    )
    assert (units, leads, warnings) == (["市发展改革委"], ["市发展改革委"], [])


def test_rule_and_remark_inside_a_note() -> None:
    note = parse_note(
        "责任单位：省科技厅、省经信厅，各设区市政府。除特别注明外，排第一位的为牵头单位，下同。"
        "以下均需各设区市政府落实，不再列出"
    )
    assert note.rule == "除特别注明外，排第一位的为牵头单位"
    assert note.remark_generic == ["各设区市政府"]
    assert [i.name for i in note.items] == ["省科技厅", "省经信厅", "各设区市政府"]
    assert note.leftovers == []


@pytest.mark.parametrize(
    ("wording", "rule"),
    [
        ("列第一位者为牵头单位，下同", "列第一位者为牵头单位"),
        ("排在第一位的为牵头单位", "排在第一位的为牵头单位"),
        ("第一个单位为牵头单位", "第一个单位为牵头单位"),
        ("除另有注明外，排名首位的单位牵头，下同", "除另有注明外，排名首位的单位牵头"),
        ("列于首位者为牵头部门", "列于首位者为牵头部门"),
    ],
)
def test_first_listed_rule_in_its_wordings(wording: str, rule: str) -> None:
    note = parse_note(f"责任单位：省公安厅、省发展改革委，各市政府。{wording}")
    assert note.rule == rule and note.leftovers == []
    assert [i.name for i in note.items] == ["省公安厅", "省发展改革委", "各市政府"]
    _units, leads, _joint, _generic, warnings = _resolve(
        "责任单位：省公安厅、省发展改革委", rule=True
    )
    assert leads == ["省公安厅"] and warnings == []


def test_a_first_lead_unit_is_not_the_rule() -> None:
    """第一牵头单位：A names a unit; it is not the document's first-listed rule."""
    note = parse_note("第一牵头单位为省发展改革委")
    assert note.rule is None


@pytest.mark.parametrize(
    ("line", "cut"),
    [
        ("配合单位：省发展改革委、省财", True),  # a name cut by the line break
        ("协同责任单位：国家金融监督管理总局海南监管局、海", True),
        ("牵头单位：", True),  # the units follow on the next line
        ("配合单位：省发展改革委、省财政厅", False),
        ("配合单位：省发展改革委，各市（州）人民", True),  # a collective cut short
        ("配合单位：省发展改革委，各市（州）人民政府", False),
        ("责任单位：省教育厅、省卫生健康委按职责分工负责", False),
        ("牵头负责领导：王某某", False),  # a person, not a unit
        ("牵头单位：省商务厅。", False),
        ("（责任单位：省委组织部、省财政厅按职责分工负责）", False),  # brackets close it
    ],
)
def test_label_line_cut_by_a_line_break(line: str, cut: bool) -> None:
    assert note_line_cut(line) is cut


@pytest.mark.parametrize(
    "name",
    [
        "省发展改革委",
        "人民银行山东省分行",
        "国家金融监督管理总局山东监管局",
        "山东高速集团",
        "郑州市政府",
        "工信厅",
        "成都海关",
        "长白山管委会",
        "长江勘测规划设计研究有限责任公司",  # a registered company, no level before it
        "东北林业大学",
        "各县（市、区）",
        "省有关部门",
    ],
)
def test_names_that_are_certainly_units(name: str) -> None:
    assert is_unit_name(name)


@pytest.mark.parametrize(
    "text",
    [
        "年度完成投资1万亿元以上",
        "省工业和信息化",  # the first line of a wrapped name
        "各市人",
        "省级技术创新中心",  # the object of a task
        "上市公司",
        "新发展格局",
        "建设省级公共服务平台",
        "民银行山东省分行",  # the end of a name cut by a line break
        "研究型大学",
        "高水平职业学院",
        "科技型有限公司",
    ],
)
def test_text_that_is_no_unit(text: str) -> None:
    assert not is_unit_name(text)


def test_unit_lists_and_units_run_together() -> None:
    assert glued("省发展改革委省有关部门") and not glued("国家金融监督管理总局山东监管局")
    assert unit_list("省有关部门，各市人民政府") == (True, 0.0, True)
    assert unit_list("省有关部门，各市人")[::2] == (False, True)  # may still grow
    assert unit_list("实施项目，省财政厅")[::2] == (False, False)  # never a list
    assert unit_list("省应急厅、长江勘测规划设计研究有限责任公司、东北林业大学")[0]
    assert unit_list("省发展改革委牵头，省财政厅配合")[0]
    assert unit_list("省文化和旅游厅")[1] < unit_list("旅游厅")[1]  # a full name is surer


def test_rule_and_remark_in_free_text() -> None:
    parse = find_doc_rules(
        "（除特别注明外，排第一位的为牵头单位；以下各项任务均需各市（州）人民政府、"
        "各县（市、区）人民政府负责落实，不再一一列出）"
    )
    assert parse.rule == "除特别注明外，排第一位的为牵头单位"
    assert parse.remark_generic == ["各市（州）人民政府", "各县（市、区）人民政府"]
    assert find_doc_rules("为推动高质量发展，现提出如下意见。").rule is None


def test_warnings_when_unsure() -> None:
    assert _resolve("")[4] == ["未找到责任单位"]
    assert _resolve("责任单位：各设区市政府")[4] == ["仅有泛指单位，未找到具体责任单位"]
    assert _resolve("配合单位：省公安厅")[4] == ["未写明牵头单位"]
    assert (
        "无法识别的责任单位：推动高质量发展的具体举措和保障"
        in _resolve("责任单位：推动高质量发展的具体举措和保障")[4]
    )
    two = resolve(
        [parse_note("责任单位：省科技厅"), parse_note("责任单位：省财政厅")],
        first_listed_leads=True,
    )
    assert (
        two.units == ["省科技厅", "省财政厅"] and "条目含多个责任单位注释，已合并" in two.warnings
    )


@pytest.mark.parametrize(
    ("text", "body", "notes"),
    [
        (
            "推动互认。（责任单位：省市场监管局、省科技厅）",
            "推动互认。",
            ["（责任单位：省市场监管局、省科技厅）"],
        ),
        ("推动互认（责任单位：省市场监管局）。", "推动互认。", ["（责任单位：省市场监管局）"]),
        (
            "推进试点。（省商务厅牵头，省财政厅配合）",
            "推进试点。",
            ["（省商务厅牵头，省财政厅配合）"],
        ),
        ("推进试点。（省发展改革委、省财政厅）", "推进试点。", ["（省发展改革委、省财政厅）"]),
        (
            "依托国家人工智能应用中试基地（医疗），创新服务。",
            "依托国家人工智能应用中试基地（医疗），创新服务。",
            [],
        ),
        ("发行不动产投资信托基金（REITs）。", "发行不动产投资信托基金（REITs）。", []),
        ("加快（近）零碳物流园区建设。", "加快（近）零碳物流园区建设。", []),
        (
            "推进中试基地建设（省发展改革委、省财政厅）",
            "推进中试基地建设（省发展改革委、省财政厅）",
            [],
        ),
        # in the middle of the text a note says its roles
        (
            "推进试点（省商务厅牵头，省财政厅配合）；加强培训（省人社厅负责）。",
            "推进试点；加强培训。",
            ["（省商务厅牵头，省财政厅配合）", "（省人社厅负责）"],
        ),
        (
            "推进开发区（高新区）建设（省商务厅负责）。",
            "推进开发区（高新区）建设。",
            ["（省商务厅负责）"],
        ),
        # a bare collective (企业, 高校) names no unit: the bracket stays text
        (
            "推行安全生产责任制（企业负责），加强监管。",
            "推行安全生产责任制（企业负责），加强监管。",
            [],
        ),
    ],
)
def test_split_notes(text: str, body: str, notes: list[str]) -> None:
    assert split_notes(text) == (body, notes)


@pytest.mark.parametrize(
    ("sentence", "names", "scope"),
    [
        ("以下均需各设区市政府落实", ["各设区市政府"], "below"),
        (
            "以上措施均需各设区市人民政府、赣江新区管委会落实",
            ["各设区市人民政府", "赣江新区管委会"],
            "above",
        ),
        ("各项措施均由各市人民政府负责落实", ["各市人民政府"], "all"),
        ("上述任务由各县（市、区）人民政府负责落实", ["各县（市、区）人民政府"], "above"),
        (
            "以上各项措施，各设区市人民政府、赣江新区管委会均需落实",
            ["各设区市人民政府", "赣江新区管委会"],
            "above",
        ),
        (
            "以上政策措施由各设区市政府和赣江新区管委会负责组织实施",
            ["各设区市政府", "赣江新区管委会"],
            "above",
        ),
        ("各设区市人民政府负责落实以上各项措施", ["各设区市人民政府"], "above"),
        (
            "各设区市人民政府、赣江新区管委会为以下各项任务的共同责任单位",
            ["各设区市人民政府", "赣江新区管委会"],
            "below",
        ),
        ("以下各项任务的责任单位均包括各市州人民政府", ["各市州人民政府"], "below"),
        (
            "本意见所列任务均需各市、县（市、区）政府结合实际抓好落实",
            ["各市、县（市、区）政府"],
            "all",
        ),
        (
            "以上各项任务均由各设区市人民政府、赣江新区管委会及省直有关部门按职责分工负责落实",
            ["各设区市人民政府", "赣江新区管委会", "省直有关部门"],
            "above",
        ),
        ("以上措施均需省发展和改革委员会落实", ["省发展和改革委员会"], "above"),  # 和 in a name
        ("以下措施中，各设区市人民政府均为责任单位", ["各设区市人民政府"], "below"),
    ],
)
def test_document_remarks(sentence: str, names: list[str], scope: str) -> None:
    remark = match_remark(sentence)
    assert remark is not None
    assert (list(remark.names), remark.scope) == (names, scope)


@pytest.mark.parametrize(
    "sentence",
    [
        "以上措施均需按规定落实",
        "新建项目均需按规定落实环评要求",
        "各地各部门要强化统筹协调，因地制宜抓好落实",
        "省发展改革委要会同省直有关部门加强统筹调度",
        "推动政策落实",
        "省发展改革委要会同有关部门抓好落实，不再列出",
    ],
)
def test_not_document_remarks(sentence: str) -> None:
    assert match_remark(sentence) is None
    assert find_doc_rules(sentence, strict=True).remarks == []


def test_remark_with_not_listed_and_in_brackets() -> None:
    parse = find_doc_rules(
        "上述任务由各设区市人民政府和赣江新区管委会负责落实，不再列出。", strict=True
    )
    assert parse.remark_generic == ["各设区市人民政府", "赣江新区管委会"]
    inside = find_doc_rules(
        "为推进物流降本增效，现提出如下意见（以下各项任务均需各市州人民政府落实，不再一一列出）。"
    )
    assert [r.scope for r in inside.remarks] == ["below"]
    assert inside.remark_generic == ["各市州人民政府"]
    note = parse_note(
        "牵头单位：省发展改革委；责任单位：省商务厅。以下均需各设区市人民政府、赣江新区管委会落实，"
        "不再列出"
    )
    assert [i.name for i in note.items] == ["省发展改革委", "省商务厅"]
    assert note.remark_generic == ["各设区市人民政府", "赣江新区管委会"] and not note.leftovers


@pytest.mark.parametrize(
    ("text", "names", "scope"),
    [
        (
            "各设区市人民政府、赣江新区管委会均为责任单位，不再列出。",
            ["各设区市人民政府", "赣江新区管委会"],
            "all",
        ),
        ("均需各设区市人民政府落实，以下不再列出。", ["各设区市人民政府"], "below"),
        ("以下各项任务中涉及地方的，均需各设区市人民政府落实。", ["各设区市人民政府"], "below"),
    ],
)
def test_remarks_said_by_not_listed_or_qualified(text: str, names: list[str], scope: str) -> None:
    parse = find_doc_rules(text, strict=True)
    assert [(list(r.names), r.scope) for r in parse.remarks] == [(names, scope)]


@pytest.mark.parametrize(
    "text",
    ["以上" + "措施" * 70 + "均需各设区市政府", "以下" + "均" * 150, "各项" + "任务" * 75],
)
def test_repetitive_text_is_no_remark(text: str) -> None:
    # how long reading these takes is measured by benchmarks/bench_notice.py
    assert match_remark(text) is None
    assert find_doc_rules(f"{text}，不再列出。", strict=True).remarks == []


def test_units_joined_by_and_keep_collectives_apart() -> None:
    """A、B及各区县（市）政府: 及 separates a named unit from a collective."""
    units, leads, joint, generic, warnings = _resolve(
        "市商务局、市财政局及各区县（市）政府按职责分工负责"
    )
    assert (units, leads, joint) == (["市商务局", "市财政局"], ["市商务局", "市财政局"], True)
    assert generic == ["各区县（市）政府"] and warnings == []


def test_main_responsible_units_label() -> None:
    """主要责任单位： is a label, not a unit called 主要."""
    units, leads, _joint, _generic, warnings = _resolve(
        "主要责任单位：市发改委、市财政局", rule=True
    )
    assert (units, leads, warnings) == (["市发改委", "市财政局"], ["市发改委"], [])


@pytest.mark.parametrize(
    ("body", "units"),
    [
        (
            "责任单位：市教育局，江岸区、江汉区人民政府",
            ["市教育局", "江岸区人民政府", "江汉区人民政府"],
        ),
        ("配合单位：甲县、乙市、丙县人民政府", ["甲县人民政府", "乙市人民政府", "丙县人民政府"]),
        ("配合单位：柳州、梧州市人民政府", ["柳州市人民政府", "梧州市人民政府"]),
        ("配合单位：红星区、蓝天县政府", ["红星区政府", "蓝天县政府"]),
        # a zone is a unit of its own: its name takes no government suffix
        ("配合单位：滨江新区、西湖区人民政府", ["滨江新区", "西湖区人民政府"]),
        # a level's own bodies are no places
        ("责任单位：市委、市政府", ["市委", "市政府"]),
    ],
)
def test_one_government_suffix_for_a_list_of_places(body: str, units: list[str]) -> None:
    assert _resolve(body)[0] == units


def test_collective_lists_of_places_stay_collectives() -> None:
    units, _, _, generic, _ = _resolve("牵头单位：市民政局；配合单位：各市、县人民政府")
    assert (units, generic) == (["市民政局"], ["各市、县人民政府"])


def test_table_cell_with_a_shared_government_suffix() -> None:
    assert unit_list("江岸区、江汉区人民政府")[0]
    # cut by the cell's width: the places may still grow into a list of governments
    assert unit_list("江岸区、江汉区人")[2]


def test_qualified_collective_of_governments() -> None:
    """沿江各县（市、区）人民政府 is a collective like 各县（市、区）人民政府, never a lead."""
    units, leads, _, generic, _ = _resolve("责任单位：市水利局，沿江各县（市、区）人民政府")
    assert (units, leads, generic) == (["市水利局"], ["市水利局"], ["沿江各县（市、区）人民政府"])
    units, leads, _, generic, _ = _resolve("责任单位：沿江各县人民政府")
    assert (units, leads, generic) == ([], [], ["沿江各县人民政府"])


def test_organs_are_units() -> None:
    """A unit named by its 机关 (县纪委监委机关) is listed and can lead."""
    assert _resolve("责任单位：县审计局、县纪委监委机关")[0] == ["县审计局", "县纪委监委机关"]
    units, leads, *_ = _resolve("县纪委监委机关牵头，县财政局配合")
    assert (units, leads) == (["县纪委监委机关", "县财政局"], ["县纪委监委机关"])


def test_by_duty_said_of_a_collective_under_the_first_listed_rule() -> None:
    """…，县有关部门按职责分工负责 speaks for the collective: with the document's rule the
    first named unit leads; without a rule the whole note reads as joint."""
    body = "责任单位：县住房城乡建设局、县自然资源局，县有关部门按职责分工负责"
    units, leads, joint, generic, _ = _resolve(body, rule=True)
    assert (units, leads, joint) == (
        ["县住房城乡建设局", "县自然资源局"],
        ["县住房城乡建设局"],
        False,
    )
    assert generic == ["县有关部门"]
    _, leads, joint, _, _ = _resolve(body)
    assert (leads, joint) == (["县住房城乡建设局", "县自然资源局"], True)
    # a named unit in the closing clause keeps the whole note joint, rule or not
    _, leads, joint, _, _ = _resolve("县住房城乡建设局，县自然资源局按职责分工负责", rule=True)
    assert (leads, joint) == (["县住房城乡建设局", "县自然资源局"], True)
