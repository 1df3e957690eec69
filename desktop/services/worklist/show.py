"""One list with each task's figures as of a day: what ``worklist show --json`` prints.

The same figures every screen, ledger and export shows (``desktop.services.progress.figures``),
in the plain shape the command line and the tests compare the other outputs against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from desktop.db.models import Notice, WorkList
from desktop.errors import NotFoundError, UserError
from desktop.services.progress.figures import list_figures
from desktop.services.worklist.rows import WorkListSummary, summaries, task_rows


@dataclass(frozen=True)
class ShownTask:
    uid: str
    code: str  # the printed number (编号)
    content: str
    target: str
    lead_units: tuple[str, ...]
    co_units: tuple[str, ...]
    deadline: date | None
    not_applicable: bool
    closed: bool
    status: str | None  # done / ahead / on_track / lagging / not_started; None: 不适用
    percent: int | None
    reported_in_current_period: bool
    not_reported: bool  # 本期未填报: owes the current period's report

    def as_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "code": self.code,
            "content": self.content,
            "target": self.target,
            "lead_units": list(self.lead_units),
            "co_units": list(self.co_units),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "not_applicable": self.not_applicable,
            "closed": self.closed,
            "status": self.status,
            "percent": self.percent,
            "reported_in_current_period": self.reported_in_current_period,
            "not_reported": self.not_reported,
        }


@dataclass(frozen=True)
class ShownList:
    locality: str
    year: int
    notice: str
    version: int
    state: str
    as_of: date
    period: str  # the key of the period holding ``as_of`` ("" when none)
    tasks: tuple[ShownTask, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "locality": self.locality,
            "year": self.year,
            "notice": self.notice,
            "version": self.version,
            "state": self.state,
            "as_of": self.as_of.isoformat(),
            "period": self.period,
            "tasks": [t.as_json() for t in self.tasks],
        }


def show_list(session: Session, list_id: int, as_of: date | None = None) -> ShownList:
    wl = session.get(WorkList, list_id)
    if wl is None:
        raise NotFoundError("找不到这份清单，它可能已被删除。")
    notice = session.get(Notice, wl.notice_id)
    assert notice is not None
    figures = list_figures(session, list_id, as_of)
    tasks = []
    for r in task_rows(session, list_id):
        f = figures.tasks[r.id]
        tasks.append(
            ShownTask(
                uid=r.uid,
                code=r.number,
                content=r.content,
                target=r.target_text,
                lead_units=r.lead_units,
                co_units=r.co_units,
                deadline=r.deadline,
                not_applicable=f.not_applicable,
                closed=f.closed,
                status=f.status_value,
                percent=f.percent,
                reported_in_current_period=f.reported_in_current_period,
                not_reported=f.not_reported,
            )
        )
    return ShownList(
        locality=wl.locality,
        year=wl.year,
        notice=notice.doc_number,
        version=wl.version,
        state=wl.state,
        as_of=figures.as_of,
        period=figures.period.key if figures.period is not None else "",
        tasks=tuple(tasks),
    )


class ListShow:
    """``worklist show``: a list found by year (and lower locality), with its figures."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def find(
        self, year: int, locality: str | None = None, doc_number: str | None = None
    ) -> WorkListSummary:
        """The office's own current list for ``year`` or, with ``locality``, the current
        list imported from that lower locality."""
        with self._sessions() as session:
            lists = [s for s in summaries(session) if s.is_current and s.year == year]
        if locality is None:
            found = [s for s in lists if s.own]
            who = "本级"
        else:
            found = [s for s in lists if not s.own and s.locality == locality]
            who = locality
        if doc_number:
            found = [s for s in found if s.doc_number == doc_number]
        if not found:
            raise NotFoundError(f"没有{who} {year} 年的工作清单。")
        if len(found) > 1:
            docs = "、".join(s.doc_number for s in found)
            raise UserError(f"{who} {year} 年有多份清单（{docs}），请用 --notice 指明文号。")
        return found[0]

    def show(self, list_id: int, as_of: date | None = None) -> ShownList:
        """The list with each task's figures at ``as_of`` (its "截至" date if None)."""
        with self._sessions() as session:
            return show_list(session, list_id, as_of)
