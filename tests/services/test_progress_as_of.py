"""Which period the screens and ledgers open at, and the day its status is read at.

The walkthrough's case: on 12 October 2027 the running fourth quarter must read at that day
(序时进度 78%), not at 31 December (100%, everything 滞后 and "今日到期"); the default period
is the latest one with progress; the overview reminds of every period past its due date.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.core.status import Status
from desktop.errors import ValidationError
from desktop.services import clock
from desktop.services.context import Services
from desktop.services.ledger.service import LedgerOptions
from tests.services.progress_office import YEAR, Office, county_office, report_first_quarter


def _on(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    moment = datetime(day.year, day.month, day.day, 10, 0).astimezone()
    monkeypatch.setattr(clock, "now", lambda: moment)


@pytest.fixture
def october(services: Services, monkeypatch: pytest.MonkeyPatch) -> Office:
    """12 October 2027: Q1 and Q2 reported in full, two tasks reported for Q3."""
    _on(monkeypatch, date(YEAR, 10, 12))
    office = county_office(services)
    report_first_quarter(office)
    # task 3 finished in Q1 (completion is sticky: it reports no lower percent)
    office.report(1, *[office.entry(i, text="推进中", percent=50) for i in range(38) if i != 3])
    office.report(
        2,
        office.entry(4, text="三季度推进", percent=70),
        office.entry(5, text="已完成主体工程招标"),  # text, no percent
    )
    return office


def test_the_running_period_is_read_at_today(services: Services, october: Office) -> None:
    p, q4 = services.progress, october.periods[3]
    assert p.as_of(october.list_id) == date(YEAR, 10, 12)
    assert p.period_as_of(october.list_id, q4.id) == date(YEAR, 10, 12)
    rows = p.rows(october.list_id, q4.id)
    assert {r.status.expected_percent for r in rows} == {78}  # 285 of 365 days, not 100%
    assert not any("今日到期" in r.status.explanation for r in rows)
    assert rows[4].status.status is Status.ON_TRACK  # 70% against 78%
    summary = p.summary(october.list_id, q4.id)
    assert summary.as_of == date(YEAR, 10, 12) and summary.lagging < 38
    # a period already over is read at its end
    assert p.period_as_of(october.list_id, october.periods[2].id) == date(YEAR, 9, 30)
    # typing into the running period does not move the list's 截至 date to its end
    october.report(3, october.entry(6, text="四季度开局", percent=80))
    assert p.as_of(october.list_id) == date(YEAR, 10, 12)
    assert {r.status.expected_percent for r in p.rows(october.list_id, q4.id)} == {78}


def test_the_period_ledger_prints_as_of_today(services: Services, october: Office) -> None:
    q4 = october.periods[3]
    options = LedgerOptions(variant="progress", period_id=q4.id)
    doc = services.ledgers.document(october.list_id, options)
    assert doc.as_of == f"截至{YEAR}年10月12日"
    statuses = [r.status for p in doc.parts for s in p.sections for g in s.groups for r in g.rows]
    assert statuses.count("lagging") < len(statuses)
    q3 = LedgerOptions(variant="progress", period_id=october.periods[2].id)
    assert services.ledgers.document(october.list_id, q3).as_of == f"截至{YEAR}年9月30日"


def test_the_default_period_is_the_latest_with_progress(
    services: Services, october: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    q3 = october.periods[2]
    assert services.progress.current_period(october.list_id).id == q3.id
    assert services.ledgers.default_period_id(october.list_id) == q3.id
    unchosen = services.ledgers.document(october.list_id, LedgerOptions(variant="progress"))
    assert "第三季度" in unchosen.subtitle and unchosen.as_of == f"截至{YEAR}年9月30日"
    # without the Q3 reports: Q2, the latest period with any
    for i in (4, 5):
        october.report(2, october.entry(i))
    assert services.progress.current_period(october.list_id).key == f"{YEAR}-Q2"
    assert services.ledgers.default_period_id(october.list_id) == october.periods[1].id


def test_without_progress_the_default_is_the_period_of_today(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _on(monkeypatch, date(YEAR, 10, 12))
    office = county_office(services)
    assert services.progress.current_period(office.list_id).key == f"{YEAR}-Q4"
    # a period that has not begun cannot be filled in
    _on(monkeypatch, date(YEAR, 5, 10))
    with pytest.raises(ValidationError, match="第四季度还没有开始"):
        office.report(3, office.entry(0, text="提前填写", percent=10))
    assert services.progress.as_of(office.list_id) == date(YEAR, 5, 10)
    assert services.progress.current_period(office.list_id).key == f"{YEAR}-Q2"
    assert services.ledgers.default_period_id(office.list_id) == office.periods[1].id
    assert [p.state for p in services.progress.periods(office.list_id)] == [
        "past",
        "current",
        "future",
        "future",
    ]


def test_a_list_whose_year_has_not_begun(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # November of the year before: the list is drawn up, nothing of it has begun
    _on(monkeypatch, date(YEAR - 1, 11, 26))
    office = county_office(services)
    assert {p.state for p in services.progress.periods(office.list_id)} == {"future"}
    with pytest.raises(ValidationError, match="第一季度还没有开始"):
        report_first_quarter(office)
    with pytest.raises(ValidationError, match="不能冻结"):
        services.freezing.freeze_period(office.list_id, office.periods[0].id)
    # its figures are read at its first day
    assert services.progress.as_of(office.list_id) == date(YEAR, 1, 1)
    assert services.progress.current_period(office.list_id).key == f"{YEAR}-Q1"


def test_every_overdue_period_is_reminded_first(services: Services, october: Office) -> None:
    services.freezing.freeze_period(october.list_id, october.periods[0].id)
    ov = services.overview.overview(october.list_id)
    # task 3, finished in Q1, owes no more reports
    assert [r.text for r in ov.reminders] == [
        f"{YEAR}年第三季度进展已于9月25日截止，尚有 35 项未填报。",
        f"{YEAR}年第四季度进展应于12月25日前填报，尚有 37 项未填报。",
    ]
    assert [r.level for r in ov.reminders] == ["warning", "info"]
    assert ov.reminders[0].period_id == october.periods[2].id and ov.reminder == ov.reminders[0]
    # Q2 is past its due day too, but complete: no reminder for it


def test_a_text_only_report_counts_as_reported_on_the_overview(
    services: Services, october: Office
) -> None:
    ov = services.overview.overview(october.list_id)
    briefs = {b.task_id: b for b in (*ov.lagging, *ov.due_soon)}
    statuses = services.progress.statuses(october.list_id)
    told = statuses[october.task_ids[5]]
    # Q3's report gives text only: the Q2 percent stays in force, and the task has reported
    assert told.reported and told.reported_percent == 50
    assert "尚未报送" not in told.explanation
    brief = briefs[october.task_ids[5]]
    assert brief.reported and brief.actual_text == "50%"
    assert brief.not_reported  # the running Q4 has no report of it yet
    silent = next(b for b in ov.lagging if b.task_id == october.task_ids[7])
    assert silent.actual_text == "50%"


def test_a_task_closed_out_reports_no_more(services: Services, october: Office) -> None:
    # finished in Q1 (a completion date): no later period expects its report, closed or not
    assert services.progress.summary(october.list_id, october.periods[1].id).expected == 37
    services.yearend.close_out(october.task_ids[3], date(YEAR, 4, 2), "验收报告")
    assert services.progress.summary(october.list_id, october.periods[1].id).expected == 37
    assert services.progress.summary(october.list_id, october.periods[2].id).expected == 37
    # a task that reported in a period counts for it, whatever else holds
    october.report(1, october.entry(0, text="补报", percent=50))
    assert services.progress.summary(october.list_id, october.periods[1].id).reported == 37


def test_carry_over_before_the_year_is_out(
    services: Services, october: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert services.yearend.year_not_over(october.list_id) == date(YEAR, 10, 12)
    chosen = october.task_ids[:3]
    result = services.yearend.carry_over(october.list_id, YEAR + 1, chosen)
    assert result.added == 3 and result.skipped == 0
    new = services.worklists.records(result.list_id)
    assert len(new) == 3
    assert new[0].remarks == f"由{YEAR}年结转（截至{YEAR}年10月12日完成50%）"
    # only unfinished tasks of the list may be chosen, and at least one
    with pytest.raises(ValidationError, match="至少勾选一项"):
        services.yearend.carry_over(october.list_id, YEAR + 1, [])
    with pytest.raises(ValidationError, match="不能结转"):
        services.yearend.carry_over(october.list_id, YEAR + 1, [october.task_ids[3]])  # done
    # after the year: no warning, and the note says the year's end
    _on(monkeypatch, date(YEAR + 1, 1, 6))
    assert services.yearend.year_not_over(october.list_id) is None
    later = services.yearend.carry_over(october.list_id, YEAR + 1, october.task_ids[8:10])
    assert later.added == 2
    last = services.worklists.records(result.list_id)[-1]
    assert last.remarks == f"由{YEAR}年结转（截至{YEAR}年底完成50%）"


def test_progress_ledgers_print_the_reasons_and_next_steps(
    services: Services, october: Office
) -> None:
    october.report(
        2,
        october.entry(
            0,
            text="前期手续办理中",
            percent=45,
            problems="要素保障不足",
            lag_reason="用地指标未落实",
            next_steps="协调自然资源部门加快办理",
        ),
        october.entry(1, text="推进中", percent=40, next_steps="倒排工期"),
    )

    def progress(variant: str, period: int | None = 2) -> dict[str, str]:
        options = LedgerOptions(
            variant=variant, period_id=october.periods[period].id if period is not None else None
        )
        doc = services.ledgers.document(october.list_id, options)
        rows = [r for p in doc.parts for s in p.sections for g in s.groups for r in g.rows]
        return {r.number: r.progress for r in rows}

    # the percent prints in its own column (the latest known one), not inside the text
    full = (
        "前期手续办理中\n存在问题：要素保障不足\n滞后原因：用地指标未落实\n"
        "下步打算：协调自然资源部门加快办理"
    )
    for variant in ("progress", "lagging"):
        shown = progress(variant)
        assert shown["1"] == full, variant
        assert shown["2"] == "推进中\n下步打算：倒排工期"  # only what is filled
    # the whole list prints the progress alone
    assert progress("all", None)["1"] == "前期手续办理中"


def test_progress_entry_opens_on_the_period_now_due_once_the_last_is_frozen(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _on(monkeypatch, date(YEAR, 5, 10))
    office = county_office(services)
    report_first_quarter(office)
    assert services.progress.current_period(office.list_id).key == f"{YEAR}-Q1"
    services.freezing.freeze_period(office.list_id, office.periods[0].id)
    # Q1 is done with: the screen opens on Q2, the period now due; the ledgers keep Q1
    assert services.progress.current_period(office.list_id).key == f"{YEAR}-Q2"
    assert services.ledgers.default_period_id(office.list_id) == office.periods[0].id
