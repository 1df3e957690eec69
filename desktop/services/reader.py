"""Reading an office's data folder without the ORM, for commands that only read.

``ledger pdf`` prints from a plain ``sqlite3`` connection (``desktop.services.reading``),
so it loads neither SQLAlchemy nor the models: most of a short command's time would go to
importing them. The folder is opened with the same lock and start-up checks as always
(``desktop.services.context.prepare_folder``: the write-ahead log, the database's health,
the schema brought up to date), and the connection is read-only (``PRAGMA query_only``).
SQLite's quick check of the file runs alongside the reading, in a thread
(``desktop.services.safety.start_check``); closing the reader waits for its verdict, so a
damaged database is said as such — before anything read from it is written or shown.

When opening would have to write — a new database without its built-in notice, rows from
an earlier version without their audited state, a carried signing key to adopt —
``open_reader`` returns None and the command opens the office fully
(``desktop.services.context.open_office``) instead. The same holds for a read that finds
something to make first (``desktop.services.ledger.build.NeedsWrite``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import TracebackType

from desktop.db import BUSY_TIMEOUT_MS
from desktop.logs import close_logging
from desktop.paths import DataDir
from desktop.services.context import PreparedFolder, prepare_folder
from desktop.services.reading import Read, connection_read

# the audit log's note that the rows of an earlier version have their audited state
# (``desktop.services.audit.log.ROWS_BASELINE_KEY``; a test keeps the two the same)
ROWS_BASELINE_KEY = "audit.rows_baseline"


class OfficeReader:
    """A read-only connection to an office's database, holding the folder's lock."""

    def __init__(self, folder: PreparedFolder, connection: sqlite3.Connection) -> None:
        self._folder = folder
        self._connection = connection
        self.read: Read = connection_read(connection)

    @property
    def data_dir(self) -> DataDir:
        return self._folder.data_dir

    @property
    def folder(self) -> PreparedFolder:
        return self._folder

    def close(self) -> None:
        """Close the connection and let go of the folder, after the start-up check's
        verdict: ``DatabaseDamagedError`` when the database is damaged (raised in place of
        an error of the reading, which a damaged file explains)."""
        self._connection.close()
        try:
            self._folder.confirm()
        finally:
            close_logging(self._folder.data_dir.log_file)
            self._folder.release()

    def __enter__(self) -> OfficeReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def open_reader(root: Path) -> OfficeReader | None:
    """The office in ``root`` opened for reading only; None when opening it must write."""
    folder = prepare_folder(root, alongside=True)
    connection: sqlite3.Connection | None = None
    try:
        if folder.data_dir.carried_key_file.exists():
            _let_go(folder)
            return None
        connection = sqlite3.connect(folder.data_dir.db_path, timeout=BUSY_TIMEOUT_MS / 1000)
        connection.execute("PRAGMA query_only = ON")
        read = connection_read(connection)
        builtin = read("SELECT 1 FROM notice WHERE builtin LIMIT 1", ())
        baseline = read("SELECT 1 FROM setting WHERE key = ?", (ROWS_BASELINE_KEY,))
        if not builtin or not baseline:
            connection.close()
            _let_go(folder)
            return None
        return OfficeReader(folder, connection)
    except BaseException:
        if connection is not None:
            connection.close()
        _let_go(folder)
        raise


def _let_go(folder: PreparedFolder) -> None:
    """The folder let go of, after the start-up check's verdict (a damaged database is
    said as such, instead of opening it fully or saying what went wrong reading it)."""
    try:
        folder.confirm()
    finally:
        close_logging(folder.data_dir.log_file)
        folder.release()
