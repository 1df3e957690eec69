"""The one rule for every figure derived from a task and its progress reports.

Every screen, ledger, workbook, package, the city's and the province's views and year-end
read a task through :func:`task_figures` (the services feed it plain rows from one query),
so the same task reads the same everywhere:

- **Latest known percent.** Reports are taken in period order, up to the day the figures
  are read at (a report of a period that has not begun by then does not count). A percent
  carries forward until a later report gives a new one: a text-only report leaves the
  earlier percent in force.
- **Completion is sticky.** A task is finished once a report gives a completion date on or
  before the day, or reports 100% (without a completion date after the day), or the task
  is closed out (销号). A later report without a percent, or with a lower one, does not
  undo that; only a report marked *reopened* does. The completion date in force is the
  earliest one since the task was last reopened. A finished task reads 100%.
- **Status as of a day** follows 序时进度 (``desktop.core.status.compute_status``): 已完成 /
  超序时 / 按序时 / 滞后 / 未启动. A task whose every measure is marked 不适用 has no status.
- **Reported in the current period**: the period holding the day has a report of the task
  (text alone counts). A task that still has to report — not finished, not 不适用, its
  window begun — and has not is counted as 本期未填报, its own state, never as 滞后
  (:attr:`TaskFigures.bucket`).
- **Coverage of a measure** by tasks and by localities, over the localities *expected*
  (:func:`measure_coverage`); 不适用 is counted apart and never as covered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .status import PlannedPoint, Status, StatusResult, Thresholds, compute_status

__all__ = [
    "BUCKETS",
    "BUCKET_LABELS",
    "NOT_APPLICABLE",
    "NOT_REPORTED",
    "Coverage",
    "Known",
    "ReportFact",
    "TaskFacts",
    "TaskFigures",
    "bucket_counts",
    "latest_known",
    "measure_coverage",
    "task_figures",
]

DEFAULT_THRESHOLDS = Thresholds()
NOT_REPORTED = "not_reported"
NOT_APPLICABLE = "not_applicable"
# The states a task is counted under, each task under exactly one, in display order.
BUCKETS = (
    Status.DONE.value,
    Status.AHEAD.value,
    Status.ON_TRACK.value,
    Status.LAGGING.value,
    Status.NOT_STARTED.value,
    NOT_REPORTED,
    NOT_APPLICABLE,
)
BUCKET_LABELS = {
    Status.DONE.value: "已完成",
    Status.AHEAD.value: "超序时",
    Status.ON_TRACK.value: "按序时",
    Status.LAGGING.value: "滞后",
    Status.NOT_STARTED.value: "未启动",
    NOT_REPORTED: "本期未填报",
    NOT_APPLICABLE: "不适用",
}


@dataclass(frozen=True)
class ReportFact:
    """One progress report as the rule needs it: its period and the figures it gives."""

    start: date  # the period's first day
    end: date  # the period's last day
    percent: int | None = None
    completed_on: date | None = None
    reopened: bool = False


@dataclass(frozen=True)
class Known:
    """What the reports say by a day (:func:`latest_known`)."""

    percent: int | None  # the latest percent given, carried forward
    completed_on: date | None  # the completion date in force
    finished: bool  # completed, or reported at 100%, and not reopened since
    reported: bool  # any report counts by the day


def _order(r: ReportFact) -> tuple[date, int]:
    # a quarter after its last month: both end on the same day
    return r.end, -r.start.toordinal()


def latest_known(reports: Iterable[ReportFact], as_of: date) -> Known:
    """The latest known percent and completion of a task by the end of ``as_of``."""
    percent: int | None = None
    completed: date | None = None
    finished = reported = False
    for r in sorted((r for r in reports if r.start <= as_of), key=_order):
        reported = True
        given = None if r.percent is None else min(max(r.percent, 0), 100)
        if r.reopened:
            # reopening takes back the completion, and a 100% with it; the report's own
            # percent (below 100) is where the work stands now
            completed, finished = None, False
            percent = given if given is not None and given < 100 else None
            continue
        if given is not None:
            percent = given
        late = r.completed_on is not None and r.completed_on > as_of
        if r.completed_on is not None and not late and completed is None:
            completed, finished = r.completed_on, True
        if given == 100 and not late:
            finished = True
    return Known(percent, completed, finished, reported)


@dataclass(frozen=True)
class TaskFacts:
    """A task's own fields the figures depend on."""

    start_on: date | None
    deadline: date | None
    closed_on: date | None = None
    not_applicable: bool = False  # every measure it serves is marked 不适用
    milestones: tuple[PlannedPoint, ...] = ()


@dataclass(frozen=True)
class TaskFigures:
    """Everything shown of a task's state on one day."""

    as_of: date
    status: Status | None  # None: 不适用
    percent: int | None  # latest known percent; 100 once finished
    completed_on: date | None
    closed: bool  # closed out (销号) by the day
    not_applicable: bool
    reported_in_current_period: bool
    needs_report: bool  # has to report in the current period (not finished, window begun)
    result: StatusResult  # severity, 序时进度, explanation (for 不适用: of the work as such)

    @property
    def not_reported(self) -> bool:
        """本期未填报: has to report in the current period and has not."""
        return self.needs_report and not self.reported_in_current_period

    @property
    def bucket(self) -> str:
        """The one state the task is counted under (``BUCKETS``)."""
        if self.not_applicable or self.status is None:
            return NOT_APPLICABLE
        if self.status is Status.DONE:
            return Status.DONE.value
        if self.not_reported:
            return NOT_REPORTED
        return self.status.value

    @property
    def status_value(self) -> str | None:
        return None if self.status is None else self.status.value


def task_figures(
    task: TaskFacts,
    reports: Sequence[ReportFact],
    as_of: date,
    *,
    year: int,
    current: tuple[date, date] | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> TaskFigures:
    """The figures of one task as of the end of ``as_of``.

    ``year`` is the list's year (a task without a start or deadline spans it); ``current``
    is the first and last day of the reporting period holding ``as_of`` (None when no
    period of the list holds it).
    """
    known = latest_known(reports, as_of)
    closed = task.closed_on is not None and task.closed_on <= as_of
    done = closed or known.finished
    start = task.start_on or date(year, 1, 1)
    deadline = task.deadline or date(year, 12, 31)
    in_current = current is not None and any(
        r.start == current[0] and r.end == current[1] for r in reports
    )
    percent = 100 if done else known.percent
    result = compute_status(
        start=start,
        deadline=deadline,
        as_of=as_of,
        reported_percent=percent,
        completed_on=known.completed_on,
        closed=closed,
        milestones=task.milestones,
        thresholds=thresholds,
        has_report=known.reported,
        done=done,
    )
    if task.not_applicable:
        # no status and nothing owed; ``result`` still says how the work itself stands
        return TaskFigures(as_of, None, None, None, closed, True, in_current, False, result)
    needs = current is not None and not done and start <= current[1]
    return TaskFigures(
        as_of=as_of,
        status=result.status,
        percent=percent,
        completed_on=known.completed_on if done else None,
        closed=closed,
        not_applicable=False,
        reported_in_current_period=in_current,
        needs_report=needs,
        result=result,
    )


def bucket_counts(figures: Iterable[TaskFigures]) -> dict[str, int]:
    """How many tasks are in each state (every key of ``BUCKETS``, zeros included)."""
    counts = Counter(f.bucket for f in figures)
    return {b: counts.get(b, 0) for b in BUCKETS}


# --------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class Coverage:
    """How a measure is covered across the localities expected to report."""

    expected: int  # localities expected to report
    covered: int  # expected localities with at least one task on the measure
    not_applicable: int  # expected localities that marked it 不适用
    not_reported: int  # expected localities whose list has not arrived
    tasks: int  # tasks on the measure, over the expected localities

    @property
    def uncovered(self) -> int:
        """Expected localities that reported a list without a task or a 不适用 for it."""
        return self.expected - self.covered - self.not_applicable - self.not_reported

    @property
    def text(self) -> str:
        """``3/5``: covered over expected."""
        return f"{self.covered}/{self.expected}"


def measure_coverage(
    expected: Sequence[str],
    tasks_by_locality: Mapping[str, int],
    not_applicable: Iterable[str],
    reported: Iterable[str],
) -> Coverage:
    """Coverage of one measure over the ``expected`` localities (the office's list of lower
    localities that must report): ``tasks_by_locality`` counts each locality's tasks on the
    measure, ``not_applicable`` names those that marked it 不适用, ``reported`` those whose
    list has arrived. A locality outside ``expected`` never counts."""
    wanted = list(dict.fromkeys(expected))
    na = set(not_applicable)
    arrived = set(reported)
    covered = sum(1 for loc in wanted if tasks_by_locality.get(loc, 0) > 0 and loc not in na)
    marked = sum(1 for loc in wanted if loc in na)
    missing = sum(1 for loc in wanted if loc not in arrived and loc not in na)
    tasks = sum(tasks_by_locality.get(loc, 0) for loc in wanted if loc not in na)
    return Coverage(len(wanted), covered, marked, missing, tasks)
