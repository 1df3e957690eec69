"""The audit log: every change is recorded, and the 审计日志 screen's queries find it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.db.models import AuditEntry
from desktop.services import clock
from desktop.services.audit import log as audit
from desktop.services.audit.query import AuditFilter, action_label, entity_label
from desktop.services.context import Services
from tests.conftest import FIXTURES
from tests.services.progress_office import YEAR, county_office, report_first_quarter


def _last(services: Services) -> AuditEntry:
    with services.sessions() as session:
        entry = session.execute(
            select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)
        ).scalar_one()
        return entry


def _count(services: Services) -> int:
    with services.sessions() as session:
        return int(session.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def test_every_kind_of_change_is_recorded(services: Services) -> None:
    """Notices, the office, units, lists, tasks, progress, freezing and year end all record
    who changed what, with the values before and after."""
    office = county_office(services)
    steps = [
        (
            lambda: services.notices.import_file(FIXTURES / "notices" / "ah-2026-8-joint.txt"),
            "notice",
        ),
        (
            lambda: services.units.save_units([*services.units.unit_names(), "县营商环境建设局"]),
            None,
        ),
        (lambda: services.units.set_mapping("省科技厅", "县发改局"), "unit_mapping"),
        (lambda: services.list_lifecycle.set_options(office.list_id, due_day=20), "work_list"),
        (lambda: _edit_task(services, office.list_id, office.task_ids[0]), "task"),
        (lambda: report_first_quarter(office), "progress"),
        (
            lambda: services.freezing.freeze_period(office.list_id, office.periods[0].id),
            "period",
        ),
        (
            lambda: services.yearend.close_out(office.task_ids[3], date(YEAR, 12, 1), "验收"),
            "task",
        ),
        (lambda: services.yearend.carry_over(office.list_id), "work_list"),
    ]
    for step, entity in steps:
        before = _count(services)
        step()
        assert _count(services) > before, f"no audit entry for {entity}"
        last = _last(services)
        if entity is not None:
            assert last.entity == entity
        assert last.operator == "张三" and datetime.fromisoformat(last.at).tzinfo is not None
    with services.sessions() as session:
        assert audit.verify_chain(session) is None


def _edit_task(services: Services, list_id: int, task_id: int) -> None:
    record = services.worklists.task(task_id)
    record.target_text = "建成示范平台2个"
    services.task_editing.save_task(list_id, record)


def test_filters_and_labels(services: Services) -> None:
    office = county_office(services)
    report_first_quarter(office)
    log = services.audit_log
    everything = log.count()
    progress = AuditFilter(action="progress")
    assert log.count(progress) == 38
    assert log.count(AuditFilter(entity="progress", operator="张三")) == 38
    assert log.count(AuditFilter(operator="李四")) == 0
    assert log.count(AuditFilter(text="用地指标未落实")) == 3  # found in the after values
    assert log.count(AuditFilter(text="100%_")) == 0  # LIKE wildcards are taken literally
    today = clock.now().date()  # the day the entries were written
    assert log.count(AuditFilter(date_from=today, date_to=today)) == everything
    assert log.count(AuditFilter(date_to=date(2000, 1, 1))) == 0
    rows = log.page(progress, limit=5)
    assert len(rows) == 5 and rows[0].id > rows[-1].id  # newest first
    assert rows[0].action_label == "填报进展" and rows[0].entity_label == "进展"
    assert ("progress", "填报进展") in log.actions()
    assert ("work_list", "年度清单") in log.entities()
    assert log.operators() == ["张三"]
    assert action_label("freeze") == "冻结本期" and entity_label("mystery") == "mystery"


def test_keyset_paging_reads_every_row_once(services: Services) -> None:
    with services.sessions.begin() as session:
        for i in range(1234):
            audit.record(session, operator="王五", action="update", entity="task", summary=f"#{i}")
    log = services.audit_log
    seen: list[int] = []
    before = None
    while True:
        page = log.page(AuditFilter(operator="王五"), before_id=before, limit=500)
        if not page:
            break
        seen.extend(r.id for r in page)
        before = page[-1].id
    assert len(seen) == len(set(seen)) == 1234
    assert seen == sorted(seen, reverse=True)


def test_detail_reads_in_chinese_and_marks_changes(services: Services) -> None:
    office = county_office(services)
    office.report(0, office.entry(0, text="推进中", percent=20))
    office.report(0, office.entry(0, text="推进中", percent=30))
    row = services.audit_log.page(AuditFilter(action="progress"), limit=1)[0]
    detail = services.audit_log.detail(row.id)
    assert detail.changed == ("percent",)
    assert "完成百分比：20" in detail.before and "完成百分比：30" in detail.after
    assert "进展情况：推进中" in detail.after.splitlines()  # one field per line
    assert "percent" not in detail.after and "null" not in detail.after
    assert detail.prev_hash and detail.hash


def test_verify_reports_a_whole_and_a_broken_chain(services: Services, data_root: Path) -> None:
    county_office(services)
    check = services.audit_log.verify()
    assert check.whole and check.entries == _count(services) and "完好" in check.message
    with services.sessions.begin() as session:
        entry = session.get(AuditEntry, 2)
        assert entry is not None
        entry.summary = "被人改过"
    broken = services.audit_log.verify()
    assert not broken.whole and broken.broken_id == 2 and "断裂" in broken.message


@pytest.mark.parametrize("limit", [1, 500])
def test_empty_log_pages(services: Services, limit: int) -> None:
    rows = services.audit_log.page(AuditFilter(operator="无人"), limit=limit)
    assert rows == []
