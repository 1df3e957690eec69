"""Opening the office database: SQLite configured for a desktop program that must not lose data.

Foreign keys on, write-ahead logging, a busy timeout, full synchronisation (a power cut may
lose at most the transaction in progress), and real transactions: pysqlite's own implicit
transaction handling is switched off and SQLAlchemy emits ``BEGIN`` itself, as its
documentation recommends, so every unit of work is one SQLite transaction. A connection
that wrote has the log checkpointed, on a thread of its own, when it is back in the pool
(``desktop.db.wal``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from desktop.db import BUSY_TIMEOUT_MS
from desktop.db.backup import journal_mode_for
from desktop.db.row_audit import forget_presets, track_changes
from desktop.db.wal import Checkpointer, checkpoint
from desktop.locations import absolute, sqlite_uri


def _configurer(journal_mode: str) -> Callable[[sqlite3.Connection, Any], None]:
    wal = journal_mode == "WAL"

    def configure(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA journal_mode={journal_mode}")
        cur.execute("PRAGMA synchronous=FULL")
        # 64 MB of page cache: a city importing a hundred county lists in one transaction,
        # or a new version of a list of 20,000 tasks, would otherwise spill pages to the log
        # mid-transaction, and write some of them twice (the cache takes memory only as
        # pages are read or written)
        cur.execute("PRAGMA cache_size=-65536")
        if wal:  # checkpointed after each action instead, off the action's thread
            cur.execute("PRAGMA wal_autocheckpoint=0")
        cur.close()

    return configure


def database_url(db_path: Path | str) -> URL:
    """The SQLAlchemy URL of the database file, built rather than parsed: in a URL string
    a folder name's ``%41`` would be decoded and a ``?`` would start the query."""
    return URL.create("sqlite", database=None if str(db_path) == ":memory:" else str(db_path))


def _begin(conn: Any) -> None:
    # the rows each transaction changes are noted for the audit log (``row_audit``): the
    # temporary triggers are made once per connection once the schema exists, before the
    # transaction begins (made inside one, a rollback would take them away again)
    info = conn.connection.info
    if not info.get("row_tracking"):
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            info["row_tracking"] = track_changes(cursor)
        finally:
            cursor.close()
    forget_presets(conn)  # row states handed over belong to the transaction that made them
    conn.exec_driver_sql("BEGIN")


def make_engine(db_path: Path | str) -> Engine:
    """An engine over the database file (created if missing), configured as described above.

    On a network drive the database keeps a rollback journal instead of WAL
    (``desktop.db.backup.journal_mode_for``)."""
    memory = str(db_path) == ":memory:"
    journal = "WAL" if memory else journal_mode_for(Path(db_path))
    engine = create_engine(
        database_url(db_path),
        # the pool hands a connection to one thread at a time; background jobs use it too
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _configurer(journal))
    event.listen(engine, "begin", _begin)
    if journal == "WAL" and not memory:
        checkpointer = Checkpointer(absolute(Path(db_path)), partial(_in_use, engine))
        _CHECKPOINTERS[engine] = checkpointer
        event.listen(engine, "checkout", partial(_note_changes, checkpointer))
        event.listen(engine, "checkin", partial(_checkpoint_after_writing, checkpointer))
        event.listen(engine, "engine_disposed", lambda _engine: checkpointer.wait())
    return engine


# the checkpointer of each engine over a log (``desktop.db.wal.Checkpointer``)
_CHECKPOINTERS: WeakKeyDictionary[Engine, Checkpointer] = WeakKeyDictionary()


def _note_changes(
    checkpointer: Checkpointer, dbapi_conn: sqlite3.Connection, record: Any, _proxy: Any
) -> None:
    checkpointer.entering()
    record.info["changes"] = dbapi_conn.total_changes


def _in_use(engine: Engine) -> int:
    """How many of the engine's connections are handed out."""
    checked_out: Callable[[], int] | None = getattr(engine.pool, "checkedout", None)
    return 1 if checked_out is None else checked_out()


def _checkpoint_after_writing(
    checkpointer: Checkpointer, dbapi_conn: sqlite3.Connection | None, record: Any
) -> None:
    """A connection back in the pool after a transaction that wrote: the user's action is
    committed and nothing of it runs any more, so its log goes into the database file now
    (``desktop.db.wal``), on the checkpointer's thread."""
    if dbapi_conn is None or dbapi_conn.total_changes == record.info.get("changes"):
        return
    record.info["changes"] = dbapi_conn.total_changes
    checkpointer.request()


def wait_for_checkpoint(engine: Engine) -> None:
    """Until the log's checkpoint after the last action is done (when there is one)."""
    found = _CHECKPOINTERS.get(engine)
    if found is not None:
        found.wait()


def checkpoint_now(engine: Engine) -> bool:
    """Empty the log into the database file (at exit); False when a reader was in the way."""
    if engine.url.database is None:
        return False
    wait_for_checkpoint(engine)
    with engine.connect() as conn:
        return checkpoint(conn.connection.dbapi_connection, BUSY_TIMEOUT_MS)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def raw_connection(db_path: Path, *, readonly: bool = False) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection for checks that must not depend on the ORM."""
    if readonly:
        conn = sqlite3.connect(
            sqlite_uri(absolute(db_path), "ro"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
    else:
        conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        yield conn
    finally:
        conn.close()
