"""The one rule for a task's figures (desktop.core.figures), case by awkward case."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from desktop.core.figures import (
    ReportFact,
    TaskFacts,
    bucket_counts,
    latest_known,
    measure_coverage,
    task_figures,
)
from desktop.core.periods import (
    CURRENT,
    FUTURE,
    PAST,
    generate_periods,
    period_read_at,
    period_state,
)
from desktop.core.status import PlannedPoint, Status

Q = {p.key[-2:]: (p.start, p.end) for p in generate_periods(2027, "quarterly", 25)}
M = {p.key[-2:]: (p.start, p.end) for p in generate_periods(2027, "monthly", 25)}


def rep(period: str, percent: int | None = None, done: date | None = None, **kw: Any) -> ReportFact:
    start, end = Q[period] if period.startswith("Q") else M[period]
    return ReportFact(start, end, percent, done, **kw)


YEAR_TASK = TaskFacts(date(2027, 1, 1), date(2027, 12, 31))

# (case, reports, as_of, task, expected percent, status, reported in current period, bucket)
CASES: list[tuple[str, list[ReportFact], date, TaskFacts, int | None, str | None, bool, str]] = [
    (
        "done in Q1 then a text-only note in Q2: still done, completion date kept",
        [rep("Q1", 100, date(2027, 3, 20)), rep("Q2")],
        date(2027, 6, 30),
        YEAR_TASK,
        100,
        "done",
        True,
        "done",
    ),
    (
        "a text-only report leaves the earlier percent in force",
        [rep("Q1", 20), rep("Q2")],
        date(2027, 6, 30),
        YEAR_TASK,
        20,
        "lagging",
        True,
        "lagging",
    ),
    (
        "only text, never a percent: reported, no percent",
        [rep("Q1")],
        date(2027, 2, 1),
        YEAR_TASK,
        None,
        "on_track",
        True,
        "on_track",
    ),
    (
        "100% without a date, then a lower percent without reopening: completion is sticky",
        [rep("Q1", 100), rep("Q2", 60)],
        date(2027, 6, 30),
        YEAR_TASK,
        100,
        "done",
        True,
        "done",
    ),
    (
        "completed, then explicitly reopened at 40%",
        [rep("Q1", 100, date(2027, 3, 20)), rep("Q2", 40, reopened=True)],
        date(2027, 6, 30),
        YEAR_TASK,
        40,
        "lagging",
        True,
        "lagging",
    ),
    (
        "reopened, then finished again: the later completion date counts",
        [
            rep("Q1", 100, date(2027, 3, 20)),
            rep("Q2", 50, reopened=True),
            rep("Q3", 100, date(2027, 8, 1)),
        ],
        date(2027, 9, 30),
        YEAR_TASK,
        100,
        "done",
        True,
        "done",
    ),
    (
        "a report of a period not begun by the day does not count",
        [rep("Q1", 25), rep("Q2", 80)],
        date(2027, 3, 31),
        YEAR_TASK,
        25,
        "on_track",
        True,
        "on_track",
    ),
    (
        "a completion date after the day is not a completion yet",
        [rep("Q2", 100, date(2027, 6, 20))],
        date(2027, 6, 10),
        YEAR_TASK,
        100,
        "ahead",
        True,
        "ahead",
    ),
    (
        "closed out (销号): done, 100%, nothing more to report",
        [rep("Q1", 90)],
        date(2027, 7, 1),
        TaskFacts(date(2027, 1, 1), date(2027, 12, 31), closed_on=date(2027, 6, 30)),
        100,
        "done",
        False,
        "done",
    ),
    (
        "closed out after the day: not closed yet",
        [rep("Q1", 90)],
        date(2027, 6, 29),
        TaskFacts(date(2027, 1, 1), date(2027, 12, 31), closed_on=date(2027, 6, 30)),
        90,
        "ahead",
        False,
        "not_reported",
    ),
    (
        "不适用: no status, no percent",
        [],
        date(2027, 6, 30),
        TaskFacts(date(2027, 1, 1), date(2027, 12, 31), not_applicable=True),
        None,
        None,
        False,
        "not_applicable",
    ),
    (
        "the due period not yet reported: 本期未填报, not 滞后",
        [rep("Q1", 20)],
        date(2027, 5, 15),
        YEAR_TASK,
        20,
        "lagging",
        False,
        "not_reported",
    ),
    (
        "a window that has not begun needs no report",
        [],
        date(2027, 5, 15),
        TaskFacts(date(2027, 9, 1), date(2027, 12, 31)),
        None,
        "not_started",
        False,
        "not_started",
    ),
    (
        "past its deadline and not done: lagging (and still owes its report)",
        [rep("Q2", 60)],
        date(2027, 7, 15),
        TaskFacts(date(2027, 1, 1), date(2027, 6, 30)),
        60,
        "lagging",
        False,
        "not_reported",
    ),
    (
        "a carried-over task starts afresh in its new list: only its own reports count",
        [],
        date(2028, 1, 20),
        TaskFacts(None, None),
        None,
        "not_started",
        False,
        "not_reported",
    ),
    (
        "milestones bend the expectation: 15% by May is on track against a 10%/20% plan",
        [rep("Q2", 15)],
        date(2027, 5, 31),
        TaskFacts(
            date(2027, 1, 1),
            date(2027, 12, 31),
            milestones=(
                PlannedPoint(date(2027, 3, 31), 10),
                PlannedPoint(date(2027, 6, 30), 20),
            ),
        ),
        15,
        "on_track",
        True,
        "on_track",
    ),
]


@pytest.mark.parametrize(
    ("reports", "as_of", "task", "percent", "status", "in_current", "bucket"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_task_figures(
    reports: list[ReportFact],
    as_of: date,
    task: TaskFacts,
    percent: int | None,
    status: str | None,
    in_current: bool,
    bucket: str,
) -> None:
    year = as_of.year
    periods = generate_periods(year, "quarterly", 25)
    current = next(((p.start, p.end) for p in periods if p.start <= as_of <= p.end), None)
    f = task_figures(task, reports, as_of, year=year, current=current)
    assert f.percent == percent
    assert f.status_value == status
    assert f.reported_in_current_period is in_current
    assert f.bucket == bucket


def test_completion_date_in_force() -> None:
    reports = [rep("Q1", 100, date(2027, 3, 20)), rep("Q2", None, date(2027, 5, 2))]
    assert latest_known(reports, date(2027, 6, 30)).completed_on == date(2027, 3, 20)
    reopened = [*reports, rep("Q3", 30, reopened=True)]
    known = latest_known(reopened, date(2027, 9, 30))
    assert (known.completed_on, known.finished, known.percent) == (None, False, 30)


def test_reopening_without_a_percent_forgets_the_hundred() -> None:
    known = latest_known([rep("Q1", 100), rep("Q2", None, reopened=True)], date(2027, 6, 30))
    assert (known.finished, known.percent, known.reported) == (False, None, True)


def test_month_and_quarter_ending_together() -> None:
    # the quarter is read after its last month: its percent is the later word
    reports = [ReportFact(*Q["Q1"], 30), ReportFact(*M["03"], 10)]
    assert latest_known(reports, date(2027, 3, 31)).percent == 30


def test_nothing_reported() -> None:
    known = latest_known([], date(2027, 6, 30))
    assert (known.percent, known.finished, known.reported) == (None, False, False)


def test_counts_put_each_task_in_one_state() -> None:
    as_of = date(2027, 5, 15)
    current = Q["Q2"]
    figures = [
        task_figures(YEAR_TASK, r, as_of, year=2027, current=current)
        for r in (
            [rep("Q1", 20)],  # owes Q2: not reported
            [rep("Q1", 20), rep("Q2", 20)],  # reported, 17 points behind: lagging
            [rep("Q2", 100)],  # done
            [rep("Q2", 35)],  # on track
        )
    ]
    counts = bucket_counts(figures)
    # in the order every table and chart shows them
    assert list(counts) == [
        "done",
        "ahead",
        "on_track",
        "lagging",
        "not_started",
        "not_reported",
        "not_applicable",
    ]
    assert counts == {
        "done": 1,
        "ahead": 0,
        "on_track": 1,
        "lagging": 1,
        "not_started": 0,
        "not_reported": 1,
        "not_applicable": 0,
    }


def test_status_of_done_is_done_whatever_the_deadline() -> None:
    late_task = TaskFacts(date(2027, 1, 1), date(2027, 3, 31))
    f = task_figures(late_task, [rep("Q1", 100)], date(2027, 8, 1), year=2027, current=Q["Q3"])
    assert f.status is Status.DONE and f.result is not None and not f.result.overdue


# --------------------------------------------------------------------------- coverage

FIVE = ["甲县", "乙县", "丙县", "丁县", "戊县"]

COVERAGE = [
    ("all five marked 不适用: covered by none", {}, FIVE, FIVE, (0, 5, 0, 0, "0/5")),
    (
        "three with tasks, one 不适用, one not yet reported",
        {"甲县": 2, "乙县": 1, "丙县": 4},
        ["丁县"],
        ["甲县", "乙县", "丙县", "丁县"],
        (3, 1, 1, 0, "3/5"),
    ),
    (
        "a locality outside the expected list does not count",
        {"甲县": 1, "外县": 3},
        [],
        ["甲县", "外县", "乙县", "丙县", "丁县", "戊县"],
        (1, 0, 0, 4, "1/5"),
    ),
]


@pytest.mark.parametrize(
    ("tasks", "na", "reported", "want"), [c[1:] for c in COVERAGE], ids=[c[0] for c in COVERAGE]
)
def test_measure_coverage(
    tasks: dict[str, int],
    na: list[str],
    reported: list[str],
    want: tuple[int, int, int, int, str],
) -> None:
    c = measure_coverage(FIVE, tasks, na, reported)
    assert (c.covered, c.not_applicable, c.not_reported, c.uncovered, c.text) == want
    assert c.expected == 5


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("today", "state", "read_at"),
    [
        (date(2026, 12, 7), FUTURE, date(2027, 4, 1)),
        (date(2027, 4, 1), CURRENT, date(2027, 4, 1)),
        (date(2027, 6, 30), CURRENT, date(2027, 6, 30)),
        (date(2027, 7, 1), PAST, date(2027, 6, 30)),
    ],
)
def test_period_state(today: date, state: str, read_at: date) -> None:
    start, end = Q["Q2"]
    assert period_state(start, end, today) == state
    assert period_read_at(start, end, today) == read_at
