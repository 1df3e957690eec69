"""Which business rows a transaction changed, and each row's state as a digest.

The audit log records, with every change, the state of each task, milestone and progress row
it touched (``audit_row``), so ``db check`` can tell a row edited outside the program from one
the program wrote. Which rows a transaction touched is noted by SQLite itself: temporary
triggers, created on each of the program's connections (``track_changes``), add
``(table, row id)`` to a temporary table whatever wrote the row — the ORM, a bulk
``executemany`` or a cascading delete. They exist only on the program's own connections: an
edit made with another tool leaves no note, and is then found by ``db check``. The notes
are transactional like the rows they describe (a rolled-back savepoint takes its notes
with it); the audit log reads and clears them at commit (``desktop.services.audit.seal``).

A task's state covers its own columns, its lead and cooperating units and its measures (the
rows of ``task_unit`` and ``task_measure`` touch their task).
"""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

TASK, MILESTONE, PROGRESS = 1, 2, 3
TABLES = {TASK: "task", MILESTONE: "milestone", PROGRESS: "progress_report"}
_NOTED = "SELECT row_id FROM temp.row_touch WHERE tbl = {code}"

_TOUCH = "INSERT OR IGNORE INTO row_touch VALUES({code}, {row})"
_TRIGGERS = (
    # (table, code, expression of the touched row for NEW / OLD)
    ("task", TASK, "id"),
    ("milestone", MILESTONE, "id"),
    ("progress_report", PROGRESS, "id"),
    ("task_unit", TASK, "task_id"),
    ("task_measure", TASK, "task_id"),
)


def track_changes(cursor: sqlite3.Cursor) -> bool:
    """Create the temporary table and triggers on this connection (idempotent). False when the
    business tables do not exist yet (a new database before its schema)."""
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS row_touch(tbl INTEGER NOT NULL, row_id INTEGER NOT NULL,"
        " PRIMARY KEY (tbl, row_id)) WITHOUT ROWID"
    )
    try:
        for table, code, column in _TRIGGERS:
            new = _TOUCH.format(code=code, row=f"NEW.{column}")
            old = _TOUCH.format(code=code, row=f"OLD.{column}")
            for when, body in (
                ("INSERT", f"{new};"),
                ("UPDATE", f"{old}; {new};"),
                ("DELETE", f"{old};"),
            ):
                cursor.execute(
                    f"CREATE TEMP TRIGGER IF NOT EXISTS row_touch_{table}_{when.lower()} "
                    f"AFTER {when} ON main.{table} BEGIN {body} END"
                )
    except sqlite3.OperationalError:  # no such table: the schema is not there yet
        return False
    return True


def touched_rows(conn: Any) -> dict[int, list[int]]:
    """The rows noted since the notes were last cleared, by table code."""
    out: dict[int, list[int]] = {}
    for code, row_id in conn.exec_driver_sql("SELECT tbl, row_id FROM temp.row_touch").all():
        out.setdefault(int(code), []).append(int(row_id))
    return out


def clear_touched(conn: Any) -> None:
    conn.exec_driver_sql("DELETE FROM temp.row_touch")


@dataclass(frozen=True)
class RowState:
    """A row's state: ``digest`` (empty: the row does not exist) and one byte per field."""

    digest: bytes
    hints: bytes


GONE = RowState(b"", b"")


def field_names(conn: Any, code: int) -> tuple[str, ...]:
    """The fields a state covers, in order (the table's columns but ``id``; a task's units
    and measures after them). Read once per connection: the schema does not change under a
    running program (migrations run before its engine is made)."""
    cache = conn.connection.info.setdefault("row_audit_fields", {})
    if code not in cache:
        columns = tuple(
            r[1]
            for r in conn.exec_driver_sql(f"PRAGMA main.table_info({TABLES[code]})").all()
            if r[1] != "id"
        )
        cache[code] = columns + (("lead_units", "co_units", "measures") if code == TASK else ())
    names: tuple[str, ...] = cache[code]
    return names


def row_values(conn: Any, code: int, *, touched: bool) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(row id, field values as text) of the rows of table ``code`` that exist: those noted in
    ``temp.row_touch`` (``touched``), else all of them. The noted rows are joined in SQL, not
    listed as parameters, so the statements do not grow with the number of rows changed."""
    names = field_names(conn, code)
    columns = [n for n in names if n not in ("lead_units", "co_units", "measures")]
    where = f" WHERE id IN ({_NOTED.format(code=code)})" if touched else ""
    rows = conn.exec_driver_sql(
        f"SELECT id, {', '.join(columns)} FROM main.{TABLES[code]}{where} ORDER BY id"
    ).all()
    extra = _task_parts(conn, touched) if code == TASK else {}
    for row in rows:
        values = tuple(_text(v) for v in row[1:])
        if code == TASK:
            values += extra.get(row[0], ("", "", ""))
        yield int(row[0]), values


def state(code: int, row_id: int, values: Iterable[str]) -> RowState:
    values = tuple(values)
    joined = "\x1f".join(values)
    digest = hashlib.sha256(f"{code}\x1e{row_id}\x1e{joined}".encode()).digest()[:12]
    hints = bytes(zlib.crc32(v.encode()) & 0xFF for v in values)
    return RowState(digest, hints)


def differing_fields(names: Sequence[str], stored: bytes, current: bytes) -> list[str]:
    """The fields whose one-byte hints differ (a changed field has a 1 in 256 chance of
    keeping its hint; the digest still tells the row changed)."""
    if len(stored) != len(current) or len(stored) != len(names):
        return []
    return [n for n, a, b in zip(names, stored, current, strict=True) if a != b]


def _task_parts(conn: Any, touched: bool) -> dict[int, tuple[str, str, str]]:
    where = f" WHERE task_id IN ({_NOTED.format(code=TASK)})" if touched else ""
    leads: dict[int, list[str]] = {}
    cos: dict[int, list[str]] = {}
    for task_id, role, name in conn.exec_driver_sql(
        "SELECT task_id, role, name FROM main.task_unit"
        f"{where} ORDER BY task_id, role, position, id"
    ).all():
        (leads if role == "lead" else cos).setdefault(task_id, []).append(name)
    measures: dict[int, list[str]] = {}
    for task_id, measure_id in conn.exec_driver_sql(
        "SELECT task_id, measure_id FROM main.task_measure"
        f"{where} ORDER BY task_id, position, measure_id"
    ).all():
        measures.setdefault(task_id, []).append(str(measure_id))
    out = {}
    for task_id in set(leads) | set(cos) | set(measures):
        out[task_id] = (
            "\x1d".join(leads.get(task_id, ())),
            "\x1d".join(cos.get(task_id, ())),
            ",".join(measures.get(task_id, ())),
        )
    return out


def _text(value: object) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bytes):
        return value.hex()
    return str(value)
