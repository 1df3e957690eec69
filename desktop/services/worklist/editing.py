"""Editing a work list's tasks: the one-click draft, add and change, delete and undo, split,
merge, move, renumber, and marking a measure 不适用.

Every method is one user action and one transaction, recorded in the audit log. A submitted
version is frozen: changing it raises ``ListFrozenError`` and the screen offers to start the
next version. Any change to a checked list returns it to 草稿.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.draft import DraftOptions, draft_tasks, renumber
from desktop.core.schema import clean, text_problem
from desktop.core.worklist import TaskRecord
from desktop.db.models import Measure, MeasureExclusion, Task, TaskMeasure
from desktop.errors import ValidationError
from desktop.services.clock import now_text
from desktop.services.notices.measure_refs import measure_refs
from desktop.services.worklist.access import editable_list, list_task, touch
from desktop.services.worklist.rows import task_record, task_rows
from desktop.services.worklist.task_store import (
    audit_view,
    cleaned_record,
    fill_task,
    new_task,
    refuse_problems,
    validate_task,
)


@dataclass(frozen=True)
class DraftResult:
    measures: int
    tasks: int


@dataclass(frozen=True)
class DeletedTasks:
    """What ``delete_tasks`` removed, enough to put it back (撤销删除)."""

    list_id: int
    records: tuple[TaskRecord, ...]


class TaskEditing:
    """The changes the 年度清单 screen makes to one list's tasks."""

    def __init__(
        self, sessions: sessionmaker[Session], unit_mapper: Callable[[], Callable[[str], str]]
    ) -> None:
        self._sessions = sessions
        self._unit_mapper = unit_mapper

    # draft -----------------------------------------------------------------------------

    def generate_draft(self, list_id: int, *, per_sentence: bool = False) -> DraftResult:
        map_unit = self._unit_mapper()
        with self._sessions.begin() as session:
            wl = editable_list(session, list_id)
            measures = measure_refs(session, wl.notice_id)
            covered = set(
                session.execute(
                    select(TaskMeasure.measure_id)
                    .join(Task, Task.id == TaskMeasure.task_id)
                    .where(Task.work_list_id == list_id)
                ).scalars()
            )
            excluded = set(
                session.execute(
                    select(MeasureExclusion.measure_id).where(
                        MeasureExclusion.work_list_id == list_id
                    )
                ).scalars()
            )
            proposals = draft_tasks(
                measures,
                covered=covered,
                excluded=excluded,
                map_unit=map_unit,
                options=DraftOptions(wl.year, per_sentence=per_sentence),
            )
            order = {m.id: m.position for m in measures}
            existing = [
                (t.id, t.position, t.measure_links[0].measure_id if t.measure_links else None)
                for t in wl.tasks
            ]
            created = 0
            new_tasks: list[tuple[int, Task]] = []
            for measure, records in proposals:
                for record in records:
                    task = new_task(wl, record)
                    session.add(task)
                    new_tasks.append((order[measure.id], task))
                    created += 1
            session.flush()
            # keep the list in notice order: existing tasks and new ones interleaved by measure
            keyed = [
                (order.get(mid, 10**6) if mid else 10**6, pos, tid) for tid, pos, mid in existing
            ]
            keyed += [(mpos, 10**6 + i, t.id) for i, (mpos, t) in enumerate(new_tasks)]
            for position, (_, _, tid) in enumerate(sorted(keyed)):
                session.execute(update(Task).where(Task.id == tid).values(position=position))
            touch(
                session,
                wl,
                "draft",
                f"生成初稿：{len(proposals)} 个条目，{created} 项任务",
                None,
                {"measures": len(proposals), "tasks": created},
            )
            return DraftResult(len(proposals), created)

    # tasks -----------------------------------------------------------------------------

    def save_task(
        self, list_id: int, record: TaskRecord, *, after: int | None = None
    ) -> TaskRecord:
        """Insert (``record.id`` None) or update one task with every field of the record.

        A new task goes to the end of the list, or right below task ``after`` when given
        (新增 beside the row the user is on keeps the list grouped by measure).
        """
        record = cleaned_record(record)
        validate_task(record)
        with self._sessions.begin() as session:
            wl = editable_list(session, list_id)
            refuse_problems(record, wl.year)
            valid = set(
                session.execute(
                    select(Measure.id).where(Measure.notice_id == wl.notice_id)
                ).scalars()
            )
            bad = [m for m in record.measure_ids if m not in valid]
            if bad:
                raise ValidationError("任务关联的条目不属于这份清单的上级文件。")
            if record.id is None:
                if after is not None:
                    position = list_task(session, list_id, after).position + 1
                    session.execute(
                        update(Task)
                        .where(Task.work_list_id == list_id, Task.position >= position)
                        .values(position=Task.position + 1)
                    )
                else:
                    end = session.execute(
                        select(func.max(Task.position)).where(Task.work_list_id == list_id)
                    ).scalar_one()
                    position = (end + 1) if end is not None else 0
                task = new_task(wl, record)
                task.position = position
                session.add(task)
                session.flush()
                touch(
                    session,
                    wl,
                    "create_task",
                    f"新增任务 {task.number}",
                    None,
                    audit_view(record),
                    task.id,
                )
            else:
                task = list_task(session, list_id, record.id)
                before = audit_view(task_record(session, task))
                fill_task(task, record)
                session.flush()
                touch(
                    session,
                    wl,
                    "update_task",
                    f"修改任务 {task.number}",
                    before,
                    audit_view(record),
                    task.id,
                )
            session.flush()
            session.refresh(task)
            return task_record(session, task)

    def delete_tasks(self, list_id: int, task_ids: Sequence[int]) -> DeletedTasks:
        with self._sessions.begin() as session:
            wl = editable_list(session, list_id)
            records = []
            for tid in task_ids:
                task = list_task(session, list_id, tid)
                records.append(task_record(session, task))
                session.delete(task)
            session.flush()
            touch(
                session,
                wl,
                "delete_task",
                f"删除任务 {'、'.join(r.number for r in records)}",
                [audit_view(r) for r in records],
                None,
            )
        return DeletedTasks(list_id, tuple(records))

    def restore_tasks(self, deleted: DeletedTasks) -> list[int]:
        """Undo ``delete_tasks``: the tasks come back with their ids' uid, links and order."""
        with self._sessions.begin() as session:
            wl = editable_list(session, deleted.list_id)
            ids = []
            for record in deleted.records:
                session.execute(
                    update(Task)
                    .where(Task.work_list_id == wl.id, Task.position >= record.position)
                    .values(position=Task.position + 1)
                )
                task = new_task(wl, record)
                task.uid = record.uid
                task.position = record.position
                session.add(task)
                session.flush()
                ids.append(task.id)
            touch(
                session,
                wl,
                "restore_task",
                f"撤销删除任务 {'、'.join(r.number for r in deleted.records)}",
                None,
                [audit_view(r) for r in deleted.records],
            )
            return ids

    def split_task(self, list_id: int, task_id: int, parts: Sequence[str]) -> list[int]:
        """Split a task's content into several tasks that share its other fields."""
        pieces = [clean(p, "content") for p in parts if p.strip()]
        if len(pieces) < 2:
            raise ValidationError("拆分至少需要两段内容。")
        for piece in pieces:
            problem = text_problem("content", piece)
            if problem is not None:
                raise ValidationError(f"{problem}。")
        with self._sessions.begin() as session:
            wl = editable_list(session, list_id)
            task = list_task(session, list_id, task_id)
            base = task_record(session, task)
            session.execute(
                update(Task)
                .where(Task.work_list_id == wl.id, Task.position > task.position)
                .values(position=Task.position + len(pieces) - 1)
            )
            task.content = pieces[0]
            root = base.number or "?"
            task.number = f"{root}-1"
            ids = [task.id]
            for k, piece in enumerate(pieces[1:], start=2):
                rec = base.copy()
                rec.id, rec.uid, rec.content, rec.number = None, "", piece, f"{root}-{k}"
                new = new_task(wl, rec)
                new.position = task.position + k - 1
                session.add(new)
                session.flush()
                ids.append(new.id)
            touch(
                session,
                wl,
                "split_task",
                f"拆分任务 {root} 为 {len(pieces)} 项",
                audit_view(base),
                None,
                task.id,
            )
            return ids

    def merge_tasks(self, list_id: int, task_ids: Sequence[int]) -> int:
        """Merge several tasks into the first: contents joined, measures and units united."""
        if len(task_ids) < 2:
            raise ValidationError("合并至少需要选择两项任务。")
        with self._sessions.begin() as session:
            wl = editable_list(session, list_id)
            tasks = sorted(
                (list_task(session, list_id, t) for t in task_ids), key=lambda t: t.position
            )
            records = [task_record(session, t) for t in tasks]
            merged = records[0].copy()
            for other in records[1:]:
                merged.content = f"{merged.content}\n{other.content}".strip()
                if other.target_text and other.target_text not in merged.target_text:
                    merged.target_text = "；".join(
                        x for x in (merged.target_text, other.target_text) if x
                    )
                    merged.target_value, merged.target_unit = None, ""
                for field_name in ("measure_ids", "lead_units", "co_units"):
                    values = getattr(merged, field_name)
                    values.extend(v for v in getattr(other, field_name) if v not in values)
                if other.deadline and (merged.deadline is None or other.deadline > merged.deadline):
                    merged.deadline = other.deadline
                merged.remarks = "；".join(x for x in (merged.remarks, other.remarks) if x)
            merged.co_units = [u for u in merged.co_units if u not in merged.lead_units]
            refuse_problems(merged, wl.year, "合并后")
            keep = tasks[0]
            fill_task(keep, merged)
            for t in tasks[1:]:
                session.delete(t)
            session.flush()
            touch(
                session,
                wl,
                "merge_task",
                f"合并任务 {'、'.join(r.number for r in records)}",
                [audit_view(r) for r in records],
                audit_view(merged),
                keep.id,
            )
            return keep.id

    def move_task(self, list_id: int, task_id: int, delta: int) -> None:
        """Move a task up (negative) or down (positive) in the list."""
        with self._sessions.begin() as session:
            wl = editable_list(session, list_id)
            ordered = list(
                session.execute(
                    select(Task.id)
                    .where(Task.work_list_id == list_id)
                    .order_by(Task.position, Task.id)
                ).scalars()
            )
            i = ordered.index(task_id)
            j = max(0, min(len(ordered) - 1, i + delta))
            if i == j:
                return
            ordered.insert(j, ordered.pop(i))
            _write_positions(session, ordered)
            touch(session, wl, "move_task", "调整任务顺序", None, None, task_id)

    def renumber(self, list_id: int) -> int:
        """Number the tasks "n" / "n-k" by the measure each serves first, in list order."""
        with self._sessions.begin() as session:
            wl = editable_list(session, list_id)
            rows = task_rows(session, list_id)
            groups: list[list[int]] = []
            last: object = object()
            for r in rows:
                key = r.measure_ids[0] if r.measure_ids else ("none", r.id)
                if key != last:
                    groups.append([])
                    last = key
                groups[-1].append(r.id)
            numbers = renumber(groups)
            flat = [tid for g in groups for tid in g]
            for tid, number in zip(flat, numbers, strict=True):
                session.execute(update(Task).where(Task.id == tid).values(number=number))
            touch(session, wl, "renumber", f"重新编号 {len(flat)} 项任务", None, None)
            return len(flat)

    # 不适用 -----------------------------------------------------------------------------

    def set_not_applicable(self, list_id: int, measure_id: int, reason: str) -> None:
        reason = clean(reason, "exclusion_reason")
        problem = text_problem("exclusion_reason", reason)
        if problem is not None:
            raise ValidationError(f"{problem}。")
        if not reason:
            raise ValidationError("标为不适用必须填写理由。")
        with self._sessions.begin() as session:
            wl = editable_list(session, list_id)
            if (
                session.execute(
                    select(Measure.notice_id).where(Measure.id == measure_id)
                ).scalar_one_or_none()
                != wl.notice_id
            ):
                raise ValidationError("这个条目不属于清单的上级文件。")
            row = session.execute(
                select(MeasureExclusion).where(
                    MeasureExclusion.work_list_id == list_id,
                    MeasureExclusion.measure_id == measure_id,
                )
            ).scalar_one_or_none()
            before = row.reason if row else None
            if row is None:
                row = MeasureExclusion(
                    work_list_id=list_id,
                    measure_id=measure_id,
                    reason=reason,
                    created_at=now_text(),
                )
                session.add(row)
            row.reason = reason
            touch(
                session,
                wl,
                "not_applicable",
                "标为不适用",
                before,
                reason,
                measure_id,
                entity="measure_exclusion",
            )

    def clear_not_applicable(self, list_id: int, measure_id: int) -> None:
        with self._sessions.begin() as session:
            wl = editable_list(session, list_id)
            session.execute(
                delete(MeasureExclusion).where(
                    MeasureExclusion.work_list_id == list_id,
                    MeasureExclusion.measure_id == measure_id,
                )
            )
            touch(
                session,
                wl,
                "clear_not_applicable",
                "取消不适用",
                None,
                None,
                measure_id,
                entity="measure_exclusion",
            )


def _write_positions(session: Session, ordered: Sequence[int]) -> None:
    for position, tid in enumerate(ordered):
        session.execute(update(Task).where(Task.id == tid).values(position=position))
