"""Plain read models of progress entry: periods, entries, rows, summaries and history.

The progress service returns these frozen dataclasses; the screens show them and hand
edited ``ProgressEntry`` objects back. ``preview_status`` tells a screen what status an edit
would give before it is saved, by the same rule the stored status follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from desktop.core.dates import chinese_month_day
from desktop.core.figures import ReportFact, TaskFacts, TaskFigures, task_figures
from desktop.core.periods import PERIOD_STATE_LABELS
from desktop.core.status import PlannedPoint, StatusResult, Thresholds

NO_FACTS = TaskFacts(None, None)

if TYPE_CHECKING:
    from desktop.db.models import ReportingPeriod


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
    state: str = ""  # past / current / future by the office's today

    @property
    def frozen(self) -> bool:
        return bool(self.frozen_at)

    @property
    def future(self) -> bool:
        return self.state == "future"

    @property
    def display(self) -> str:
        """The label as the period pickers show it."""
        if self.frozen:
            return f"{self.label}（已冻结）"
        if self.state in ("current", "future"):
            return f"{self.label}（{PERIOD_STATE_LABELS[self.state]}）"
        return self.label


def period_view(p: ReportingPeriod, state: str = "") -> PeriodView:
    """The period as screens show it; ``state``: past / current / future by the office's
    today (``status.period_state_of``)."""
    return PeriodView(
        p.id, p.key, p.label, p.start, p.end, p.due_on, p.frozen_at, p.frozen_by, state
    )


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
    reopened: bool = False  # reopens a task finished in an earlier period

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
            "reopened": self.reopened,
        }


@dataclass(frozen=True)
class ProgressRow:
    """A row of the progress-entry screen: the task, this period's entry, the last one.

    ``facts``, ``history`` (the task's reports of the other periods), ``span`` (this
    period), ``current`` and ``year`` are what the figures are computed from, so that a
    screen can show what an edit would give (``preview_figures``) before it is saved.
    """

    task_id: int
    number: str
    content: str
    lead_units: str
    deadline: date | None
    entry: ProgressEntry
    previous_text: str
    previous_percent: int | None
    figures: TaskFigures
    closed_on: date | None
    facts: TaskFacts = NO_FACTS
    history: tuple[ReportFact, ...] = ()
    span: tuple[date, date] = (date.min, date.max)
    current: tuple[date, date] | None = None
    year: int = 2000
    stored: bool = False  # a report of this period is in the database
    previous_label: str = ""  # the period ``previous_text`` was reported for
    finished_before: date | None = None  # finished in an earlier period (on this day)

    @property
    def status(self) -> StatusResult:
        return self.figures.result

    @property
    def window(self) -> tuple[date, date]:
        return (
            self.facts.start_on or date(self.year, 1, 1),
            self.facts.deadline or date(self.year, 12, 31),
        )

    @property
    def plan(self) -> tuple[PlannedPoint, ...]:
        return self.facts.milestones


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
    return chinese_month_day(d)


def preview_figures(
    row: ProgressRow, entry: ProgressEntry, as_of: date, thresholds: Thresholds
) -> TaskFigures:
    """The figures ``row``'s task would have at ``as_of`` once ``entry`` is saved, by the one
    rule (``desktop.core.figures``): an empty entry (which saving removes) leaves the other
    periods' reports in force."""
    reports = list(row.history)
    if not entry.is_empty():
        reports.append(
            ReportFact(row.span[0], row.span[1], entry.percent, entry.completed_on, entry.reopened)
        )
    return task_figures(
        row.facts, reports, as_of, year=row.year, current=row.current, thresholds=thresholds
    )


def preview_status(
    row: ProgressRow, entry: ProgressEntry, as_of: date, thresholds: Thresholds
) -> StatusResult:
    """The status part of ``preview_figures``."""
    return preview_figures(row, entry, as_of, thresholds).result
