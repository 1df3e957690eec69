"""Carry-over (结转): unfinished tasks of a year's list into the office's list for a later year.

The unfinished tasks (neither closed out nor done) are copied — created in the next year's
list, which is made if needed — with a link back: the new task's ``carried_from_uid`` is the
old task's uid and the new list's ``carried_from_id`` the old list. The old list and its
progress stay as they are, so last year's ledgers still print, and a carried task's history
(``ProgressService.history``) reaches back into last year. Carrying twice adds only what is
not carried yet. These functions work inside the caller's transaction (``YearEndService``).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from desktop.core.dates import chinese_date
from desktop.core.figures import TaskFigures
from desktop.core.status import Status
from desktop.db.models import Task, TaskUnit, WorkList
from desktop.errors import ValidationError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text
from desktop.services.office.service import get_office
from desktop.services.progress.figures import list_figures
from desktop.services.progress.status import default_as_of
from desktop.services.worklist.rows import task_record
from desktop.services.worklist.task_store import new_task


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


def latest_progress(session: Session, list_id: int) -> dict[int, TaskFigures]:
    """Per task, its figures at the list's "截至" date, by the one rule
    (``desktop.core.figures``): the latest known percent, completion sticky."""
    return dict(list_figures(session, list_id).tasks)


def finished(figures: TaskFigures | None) -> bool:
    """Done (completed, 100%, or closed out); a task whose measures are all 不适用 counts as
    nothing left to do either."""
    if figures is None:
        return False
    return figures.not_applicable or figures.status is Status.DONE


def _day(d: date) -> str:
    return chinese_date(d)


def _shift_year(d: date | None, year: int) -> date | None:
    if d is None:
        return None
    return date(year, d.month, min(d.day, calendar.monthrange(year, d.month)[1]))


def preview(session: Session, wl: WorkList, to_year: int | None = None) -> CarryPreview:
    """What ``carry`` would do: the unfinished tasks and which are carried already."""
    list_id = wl.id
    year = to_year or wl.year + 1
    target = _target(session, wl, year)
    carried = _carried_uids(session, target)
    progress = latest_progress(session, list_id)
    items = []
    done_not_closed = 0
    # plain column queries: the preview of a 20,000-task list must not take seconds
    leads: dict[int, list[str]] = {}
    for task_id, name in session.execute(
        select(TaskUnit.task_id, TaskUnit.name)
        .join(Task, Task.id == TaskUnit.task_id)
        .where(Task.work_list_id == list_id, TaskUnit.role == "lead")
        .order_by(TaskUnit.task_id, TaskUnit.position)
    ):
        leads.setdefault(task_id, []).append(name)
    for tid, uid, number, content, closed_on in session.execute(
        select(Task.id, Task.uid, Task.number, Task.content, Task.closed_on)
        .where(Task.work_list_id == list_id)
        .order_by(Task.position, Task.id)
    ):
        if closed_on is not None:
            continue
        p = progress.get(tid)
        if finished(p):
            done_not_closed += 1
            continue
        items.append(
            CarryItem(
                tid,
                number,
                content,
                "、".join(leads.get(tid, ())),
                p.percent if p else None,
                uid in carried,
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


def carry(
    session: Session,
    wl: WorkList,
    to_year: int | None = None,
    task_ids: Sequence[int] | None = None,
) -> CarryResult:
    """Copy the unfinished tasks of ``wl`` into the office's list for ``to_year`` (the next
    year by default), creating that list if needed, inside the caller's transaction.

    ``task_ids`` chooses which unfinished tasks go (None: all of them). Each new task's note
    says how far it had got by the list's "截至" date, so carrying before the year is out
    does not claim a year-end figure.
    """
    list_id = wl.id
    year = to_year or wl.year + 1
    if year <= wl.year:
        raise ValidationError(f"只能结转到 {wl.year} 年以后的年度。")
    if year > wl.year + 5:
        raise ValidationError(f"{year} 年离 {wl.year} 年太远，请检查年度。")
    progress = latest_progress(session, list_id)
    unfinished = [
        t
        for t in _tasks(session, list_id)
        if t.closed_on is None and not finished(progress.get(t.id))
    ]
    if not unfinished:
        raise ValidationError(f"{wl.year}年清单没有需要结转的未完成任务。")
    if task_ids is not None:
        wanted = set(task_ids)
        if not wanted:
            raise ValidationError("请至少勾选一项要结转的任务。")
        chosen = [t for t in unfinished if t.id in wanted]
        if len(chosen) != len(wanted):
            raise ValidationError(
                "勾选的任务中有的不在这份清单中，或已完成、已销号，不能结转。",
                hint="请关闭对话框后重新打开“结转未完成任务”。",
            )
        unfinished = chosen
    office = get_office(session)
    target = _target(session, wl, year)
    carried = _carried_uids(session, target)
    todo = [t for t in unfinished if t.uid not in carried]
    if not todo:
        raise ValidationError(
            f"{wl.year}年清单的 {len(unfinished)} 项未完成任务已全部结转到 {year} 年清单，"
            "没有新的任务需要结转。"
        )
    as_of = default_as_of(session, wl)
    as_of_text = f"{wl.year}年底" if as_of >= date(wl.year, 12, 31) else _day(as_of)
    created = target is None
    if target is None:
        target = _new_list(session, wl, year)
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
        select(func.coalesce(func.max(Task.position), -1)).where(Task.work_list_id == target.id)
    ).scalar_one()
    now = now_text()
    links = []
    for t in todo:
        position += 1
        found = progress.get(t.id)
        percent = found.percent if found is not None else None
        note = f"由{wl.year}年结转" + (
            f"（截至{as_of_text}完成{percent}%）" if percent is not None else "（上年未报进度）"
        )
        # the task as it stands, through the one mapping of a task's fields
        # (``worklist.task_store``): everything carried, but its window moves into the new
        # year and the old plan's milestones stay behind (the office sets new ones, and the
        # list check reminds it)
        record = task_record(session, t)
        record.id, record.uid, record.origin = None, "", "carry"
        record.carried_from_uid = t.uid
        record.start_on, record.deadline = date(year, 1, 1), _shift_year(t.deadline, year)
        record.remarks = f"{note}；{t.remarks}" if t.remarks.strip() else note
        record.milestones = []
        record.closed_on, record.closed_by, record.close_evidence = None, "", ""
        new = new_task(target, record)
        new.position, new.created_at, new.updated_at = position, now, now
        session.add(new)
        session.flush()
        links.append(f"{t.number}（原任务标识 {t.uid}，新任务标识 {new.uid}）")
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
        # read in the audit log as "任务数：N" and "结转自任务：编号（原…，新…）": Chinese only
        after={
            "from_list_id": wl.id,
            "from_year": wl.year,
            "tasks": len(links),
            "carried_from_uid": links,
        },
    )
    return CarryResult(target.id, year, len(todo), len(unfinished) - len(todo), created)


def _tasks(session: Session, list_id: int) -> list[Task]:
    return list(
        session.execute(
            select(Task)
            .where(Task.work_list_id == list_id)
            .order_by(Task.position, Task.id)
            .options(selectinload(Task.units), selectinload(Task.measure_links))
        ).scalars()
    )


def _target(session: Session, wl: WorkList, year: int) -> WorkList | None:
    return session.execute(
        select(WorkList).where(
            WorkList.own,
            WorkList.is_current,
            WorkList.locality == wl.locality,
            WorkList.year == year,
            WorkList.notice_id == wl.notice_id,
        )
    ).scalar_one_or_none()


def _carried_uids(session: Session, target: WorkList | None) -> set[str]:
    if target is None:
        return set()
    return set(
        session.execute(
            select(Task.carried_from_uid).where(
                Task.work_list_id == target.id, Task.carried_from_uid != ""
            )
        ).scalars()
    )


def _new_list(session: Session, old: WorkList, year: int) -> WorkList:
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
