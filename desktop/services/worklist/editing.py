"""Editing a work list's tasks: the one-click draft, add and change, delete and undo, split,
merge, move, renumber, and marking a measure 不适用.

Every method is one user action and one transaction, recorded in the audit log. A submitted
version is frozen: changing it raises ``ListFrozenError`` and the screen offers to start the
next version. Any change to a checked list returns it to 草稿.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.draft import DraftOptions, draft_tasks, renumber
from desktop.core.schema import clean, text_problem
from desktop.core.worklist import TaskRecord
from desktop.db.models import Measure, MeasureExclusion, Task, TaskMeasure
from desktop.errors import ValidationError
from desktop.services.clock import now_text
from desktop.services.notices.measure_refs import measure_refs
from desktop.services.worklist.access import editable_list, list_task, touch
from desktop.services.worklist.bulk import (
    changed_positions,
    insert_tasks,
    set_numbers,
    set_positions,
)
from desktop.services.worklist.positions import (
    first_measure,
    list_order,
    make_room,
    neighbours,
    numbered_order,
    tied,
)
from desktop.services.worklist.rows import task_record
from desktop.services.worklist.task_store import (
    audit_view,
    cleaned_record,
    fill_task,
    new_task,
    refuse_problems,
    validate_task,
)

NO_MEASURE = 10**6  # sorts tasks without a measure after every measure, and new after old


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
            existing = session.execute(
                select(Task.id, Task.position, first_measure())
                .where(Task.work_list_id == list_id)
                .order_by(Task.position, Task.id)
            ).all()
            drafted: list[tuple[int, TaskRecord]] = [
                (order[measure.id], record) for measure, records in proposals for record in records
            ]
            created = len(drafted)
            end = max((pos for _, pos, _ in existing), default=-1) + 1
            for i, (_, record) in enumerate(drafted):
                record.position = end + i
            new_ids = insert_tasks(session, list_id, [r for _, r in drafted], now_text())
            # keep the list in notice order: existing tasks and new ones interleaved by measure
            keyed = [
                (order.get(mid, NO_MEASURE) if mid else NO_MEASURE, pos, tid)
                for tid, pos, mid in existing
            ]
            keyed += [
                (mpos, NO_MEASURE + i, tid)
                for i, ((mpos, _), tid) in enumerate(zip(drafted, new_ids, strict=True))
            ]
            current = {tid: pos for tid, pos, _ in existing}
            current.update({tid: r.position for (_, r), tid in zip(drafted, new_ids, strict=True)})
            set_positions(session, changed_positions(current, [tid for *_, tid in sorted(keyed)]))
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
                    make_room(session, list_id, position - 1, 1)
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
            records = list(deleted.records)
            places = [r.position for r in records]
            taken = session.execute(
                select(Task.id).where(Task.work_list_id == wl.id, Task.position.in_(places))
            ).first()
            if taken is not None:  # the places were filled meanwhile: make room, one by one
                for record in records:
                    make_room(session, wl.id, record.position - 1, 1)
            ids = insert_tasks(session, wl.id, records, now_text())
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
            make_room(session, wl.id, task.position, len(pieces) - 1)
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
            session.flush()
            # one DELETE: the database's cascades remove the merged tasks' units, links,
            # milestones and progress (the session would delete them row by row)
            gone = [t.id for t in tasks[1:]]
            for t in tasks[1:]:
                session.expunge(t)
            session.execute(
                delete(Task).where(Task.id.in_(gone)).execution_options(synchronize_session=False)
            )
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
        """Move a task up (negative) or down (positive) in the list.

        Only the tasks between the old and the new place change position: the moved task
        takes the place of the last one it passes, and those it passes shift by one place.
        """
        with self._sessions.begin() as session:
            wl = editable_list(session, list_id)
            task = list_task(session, list_id, task_id)
            passed = neighbours(session, list_id, task, delta)
            if not passed:
                return
            places = sorted([task.position, *(pos for _, pos in passed)])
            if tied(session, list_id, places, [task_id, *(tid for tid, _ in passed)]):
                # two tasks share a place: number the whole list anew
                ordered = [tid for tid, _ in list_order(session, list_id)]
                ordered.remove(task_id)
                far = ordered.index(passed[-1][0])
                ordered.insert(far + 1 if delta > 0 else far, task_id)
                moves = changed_positions(dict(list_order(session, list_id)), ordered)
            else:
                ids = [tid for tid, _ in passed]
                new_order = [*ids, task_id] if delta > 0 else [task_id, *reversed(ids)]
                moves = dict(zip(new_order, places, strict=True))
            set_positions(session, moves)
            touch(session, wl, "move_task", "调整任务顺序", None, None, task_id)

    def renumber(self, list_id: int) -> int:
        """Number the tasks "n" / "n-k" by the measure each serves first, in list order.

        Two plain reads (``numbered_order``) and one ``executemany`` of the numbers that
        really change: a bounded number of statements, and no ORM row per task."""
        with self._sessions.begin() as session:
            wl = editable_list(session, list_id)
            groups: list[list[int]] = []
            stored: dict[int, str] = {}
            last: object = object()
            for tid, number, mid in numbered_order(session.connection(), list_id):
                stored[tid] = number
                key = mid if mid is not None else ("none", tid)
                if key != last:
                    groups.append([])
                    last = key
                groups[-1].append(tid)
            numbers = renumber(groups)
            flat = [tid for g in groups for tid in g]
            set_numbers(
                session,
                {
                    tid: number
                    for tid, number in zip(flat, numbers, strict=True)
                    if stored[tid] != number
                },
            )
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
