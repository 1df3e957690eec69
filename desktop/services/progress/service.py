"""The year's rhythm: reporting periods, progress entry, computed status, freezing.

Status is never typed: it is computed from the task's window, its milestones and the latest
reported percent against the 序时进度 at a date (``desktop.core.status``). A frozen period keeps
a snapshot of its ledger, so the "截至某月底" ledger reprints exactly as it was; the rules of
freezing live in ``desktop.services.progress.freezing``. Close-out and carry-over are in
``desktop.services.progress.yearend``.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.status import StatusResult, Thresholds
from desktop.db.models import ProgressReport, ReportingPeriod, Setting, Task, WorkList
from desktop.errors import NotFoundError, ValidationError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text
from desktop.services.office.service import get_office
from desktop.services.progress import freezing
from desktop.services.progress import unsaved as progress_draft
from desktop.services.progress.status import (
    THRESHOLDS_KEY,
    carried_chain,
    default_as_of,
    default_period,
    ensure_periods,
    load_thresholds,
    period_as_of,
    plans_of,
    task_statuses,
    year_end,
)
from desktop.services.progress.types import (
    HistoryItem,
    PeriodSummary,
    PeriodView,
    ProgressEntry,
    ProgressRow,
    UnexplainedTask,
    preview_status,
)
from desktop.services.progress.unsaved import ProgressDraft

__all__ = [
    "THRESHOLDS_KEY",
    "HistoryItem",
    "PeriodSummary",
    "PeriodView",
    "ProgressDraft",
    "ProgressEntry",
    "ProgressRow",
    "ProgressService",
    "UnexplainedTask",
    "default_as_of",
    "default_period",
    "ensure_periods",
    "load_thresholds",
    "period_as_of",
    "period_view",
    "preview_status",
    "task_statuses",
]


def period_view(p: ReportingPeriod) -> PeriodView:
    return PeriodView(p.id, p.key, p.label, p.start, p.end, p.due_on, p.frozen_at, p.frozen_by)


class ProgressService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # settings --------------------------------------------------------------------------

    def thresholds(self) -> Thresholds:
        with self._sessions() as session:
            return load_thresholds(session)

    def set_thresholds(self, thresholds: Thresholds) -> Thresholds:
        try:
            checked = thresholds.validated()
        except ValueError as err:
            raise ValidationError(f"{err}。") from None
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
            return [period_view(p) for p in ensure_periods(session, self._list(session, list_id))]

    def current_period(self, list_id: int, day: date | None = None) -> PeriodView:
        """The period holding ``day``, clamped to the list's year.

        Without ``day``: the period the screens preselect (``default_period``) — the latest
        one with progress reports, else the one holding the list's "截至" date; never one
        that has not begun.
        """
        if day is None:
            with self._sessions.begin() as session:
                return period_view(default_period(session, self._list(session, list_id)))
        periods = self.periods(list_id)
        for p in periods:
            if p.start <= day <= p.end:
                return p
        return periods[0] if day < periods[0].start else periods[-1]

    def period_as_of(self, list_id: int, period_id: int) -> date:
        """The day ``period_id``'s status is read at: its end, or the list's "截至" date
        while it is still running."""
        with self._sessions() as session:
            wl = self._list(session, list_id)
            return period_as_of(session, wl, self._period(session, list_id, period_id))

    # progress --------------------------------------------------------------------------

    def rows(self, list_id: int, period_id: int) -> list[ProgressRow]:
        with self._sessions() as session:
            wl = self._list(session, list_id)
            period = self._period(session, list_id, period_id)
            as_of = period_as_of(session, wl, period)
            report_cols = (
                ProgressReport.task_id,
                ProgressReport.text,
                ProgressReport.percent,
                ProgressReport.problems,
                ProgressReport.next_steps,
                ProgressReport.lag_reason,
                ProgressReport.completed_on,
                ProgressReport.evidence,
            )
            conn = session.connection()
            reports = {
                r.task_id: r
                for r in conn.execute(
                    select(*report_cols)
                    .join(Task, Task.id == ProgressReport.task_id)
                    .where(Task.work_list_id == list_id, ProgressReport.period_id == period.id)
                )
            }
            # the latest report before this one: shown as 上期进展, and what the status
            # falls back on when this period's entry is left empty
            earlier: dict[int, tuple[date, str, str, int | None, date | None]] = {}
            for task_id, end, label, text, percent, completed in conn.execute(
                select(
                    ProgressReport.task_id,
                    ReportingPeriod.end,
                    ReportingPeriod.label,
                    ProgressReport.text,
                    ProgressReport.percent,
                    ProgressReport.completed_on,
                )
                .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
                .join(Task, Task.id == ProgressReport.task_id)
                .where(
                    Task.work_list_id == list_id,
                    ReportingPeriod.id != period.id,
                    ReportingPeriod.start <= as_of,
                    ReportingPeriod.end <= period.end,
                )
            ):
                if task_id not in earlier or end > earlier[task_id][0]:
                    earlier[task_id] = (end, label, text, percent, completed)
            plans = plans_of(session, list_id)
            statuses = task_statuses(session, list_id, as_of, plans)
            from desktop.services.worklist.rows import task_rows

            out = []
            for t in task_rows(session, list_id):
                r = reports.get(t.id)
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
                _, prev_label, prev_text, prev_percent, prev_completed = earlier.get(
                    t.id, (None, "", "", None, None)
                )
                out.append(
                    ProgressRow(
                        task_id=t.id,
                        number=t.number,
                        content=t.content,
                        lead_units=t.lead_text,
                        deadline=t.deadline,
                        entry=entry,
                        previous_text=prev_text,
                        previous_percent=prev_percent,
                        status=statuses[t.id],
                        closed_on=t.closed_on,
                        window=(
                            t.start_on or date(wl.year, 1, 1),
                            t.deadline or year_end(wl),
                        ),
                        plan=tuple(plans.get(t.id, ())),
                        earlier_percent=prev_percent,
                        earlier_completed_on=prev_completed,
                        stored=r is not None,
                        previous_label=prev_label,
                    )
                )
            return out

    def save(self, list_id: int, period_id: int, entries: list[ProgressEntry]) -> int:
        """Store the entries of one period in one transaction; returns how many changed.

        An entry left entirely empty removes the period's report of that task, so that a
        report typed by mistake can be taken back and the task counts as 未填报 again.
        """
        for e in entries:
            if e.percent is not None and not 0 <= e.percent <= 100:
                raise ValidationError("完成百分比应在 0 到 100 之间。")
        with self._sessions.begin() as session:
            wl = self._list(session, list_id)
            if not wl.own:
                raise ValidationError("下级上报的清单只能查看，不能填报。")
            period = self._period(session, list_id, period_id)
            if period.frozen_at:
                raise ValidationError(
                    f"{period.label}已冻结，不能再修改进展。",
                    hint="如确需更正，请先“解冻本期”并说明理由。",
                )
            operator = get_office(session).operator
            numbers: dict[int, str] = {
                tid: number
                for tid, number in session.execute(
                    select(Task.id, Task.number).where(Task.work_list_id == list_id)
                )
            }
            existing = {
                r.task_id: r
                for r in session.execute(
                    select(ProgressReport).where(ProgressReport.period_id == period.id)
                ).scalars()
            }
            changed = 0
            for e in entries:
                if e.task_id not in numbers:
                    raise ValidationError("要填报的任务不在这份清单中。")
                row = existing.get(e.task_id)
                values = e.values()
                before = None if row is None else {k: getattr(row, k) for k in values}
                if e.is_empty():
                    if row is None:
                        continue
                    session.delete(row)
                    after = None
                else:
                    if before == values:
                        continue
                    if row is None:
                        row = ProgressReport(task_id=e.task_id, period_id=period.id)
                        session.add(row)
                    for k, v in values.items():
                        setattr(row, k, v)
                    row.updated_at, row.updated_by = now_text(), operator
                    after = values
                changed += 1
                audit.record(
                    session,
                    operator=operator,
                    action="progress",
                    entity="progress",
                    entity_id=e.task_id,
                    summary=f"{period.label}进展：任务 {numbers[e.task_id]}"
                    + ("（清空）" if after is None else ""),
                    before=before,
                    after=after,
                )
            if changed:
                wl.updated_at = now_text()
            return changed

    def summary(self, list_id: int, period_id: int) -> PeriodSummary:
        """How far the period's reporting has got, and what still blocks freezing."""
        with self._sessions() as session:
            wl = self._list(session, list_id)
            period = self._period(session, list_id, period_id)
            statuses = freezing.period_statuses(session, wl, period)
            expected, reported, lagging = freezing.period_counts(session, wl, period, statuses)
            return PeriodSummary(
                period_view(period),
                expected,
                reported,
                lagging,
                tuple(freezing.unexplained_lagging(session, wl, period, statuses)),
                period_as_of(session, wl, period),
            )

    def freeze_period(self, list_id: int, period_id: int) -> PeriodView:
        """Freeze a period: its progress can no longer change and its ledger is kept as it
        stands now. Refused (``UnexplainedLaggingError``) while a task lagging at the
        period's end lacks a lag reason or next steps."""
        with self._sessions.begin() as session:
            wl = self._list(session, list_id)
            if not wl.own:
                raise ValidationError("下级上报的清单只能查看，不能冻结。")
            period = self._period(session, list_id, period_id)
            freezing.freeze(session, wl, period, get_office(session).operator)
            return period_view(period)

    def unfreeze_period(self, list_id: int, period_id: int, reason: str) -> PeriodView:
        """Open a frozen period again for a correction; the reason goes into the audit log."""
        with self._sessions.begin() as session:
            wl = self._list(session, list_id)
            if not wl.own:
                raise ValidationError("下级上报的清单只能查看，不能解冻。")
            period = self._period(session, list_id, period_id)
            freezing.unfreeze(session, wl, period, reason, get_office(session).operator)
            return period_view(period)

    # the safety copy of unsaved typing (see progress_draft) -----------------------------

    def keep_draft(self, list_id: int, period_id: int, entries: list[ProgressEntry]) -> None:
        with self._sessions.begin() as session:
            progress_draft.keep(session, list_id, period_id, entries)

    def draft(self, list_id: int, period_id: int) -> ProgressDraft | None:
        with self._sessions() as session:
            return progress_draft.load(session, list_id, period_id)

    def drop_draft(self) -> None:
        with self._sessions.begin() as session:
            progress_draft.drop(session)

    def history(self, task_id: int) -> list[HistoryItem]:
        """The task's reports, oldest first, including those of the earlier years' tasks it
        was carried over from (结转), so the story of a task survives the year end."""
        with self._sessions() as session:
            task = session.get(Task, task_id)
            if task is None:
                raise NotFoundError("找不到这项任务，它可能已被删除。")
            chain = [task.id]
            for earlier_id in carried_chain(session, task):
                chain.insert(0, earlier_id)
            out: list[HistoryItem] = []
            for tid in chain:
                rows = session.execute(
                    select(ProgressReport, ReportingPeriod)
                    .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
                    .where(ProgressReport.task_id == tid)
                    .order_by(ReportingPeriod.end)
                ).all()
                out.extend(
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
                        carried=tid != task.id,
                    )
                    for r, p in rows
                )
            return out

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
