"""A safety copy of progress typed but not yet saved, so a crash or power cut loses nothing.

The progress screen keeps its pending edits in memory until 保存. Every few seconds while
there are some, it stores a copy here (one ``Setting`` row, JSON); 保存 or 放弃 removes it.
When the screen next opens that list and period and finds a copy, it offers to restore it.
The copy is not progress: it changes nothing the ledgers, statuses or audit log see.
``UnsavedProgress`` is the service the screen calls; the functions work in a caller's session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from desktop.db.models import Setting
from desktop.services.clock import now_text
from desktop.services.progress.types import ProgressEntry

DRAFT_KEY = "progress.unsaved"


@dataclass(frozen=True)
class ProgressDraft:
    list_id: int
    period_id: int
    saved_at: str
    entries: tuple[ProgressEntry, ...]


def _entry_json(e: ProgressEntry) -> dict[str, object]:
    data = e.values()
    data["task_id"] = e.task_id
    data["completed_on"] = e.completed_on.isoformat() if e.completed_on else None
    return data


def _entry(data: dict[str, object]) -> ProgressEntry:
    done = data.get("completed_on")
    percent = data.get("percent")
    return ProgressEntry(
        task_id=int(str(data["task_id"])),
        text=str(data.get("text") or ""),
        percent=int(str(percent)) if percent is not None else None,
        problems=str(data.get("problems") or ""),
        next_steps=str(data.get("next_steps") or ""),
        lag_reason=str(data.get("lag_reason") or ""),
        completed_on=date.fromisoformat(str(done)) if done else None,
        evidence=str(data.get("evidence") or ""),
    )


def keep(session: Session, list_id: int, period_id: int, entries: list[ProgressEntry]) -> None:
    row = session.get(Setting, DRAFT_KEY) or Setting(key=DRAFT_KEY)
    row.value = json.dumps(
        {
            "list_id": list_id,
            "period_id": period_id,
            "saved_at": now_text(),
            "entries": [_entry_json(e) for e in entries],
        },
        ensure_ascii=False,
    )
    session.add(row)


def load(session: Session, list_id: int, period_id: int) -> ProgressDraft | None:
    row = session.get(Setting, DRAFT_KEY)
    if row is None or not row.value:
        return None
    try:
        data = json.loads(row.value)
        if data["list_id"] != list_id or data["period_id"] != period_id:
            return None
        entries = tuple(_entry(e) for e in data["entries"])
    except (ValueError, KeyError, TypeError):
        return None  # a damaged copy is no copy; the saved progress is untouched
    return ProgressDraft(list_id, period_id, str(data.get("saved_at", "")), entries)


def drop(session: Session) -> None:
    row = session.get(Setting, DRAFT_KEY)
    if row is not None:
        session.delete(row)


class UnsavedProgress:
    """The progress screen's safety copy: keep it, read it back, drop it."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def keep(self, list_id: int, period_id: int, entries: list[ProgressEntry]) -> None:
        with self._sessions.begin() as session:
            keep(session, list_id, period_id, entries)

    def load(self, list_id: int, period_id: int) -> ProgressDraft | None:
        with self._sessions() as session:
            return load(session, list_id, period_id)

    def drop(self) -> None:
        with self._sessions.begin() as session:
            drop(session)
