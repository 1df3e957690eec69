"""A work list's life: created for a notice and year, its options, new versions, deletion.

Each method is one user action and one transaction, recorded in the audit log. A submitted
version is frozen; ``new_version`` copies it (tasks, progress, 不适用 marks, accepted
warnings) into the next version, which becomes current. Deleting a list is planned and
told first (``desktop.services.worklist.delete``), then done after a backup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.callbacks import IsCancelled, Progress
from desktop.core.schema import clean, text_problem
from desktop.db.models import Notice, WorkList
from desktop.errors import NotFoundError, ValidationError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text, today
from desktop.services.office.service import get_office
from desktop.services.worklist.access import editable_list, get_list, touch
from desktop.services.worklist.bulk import COPY_STATEMENTS, copy_content
from desktop.services.worklist.delete import ListDeletion, delete_planned, plan_deletion
from desktop.services.worklist.queries import summary_of
from desktop.services.worklist.rows import WorkListSummary
from desktop.services.worklist.steps import Steps

BackupBefore = Callable[[str], object]  # BackupService.backup_before: reason → BackupInfo


class WorkListLifecycle:
    """Creating, versioning, configuring and deleting work lists."""

    def __init__(
        self, sessions: sessionmaker[Session], *, backup_before: BackupBefore | None = None
    ) -> None:
        self._sessions = sessions
        self._backup_before = backup_before

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
        return summary_of(self._sessions, list_id)

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
            year = today(session).year + 1
        while year in taken:
            year += 1
        return year

    def deletion(self, list_id: int) -> ListDeletion:
        """What ``delete_list`` would remove, to tell the user before (nothing changes)."""
        with self._sessions() as session:
            return plan_deletion(session, list_id)

    def delete_list(
        self,
        list_id: int,
        *,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> ListDeletion:
        """删除清单: an own list with all its versions, or one imported version (see
        ``desktop.services.worklist.delete``); one transaction, after a backup.

        Three steps (the backup, the deletion, the commit): ``progress(done, 3)`` before
        and after each; when ``cancelled()`` turns true before the commit, :class:`Cancelled` is
        raised and nothing is deleted (the backup stays)."""
        step = Steps(3, progress, cancelled)
        step(0)
        backup = None
        if self._backup_before is not None:
            self.deletion(list_id)  # a list already gone is not worth a backup
            info = self._backup_before("删除清单")
            found = getattr(info, "path", None)
            backup = found if isinstance(found, Path) else None
        step(1)
        with self._sessions.begin() as session:
            done = delete_planned(session, list_id)
            step(2)  # the last moment 取消 can still undo it all
        step.finished()
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
            wl = editable_list(session, list_id)
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
                explanation = clean(explanation, "explanation")
                problem = text_problem("explanation", explanation)
                if problem is not None:
                    raise ValidationError(f"{problem}。")
                wl.explanation = explanation
            touch(
                session,
                wl,
                "update",
                "修改清单设置",
                before,
                {"cadence": wl.cadence, "due_day": wl.due_day, "explanation": wl.explanation},
            )
        return summary_of(self._sessions, list_id)

    def new_version(
        self,
        list_id: int,
        *,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> WorkListSummary:
        """Copy a submitted version into the next version (草稿), which becomes current.

        Told in steps (one per copying statement, and the commit): ``progress(done,
        total)``; when ``cancelled()`` turns true before the commit, :class:`Cancelled`
        is raised and the transaction rolls back (no new version)."""
        step = Steps(len(COPY_STATEMENTS) + 1, progress, cancelled)
        with self._sessions.begin() as session:
            old = get_list(session, list_id)
            if not old.own:
                raise ValidationError("下级上报的清单只能查看，不能修改。")
            if old.state != "submitted":
                return summary_of(self._sessions, list_id)
            newest = session.execute(
                select(func.max(WorkList.version)).where(
                    WorkList.own,
                    WorkList.locality == old.locality,
                    WorkList.year == old.year,
                    WorkList.notice_id == old.notice_id,
                )
            ).scalar_one()
            new = next_version(session, old, version=newest + 1)
            # recorded before the copy, so the copies' states go with it as they are ready
            entry = audit.record(
                session,
                operator=get_office(session).operator,
                action="new_version",
                entity="work_list",
                entity_id=new.id,
                summary=f"由第{old.version}版开始第{new.version}版",
            )
            copy_content(session, old.id, new.id, new.created_at, step, audit_id=entry.id)
            new_id = new.id
            step(len(COPY_STATEMENTS))  # the last moment 取消 can still undo it all
        step.finished()
        return summary_of(self._sessions, new_id)


def copy_list(
    session: Session,
    old: WorkList,
    *,
    version: int,
    step: Callable[[int], None] | None = None,
    audit_id: int | None = None,
) -> WorkList:
    """A new current version of ``old`` with copies of its tasks, periods, progress, marks and
    notes (``bulk.copy_content``: a few statements, whatever the size of the list; with
    ``audit_id``, the entry that records it, its rows' states are stored as they are copied)."""
    new = next_version(session, old, version=version)
    copy_content(session, old.id, new.id, new.created_at, step, audit_id=audit_id)
    return new


def next_version(session: Session, old: WorkList, *, version: int) -> WorkList:
    """The row of a new current version of ``old`` (a draft), in place of it; empty."""
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
        thresholds=old.thresholds,
        previous_version_id=old.id,
        carried_from_id=old.carried_from_id,
        created_at=now,
        updated_at=now,
    )
    session.add(new)
    session.flush()
    return new
