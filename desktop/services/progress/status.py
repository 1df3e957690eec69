"""Reading the year's state: reporting periods, thresholds and computed task status.

These functions work inside a caller's session, so that the progress, ledger, freezing and
overview services compute status the same way in their own transactions.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.periods import generate_periods
from desktop.core.status import PlannedPoint, StatusResult, Thresholds, compute_status
from desktop.db.models import Milestone, ProgressReport, ReportingPeriod, Setting, Task, WorkList
from desktop.errors import NotFoundError
from desktop.services.clock import today

THRESHOLDS_KEY = "status.thresholds"


def load_thresholds(session: Session) -> Thresholds:
    row = session.get(Setting, THRESHOLDS_KEY)
    if row is None or not row.value:
        return Thresholds()
    try:
        return Thresholds.from_dict(json.loads(row.value)).validated()
    except (ValueError, TypeError):
        return Thresholds()


def ensure_periods(session: Session, wl: WorkList) -> list[ReportingPeriod]:
    """The list's periods for its year and cadence, created on first use."""
    existing = {p.key: p for p in wl.periods}
    specs = generate_periods(wl.year, wl.cadence, wl.due_day)
    created = False
    for spec in specs:
        known = existing.get(spec.key)
        if known is not None and known.due_on != spec.due_on and not known.frozen_at:
            known.due_on = spec.due_on  # the office changed its due day
        if spec.key not in existing:
            period = ReportingPeriod(
                work_list_id=wl.id,
                key=spec.key,
                label=spec.label,
                start=spec.start,
                end=spec.end,
                due_on=spec.due_on,
            )
            session.add(period)
            existing[spec.key] = period
            created = True
    if created:
        session.flush()
        session.expire(wl, ["periods"])
    # Periods of another cadence (the list switched from quarterly to monthly, say) stay
    # only while they hold progress or a frozen ledger; empty ones drop out of the list.
    wanted = {s.key for s in specs}
    return sorted(
        (
            p
            for p in existing.values()
            if p.key in wanted or p.frozen_at or _has_reports(session, p)
        ),
        # a quarter after its last month: both end on the same day
        key=lambda p: (p.end, -p.start.toordinal()),
    )


def _has_reports(session: Session, period: ReportingPeriod) -> bool:
    return (
        session.execute(
            select(ProgressReport.id).where(ProgressReport.period_id == period.id).limit(1)
        ).first()
        is not None
    )


def task_statuses(
    session: Session,
    list_id: int,
    as_of: date,
    plans: dict[int, list[PlannedPoint]] | None = None,
) -> dict[int, StatusResult]:
    """Computed status of every task of a list at ``as_of``, from reports up to that date.

    Plain column queries on the session's connection (no ORM rows), and one computation per
    distinct (window, plan, report) — most tasks of a list share them — so that a list of
    20,000 tasks takes a fraction of a second.
    """
    wl = session.get(WorkList, list_id)
    if wl is None:
        raise NotFoundError("找不到这份清单。")
    thresholds = load_thresholds(session)
    conn = session.connection()
    latest: dict[int, tuple[date, int | None, date | None]] = {}
    for task_id, end, percent, completed in conn.execute(
        select(
            ProgressReport.task_id,
            ReportingPeriod.end,
            ProgressReport.percent,
            ProgressReport.completed_on,
        )
        .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
        .join(Task, Task.id == ProgressReport.task_id)
        .where(Task.work_list_id == list_id, ReportingPeriod.start <= as_of)
    ):
        if task_id not in latest or end > latest[task_id][0]:
            latest[task_id] = (end, percent, completed)
    if plans is None:
        plans = plans_of(session, list_id)
    year_start, year_last = date(wl.year, 1, 1), date(wl.year, 12, 31)
    cache: dict[tuple[object, ...], StatusResult] = {}
    out = {}
    for tid, start, deadline, closed in conn.execute(
        select(Task.id, Task.start_on, Task.deadline, Task.closed_on).where(
            Task.work_list_id == list_id
        )
    ):
        _, percent, completed = latest.get(tid, (None, None, None))
        plan = tuple(plans.get(tid, ()))
        is_closed = closed is not None and closed <= as_of
        # a report with text but no percent still counts as reported
        has_report = tid in latest
        key = (start, deadline, percent, completed, is_closed, has_report, plan)
        result = cache.get(key)
        if result is None:
            result = cache[key] = compute_status(
                start=start or year_start,
                deadline=deadline or year_last,
                as_of=as_of,
                reported_percent=percent,
                completed_on=completed,
                closed=is_closed,
                milestones=plan,
                thresholds=thresholds,
                has_report=has_report,
            )
        out[tid] = result
    return out


def plans_of(session: Session, list_id: int) -> dict[int, list[PlannedPoint]]:
    """Each task's milestones (节点) as planned points of its 序时进度."""
    plans: dict[int, list[PlannedPoint]] = defaultdict(list)
    points: dict[tuple[date, int | None], PlannedPoint] = {}
    for task_id, due_on, percent in session.connection().execute(
        select(Milestone.task_id, Milestone.due_on, Milestone.percent)
        .join(Task, Task.id == Milestone.task_id)
        .where(Task.work_list_id == list_id)
        .order_by(Milestone.task_id, Milestone.due_on)
    ):
        point = points.get((due_on, percent))
        if point is None:
            point = points[(due_on, percent)] = PlannedPoint(due_on, percent)
        plans[task_id].append(point)
    return plans


def carried_chain(session: Session, task: Task) -> list[int]:
    """Ids of the tasks ``task`` was carried over from, nearest year first."""
    out: list[int] = []
    current = task
    seen = {task.id}
    while current.carried_from_uid and len(out) < 50:
        wl = session.get(WorkList, current.work_list_id)
        query = select(Task).join(WorkList, WorkList.id == Task.work_list_id)
        query = query.where(Task.uid == current.carried_from_uid)
        if wl is not None and wl.carried_from_id is not None:
            query = query.order_by((Task.work_list_id == wl.carried_from_id).desc())
        query = query.order_by(WorkList.is_current.desc(), WorkList.version.desc())
        found = session.execute(query.limit(1)).scalar_one_or_none()
        if found is None or found.id in seen:
            break
        out.append(found.id)
        seen.add(found.id)
        current = found
    return out


def default_as_of(session: Session, wl: WorkList) -> date:
    """The list's "截至" date: the date its status is shown at, never beyond what has happened.

    Today, within the list's year. Only a list whose year has not begun yet (next year's
    list, or the example office made ahead of its year) is read at the end of the latest
    period with reported progress, so that progress entered ahead of the calendar shows.
    A report typed into the running period does not move the date to the period's end.
    """
    start, end = date(wl.year, 1, 1), date(wl.year, 12, 31)
    now = today()
    day = min(max(now, start), end)
    if now >= start:
        return day
    latest = session.execute(
        select(ReportingPeriod.end)
        .join(ProgressReport, ProgressReport.period_id == ReportingPeriod.id)
        .where(ReportingPeriod.work_list_id == wl.id)
        .order_by(ReportingPeriod.end.desc())
        .limit(1)
    ).scalar_one_or_none()
    return max(day, min(latest, end)) if latest else day


def period_as_of(session: Session, wl: WorkList, period: ReportingPeriod) -> date:
    """The date a period's status and ledger are read at: its end, or the list's "截至" date
    (``default_as_of``: today) while the period is still running — never a day not yet
    reached. A list whose year has not begun is all ahead of the calendar: its periods are
    read at their ends, as the progress typed into them is meant."""
    if today() < date(wl.year, 1, 1):
        return min(period.end, year_end(wl))
    return min(period.end, year_end(wl), default_as_of(session, wl))


def default_period(
    session: Session, wl: WorkList, periods: list[ReportingPeriod] | None = None
) -> ReportingPeriod:
    """The period screens and ledgers show when none is chosen.

    The latest period that already has progress reports; if none has, the period holding
    the list's "截至" date. Never a period that has not begun by that date. The progress
    screen (``ProgressService.current_period``) and the ledgers (``LedgerService``) choose
    by this one rule; the package export names the latest period with progress, the same
    period whenever progress has been typed only into periods that have begun.
    """
    if periods is None:
        periods = ensure_periods(session, wl)
    day = default_as_of(session, wl)
    begun = [p for p in periods if p.start <= day] or periods[:1]
    reported = set(
        session.execute(
            select(ProgressReport.period_id)
            .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
            .where(ReportingPeriod.work_list_id == wl.id)
            .distinct()
        ).scalars()
    )
    with_reports = [p for p in begun if p.id in reported]
    if with_reports:
        return with_reports[-1]
    holding = [p for p in begun if p.start <= day <= p.end]
    return holding[-1] if holding else begun[-1]


def year_end(wl: WorkList) -> date:
    return date(wl.year, 12, 31)
