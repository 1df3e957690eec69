"""Task status that follows 序时进度 (time-elapsed progress), computed rather than typed.

A task has a window (its start to its deadline, both days included). By a given day a
share of that window has passed; a task without milestones is expected to be that share
done. Milestones (节点) bend the expectation: a back-loaded plan (Q1 10%, Q2 20%,
Q3 50%) expects less early on. The reported percent is set against the expectation:

- 已完成 (done): closed out, completed on or before the day, or reported at 100%;
- 滞后 (lagging): ``yellow_behind`` points or more behind — yellow, red beyond
  ``red_behind``; also every task past its deadline and not done (red, overdue);
- 超序时 (ahead): ``ahead_by`` points or more ahead;
- 未启动 (not started): nothing reported yet while little is expected (or the window has
  not begun);
- 按序时 (on track): otherwise.

A report with text but no percent counts as reported: the task is not 未启动 and is not
said to have reported nothing; without a percent it is set against the 序时进度 as 0% done.

A task that is not lagging and whose deadline is within ``due_soon_days`` is marked blue,
so that the office chases it before it turns red. The thresholds are the office's
setting, stored as JSON through ``Thresholds.to_dict`` / ``from_dict``.

Arithmetic is exact (fractions) and rounds half up, so that 12.5% shows as 13% on every
machine and the printed ledger never disagrees with the screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date
from enum import StrEnum
from itertools import pairwise

from desktop.core.dates import chinese_date

__all__ = [
    "STATUS_LABELS",
    "PlannedPoint",
    "Severity",
    "Status",
    "StatusResult",
    "Thresholds",
    "compute_status",
    "elapsed_share",
    "expected_percent",
]


class Status(StrEnum):
    DONE = "done"
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    LAGGING = "lagging"
    NOT_STARTED = "not_started"


STATUS_LABELS: dict[Status, str] = {
    Status.DONE: "已完成",
    Status.AHEAD: "超序时",
    Status.ON_TRACK: "按序时",
    Status.LAGGING: "滞后",
    Status.NOT_STARTED: "未启动",
}


class Severity(StrEnum):
    """The colour a status is shown in; ``NONE`` means no highlight."""

    GREEN = "green"
    BLUE = "blue"
    YELLOW = "yellow"
    RED = "red"
    GREY = "grey"
    NONE = "none"


@dataclass(frozen=True)
class Thresholds:
    """The office's thresholds, in percentage points and days."""

    yellow_behind: int = 10  # points behind from which a task is 滞后 (yellow)
    red_behind: int = 30  # more than this many points behind: red
    ahead_by: int = 10  # points ahead from which a task is 超序时
    due_soon_days: int = 15  # blue when the deadline is this close and the task not done

    def validated(self) -> Thresholds:
        """This object if it is consistent; otherwise ``ValueError`` with a Chinese message."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{_FIELD_LABELS[f.name]}应为整数")
        if self.yellow_behind <= 0:
            raise ValueError("滞后（黄色）阈值应大于0个百分点")
        if self.red_behind <= self.yellow_behind:
            raise ValueError("严重滞后（红色）阈值应大于滞后（黄色）阈值")
        if self.red_behind > 100:
            raise ValueError("严重滞后（红色）阈值不能超过100个百分点")
        if not 0 < self.ahead_by <= 100:
            raise ValueError("超序时阈值应在1至100个百分点之间")
        if not 0 <= self.due_soon_days <= 366:
            raise ValueError("临近到期提醒天数应在0至366天之间")
        return self

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Thresholds:
        """Thresholds from stored settings; missing keys take the defaults, unknown ones
        are ignored (a newer program may have added some), bad values raise ValueError."""
        values: dict[str, int] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{_FIELD_LABELS[f.name]}应为整数")
            values[f.name] = value
        return cls(**values).validated()


_FIELD_LABELS = {
    "yellow_behind": "滞后（黄色）阈值",
    "red_behind": "严重滞后（红色）阈值",
    "ahead_by": "超序时阈值",
    "due_soon_days": "临近到期提醒天数",
}


@dataclass(frozen=True)
class PlannedPoint:
    """A milestone: the percent planned to be done by the end of ``due_on``."""

    due_on: date
    percent: int | None


@dataclass(frozen=True)
class StatusResult:
    status: Status
    severity: Severity
    expected_percent: int  # 序时进度 at the as-of day, 0..100
    reported_percent: int | None
    behind: int  # expected - reported (negative: ahead); 0 for a done task
    due_soon: bool
    overdue: bool
    explanation: str
    reported: bool = False  # a report exists (with or without a percent)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


# --------------------------------------------------------------------------- expectation


def _window(start: date, deadline: date) -> tuple[date, int]:
    """First day and length in days; a deadline before the start is a one-day window."""
    days = (deadline - start).days + 1
    return start, max(days, 1)


def _elapsed_days(start: date, total: int, as_of: date) -> int:
    # Days are counted to the end of as_of: on the first day one day has passed, on the
    # deadline the whole window has.
    return min(max((as_of - start).days + 1, 0), total)


def elapsed_share(start: date, deadline: date, as_of: date) -> float:
    """The share (0..1) of the window, both ends included, that has passed by the end of
    ``as_of``. Calendar days, so a leap year's 29 February counts like any other day."""
    first, total = _window(start, deadline)
    return _elapsed_days(first, total, as_of) / total


def _plan(start: date, total: int, milestones: Sequence[PlannedPoint]) -> list[tuple[int, int]]:
    """(elapsed days, percent) points of the plan, from (0, 0) to (total, 100).

    Ignored: milestones without a percent, outside the window, or on the deadline (the
    deadline means 100% whatever a milestone says there). Two on one day: the higher
    counts. A milestone lower than an earlier one would make the plan go backwards; it is
    taken as a slip and ignored, so that the expectation never falls as time passes.
    """
    by_day: dict[int, int] = {}
    for point in milestones:
        if point.percent is None:
            continue
        day = (point.due_on - start).days + 1
        if not 1 <= day < total:
            continue
        percent = min(max(point.percent, 0), 100)
        by_day[day] = max(by_day.get(day, 0), percent)
    plan = [(0, 0)]
    for day in sorted(by_day):
        if by_day[day] >= plan[-1][1]:
            plan.append((day, by_day[day]))
    plan.append((total, 100))
    return plan


def expected_percent(
    start: date, deadline: date, as_of: date, milestones: Sequence[PlannedPoint] = ()
) -> int:
    """序时进度 at the end of ``as_of``: linear between the plan's points, rounded half up.

    Without milestones this is the elapsed share of the window.
    """
    first, total = _window(start, deadline)
    x = _elapsed_days(first, total, as_of)
    plan = _plan(first, total, milestones)
    for (x0, y0), (x1, y1) in pairwise(plan):
        if x <= x1:
            # y0 + n/d rounded half up, exactly, in integers (d > 0: the plan's days rise):
            # floor(n/d + 1/2) = floor((2n + d) / 2d); a whole ledger's tasks are computed
            # at once, and fractions cost more than the rest of the status together
            n, d = (y1 - y0) * (x - x0), x1 - x0
            return y0 + (2 * n + d) // (2 * d)
    return 100  # unreachable: x never exceeds total, the last point's day


# --------------------------------------------------------------------------- status


def _day(d: date) -> str:
    return chinese_date(d)


def _actual(reported: int | None, has_report: bool = False) -> str:
    if reported is not None:
        return f"实际 {reported}%"
    return "已报进展、未填完成百分比" if has_report else "尚未报送进度"


def compute_status(
    *,
    start: date,
    deadline: date,
    as_of: date,
    reported_percent: int | None,
    completed_on: date | None = None,
    closed: bool = False,
    milestones: Sequence[PlannedPoint] = (),
    thresholds: Thresholds = Thresholds(),  # frozen, so one shared default is safe
    has_report: bool | None = None,
    done: bool | None = None,
) -> StatusResult:
    """The status of one task as of one day (see the module docstring for the rules).

    A reported percent outside 0..100 is clamped rather than rejected: status is shown
    for whole ledgers, and one bad stored value must not stop the rest from showing.
    A completion date after ``as_of`` does not count yet (the ledger is "as of" a day).
    ``has_report`` says a report exists even without a percent (a text-only report);
    ``None`` means "whether a percent was reported". ``done`` says whether the task is
    finished, as ``desktop.core.figures`` decides it from the whole history of reports
    (completion is sticky, a reopened task is not done); ``None`` decides from the values
    given here alone.
    """
    reported = None if reported_percent is None else min(max(reported_percent, 0), 100)
    told = reported is not None if has_report is None else has_report or reported is not None
    expected = expected_percent(start, deadline, as_of, milestones)

    if done is None:
        done = closed or (completed_on is not None and completed_on <= as_of) or reported == 100
    if done:
        if closed:
            why = "已销号"
        elif completed_on is not None and completed_on <= as_of:
            why = f"已于{_day(completed_on)}完成"
        elif reported == 100:
            why = "已完成（进度 100%）"
        else:
            why = "已完成"
        return StatusResult(
            Status.DONE, Severity.GREEN, expected, reported, 0, False, False, why, told
        )

    behind = expected - (reported or 0)
    days_left = (deadline - as_of).days
    if days_left < 0:
        text = f"已超过完成时限（{_day(deadline)}）{-days_left} 天，{_actual(reported, told)}"
        return StatusResult(
            Status.LAGGING, Severity.RED, expected, reported, behind, False, True, text, told
        )

    due_soon = days_left <= thresholds.due_soon_days
    if as_of < start and not reported:
        status = Status.NOT_STARTED
        text = f"尚未到开始时间（{_day(start)}）"
    elif reported is None and told:
        # a report without a percent: work has begun, but how far is not said
        status = Status.ON_TRACK if expected < thresholds.yellow_behind else Status.LAGGING
        text = f"序时进度 {expected}%，{_actual(reported, told)}"
        if status is Status.LAGGING:
            text += f"（按 0% 计，落后 {behind} 个百分点）"
    elif not reported:
        # Nothing done yet is fine while little is expected; later it is lagging.
        status = Status.NOT_STARTED if expected < thresholds.yellow_behind else Status.LAGGING
        text = f"序时进度 {expected}%，{_actual(reported, told)}"
        if status is Status.LAGGING:
            text += f"，落后 {behind} 个百分点"
    elif behind >= thresholds.yellow_behind:
        status = Status.LAGGING
        text = f"序时进度 {expected}%，实际 {reported}%，落后 {behind} 个百分点"
    elif -behind >= thresholds.ahead_by:
        status = Status.AHEAD
        text = f"序时进度 {expected}%，实际 {reported}%，超前 {-behind} 个百分点"
    else:
        status = Status.ON_TRACK
        text = f"序时进度 {expected}%，实际 {reported}%"

    if status is Status.LAGGING:
        severity = Severity.YELLOW if behind <= thresholds.red_behind else Severity.RED
    elif due_soon:
        severity = Severity.BLUE
    else:
        severity = {
            Status.AHEAD: Severity.GREEN,
            Status.ON_TRACK: Severity.NONE,
            Status.NOT_STARTED: Severity.GREY,
        }[status]
    if due_soon:
        text += "，今日到期" if days_left == 0 else f"，距完成时限还有 {days_left} 天"
    return StatusResult(status, severity, expected, reported, behind, due_soon, False, text, told)
