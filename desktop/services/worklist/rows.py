"""Reading work lists and their tasks as plain rows, fast enough for tens of thousands of tasks.

The list screen shows every task of a list at once; building ORM objects for 20,000 tasks
would take seconds, so rows are read with a handful of column queries and assembled here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.worklist import LIST_STATES, MilestoneRecord, TaskRecord
from desktop.db.models import (
    Measure,
    Milestone,
    Notice,
    Task,
    TaskUnit,
    WorkList,
)
from desktop.services.reading import session_read
from desktop.services.worklist.task_rows import TaskRow, read_task_rows


@dataclass(frozen=True)
class WorkListSummary:
    id: int
    notice_id: int
    doc_number: str
    notice_title: str
    locality: str
    level: str
    parent: str
    year: int
    version: int
    state: str
    own: bool
    is_current: bool
    tasks: int
    cadence: str
    due_day: int
    explanation: str
    updated_at: str
    submitted_at: str
    carried_from_id: int | None
    code: str = ""  # the locality's 行政区划代码
    via: str = ""  # the lower office whose combined package brought an imported list

    @property
    def state_label(self) -> str:
        return LIST_STATES.get(self.state, self.state)

    @property
    def frozen(self) -> bool:
        return self.state == "submitted" or not self.own

    @property
    def display(self) -> str:
        return (
            f"{self.locality} {self.year}年 {self.doc_number} "
            f"第{self.version}版（{self.state_label}）"
        )


def summaries(session: Session, *, list_ids: list[int] | None = None) -> list[WorkListSummary]:
    counts = dict(
        session.execute(select(Task.work_list_id, func.count()).group_by(Task.work_list_id)).all()
    )
    query = (
        select(WorkList, Notice.doc_number, Notice.title)
        .join(Notice, Notice.id == WorkList.notice_id)
        .order_by(WorkList.own.desc(), WorkList.year.desc(), WorkList.locality, WorkList.version)
    )
    if list_ids is not None:
        query = query.where(WorkList.id.in_(list_ids))
    out = []
    for wl, doc, title in session.execute(query).all():
        out.append(
            WorkListSummary(
                id=wl.id,
                notice_id=wl.notice_id,
                doc_number=doc,
                notice_title=title,
                locality=wl.locality,
                level=wl.level,
                parent=wl.parent,
                year=wl.year,
                version=wl.version,
                state=wl.state,
                own=wl.own,
                is_current=wl.is_current,
                tasks=counts.get(wl.id, 0),
                cadence=wl.cadence,
                due_day=wl.due_day,
                explanation=wl.explanation,
                updated_at=wl.updated_at,
                submitted_at=wl.submitted_at,
                carried_from_id=wl.carried_from_id,
                code=wl.locality_code,
                via=wl.via,
            )
        )
    return out


def task_rows(
    session: Session, list_id: int, task_ids: Collection[int] | None = None
) -> list[TaskRow]:
    """The rows of a list in list order (only ``task_ids`` when given), read in
    ``session``'s transaction (``desktop.services.worklist.task_rows``)."""
    return read_task_rows(session_read(session), list_id, task_ids)


def task_rows_named(
    session: Session, list_id: int, uids: Collection[str], lead_units: Collection[str]
) -> list[TaskRow]:
    """The rows of the list's tasks with one of ``uids``, or led by one of ``lead_units``
    (in list order): what a returned department workbook is compared with — a thousand
    rows, not the whole list."""
    led = select(TaskUnit.task_id).where(TaskUnit.role == "lead", TaskUnit.name.in_(lead_units))
    ids = session.execute(
        select(Task.id).where(
            Task.work_list_id == list_id, Task.uid.in_(list(uids)) | Task.id.in_(led)
        )
    ).scalars()
    return task_rows(session, list_id, list(ids))


def task_records(session: Session, list_id: int) -> list[TaskRecord]:
    """Full records of every task of a list (for checks, reports and packages)."""
    ms: dict[int, list[MilestoneRecord]] = defaultdict(list)
    for m in session.execute(
        select(Milestone)
        .join(Task, Task.id == Milestone.task_id)
        .where(Task.work_list_id == list_id)
        .order_by(Milestone.task_id, Milestone.due_on)
    ).scalars():
        ms[m.task_id].append(MilestoneRecord(m.due_on, m.label, m.description, m.percent))
    out = []
    rows = task_rows(session, list_id)
    extra = {
        r.id: r
        for r in session.execute(
            select(
                Task.id,
                Task.target_value,
                Task.target_unit,
                Task.origin,
                Task.closed_by,
                Task.close_evidence,
                Task.carried_from_uid,
            ).where(Task.work_list_id == list_id)
        )
    }
    for r in rows:
        x = extra[r.id]
        out.append(
            TaskRecord(
                id=r.id,
                uid=r.uid,
                number=r.number,
                content=r.content,
                target_text=r.target_text,
                target_value=x.target_value,
                target_unit=x.target_unit,
                lead_units=list(r.lead_units),
                co_units=list(r.co_units),
                leader=r.leader,
                person=r.person,
                phone=r.phone,
                start_on=r.start_on,
                deadline=r.deadline,
                remarks=r.remarks,
                measure_ids=list(r.measure_ids),
                milestones=ms.get(r.id, []),
                origin=x.origin,
                closed_on=r.closed_on,
                closed_by=x.closed_by,
                close_evidence=x.close_evidence,
                carried_from_uid=x.carried_from_uid,
                position=r.position,
            )
        )
    return out


def task_record(session: Session, task: Task) -> TaskRecord:
    return TaskRecord(
        id=task.id,
        uid=task.uid,
        number=task.number,
        content=task.content,
        target_text=task.target_text,
        target_value=task.target_value,
        target_unit=task.target_unit,
        lead_units=[u.name for u in task.units if u.role == "lead"],
        co_units=[u.name for u in task.units if u.role == "co"],
        leader=task.leader,
        person=task.person,
        phone=task.phone,
        start_on=task.start_on,
        deadline=task.deadline,
        remarks=task.remarks,
        measure_ids=[link.measure_id for link in task.measure_links],
        milestones=[
            MilestoneRecord(m.due_on, m.label, m.description, m.percent) for m in task.milestones
        ],
        origin=task.origin,
        closed_on=task.closed_on,
        closed_by=task.closed_by,
        close_evidence=task.close_evidence,
        carried_from_uid=task.carried_from_uid,
        position=task.position,
    )


def measure_codes(session: Session, notice_id: int) -> dict[int, str]:
    return dict(
        session.execute(
            select(Measure.id, Measure.code).where(Measure.notice_id == notice_id)
        ).all()
    )
