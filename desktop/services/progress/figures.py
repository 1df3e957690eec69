"""Every task's figures, read from the database for the one rule of ``desktop.core.figures``.

One read serves one list or a hundred (the city's view): four plain column queries on the
session's connection — reports with their periods, milestones (one row per task, its plan as
text), tasks, and the links of tasks to measures marked 不适用 — and one computation per
distinct case, most tasks of a list
sharing their window, plan and reports' shape. The progress screen, the list screen, every
ledger variant, the exports, the package, the city's views, the overview and year-end all
take their status, percent, 本期未填报 and counts from here.

Each list is read at its own day: the caller's, or its "截至" date (``default_as_of``);
its thresholds are the office's for its own lists and the sender's for a list imported from
below (so a county's task reads the same at the city).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from desktop.core.figures import (
    ReportFact,
    TaskFacts,
    TaskFigures,
    bucket_counts,
    task_figures,
)
from desktop.core.periods import generate_periods, holding_period
from desktop.core.status import PlannedPoint, Thresholds
from desktop.errors import NotFoundError
from desktop.services.reading import Read

if TYPE_CHECKING:  # the ORM is loaded by the session's callers; ``figures_of`` needs none
    from sqlalchemy.orm import Session

    from desktop.db.models import WorkList


@dataclass(frozen=True)
class PeriodRef:
    """The reporting period holding a list's day (本期)."""

    key: str
    label: str
    start: date
    end: date


@dataclass(frozen=True)
class ListFigures:
    """The figures of every task of one list on one day."""

    list_id: int
    as_of: date
    period: PeriodRef | None  # the period holding ``as_of``
    thresholds: Thresholds
    tasks: Mapping[int, TaskFigures]  # task id → figures

    def counts(self) -> dict[str, int]:
        """Tasks per state (``desktop.core.figures.BUCKETS``), 本期未填报 apart from 滞后."""
        return bucket_counts(self.tasks.values())


THRESHOLDS_KEY = "status.thresholds"  # the office's thresholds: a setting (JSON)


@dataclass(frozen=True)
class FigureList:
    """What the figures of a list's tasks depend on besides its tasks: its year, periods'
    cadence and due day, the day it is read at, and the thresholds it is read by."""

    id: int
    year: int
    cadence: str
    due_day: int
    day: date
    thresholds: Thresholds


def thresholds_from(value: str | None) -> Thresholds:
    """The thresholds a stored setting (JSON) holds; the defaults when unset or unreadable."""
    if not value:
        return Thresholds()
    try:
        return Thresholds.from_dict(json.loads(value)).validated()
    except (ValueError, TypeError):
        return Thresholds()


def list_thresholds_from(
    own: bool, stored: str | None, office: Callable[[], Thresholds]
) -> Thresholds:
    """The thresholds a list is read by: the sender's (``stored``) for a list imported from
    below, else the office's (``office()``)."""
    if not own and stored:
        try:
            return Thresholds.from_dict(json.loads(stored))
        except (ValueError, TypeError):
            pass
    return office()


def list_thresholds(session: Session, wl: WorkList) -> Thresholds:
    """The thresholds a list's status is read by: the sender's for an imported list."""
    from desktop.services.progress.status import load_thresholds

    return list_thresholds_from(wl.own, wl.thresholds, lambda: load_thresholds(session))


def list_figures(session: Session, list_id: int, as_of: date | None = None) -> ListFigures:
    """The figures of every task of list ``list_id`` at ``as_of`` (its "截至" date if None)."""
    from desktop.db.models import WorkList

    wl = session.get(WorkList, list_id)
    if wl is None:
        raise NotFoundError("找不到这份清单。")
    return lists_figures(session, [wl], None if as_of is None else {wl.id: as_of})[wl.id]


def lists_figures(
    session: Session, lists: Sequence[WorkList], as_of: Mapping[int, date] | None = None
) -> dict[int, ListFigures]:
    """The figures of every task of several lists, each at its day (``as_of[list id]``, or
    its "截至" date)."""
    from desktop.services.progress.status import default_as_of

    if not lists:
        return {}
    heads = [
        FigureList(
            wl.id,
            wl.year,
            wl.cadence,
            wl.due_day,
            (as_of or {}).get(wl.id) or default_as_of(session, wl),
            list_thresholds(session, wl),
        )
        for wl in lists
    ]
    # the large reads go straight to the driver: SQLAlchemy's row and date processing cost
    # more than the queries (dates are parsed here once per distinct value)
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    return figures_of(lambda sql, params: cursor.execute(sql, params).fetchall(), heads)


# What ``figures_of`` reads of the lists' reports and milestones, and of their tasks, in this
# order; a caller that reads these tables anyway (the ledger) reads more columns after these
# and hands its rows over, so each table is read once.
REPORT_COLUMNS = 'r.task_id, p.start, p."end", r.percent, r.completed_on, r.reopened'
REPORTS_OF_TASKS = (
    " FROM progress_report r JOIN reporting_period p ON p.id = r.period_id"
    " JOIN task t ON t.id = r.task_id"
)
MILESTONE_COLUMNS = "m.task_id, m.due_on, m.percent"
MILESTONES_OF_TASKS = " FROM milestone m JOIN task t ON t.id = m.task_id"
MILESTONE_ORDER = " ORDER BY m.task_id, m.due_on"

Rows = Sequence[Sequence[Any]]


def figures_of(
    read: Read,
    lists: Sequence[FigureList],
    *,
    tasks: Rows | None = None,
    reports: Rows | None = None,
    milestones: Rows | None = None,
) -> dict[int, ListFigures]:
    """The figures of every task of ``lists``, each read at its own day: the one
    computation behind ``lists_figures``, over any ``Read``.

    A caller that has read the lists' tables already passes their rows: ``tasks`` as
    ``(id, list id, start, deadline, closed)`` (dates as stored, ISO text, or as dates),
    ``reports`` and ``milestones`` starting with :data:`REPORT_COLUMNS` and
    :data:`MILESTONE_COLUMNS` (milestones in :data:`MILESTONE_ORDER`); what it does not
    pass is read here.
    """
    if not lists:
        return {}
    by_id = {wl.id: wl for wl in lists}
    ids = list(by_id)
    marks = ", ".join("?" for _ in ids)
    parsed: dict[object, date | None] = {None: None}

    def day(text: str | date | None) -> date | None:
        if text not in parsed:
            parsed[text] = text if isinstance(text, date) else date.fromisoformat(str(text))
        return parsed[text]

    periods: dict[int, list[PeriodRef]] = defaultdict(list)
    for list_id, key, label, start, end in read(
        'SELECT work_list_id, key, label, start, "end" FROM reporting_period'
        f" WHERE work_list_id IN ({marks})",
        ids,
    ):
        periods[list_id].append(PeriodRef(key, label, _sure(day(start)), _sure(day(end))))
    for list_id in ids:
        if not periods[list_id]:  # periods not made yet: the ones they will be
            wl = by_id[list_id]
            specs = generate_periods(wl.year, wl.cadence, wl.due_day)
            periods[list_id] = [PeriodRef(s.key, s.label, s.start, s.end) for s in specs]

    # kept as the driver gives them (text dates) and parsed only for a case not met before:
    # most tasks share their case, and 20,000 tasks have a few thousand reports each quarter
    of_lists = f" WHERE t.work_list_id IN ({marks})"
    if reports is None:
        reports = read(f"SELECT {REPORT_COLUMNS}{REPORTS_OF_TASKS}{of_lists}", ids)
    by_task: dict[int, list[Sequence[Any]]] = defaultdict(list)
    for row in reports:
        by_task[row[0]].append(row[1:6])  # start, end, percent, completed, reopened

    # each task's milestones as a plan; most tasks share a handful of plans
    plans: dict[tuple[tuple[str, int | None], ...], tuple[PlannedPoint, ...]] = {}

    def plan_for(key: tuple[tuple[str, int | None], ...]) -> tuple[PlannedPoint, ...]:
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = tuple(PlannedPoint(_sure(day(d)), p) for d, p in key)
        return plan

    plan_of: dict[int, tuple[PlannedPoint, ...]] = {}  # task id → its plan (shared)
    if milestones is None:
        # one row per task, its milestones as text (their order left to SQLite, so sorted
        # here): 20,000 tasks have four times as many milestones but a handful of plans,
        # and each distinct text is read once
        by_text: dict[str, tuple[PlannedPoint, ...]] = {}
        for task_id, text in read(
            f"SELECT m.task_id, group_concat(m.due_on || ' ' || ifnull(m.percent, ''), ',')"
            f"{MILESTONES_OF_TASKS}{of_lists} GROUP BY m.task_id",
            ids,
        ):
            shared = by_text.get(text)
            if shared is None:
                shared = by_text[text] = plan_for(_plan_key(text))
            plan_of[task_id] = shared
    else:
        raw_plans: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
        for row in milestones:
            raw_plans[row[0]].append((row[1], row[2]))
        for task_id, raw in raw_plans.items():
            plan_of[task_id] = plan_for(tuple(raw))
    no_plan: tuple[PlannedPoint, ...] = ()

    # a task is 不适用 when every measure it serves is marked so in its list
    links: dict[int, list[bool]] = defaultdict(list)
    for task_id, excluded in read(
        "SELECT tm.task_id, e.id IS NOT NULL FROM task_measure tm"
        " JOIN task t ON t.id = tm.task_id"
        " LEFT JOIN measure_exclusion e"
        " ON e.work_list_id = t.work_list_id AND e.measure_id = tm.measure_id"
        f" WHERE t.work_list_id IN ({marks})",
        ids,
    ):
        links[task_id].append(bool(excluded))
    not_applicable = {task_id for task_id, flags in links.items() if all(flags)}

    context = {}
    for list_id in ids:
        wl = by_id[list_id]
        current = holding_period(periods[list_id], wl.day)
        context[list_id] = (wl.year, wl.day, current, wl.thresholds)
    # a task's figures follow from its facts and its list's year, day, period and thresholds
    # only: lists that share those (a province's lists of one notice) share the cache too
    cases = {
        i: (year, when, None if cur is None else (cur.start, cur.end), thresholds)
        for i, (year, when, cur, thresholds) in context.items()
    }
    # each distinct case by a number in the tasks' keys: hashing the case itself (the
    # thresholds' hash is Python code) for every task was a tenth of this loop
    numbers: dict[tuple[object, ...], int] = {}
    case_number = {i: numbers.setdefault(case, len(numbers)) for i, case in cases.items()}

    cache: dict[tuple[object, ...], TaskFigures] = {}
    figures: dict[int, dict[int, TaskFigures]] = {i: {} for i in ids}
    if tasks is None:
        tasks = read(
            "SELECT id, work_list_id, start_on, deadline, closed_on FROM task"
            f" WHERE work_list_id IN ({marks})",
            ids,
        )
    for tid, list_id, start, deadline, closed in tasks:
        year, when, span, thresholds = cases[list_id]
        mine = tuple(by_task.get(tid, ()))
        plan = plan_of.get(tid, no_plan)
        na = tid in not_applicable
        key = (case_number[list_id], start, deadline, closed, na, id(plan), mine)
        found = cache.get(key)
        if found is None:
            facts = [
                ReportFact(_sure(day(a)), _sure(day(b)), pct, day(done), bool(again))
                for a, b, pct, done, again in mine
            ]
            found = cache[key] = task_figures(
                TaskFacts(day(start), day(deadline), day(closed), na, plan),
                facts,
                when,
                year=year,
                current=span,
                thresholds=thresholds,
            )
        figures[list_id][tid] = found
    return {i: ListFigures(i, context[i][1], context[i][2], context[i][3], figures[i]) for i in ids}


def _plan_key(text: str) -> tuple[tuple[str, int | None], ...]:
    """``2027-06-30 50,2027-03-31 20`` → ``(("2027-03-31", 20), ("2027-06-30", 50))``: a
    task's milestones as ``MILESTONE_ORDER`` reads them (a task has one a day)."""
    points = []
    for item in text.split(","):
        due, percent = item.split(" ")
        points.append((due, int(percent) if percent else None))
    points.sort(key=lambda point: point[0])
    return tuple(points)


def _sure(value: date | None) -> date:
    assert value is not None  # NOT NULL columns
    return value
