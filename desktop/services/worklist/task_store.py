"""A task's fields between the ``TaskRecord`` the screens edit and the ``Task`` row.

One place checks a record before it is written (numbers, dates, milestones), fills a row
with every field of it (units, measure links and milestones replaced whole), creates a new
row, and gives the audit log its view of a task.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace

from sqlalchemy.orm import object_session

from desktop.core.schema import clean, task_problems
from desktop.core.worklist import TaskRecord
from desktop.db.models import Milestone, Task, TaskMeasure, TaskUnit, WorkList
from desktop.errors import ValidationError
from desktop.services.clock import now_text


def validate_task(record: TaskRecord) -> None:
    if record.target_value is not None:
        try:
            from decimal import Decimal, InvalidOperation

            Decimal(record.target_value)
        except (InvalidOperation, ValueError):
            raise ValidationError(f"目标数值“{record.target_value}”不是数字。") from None
    if record.start_on and record.deadline and record.start_on > record.deadline:
        raise ValidationError("开始日期晚于完成时限，请检查。")
    for m in record.milestones:
        if m.percent is not None and not 0 <= m.percent <= 100:
            raise ValidationError("节点的计划进度应在 0 到 100 之间。")
    dates = [m.due_on for m in record.milestones]
    if len(set(dates)) != len(dates):
        raise ValidationError("同一日期只能有一个节点。")


def audit_view(record: TaskRecord) -> dict[str, object]:
    data = asdict(record)
    data.pop("position", None)
    return data


def new_task(wl: WorkList, record: TaskRecord) -> Task:
    now = now_text()
    task = Task(
        work_list=wl, uid=record.uid or str(uuid.uuid4()), origin=record.origin, created_at=now
    )
    fill_task(task, record)
    return task


def fill_task(task: Task, record: TaskRecord) -> None:
    task.number = record.number.strip()
    task.content = record.content
    task.target_text = record.target_text
    task.target_value = record.target_value
    task.target_unit = record.target_unit
    task.leader, task.person, task.phone = record.leader, record.person, record.phone
    task.start_on, task.deadline, task.remarks = record.start_on, record.deadline, record.remarks
    task.closed_on, task.closed_by = record.closed_on, record.closed_by
    task.close_evidence, task.carried_from_uid = record.close_evidence, record.carried_from_uid
    task.updated_at = now_text()
    session = object_session(task)
    if session is not None and task.id is not None:
        # delete the old children first: the unit of work would insert the new ones before
        # deleting the orphans and trip the unique constraints (e.g. one milestone per date)
        task.units.clear()
        task.measure_links.clear()
        task.milestones.clear()
        session.flush()
    leads = [u.strip() for u in record.lead_units if u.strip()]
    cos = [u.strip() for u in record.co_units if u.strip() and u.strip() not in leads]
    task.units = [TaskUnit(role="lead", position=i, name=n) for i, n in enumerate(leads)] + [
        TaskUnit(role="co", position=len(leads) + i, name=n) for i, n in enumerate(cos)
    ]
    seen: list[int] = []
    for mid in record.measure_ids:
        if mid not in seen:
            seen.append(mid)
    task.measure_links = [TaskMeasure(measure_id=mid, position=i) for i, mid in enumerate(seen)]
    task.milestones = [
        Milestone(due_on=m.due_on, label=m.label, description=m.description, percent=m.percent)
        for m in sorted(record.milestones, key=lambda m: m.due_on)
    ]


_TASK_TEXTS = (
    "number",
    "content",
    "target_text",
    "target_unit",
    "leader",
    "person",
    "phone",
    "remarks",
    "closed_by",
    "close_evidence",
)


def cleaned_record(record: TaskRecord) -> TaskRecord:
    """The task as it is stored: every text without control characters, line ends unified,
    one-line fields on one line, ends trimmed (``desktop.core.schema.clean``)."""
    out = record.copy()
    for key in _TASK_TEXTS:
        setattr(out, key, clean(getattr(record, key), key))
    out.lead_units = [u for u in (clean(n, "lead_units") for n in record.lead_units) if u]
    out.co_units = [u for u in (clean(n, "co_units") for n in record.co_units) if u]
    out.milestones = [
        replace(
            m,
            label=clean(m.label, "milestone_label"),
            description=clean(m.description, "milestone_description"),
        )
        for m in record.milestones
    ]
    return out


def refuse_problems(record: TaskRecord, year: int, when: str = "") -> None:
    """The first thing the field schema (``desktop.core.schema``) refuses in ``record``, as
    the user's error, in the words the importer would use."""
    problems = task_problems(record, year)
    if problems:
        where = f"任务 {record.number}：" if record.number else ""
        raise ValidationError(f"{when}{where}{problems[0]}。")
