"""The overview's figures, computed without Qt, agree with the computed statuses."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.status import Status, Thresholds
from desktop.services.context import Services
from desktop.services.overview import service as overview_module
from desktop.services.overview.service import StatusCounts
from tests.services.progress_office import YEAR, county_office, report_first_quarter


@pytest.fixture
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    day = date(YEAR, 5, 10)
    monkeypatch.setattr(overview_module, "today", lambda session=None: day)
    return day


def test_no_list_yet(services: Services) -> None:
    assert services.overview.lists() == []
    assert services.overview.default_list_id() is None


def test_counts_groups_and_lists_match_the_statuses(services: Services, fixed_today: date) -> None:
    office = county_office(services)
    report_first_quarter(office)
    ov = services.overview.overview(office.list_id, date(YEAR, 3, 31))
    statuses = services.progress.statuses(office.list_id, date(YEAR, 3, 31))
    assert ov.counts == StatusCounts.count(s.status for s in statuses.values())
    assert (ov.counts.total, ov.counts.lagging, ov.counts.done) == (38, 3, 1)
    assert ov.as_of_text == f"截至{YEAR}年3月底"
    # every task sits in one field; lead units may count a jointly led task more than once
    assert sum(g.total for g in ov.by_section) == 38
    assert sum(g.total for g in ov.by_unit) >= 38
    first = ov.by_section[0]
    assert first.name == "一（一）强化科技服务支撑作用" and first.short.startswith("强化科技")
    assert ov.by_section[-1].name.startswith("四、")
    assert {b.task_id for b in ov.lagging} == set(office.task_ids[:3])
    assert all(b.status is Status.LAGGING for b in ov.lagging)
    science = next(g for g in ov.by_unit if g.name == "县科技局")
    assert 0 < science.average_percent <= 100


def test_periods_and_the_frozen_snapshot(services: Services, fixed_today: date) -> None:
    office = county_office(services)
    report_first_quarter(office)
    services.freezing.freeze_period(office.list_id, office.periods[0].id)
    # a laxer office later: 20 points behind is no longer 滞后 — but the frozen quarter
    # counts as its ledger printed it
    services.progress.set_thresholds(Thresholds(yellow_behind=25, red_behind=40))
    live = services.progress.statuses(office.list_id, date(YEAR, 3, 31))
    assert sum(s.status is Status.LAGGING for s in live.values()) == 0
    ov = services.overview.overview(office.list_id, date(YEAR, 5, 10))
    assert [p.short for p in ov.periods] == ["一季度", "二季度"]
    q1, q2 = ov.periods
    assert q1.frozen and q1.counts.done == 1 and q1.counts.lagging == 3
    assert q2.counts.total == 38 and not q2.frozen


def test_reminder_of_the_period_due(services: Services, fixed_today: date) -> None:
    office = county_office(services)
    report_first_quarter(office)
    office.report(1, office.entry(5, text="二季度推进", percent=40))
    ov = services.overview.overview(office.list_id, date(YEAR, 5, 10))
    assert ov.reminder is not None
    # the task finished in Q1 owes no more reports (closed out or not): 37 are due, 1 is in
    assert ov.reminder.text == f"{YEAR}年第二季度进展应于6月25日前填报，尚有 36 项未填报。"
    assert ov.reminder.level == "info" and ov.reminder.missing == 36


def test_reminder_after_the_due_day_and_when_all_is_in(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = county_office(services)
    monkeypatch.setattr(overview_module, "today", lambda session=None: date(YEAR, 3, 28))
    office.report(0, office.entry(0, text="推进中", percent=25))
    late = services.overview.overview(office.list_id, date(YEAR, 3, 28)).reminder
    assert late is not None and late.level == "warning"
    assert late.text == f"{YEAR}年第一季度进展已于3月25日截止，尚有 37 项未填报。"
    report_first_quarter(office)
    done = services.overview.overview(office.list_id, date(YEAR, 3, 28)).reminder
    assert done is not None and done.level == "done" and "已全部填报（38 项）" in done.text
    services.freezing.freeze_period(office.list_id, office.periods[0].id)
    after = services.overview.overview(office.list_id, date(YEAR, 3, 28)).reminder
    assert after is not None and after.text.startswith(f"{YEAR}年第二季度进展应于6月25日前")


def test_due_soon_lists_tasks_near_their_deadline(services: Services, fixed_today: date) -> None:
    office = county_office(services)
    record = services.worklists.task(office.task_ids[2])
    record.deadline = date(YEAR, 5, 20)
    services.task_editing.save_task(office.list_id, record)
    office.report(1, office.entry(2, text="收尾", percent=95))
    ov = services.overview.overview(office.list_id, date(YEAR, 5, 10))
    assert [b.task_id for b in ov.due_soon] == [office.task_ids[2]]
    assert ov.due_soon[0].deadline == date(YEAR, 5, 20)


def test_default_list_prefers_this_year(services: Services, fixed_today: date) -> None:
    office = county_office(services)
    notice_id = services.worklists.get(office.list_id).notice_id
    services.list_lifecycle.create(notice_id, YEAR + 1)
    assert [c.year for c in services.overview.lists()] == [YEAR + 1, YEAR]
    assert services.overview.default_list_id() == office.list_id
