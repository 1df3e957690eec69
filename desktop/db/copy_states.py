"""The audited states of the rows a copy is about to write, computed while it writes them.

A new version of a list copies a hundred thousand rows with a few ``INSERT … SELECT`` —
SQLite's work, during which Python's interpreter lock is let go — and each copy's state must
be stored — Python's work, a SHA-256 and a hint per field. One after the other, each takes a
core for about a second. Here the states are computed at the same time, on a second,
read-only connection reading the originals: each copy is a ``SELECT`` that gives its rows'
ids (rather than leaving them to SQLite), so that same ``SELECT`` tells exactly what each copy
will hold. The entry recording the new version is written first; once the writer's own
statements are done, it stores each table's states with that entry as soon as they are
computed (``store_copies``), and the seal checks they still hold (``finish_copies``).

The second connection sees the database as last committed. Its states are the copies' only
while nothing the copy reads has changed in the writer's transaction before the copy, so it
is used only when the transaction has noted no row yet, on a write-ahead log (where a reader
never holds up the writer) and on a file. Whenever it is not used, fails, or its states no
longer hold at the seal (the copy changed again, positions shifted, another entry came last),
the copies are noted instead and the seal computes their states itself: the same states,
one core.
"""

from __future__ import annotations

import json
import logging
import queue
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
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
    driver_cursor,
    forget_presets,
    note_list_rows,
    state_bytes,
    state_columns,
)
from desktop.locations import sqlite_uri

log = logging.getLogger(__name__)


class Refused(Exception):
    """The states computed alongside cannot be stored: the rows are noted instead."""


class CopyStates:
    """States computed on a thread of their own: ``start``, then ``each`` and ``stop``."""

    def __init__(
        self,
        path: str,
        rows: Sequence[tuple[int, str, str]],
        parts: Sequence[str],
        params: Mapping[str, Any],
    ) -> None:
        self._path = path
        self._rows = rows
        self._parts = parts
        self._params = dict(params)
        self._ready: queue.SimpleQueue[tuple[int, TableStates] | BaseException] = (
            queue.SimpleQueue()
        )
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
        parts: Sequence[str],
        params: Mapping[str, Any],
        noted: bool,
    ) -> CopyStates | None:
        """Begin computing, on its own connection, the states of the rows each query of
        ``rows`` (table code, table, query) yields — named as the table's columns, with
        ``id`` — with ``parts`` (a task's units and measures, ``states_of``) and
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
        except BaseException as exc:  # told to the writer, which then notes the rows
            self._failed = exc
            self._ready.put(exc)
            return
        try:
            with self._lock:
                if self._stopped:
                    self._ready.put(Refused())
                    return
                self._connection = connection
            if connection.execute("PRAGMA encoding").fetchone()[0] != "UTF-8":
                raise Refused("text not stored as UTF-8")  # read as its bytes below
            connection.execute("BEGIN")  # one snapshot for every query
            # the tasks last: a table told early is stored while the rest are computed, and
            # the tasks' copy is the writer's longest
            for code, _, rows in sorted(self._rows, key=lambda r: r[0] == TASK):
                if self._stopped:
                    raise Refused("stopped")
                parts = self._parts if code == TASK else ()
                found = states_of(connection, code, rows, self._params, parts)
                self._ready.put((code, found))
        except BaseException as exc:  # told to the writer, which then notes the rows
            self._failed = exc
            self._ready.put(exc)
        finally:
            with self._lock:
                self._connection = None
            connection.close()

    def each(self, written: Mapping[str, int]) -> Iterator[tuple[int, TableStates]]:
        """Each table's states (code, states) as soon as they are computed; ``Refused`` when
        they failed or do not add up to the rows the writer wrote (``written``: table →
        rows)."""
        tables = {code: table for code, table, _ in self._rows}
        for _ in self._rows:
            item = self._ready.get()
            if isinstance(item, BaseException):
                log.warning("复制的行状态未能并行计算，改为逐行记录", exc_info=item)
                raise Refused from item
            code, found = item
            if written.get(tables[code]) != found.count:
                log.warning("复制的行状态与写入的行数不符，改为逐行记录")
                raise Refused
            yield code, found

    def stop(self) -> None:
        """Stop computing (the copy is given up or done) and wait for the thread. An
        interrupt reaches only the statement running when it is made, so it is made again
        until the thread has ended."""
        with self._lock:
            self._stopped = True
        while self._thread.is_alive():
            with self._lock:
                if self._connection is not None:
                    self._connection.interrupt()
            self._thread.join(0.05)


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


def store_copies(
    conn: Any, audit_id: int, list_id: int, states: CopyStates, written: Mapping[str, int]
) -> bool:
    """Store with entry ``audit_id`` the states of list ``list_id``'s copied rows as the
    second connection tells them, table by table while it computes the rest; False (with
    nothing stored) when they are refused. Each table's states take ids of ``audit_row``
    in a block of its own, so they read back in the order of table and row — the order of
    every entry's states — whichever table comes first. The seal then checks they still
    hold (``finish_copies``)."""
    counts = {code: written[table] for code, table in TABLES.items()}
    if not any(counts.values()):
        return False  # nothing copied, nothing to store
    first = conn.exec_driver_sql("SELECT coalesce(max(id), 0) + 1 FROM audit_row").scalar()
    starts = {code: first + sum(counts[c] for c in TABLES if c < code) for code in TABLES}
    found: dict[int, TableStates] = {}
    try:
        for code, given in states.each(written):
            conn.exec_driver_sql(
                "INSERT INTO audit_row (id, audit_id, tbl, row_id, digest, hints)"
                f" SELECT ?1 + j.key, ?2, {code}, j.value,"
                f" substr(?3, j.key * {given.size} + 1, {DIGEST_SIZE}),"
                f" substr(?3, j.key * {given.size} + {DIGEST_SIZE + 1},"
                f" {given.size - DIGEST_SIZE}) FROM json_each(?4) j",
                (starts[code], audit_id, given.states, given.ids),
            )
            found[code] = given
    except Refused:
        conn.exec_driver_sql(
            "DELETE FROM audit_row WHERE audit_id = ? AND id >= ?", (audit_id, first)
        )
        return False
    conn.connection.info[PRESETS] = (list_id, audit_id, found)
    return True


def finish_copies(conn: Any, audit_id: int, digest: Any) -> bool:
    """At the seal of entry ``audit_id``: True when the states of a copy stored with it
    (``store_copies``) still hold — stored with the transaction's last entry, nothing else
    noted, no positions shifted, all of them still there and the list's rows as many, with
    ids adding up to the same, as those computed — and ``digest`` is updated with them.
    Otherwise they are taken away and the list's rows noted, to be computed like any other
    (False). One statement when they hold."""
    held = conn.connection.info.get(PRESETS)
    if held is None:
        return False
    list_id, stored_for, presets = held
    forget_presets(conn)
    total = sum(given.count for given in presets.values())
    checks = [
        f"(SELECT count(*) = {presets[code].count}"
        f" AND coalesce(sum(id), 0) = {presets[code].id_sum}"
        f" FROM ({rows.replace('?', str(int(list_id)))}))"
        for code, rows in LIST_ROWS
    ]
    holds = (
        stored_for == audit_id
        and conn.exec_driver_sql(
            "SELECT NOT EXISTS (SELECT 1 FROM temp.row_touch)"
            " AND NOT EXISTS (SELECT 1 FROM temp.row_shift)"
            f" AND (SELECT count(*) FROM audit_row WHERE audit_id = ? AND tbl IN"
            f" ({', '.join(map(str, TABLES))})) = {total} AND {' AND '.join(checks)}",
            (stored_for,),
        ).scalar()
    )
    if holds:
        digest.update(b"".join(presets[code].inputs for code, _ in LIST_ROWS))
        return True
    conn.exec_driver_sql(
        f"DELETE FROM audit_row WHERE audit_id = ? AND tbl IN ({', '.join(map(str, TABLES))})",
        (stored_for,),
    )
    note_list_rows(driver_cursor(conn), list_id)
    return False


def states_of(
    connection: sqlite3.Connection,
    code: int,
    rows: str,
    params: Any,
    parts: Sequence[str] = (),
) -> TableStates:
    """The states the rows of ``rows`` (a query naming its columns as table ``code`` does,
    with ``id``) will have once written — computed on ``connection``, a connection of its
    own (``copy_states``). ``parts``: for tasks, the SQL of a task's lead units, its
    cooperating units and its measures as its state has them (over ``c``, the row), one
    value each.

    The same states as ``row_audit`` computes, made with less work per row: SQLite hands
    each field over as the bytes a state is made of (the UTF-8 of a text, the digits of a
    whole number, ``\\x00`` for NULL) — anything else (a real number, a blob) is handed
    over as NULL, and the states are then refused, to be computed at the seal."""
    info = connection.execute(TABLE_INFO.format(TABLES[code]))
    fields = [_field_bytes(f'c."{n}"') for n in state_columns(info)]
    fields += [f"coalesce(CAST(({p}) AS BLOB), x'')" for p in parts]
    ids: list[int] = []
    made: list[bytes] = []
    failed: list[BaseException] = []
    connection.create_function("copy_state", -1, _state_maker(code, ids, made, failed))
    try:
        connection.execute(
            f"SELECT count(copy_state(c.id, {', '.join(fields)})) FROM ({rows}) c", params
        ).fetchone()
    except sqlite3.OperationalError:
        if failed:
            raise Refused("a field cannot be read as a state's bytes") from failed[0]
        raise
    size = DIGEST_SIZE + len(fields)
    if any(a >= b for a, b in pairwise(ids)):  # in the order read: put in order of id
        order = sorted(range(len(ids)), key=ids.__getitem__)
        ids = [ids[i] for i in order]
        made = [made[i] for i in order]
        if any(a == b for a, b in pairwise(ids)):
            raise ValueError("行号重复")
    joined = b"".join(made)
    return TableStates(
        count=len(ids),
        id_sum=sum(ids),
        ids=json.dumps(ids),
        size=size,
        states=joined,
        inputs=row_digest_inputs(code, ids, joined, size),
    )


def _field_bytes(column: str) -> str:
    """SQL of ``column``'s value as a state takes it (``row_audit._text``, encoded): the
    bytes of a text or of a whole number's digits, ``x'00'`` for NULL, NULL otherwise."""
    return (
        f"CASE typeof({column}) WHEN 'text' THEN CAST({column} AS BLOB)"
        f" WHEN 'integer' THEN CAST({column} AS BLOB) WHEN 'null' THEN x'00' END"
    )


def _state_maker(code: int, ids: list[int], made: list[bytes], failed: list[BaseException]) -> Any:
    """``copy_state(row id, field bytes…)``: appends the row's id and its state (digest and
    hints, ``row_audit.state_bytes``) to ``ids`` and ``made``."""

    def copy_state(row_id: int, *fields: bytes) -> None:
        try:
            made.append(state_bytes(code, row_id, fields))
        except BaseException as exc:  # a field SQLite could not hand over as bytes
            failed.append(exc)
            raise
        ids.append(row_id)

    return copy_state


def row_digest_inputs(code: int, ids: Sequence[int], states: bytes, size: int) -> bytes:
    """``row_digest_input`` of each of the rows ``ids`` of table ``code`` in turn, whose
    states (digest and hints, ``size`` bytes each) follow one another in ``states``: the
    same bytes, made from one hex string of them all."""
    if not ids:
        return b""
    text = states.hex()
    step, cut = 2 * size, 2 * DIGEST_SIZE
    return "".join(
        [
            f"{code}:{row_id}:{text[at : at + cut]}:{text[at + cut : at + step]};"
            for row_id, at in zip(ids, range(0, len(text), step), strict=True)
        ]
    ).encode()
