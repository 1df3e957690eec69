"""The year's rhythm: reporting periods, progress entry, computed status, freezing, close-out.

Status is never typed: it is computed from the task's window, its milestones and the latest
reported percent against the 序时进度 at a date (``desktop.core.status``). A frozen period keeps
a snapshot of its ledger, so the "截至某月底" ledger reprints exactly as it was.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.periods import generate_periods
from desktop.core.status import PlannedPoint, StatusResult, Thresholds, compute_status
from desktop.db.models import Milestone, ProgressReport, ReportingPeriod, Setting, Task, WorkList
from desktop.errors import NotFoundError, ValidationError
from desktop.services import audit
from desktop.services.clock import now_text, today
from desktop.services.office import get_office

THRESHOLDS_KEY = "status.thresholds"


@dataclass(frozen=True)
class PeriodView:
    id: int
    key: str
    label: str
    start: date
    end: date
    due_on: date | None
    frozen_at: str

    @property
    def frozen(self) -> bool:
        return bool(self.frozen_at)


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


@dataclass(frozen=True)
class ProgressRow:
    """A row of the progress-entry screen: the task, this period's entry, the last one."""

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
    return sorted(
        (p for p in existing.values() if p.key in wanted or _has_reports(session, p)),
        key=lambda p: p.end,
    )


def _has_reports(session: Session, period: ReportingPeriod) -> bool:
    return (
        session.execute(
            select(ProgressReport.id).where(ProgressReport.period_id == period.id).limit(1)
        ).first()
        is not None
    )


def _view(p: ReportingPeriod) -> PeriodView:
    return PeriodView(p.id, p.key, p.label, p.start, p.end, p.due_on, p.frozen_at)


def task_statuses(session: Session, list_id: int, as_of: date) -> dict[int, StatusResult]:
    """Computed status of every task of a list at ``as_of``, from reports up to that date."""
    wl = session.get(WorkList, list_id)
    if wl is None:
        raise NotFoundError("找不到这份清单。")
    thresholds = load_thresholds(session)
    latest: dict[int, tuple[date, int | None, date | None]] = {}
    for task_id, end, percent, completed in session.execute(
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
    plans: dict[int, list[PlannedPoint]] = defaultdict(list)
    for task_id, due_on, percent in session.execute(
        select(Milestone.task_id, Milestone.due_on, Milestone.percent)
        .join(Task, Task.id == Milestone.task_id)
        .where(Task.work_list_id == list_id)
    ):
        plans[task_id].append(PlannedPoint(due_on, percent))
    out = {}
    for tid, start, deadline, closed in session.execute(
        select(Task.id, Task.start_on, Task.deadline, Task.closed_on).where(
            Task.work_list_id == list_id
        )
    ):
        _, percent, completed = latest.get(tid, (None, None, None))
        out[tid] = compute_status(
            start=start or date(wl.year, 1, 1),
            deadline=deadline or date(wl.year, 12, 31),
            as_of=as_of,
            reported_percent=percent,
            completed_on=completed,
            closed=closed is not None and closed <= as_of,
            milestones=plans.get(tid, ()),
            thresholds=thresholds,
        )
    return out


def default_as_of(session: Session, wl: WorkList) -> date:
    """The date a list's status is shown at: today, within the list's year; or the end of the
    latest period with reported progress when that is later (progress entered ahead of the
    calendar, as in the demo office, and the usual "截至某月底" reading)."""
    start, end = date(wl.year, 1, 1), date(wl.year, 12, 31)
    day = min(max(today(), start), end)
    latest = session.execute(
        select(ReportingPeriod.end)
        .join(ProgressReport, ProgressReport.period_id == ReportingPeriod.id)
        .where(ReportingPeriod.work_list_id == wl.id)
        .order_by(ReportingPeriod.end.desc())
        .limit(1)
    ).scalar_one_or_none()
    return max(day, latest) if latest else day


class ProgressService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # settings --------------------------------------------------------------------------

    def thresholds(self) -> Thresholds:
        with self._sessions() as session:
            return load_thresholds(session)

    def set_thresholds(self, thresholds: Thresholds) -> Thresholds:
        checked = thresholds.validated()
        with self._sessions.begin() as session:
            row = session.get(Setting, THRESHOLDS_KEY) or Setting(key=THRESHOLDS_KEY)
            before = row.value
            row.value = json.dumps(checked.to_dict())
            session.add(row)
            audit.record(
                session,
                operator=get_office(session).operator,
                action="update",
                entity="setting",
                entity_id=THRESHOLDS_KEY,
                summary="修改状态阈值",
                before=before,
                after=checked.to_dict(),
            )
        return checked

    # periods ---------------------------------------------------------------------------

    def periods(self, list_id: int) -> list[PeriodView]:
        with self._sessions.begin() as session:
            return [_view(p) for p in ensure_periods(session, self._list(session, list_id))]

    def current_period(self, list_id: int, day: date | None = None) -> PeriodView:
        """The period holding ``day`` (today), clamped to the list's year."""
        day = day or today()
        periods = self.periods(list_id)
        for p in periods:
            if p.start <= day <= p.end:
                return p
        return periods[0] if day < periods[0].start else periods[-1]

    # progress --------------------------------------------------------------------------

    def rows(self, list_id: int, period_id: int) -> list[ProgressRow]:
        with self._sessions() as session:
            wl = self._list(session, list_id)
            period = self._period(session, list_id, period_id)
            earlier = session.execute(
                select(ReportingPeriod.id)
                .where(ReportingPeriod.work_list_id == list_id, ReportingPeriod.end < period.end)
                .order_by(ReportingPeriod.end.desc())
                .limit(1)
            ).scalar_one_or_none()
            reports = {
                r.task_id: r
                for r in session.execute(
                    select(ProgressReport)
                    .join(Task, Task.id == ProgressReport.task_id)
                    .where(Task.work_list_id == list_id, ProgressReport.period_id == period.id)
                ).scalars()
            }
            previous = {}
            if earlier is not None:
                previous = {
                    r.task_id: r
                    for r in session.execute(
                        select(ProgressReport).where(ProgressReport.period_id == earlier)
                    ).scalars()
                }
            statuses = task_statuses(session, list_id, min(period.end, _year_end(wl)))
            from desktop.services.worklist_read import task_rows

            out = []
            for t in task_rows(session, list_id):
                r = reports.get(t.id)
                p = previous.get(t.id)
                entry = ProgressEntry(
                    task_id=t.id,
                    text=r.text if r else "",
                    percent=r.percent if r else None,
                    problems=r.problems if r else "",
                    next_steps=r.next_steps if r else "",
                    lag_reason=r.lag_reason if r else "",
                    completed_on=r.completed_on if r else None,
                    evidence=r.evidence if r else "",
                )
                out.append(
                    ProgressRow(
                        t.id,
                        t.number,
                        t.content,
                        t.lead_text,
                        t.deadline,
                        entry,
                        p.text if p else "",
                        p.percent if p else None,
                        statuses[t.id],
                        t.closed_on,
                    )
                )
            return out

    def save(self, list_id: int, period_id: int, entries: list[ProgressEntry]) -> int:
        """Store the entries of one period in one transaction; returns how many changed."""
        for e in entries:
            if e.percent is not None and not 0 <= e.percent <= 100:
                raise ValidationError("完成百分比应在 0 到 100 之间。")
        with self._sessions.begin() as session:
            wl = self._list(session, list_id)
            if not wl.own:
                raise ValidationError("下级上报的清单只能查看，不能填报。")
            period = self._period(session, list_id, period_id)
            if period.frozen_at:
                raise ValidationError(f"{period.label}已冻结，不能再修改进展。")
            operator = get_office(session).operator
            valid = set(
                session.execute(select(Task.id).where(Task.work_list_id == list_id)).scalars()
            )
            existing = {
                r.task_id: r
                for r in session.execute(
                    select(ProgressReport).where(ProgressReport.period_id == period.id)
                ).scalars()
            }
            changed = 0
            for e in entries:
                if e.task_id not in valid:
                    raise ValidationError("要填报的任务不在这份清单中。")
                row = existing.get(e.task_id)
                values = {
                    "text": e.text,
                    "percent": e.percent,
                    "problems": e.problems,
                    "next_steps": e.next_steps,
                    "lag_reason": e.lag_reason,
                    "completed_on": e.completed_on,
                    "evidence": e.evidence,
                }
                if row is None:
                    if not any(v not in (None, "") for v in values.values()):
                        continue
                    row = ProgressReport(task_id=e.task_id, period_id=period.id)
                    session.add(row)
                    before = None
                else:
                    before = {k: getattr(row, k) for k in values}
                    if before == values:
                        continue
                for k, v in values.items():
                    setattr(row, k, v)
                row.updated_at, row.updated_by = now_text(), operator
                changed += 1
                audit.record(
                    session,
                    operator=operator,
                    action="progress",
                    entity="progress",
                    entity_id=e.task_id,
                    summary=f"{period.label}进展",
                    before=before,
                    after=values,
                )
            wl.updated_at = now_text()
            return changed

    def history(self, task_id: int) -> list[HistoryItem]:
        with self._sessions() as session:
            rows = session.execute(
                select(ProgressReport, ReportingPeriod)
                .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
                .where(ProgressReport.task_id == task_id)
                .order_by(ReportingPeriod.end)
            ).all()
            return [
                HistoryItem(
                    p.key,
                    p.label,
                    r.text,
                    r.percent,
                    r.problems,
                    r.next_steps,
                    r.lag_reason,
                    r.completed_on,
                    r.updated_at,
                    r.updated_by,
                )
                for r, p in rows
            ]

    def statuses(self, list_id: int, as_of: date | None = None) -> dict[int, StatusResult]:
        with self._sessions() as session:
            wl = self._list(session, list_id)
            return task_statuses(session, list_id, as_of or default_as_of(session, wl))

    def as_of(self, list_id: int) -> date:
        with self._sessions() as session:
            return default_as_of(session, self._list(session, list_id))

    # internals -------------------------------------------------------------------------

    def _list(self, session: Session, list_id: int) -> WorkList:
        wl = session.get(WorkList, list_id)
        if wl is None:
            raise NotFoundError("找不到这份清单，它可能已被删除。")
        return wl

    def _period(self, session: Session, list_id: int, period_id: int) -> ReportingPeriod:
        period = session.get(ReportingPeriod, period_id)
        if period is None or period.work_list_id != list_id:
            raise NotFoundError("找不到这个填报周期。")
        return period


def _year_end(wl: WorkList) -> date:
    return date(wl.year, 12, 31)
