"""Work lists: create, draft, edit tasks, mark 不适用, check, start new versions, delete.

Every method is one user action and one transaction, recorded in the audit log. A submitted
version is frozen: changing it raises ``ListFrozenError`` and the screen offers to start the
next version (``new_version``). Any change to a checked list returns it to 草稿.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session, object_session, selectinload, sessionmaker

from desktop.core.checks import CheckResult, check_work_list
from desktop.core.draft import DraftOptions, draft_tasks, renumber
from desktop.core.worklist import MeasureRef, TargetRef, TaskRecord
from desktop.db.models import (
    CheckNote,
    LocalUnit,
    Measure,
    MeasureExclusion,
    Milestone,
    Notice,
    ProgressReport,
    ReportingPeriod,
    Task,
    TaskMeasure,
    TaskUnit,
    WorkList,
)
from desktop.errors import NotFoundError, UserError, ValidationError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text, today
from desktop.services.office.service import get_office
from desktop.services.worklist.delete import ListDeletion, delete_planned, plan_deletion
from desktop.services.worklist.rows import (
    TaskRow,
    WorkListSummary,
    summaries,
    task_record,
    task_records,
    task_rows,
)

BackupBefore = Callable[[str], object]  # BackupService.backup_before: reason → BackupInfo


class ListFrozenError(UserError):
    def __init__(self, version: int) -> None:
        super().__init__(
            f"第{version}版清单已上报，已冻结，不能再修改。",
            hint="如需修改，请点击“开始新版本”，在新版本中编辑。",
        )


@dataclass(frozen=True)
class CoverageRow:
    measure_id: int
    code: str
    label: str
    section_id: int | None
    tasks: int
    excluded_reason: str | None

    @property
    def state(self) -> str:
        if self.excluded_reason is not None:
            return "excluded"
        return "covered" if self.tasks else "uncovered"


@dataclass(frozen=True)
class DraftResult:
    measures: int
    tasks: int


@dataclass(frozen=True)
class DeletedTasks:
    """What ``delete_tasks`` removed, enough to put it back (撤销删除)."""

    list_id: int
    records: tuple[TaskRecord, ...]


def measure_refs(session: Session, notice_id: int) -> list[MeasureRef]:
    refs = []
    for m in session.execute(
        select(Measure)
        .where(Measure.notice_id == notice_id)
        .order_by(Measure.position)
        .options(selectinload(Measure.units), selectinload(Measure.targets))
    ).scalars():
        sep = "" if m.number.startswith("（") else ("、" if m.is_heading else ". ")
        leads = tuple(u.name for u in m.units if u.is_lead)
        refs.append(
            MeasureRef(
                id=m.id,
                code=m.code,
                label=f"{m.number}{sep}{m.title}",
                text=m.text,
                title=m.title,
                lead_units=leads,
                co_units=tuple(u.name for u in m.units if not u.is_lead),
                joint=m.joint,
                targets=tuple(
                    TargetRef(t.subject, t.value, t.unit, t.qualifier, t.phrase) for t in m.targets
                ),
                position=m.position,
            )
        )
    return refs


class WorkListService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        unit_mapper: Callable[[], Callable[[str], str]],
        *,
        backup_before: BackupBefore | None = None,
    ) -> None:
        self._sessions = sessions
        self._unit_mapper = unit_mapper
        self._backup_before = backup_before

    # reading ---------------------------------------------------------------------------

    def lists(
        self, *, own: bool | None = None, current_only: bool = False
    ) -> list[WorkListSummary]:
        with self._sessions() as session:
            rows = summaries(session)
        return [
            s for s in rows if (own is None or s.own == own) and (not current_only or s.is_current)
        ]

    def get(self, list_id: int) -> WorkListSummary:
        with self._sessions() as session:
            found = summaries(session, list_ids=[list_id])
        if not found:
            raise NotFoundError("找不到这份清单，它可能已被删除。")
        return found[0]

    def find_own(self, year: int, doc_number: str | None = None) -> WorkListSummary:
        """The office's current list for ``year`` (and notice, when several exist)."""
        mine = [s for s in self.lists(own=True, current_only=True) if s.year == year]
        if doc_number:
            mine = [s for s in mine if s.doc_number == doc_number]
        if not mine:
            which = f"、文件 {doc_number}" if doc_number else ""
            raise NotFoundError(
                f"本级还没有 {year} 年{which}的工作清单。",
                hint="请先在“年度清单”中新建，或运行 demo 生成示例。",
            )
        if len(mine) > 1:
            docs = "、".join(s.doc_number for s in mine)
            raise UserError(f"{year} 年有多份清单（{docs}），请用 --notice 指明文号。")
        return mine[0]

    def rows(self, list_id: int) -> list[TaskRow]:
        with self._sessions() as session:
            return task_rows(session, list_id)

    def row(self, list_id: int, task_id: int) -> TaskRow:
        """One row of the list screen, to refresh it after an edit without a full reload."""
        with self._sessions() as session:
            found = task_rows(session, list_id, [task_id])
        if not found:
            raise NotFoundError("找不到这项任务，它可能已被删除。")
        return found[0]

    def records(self, list_id: int) -> list[TaskRecord]:
        with self._sessions() as session:
            return task_records(session, list_id)

    def task(self, task_id: int) -> TaskRecord:
        with self._sessions() as session:
            task = session.get(Task, task_id)
            if task is None:
                raise NotFoundError("找不到这项任务，它可能已被删除。")
            return task_record(session, task)

    def measures(self, list_id: int) -> list[MeasureRef]:
        with self._sessions() as session:
            return measure_refs(session, self._list(session, list_id).notice_id)

    def exclusions(self, list_id: int) -> dict[int, str]:
        with self._sessions() as session:
            return dict(
                session.execute(
                    select(MeasureExclusion.measure_id, MeasureExclusion.reason).where(
                        MeasureExclusion.work_list_id == list_id
                    )
                ).all()
            )

    def coverage(self, list_id: int) -> list[CoverageRow]:
        with self._sessions() as session:
            wl = self._list(session, list_id)
            counts = dict(
                session.execute(
                    select(TaskMeasure.measure_id, func.count())
                    .join(Task, Task.id == TaskMeasure.task_id)
                    .where(Task.work_list_id == list_id)
                    .group_by(TaskMeasure.measure_id)
                ).all()
            )
            excluded = dict(
                session.execute(
                    select(MeasureExclusion.measure_id, MeasureExclusion.reason).where(
                        MeasureExclusion.work_list_id == list_id
                    )
                ).all()
            )
            sections = dict(
                session.execute(
                    select(Measure.id, Measure.section_id).where(Measure.notice_id == wl.notice_id)
                ).all()
            )
            return [
                CoverageRow(
                    m.id,
                    m.code,
                    m.label,
                    sections.get(m.id),
                    counts.get(m.id, 0),
                    excluded.get(m.id),
                )
                for m in measure_refs(session, wl.notice_id)
            ]

    def search(self, list_id: int, query: str) -> set[int]:
        """Ids of the list's tasks matching ``query`` (Chinese substring).

        Three or more characters in the office's own lists use the FTS5 trigram index; one
        or two characters (which a trigram index cannot answer) and the read-only lists
        imported from the level below (not indexed) use ``LIKE``. Unit names are searched
        too.
        """
        q = query.strip()
        if not q:
            return set()
        with self._sessions() as session:
            like = f"%{_escape_like(q)}%"
            own = session.execute(
                select(WorkList.own).where(WorkList.id == list_id)
            ).scalar_one_or_none()
            if len(q) >= 3 and own:
                phrase = '"' + q.replace('"', '""') + '"'
                # The index is asked once, in a subquery: as a join, SQLite walked the
                # list's tasks and probed the index per task (0.2 s for 20,000 tasks).
                ids = set(
                    session.execute(
                        text(
                            "SELECT id FROM task WHERE work_list_id = :l AND id IN "
                            "(SELECT rowid FROM task_fts WHERE task_fts MATCH :q)"
                        ),
                        {"q": phrase, "l": list_id},
                    ).scalars()
                )
            else:
                ids = set(
                    session.execute(
                        select(Task.id)
                        .where(Task.work_list_id == list_id)
                        .where(
                            Task.content.like(like, escape="\\")
                            | Task.number.like(like, escape="\\")
                            | Task.target_text.like(like, escape="\\")
                            | Task.remarks.like(like, escape="\\")
                            | Task.leader.like(like, escape="\\")
                            | Task.person.like(like, escape="\\")
                        )
                    ).scalars()
                )
            ids |= set(
                session.execute(
                    select(TaskUnit.task_id)
                    .join(Task, Task.id == TaskUnit.task_id)
                    .where(Task.work_list_id == list_id, TaskUnit.name.like(like, escape="\\"))
                ).scalars()
            )
            return ids

    # lists -----------------------------------------------------------------------------

    def create(
        self, notice_id: int, year: int, *, cadence: str = "quarterly", due_day: int = 25
    ) -> WorkListSummary:
        if not 2000 <= year <= 2100:
            raise ValidationError(f"年度 {year} 不合理，请填写四位年份。")
        with self._sessions.begin() as session:
            office = get_office(session)
            if not office.locality:
                raise ValidationError("请先在“单位设置”中填写本级地区名称。")
            notice = session.get(Notice, notice_id)
            if notice is None:
                raise NotFoundError("找不到这份上级文件。")
            exists = session.execute(
                select(WorkList.id).where(
                    WorkList.own,
                    WorkList.locality == office.locality,
                    WorkList.year == year,
                    WorkList.notice_id == notice_id,
                )
            ).first()
            if exists:
                raise ValidationError(
                    f"{office.locality} {year} 年 {notice.doc_number} 的清单已经存在。"
                )
            now = now_text()
            wl = WorkList(
                notice_id=notice_id,
                own=True,
                locality=office.locality,
                locality_code=office.locality_code,
                level=office.level,
                parent=office.parent,
                year=year,
                version=1,
                is_current=True,
                state="draft",
                title=f"{office.locality}{year}年重点工作任务清单",
                cadence=cadence,
                due_day=due_day,
                created_at=now,
                updated_at=now,
            )
            session.add(wl)
            session.flush()
            audit.record(
                session,
                operator=office.operator,
                action="create",
                entity="work_list",
                entity_id=wl.id,
                summary=f"新建 {year} 年清单（{notice.doc_number}）",
                after={"year": year, "notice": notice.doc_number},
            )
            list_id = wl.id
        return self.get(list_id)

    def suggested_year(self, notice_id: int) -> int:
        """The year offered when a list is created for ``notice_id``: next year (lists are
        drawn up the year before they run), or the first later year still without this
        office's list for the notice. Both ways of creating a list use it."""
        with self._sessions() as session:
            taken = set(
                session.execute(
                    select(WorkList.year).where(WorkList.own, WorkList.notice_id == notice_id)
                ).scalars()
            )
        year = today().year + 1
        while year in taken:
            year += 1
        return year

    def deletion(self, list_id: int) -> ListDeletion:
        """What ``delete_list`` would remove, to tell the user before (nothing changes)."""
        with self._sessions() as session:
            return plan_deletion(session, list_id)

    def delete_list(self, list_id: int) -> ListDeletion:
        """删除清单: an own list with all its versions, or one imported version (see
        ``desktop.services.worklist.delete``); one transaction, after a backup."""
        backup = None
        if self._backup_before is not None:
            self.deletion(list_id)  # a list already gone is not worth a backup
            info = self._backup_before("删除清单")
            found = getattr(info, "path", None)
            backup = found if isinstance(found, Path) else None
        with self._sessions.begin() as session:
            done = delete_planned(session, list_id)
        return replace(done, backup=backup)

    def set_options(
        self,
        list_id: int,
        *,
        cadence: str | None = None,
        due_day: int | None = None,
        explanation: str | None = None,
    ) -> WorkListSummary:
        with self._sessions.begin() as session:
            wl = self._editable(session, list_id)
            before = {"cadence": wl.cadence, "due_day": wl.due_day, "explanation": wl.explanation}
            if cadence is not None:
                if cadence not in ("quarterly", "monthly"):
                    raise ValidationError("填报周期只能是按季度或按月。")
                wl.cadence = cadence
            if due_day is not None:
                if not 1 <= due_day <= 31:
                    raise ValidationError("填报截止日应在 1 到 31 之间。")
                wl.due_day = due_day
            if explanation is not None:
                wl.explanation = explanation
            self._touch(
                session,
                wl,
                "update",
                "修改清单设置",
                before,
                {"cadence": wl.cadence, "due_day": wl.due_day, "explanation": wl.explanation},
            )
        return self.get(list_id)

    def new_version(self, list_id: int) -> WorkListSummary:
        """Copy a submitted version into the next version (草稿), which becomes current."""
        with self._sessions.begin() as session:
            old = self._list(session, list_id)
            if not old.own:
                raise ValidationError("下级上报的清单只能查看，不能修改。")
            if old.state != "submitted":
                return self.get(list_id)
            newest = session.execute(
                select(func.max(WorkList.version)).where(
                    WorkList.own,
                    WorkList.locality == old.locality,
                    WorkList.year == old.year,
                    WorkList.notice_id == old.notice_id,
                )
            ).scalar_one()
            new = copy_list(session, old, version=newest + 1)
            audit.record(
                session,
                operator=get_office(session).operator,
                action="new_version",
                entity="work_list",
                entity_id=new.id,
                summary=f"由第{old.version}版开始第{new.version}版",
            )
            new_id = new.id
        return self.get(new_id)

    # draft -----------------------------------------------------------------------------

    def generate_draft(self, list_id: int, *, per_sentence: bool = False) -> DraftResult:
        map_unit = self._unit_mapper()
        with self._sessions.begin() as session:
            wl = self._editable(session, list_id)
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
                    task = _new_task(wl, record)
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
            self._touch(
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
        _validate(record)
        with self._sessions.begin() as session:
            wl = self._editable(session, list_id)
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
                    position = self._task(session, list_id, after).position + 1
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
                task = _new_task(wl, record)
                task.position = position
                session.add(task)
                session.flush()
                self._touch(
                    session,
                    wl,
                    "create_task",
                    f"新增任务 {task.number}",
                    None,
                    _audit_view(record),
                    task.id,
                )
            else:
                task = self._task(session, list_id, record.id)
                before = _audit_view(task_record(session, task))
                _fill_task(task, record)
                session.flush()
                self._touch(
                    session,
                    wl,
                    "update_task",
                    f"修改任务 {task.number}",
                    before,
                    _audit_view(record),
                    task.id,
                )
            session.flush()
            session.refresh(task)
            return task_record(session, task)

    def delete_tasks(self, list_id: int, task_ids: Sequence[int]) -> DeletedTasks:
        with self._sessions.begin() as session:
            wl = self._editable(session, list_id)
            records = []
            for tid in task_ids:
                task = self._task(session, list_id, tid)
                records.append(task_record(session, task))
                session.delete(task)
            session.flush()
            self._touch(
                session,
                wl,
                "delete_task",
                f"删除任务 {'、'.join(r.number for r in records)}",
                [_audit_view(r) for r in records],
                None,
            )
        return DeletedTasks(list_id, tuple(records))

    def restore_tasks(self, deleted: DeletedTasks) -> list[int]:
        """Undo ``delete_tasks``: the tasks come back with their ids' uid, links and order."""
        with self._sessions.begin() as session:
            wl = self._editable(session, deleted.list_id)
            ids = []
            for record in deleted.records:
                session.execute(
                    update(Task)
                    .where(Task.work_list_id == wl.id, Task.position >= record.position)
                    .values(position=Task.position + 1)
                )
                task = _new_task(wl, record)
                task.uid = record.uid
                task.position = record.position
                session.add(task)
                session.flush()
                ids.append(task.id)
            self._touch(
                session,
                wl,
                "restore_task",
                f"撤销删除任务 {'、'.join(r.number for r in deleted.records)}",
                None,
                [_audit_view(r) for r in deleted.records],
            )
            return ids

    def split_task(self, list_id: int, task_id: int, parts: Sequence[str]) -> list[int]:
        """Split a task's content into several tasks that share its other fields."""
        pieces = [p.strip() for p in parts if p.strip()]
        if len(pieces) < 2:
            raise ValidationError("拆分至少需要两段内容。")
        with self._sessions.begin() as session:
            wl = self._editable(session, list_id)
            task = self._task(session, list_id, task_id)
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
                new = _new_task(wl, rec)
                new.position = task.position + k - 1
                session.add(new)
                session.flush()
                ids.append(new.id)
            self._touch(
                session,
                wl,
                "split_task",
                f"拆分任务 {root} 为 {len(pieces)} 项",
                _audit_view(base),
                None,
                task.id,
            )
            return ids

    def merge_tasks(self, list_id: int, task_ids: Sequence[int]) -> int:
        """Merge several tasks into the first: contents joined, measures and units united."""
        if len(task_ids) < 2:
            raise ValidationError("合并至少需要选择两项任务。")
        with self._sessions.begin() as session:
            wl = self._editable(session, list_id)
            tasks = sorted(
                (self._task(session, list_id, t) for t in task_ids), key=lambda t: t.position
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
            keep = tasks[0]
            _fill_task(keep, merged)
            for t in tasks[1:]:
                session.delete(t)
            session.flush()
            self._touch(
                session,
                wl,
                "merge_task",
                f"合并任务 {'、'.join(r.number for r in records)}",
                [_audit_view(r) for r in records],
                _audit_view(merged),
                keep.id,
            )
            return keep.id

    def move_task(self, list_id: int, task_id: int, delta: int) -> None:
        """Move a task up (negative) or down (positive) in the list."""
        with self._sessions.begin() as session:
            wl = self._editable(session, list_id)
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
            self._touch(session, wl, "move_task", "调整任务顺序", None, None, task_id)

    def renumber(self, list_id: int) -> int:
        """Number the tasks "n" / "n-k" by the measure each serves first, in list order."""
        with self._sessions.begin() as session:
            wl = self._editable(session, list_id)
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
            self._touch(session, wl, "renumber", f"重新编号 {len(flat)} 项任务", None, None)
            return len(flat)

    # 不适用 -----------------------------------------------------------------------------

    def set_not_applicable(self, list_id: int, measure_id: int, reason: str) -> None:
        reason = reason.strip()
        if not reason:
            raise ValidationError("标为不适用必须填写理由。")
        with self._sessions.begin() as session:
            wl = self._editable(session, list_id)
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
            self._touch(
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
            wl = self._editable(session, list_id)
            session.execute(
                delete(MeasureExclusion).where(
                    MeasureExclusion.work_list_id == list_id,
                    MeasureExclusion.measure_id == measure_id,
                )
            )
            self._touch(
                session,
                wl,
                "clear_not_applicable",
                "取消不适用",
                None,
                None,
                measure_id,
                entity="measure_exclusion",
            )

    # check -----------------------------------------------------------------------------

    def check(self, list_id: int) -> CheckResult:
        """Run the check; a list that passes becomes 已校验 (unless already submitted)."""
        with self._sessions.begin() as session:
            wl = self._list(session, list_id)
            result = check_work_list(
                year=wl.year,
                measures=measure_refs(session, wl.notice_id),
                excluded=dict(
                    session.execute(
                        select(MeasureExclusion.measure_id, MeasureExclusion.reason).where(
                            MeasureExclusion.work_list_id == list_id
                        )
                    ).all()
                ),
                tasks=task_records(session, list_id),
                local_units=set(session.execute(select(LocalUnit.name)).scalars()),
                accepted=dict(
                    session.execute(
                        select(CheckNote.key, CheckNote.explanation).where(
                            CheckNote.work_list_id == list_id
                        )
                    ).all()
                ),
            )
            if wl.own and wl.state != "submitted":
                new_state = "checked" if result.passed else "draft"
                if new_state != wl.state:
                    wl.state = new_state
                    wl.checked_at = now_text() if result.passed else ""
                    audit.record(
                        session,
                        operator=get_office(session).operator,
                        action="check",
                        entity="work_list",
                        entity_id=wl.id,
                        summary=result.summary(),
                    )
            return result

    def accept_warning(self, list_id: int, key: str, message: str, explanation: str) -> None:
        self.accept_warnings(list_id, [(key, message)], explanation)

    def accept_warnings(
        self, list_id: int, warnings: Sequence[tuple[str, str]], explanation: str
    ) -> None:
        """Accept several warnings (key, message) with one written explanation, all at once."""
        if not explanation.strip():
            raise ValidationError("接受提醒必须写明说明。")
        if not warnings:
            return
        with self._sessions.begin() as session:
            wl = self._editable(session, list_id)
            notes = {
                n.key: n
                for n in session.execute(
                    select(CheckNote).where(
                        CheckNote.work_list_id == list_id,
                        CheckNote.key.in_([k for k, _ in warnings]),
                    )
                ).scalars()
            }
            office = get_office(session)
            for key, message in warnings:
                note = notes.get(key)
                if note is None:
                    note = notes[key] = CheckNote(work_list_id=list_id, key=key)
                    session.add(note)
                note.message, note.explanation = message, explanation.strip()
                note.accepted_at, note.accepted_by = now_text(), office.operator
            first = warnings[0][1]
            more = f"等 {len(warnings)} 条" if len(warnings) > 1 else ""
            self._touch(
                session,
                wl,
                "accept_warning",
                f"说明提醒：{first}{more}",
                None,
                explanation,
                keep_state=True,
            )

    def revoke_warning(self, list_id: int, key: str) -> None:
        self.revoke_warnings(list_id, [key])

    def revoke_warnings(self, list_id: int, keys: Sequence[str]) -> None:
        with self._sessions.begin() as session:
            wl = self._editable(session, list_id)
            session.execute(
                delete(CheckNote).where(
                    CheckNote.work_list_id == list_id, CheckNote.key.in_(list(keys))
                )
            )
            self._touch(session, wl, "revoke_warning", "撤回提醒说明", list(keys), None)

    def accepted_warnings(self, list_id: int) -> dict[str, str]:
        with self._sessions() as session:
            return dict(
                session.execute(
                    select(CheckNote.key, CheckNote.explanation).where(
                        CheckNote.work_list_id == list_id
                    )
                ).all()
            )

    # internals -------------------------------------------------------------------------

    def _list(self, session: Session, list_id: int) -> WorkList:
        wl = session.get(WorkList, list_id)
        if wl is None:
            raise NotFoundError("找不到这份清单，它可能已被删除。")
        return wl

    def _editable(self, session: Session, list_id: int) -> WorkList:
        wl = self._list(session, list_id)
        if not wl.own:
            raise ValidationError("下级上报的清单只能查看，不能修改。")
        if wl.state == "submitted":
            raise ListFrozenError(wl.version)
        return wl

    def _task(self, session: Session, list_id: int, task_id: int) -> Task:
        task = session.get(Task, task_id)
        if task is None or task.work_list_id != list_id:
            raise NotFoundError("找不到这项任务，它可能已被删除。")
        return task

    def _touch(
        self,
        session: Session,
        wl: WorkList,
        action: str,
        summary: str,
        before: object,
        after: object,
        entity_id: object = None,
        *,
        entity: str = "task",
        keep_state: bool = False,
    ) -> None:
        wl.updated_at = now_text()
        if wl.state == "checked" and not keep_state:
            wl.state = "draft"
        audit.record(
            session,
            operator=get_office(session).operator,
            action=action,
            entity=entity if entity_id is not None else "work_list",
            entity_id=entity_id if entity_id is not None else wl.id,
            summary=f"{wl.year}年清单第{wl.version}版：{summary}",
            before=before,
            after=after,
        )


# ------------------------------------------------------------------------- helpers


def _escape_like(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _validate(record: TaskRecord) -> None:
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


def _audit_view(record: TaskRecord) -> dict[str, object]:
    data = asdict(record)
    data.pop("position", None)
    return data


def _new_task(wl: WorkList, record: TaskRecord) -> Task:
    now = now_text()
    task = Task(
        work_list=wl, uid=record.uid or str(uuid.uuid4()), origin=record.origin, created_at=now
    )
    _fill_task(task, record)
    return task


def _fill_task(task: Task, record: TaskRecord) -> None:
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


def _write_positions(session: Session, ordered: Sequence[int]) -> None:
    for position, tid in enumerate(ordered):
        session.execute(update(Task).where(Task.id == tid).values(position=position))


def copy_list(session: Session, old: WorkList, *, version: int) -> WorkList:
    """A new current version of ``old`` with copies of its tasks, marks and notes."""
    now = now_text()
    old.is_current = False
    new = WorkList(
        notice_id=old.notice_id,
        own=old.own,
        locality=old.locality,
        locality_code=old.locality_code,
        level=old.level,
        parent=old.parent,
        year=old.year,
        version=version,
        is_current=True,
        state="draft",
        title=old.title,
        cadence=old.cadence,
        due_day=old.due_day,
        explanation=old.explanation,
        previous_version_id=old.id,
        carried_from_id=old.carried_from_id,
        created_at=now,
        updated_at=now,
    )
    session.add(new)
    session.flush()
    new_task_ids: dict[int, int] = {}
    for record in task_records(session, old.id):
        task = _new_task(new, record)
        task.uid, task.position, task.origin = record.uid, record.position, record.origin
        session.add(task)
        session.flush()
        assert record.id is not None
        new_task_ids[record.id] = task.id
    for period in old.periods:
        copy = ReportingPeriod(
            work_list_id=new.id,
            key=period.key,
            label=period.label,
            start=period.start,
            end=period.end,
            due_on=period.due_on,
            frozen_at=period.frozen_at,
            frozen_by=period.frozen_by,
            snapshot=period.snapshot,
        )
        session.add(copy)
        session.flush()
        for report in session.execute(
            select(ProgressReport).where(ProgressReport.period_id == period.id)
        ).scalars():
            session.add(
                ProgressReport(
                    task_id=new_task_ids[report.task_id],
                    period_id=copy.id,
                    text=report.text,
                    percent=report.percent,
                    problems=report.problems,
                    next_steps=report.next_steps,
                    lag_reason=report.lag_reason,
                    completed_on=report.completed_on,
                    evidence=report.evidence,
                    updated_at=report.updated_at,
                    updated_by=report.updated_by,
                )
            )
    for ex in old.exclusions:
        session.add(
            MeasureExclusion(
                work_list_id=new.id,
                measure_id=ex.measure_id,
                reason=ex.reason,
                created_at=ex.created_at,
            )
        )
    for note in old.check_notes:
        session.add(
            CheckNote(
                work_list_id=new.id,
                key=note.key,
                message=note.message,
                explanation=note.explanation,
                accepted_at=note.accepted_at,
                accepted_by=note.accepted_by,
            )
        )
    session.flush()
    return new


def default_deadline(year: int) -> date:
    return date(year, 12, 31)
