"""Year end: close out finished tasks (销号) and carry unfinished ones into next year (结转).

Close-out records who closed a finished task, on which day and on what evidence (佐证材料);
a task can only be closed once its progress says it is done (100%, or a completion date).
Like progress, close-out is a record of the year's work, not a change of the list's content,
so it is allowed on a list version already submitted upward.

Carry-over copies the unfinished tasks into the next year's list with a link back; its
rules are in ``desktop.services.progress.carryover``. Each method is one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.schema import clean, completion_dates, date_problem, text_problem
from desktop.core.vocabulary import LABELS
from desktop.db.models import (
    Task,
    WorkList,
)
from desktop.errors import NotFoundError, ValidationError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text, today
from desktop.services.office.service import get_office
from desktop.services.progress import carryover
from desktop.services.progress.carryover import (
    CarryItem,
    CarryPreview,
    CarryResult,
    finished,
    latest_progress,
)
from desktop.services.progress.status import default_as_of

__all__ = ["CarryItem", "CarryPreview", "CarryResult", "ClosedTask", "YearEndService"]


@dataclass(frozen=True)
class ClosedTask:
    task_id: int
    number: str
    closed_on: date
    closed_by: str
    evidence: str


class YearEndService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # close-out -------------------------------------------------------------------------

    def close_out(self, task_id: int, on: date, evidence: str, by: str = "") -> ClosedTask:
        """Close out one finished task; see ``close_out_many``."""
        with self._sessions() as session:
            task = session.get(Task, task_id)
            if task is None:
                raise NotFoundError("找不到这项任务，它可能已被删除。")
            list_id = task.work_list_id
        return self.close_out_many(list_id, [task_id], on, evidence, by)[0]

    def close_out_many(
        self, list_id: int, task_ids: Sequence[int], on: date, evidence: str, by: str = ""
    ) -> list[ClosedTask]:
        """Close out (销号) finished tasks in one transaction: all of them or none.

        ``by`` defaults to the office's operator. Refused when a task is not finished
        (neither reported 100% nor given a completion date), is already closed, or when
        the evidence is missing.
        """
        if not task_ids:
            raise ValidationError("请先选择要销号的任务。")
        evidence, by = clean(evidence, "close_evidence"), clean(by, "closed_by")
        if not evidence:
            raise ValidationError(
                f"销号须填写“{LABELS['close_evidence']}”，例如验收文件、项目投运证明的名称和文号。"
            )
        problem = text_problem("close_evidence", evidence) or text_problem("closed_by", by)
        if problem is not None:
            raise ValidationError(f"{problem}。")
        with self._sessions.begin() as session:
            wl = self._own_list(session, list_id)
            problem = date_problem("closed_on", on, *completion_dates(wl.year))
            if problem is not None:
                raise ValidationError(f"{problem}。")
            if on.year < wl.year:
                raise ValidationError(f"销号日期不能早于 {wl.year} 年。")
            operator = get_office(session).operator
            closer = by.strip() or operator
            if not closer:
                raise ValidationError("请填写销号人。")
            tasks = list(
                session.execute(
                    select(Task)
                    .where(Task.id.in_(list(task_ids)), Task.work_list_id == list_id)
                    .order_by(Task.position, Task.id)
                ).scalars()
            )
            if len(tasks) != len(set(task_ids)):
                raise NotFoundError("要销号的任务不在这份清单中，可能已被删除。")
            progress = latest_progress(session, list_id)
            closed = [t for t in tasks if t.closed_on is not None]
            if closed:
                raise ValidationError(
                    "以下任务已经销号：" + "、".join(t.number or "（未编号）" for t in closed)
                )
            unfinished = [t for t in tasks if not finished(progress.get(t.id))]
            if unfinished:
                names = "、".join(t.number or "（未编号）" for t in unfinished[:20])
                more = f"等 {len(unfinished)} 项" if len(unfinished) > 20 else ""
                raise ValidationError(
                    f"任务 {names}{more} 尚未完成，不能销号。",
                    hint="销号前须在进展中填报完成百分比 100% 或完成日期。",
                )
            out = []
            for t in tasks:
                t.closed_on, t.closed_by, t.close_evidence = on, closer, evidence.strip()
                t.updated_at = now_text()
                out.append(ClosedTask(t.id, t.number, on, closer, t.close_evidence))
                audit.record(
                    session,
                    operator=operator,
                    action="close_out",
                    entity="task",
                    entity_id=t.id,
                    summary=f"{wl.year}年清单：任务 {t.number} 销号",
                    before={"closed_on": None},
                    after={"closed_on": on, "closed_by": closer, "evidence": t.close_evidence},
                )
            wl.updated_at = now_text()
            return out

    def reopen(self, task_id: int, reason: str) -> None:
        """Undo a close-out (撤销销号), e.g. when the evidence turns out insufficient."""
        if not reason.strip():
            raise ValidationError("撤销销号须写明理由。")
        with self._sessions.begin() as session:
            task = session.get(Task, task_id)
            if task is None:
                raise NotFoundError("找不到这项任务，它可能已被删除。")
            wl = self._own_list(session, task.work_list_id)
            if task.closed_on is None:
                raise ValidationError(f"任务 {task.number} 没有销号。")
            before = {
                "closed_on": task.closed_on,
                "closed_by": task.closed_by,
                "evidence": task.close_evidence,
            }
            task.closed_on, task.closed_by, task.close_evidence = None, "", ""
            task.updated_at = wl.updated_at = now_text()
            audit.record(
                session,
                operator=get_office(session).operator,
                action="reopen",
                entity="task",
                entity_id=task.id,
                summary=f"{wl.year}年清单：任务 {task.number} 撤销销号：{reason.strip()}",
                before=before,
                after={"closed_on": None, "reason": reason.strip()},
            )

    # carry-over ------------------------------------------------------------------------

    def carry_preview(self, list_id: int, to_year: int | None = None) -> CarryPreview:
        """What ``carry_over`` would do: the unfinished tasks and which are carried already."""
        with self._sessions() as session:
            return carryover.preview(session, self._own_list(session, list_id), to_year)

    def carry_over(
        self, list_id: int, to_year: int | None = None, task_ids: Sequence[int] | None = None
    ) -> CarryResult:
        """Copy the unfinished tasks of ``list_id`` (those of ``task_ids``, or all) into the
        office's list for ``to_year`` (the next year by default), creating that list if
        needed; one transaction."""
        with self._sessions.begin() as session:
            return carryover.carry(session, self._own_list(session, list_id), to_year, task_ids)

    def year_not_over(self, list_id: int) -> date | None:
        """While the list's year has not ended: its "截至" date, which a carry-over made now
        writes into the new tasks' notes (the screen warns first); None once it has."""
        with self._sessions() as session:
            wl = self._own_list(session, list_id)
            if today(session) > date(wl.year, 12, 31):
                return None
            return default_as_of(session, wl)

    # internals -------------------------------------------------------------------------

    def _own_list(self, session: Session, list_id: int) -> WorkList:
        wl = session.get(WorkList, list_id)
        if wl is None:
            raise NotFoundError("找不到这份清单，它可能已被删除。")
        if not wl.own:
            raise ValidationError("下级上报的清单只能查看，不能销号或结转。")
        return wl
