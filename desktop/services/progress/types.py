"""Plain read models of progress entry: periods, entries, rows, summaries and history.

The progress service returns these frozen dataclasses; the screens show them and hand
edited ``ProgressEntry`` objects back. ``preview_status`` tells a screen what status an edit
would give before it is saved, by the same rule the stored status follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop.core.status import PlannedPoint, StatusResult, Thresholds, compute_status


@dataclass(frozen=True)
class UnexplainedTask:
    """A task lagging at a period's end whose report lacks a lag reason or next steps."""

    task_id: int
    number: str
    content: str
    missing: str  # "滞后原因" / "下步打算" / "滞后原因和下步打算" / "本期进展"


@dataclass(frozen=True)
class PeriodView:
    id: int
    key: str
    label: str
    start: date
    end: date
    due_on: date | None
    frozen_at: str
    frozen_by: str = ""

    @property
    def frozen(self) -> bool:
        return bool(self.frozen_at)

    @property
    def display(self) -> str:
        """The label as the period pickers show it."""
        return f"{self.label}（已冻结）" if self.frozen else self.label


@dataclass
class ProgressEntry:
    """What the office types for one task in one period."""

    task_id: int
    text: str = ""
    percent: int | None = None
    problems: str = ""
    next_steps: str = ""
    lag_reason: str = ""
    completed_on: date | None = None
    evidence: str = ""

    def is_empty(self) -> bool:
        """Nothing typed: saving it stores (or keeps) no report for the period."""
        return (
            not any(
                v.strip()
                for v in (
                    self.text,
                    self.problems,
                    self.next_steps,
                    self.lag_reason,
                    self.evidence,
                )
            )
            and self.percent is None
            and self.completed_on is None
        )

    def values(self) -> dict[str, object]:
        return {
            "text": self.text,
            "percent": self.percent,
            "problems": self.problems,
            "next_steps": self.next_steps,
            "lag_reason": self.lag_reason,
            "completed_on": self.completed_on,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class ProgressRow:
    """A row of the progress-entry screen: the task, this period's entry, the last one.

    ``window``, ``plan``, ``earlier_percent`` and ``earlier_completed_on`` are what the
    status is computed from, so that a screen can show the status an edit would give
    (``preview_status``) before it is saved.
    """

    task_id: int
    number: str
    content: str
    lead_units: str
    deadline: date | None
    entry: ProgressEntry
    previous_text: str
    previous_percent: int | None
    status: StatusResult
    closed_on: date | None
    window: tuple[date, date] = (date.min, date.max)
    plan: tuple[PlannedPoint, ...] = ()
    earlier_percent: int | None = None
    earlier_completed_on: date | None = None
    stored: bool = False  # a report of this period is in the database
    previous_label: str = ""  # the period ``previous_text`` was reported for


@dataclass(frozen=True)
class PeriodSummary:
    """The line above the progress table: 已填报 N/M, 滞后 K (L 项未说明原因)."""

    period: PeriodView
    expected: int  # tasks that report in this period (not closed before it began)
    reported: int
    lagging: int
    unexplained: tuple[UnexplainedTask, ...]
    as_of: date | None = None  # the day the period is read at (its end, or today if sooner)

    @property
    def missing(self) -> int:
        return max(self.expected - self.reported, 0)

    @property
    def text(self) -> str:
        p = self.period
        due = f"，应于{_md(p.due_on)}前填报" if p.due_on else ""
        head = f"{p.label}（{_md(p.start)}—{_md(p.end)}）{due}"
        line = f"{head}　已填报 {self.reported}/{self.expected}　滞后 {self.lagging}"
        if self.unexplained:
            line += f"（{len(self.unexplained)} 项未说明原因或下步打算）"
        return line


@dataclass(frozen=True)
class HistoryItem:
    period_key: str
    period_label: str
    text: str
    percent: int | None
    problems: str
    next_steps: str
    lag_reason: str
    completed_on: date | None
    updated_at: str
    updated_by: str
    carried: bool = False  # a report of the earlier year's task this one was carried from


def _md(d: date) -> str:
    return f"{d.month}月{d.day}日"


def preview_status(
    row: ProgressRow, entry: ProgressEntry, as_of: date, thresholds: Thresholds
) -> StatusResult:
    """The status ``row``'s task would have at ``as_of`` once ``entry`` is saved.

    Mirrors ``task_statuses``: the latest report counts, so an empty entry (which saving
    removes) leaves the earlier periods' percent in force.
    """
    if entry.is_empty():
        percent, completed = row.earlier_percent, row.earlier_completed_on
        has_report = bool(row.previous_label)
    else:
        percent, completed = entry.percent, entry.completed_on
        has_report = True
    start, deadline = row.window
    return compute_status(
        start=start,
        deadline=deadline,
        as_of=as_of,
        reported_percent=percent,
        completed_on=completed,
        closed=row.closed_on is not None and row.closed_on <= as_of,
        milestones=row.plan,
        thresholds=thresholds,
        has_report=has_report,
    )
