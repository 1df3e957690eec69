"""Year end: close out finished tasks (销号) and carry unfinished ones into next year (结转).

Close-out records who closed a finished task, on which day and on what evidence (佐证材料);
a task can only be closed once its progress says it is done (100%, or a completion date).
Like progress, close-out is a record of the year's work, not a change of the list's content,
so it is allowed on a list version already submitted upward.

Carry-over copies the unfinished tasks (neither closed nor done) into the office's list for
the next year — created if needed — with a link back: the new task's ``carried_from_uid`` is
the old task's uid and the new list's ``carried_from_id`` the old list. The old list and its
progress stay as they are, so last year's ledgers still print, and a carried task's history
(``ProgressService.history``) reaches back into last year. Carrying twice adds only what is
not carried yet.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from desktop.db.models import (
    ProgressReport,
    ReportingPeriod,
    Task,
    TaskMeasure,
    TaskUnit,
    WorkList,
)
from desktop.errors import NotFoundError, ValidationError
from desktop.services import audit
from desktop.services.clock import now_text
from desktop.services.office import get_office


@dataclass(frozen=True)
class ClosedTask:
    task_id: int
    number: str
    closed_on: date
    closed_by: str
    evidence: str


@dataclass(frozen=True)
class CarryItem:
    """An unfinished task of the old list, as the carry-over dialog lists it."""

    task_id: int
    number: str
    content: str
    lead_units: str
    percent: int | None  # the latest reported percent
    carried: bool  # already in the next year's list


@dataclass(frozen=True)
class CarryPreview:
    from_year: int
    to_year: int
    target_list_id: int | None  # the next year's list when it exists
    target_submitted: bool
    items: tuple[CarryItem, ...]
    done_not_closed: int  # finished tasks not closed out yet (worth closing first)

    @property
    def pending(self) -> int:
        return sum(1 for i in self.items if not i.carried)


@dataclass(frozen=True)
class CarryResult:
    list_id: int
    year: int
    added: int
    skipped: int  # already carried before
    created: bool  # the next year's list was created by this carry-over


def _latest_progress(
    session: Session, task_ids: Sequence[int] | None, list_id: int | None = None
) -> dict[int, tuple[int | None, date | None]]:
    """Per task: the latest reported percent, and a completion date if any report has one."""
    query = (
        select(
            ProgressReport.task_id,
            ReportingPeriod.end,
            ProgressReport.percent,
            ProgressReport.completed_on,
        )
        .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
        .join(Task, Task.id == ProgressReport.task_id)
    )
    if task_ids is not None:
        query = query.where(ProgressReport.task_id.in_(list(task_ids)))
    if list_id is not None:
        query = query.where(Task.work_list_id == list_id)
    latest: dict[int, tuple[date, int | None]] = {}
    completed: dict[int, date] = {}
    for task_id, end, percent, done_on in session.execute(query):
        if task_id not in latest or end > latest[task_id][0]:
            latest[task_id] = (end, percent)
        if done_on is not None and (task_id not in completed or done_on < completed[task_id]):
            completed[task_id] = done_on
    ids = set(latest) | set(completed)
    return {tid: (latest[tid][1] if tid in latest else None, completed.get(tid)) for tid in ids}


def _finished(progress: tuple[int | None, date | None] | None) -> bool:
    if progress is None:
        return False
    percent, completed = progress
    return percent == 100 or completed is not None


def _shift_year(d: date | None, year: int) -> date | None:
    if d is None:
        return None
    return date(year, d.month, min(d.day, calendar.monthrange(year, d.month)[1]))


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
        if not evidence.strip():
            raise ValidationError("销号须填写佐证材料，例如验收文件、项目投运证明的名称和文号。")
        with self._sessions.begin() as session:
            wl = self._own_list(session, list_id)
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
            progress = _latest_progress(session, [t.id for t in tasks])
            closed = [t for t in tasks if t.closed_on is not None]
            if closed:
                raise ValidationError(
                    "以下任务已经销号：" + "、".join(t.number or "（未编号）" for t in closed)
                )
            unfinished = [t for t in tasks if not _finished(progress.get(t.id))]
            if unfinished:
                names = "、".join(t.number or "（未编号）" for t in unfinished[:20])
                more = f"等 {len(unfinished)} 项" if len(unfinished) > 20 else ""
                raise ValidationError(
                    f"任务 {names}{more} 尚未完成，不能销号。",
                    hint="销号前须在进展中填报完成进度 100% 或完成日期。",
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
            wl = self._own_list(session, list_id)
            year = to_year or wl.year + 1
            target = self._target(session, wl, year)
            carried = self._carried_uids(session, target)
            progress = _latest_progress(session, None, list_id)
            items = []
            done_not_closed = 0
            for t in self._tasks(session, list_id):
                if t.closed_on is not None:
                    continue
                p = progress.get(t.id)
                if _finished(p):
                    done_not_closed += 1
                    continue
                leads = [u.name for u in t.units if u.role == "lead"]
                items.append(
                    CarryItem(
                        t.id,
                        t.number,
                        t.content,
                        "、".join(leads),
                        p[0] if p else None,
                        t.uid in carried,
                    )
                )
            return CarryPreview(
                wl.year,
                year,
                target.id if target else None,
                bool(target and target.state == "submitted"),
                tuple(items),
                done_not_closed,
            )

    def carry_over(self, list_id: int, to_year: int | None = None) -> CarryResult:
        """Copy the unfinished tasks of ``list_id`` into the office's list for ``to_year``
        (the next year by default), creating that list if needed; one transaction."""
        with self._sessions.begin() as session:
            wl = self._own_list(session, list_id)
            year = to_year or wl.year + 1
            if year <= wl.year:
                raise ValidationError(f"只能结转到 {wl.year} 年以后的年度。")
            if year > wl.year + 5:
                raise ValidationError(f"{year} 年离 {wl.year} 年太远，请检查年度。")
            progress = _latest_progress(session, None, list_id)
            unfinished = [
                t
                for t in self._tasks(session, list_id)
                if t.closed_on is None and not _finished(progress.get(t.id))
            ]
            if not unfinished:
                raise ValidationError(f"{wl.year}年清单没有需要结转的未完成任务。")
            office = get_office(session)
            target = self._target(session, wl, year)
            carried = self._carried_uids(session, target)
            todo = [t for t in unfinished if t.uid not in carried]
            if not todo:
                raise ValidationError(
                    f"{wl.year}年清单的 {len(unfinished)} 项未完成任务已全部结转到 {year} 年清单，"
                    "没有新的任务需要结转。"
                )
            created = target is None
            if target is None:
                target = self._new_list(session, wl, year)
                audit.record(
                    session,
                    operator=office.operator,
                    action="create",
                    entity="work_list",
                    entity_id=target.id,
                    summary=f"结转时新建 {year} 年清单",
                    after={"year": year, "carried_from_list_id": wl.id},
                )
            elif target.state == "submitted":
                raise ValidationError(
                    f"{year}年清单第{target.version}版已上报，已冻结，不能再加入任务。",
                    hint="请先在“年度清单”中开始新版本，再结转。",
                )
            if target.carried_from_id is None:
                target.carried_from_id = wl.id
            position = session.execute(
                select(func.coalesce(func.max(Task.position), -1)).where(
                    Task.work_list_id == target.id
                )
            ).scalar_one()
            now = now_text()
            links = []
            for t in todo:
                position += 1
                percent = progress.get(t.id, (None, None))[0]
                note = f"由{wl.year}年结转" + (
                    f"（{wl.year}年底完成{percent}%）"
                    if percent is not None
                    else "（上年未报进度）"
                )
                new = Task(
                    work_list_id=target.id,
                    uid=str(uuid.uuid4()),
                    number=t.number,
                    position=position,
                    content=t.content,
                    target_text=t.target_text,
                    target_value=t.target_value,
                    target_unit=t.target_unit,
                    leader=t.leader,
                    person=t.person,
                    phone=t.phone,
                    start_on=date(year, 1, 1),
                    deadline=_shift_year(t.deadline, year),
                    # the old plan's percentages do not fit the remaining work: the office
                    # sets new milestones, and the list check reminds it
                    remarks=f"{note}；{t.remarks}" if t.remarks.strip() else note,
                    origin="carry",
                    carried_from_uid=t.uid,
                    created_at=now,
                    updated_at=now,
                )
                new.units = [
                    TaskUnit(role=u.role, position=u.position, name=u.name) for u in t.units
                ]
                new.measure_links = [
                    TaskMeasure(measure_id=m.measure_id, position=m.position)
                    for m in t.measure_links
                ]
                session.add(new)
                session.flush()
                links.append({"from_uid": t.uid, "uid": new.uid, "number": t.number})
            target.updated_at = now
            if target.state == "checked":
                target.state = "draft"
            audit.record(
                session,
                operator=office.operator,
                action="carry_over",
                entity="work_list",
                entity_id=target.id,
                summary=f"由{wl.year}年清单结转 {len(todo)} 项未完成任务到 {year} 年清单",
                after={"from_list_id": wl.id, "from_year": wl.year, "tasks": links},
            )
            return CarryResult(target.id, year, len(todo), len(unfinished) - len(todo), created)

    # internals -------------------------------------------------------------------------

    def _own_list(self, session: Session, list_id: int) -> WorkList:
        wl = session.get(WorkList, list_id)
        if wl is None:
            raise NotFoundError("找不到这份清单，它可能已被删除。")
        if not wl.own:
            raise ValidationError("下级上报的清单只能查看，不能销号或结转。")
        return wl

    def _tasks(self, session: Session, list_id: int) -> list[Task]:
        return list(
            session.execute(
                select(Task)
                .where(Task.work_list_id == list_id)
                .order_by(Task.position, Task.id)
                .options(selectinload(Task.units), selectinload(Task.measure_links))
            ).scalars()
        )

    def _target(self, session: Session, wl: WorkList, year: int) -> WorkList | None:
        return session.execute(
            select(WorkList).where(
                WorkList.own,
                WorkList.is_current,
                WorkList.locality == wl.locality,
                WorkList.year == year,
                WorkList.notice_id == wl.notice_id,
            )
        ).scalar_one_or_none()

    def _carried_uids(self, session: Session, target: WorkList | None) -> set[str]:
        if target is None:
            return set()
        return set(
            session.execute(
                select(Task.carried_from_uid).where(
                    Task.work_list_id == target.id, Task.carried_from_uid != ""
                )
            ).scalars()
        )

    def _new_list(self, session: Session, old: WorkList, year: int) -> WorkList:
        now = now_text()
        version = session.execute(
            select(func.coalesce(func.max(WorkList.version), 0)).where(
                WorkList.own,
                WorkList.locality == old.locality,
                WorkList.year == year,
                WorkList.notice_id == old.notice_id,
            )
        ).scalar_one()
        new = WorkList(
            notice_id=old.notice_id,
            own=True,
            locality=old.locality,
            locality_code=old.locality_code,
            level=old.level,
            parent=old.parent,
            year=year,
            version=version + 1,
            is_current=True,
            state="draft",
            title=f"{old.locality}{year}年重点工作任务清单",
            cadence=old.cadence,
            due_day=old.due_day,
            carried_from_id=old.id,
            created_at=now,
            updated_at=now,
        )
        session.add(new)
        session.flush()
        return new
