"""Progress entry through the service: periods, saving, computed status, thresholds, summary."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from desktop.core.status import Severity, Status, Thresholds
from desktop.db.models import AuditEntry, ProgressReport
from desktop.errors import ValidationError
from desktop.services.context import Services
from desktop.services.progress.service import ProgressEntry, preview_status
from tests.services.progress_office import YEAR, county_office, report_first_quarter


def _audit(services: Services, action: str) -> list[AuditEntry]:
    with services.sessions() as session:
        return list(
            session.execute(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            ).scalars()
        )


def test_quarterly_periods_and_current_period(services: Services) -> None:
    office = county_office(services)
    labels = [p.label for p in office.periods]
    assert labels == [f"{YEAR}年第{q}季度" for q in "一二三四"]
    assert office.periods[1].due_on == date(YEAR, 6, 25)
    p = services.progress
    assert p.current_period(office.list_id, date(YEAR, 5, 10)).key == f"{YEAR}-Q2"
    assert p.current_period(office.list_id, date(YEAR - 1, 11, 1)).key == f"{YEAR}-Q1"
    assert p.current_period(office.list_id, date(YEAR + 1, 2, 1)).key == f"{YEAR}-Q4"
    # progress entered for Q1 moves the as-of date (and the default period) to its end
    report_first_quarter(office)
    assert p.as_of(office.list_id) >= date(YEAR, 3, 31)


def test_cadence_change_keeps_only_periods_with_progress(services: Services) -> None:
    office = county_office(services)
    office.report(0, office.entry(4, text="按计划推进", percent=25))
    services.list_lifecycle.set_options(office.list_id, cadence="monthly", due_day=20)
    keys = [p.key for p in services.progress.periods(office.list_id)]
    months = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
    assert [k for k in keys if "Q" not in k] == months
    # Q1 holds progress and stays (after its last month); the empty quarters are gone
    assert [k for k in keys if "Q" in k] == [f"{YEAR}-Q1"]
    assert keys.index(f"{YEAR}-Q1") == keys.index(f"{YEAR}-03") + 1
    monthly = {p.key: p for p in services.progress.periods(office.list_id)}
    assert monthly[f"{YEAR}-05"].due_on == date(YEAR, 5, 20)
    services.list_lifecycle.set_options(office.list_id, cadence="quarterly")
    quarters = services.progress.periods(office.list_id)
    assert [p.key for p in quarters] == [f"{YEAR}-Q{q}" for q in range(1, 5)]
    # the periods made before the due day changed follow it too
    assert quarters[1].due_on == date(YEAR, 6, 20)


def test_save_stores_audits_and_clears(services: Services) -> None:
    office = county_office(services)
    changed = office.report(0, office.entry(0, text="召开推进会2次", percent=20))
    assert changed == 1
    rows = services.progress.rows(office.list_id, office.periods[0].id)
    assert rows[0].entry.text == "召开推进会2次" and rows[0].stored
    # saving the same again changes nothing and records nothing
    assert office.report(0, office.entry(0, text="召开推进会2次", percent=20)) == 0
    entries = _audit(services, "progress")
    assert len(entries) == 1
    assert json.loads(entries[0].after)["percent"] == 20 and entries[0].before == ""
    assert "任务 1" in entries[0].summary and entries[0].operator == "张三"
    # an entry emptied again removes the report: the task is 未填报 once more
    assert office.report(0, ProgressEntry(task_id=office.task_ids[0])) == 1
    with services.sessions() as session:
        assert session.execute(select(ProgressReport)).first() is None
    last = _audit(services, "progress")[-1]
    assert json.loads(last.before)["text"] == "召开推进会2次" and last.after == ""


def test_save_refuses_bad_input_and_changes_nothing(services: Services) -> None:
    office = county_office(services)
    with pytest.raises(ValidationError, match="0 到 100"):
        office.report(0, office.entry(0, percent=20), office.entry(1, percent=120))
    with pytest.raises(ValidationError, match="不在这份清单"):
        office.report(0, office.entry(0, percent=20), ProgressEntry(task_id=999_999, text="x"))
    with services.sessions() as session:
        assert session.execute(select(ProgressReport)).first() is None


def test_status_follows_elapsed_time_and_thresholds(services: Services) -> None:
    office = county_office(services)
    report_first_quarter(office)
    statuses = services.progress.statuses(office.list_id, date(YEAR, 3, 31))
    ids = office.task_ids
    assert statuses[ids[0]].status is Status.LAGGING
    assert statuses[ids[0]].severity is Severity.YELLOW  # 20 points behind: yellow
    assert statuses[ids[0]].expected_percent == 25
    assert statuses[ids[3]].status is Status.DONE
    assert statuses[ids[5]].status is Status.ON_TRACK
    # by the end of June, still at Q1's percent: 50 expected, 25 reported → lagging
    later = services.progress.statuses(office.list_id, date(YEAR, 6, 30))
    assert later[ids[5]].status is Status.LAGGING and later[ids[5]].behind == 25
    # a stricter office: 15 points behind already counts as red
    services.progress.set_thresholds(Thresholds(yellow_behind=5, red_behind=15))
    strict = services.progress.statuses(office.list_id, date(YEAR, 3, 31))
    assert strict[ids[0]].severity is Severity.RED
    assert services.progress.thresholds().red_behind == 15
    assert _audit(services, "update")[-1].entity == "setting"


def test_bad_thresholds_are_refused_in_chinese(services: Services) -> None:
    with pytest.raises(ValidationError, match="严重滞后"):
        services.progress.set_thresholds(Thresholds(yellow_behind=20, red_behind=10))
    assert services.progress.thresholds() == Thresholds()


def test_preview_status_matches_the_stored_status(services: Services) -> None:
    """What the screen shows while typing is what the service computes after saving."""
    office = county_office(services)
    report_first_quarter(office)
    q2 = office.periods[1]
    rows = services.progress.rows(office.list_id, q2.id)
    thresholds = services.progress.thresholds()
    typed = [
        ProgressEntry(rows[0].task_id, text="加快推进", percent=48),
        ProgressEntry(rows[1].task_id, text="推进中", percent=10, lag_reason="资金未到位"),
        ProgressEntry(rows[2].task_id, text="已完成", completed_on=date(YEAR, 6, 1)),
        ProgressEntry(rows[3].task_id),  # left empty: Q1's report stays in force
        ProgressEntry(rows[6].task_id, text="超额推进", percent=80),
    ]
    previews = {
        e.task_id: preview_status(rows[i], e, q2.end, thresholds)
        for i, e in zip((0, 1, 2, 3, 6), typed, strict=True)
    }
    office.report(1, *typed)
    stored = services.progress.statuses(office.list_id, q2.end)
    for task_id, preview in previews.items():
        assert stored[task_id] == preview
    assert previews[rows[6].task_id].status is Status.AHEAD


def test_rows_show_previous_period_and_summary_counts(services: Services) -> None:
    office = county_office(services)
    report_first_quarter(office)
    office.report(1, office.entry(5, text="二季度推进", percent=50))
    rows = services.progress.rows(office.list_id, office.periods[1].id)
    assert rows[5].previous_text == "按计划推进" and rows[5].previous_percent == 25
    assert rows[5].previous_label == f"{YEAR}年第一季度"
    assert rows[0].entry.text == "" and rows[0].previous_percent == 5
    q1 = services.progress.summary(office.list_id, office.periods[0].id)
    assert (q1.expected, q1.reported, q1.lagging, q1.missing) == (38, 38, 3, 0)
    assert "已填报 38/38" in q1.text and "滞后 3" in q1.text
    q2 = services.progress.summary(office.list_id, office.periods[1].id)
    assert q2.reported == 1
    # at the end of June every task still at 25% lags; only the done one and task 5 do not
    assert q2.lagging == 36 and len(q2.unexplained) == 36


def test_imported_lists_cannot_be_reported(services: Services) -> None:
    office = county_office(services)
    from desktop.db.models import WorkList

    with services.sessions.begin() as session:
        wl = session.get(WorkList, office.list_id)
        assert wl is not None
        wl.own = False
    with pytest.raises(ValidationError, match="只能查看"):
        office.report(0, office.entry(0, percent=10))


def test_safety_copy_of_unsaved_typing(services: Services) -> None:
    office = county_office(services)
    q1, q2 = office.periods[0].id, office.periods[1].id
    typed = [
        office.entry(0, text="录入中", percent=35),
        office.entry(1, text="已完成", completed_on=date(YEAR, 3, 2), evidence="验收单"),
    ]
    services.unsaved_progress.keep(office.list_id, q1, typed)
    draft = services.unsaved_progress.load(office.list_id, q1)
    assert draft is not None and list(draft.entries) == typed and draft.saved_at
    assert services.unsaved_progress.load(office.list_id, q2) is None  # another period's screen
    # the copy is not progress: nothing reported, nothing audited
    assert services.progress.summary(office.list_id, q1).reported == 0
    assert _audit(services, "progress") == []
    services.unsaved_progress.drop()
    assert services.unsaved_progress.load(office.list_id, q1) is None
