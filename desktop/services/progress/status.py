"""Reading the year's state: reporting periods and where they stand by the office's today,
thresholds, the "截至" date and the default period. (Task figures: ``progress.figures``.)

These functions work inside a caller's session, so that the progress, ledger, freezing and
overview services compute status the same way in their own transactions.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.dates import chinese_date, chinese_month_day
from desktop.core.periods import (
    FUTURE,
    choose_default_period,
    generate_periods,
    kept_periods,
    list_day,
    period_day,
    period_state,
)
from desktop.core.status import PlannedPoint, Thresholds
from desktop.db.models import Milestone, ProgressReport, ReportingPeriod, Setting, Task, WorkList
from desktop.errors import ValidationError
from desktop.services.clock import today
from desktop.services.progress.figures import THRESHOLDS_KEY, thresholds_from


def load_thresholds(session: Session) -> Thresholds:
    row = session.get(Setting, THRESHOLDS_KEY)
    return thresholds_from(row.value if row is not None else None)


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
    wanted = {s.key for s in specs}
    return kept_periods(existing.values(), wanted, lambda p: _has_reports(session, p))


def _has_reports(session: Session, period: ReportingPeriod) -> bool:
    return (
        session.execute(
            select(ProgressReport.id).where(ProgressReport.period_id == period.id).limit(1)
        ).first()
        is not None
    )


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
    """The list's "截至" date: the day its figures are shown at, never beyond what has
    happened — the office's today (``clock.today``: the calendar, the demo office's date, or
    the command line's ``--as-of``), within the list's year."""
    return list_day(today(session), wl.year)


def period_as_of(session: Session, wl: WorkList, period: ReportingPeriod) -> date:
    """The day a period's figures and ledger are read at: its last day once it is over, the
    office's today while it runs (``desktop.core.periods.period_read_at``)."""
    return period_day(period.start, period.end, today(session), wl.year)


def period_state_of(session: Session, period: ReportingPeriod) -> str:
    """``past``, ``current`` or ``future`` by the office's today."""
    return period_state(period.start, period.end, today(session))


def refuse_future(session: Session, period: ReportingPeriod, what: str) -> None:
    """A period that has not begun cannot be filled in or frozen (``what``: 填报, 冻结 …)."""
    if period_state_of(session, period) == FUTURE:
        day = today(session)
        raise ValidationError(
            f"{period.label}还没有开始（{chinese_month_day(period.start)}开始），不能{what}。",
            hint=f"今天是{chinese_date(day)}；请选择已经开始的填报周期。",
        )


def default_period(
    session: Session,
    wl: WorkList,
    periods: list[ReportingPeriod] | None = None,
    *,
    for_entry: bool = False,
) -> ReportingPeriod:
    """The period screens and ledgers show when none is chosen.

    The latest period that already has progress reports; if none has, the period holding
    the list's "截至" date. Never a period that has not begun by that date. The progress
    screen (``ProgressService.current_period``) and the ledgers (``LedgerService``) choose
    by this one rule; the package export names the latest period with progress, the same
    period whenever progress has been typed only into periods that have begun.
    ``for_entry`` (the progress screen): frozen periods are passed by, so after Q1 is
    frozen the screen opens on the period now due.
    """
    if periods is None:
        periods = ensure_periods(session, wl)
    reported = set(
        session.execute(
            select(ProgressReport.period_id)
            .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
            .where(ReportingPeriod.work_list_id == wl.id)
            .distinct()
        ).scalars()
    )
    return choose_default_period(periods, default_as_of(session, wl), reported, for_entry=for_entry)


def year_end(wl: WorkList) -> date:
    return date(wl.year, 12, 31)
