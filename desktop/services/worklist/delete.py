"""Deleting a work list (删除清单): what goes, told before, then gone in one transaction.

- The office's own list goes whole: every version of it (the same locality, year and
  notice), with tasks, progress, 不适用 marks, accepted warnings and the record of its
  submissions. Versions are copies of one list, so deleting one version of an own list
  would leave a history with a hole; a list created by mistake goes with all of it.
- A list imported from the level below goes one version at a time (a wrongly imported
  package): when that version was the current one, the newest remaining version of that
  locality's list becomes current again. The import record stays, without its list.

The tasks are deleted by the database's cascade; the search index's triggers take each
indexed task out of ``task_fts`` as it goes, so the index still matches its content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from desktop.core.worklist import LIST_STATES
from desktop.db.models import Notice, ProgressReport, Setting, Task, WorkList
from desktop.errors import NotFoundError
from desktop.services.audit import log as audit
from desktop.services.office.service import get_office
from desktop.services.progress.unsaved import DRAFT_KEY


@dataclass(frozen=True)
class ListDeletion:
    """What deleting a list removes (asked before, and returned after, ``delete_list``)."""

    list_id: int
    own: bool
    locality: str
    year: int
    doc_number: str
    versions: tuple[tuple[int, str], ...]  # (version, state) of every version that goes
    tasks: int  # tasks of all those versions
    progress: int  # progress entries of all those versions
    submitted_at: str  # when the own list was first reported upward ("" = never)
    restored_version: int | None = None  # the imported version that becomes current again
    backup: Path | None = None  # the backup taken just before (set by the service)

    @property
    def version_numbers(self) -> str:
        """Like 第1版、第2版."""
        return "、".join(f"第{v}版" for v, _ in self.versions)

    @property
    def name(self) -> str:
        """Like 示例县 2027年 浙政发〔2026〕16号."""
        return f"{self.locality} {self.year}年 {self.doc_number}"

    @property
    def versions_text(self) -> str:
        """Like 第1版（已上报）、第2版（草稿）."""
        return "、".join(f"第{v}版（{LIST_STATES.get(s, s)}）" for v, s in self.versions)

    @property
    def summary(self) -> str:
        """One line for the audit log and the status bar."""
        return f"{self.name} 清单{self.version_numbers}，共 {self.tasks} 项任务"


def _family(session: Session, wl: WorkList) -> list[WorkList]:
    """What goes with ``wl``: every own version, or the one imported version."""
    if not wl.own:
        return [wl]
    return list(
        session.execute(
            select(WorkList)
            .where(
                WorkList.own,
                WorkList.locality == wl.locality,
                WorkList.year == wl.year,
                WorkList.notice_id == wl.notice_id,
            )
            .order_by(WorkList.version)
        ).scalars()
    )


def _successor(session: Session, wl: WorkList) -> WorkList | None:
    """The imported version that becomes current when ``wl`` (imported, current) goes."""
    if wl.own or not wl.is_current:
        return None
    # a lower locality is its code where it has one (its name may have changed)
    same = (
        WorkList.locality_code == wl.locality_code
        if wl.locality_code
        else WorkList.locality == wl.locality
    )
    return session.execute(
        select(WorkList)
        .where(
            WorkList.own.is_(False),
            same,
            WorkList.year == wl.year,
            WorkList.notice_id == wl.notice_id,
            WorkList.id != wl.id,
        )
        .order_by(WorkList.version.desc())
        .limit(1)
    ).scalar_one_or_none()


def plan_deletion(session: Session, list_id: int) -> ListDeletion:
    wl = session.get(WorkList, list_id)
    if wl is None:
        raise NotFoundError("找不到这份清单，它可能已被删除。")
    family = _family(session, wl)
    ids = [w.id for w in family]
    tasks = session.execute(
        select(func.count()).select_from(Task).where(Task.work_list_id.in_(ids))
    ).scalar_one()
    progress = session.execute(
        select(func.count())
        .select_from(ProgressReport)
        .join(Task, Task.id == ProgressReport.task_id)
        .where(Task.work_list_id.in_(ids))
    ).scalar_one()
    notice = session.get(Notice, wl.notice_id)
    submitted = sorted(w.submitted_at for w in family if w.own and w.submitted_at)
    successor = _successor(session, wl)
    return ListDeletion(
        list_id=wl.id,
        own=wl.own,
        locality=wl.locality,
        year=wl.year,
        doc_number=notice.doc_number if notice is not None else "",
        versions=tuple((w.version, w.state) for w in family),
        tasks=tasks,
        progress=progress,
        submitted_at=submitted[0] if submitted else "",
        restored_version=successor.version if successor is not None else None,
    )


def delete_planned(session: Session, list_id: int) -> ListDeletion:
    """Delete list ``list_id`` (and, for an own list, its other versions) in ``session``'s
    transaction, recorded in the audit log; returns what went."""
    plan = plan_deletion(session, list_id)
    wl = session.get(WorkList, list_id)
    assert wl is not None
    ids = [w.id for w in _family(session, wl)]
    successor = _successor(session, wl)
    # the tasks first, by themselves: each indexed one leaves the search index through its
    # trigger; then the versions, whose periods, marks and notes follow by cascade
    session.execute(
        delete(Task).where(Task.work_list_id.in_(ids)).execution_options(synchronize_session=False)
    )
    session.execute(
        delete(WorkList).where(WorkList.id.in_(ids)).execution_options(synchronize_session=False)
    )
    session.expunge_all()  # the rows above are gone; nothing may flush them again
    if successor is not None:
        restored = session.get(WorkList, successor.id)
        assert restored is not None
        restored.is_current = True
    _drop_progress_copy(session, ids)
    if not plan.own:  # the package it came in is no longer needed (nor passed upward)
        from desktop.services.exchange.files import prune_files

        prune_files(session)
    audit.record(
        session,
        operator=get_office(session).operator,
        action="delete",
        entity="work_list",
        entity_id=list_id,
        summary=f"删除{'' if plan.own else '下级报来的'}{plan.summary}",
        before={
            "locality": plan.locality,
            "year": plan.year,
            "notice": plan.doc_number,
            "versions": [{"version": v, "state": s} for v, s in plan.versions],
            "tasks": plan.tasks,
            "progress": plan.progress,
            "submitted_at": plan.submitted_at,
        },
        after={"current_version": plan.restored_version} if plan.restored_version else None,
    )
    return plan


def _drop_progress_copy(session: Session, list_ids: list[int]) -> None:
    """The progress screen's safety copy of unsaved entries of a deleted list goes too: a
    new list could be given the same id and be offered entries that were never its own."""
    row = session.get(Setting, DRAFT_KEY)
    if row is None or not row.value:
        return
    try:
        list_id = json.loads(row.value).get("list_id")
    except (ValueError, AttributeError):
        return
    if list_id in list_ids:
        session.delete(row)
