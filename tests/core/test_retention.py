"""The rolling retention of automatic backups (desktop.core.retention), over many dates."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.retention import (
    AUTOMATIC,
    BEFORE_ACTION,
    RetentionPolicy,
    kept_indices,
    to_delete,
)

START = datetime(2026, 1, 5, 17, 30)  # a Monday

stamps = st.lists(
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31)),
    max_size=120,
)


def kept_times(times: list[datetime], policy: RetentionPolicy = AUTOMATIC) -> list[datetime]:
    return sorted(times[i] for i in kept_indices(times, policy))


def test_nothing_to_keep_from_nothing() -> None:
    assert kept_indices([]) == set()
    assert to_delete([]) == []


def test_a_few_backups_are_all_kept() -> None:
    times = [START + timedelta(days=d) for d in range(5)]
    assert kept_indices(times) == set(range(5))


def test_several_exits_a_day_keep_the_newest_of_each_day() -> None:
    times = [START + timedelta(days=d, hours=h) for d in range(3) for h in (0, 2, 5)]
    kept = kept_times(times)
    assert kept == [START + timedelta(days=d, hours=5) for d in range(3)]


def test_a_year_of_daily_backups_keeps_seven_days_four_weeks_twelve_months() -> None:
    times = [START + timedelta(days=d) for d in range(365)]
    kept = kept_times(times)
    newest = times[-1]
    days = [t for t in kept if newest - t < timedelta(days=7)]
    assert days == times[-7:]
    # 7 days (29 Dec - 4 Jan), 4 Sundays before them, then the month ends from November back
    # to January 2026: December and January 2027 are already represented by the daily ones
    assert len(kept) == 7 + 4 + 11
    # the weekly backups are the newest of their ISO week (a Sunday: START is a Monday)
    older = [t for t in kept if newest - t >= timedelta(days=7)]
    weekly = older[-4:]
    assert all(t.isoweekday() == 7 for t in weekly)
    # the monthly ones reach back most of the year, each the last day of its month
    monthly = older[:-4]
    assert all((t + timedelta(days=1)).day == 1 for t in monthly)
    assert kept[0] == datetime(2026, 1, 31, 17, 30)


def test_the_schedule_rolls_forward_when_pruned_after_every_backup() -> None:
    """Two years of daily use, pruning after each backup as the program does."""
    kept: list[datetime] = []
    for day in range(730):
        for hour in (9, 17):  # started in the morning (daily backup), closed in the evening
            kept.append(START + timedelta(days=day, hours=hour - 17))
            kept = kept_times(kept)
    assert len(kept) == 7 + 4 + 12  # daily, weekly, monthly
    newest = kept[-1]
    assert newest == START + timedelta(days=729)
    assert newest - kept[0] > timedelta(days=300)
    assert len({(t.year, t.month) for t in kept}) >= 12


def test_to_delete_lists_the_rest_oldest_first() -> None:
    times = [START + timedelta(minutes=m) for m in range(10)]  # ten backups in one day
    gone = to_delete(times)
    assert gone == list(range(9))
    assert kept_indices(times) == {9}


def test_ties_are_broken_by_position() -> None:
    times = [START, START, START]
    assert kept_indices(times) == {2}


def test_before_action_keeps_the_newest_twenty() -> None:
    times = [START + timedelta(minutes=m) for m in range(30)]
    assert kept_indices(times, BEFORE_ACTION) == set(range(10, 30))


def test_rules_add_up_instead_of_overlapping() -> None:
    # every day for two weeks: 3 daily, then 2 more weeks — not the weeks already covered
    times = [START + timedelta(days=d) for d in range(28)]
    policy = RetentionPolicy(daily=3, weekly=2, monthly=0)
    kept = kept_times(times, policy)
    assert kept[-3:] == times[-3:]
    assert len(kept) == 5
    assert {t.isocalendar().week for t in kept[:2]}.isdisjoint({times[-1].isocalendar().week})


@settings(max_examples=300, deadline=None)
@given(stamps)
def test_invariants_over_random_dates(times: list[datetime]) -> None:
    keep = kept_indices(times)
    assert len(keep) <= 7 + 4 + 12
    if times:
        newest = max(range(len(times)), key=lambda i: (times[i], i))
        assert newest in keep
    # every kept backup is the newest of its day
    for i in keep:
        same_day = [j for j in range(len(times)) if times[j].date() == times[i].date()]
        assert max(same_day, key=lambda j: (times[j], j)) == i
    # keep and delete split the set
    assert set(to_delete(times)) | keep == set(range(len(times)))
    assert set(to_delete(times)).isdisjoint(keep)
    # the N most recent days with backups are all represented
    days = sorted({t.date() for t in times}, reverse=True)[:7]
    assert days == sorted({times[i].date() for i in keep}, reverse=True)[: len(days)]


@settings(max_examples=300, deadline=None)
@given(stamps, st.integers(0, 3), st.integers(0, 8), st.integers(0, 5), st.integers(0, 13))
def test_pruning_again_keeps_everything(
    times: list[datetime], last: int, daily: int, weekly: int, monthly: int
) -> None:
    """Idempotent: a kept set is kept whole, so pruning after every backup never cascades."""
    policy = RetentionPolicy(last, daily, weekly, monthly)
    kept = kept_times(times, policy)
    assert kept_times(kept, policy) == kept
