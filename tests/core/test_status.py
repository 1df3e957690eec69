"""Status that follows 序时进度 (desktop.core.status)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.status import (
    STATUS_LABELS,
    PlannedPoint,
    Severity,
    Status,
    StatusResult,
    Thresholds,
    compute_status,
    elapsed_share,
    expected_percent,
)

Y2027 = (date(2027, 1, 1), date(2027, 12, 31))


def status(
    as_of: date,
    reported: int | None,
    window: tuple[date, date] = Y2027,
    **kwargs: Any,
) -> StatusResult:
    return compute_status(
        start=window[0], deadline=window[1], as_of=as_of, reported_percent=reported, **kwargs
    )


# --------------------------------------------------------------------------- expectation


def test_leap_year_window() -> None:
    start, end = date(2028, 1, 1), date(2028, 12, 31)  # 366 days
    assert elapsed_share(start, end, date(2028, 2, 29)) == pytest.approx(60 / 366)
    assert elapsed_share(start, end, date(2028, 3, 1)) == pytest.approx(61 / 366)
    assert expected_percent(start, end, date(2028, 2, 29), ()) == 16
    assert expected_percent(start, end, date(2028, 3, 1), ()) == 17
    assert elapsed_share(start, end, end) == 1.0


def test_window_spanning_years() -> None:
    start, end = date(2026, 7, 1), date(2027, 6, 30)  # 365 days
    assert expected_percent(start, end, date(2026, 12, 31), ()) == 50  # 184/365 = 50.4%
    assert expected_percent(start, end, date(2027, 3, 31), ()) == 75  # 274/365 = 75.1%
    assert expected_percent(start, end, date(2027, 6, 30), ()) == 100


def test_outside_the_window() -> None:
    start, end = Y2027
    assert elapsed_share(start, end, date(2026, 12, 31)) == 0.0
    assert elapsed_share(start, end, date(2028, 1, 1)) == 1.0
    assert expected_percent(start, end, date(2026, 6, 1), ()) == 0
    assert expected_percent(start, end, date(2029, 6, 1), ()) == 100


def test_first_day_counts_as_elapsed() -> None:
    start, end = date(2027, 1, 1), date(2027, 1, 10)
    assert elapsed_share(start, end, start) == pytest.approx(0.1)
    assert expected_percent(start, end, date(2027, 1, 5), ()) == 50


def test_single_day_windows() -> None:
    day = date(2027, 5, 1)
    assert elapsed_share(day, day, day - timedelta(days=1)) == 0.0
    assert elapsed_share(day, day, day) == 1.0
    assert expected_percent(day, day, day, ()) == 100
    # A deadline before the start is read as a one-day window at the start.
    assert elapsed_share(day, day - timedelta(days=30), day - timedelta(days=1)) == 0.0
    assert elapsed_share(day, day - timedelta(days=30), day) == 1.0


def test_round_half_up() -> None:
    start, end = date(2027, 1, 1), date(2027, 1, 8)  # 8 days: 1/8 = 12.5%
    assert expected_percent(start, end, start, ()) == 13
    assert expected_percent(start, end, date(2027, 1, 3), ()) == 38  # 37.5% → 38


BACK_LOADED = (
    PlannedPoint(date(2027, 3, 31), 10),
    PlannedPoint(date(2027, 6, 30), 20),
    PlannedPoint(date(2027, 9, 30), 50),
)


def test_milestones_shift_the_expectation() -> None:
    start, end = Y2027
    assert expected_percent(start, end, date(2027, 3, 31), BACK_LOADED) == 10
    assert expected_percent(start, end, date(2027, 6, 30), BACK_LOADED) == 20
    assert expected_percent(start, end, date(2027, 9, 30), BACK_LOADED) == 50
    # Halfway through Q4 (46 of 92 days): halfway from 50 to 100.
    assert expected_percent(start, end, date(2027, 11, 15), BACK_LOADED) == 75
    # Linear would expect about half by the end of June.
    assert expected_percent(start, end, date(2027, 6, 30), ()) == 50
    # 30% at the end of June is lagging on a linear plan, ahead on the back-loaded one.
    assert status(date(2027, 6, 30), 30).status is Status.LAGGING
    assert status(date(2027, 6, 30), 30, milestones=BACK_LOADED).status is Status.AHEAD


def test_milestones_that_do_not_count() -> None:
    start, end = Y2027
    ignored = (
        PlannedPoint(date(2026, 12, 31), 40),  # before the window
        PlannedPoint(date(2028, 1, 31), 40),  # after the window
        PlannedPoint(date(2027, 12, 31), 60),  # on the deadline: the deadline means 100
        PlannedPoint(date(2027, 5, 31), None),  # no percent
    )
    for day in (date(2027, 3, 1), date(2027, 6, 30), date(2027, 12, 31)):
        assert expected_percent(start, end, day, ignored) == expected_percent(start, end, day)
    # A later, lower milestone would make the plan go backwards: it is ignored.
    backwards = (PlannedPoint(date(2027, 3, 31), 60), PlannedPoint(date(2027, 6, 30), 30))
    assert expected_percent(start, end, date(2027, 3, 31), backwards) == 60
    assert expected_percent(start, end, date(2027, 6, 30), backwards) > 60
    # Two milestones on one day: the higher counts; order of input does not matter.
    twice = (PlannedPoint(date(2027, 6, 30), 40), PlannedPoint(date(2027, 6, 30), 20))
    assert expected_percent(start, end, date(2027, 6, 30), twice) == 40
    assert expected_percent(start, end, date(2027, 6, 30), BACK_LOADED[::-1]) == 20


def test_milestone_percent_is_clamped() -> None:
    start, end = Y2027
    plan = (PlannedPoint(date(2027, 6, 30), 150),)
    assert expected_percent(start, end, date(2027, 6, 30), plan) == 100
    assert expected_percent(start, end, date(2027, 9, 1), plan) == 100


_DAYS = st.integers(0, 800).map(lambda n: date(2027, 1, 1) + timedelta(days=n))
_POINTS = st.lists(
    st.builds(PlannedPoint, _DAYS, st.one_of(st.none(), st.integers(-20, 120))), max_size=6
)


@given(start=_DAYS, length=st.integers(-5, 500), a=_DAYS, b=_DAYS, milestones=_POINTS)
def test_expected_percent_is_monotonic_and_bounded(
    start: date, length: int, a: date, b: date, milestones: list[PlannedPoint]
) -> None:
    deadline = start + timedelta(days=length)
    early, late = min(a, b), max(a, b)
    e1 = expected_percent(start, deadline, early, milestones)
    e2 = expected_percent(start, deadline, late, milestones)
    assert 0 <= e1 <= e2 <= 100
    assert 0.0 <= elapsed_share(start, deadline, early) <= elapsed_share(start, deadline, late)
    if late >= max(start, deadline):
        assert e2 == 100


@given(start=_DAYS, length=st.integers(0, 500), offset=st.integers(-3, 510))
def test_expected_percent_without_milestones_is_the_share_rounded_half_up(
    start: date, length: int, offset: int
) -> None:
    # the reference in exact fractions: days elapsed (both ends included) over the window
    deadline, as_of = start + timedelta(days=length), start + timedelta(days=offset)
    elapsed, total = min(max(offset + 1, 0), length + 1), length + 1
    reference = math.floor(Fraction(100 * elapsed, total) + Fraction(1, 2))
    assert expected_percent(start, deadline, as_of) == reference


def test_expected_percent_rounds_a_half_up_between_milestones() -> None:
    start, end = date(2027, 1, 1), date(2027, 1, 4)  # four days
    # from (0 days, 0%) to (2 days, 5%): one day in, 2.5% → 3%
    plan = (PlannedPoint(date(2027, 1, 2), 5),)
    assert expected_percent(start, end, date(2027, 1, 1), plan) == 3
    assert expected_percent(start, end, date(2027, 1, 2), plan) == 5
    # from (2, 5%) to (4, 100%): three days in, 52.5% → 53%
    assert expected_percent(start, end, date(2027, 1, 3), plan) == 53


# --------------------------------------------------------------------------- status


def test_done() -> None:
    r = status(date(2027, 6, 30), 100)
    assert (r.status, r.severity, r.label) == (Status.DONE, Severity.GREEN, "已完成")
    assert r.behind == 0 and not r.overdue and not r.due_soon
    assert status(date(2027, 6, 30), 20, closed=True).status is Status.DONE
    # Closed out after the deadline is still done, not overdue.
    assert status(date(2028, 3, 1), None, closed=True).status is Status.DONE


def test_completed_on_in_the_past_or_the_future() -> None:
    past = status(date(2027, 6, 30), 60, completed_on=date(2027, 6, 1))
    assert past.status is Status.DONE and "2027年6月1日" in past.explanation
    same_day = status(date(2027, 6, 30), 60, completed_on=date(2027, 6, 30))
    assert same_day.status is Status.DONE
    # Completed later than the ledger's day: as of that day it was not done yet.
    future = status(date(2027, 6, 30), 20, completed_on=date(2027, 8, 1))
    assert future.status is Status.LAGGING


def test_not_started_before_the_window() -> None:
    r = status(date(2027, 3, 31), None, window=(date(2027, 7, 1), date(2027, 12, 31)))
    assert (r.status, r.severity, r.expected_percent, r.behind) == (
        Status.NOT_STARTED,
        Severity.GREY,
        0,
        0,
    )
    assert "2027年7月1日" in r.explanation
    # Work reported before the window opens is ahead of a 0% expectation.
    early = status(date(2027, 3, 31), 20, window=(date(2027, 7, 1), date(2027, 12, 31)))
    assert early.status is Status.AHEAD


def test_no_report_early_is_not_started_later_is_lagging() -> None:
    early = status(date(2027, 1, 20), None)  # expected 5%
    assert (early.status, early.severity) == (Status.NOT_STARTED, Severity.GREY)
    assert "尚未报送进度" in early.explanation
    zero = status(date(2027, 1, 20), 0)
    assert zero.status is Status.NOT_STARTED and "实际 0%" in zero.explanation
    mid = status(date(2027, 4, 30), None)  # expected 33%
    assert (mid.status, mid.severity, mid.behind) == (Status.LAGGING, Severity.RED, 33)
    quarter = status(date(2027, 2, 28), 0)  # expected 16%
    assert (quarter.status, quarter.severity) == (Status.LAGGING, Severity.YELLOW)


def _window_with_expected(percent: int) -> tuple[tuple[date, date], date]:
    """A 100-day window and the day on which exactly ``percent`` is expected."""
    start = date(2027, 1, 1)
    return (start, start + timedelta(days=99)), start + timedelta(days=percent - 1)


@pytest.mark.parametrize(
    "reported, status_, severity, behind",
    [
        (41, Status.ON_TRACK, Severity.NONE, 9),
        (40, Status.LAGGING, Severity.YELLOW, 10),  # exactly 10 behind
        (20, Status.LAGGING, Severity.YELLOW, 30),  # exactly 30 behind: still yellow
        (19, Status.LAGGING, Severity.RED, 31),
        (50, Status.ON_TRACK, Severity.NONE, 0),
        (59, Status.ON_TRACK, Severity.NONE, -9),
        (60, Status.AHEAD, Severity.GREEN, -10),  # exactly 10 ahead
    ],
)
def test_threshold_edges(reported: int, status_: Status, severity: Severity, behind: int) -> None:
    window, as_of = _window_with_expected(50)
    r = status(as_of, reported, window=window)
    assert r.expected_percent == 50
    assert (r.status, r.severity, r.behind) == (status_, severity, behind)
    assert not r.due_soon  # 50 days left


def test_explanations() -> None:
    window, as_of = _window_with_expected(50)
    assert (
        status(as_of, 20, window=window).explanation == "序时进度 50%，实际 20%，落后 30 个百分点"
    )
    assert (
        status(as_of, 70, window=window).explanation == "序时进度 50%，实际 70%，超前 20 个百分点"
    )
    assert status(as_of, 45, window=window).explanation == "序时进度 50%，实际 45%"
    assert STATUS_LABELS[Status.AHEAD] == "超序时" and STATUS_LABELS[Status.ON_TRACK] == "按序时"


def test_overdue() -> None:
    r = status(date(2028, 1, 10), 80)
    assert (r.status, r.severity, r.overdue, r.due_soon) == (
        Status.LAGGING,
        Severity.RED,
        True,
        False,
    )
    assert r.expected_percent == 100 and r.behind == 20
    assert "10 天" in r.explanation and "2027年12月31日" in r.explanation
    assert status(date(2028, 1, 1), None).overdue


def test_due_soon_is_blue_unless_lagging() -> None:
    as_of = date(2027, 12, 20)  # 11 days left, expected 97%
    on_track = status(as_of, 95)
    assert (on_track.status, on_track.severity, on_track.due_soon) == (
        Status.ON_TRACK,
        Severity.BLUE,
        True,
    )
    assert "还有 11 天" in on_track.explanation
    lagging = status(as_of, 60)
    assert (lagging.status, lagging.severity, lagging.due_soon) == (
        Status.LAGGING,
        Severity.RED,
        True,
    )
    short = (date(2027, 12, 1), date(2027, 12, 15))
    not_started = status(date(2027, 12, 1), None, window=short)  # expected 7%
    assert (not_started.status, not_started.severity) == (Status.NOT_STARTED, Severity.BLUE)
    ahead = status(date(2027, 12, 1), 50, window=short)
    assert (ahead.status, ahead.severity) == (Status.AHEAD, Severity.BLUE)
    today = status(date(2027, 12, 31), 99)
    assert today.due_soon and not today.overdue and "今日到期" in today.explanation
    # 16 days before the deadline is not yet "soon" with the default 15.
    assert not status(date(2027, 12, 15), 96).due_soon


def test_custom_thresholds() -> None:
    window, as_of = _window_with_expected(50)
    strict = Thresholds(yellow_behind=5, red_behind=15, ahead_by=20, due_soon_days=60)
    r = status(as_of, 44, window=window, thresholds=strict)
    assert (r.status, r.severity) == (Status.LAGGING, Severity.YELLOW)
    r = status(as_of, 34, window=window, thresholds=strict)
    assert (r.status, r.severity) == (Status.LAGGING, Severity.RED)
    r = status(as_of, 65, window=window, thresholds=strict)
    assert (r.status, r.severity, r.due_soon) == (Status.ON_TRACK, Severity.BLUE, True)
    r = status(as_of, 70, window=window, thresholds=strict)
    assert (r.status, r.severity) == (Status.AHEAD, Severity.BLUE)


def test_reported_percent_is_clamped() -> None:
    window, as_of = _window_with_expected(50)
    assert status(as_of, 130, window=window).status is Status.DONE
    low = status(as_of, -5, window=window)
    assert low.reported_percent == 0 and low.status is Status.LAGGING


# --------------------------------------------------------------------------- thresholds


def test_thresholds_round_trip() -> None:
    t = Thresholds(yellow_behind=8, red_behind=25, ahead_by=12, due_soon_days=0)
    assert Thresholds.from_dict(t.to_dict()) == t
    assert Thresholds().to_dict() == {
        "yellow_behind": 10,
        "red_behind": 30,
        "ahead_by": 10,
        "due_soon_days": 15,
    }
    assert Thresholds.from_dict({}) == Thresholds()
    assert Thresholds.from_dict({"red_behind": 40, "future_setting": "x"}).red_behind == 40
    assert Thresholds().validated() == Thresholds()


@pytest.mark.parametrize(
    "values, message",
    [
        ({"yellow_behind": 0}, "黄色"),
        ({"yellow_behind": 30}, "红色"),
        ({"red_behind": 101}, "100"),
        ({"ahead_by": 0}, "超序时"),
        ({"ahead_by": 101}, "超序时"),
        ({"due_soon_days": -1}, "提醒天数"),
        ({"due_soon_days": 367}, "提醒天数"),
        ({"red_behind": "30"}, "整数"),
        ({"ahead_by": True}, "整数"),
        ({"ahead_by": 10.0}, "整数"),
    ],
)
def test_bad_thresholds(values: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Thresholds.from_dict(values)


def test_edge_thresholds_are_accepted() -> None:
    Thresholds(yellow_behind=1, red_behind=100, ahead_by=100, due_soon_days=366).validated()


# --------------------------------------------------------------------------- text-only reports


def test_a_report_without_a_percent_counts_as_reported() -> None:
    # 12 October: 序时进度 78%; the office reported what it did but gave no percent
    told = status(date(2027, 10, 12), None, has_report=True)
    assert told.reported and told.reported_percent is None
    assert told.status is Status.LAGGING and "尚未报送" not in told.explanation
    assert (
        told.explanation == "序时进度 78%，已报进展、未填完成百分比（按 0% 计，落后 78 个百分点）"
    )
    # early in the window a text report means work has begun: not 未启动
    early = status(date(2027, 1, 20), None, has_report=True)
    assert early.status is Status.ON_TRACK and early.reported
    # nothing reported at all is what it was
    silent = status(date(2027, 10, 12), None)
    assert not silent.reported and "尚未报送进度" in silent.explanation
    assert status(date(2027, 1, 20), None).status is Status.NOT_STARTED
    # a percent is a report whatever ``has_report`` says
    assert status(date(2027, 10, 12), 80, has_report=False).reported
