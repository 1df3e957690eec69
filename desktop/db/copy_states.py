"""The audited states of the rows a copy is about to write, computed while it writes them.

A new version of a list copies a hundred thousand rows with a few ``INSERT … SELECT`` —
SQLite's work, during which Python's interpreter lock is let go — and the seal must store
each copy's state — Python's work, a SHA-256 and a hint per field. One after the other,
each takes a core for about a second. Here the states are computed at the same time, on a
second, read-only connection reading the originals: each copy is a ``SELECT`` that gives its
rows' ids (rather than leaving them to SQLite), so that same ``SELECT`` tells exactly what
each copy will hold. Once the writer's statements have written as many rows as were
computed, it hands the states to the seal (``row_audit.preset_states``).

The second connection sees the database as last committed. Its states are the copies' only
while nothing the copy reads has changed in the writer's transaction before the copy, so it
is used only when the transaction has noted no row yet, on a write-ahead log (where a reader
never holds up the writer) and on a file. Whenever it is not used, or fails, the writer
notes the copies instead and the seal computes their states itself: the same states,
one core.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from desktop.db import BUSY_TIMEOUT_MS
from desktop.db.row_audit import TASK, TableStates, states_of, task_parts
from desktop.locations import sqlite_uri

log = logging.getLogger(__name__)


class CopyStates:
    """States computed on a thread of their own: ``start``, then ``result`` or ``stop``."""

    def __init__(
        self,
        path: str,
        rows: Sequence[tuple[int, str, str]],
        parts: tuple[str, str],
        params: Mapping[str, Any],
    ) -> None:
        self._path = path
        self._rows = rows
        self._parts = parts
        self._params = dict(params)
        self._found: dict[int, TableStates] = {}
        self._failed: BaseException | None = None
        self._stopped = False
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._thread = threading.Thread(target=self._run, name="copy-states", daemon=True)

    @classmethod
    def start(
        cls,
        cursor: sqlite3.Cursor,
        rows: Sequence[tuple[int, str, str]],
        parts: tuple[str, str],
        params: Mapping[str, Any],
        noted: bool,
    ) -> CopyStates | None:
        """Begin computing, on its own connection, the states of the rows each query of
        ``rows`` (table code, table, query) yields — named as the table's columns, with
        ``id`` — with ``parts`` (the units and the measures queries of ``task_parts``) and
        ``params``; or None when the writer's connection (``cursor``, inside its
        transaction) is not one where that gives the copies' states (see above) — as when
        rows are ``noted`` already in the transaction (``row_audit.has_notes``)."""
        if noted:
            return None
        path = next((r[2] for r in cursor.execute("PRAGMA database_list") if r[1] == "main"), "")
        if not path or cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return None
        states = cls(path, rows, parts, params)
        states._thread.start()
        return states

    def _run(self) -> None:
        try:
            connection = sqlite3.connect(
                sqlite_uri(Path(self._path), "ro"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000
            )
        except BaseException as exc:
            self._failed = exc
            return
        try:
            with self._lock:
                if self._stopped:
                    return
                self._connection = connection
            connection.execute("BEGIN")  # one snapshot for every query
            cursor = connection.cursor()
            parts = task_parts(cursor, *self._parts, self._params)
            for code, _, rows in self._rows:
                found = states_of(
                    connection, code, rows, self._params, parts if code == TASK else None
                )
                self._found[code] = found
        except BaseException as exc:  # told to the writer, which then notes the rows
            self._failed = exc
        finally:
            with self._lock:
                self._connection = None
            connection.close()

    def result(self, written: Mapping[str, int]) -> dict[int, TableStates] | None:
        """The states, once computed — or None when they failed or
        do not add up to the rows the writer wrote (``written``: table → rows)."""
        self._thread.join()
        if self._failed is not None:
            log.warning("复制的行状态未能并行计算，改为逐行记录", exc_info=self._failed)
            return None
        if any(written.get(table) != self._found[code].count for code, table, _ in self._rows):
            log.warning("复制的行状态与写入的行数不符，改为逐行记录")
            return None
        return self._found

    def stop(self) -> None:
        """Stop computing (the copy is given up or done) and wait for the thread."""
        with self._lock:
            self._stopped = True
            if self._connection is not None:
                self._connection.interrupt()
        self._thread.join()
