"""Freezing a reporting period (截至某月底), and opening it again for a correction.

A frozen period's progress can no longer change, and the period keeps the progress ledger as
it stood at freezing (a JSON snapshot of the ledger document), so the "截至某月底" ledger
reprints exactly, whatever later periods do to the tasks. Before freezing, every task that
is lagging at the period's end must say why (滞后原因) and what comes next (下步打算): a
leaders' meeting reads the frozen ledger, and an unexplained lag is the first question.

The functions work inside the caller's transaction; ``PeriodFreezing`` is the service the
progress screen and the commands call, one transaction per freeze or unfreeze.
"""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.status import Status, StatusResult
from desktop.db.models import ProgressReport, ReportingPeriod, Task, WorkList
from desktop.errors import NotFoundError, ValidationError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text
from desktop.services.office.service import get_office
from desktop.services.progress.figures import list_figures
from desktop.services.progress.status import period_as_of, period_state_of, refuse_future
from desktop.services.progress.types import PeriodView, UnexplainedTask, period_view
from desktop.services.worklist.access import get_list

# how many unexplained tasks the refusal names before it says "等共 N 项"
_LISTED = 15


class UnexplainedLaggingError(ValidationError):
    """Freezing refused: lagging tasks without a lag reason or next steps (``tasks``)."""

    def __init__(self, period_label: str, tasks: list[UnexplainedTask]) -> None:
        lines = [f"· {t.number or '（未编号）'} {_short(t.content)}：缺{t.missing}" for t in tasks]
        if len(lines) > _LISTED:
            lines = [*lines[:_LISTED], f"……等共 {len(tasks)} 项"]
        super().__init__(
            f"{period_label}有 {len(tasks)} 项滞后任务尚未说明滞后原因或下步打算，暂不能冻结：\n"
            + "\n".join(lines),
            hint="\n请在进展表格上方的筛选下拉框中选择“只看未说明滞后原因”，"
            "逐项补充滞后原因和下步打算，保存后再冻结。",
        )
        self.tasks = tasks


def _short(text: str, width: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _expected_ids(
    session: Session, wl: WorkList, period: ReportingPeriod, reported: set[int]
) -> set[int]:
    """Tasks that report in ``period``: all but those closed out by its end — a closed-out
    task can no longer be reported for — unless they did report in it."""
    open_ids = set(
        session.execute(
            select(Task.id).where(
                Task.work_list_id == wl.id,
                (Task.closed_on.is_(None)) | (Task.closed_on > period.end),
            )
        ).scalars()
    )
    return open_ids | reported


def period_statuses(
    session: Session, wl: WorkList, period: ReportingPeriod
) -> dict[int, StatusResult]:
    """Every task's status at the period's end, or at the office's today while the period is
    still running (what freezing, its summary and the period's ledger judge by); tasks
    marked 不适用 have none."""
    figures = list_figures(session, wl.id, period_as_of(session, wl, period))
    return {tid: f.result for tid, f in figures.tasks.items() if f.status is not None}


def report_counts(session: Session, wl: WorkList, period: ReportingPeriod) -> tuple[int, int]:
    """(tasks expected to report in ``period``, tasks that have reported).

    A task owes the period's report unless, by the day the period is read at, it is
    finished (completed or closed out) or 不适用, or its window begins after the period — the
    rule of 本期未填报 (``desktop.core.figures``); a task that did report counts either way.
    """
    reported = set(
        session.execute(
            select(ProgressReport.task_id).where(ProgressReport.period_id == period.id)
        ).scalars()
    )
    figures = list_figures(session, wl.id, period_as_of(session, wl, period)).tasks
    starts = dict(
        session.execute(select(Task.id, Task.start_on).where(Task.work_list_id == wl.id)).all()
    )
    first = date(wl.year, 1, 1)
    owing = {
        tid
        for tid, f in figures.items()
        if f.status is not None
        and f.status is not Status.DONE
        and (starts.get(tid) or first) <= period.end
    }
    expected = owing | (reported & set(figures))
    return len(expected), len(expected & reported)


def period_counts(
    session: Session,
    wl: WorkList,
    period: ReportingPeriod,
    statuses: dict[int, StatusResult] | None = None,
) -> tuple[int, int, int]:
    """(tasks expected to report, tasks reported, tasks lagging at the period's end)."""
    expected, reported = report_counts(session, wl, period)
    if statuses is None:
        statuses = period_statuses(session, wl, period)
    lagging = sum(1 for s in statuses.values() if s.status is Status.LAGGING)
    return expected, reported, lagging


def unexplained_lagging(
    session: Session,
    wl: WorkList,
    period: ReportingPeriod,
    statuses: dict[int, StatusResult] | None = None,
) -> list[UnexplainedTask]:
    """Tasks lagging at the period's end whose report lacks a reason or next steps."""
    if statuses is None:
        statuses = period_statuses(session, wl, period)
    lagging = {tid for tid, s in statuses.items() if s.status is Status.LAGGING}
    if not lagging:
        return []
    reports = {
        tid: (reason, steps)
        for tid, reason, steps in session.execute(
            select(
                ProgressReport.task_id, ProgressReport.lag_reason, ProgressReport.next_steps
            ).where(ProgressReport.period_id == period.id)
        )
    }
    out = []
    for tid, number, content in session.execute(
        select(Task.id, Task.number, Task.content)
        .where(Task.work_list_id == wl.id)
        .order_by(Task.position, Task.id)
    ):
        if tid not in lagging:
            continue
        if tid not in reports:
            out.append(UnexplainedTask(tid, number, content, "本期进展、滞后原因和下步打算"))
            continue
        reason, steps = reports[tid]
        missing = [
            name for name, value in (("滞后原因", reason), ("下步打算", steps)) if not value.strip()
        ]
        if missing:
            out.append(UnexplainedTask(tid, number, content, "和".join(missing)))
    return out


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""


def freeze(session: Session, wl: WorkList, period: ReportingPeriod, operator: str) -> None:
    if period.frozen_at:
        raise ValidationError(
            f"{period.label}已于{period.frozen_at[:10]}冻结"
            + (f"（{period.frozen_by}）" if period.frozen_by else "")
            + "。"
        )
    statuses = period_statuses(session, wl, period)
    unexplained = unexplained_lagging(session, wl, period, statuses)
    if unexplained:
        raise UnexplainedLaggingError(period.label, unexplained)
    # imported here: the ledger service reads status through the progress service's module
    from desktop.services.ledger.service import build_document, document_to_json, office_signoff

    document = build_document(session, wl, "progress", period)
    document.signoff = office_signoff(session)  # reprints sign as frozen, not as of today
    snapshot = document_to_json(document)
    expected, reported, lagging = period_counts(session, wl, period, statuses)
    period.snapshot = snapshot
    period.frozen_at = now_text()
    period.frozen_by = operator
    session.flush()
    audit.record(
        session,
        operator=operator,
        action="freeze",
        entity="period",
        entity_id=period.id,
        summary=f"冻结{wl.year}年清单{period.label}进展"
        f"（已填报 {reported}/{expected}，滞后 {lagging} 项）",
        after={
            "work_list_id": wl.id,
            "period": period.key,
            "frozen_at": period.frozen_at,
            "frozen_by": operator,
            "tasks": expected,
            "reported": reported,
            "lagging": lagging,
            "snapshot_sha256": _sha(snapshot),
        },
    )


def unfreeze(
    session: Session, wl: WorkList, period: ReportingPeriod, reason: str, operator: str
) -> None:
    if not period.frozen_at:
        raise ValidationError(f"{period.label}没有冻结，可以直接修改进展。")
    why = reason.strip()
    if not why:
        raise ValidationError("解冻须写明理由，例如“更正3-2项任务的完成百分比”。")
    before = {
        "work_list_id": wl.id,
        "period": period.key,
        "frozen_at": period.frozen_at,
        "frozen_by": period.frozen_by,
        "snapshot_sha256": _sha(period.snapshot),
    }
    period.frozen_at = ""
    period.frozen_by = ""
    period.snapshot = ""
    session.flush()
    audit.record(
        session,
        operator=operator,
        action="unfreeze",
        entity="period",
        entity_id=period.id,
        summary=f"解冻{wl.year}年清单{period.label}：{why}",
        before=before,
        after={"reason": why},
    )


class PeriodFreezing:
    """冻结本期 and 解冻本期: one transaction each, recorded in the audit log."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def freeze_period(self, list_id: int, period_id: int) -> PeriodView:
        """Freeze a period: its progress can no longer change and its ledger is kept as it
        stands now. Refused (``UnexplainedLaggingError``) while a task lagging at the
        period's end lacks a lag reason or next steps."""
        with self._sessions.begin() as session:
            wl = get_list(session, list_id)
            if not wl.own:
                raise ValidationError("下级上报的清单只能查看，不能冻结。")
            period = _period(session, list_id, period_id)
            refuse_future(session, period, "冻结")
            freeze(session, wl, period, get_office(session).operator)
            return period_view(period, period_state_of(session, period))

    def unfreeze_period(self, list_id: int, period_id: int, reason: str) -> PeriodView:
        """Open a frozen period again for a correction; the reason goes into the audit log."""
        with self._sessions.begin() as session:
            wl = get_list(session, list_id)
            if not wl.own:
                raise ValidationError("下级上报的清单只能查看，不能解冻。")
            period = _period(session, list_id, period_id)
            unfreeze(session, wl, period, reason, get_office(session).operator)
            return period_view(period, period_state_of(session, period))


def _period(session: Session, list_id: int, period_id: int) -> ReportingPeriod:
    period = session.get(ReportingPeriod, period_id)
    if period is None or period.work_list_id != list_id:
        raise NotFoundError("找不到这个填报周期。")
    return period
