"""Year end: close out finished tasks (销号), carry unfinished ones into next year (结转)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from desktop.db.models import AuditEntry, ProgressReport, Task, WorkList
from desktop.errors import ValidationError
from desktop.services.audit.query import readable
from desktop.services.context import Services
from tests.services.progress_office import YEAR, county_office, report_first_quarter


def _actions(services: Services, action: str) -> list[AuditEntry]:
    with services.sessions() as session:
        return list(
            session.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars()
        )


def test_close_out_needs_a_finished_task_and_evidence(services: Services) -> None:
    office = county_office(services)
    report_first_quarter(office)
    ye = services.yearend
    done, unfinished = office.task_ids[3], office.task_ids[5]
    with pytest.raises(ValidationError, match="尚未完成"):
        ye.close_out(unfinished, date(YEAR, 12, 20), "验收报告")
    with pytest.raises(ValidationError, match="销号依据"):
        ye.close_out(done, date(YEAR, 12, 20), "  ")
    closed = ye.close_out(done, date(YEAR, 12, 20), "县发改局验收意见（示发改〔2027〕8号）")
    assert closed.closed_by == "张三"  # the office's operator by default
    record = services.worklists.task(done)
    assert record.closed_on == date(YEAR, 12, 20)
    assert record.close_evidence.startswith("县发改局验收意见")
    with pytest.raises(ValidationError, match="已经销号"):
        ye.close_out(done, date(YEAR, 12, 21), "再次销号")
    entry = _actions(services, "close_out")[0]
    assert json.loads(entry.after)["closed_by"] == "张三" and entry.entity == "task"
    statuses = services.progress.statuses(office.list_id, date(YEAR, 12, 31))
    assert statuses[done].explanation == "已销号"


def test_close_out_many_is_all_or_nothing(services: Services) -> None:
    office = county_office(services)
    report_first_quarter(office)
    office.report(1, office.entry(6, text="完成", percent=100))
    ids = [office.task_ids[3], office.task_ids[6], office.task_ids[7]]
    with pytest.raises(ValidationError, match=r"任务 8 尚未完成"):
        services.yearend.close_out_many(office.list_id, ids, date(YEAR, 7, 1), "验收", "李四")
    assert all(services.worklists.task(t).closed_on is None for t in ids)
    done = services.yearend.close_out_many(
        office.list_id, ids[:2], date(YEAR, 7, 1), "验收", "李四"
    )
    assert [d.closed_by for d in done] == ["李四", "李四"]


def test_reopen_needs_a_reason(services: Services) -> None:
    office = county_office(services)
    report_first_quarter(office)
    task = office.task_ids[3]
    services.yearend.close_out(task, date(YEAR, 12, 20), "验收报告")
    with pytest.raises(ValidationError, match="理由"):
        services.yearend.reopen(task, "")
    services.yearend.reopen(task, "佐证材料不全，退回补充")
    assert services.worklists.task(task).closed_on is None
    with pytest.raises(ValidationError, match="没有销号"):
        services.yearend.reopen(task, "再撤销一次")
    assert "退回补充" in _actions(services, "reopen")[0].summary


def _counts(services: Services, list_id: int) -> tuple[int, int]:
    with services.sessions() as session:
        tasks = session.execute(
            select(func.count()).select_from(Task).where(Task.work_list_id == list_id)
        ).scalar_one()
        reports = session.execute(
            select(func.count())
            .select_from(ProgressReport)
            .join(Task, Task.id == ProgressReport.task_id)
            .where(Task.work_list_id == list_id)
        ).scalar_one()
    return int(tasks), int(reports)


def test_carry_over_links_and_keeps_history(services: Services) -> None:
    office = county_office(services)
    report_first_quarter(office)
    services.yearend.close_out(office.task_ids[3], date(YEAR, 12, 20), "验收报告")
    office.report(1, office.entry(4, text="已完成", percent=100))  # done, not closed
    old_counts = _counts(services, office.list_id)
    preview = services.yearend.carry_preview(office.list_id)
    assert preview.to_year == YEAR + 1 and preview.target_list_id is None
    assert preview.pending == 36 and preview.done_not_closed == 1

    result = services.yearend.carry_over(office.list_id)
    assert (result.year, result.added, result.skipped, result.created) == (YEAR + 1, 36, 0, True)
    assert _counts(services, office.list_id) == old_counts  # the old list is untouched
    new_list = services.worklists.get(result.list_id)
    assert new_list.year == YEAR + 1 and new_list.carried_from_id == office.list_id
    old = {r.uid: r for r in services.worklists.records(office.list_id)}
    new = services.worklists.records(result.list_id)
    assert all(r.carried_from_uid in old and r.uid not in old for r in new)
    uid_of = {r.id: uid for uid, r in old.items()}
    first = next(r for r in new if r.carried_from_uid == uid_of[office.task_ids[0]])
    assert first.remarks.startswith(f"由{YEAR}年结转") and "完成5%" in first.remarks
    assert first.origin == "carry" and first.deadline == date(YEAR + 1, 12, 31)
    assert first.lead_units == old[first.carried_from_uid].lead_units
    assert first.measure_ids == old[first.carried_from_uid].measure_ids
    # the new task's history reaches back into last year
    history = services.progress.history(first.id or 0)
    assert [h.period_key for h in history] == [f"{YEAR}-Q1"]
    assert history[0].carried and history[0].lag_reason == "用地指标未落实"
    entry = _actions(services, "carry_over")[0]
    after = json.loads(entry.after)
    assert after["from_list_id"] == office.list_id and after["tasks"] == 36
    # the audit log reads it in Chinese: a count under 任务数, no English keys such as from_uid
    shown = readable(after)
    assert "任务数：36" in shown and "from_uid" not in shown
    assert f"原任务标识 {uid_of[office.task_ids[0]]}" in shown


def test_carrying_twice_adds_only_what_is_new(services: Services) -> None:
    office = county_office(services)
    report_first_quarter(office)
    first = services.yearend.carry_over(office.list_id, YEAR + 1)
    with pytest.raises(ValidationError, match="已全部结转"):
        services.yearend.carry_over(office.list_id, YEAR + 1)
    assert _counts(services, first.list_id)[0] == first.added
    # a task added to the old list afterwards is carried on the next run, alone
    record = services.worklists.task(office.task_ids[5])
    record.id, record.uid, record.number = None, "", "99"
    services.task_editing.save_task(office.list_id, record)
    second = services.yearend.carry_over(office.list_id, YEAR + 1)
    assert (second.list_id, second.added, second.skipped, second.created) == (
        first.list_id,
        1,
        first.added,
        False,
    )


def test_carry_over_refusals(services: Services) -> None:
    office = county_office(services)
    with pytest.raises(ValidationError, match="以后的年度"):
        services.yearend.carry_over(office.list_id, YEAR)
    # every task finished: nothing to carry
    office.report(0, *[office.entry(i, percent=100) for i in range(len(office.task_ids))])
    with pytest.raises(ValidationError, match="没有需要结转"):
        services.yearend.carry_over(office.list_id)
    with services.sessions() as session:
        lists = session.execute(select(func.count()).select_from(WorkList)).scalar_one()
    assert lists == 1


def test_carry_over_into_a_submitted_list_is_refused(services: Services) -> None:
    office = county_office(services)
    report_first_quarter(office)
    notice_id = services.worklists.get(office.list_id).notice_id
    target = services.list_lifecycle.create(notice_id, YEAR + 1)
    with services.sessions.begin() as session:
        wl = session.get(WorkList, target.id)
        assert wl is not None
        wl.state = "submitted"
    assert services.yearend.carry_preview(office.list_id).target_submitted
    with pytest.raises(ValidationError, match="已上报"):
        services.yearend.carry_over(office.list_id)
    assert _counts(services, target.id)[0] == 0
