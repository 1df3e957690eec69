"""The year's rhythm: reporting periods, progress entry, computed status.

Status is never typed: it is computed from the task's window, its milestones and the latest
reported percent against the 序时进度 at a date (``desktop.core.status``). A frozen period keeps
a snapshot of its ledger, so the "截至某月底" ledger reprints exactly as it was; freezing and
its rules live in ``desktop.services.progress.freezing``, the safety copy of unsaved typing in
``unsaved``, close-out and carry-over in ``yearend``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.dates import chinese_date
from desktop.core.figures import ReportFact, TaskFacts, latest_known
from desktop.core.schema import clean, report_consistency, report_problems
from desktop.core.status import StatusResult, Thresholds
from desktop.core.vocabulary import LABELS
from desktop.db.models import (
    MeasureExclusion,
    ProgressReport,
    ReportingPeriod,
    Setting,
    Task,
    TaskMeasure,
    WorkList,
)
from desktop.errors import NotFoundError, ValidationError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text
from desktop.services.office.service import get_office
from desktop.services.progress import freezing
from desktop.services.progress.figures import THRESHOLDS_KEY, ListFigures, list_figures
from desktop.services.progress.status import (
    carried_chain,
    default_as_of,
    default_period,
    ensure_periods,
    load_thresholds,
    period_as_of,
    period_state_of,
    plans_of,
    refuse_future,
)
from desktop.services.progress.types import (
    HistoryItem,
    PeriodSummary,
    PeriodView,
    ProgressEntry,
    ProgressRow,
    UnexplainedTask,
    period_view,
    preview_figures,
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
    "finished_before",
    "load_thresholds",
    "period_as_of",
    "period_view",
    "preview_figures",
    "preview_status",
]


def cleaned(e: ProgressEntry) -> ProgressEntry:
    """The entry as it is stored: control characters out, line ends unified, ends trimmed."""
    return replace(
        e,
        text=clean(e.text, "progress"),
        problems=clean(e.problems, "problems"),
        next_steps=clean(e.next_steps, "next_steps"),
        lag_reason=clean(e.lag_reason, "lag_reason"),
        evidence=clean(e.evidence, "evidence"),
    )


def finished_before(session: Session, list_id: int, period: ReportingPeriod) -> dict[int, date]:
    """Tasks finished by the reports of earlier periods, with the day (sticky completion:
    a lower percent in a later period needs the report to say it reopens the task)."""
    facts: dict[int, list[ReportFact]] = defaultdict(list)
    for task_id, start, end, percent, completed, reopened in session.execute(
        select(
            ProgressReport.task_id,
            ReportingPeriod.start,
            ReportingPeriod.end,
            ProgressReport.percent,
            ProgressReport.completed_on,
            ProgressReport.reopened,
        )
        .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
        .join(Task, Task.id == ProgressReport.task_id)
        .where(Task.work_list_id == list_id, ReportingPeriod.end < period.start)
    ):
        facts[task_id].append(ReportFact(start, end, percent, completed, reopened))
    before = period.start - timedelta(days=1)
    out = {}
    for tid, reports in facts.items():
        known = latest_known(reports, before)
        if known.finished:
            out[tid] = known.completed_on or before
    return out


def _not_applicable_tasks(session: Session, list_id: int) -> set[int]:
    """Tasks every measure of which is marked 不适用 in the list."""
    flags: dict[int, list[bool]] = defaultdict(list)
    for task_id, excluded in session.execute(
        select(TaskMeasure.task_id, MeasureExclusion.id.is_not(None))
        .join(Task, Task.id == TaskMeasure.task_id)
        .outerjoin(
            MeasureExclusion,
            (MeasureExclusion.work_list_id == Task.work_list_id)
            & (MeasureExclusion.measure_id == TaskMeasure.measure_id),
        )
        .where(Task.work_list_id == list_id)
    ):
        flags[task_id].append(bool(excluded))
    return {tid for tid, f in flags.items() if f and all(f)}


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
        """The list's periods, each with where it stands by the office's today."""
        with self._sessions.begin() as session:
            return [
                period_view(p, period_state_of(session, p))
                for p in ensure_periods(session, self._list(session, list_id))
            ]

    def current_period(self, list_id: int, day: date | None = None) -> PeriodView:
        """The period holding ``day``, clamped to the list's year.

        Without ``day``: the period 进展填报 preselects (``default_period``) — the latest
        one not frozen with progress reports, else the one holding the list's "截至" date;
        never one that has not begun.
        """
        if day is None:
            with self._sessions.begin() as session:
                wl = self._list(session, list_id)
                return period_view(default_period(session, wl, for_entry=True))
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
            figures = list_figures(session, list_id, as_of)
            report_cols = (
                ProgressReport.task_id,
                ProgressReport.text,
                ProgressReport.percent,
                ProgressReport.problems,
                ProgressReport.next_steps,
                ProgressReport.lag_reason,
                ProgressReport.completed_on,
                ProgressReport.evidence,
                ProgressReport.reopened,
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
            # the task's reports of the other periods: what the figures rest on besides this
            # period's entry; the latest before this one is shown as 上期进展
            history: dict[int, list[ReportFact]] = defaultdict(list)
            earlier: dict[int, tuple[date, str, str, int | None]] = {}
            for task_id, start, end, label, text, percent, completed, reopened in conn.execute(
                select(
                    ProgressReport.task_id,
                    ReportingPeriod.start,
                    ReportingPeriod.end,
                    ReportingPeriod.label,
                    ProgressReport.text,
                    ProgressReport.percent,
                    ProgressReport.completed_on,
                    ProgressReport.reopened,
                )
                .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
                .join(Task, Task.id == ProgressReport.task_id)
                .where(Task.work_list_id == list_id, ReportingPeriod.id != period.id)
            ):
                history[task_id].append(ReportFact(start, end, percent, completed, reopened))
                shown = start <= as_of and end <= period.end
                if shown and (task_id not in earlier or end > earlier[task_id][0]):
                    earlier[task_id] = (end, label, text, percent)
            plans = plans_of(session, list_id)
            excluded = _not_applicable_tasks(session, list_id)
            current = figures.period
            span = (period.start, period.end)
            before = period.start - timedelta(days=1)
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
                    reopened=bool(r.reopened) if r else False,
                )
                _, prev_label, prev_text, prev_percent = earlier.get(t.id, (None, "", "", None))
                mine = tuple(history.get(t.id, ()))
                known = latest_known([h for h in mine if h.end < period.start], before)
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
                        figures=figures.tasks[t.id],
                        closed_on=t.closed_on,
                        facts=TaskFacts(
                            t.start_on,
                            t.deadline,
                            t.closed_on,
                            t.id in excluded,
                            tuple(plans.get(t.id, ())),
                        ),
                        history=mine,
                        span=span,
                        current=None if current is None else (current.start, current.end),
                        year=wl.year,
                        stored=r is not None,
                        previous_label=prev_label,
                        finished_before=(known.completed_on or before) if known.finished else None,
                    )
                )
            return out

    def save(self, list_id: int, period_id: int, entries: list[ProgressEntry]) -> int:
        """Store the entries of one period in one transaction; returns how many changed.

        An entry left entirely empty removes the period's report of that task, so that a
        report typed by mistake can be taken back and the task counts as 未填报 again.
        """
        entries = [cleaned(e) for e in entries]
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
            refuse_future(session, period, "填报进展")
            operator = get_office(session).operator
            numbers: dict[int, str] = {
                tid: number
                for tid, number in session.execute(
                    select(Task.id, Task.number).where(Task.work_list_id == list_id)
                )
            }
            for e in entries:
                problems = report_problems(e, wl.year)
                contradiction = report_consistency(e)
                if contradiction is not None:
                    problems.append(contradiction)
                if problems and not e.is_empty():
                    number = numbers.get(e.task_id, "")
                    raise ValidationError(f"任务 {number or '（未编号）'}：{problems[0]}。")
            finished = finished_before(session, list_id, period)
            existing = {  # only the reports being saved: a period of a large list holds
                r.task_id: r  # tens of thousands, and loading them all took a second
                for r in session.execute(
                    select(ProgressReport).where(
                        ProgressReport.period_id == period.id,
                        ProgressReport.task_id.in_({e.task_id for e in entries}),
                    )
                ).scalars()
            }
            changed = 0
            logged: list[audit.Change] = []
            for e in entries:
                if e.task_id not in numbers:
                    raise ValidationError("要填报的任务不在这份清单中。")
                done_on = finished.get(e.task_id)
                lower = e.percent is not None and e.percent < 100
                if done_on is not None and lower and not e.reopened:
                    raise ValidationError(
                        f"任务 {numbers[e.task_id] or '（未编号）'} 已于"
                        f"{chinese_date(done_on)}完成，"
                        f"本期填的{LABELS['percent']}是 {e.percent}%。",
                        hint="如任务确实需要返工、重新推进，请勾选“重新打开”；"
                        "否则请把完成百分比留空或填 100%。",
                    )
                if done_on is None and e.reopened:
                    e = replace(e, reopened=False)  # nothing finished to reopen
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
                logged.append(
                    audit.Change(
                        action="progress",
                        entity="progress",
                        entity_id=e.task_id,
                        summary=f"{period.label}进展：任务 {numbers[e.task_id]}"
                        + ("（清空）" if after is None else ""),
                        before=before,
                        after=after,
                    )
                )
            # one audit entry per task, written together: a department's workbook brings
            # a thousand reports, and one entry at a time flushed and queried a thousand times
            audit.record_many(session, operator, logged)
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

    def figures(self, list_id: int, as_of: date | None = None) -> ListFigures:
        """Every task's figures at ``as_of`` (the list's "截至" date if None)."""
        with self._sessions() as session:
            self._list(session, list_id)
            return list_figures(session, list_id, as_of)

    def statuses(self, list_id: int, as_of: date | None = None) -> dict[int, StatusResult]:
        """Every task's status part of ``figures``."""
        return {tid: f.result for tid, f in self.figures(list_id, as_of).tasks.items()}

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
