"""Notices from other provinces and cities, one per way of writing the responsible units.

Each fixture under ``tests/fixtures/notices/`` has an ``.expected.json`` next to it with
what the parser must understand (metadata, targets, every measure's units, leads, generic
collectives, aliases and warnings); the tests below also spell out, per variant, the
facts that variant is about.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop.core.notice import ParsedMeasure, ParsedNotice, parse_notice_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notices"
SOURCES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".md"))


def parse(stem: str) -> ParsedNotice:
    (path,) = [p for p in SOURCES if p.stem == stem]
    return parse_notice_file(path)


def by_code(notice: ParsedNotice) -> dict[str, ParsedMeasure]:
    return {m.code: m for m in notice.measures}


def test_every_fixture_has_expectations() -> None:
    assert len(SOURCES) >= 10
    for source in SOURCES:
        assert (FIXTURES / f"{source.stem}.expected.json").exists(), source.name


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_fixture_parses_as_expected(source: Path) -> None:
    want: dict[str, Any] = json.loads(
        (FIXTURES / f"{source.stem}.expected.json").read_text("utf-8")
    )
    d = parse_notice_file(source).to_json_dict()
    for key in ("doc_number", "title", "issuer", "issued_on", "effective_on", "lead_rule"):
        assert d[key] == want[key], key
    assert d["generic_for_all"] == want["generic_for_all"]
    assert d["warnings"] == want["warnings"]
    assert [
        [t["year"], t["subject"], t["value"], t["unit"], t["qualifier"]] for t in d["targets"]
    ] == want["targets"]
    assert [s["code"] for s in d["sections"]] == want["sections"]
    assert 6 <= len(d["measures"]) <= 12
    got = [
        {
            "code": m["code"],
            "title": m["title"],
            "units": m["units"],
            "lead_units": m["lead_units"],
            "joint": m["joint"],
            "generic": m["generic"],
            "aliases": m["aliases"],
            "is_heading": m["is_heading"],
            "targets": [
                [t["subject"], t["value"], t["unit"], t["qualifier"]] for t in m["targets"]
            ],
            "warnings": m["warnings"],
        }
        for m in d["measures"]
    ]
    assert got == want["measures"]
    for m in d["measures"]:
        assert m["text"] and "责任单位" not in m["text"] and "牵头单位" not in m["text"]


def test_lead_unit_and_responsible_units_labels() -> None:
    """（牵头单位：A；责任单位：B、C） and （牵头单位：A；配合单位：B、C）."""
    notice = parse("sz-2026-12-lead-resp")
    ms = by_code(notice)
    first = ms["一.（一）.1"]
    assert first.units == ["省发展改革委", "省交通运输厅", "省自然资源厅", "省商务厅"]
    assert first.lead_units == ["省发展改革委"] and not first.joint
    assert first.co_units == ["省交通运输厅", "省自然资源厅", "省商务厅"]
    assert ms["一.（二）.4"].lead_units == ["省商务厅"]  # 配合单位 never lead
    assert ms["一.（二）.3"].lead_units == ["省交通运输厅", "省邮政管理局"]  # two leads share
    assert not ms["一.（二）.3"].joint  # two marked leads, not 按职责分工负责
    assert ms["二.（二）.8"].generic == ["各设区市人民政府"]
    assert notice.lead_rule is None and all(not m.warnings for m in notice.measures)
    # 本意见自印发之日起施行: the 印发 date, while the issue date is the signature's
    assert notice.issued_on == date(2026, 3, 18) and notice.effective_on == date(2026, 3, 20)
    assert notice.targets[0].value == Decimal("12.5") and notice.targets[0].year == 2028


def test_lead_and_cooperate_markers() -> None:
    """（A牵头，B、C配合） and a single （A负责）."""
    notice = parse("gd-2026-5-lead-coop")
    ms = by_code(notice)
    assert notice.doc_number == "粤府办〔2026〕5号"  # printed 粤府办【2026】5号
    assert ms["一.（一）"].units == ["省商务厅", "省发展改革委", "省财政厅"]
    assert ms["一.（一）"].lead_units == ["省商务厅"] and not ms["一.（一）"].joint
    assert ms["一.（三）"].lead_units == ["省住房城乡建设厅", "省民政厅"]
    assert ms["二.（三）"].units == ms["二.（三）"].lead_units == ["省市场监管局"]
    assert not ms["二.（三）"].joint
    assert ms["二.（四）"].text == "举办“南粤家政”技能大赛，推广“南粤家政”服务标准。"


def test_several_leads_and_the_rest_by_duty() -> None:
    """（A、B牵头，C按职责分工负责）: A and B lead, C cooperates."""
    notice = parse("hz-2026-30-multi-lead")
    ms = by_code(notice)
    assert notice.doc_number == "杭政办函〔2026〕30号"  # printed with [2026]
    assert notice.title == "杭州市人民政府办公厅关于印发杭州市促进数字贸易高质量发展若干措施的通知"
    m = ms["一.1"]
    assert (m.units, m.lead_units, m.joint) == (
        ["市商务局", "市经信局", "市财政局"],
        ["市商务局", "市经信局"],
        False,  # two leads marked 牵头; the others 按职责分工负责 cooperate
    )
    assert m.co_units == ["市财政局"]
    assert ms["二.3"].generic == ["各区、县（市）人民政府"] and ms["二.3"].lead_units == [
        "市商务局"
    ]
    assert ms["二.4"].generic == ["市级各有关部门"]


def test_joint_responsibility() -> None:
    """按职责分工负责 / 分别负责 / 等负责: every named unit leads; no stated rule → warning."""
    notice = parse("ah-2026-8-joint")
    ms = by_code(notice)
    for code in ("一.（一）", "一.（二）", "一.（三）", "二.（三）"):
        assert ms[code].joint and ms[code].lead_units == ms[code].units, code
    assert ms["一.（三）"].units == ["省民政厅", "省商务厅"]  # 等 dropped
    assert ms["二.（一）"].lead_units == ["省经济和信息化厅"]
    assert ms["二.（一）"].warnings == ["牵头单位不明确，按排第一位处理"]
    assert ms["二.（二）"].warnings == []  # a single unit leads without doubt
    assert ms["二.（四）"].units == [] and ms["二.（四）"].warnings == ["未找到责任单位"]
    # the last measure has no note; the closing paragraph and signature still stay out
    assert ms["二.（四）"].text == "建立养老服务机构信用评价制度。"


def test_notes_on_their_own_lines() -> None:
    notice = parse("sd-2026-21-own-line")
    ms = by_code(notice)
    assert ms["一.1"].units == ["省工业和信息化厅", "省发展改革委", "省科技厅", "省财政厅"]
    assert ms["一.1"].lead_units == ["省工业和信息化厅"]
    assert (
        ms["一.1"].note == "牵头单位：省工业和信息化厅\n责任单位：省发展改革委、省科技厅、省财政厅"
    )
    assert ms["一.2"].title == "加快工业母机攻关"
    assert ms["一.2"].text.startswith("支持企业联合高校开展工业母机关键核心技术攻关")
    assert ms["二.3"].lead_units == ["省工业和信息化厅"]  # the rule is stated in the preamble
    assert ms["二.4"].units == ["省工业和信息化厅", "省通信管理局"]  # 【牵头单位】…【配合单位】…
    assert ms["三.6"].lead_units == ["省发展改革委"]  # a bracketed note on a line of its own
    assert all(not m.warnings for m in notice.measures)


def test_aliases_in_every_bracket() -> None:
    notice = parse("fj-2026-3-aliases")
    ms = by_code(notice)
    assert ms["一.（一）"].aliases == {"省市场监管局": "省知识产权局"}  # 〔〕
    assert ms["一.（二）"].aliases == {"省委宣传部": "省版权局"}  # []
    assert ms["一.（三）"].aliases == {"省市场监管局": "省知识产权局"}  # （）
    assert ms["二.（二）"].aliases == {
        "省商务厅": "省贸促会",
        "省市场监管局": "省知识产权局",
    }  # 【】
    assert ms["二.（二）"].units == ["省商务厅", "省市场监管局"]
    # an explicit （牵头） wins over the first-listed rule
    assert ms["二.（三）"].units == ["省科技厅", "省教育厅", "省市场监管局"]
    assert ms["二.（三）"].lead_units == ["省教育厅"]


def test_generic_collectives_and_document_remark() -> None:
    notice = parse("sc-2026-9-generic-remark")
    ms = by_code(notice)
    assert notice.generic_for_all == ["各市（州）人民政府", "各县（市、区）人民政府"]
    assert notice.lead_rule == "除特别注明外，排第一位的为牵头单位"
    assert ms["一.（二）"].generic[0] == "省有关部门" and ms["一.（二）"].units == [
        "省经济和信息化厅"
    ]
    assert ms["二.（一）"].generic[0] == "各市、县（市、区）政府"
    assert ms["二.（二）"].generic[0] == "各地"
    assert ms["二.（三）"].generic[0] == "省级有关部门"
    for m in notice.measures:
        assert set(notice.generic_for_all) <= set(m.generic)
        assert not any(u.startswith("各") or "有关" in u for u in m.units)
    assert ms["一.（一）"].targets == []  # 1至2个 is a range, not a target


def test_half_width_punctuation() -> None:
    notice = parse("hn-2026-6-halfwidth")
    ms = by_code(notice)
    assert notice.doc_number == "湘政发〔2026〕6号"
    assert ms["一.（一）"].units == ["省工业和信息化厅", "省科技厅"]
    assert ms["一.（二）"].units == ["省市场监管局", "省发展改革委"]  # split at a half-width ;
    assert ms["一.（三）"].lead_units == ["省发展改革委"]
    assert ms["二.（二）"].generic == ["各市州人民政府"]
    assert ms["一.（一）"].text == "支持建设工业设计中心，新认定省级工业设计中心50家。"
    assert all("(" not in m.text and "," not in m.text for m in notice.measures)


def test_markdown_noise_and_glued_numbers() -> None:
    notice = parse("wz-2026-7-markdown-glued")
    assert notice.doc_number == "温政发〔2026〕7号"
    assert notice.title == "温州市人民政府关于推进民营经济高质量发展的实施意见"
    assert [m.code for m in notice.measures] == [
        "一.（一）.1",
        "一.（一）.2",
        "一.（一）.3",
        "一.（一）.4",
        "一.（二）.5",
        "二.1",
        "二.2",
    ]
    ms = by_code(notice)
    assert ms["一.（一）.2"].title == "强化金融支持"  # glued after the note of item 1
    assert ms["一.（一）.2"].units == ["市委金融办", "人行温州市分行"]
    assert ms["一.（一）.4"].text == "实施“瓯越英才”计划，引进高层次人才1000名以上。"
    for text in [notice.title or ""] + [m.title + m.text for m in notice.measures]:
        assert "#" not in text and "*" not in text and "---" not in text


def test_fourth_level_and_page_breaks() -> None:
    notice = parse("hb-2026-15-fourth-level")
    ms = by_code(notice)
    assert notice.title == "湖北省人民政府办公厅关于印发湖北省促进服务消费扩容提质行动方案的通知"
    assert ms["二.（一）.1.（1）"].number == "（1）"
    assert ms["二.（一）.1.（2）"].generic == ["各市、州、县人民政府"]
    # （1）（2） lines under one note make one measure
    merged = ms["二.（一）.2"]
    assert merged.text.endswith(
        "具体包括：\n（1）制定民宿服务质量等级评定办法；\n（2）培育一批省级示范民宿。"
    )
    assert not merged.is_heading and "二.（一）.2.（1）" not in ms
    # a page break with its page number in the middle of a sentence and of a unit name
    page = ms["二.（二）.3"]
    assert "支持各地举办音乐节、戏剧节等节会活动" in page.text and "- 3 -" not in page.text
    assert page.units[-1] == "省公安厅"
    # the 主要目标 section carries the headline target and is not a measure
    assert "一" not in ms
    assert [(t.year, t.value, t.unit) for t in notice.targets] == [(2027, Decimal("48"), "%")]


def test_closing_section_without_units_is_not_a_measure() -> None:
    """三、组织实施 after the last section with notes, naming no units, is a guarantee clause."""
    notice = parse("jx-2026-closing")
    assert [m.code for m in notice.measures][-1] == "二.（八）" and len(notice.measures) == 8
    assert all(m.units and m.lead_units for m in notice.measures)  # no task without a lead
    assert notice.warnings == ["“三、组织实施”未列责任单位，按保障条款处理，未作为条目"]
    assert "三" in [s.code for s in notice.sections]  # still part of the outline
    # its closing remark is read: a named body such as 赣江新区管委会 counts as a collective
    assert notice.generic_for_all == ["各设区市人民政府", "赣江新区管委会"]
    for m in notice.measures:
        assert m.generic == ["各设区市人民政府", "赣江新区管委会"], m.code
        assert "赣江新区管委会" not in m.units
        assert "组织实施" not in m.text and "统筹调度" not in m.text


def test_heading_without_units_elsewhere_stays_a_measure() -> None:
    """Only closing headings in closing position stop being measures."""
    notice = parse("gx-2026-18-heading-no-units")
    ms = by_code(notice)
    # not a closing title (强化要素保障 mid-document, 加强数字人才培养 at the end): measures
    for code in ("三", "五"):
        assert ms[code].units == [] and ms[code].warnings == ["未找到责任单位"], code
        assert ms[code].is_heading
    assert "六" not in ms  # 六、组织实施 is the closing clause
    assert notice.warnings == ["“六、组织实施”未列责任单位，按保障条款处理，未作为条目"]
    # 以下各项任务均需各市人民政府落实 under 二、 covers the measures after it only
    assert ms["一.（一）"].generic == [] and ms["一.（二）"].generic == []
    for code in ("二.（三）", "二.（四）", "二.（五）", "三", "四.（六）", "五"):
        assert ms[code].generic == ["各市人民政府"], code
    assert notice.generic_for_all == ["各市人民政府"]
    # a long masthead (…办公厅文件) is not glued to the number and the title
    assert (
        notice.title
        == "广西壮族自治区人民政府办公厅关于印发广西加快数字经济高质量发展若干措施的通知"
    )
    assert notice.issuer == "广西壮族自治区人民政府办公厅"


def test_table_with_cells_apart_by_single_spaces() -> None:
    """序号 重点任务 牵头单位 配合单位 完成时限, one space between cells: the unit columns are
    found by the names in them; a wrapped task, an empty 配合单位 cell (one space or two)."""
    notice = parse("jl-2026-7-space-table")
    ms = by_code(notice)
    assert list(ms) == ["一.1", "一.2", "一.3", "二.4", "二.5", "二.6", "三.7", "三.8", "三.9"]
    assert ms["一.1"].co_units == ["省财政厅", "省公安厅"]
    assert ms["一.1"].generic == ["各市（州）人民政府"]
    # the task cell wrapped onto the next line, two leads
    assert ms["一.2"].text.endswith("推动智能家电进社区、进乡村。")
    assert ms["一.2"].lead_units == ["省商务厅", "省工业和信息化厅"] and not ms["一.2"].joint
    assert ms["一.3"].units == ["省住房城乡建设厅"]  # nothing left of the empty cell
    assert "长白山管委会" in ms["二.4"].co_units  # a named body in a table cell
    assert ms["三.9"].generic == ["省有关部门"]
    for m in notice.measures:  # the deadline column is left out
        assert not re.search(r"\d{4}年\d+月底|持续推进|每季度", m.text), m.code
        assert not m.text.rstrip("。").endswith(tuple(m.units)), m.code  # nor a unit


def test_ruled_table_as_pdf_text_one_cell_a_line() -> None:
    """The text layer of a ruled PDF table: every cell on lines of its own, wrapped at the
    column's width (省商务厅、省贸 / 促会), the header repeated after a page break."""
    notice = parse("hlj-2026-11-table-cells")
    ms = by_code(notice)
    assert list(ms) == ["一.1", "一.2", "一.3", "二.4", "二.5", "二.6", "二.7"]
    assert ms["一.1"].text == "实施外贸主体培育行动，全年新增有进出口实绩企业300家。"
    assert ms["一.2"].lead_units == ["省商务厅", "省贸促会"]
    assert ms["一.3"].co_units == ["哈尔滨海关", "省邮政管理局", "省发展改革委"]
    assert ms["二.4"].text == "提升通关便利化水平，推广“提前申报”等模式。"
    assert ms["二.5"].units == ["省商务厅"]  # an empty 配合单位 cell
    # 人民银行黑龙江 / 省分行、省委金 / 融办: the name is not cut at 省分行
    assert ms["二.6"].lead_units == ["人民银行黑龙江省分行", "省委金融办"]
    assert ms["二.7"].co_units == ["黑河市人民政府", "绥芬河市人民政府"]
    assert not any("序号" in m.text or "- 2 -" in m.text for m in notice.measures)


def test_two_marked_leads_are_not_a_joint_responsibility() -> None:
    """joint only where the note says nothing but 按职责分工负责 / 分别负责 (CONTRACT.md)."""
    ms = list(parse("qh-2026-4-several-leads").measures)
    assert [m.joint for m in ms] == [False, False, False, True, False, False, True, False]
    assert ms[0].lead_units == ["省文化和旅游厅", "省林草局"]  # 牵头单位：A、B
    assert ms[1].lead_units == ["省文化和旅游厅", "省交通运输厅"]  # A、B牵头
    assert ms[2].lead_units == ["省体育局", "省文化和旅游厅"]  # A、B为牵头单位
    assert ms[3].lead_units == ms[3].units  # 按职责分工负责: every unit leads
    assert ms[4].lead_units == ["省文化和旅游厅"]  # A牵头，B按职责分工负责
    assert ms[5].lead_units == ms[5].units == ["省交通运输厅", "省发展改革委"]


def test_label_lines_wrapped_onto_the_next_line() -> None:
    """PDF text: a label line cut in the middle of a name (自治 / 区数据局), a label alone on
    its line, an alias pushed onto the next line."""
    notice = parse("nx-2026-8-wrapped-labels")
    ms = by_code(notice)
    assert ms["一.1"].co_units[-1] == "自治区数据局"
    assert ms["一.2"].co_units[-1] == "自治区交通运输厅"
    assert ms["一.3"].aliases == {"自治区市场监督管理厅": "自治区知识产权局"}
    assert ms["二.4"].lead_units == ["自治区工业和信息化厅"]  # 牵头单位： / 自治区工业…
    assert ms["二.5"].co_units[-1] == "人民银行宁夏回族自治区分行"
    assert ms["二.6"].co_units == ["自治区广播电视局", "自治区体育局"]
    assert notice.warnings == []  # no paragraph left over


def test_closing_articles_are_not_measures() -> None:
    """第七条 本措施自…施行 / 第八条 …与本措施不一致的 / 第九条 …负责解释: back matter."""
    notice = parse("gs-2026-3-articles")
    assert [m.number for m in notice.measures] == [
        "第一条",
        "第二条",
        "第三条",
        "第四条",
        "第五条",
        "第六条",
    ]
    assert notice.effective_on == date(2026, 3, 1)  # read from the closing article
    assert [w[:5] for w in notice.warnings] == ["“第七条”", "“第八条”", "“第九条”"]
    assert notice.sections == []
    assert notice.measures[5].joint  # 按职责分工负责


def test_first_listed_rule_in_other_words() -> None:
    """列第一位者为牵头单位，下同: the rule, not two units called 列第一位者 and 下同."""
    notice = parse("tj-2026-10-first-listed")
    assert notice.lead_rule == "列第一位者为牵头单位"
    assert all(not m.warnings for m in notice.measures)
    assert [m.lead_units for m in notice.measures][:4] == [
        ["市住房城乡建设委"],
        ["市民政局"],
        ["市住房城乡建设委"],
        ["市水务局"],
    ]
    assert notice.measures[0].generic == ["各区人民政府"]
