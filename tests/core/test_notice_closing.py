"""Closing sections and document-wide remarks in their real variety, and the in-memory
corrections of the import screen (删除条目, 与上一条合并) on a parsed notice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop.core.notice import ParsedNotice, parse_notice_file, parse_notice_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notices"
JX = FIXTURES / "jx-2026-closing.txt"
REMARK = "以上措施均需各设区市人民政府、赣江新区管委会落实。"
CLOSING_WARNING = "“三、组织实施”未列责任单位，按保障条款处理，未作为条目"


def _jx() -> str:
    return JX.read_text(encoding="utf-8")


def _codes(notice: ParsedNotice) -> list[str]:
    return [m.code for m in notice.measures]


EIGHT = [
    "一.（一）",
    "一.（二）",
    "一.（三）",
    "一.（四）",
    "二.（五）",
    "二.（六）",
    "二.（七）",
    "二.（八）",
]


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("组织实施", "三、组织实施"),
        ("保障措施", "三、保障措施"),
        ("组织保障", "三、组织保障"),
        ("工作保障", "三、工作保障"),
        ("保障机制", "三、保障机制"),
        ("工作要求", "三、工作要求"),
        ("实施保障", "三、实施保障"),
        ("加强组织领导", "三、加强组织领导"),
        ("强化组织保障", "三、强化组织保障"),
        ("强化保障", "三、强化保障"),
        ("切实加强组织领导", "三、切实加强组织领导"),
        ("保障措施和工作要求", "三、保障措施和工作要求"),
        ("加强组织领导，确保各项措施落地见效", "三、加强组织领导"),
    ],
)
def test_closing_titles(title: str, label: str) -> None:
    notice = parse_notice_text(_jx().replace("三、组织实施", f"三、{title}"))
    assert _codes(notice) == EIGHT
    assert notice.warnings == [f"“{label}”未列责任单位，按保障条款处理，未作为条目"]


@pytest.mark.parametrize("title", ["强化要素保障", "深化区域物流合作", "加强宣传引导"])
def test_other_titles_in_closing_position_stay_measures(title: str) -> None:
    notice = parse_notice_text(_jx().replace("三、组织实施", f"三、{title}"))
    assert _codes(notice) == [*EIGHT, "三"]
    assert notice.measures[-1].warnings == ["未找到责任单位"]
    assert notice.warnings == []


def test_closing_title_before_a_section_with_notes_stays_a_measure() -> None:
    text = _jx().replace(
        "二、培育现代物流市场主体",
        "二、加强组织领导\n\n建立全省现代物流工作专班，统筹推进重大事项。\n\n三、培育现代物流市场主体",
    )
    text = text.replace("三、组织实施", "四、组织实施")
    notice = parse_notice_text(text)
    assert "二" in _codes(notice) and notice.measures[4].warnings == ["未找到责任单位"]
    assert notice.warnings == ["“四、组织实施”未列责任单位，按保障条款处理，未作为条目"]


def test_closing_section_with_numbered_paragraphs() -> None:
    text = _jx().replace("三、组织实施\n\n", "三、保障措施\n\n（九）加强组织领导。")
    text = text.replace("省发展改革委要会同", "\n\n（十）强化督促检查。省发展改革委要会同")
    notice = parse_notice_text(text)
    assert _codes(notice) == EIGHT
    assert notice.warnings == ["“三、保障措施”未列责任单位，按保障条款处理，未作为条目"]
    assert notice.generic_for_all == ["各设区市人民政府", "赣江新区管委会"]


def test_closing_section_with_a_note_stays_a_measure() -> None:
    text = _jx().replace(
        "重大事项及时向省政府报告。", "重大事项及时向省政府报告。（责任单位：省发展改革委）"
    )
    notice = parse_notice_text(text)
    assert _codes(notice)[-1] == "三" and notice.measures[-1].units == ["省发展改革委"]
    assert notice.warnings == []


def test_notice_without_any_note_keeps_its_closing_section() -> None:
    notice = parse_notice_text(re.sub(r"（牵头单位：[^）]*）", "", _jx()))
    assert _codes(notice) == [*EIGHT, "三"]
    assert CLOSING_WARNING not in notice.warnings


def test_closing_section_inline_and_reformatted() -> None:
    for text in (
        _jx().replace("三、组织实施\n\n", "三、组织实施。"),
        _jx().replace("\n", "\r\n").translate(str.maketrans("（），：；", "(),:;")),
        "\n".join(line for line in _jx().split("\n") if line.strip()),
    ):
        notice = parse_notice_text(text)
        assert _codes(notice) == EIGHT
        assert notice.warnings == [CLOSING_WARNING]
        assert all(m.generic == ["各设区市人民政府", "赣江新区管委会"] for m in notice.measures)


@pytest.mark.parametrize(
    "remark",
    [
        "以上措施均需各设区市人民政府、赣江新区管委会落实。",
        "各项措施均由各设区市人民政府、赣江新区管委会负责落实。",
        "上述任务由各设区市人民政府和赣江新区管委会负责落实，不再列出。",
        "以上各项措施，各设区市人民政府、赣江新区管委会均需落实，不再一一列出。",
        "各设区市人民政府、赣江新区管委会负责落实以上各项措施，不再一一列出。",
    ],
)
def test_remark_variants_in_the_closing_section(remark: str) -> None:
    notice = parse_notice_text(_jx().replace(REMARK, remark))
    assert notice.generic_for_all == ["各设区市人民政府", "赣江新区管委会"]
    assert all(m.generic == ["各设区市人民政府", "赣江新区管委会"] for m in notice.measures)


def test_remark_between_the_last_measure_and_the_closing_section() -> None:
    text = _jx().replace(f"\n{REMARK}\n", "").replace("三、组织实施", f"{REMARK}\n\n三、组织实施")
    notice = parse_notice_text(text)
    assert notice.generic_for_all == ["各设区市人民政府", "赣江新区管委会"]
    assert all(m.generic == ["各设区市人民政府", "赣江新区管委会"] for m in notice.measures)
    assert notice.warnings == [CLOSING_WARNING]  # the paragraph was understood, not orphaned


def test_remark_in_the_preamble() -> None:
    text = _jx().replace(f"\n{REMARK}\n", "")
    text = text.replace(
        "现提出以下实施意见。",
        "现提出以下实施意见（以下各项措施均需各设区市人民政府、赣江新区管委会落实，不再一一列出）。",
    )
    notice = parse_notice_text(text)
    assert all(m.generic == ["各设区市人民政府", "赣江新区管委会"] for m in notice.measures)


def test_above_covers_only_the_measures_before_it() -> None:
    text = _jx().replace(f"\n{REMARK}\n", "")
    text = text.replace(
        "二、培育现代物流市场主体", "以上任务均需各设区市人民政府落实。\n\n二、培育现代物流市场主体"
    )
    notice = parse_notice_text(text)
    got = {m.code: m.generic for m in notice.measures}
    assert all(got[c] == ["各设区市人民政府"] for c in EIGHT[:4])
    assert all(got[c] == [] for c in EIGHT[4:])
    assert notice.generic_for_all == ["各设区市人民政府"]


def test_remark_in_a_note_with_a_named_body() -> None:
    text = _jx().replace(f"\n{REMARK}\n", "")
    text = text.replace(
        "责任单位：省交通运输厅、省商务厅、省自然资源厅）",
        "责任单位：省交通运输厅、省商务厅、省自然资源厅。以下均需各设区市人民政府、赣江新区管委会落实，"
        "不再列出）",
    )
    notice = parse_notice_text(text)
    first = notice.measures[0]
    assert first.units == ["省发展改革委", "省交通运输厅", "省商务厅", "省自然资源厅"]
    assert first.warnings == []  # 赣江新区管委会 is not an unrecognised unit
    assert all(m.generic == ["各设区市人民政府", "赣江新区管委会"] for m in notice.measures)


# ---------------------------------------------------------------- 删除条目 / 与上一条合并


def test_remove_measure() -> None:
    notice = parse_notice_file(JX)
    removed = notice.remove_measure(2)
    assert removed.code == "一.（三）"
    assert _codes(notice) == [c for c in EIGHT if c != "一.（三）"]


def test_merge_into_previous_joins_text_units_and_targets() -> None:
    notice = parse_notice_text(
        "某省人民政府关于推进工作的意见\n一、重点任务\n"
        "（一）建设园区。建设10个园区。（牵头单位：省发展改革委；责任单位：省财政厅）\n"
        "（二）完善配套。培育20家企业。（省商务厅牵头，省财政厅、各市政府配合）\n"
        "（三）推进改革。深化改革。\n（四）推进开放。扩大开放。（责任单位：省商务厅）"
    )
    merged = notice.merge_into_previous(1)
    assert _codes(notice) == ["一.（一）", "一.（三）", "一.（四）"]
    assert merged.text == "建设10个园区。\n（二）完善配套。培育20家企业。"
    assert merged.units == ["省发展改革委", "省财政厅", "省商务厅"]
    # two marked leads after the merge, neither measure a joint responsibility
    assert merged.lead_units == ["省发展改革委", "省商务厅"] and not merged.joint
    assert merged.generic == ["各市政府"]
    assert [t.value for t in merged.targets] == [10, 20]
    assert merged.note.count("\n") == 1
    # a measure without units takes over the units of the one merged into it
    assert notice.measures[1].warnings == ["未找到责任单位"]
    settled = notice.merge_into_previous(2)
    assert settled.units == settled.lead_units == ["省商务厅"] and settled.warnings == []
    assert settled.text == "深化改革。\n（四）推进开放。扩大开放。"
    with pytest.raises(IndexError):
        notice.merge_into_previous(0)


def test_merging_two_joint_responsibilities_stays_joint() -> None:
    notice = parse_notice_text(
        "某省人民政府关于推进工作的意见\n一、重点任务\n"
        "（一）建设园区。建设园区。（省发展改革委、省财政厅按职责分工负责）\n"
        "（二）完善配套。完善配套。（省商务厅、省财政厅分别负责）\n"
        "（三）推进改革。深化改革。（省商务厅牵头，省财政厅配合）"
    )
    merged = notice.merge_into_previous(1)
    assert merged.joint and merged.lead_units == ["省发展改革委", "省财政厅", "省商务厅"]
    merged = notice.merge_into_previous(1)  # a marked lead: no longer every unit leads
    assert not merged.joint


def test_closing_item_at_the_end_of_a_section_of_guarantees() -> None:
    """三、保障措施 whose first items name units and whose last (加强组织实施) names none:
    the last is a guarantee clause; an un-noted item before a noted one stays a measure."""
    text = (
        "某市人民政府办公室关于印发某方案的通知\n某政办发〔2026〕6号\n各县（区）人民政府：\n"
        "一、重点任务\n（一）建设甲项目。推进甲项目。（责任单位：市发展改革委）\n"
        "（二）推进乙工作。落实乙工作。\n"
        "（三）培育丙产业。培育丙产业集群。（责任单位：市工业和信息化局）\n"
        "二、保障措施\n（四）加大资金支持。统筹专项资金。（责任单位：市财政局）\n"
        "（五）加强组织实施。市发展改革委要会同有关部门建立推进机制。\n"
    )
    notice = parse_notice_text(text)
    assert [m.code for m in notice.measures] == [
        "一.（一）",
        "一.（二）",
        "一.（三）",
        "二.（四）",
    ]
    assert notice.warnings[-1] == "“（五）加强组织实施”未列责任单位，按保障条款处理，未作为条目"
