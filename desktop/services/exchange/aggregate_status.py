"""Status counts of many lists at once, for the city's 汇总 view.

The rules are those of ``desktop.services.progress.status`` (``default_as_of`` and
``task_statuses``): each list is read at its own "截至" date — today within the list's year,
or the end of its latest period with progress when that is later — and each task's status
comes from its window, its milestones and its latest report up to that date, through
``desktop.core.status.compute_status`` with the office's thresholds. What differs is the
shape of the work: three queries for all lists instead of three per list, and one cache of
computed statuses shared by every list, so that a hundred lists of 300 tasks take a
fraction of a second. ``tests/services/test_exchange_aggregate.py`` checks the counts
against the list's own ``ProgressService.statuses``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.status import PlannedPoint, Status, StatusResult, compute_status
from desktop.db.models import ProgressReport, ReportingPeriod, WorkList
from desktop.services.clock import today
from desktop.services.progress.status import load_thresholds


def status_counts(
    session: Session, lists: Sequence[WorkList]
) -> dict[int, tuple[date, Counter[str]]]:
    """Per list id: its "截至" date and how many tasks are in each status (``Status`` values;
    closed-out tasks count as done)."""
    if not lists:
        return {}
    ids = [wl.id for wl in lists]
    conn = session.connection()
    thresholds = load_thresholds(session)
    latest_end = dict(
        conn.execute(
            select(ReportingPeriod.work_list_id, func.max(ReportingPeriod.end))
            .join(ProgressReport, ProgressReport.period_id == ReportingPeriod.id)
            .where(ReportingPeriod.work_list_id.in_(ids))
            .group_by(ReportingPeriod.work_list_id)
        ).all()
    )
    day = today()
    as_of: dict[int, date] = {}
    years: dict[int, int] = {}
    for wl in lists:
        clamped = min(max(day, date(wl.year, 1, 1)), date(wl.year, 12, 31))
        latest = latest_end.get(wl.id)
        as_of[wl.id] = max(clamped, latest) if latest else clamped
        years[wl.id] = wl.year

    # the three large reads go straight to the driver: SQLAlchemy's row and date processing
    # cost more than the queries (dates are parsed here once per distinct value)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    marks = ", ".join("?" for _ in ids)
    day_of: dict[str | None, date | None] = {None: None}

    def parse(text: str | None) -> date | None:
        if text not in day_of:
            day_of[text] = date.fromisoformat(str(text))
        return day_of[text]

    reports: dict[int, tuple[date, int | None, date | None]] = {}
    for task_id, list_id, start_text, end_text, percent, completed in cursor.execute(
        'SELECT r.task_id, t.work_list_id, p.start, p."end", r.percent, r.completed_on'
        " FROM progress_report r JOIN reporting_period p ON p.id = r.period_id"
        f" JOIN task t ON t.id = r.task_id WHERE t.work_list_id IN ({marks})",
        ids,
    ).fetchall():
        start, end = parse(start_text), parse(end_text)
        assert start is not None and end is not None
        if start <= as_of[list_id] and (task_id not in reports or end > reports[task_id][0]):
            reports[task_id] = (end, percent, parse(completed))

    # each task's milestones as a plan signature; most tasks share a handful of plans, so
    # a plan is built (and hashed in the cache key below) once, as a small number
    raw_plans: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    for task_id, due_text, percent in cursor.execute(
        "SELECT m.task_id, m.due_on, m.percent FROM milestone m JOIN task t ON t.id = m.task_id"
        f" WHERE t.work_list_id IN ({marks}) ORDER BY m.task_id, m.due_on",
        ids,
    ).fetchall():
        raw_plans[task_id].append((due_text, percent))
    plan_ids: dict[tuple[tuple[str, int | None], ...], int] = {(): 0}
    plan_of_task: dict[int, int] = {}
    for task_id, raw in raw_plans.items():
        plan_of_task[task_id] = plan_ids.setdefault(tuple(raw), len(plan_ids))
    plans: list[tuple[PlannedPoint, ...]] = [
        tuple(PlannedPoint(_sure(parse(d)), p) for d, p in sig) for sig in plan_ids
    ]

    cache: dict[tuple[object, ...], StatusResult] = {}
    out: dict[int, tuple[date, Counter[str]]] = {i: (as_of[i], Counter()) for i in ids}
    for tid, list_id, start_text, deadline_text, closed_text in cursor.execute(
        "SELECT id, work_list_id, start_on, deadline, closed_on FROM task"
        f" WHERE work_list_id IN ({marks})",
        ids,
    ).fetchall():
        start, deadline, closed = parse(start_text), parse(deadline_text), parse(closed_text)
        when = as_of[list_id]
        year = years[list_id]
        _, percent, completed = reports.get(tid, (None, None, None))
        plan_id = plan_of_task.get(tid, 0)
        is_closed = closed is not None and closed <= when
        key = (when, year, start, deadline, percent, completed, is_closed, plan_id)
        result = cache.get(key)
        if result is None:
            result = cache[key] = compute_status(
                start=start or date(year, 1, 1),
                deadline=deadline or date(year, 12, 31),
                as_of=when,
                reported_percent=percent,
                completed_on=completed,
                closed=is_closed,
                milestones=plans[plan_id],
                thresholds=thresholds,
            )
        done = closed is not None or result.status == Status.DONE
        out[list_id][1]["done" if done else result.status.value] += 1
    return out


def _sure(day: date | None) -> date:
    assert day is not None  # milestone dates are NOT NULL
    return day
