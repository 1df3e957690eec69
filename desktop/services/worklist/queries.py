"""Reading work lists and their tasks for screens and commands (年度清单 and every screen
that picks a list): summaries, rows, one task, coverage of the notice's measures, search.

Nothing here writes; the plain rows come from ``desktop.services.worklist.rows``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.own_list import pick_own_list
from desktop.core.worklist import MeasureRef, TaskRecord
from desktop.db.models import Measure, MeasureExclusion, Task, TaskMeasure, TaskUnit, WorkList
from desktop.errors import NotFoundError
from desktop.services.notices.measure_refs import measure_refs
from desktop.services.worklist.access import get_list
from desktop.services.worklist.rows import (
    WorkListSummary,
    summaries,
    task_record,
    task_records,
    task_rows,
)
from desktop.services.worklist.task_rows import TaskRow


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
class ListPatch:
    """What a screen needs to bring its rows up to date after an edit, without reading the
    whole list again: every task's id and number in list order (one narrow query), and the
    full rows of the tasks that are new or changed."""

    order: list[tuple[int, str]]
    rows: list[TaskRow]


def summary_of(sessions: sessionmaker[Session], list_id: int) -> WorkListSummary:
    """One list's summary, read in a session of its own (after a change has committed)."""
    with sessions() as session:
        found = summaries(session, list_ids=[list_id])
    if not found:
        raise NotFoundError("找不到这份清单，它可能已被删除。")
    return found[0]


class WorkListQueries:
    """The work lists and their tasks, read; one short read transaction per call."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def lists(
        self, *, own: bool | None = None, current_only: bool = False
    ) -> list[WorkListSummary]:
        with self._sessions() as session:
            rows = summaries(session)
        return [
            s for s in rows if (own is None or s.own == own) and (not current_only or s.is_current)
        ]

    def get(self, list_id: int) -> WorkListSummary:
        return summary_of(self._sessions, list_id)

    def find_own(self, year: int, doc_number: str | None = None) -> WorkListSummary:
        """The office's current list for ``year`` (and notice, when several exist)."""
        mine = [s for s in self.lists(own=True, current_only=True) if s.year == year]
        chosen = pick_own_list(year, doc_number, [(s.id, s.doc_number) for s in mine])
        return next(s for s in mine if s.id == chosen)

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

    def patch(self, list_id: int, task_ids: Collection[int] = ()) -> ListPatch:
        """The list's order and numbers, and the rows of ``task_ids`` (see ``ListPatch``)."""
        with self._sessions() as session:
            get_list(session, list_id)
            order = [
                (tid, number)
                for tid, number in session.execute(
                    select(Task.id, Task.number)
                    .where(Task.work_list_id == list_id)
                    .order_by(Task.position, Task.id)
                ).all()
            ]
            rows = task_rows(session, list_id, list(task_ids)) if task_ids else []
        return ListPatch(order, rows)

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
            return measure_refs(session, get_list(session, list_id).notice_id)

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
            wl = get_list(session, list_id)
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
            # the few distinct unit names first (their index answers): most searches match
            # none, and then the list's tens of thousands of unit rows are not read at all
            names = list(
                session.execute(
                    select(TaskUnit.name).distinct().where(TaskUnit.name.like(like, escape="\\"))
                ).scalars()
            )
            if names:
                ids |= set(
                    session.execute(
                        select(TaskUnit.task_id)
                        .join(Task, Task.id == TaskUnit.task_id)
                        .where(Task.work_list_id == list_id, TaskUnit.name.in_(names))
                    ).scalars()
                )
            return ids

    # lists -----------------------------------------------------------------------------


def _escape_like(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
