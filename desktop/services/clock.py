"""The current time, in one place so tests can fix it."""

from __future__ import annotations

from datetime import date, datetime


def now() -> datetime:
    return datetime.now().astimezone()


def now_text() -> str:
    """An instant as stored in the database: ISO-8601, local time with offset, seconds."""
    return now().isoformat(timespec="seconds")


def today() -> date:
    return now().date()
