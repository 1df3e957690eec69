"""Reporting periods of a work list: the months or quarters progress is reported for.

Each period has a stable key (``2027-Q1``, ``2027-03``) that packages and the database
use, a Chinese label for screens and ledgers, its first and last day, and the day its
progress report is due: the office's due day (e.g. the 25th) in the period's last month,
clamped to the length of that month so that a due day of 31 still works in February.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from desktop.core.dates import chinese_date

__all__ = [
    "CADENCES",
    "CURRENT",
    "FUTURE",
    "MONTHLY",
    "PAST",
    "PERIOD_STATE_LABELS",
    "QUARTERLY",
    "PeriodSpec",
    "as_of_label",
    "choose_default_period",
    "generate_periods",
    "holding_period",
    "kept_periods",
    "list_day",
    "month_end",
    "period_day",
    "period_for",
    "period_read_at",
    "period_state",
]

PAST = "past"
CURRENT = "current"
FUTURE = "future"
PERIOD_STATE_LABELS = {PAST: "已结束", CURRENT: "本期", FUTURE: "未开始"}

QUARTERLY = "quarterly"
MONTHLY = "monthly"
CADENCES = (QUARTERLY, MONTHLY)

_QUARTER_NAMES = ("一", "二", "三", "四")
# The years datetime.date can represent.
_MIN_YEAR = 1
_MAX_YEAR = 9999


@dataclass(frozen=True)
class PeriodSpec:
    """One reporting period: key, label, first and last day, due day of its report."""

    key: str
    label: str
    start: date
    end: date
    due_on: date


def month_end(year: int, month: int) -> date:
    """The last day of a month (29 February in a leap year)."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _check(year: int, cadence: str, due_day: int) -> None:
    # bool is an int in Python; True as a year or due day is a programming slip.
    if isinstance(year, bool) or not isinstance(year, int) or not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueError(f"年份无效：{year}")
    if cadence not in CADENCES:
        raise ValueError(f"报送周期无效：“{cadence}”，应为按季度（quarterly）或按月（monthly）")
    if isinstance(due_day, bool) or not isinstance(due_day, int) or not 1 <= due_day <= 31:
        raise ValueError(f"报送截止日无效：{due_day}，应为每月1日至31日之间")


def _due(year: int, month: int, due_day: int) -> date:
    return date(year, month, min(due_day, calendar.monthrange(year, month)[1]))


def _quarter(year: int, quarter: int, due_day: int) -> PeriodSpec:
    first = 3 * quarter - 2
    last = first + 2
    return PeriodSpec(
        key=f"{year}-Q{quarter}",
        label=f"{year}年第{_QUARTER_NAMES[quarter - 1]}季度",
        start=date(year, first, 1),
        end=month_end(year, last),
        due_on=_due(year, last, due_day),
    )


def _month(year: int, month: int, due_day: int) -> PeriodSpec:
    return PeriodSpec(
        key=f"{year}-{month:02d}",
        label=f"{year}年{month}月",
        start=date(year, month, 1),
        end=month_end(year, month),
        due_on=_due(year, month, due_day),
    )


def generate_periods(year: int, cadence: str, due_day: int) -> list[PeriodSpec]:
    """The four quarters or twelve months of a year, in order."""
    _check(year, cadence, due_day)
    if cadence == QUARTERLY:
        return [_quarter(year, q, due_day) for q in range(1, 5)]
    return [_month(year, m, due_day) for m in range(1, 13)]


def period_for(day: date, cadence: str, due_day: int) -> PeriodSpec:
    """The period that contains ``day``."""
    _check(day.year, cadence, due_day)
    if cadence == QUARTERLY:
        return _quarter(day.year, (day.month - 1) // 3 + 1, due_day)
    return _month(day.year, day.month, due_day)


def as_of_label(end: date) -> str:
    """The ledger's "as of" line: 截至2027年3月底, or 截至2027年3月15日 mid-month."""
    if end == month_end(end.year, end.month):
        return f"截至{end.year}年{end.month}月底"
    return f"截至{chinese_date(end)}"


def period_state(start: date, end: date, today: date) -> str:
    """``past``, ``current`` or ``future``: where a period lies from ``today``.

    A period that has not begun cannot be filled in or frozen; the current one measures
    序时进度 to today; a past one to its last day (``period_read_at``).
    """
    if today < start:
        return FUTURE
    return CURRENT if today <= end else PAST


def period_read_at(start: date, end: date, today: date) -> date:
    """The day a period's figures are read at: its last day once it is over, today while it
    runs. (A period that has not begun has nothing to read; its first day is returned.)"""
    return max(start, min(end, today))


class _Span(Protocol):
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


S = TypeVar("S", bound=_Span)


def holding_period(periods: Iterable[S], day: date) -> S | None:
    """The reporting period that holds ``day`` (本期): of a month and its quarter (a list that
    changed its cadence keeps both), the month. None when no period holds the day."""
    holding = [p for p in periods if p.start <= day <= p.end]
    return max(holding, key=lambda p: p.start) if holding else None


def list_day(today: date, year: int) -> date:
    """A list's "截至" date: the office's ``today``, within the list's ``year``."""
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))


def period_day(start: date, end: date, today: date, year: int) -> date:
    """The day a period's figures and ledger are read at (``period_read_at``), within the
    list's ``year``."""
    return min(period_read_at(start, end, today), date(year, 12, 31))


class _Period(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...
    @property
    def frozen_at(self) -> str: ...


P = TypeVar("P", bound=_Period)


def choose_default_period(
    periods: list[P], day: date, reported: set[int], *, for_entry: bool = False
) -> P:
    """The period screens and ledgers show when none is chosen, of a list read at ``day``
    whose periods with progress reports are ``reported`` (ids).

    The latest period that already has progress reports; if none has, the period holding
    ``day``. Never a period that has not begun by that day. ``for_entry`` (the progress
    screen): frozen periods are passed by, so after Q1 is frozen it opens on the period now
    due.
    """
    begun = [p for p in periods if p.start <= day] or periods[:1]
    if for_entry:
        # 进展填报 opens where there is typing to do: a frozen period is finished
        begun = [p for p in begun if not p.frozen_at] or begun
    with_reports = [p for p in begun if p.id in reported]
    if with_reports:
        return with_reports[-1]
    holding = [p for p in begun if p.start <= day <= p.end]
    return holding[-1] if holding else begun[-1]


class _Keyed(_Period, Protocol):
    @property
    def key(self) -> str: ...


K = TypeVar("K", bound=_Keyed)


def kept_periods(
    periods: Iterable[K], wanted: set[str], has_reports: Callable[[K], bool]
) -> list[K]:
    """A list's periods as screens and ledgers show them, in order (a quarter after its last
    month: both end on the same day). Periods of another cadence (the list switched from
    quarterly to monthly, say) stay only while they hold progress or a frozen ledger."""
    return sorted(
        (p for p in periods if p.key in wanted or p.frozen_at or has_reports(p)),
        key=lambda p: (p.end, -p.start.toordinal()),
    )
