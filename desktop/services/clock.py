"""The current time and the office's "today", in one place.

- ``now()`` / ``now_text()``: the real instant, for what happened when (audit entries,
  backups, updated_at). Tests fix it by replacing ``now``.
- ``today(session)``: the day figures are read at — which periods have begun, the 序时进度 of
  the running period, the default "截至" date. It is, in order: the day the command line
  named with ``--as-of`` (``as_of_day``), the office's own demo date (the example office
  carries one, ``演示日期`` in the status bar, so it can show a year in progress whatever the
  calendar says), or the real date.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the clock is read by commands that never load the ORM (``ledger pdf``)
    from sqlalchemy.orm import Session

DEMO_DATE_KEY = "clock.demo_date"

_as_of: ContextVar[date | None] = ContextVar("as_of", default=None)


def now() -> datetime:
    return datetime.now().astimezone()


def now_text() -> str:
    """An instant as stored in the database: ISO-8601, local time with offset, seconds."""
    return now().isoformat(timespec="seconds")


def demo_date(session: Session) -> date | None:
    """The office's demo date, if it carries one."""
    from desktop.db.models import Setting

    row = session.get(Setting, DEMO_DATE_KEY)
    return demo_date_from(row.value if row is not None else None)


def demo_date_from(value: str | None) -> date | None:
    """The demo date a setting's stored value holds (None: the calendar's day)."""
    if not value:
        return None
    try:
        return date.fromisoformat(json.loads(value))
    except (ValueError, TypeError):
        return None


def set_demo_date(session: Session, day: date | None) -> None:
    """Give the office a demo date (None: back to the calendar), in the caller's transaction."""
    from desktop.db.models import Setting

    row = session.get(Setting, DEMO_DATE_KEY)
    if day is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = Setting(key=DEMO_DATE_KEY)
        session.add(row)
    row.value = json.dumps(day.isoformat())


def today(session: Session | None = None) -> date:
    """The office's today: ``--as-of``, else its demo date, else the calendar."""
    fixed = _as_of.get()
    if fixed is not None:
        return fixed
    if session is not None:
        demo = demo_date(session)
        if demo is not None:
            return demo
    return now().date()


def today_given(demo: date | None) -> date:
    """``today`` for a reader that fetched the office's demo date itself (no session)."""
    fixed = _as_of.get()
    if fixed is not None:
        return fixed
    return demo if demo is not None else now().date()


@contextmanager
def as_of_day(day: date | None) -> Iterator[None]:
    """Within the block, ``today()`` is ``day`` (the command line's ``--as-of``); None leaves
    the day as it is."""
    if day is None:
        yield
        return
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)
