"""The audited states of the rows a copy is about to write, computed while it writes them.

A new version of a list copies a hundred thousand rows with a few ``INSERT … SELECT`` —
SQLite's work, during which Python's interpreter lock is let go — and the seal must store
each copy's state — Python's work, a SHA-256 and a hint per field. One after the other,
each takes a core for about a second. Here the states are computed at the same time, on a
second, read-only connection reading the originals: each copy is a ``SELECT`` that gives its
rows' ids (rather than leaving them to SQLite), so that same ``SELECT`` tells exactly what
each copy will hold. Once the writer's statements have written as many rows as were
computed, it hands the states to the seal (``preset_states``, ``store_presets``).

The second connection sees the database as last committed. Its states are the copies' only
while nothing the copy reads has changed in the writer's transaction before the copy, so it
is used only when the transaction has noted no row yet, on a write-ahead log (where a reader
never holds up the writer) and on a file. Whenever it is not used, or fails, the writer
notes the copies instead and the seal computes their states itself: the same states,
one core.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from desktop.db import BUSY_TIMEOUT_MS
from desktop.db.row_audit import (
    DIGEST_SIZE,
    LIST_ROWS,
    PRESETS,
    TABLE_INFO,
    TABLES,
    TASK,
    StateFunction,
    driver_cursor,
    forget_presets,
    note_list_rows,
    parts_of,
    row_digest_inputs,
    state_columns,
)
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


@dataclass(frozen=True)
class TableStates:
    """The states of the rows of one table, computed before they are stored: ``count`` rows
    whose ids add up to ``id_sum`` (listed in order in ``ids``, a JSON array), each state
    ``size`` bytes long, one after the other in ``states`` in the same order, and what they
    add to an entry's digest, in ``inputs``."""

    count: int
    id_sum: int
    ids: str
    size: int
    states: bytes
    inputs: bytes


def preset_states(conn: Any, list_id: int, presets: Mapping[int, TableStates]) -> None:
    """Hand the seal the states of the rows of list ``list_id`` (table code → its rows'
    states), just written and computed elsewhere (``desktop.db.copy_states``), instead of
    noting them. They are stored as given when nothing else is noted by the seal and the
    list's rows are still the ones computed (as many, the same ids); otherwise the rows
    are noted then and their states computed like any other. They are forgotten when a
    transaction begins and when a savepoint rolls back (``forget_presets``)."""
    conn.connection.info[PRESETS] = (list_id, dict(presets))


def store_presets(conn: Any, audit_id: int, digest: Any) -> bool:
    """Store the states handed over (``preset_states``) as ``store_touched_states`` stores
    states — the n-th id given for a table takes the n-th state given for it — when they
    hold: nothing else noted, no positions shifted, and the list's rows as many, with ids
    adding up to the same, as those computed (one statement, which stores nothing
    otherwise). False when they did not hold: the list's rows are then noted, to be computed
    like any other."""
    held = conn.connection.info.get(PRESETS)
    if held is None:
        return False
    list_id, presets = held
    forget_presets(conn)
    selects, checks, params = [], [], []
    for code, rows in LIST_ROWS:
        given = presets[code]
        selects.append(
            f"SELECT {code} AS tbl, j.value AS row_id,"
            f" substr(?, j.key * {given.size} + 1, {given.size}) AS s FROM json_each(?) j"
        )
        checks.append(
            f"(SELECT count(*) = {given.count} AND coalesce(sum(id), 0) = {given.id_sum}"
            f" FROM ({rows.replace('?', str(int(list_id)))}))"
        )
        params += [given.states, given.ids]
    stored = conn.exec_driver_sql(
        "INSERT INTO audit_row (audit_id, tbl, row_id, digest, hints)"
        f" WITH s AS ({' UNION ALL '.join(selects)})"
        " SELECT ?, tbl, row_id, substr(s, 1, ?), substr(s, ?) FROM s"
        " WHERE NOT EXISTS (SELECT 1 FROM temp.row_touch)"
        f" AND NOT EXISTS (SELECT 1 FROM temp.row_shift) AND {' AND '.join(checks)}"
        " ORDER BY tbl, row_id",
        (*params, audit_id, DIGEST_SIZE, DIGEST_SIZE + 1),
    ).rowcount
    total = sum(given.count for given in presets.values())
    if stored == total and total:
        digest.update(b"".join(presets[code].inputs for code, _ in LIST_ROWS))
        return True
    if stored:
        raise RuntimeError(f"行状态存储数目不符：{stored} / {total}")
    note_list_rows(driver_cursor(conn), list_id)
    return False


def states_of(
    connection: sqlite3.Connection,
    code: int,
    rows: str,
    params: Any,
    parts: dict[int, list[str]] | None = None,
) -> TableStates:
    """The states the rows of ``rows`` (a query naming its columns as table ``code`` does,
    with ``id``) will have once written — computed on ``connection``, a connection of its
    own (``copy_states``). ``parts``: the units and measures of each task (``task_parts``)."""
    states = StateFunction()
    states.register(connection)
    info = connection.execute(TABLE_INFO.format(TABLES[code]))
    columns = ", ".join(f'c."{n}"' for n in state_columns(info))
    states.start(parts or {})
    try:
        connection.execute(
            f"SELECT sum(length(row_state({code}, c.id, c.id, {columns}))) FROM ({rows}) c",
            params,
        ).fetchone()
    finally:
        made = states.finish()
    if states.failed:
        raise states.failed[0]
    made.sort()  # by id (each once: the states are never compared)
    sizes = {len(both) for _, _, both in made}
    if len(sizes) > 1 or any(a[1] == b[1] for a, b in pairwise(made)):
        raise ValueError("行状态长度不一或行号重复")
    ids = [row_id for _, row_id, _ in made]
    size = sizes.pop() if sizes else 0
    joined = b"".join([both for _, _, both in made])
    return TableStates(
        count=len(made),
        id_sum=sum(ids),
        ids=json.dumps(ids),
        size=size,
        states=joined,
        inputs=row_digest_inputs(code, ids, joined, size),
    )


def task_parts(
    cursor: sqlite3.Cursor, units: str, measures: str, params: Any
) -> dict[int, list[str]]:
    """A task's units and measures as its state has them, read by ``units`` (task id, role,
    name) and ``measures`` (task id, measure id), each ordered as ``_task_parts`` orders."""
    found = cursor.execute(units, params).fetchall()
    return parts_of(found, cursor.execute(measures, params))
