"""Notices in the database: import, compare before replacing, correct a measure, delete."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.core.notice import parse_notice_file, parse_notice_text
from desktop.db.models import AuditEntry
from desktop.errors import NotFoundError, ValidationError
from desktop.services.context import Services
from desktop.services.notices.changes import MeasureCorrection, target_from_input
from desktop.services.notices.service import NoticeExistsError
from desktop.services.office.service import OfficeInfo

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "notices"
GD = FIXTURES / "gd-2026-5-lead-coop.txt"
AH = FIXTURES / "ah-2026-8-joint.txt"


@pytest.fixture
def county(services: Services) -> Services:
    services.office.save(
        OfficeInfo(locality="某某县", level="县级", parent="某某市", operator="张三")
    )
    return services


def _audit(services: Services, entity: str) -> list[AuditEntry]:
    with services.sessions() as session:
        rows = session.execute(select(AuditEntry).where(AuditEntry.entity == entity)).scalars()
        return list(rows)


def _measure(services: Services, notice_id: int, code: str):  # type: ignore[no-untyped-def]
    return next(m for m in services.notices.tree(notice_id).measures if m.code == code)


def test_import_then_same_number_again_is_refused_unless_replacing(county: Services) -> None:
    parsed = parse_notice_file(GD)
    assert county.notices.compare(parsed) is None
    summary = county.notices.import_parsed(parsed, source_name=GD.name)
    assert summary.doc_number == "粤府办〔2026〕5号" and summary.measures == 7
    assert summary.source_name == GD.name and summary.imported_at
    with pytest.raises(NoticeExistsError) as caught:
        county.notices.import_parsed(parse_notice_file(GD), source_name=GD.name)
    assert "粤府办〔2026〕5号" in str(caught.value)
    comparison = county.notices.compare(parse_notice_file(GD))
    assert comparison is not None and comparison.notice_id == summary.id
    assert comparison.unchanged == 7 and not comparison.changed and not comparison.added
    assert "未变 7 条" in comparison.summary()


def test_replacing_keeps_task_links_and_reports_changes(county: Services) -> None:
    notice = county.notices.import_file(GD)
    wl = county.list_lifecycle.create(notice.id, 2027)
    county.task_editing.generate_draft(wl.id)
    before = county.notices.coverage_counts(notice.id)
    assert len(before) == 7 and set(before.values()) == {1}
    ids_before = {m.code: m.id for m in county.notices.tree(notice.id).measures}

    text = GD.read_text(encoding="utf-8")
    text = text.replace("培育30家左右省级家政服务龙头企业", "培育50家左右省级家政服务龙头企业")
    # drop 二、（四） (used by the draft) and add a new measure in its place
    start = text.index("（四）打造家政服务品牌")
    end = text.index("各地要结合实际")
    text = (
        text[:start]
        + "（五）发展家政电商平台。推动家政服务线上预约。（省商务厅牵头，省市场监管局配合）\n\n"
        + text[end:]
    )
    parsed = parse_notice_text(text)
    comparison = county.notices.compare(parsed)
    assert comparison is not None
    assert comparison.changed == ("（一）培育家政服务龙头企业",)
    assert comparison.added == ("（五）发展家政电商平台",)
    assert comparison.kept == ("（四）打造家政服务品牌",) and not comparison.removed
    assert comparison.lists == 1 and comparison.linked_tasks == 7
    assert "新增 1 条" in comparison.summary() and "仍在使用" in comparison.summary()

    county.notices.import_parsed(parsed, source_name="新文本.txt", replace=True)
    tree = county.notices.tree(notice.id)
    ids_after = {m.code: m.id for m in tree.measures}
    for code, measure_id in ids_before.items():
        assert ids_after[code] == measure_id  # updated in place, same row
    assert county.notices.coverage_counts(notice.id) == before
    kept = next(m for m in tree.measures if m.code == "二.（四）")
    assert "重新导入的文件中已没有这一条目，因本级清单仍在使用而保留" in kept.warnings
    first = next(m for m in tree.measures if m.code == "一.（一）")
    assert first.targets[0].value == "50"
    assert [e.action for e in _audit(county, "notice")][-1] == "replace"


def test_correct_measure_changes_units_and_is_audited(county: Services) -> None:
    notice = county.notices.import_file(AH)
    unclear = _measure(county, notice.id, "二.（一）")
    assert unclear.warnings  # 牵头单位不明确
    correction = MeasureCorrection(
        title=unclear.title,
        text=unclear.text,
        units=("省民政厅", "省经济和信息化厅"),
        lead_units=("省民政厅",),
        generic=("各市人民政府",),
        targets=(target_from_input("智慧养老服务平台", "5", "个", "以上", "2027"),),
    )
    view = county.notices.correct_measure(unclear.id, correction)
    assert view.lead_units == ("省民政厅",) and view.co_units == ("省经济和信息化厅",)
    assert view.generic == ("各市人民政府",) and not view.warnings
    again = _measure(county, notice.id, "二.（一）")
    assert again.units == ("省民政厅", "省经济和信息化厅")
    assert again.targets[0].value == "5" and again.targets[0].year == 2027
    assert again.targets[0].display() == "到2027年智慧养老服务平台5个以上"
    entry = _audit(county, "measure")[-1]
    assert entry.action == "update" and "二.（一）" in entry.summary
    assert "省经济和信息化厅" in entry.before and "各市人民政府" in entry.after


def test_joint_correction_makes_every_unit_lead(county: Services) -> None:
    notice = county.notices.import_file(AH)
    m = _measure(county, notice.id, "一.（二）")
    view = county.notices.correct_measure(
        m.id,
        MeasureCorrection(m.title, m.text, ("省卫生健康委", "省民政厅"), (), joint=True),
    )
    assert view.joint and view.lead_units == ("省卫生健康委", "省民政厅")


@pytest.mark.parametrize(
    ("units", "leads", "message"),
    [
        (("省民政厅", "省民政厅"), ("省民政厅",), "重复"),
        (("省民政厅", "省商务厅"), (), "牵头单位"),
    ],
)
def test_bad_corrections_change_nothing(
    county: Services, units: tuple[str, ...], leads: tuple[str, ...], message: str
) -> None:
    notice = county.notices.import_file(AH)
    m = _measure(county, notice.id, "一.（三）")
    with pytest.raises(ValidationError, match=message):
        county.notices.correct_measure(m.id, MeasureCorrection(m.title, m.text, units, leads))
    assert _measure(county, notice.id, "一.（三）") == m
    assert not _audit(county, "measure")


def test_correcting_a_missing_measure_is_a_clear_error(county: Services) -> None:
    with pytest.raises(NotFoundError, match="找不到这个条目"):
        county.notices.correct_measure(999_999, MeasureCorrection("标题", "正文", (), ()))


@pytest.mark.parametrize(
    ("value", "year", "message"),
    [("十个", "", "不是数字"), ("-3", "", "负数"), ("5", "26年", "年份"), ("5", "1999", "年份")],
)
def test_typed_targets_are_checked(value: str, year: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        target_from_input("养老机构", value, "家", "", year)


def test_typed_target_keeps_exact_decimal_and_builds_a_phrase() -> None:
    t = target_from_input("服务业增加值", "2.50", "万亿元", "突破", "2030年")
    assert str(t.value) == "2.50" and t.year == 2030
    assert t.phrase == "到2030年服务业增加值突破2.50万亿元"


def test_delete_refuses_builtin_and_used_notices(county: Services) -> None:
    builtin = next(n for n in county.notices.list() if n.builtin)
    with pytest.raises(ValidationError, match="内置"):
        county.notices.delete(builtin.id)
    used = county.notices.import_file(GD)
    county.list_lifecycle.create(used.id, 2027)
    with pytest.raises(ValidationError, match="某某县2027年"):
        county.notices.delete(used.id)
    spare = county.notices.import_file(AH)
    county.notices.delete(spare.id)
    assert {n.doc_number for n in county.notices.list()} == {
        builtin.doc_number,
        used.doc_number,
    }
    assert _audit(county, "notice")[-1].action == "delete"
    with pytest.raises(NotFoundError):
        county.notices.delete(spare.id)


def test_not_applicable_reasons_of_current_lists(county: Services) -> None:
    notice = county.notices.import_file(GD)
    wl = county.list_lifecycle.create(notice.id, 2027)
    first = county.notices.tree(notice.id).measures[0]
    assert county.notices.not_applicable(notice.id) == {}
    county.task_editing.set_not_applicable(wl.id, first.id, "本县没有家政龙头企业")
    assert county.notices.not_applicable(notice.id) == {first.id: "2027年：本县没有家政龙头企业"}
    assert county.notices.coverage_counts(notice.id) == {}


def test_a_notice_with_what_the_ledger_cannot_print_is_refused(county: Services) -> None:
    import dataclasses

    parsed = parse_notice_file(GD)
    first = parsed.measures[0]
    broken = dataclasses.replace(first, text=first.text + "👍")
    parsed = dataclasses.replace(parsed, measures=[broken, *parsed.measures[1:]])
    with pytest.raises(ValidationError) as err:
        county.notices.import_parsed(parsed, source_name=GD.name)
    assert f"条目 {first.code} 中的“👍”台账字体无法打印" in str(err.value)
    assert not [n for n in county.notices.list() if n.doc_number == parsed.doc_number]
