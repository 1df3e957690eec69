"""Reporting periods (desktop.core.periods)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.periods import (
    PeriodSpec,
    as_of_label,
    generate_periods,
    month_end,
    period_for,
)


def test_quarters() -> None:
    periods = generate_periods(2027, "quarterly", 25)
    assert [p.key for p in periods] == ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]
    assert [p.label for p in periods] == [
        "2027年第一季度",
        "2027年第二季度",
        "2027年第三季度",
        "2027年第四季度",
    ]
    assert periods[0] == PeriodSpec(
        "2027-Q1", "2027年第一季度", date(2027, 1, 1), date(2027, 3, 31), date(2027, 3, 25)
    )
    assert periods[1].end == date(2027, 6, 30) and periods[3].end == date(2027, 12, 31)
    assert periods[3].due_on == date(2027, 12, 25)


def test_months() -> None:
    periods = generate_periods(2027, "monthly", 5)
    assert len(periods) == 12
    assert periods[2] == PeriodSpec(
        "2027-03", "2027年3月", date(2027, 3, 1), date(2027, 3, 31), date(2027, 3, 5)
    )
    assert periods[11].key == "2027-12" and periods[11].label == "2027年12月"


@pytest.mark.parametrize(
    "year, due_day, expected",
    [(2027, 31, date(2027, 2, 28)), (2028, 31, date(2028, 2, 29)), (2028, 29, date(2028, 2, 29))],
)
def test_due_day_is_clamped_to_the_month(year: int, due_day: int, expected: date) -> None:
    february = generate_periods(year, "monthly", due_day)[1]
    assert february.end == month_end(year, 2)
    assert february.due_on == expected


def test_due_day_31_in_a_30_day_quarter_end() -> None:
    assert generate_periods(2027, "quarterly", 31)[1].due_on == date(2027, 6, 30)


@pytest.mark.parametrize(
    "year, cadence, due_day, message",
    [
        (2027, "weekly", 25, "报送周期"),
        (2027, "quarterly", 0, "截止日"),
        (2027, "quarterly", 32, "截止日"),
        (0, "monthly", 25, "年份"),
        (10000, "monthly", 25, "年份"),
        (True, "monthly", 25, "年份"),
    ],
)
def test_bad_input(year: int, cadence: str, due_day: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_periods(year, cadence, due_day)


def test_period_for() -> None:
    assert period_for(date(2027, 5, 17), "quarterly", 25).key == "2027-Q2"
    assert period_for(date(2027, 12, 31), "quarterly", 25).key == "2027-Q4"
    assert period_for(date(2028, 2, 29), "monthly", 25).key == "2028-02"
    with pytest.raises(ValueError):
        period_for(date(2027, 5, 17), "yearly", 25)


def test_as_of_label() -> None:
    assert as_of_label(date(2027, 3, 31)) == "截至2027年3月底"
    assert as_of_label(date(2028, 2, 29)) == "截至2028年2月底"
    assert as_of_label(date(2027, 2, 28)) == "截至2027年2月底"
    assert as_of_label(date(2028, 2, 28)) == "截至2028年2月28日"
    assert as_of_label(date(2027, 3, 15)) == "截至2027年3月15日"


def test_month_end() -> None:
    assert month_end(2100, 2) == date(2100, 2, 28)  # not a leap year
    assert month_end(2000, 2) == date(2000, 2, 29)


@given(
    year=st.integers(1900, 2200),
    cadence=st.sampled_from(["quarterly", "monthly"]),
    due_day=st.integers(1, 31),
)
def test_periods_tile_the_year(year: int, cadence: str, due_day: int) -> None:
    periods = generate_periods(year, cadence, due_day)
    assert periods[0].start == date(year, 1, 1) and periods[-1].end == date(year, 12, 31)
    for before, after in pairwise(periods):
        assert after.start == before.end + timedelta(days=1)
    for p in periods:
        assert p.start <= p.due_on <= p.end
        assert p.due_on.month == p.end.month
        assert period_for(p.start, cadence, due_day) == p == period_for(p.end, cadence, due_day)
