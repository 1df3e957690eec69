"""Plain SQL reads that work with or without the ORM.

Reading code that a read-only command runs without loading SQLAlchemy (``ledger pdf``,
through ``desktop.services.reader``) is written against ``Read``: a function taking an SQL
text with ``?`` parameters and returning the rows as tuples. Inside a service's transaction
``session_read`` gives one over the session's connection (``exec_driver_sql``: flushed
first, and its statement events see every query); ``connection_read`` gives one over a
plain ``sqlite3`` connection. The same function then builds the same result either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.orm import Session

Read = Callable[[str, Sequence[Any]], list[Any]]


def session_read(session: Session) -> Read:
    """Reads in ``session``'s transaction, after what it has pending is flushed."""
    session.flush()
    conn = session.connection()

    def read(sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(conn.exec_driver_sql(sql, tuple(params)).cursor.fetchall())

    return read


def connection_read(con: sqlite3.Connection) -> Read:
    def read(sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return con.execute(sql, tuple(params)).fetchall()

    return read


def setting_value(read: Read, key: str) -> str | None:
    """The stored (JSON) text of the office setting ``key``; None when it is not set."""
    found = read("SELECT value FROM setting WHERE key = ?", (key,))
    return found[0][0] if found else None
