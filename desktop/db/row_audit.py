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

Bulk imports (a province stores a hundred lists of hundreds of tasks in one transaction)
note their rows set-based instead: ``bulk_inserts`` lifts the insert triggers for the
duration of the inserts and then notes every row of the list with one ``INSERT … SELECT``
per table (``note_list_rows``) — the same notes, so the same row states are sealed.

Making room in a list (a task split, or added after another) moves every later task on by
the same number of places, in one statement. That statement is noted as a whole rather than
row by row (``shifted_positions``): the list, the place after which tasks moved and by how
many — sealed with the change like a row state (``SHIFT``). A moved task's state stays the
one it had: ``db check`` takes the shifts since back off its position before comparing
(``unshift``), so a position changed in any other way is still named, row and field.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from zlib import crc32

TASK, MILESTONE, PROGRESS = 1, 2, 3
TABLES = {TASK: "task", MILESTONE: "milestone", PROGRESS: "progress_report"}
# not a table: the tasks of list ``row_id`` placed after ``after`` moved on by ``step`` places
# (stored in ``audit_row`` with an empty digest and ``after,step`` as its hints)
SHIFT = 4
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
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS row_shift(seq INTEGER PRIMARY KEY,"
        " list_id INTEGER NOT NULL, after INTEGER NOT NULL, step INTEGER NOT NULL)"
    )
    try:
        for when in ("INSERT", "UPDATE", "DELETE"):
            _create_triggers(cursor, when)
    except sqlite3.OperationalError:  # no such table: the schema is not there yet
        return False
    return True


def _create_triggers(cursor: sqlite3.Cursor, when: str) -> None:
    for table, code, column in _TRIGGERS:
        cursor.execute(_trigger(table, code, column, when))


def _trigger(table: str, code: int, column: str, when: str) -> str:
    new = _TOUCH.format(code=code, row=f"NEW.{column}")
    old = _TOUCH.format(code=code, row=f"OLD.{column}")
    body = {"INSERT": f"{new};", "UPDATE": f"{old}; {new};", "DELETE": f"{old};"}[when]
    return (
        f"CREATE TEMP TRIGGER IF NOT EXISTS row_touch_{table}_{when.lower()} "
        f"AFTER {when} ON main.{table} BEGIN {body} END"
    )


@contextmanager
def shifted_positions(conn: Any, list_id: int, after: int, step: int) -> Iterator[None]:
    """Around the one statement that moves every task of list ``list_id`` placed after
    ``after`` on by ``step`` places (``step`` > 0, and nothing else): the tasks' update
    trigger is lifted while it runs, and the shift is noted instead (``temp.row_shift``),
    transactional like the row notes. The trigger is made again whatever happens; a
    statement that fails notes nothing."""
    if step <= 0:
        raise ValueError("positions only move on")
    if not conn.connection.info.get("row_tracking"):
        yield
        return
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS temp.row_touch_task_update")
    try:
        yield
    finally:
        conn.exec_driver_sql(_trigger("task", TASK, "id", "UPDATE"))
    conn.exec_driver_sql(
        "INSERT INTO temp.row_shift (list_id, after, step) VALUES (?, ?, ?)",
        (list_id, after, step),
    )


def noted_shifts(conn: Any) -> list[tuple[int, int, int]]:
    """(list, after, step) of each shift noted since the notes were last cleared, in order."""
    rows = driver_cursor(conn).execute(
        "SELECT list_id, after, step FROM temp.row_shift ORDER BY seq"
    )
    return [(int(a), int(b), int(c)) for a, b, c in rows]


def shift_hints(after: int, step: int) -> bytes:
    """How a shift is stored (the hints of its ``audit_row``)."""
    return f"{after},{step}".encode()


def parse_shift(hints: bytes) -> tuple[int, int] | None:
    """(after, step) of a stored shift, or None when it cannot be read."""
    try:
        after, step = (int(x) for x in hints.decode("ascii").split(","))
    except ValueError:
        return None
    return (after, step) if step > 0 else None


def unshift(position: int, shifts: Sequence[tuple[int, int]]) -> int | None:
    """Where a task stood before ``shifts`` (oldest first) moved it, or None where no task
    that stood in the list before them can be: a task placed after ``after`` before a shift
    is placed after ``after + step`` once moved, one not moved stays at or before ``after``,
    and the places between are the room made (filled, if at all, by tasks written with the
    shift, whose states are newer). So the shifts are taken back newest first, and each
    position has one place it came from."""
    for after, step in reversed(shifts):
        if position > after + step:
            position -= step
        elif position > after:
            return None
    return position


@contextmanager
def bulk_inserts(cursor: sqlite3.Cursor, tracking: bool) -> Iterator[None]:
    """Inserts without a trigger firing for each row: the caller notes the rows it inserted
    itself, set-based, before it leaves the block (``note_list_rows``). Updates and deletes
    stay noted by their triggers. The triggers are lifted inside the caller's transaction,
    so a rollback brings them back as well; they are made again on leaving, whatever
    happens. ``tracking``: whether this connection notes rows at all (``track_changes``)."""
    if not tracking:
        yield
        return
    for table, _, _ in _TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS temp.row_touch_{table}_insert")
    try:
        yield
    finally:
        _create_triggers(cursor, "INSERT")


LIST_ROWS = (
    (TASK, "SELECT id FROM main.task WHERE work_list_id = ?"),
    (
        MILESTONE,
        "SELECT m.id FROM main.milestone m JOIN main.task t ON t.id = m.task_id"
        " WHERE t.work_list_id = ?",
    ),
    (
        PROGRESS,
        "SELECT p.id FROM main.progress_report p JOIN main.task t ON t.id = p.task_id"
        " WHERE t.work_list_id = ?",
    ),
)


def note_list_rows(cursor: sqlite3.Cursor, list_id: int) -> None:
    """Note every task, milestone and progress row of list ``list_id`` (a task's units and
    measures are part of its state), one statement per table."""
    for code, rows in LIST_ROWS:
        cursor.execute(f"INSERT OR IGNORE INTO temp.row_touch SELECT {code}, id FROM ({rows})",
                       (list_id,))  # fmt: skip


def has_notes(conn: Any) -> bool:
    """Whether any row or shift is noted since the notes were last cleared."""
    found = driver_cursor(conn).execute(
        "SELECT EXISTS(SELECT 1 FROM temp.row_touch) OR EXISTS(SELECT 1 FROM temp.row_shift)"
    )
    return bool(found.fetchone()[0])


def has_copies(conn: Any) -> bool:
    """Whether the states of a copy were stored in this transaction, for the seal to check
    (``copy_states.store_copies``)."""
    return PRESETS in conn.connection.info


def note_count(conn: Any) -> int:
    """How many rows are noted (a copy's rows whose states are stored already are not)."""
    found = driver_cursor(conn).execute("SELECT count(*) FROM temp.row_touch").fetchone()[0]
    return int(found)


def clear_touched(conn: Any, shifts: bool) -> None:
    conn.exec_driver_sql("DELETE FROM temp.row_touch")
    forget_presets(conn)
    if shifts:
        conn.exec_driver_sql("DELETE FROM temp.row_shift")


# where the states of rows computed before the seal wait on a connection
# (``copy_states.preset_states``)
PRESETS = "row_presets"


def forget_presets(conn: Any) -> None:
    """Drop the states handed over on this connection (``copy_states.preset_states``)."""
    conn.connection.info.pop(PRESETS, None)


def driver_cursor(conn: Any) -> sqlite3.Cursor:
    """The driver's cursor on ``conn``'s connection (inside its transaction): the states of
    a province's import are a few hundred thousand rows, read without SQLAlchemy's per-row
    result processing."""
    cursor: sqlite3.Cursor = conn.connection.driver_connection.cursor()
    return cursor


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
        columns = state_columns(conn.exec_driver_sql(TABLE_INFO.format(TABLES[code])).all())
        cache[code] = columns + (("lead_units", "co_units", "measures") if code == TASK else ())
    names: tuple[str, ...] = cache[code]
    return names


TABLE_INFO = "PRAGMA main.table_info({})"


def state_columns(table_info: Iterable[Sequence[Any]]) -> tuple[str, ...]:
    """The columns a state covers, in order, of a table's ``PRAGMA table_info``: all but
    ``id``."""
    return tuple(r[1] for r in table_info if r[1] != "id")


def row_values(conn: Any, code: int) -> Iterator[tuple[int, list[str]]]:
    """(row id, field values as text) of every row of table ``code``, by id."""
    columns = _columns(conn, code)
    rows = driver_cursor(conn).execute(
        f"SELECT id, {', '.join(columns)} FROM main.{TABLES[code]} ORDER BY id"
    )
    extra = _task_parts(conn, touched=False) if code == TASK else {}
    for row in rows:
        values = _texts(row[1:])
        if code == TASK:
            values += extra.get(row[0], _NO_PARTS)
        yield row[0], values


def store_touched_states(conn: Any, audit_id: int, digest: Any) -> None:
    """Store with entry ``audit_id`` the state of each row noted in ``temp.row_touch``
    (``GONE`` for a noted row that no longer exists) in one ``INSERT … SELECT``: SQLite reads
    the rows and stores their states, each computed by a function the statement calls — or
    the states handed over (``preset_states``), when they hold. ``digest`` (a running
    SHA-256) is updated with each stored state in the order stored — by table, then id
    (``row_digest_input``). The noted rows are joined in SQL, not listed as parameters, so
    the statement does not grow with the number of rows."""
    states = StateFunction.of(conn)
    states.start(_task_parts(conn, touched=True))
    selects = []
    for code, table in sorted(TABLES.items()):
        picked = ", ".join("x." + c for c in _columns(conn, code))
        selects.append(
            f"SELECT {code} AS tbl, r.row_id AS row_id, row_state({code}, r.row_id, x.id,"
            f" {picked}) AS s FROM temp.row_touch r LEFT JOIN main.{table} x"
            f" ON x.id = r.row_id WHERE r.tbl = {code}"
        )
    try:
        # MATERIALIZED: each state computed once, then split into digest and hints (a gone
        # row's state is empty, and SQLite's substr of an empty blob is NULL). WITH after
        # INSERT: the driver tells the row count of a statement that begins with INSERT
        stored = conn.exec_driver_sql(
            "INSERT INTO audit_row (audit_id, tbl, row_id, digest, hints)"
            f" WITH s AS MATERIALIZED ({' UNION ALL '.join(selects)})"
            " SELECT ?, tbl, row_id, CASE WHEN length(s) THEN substr(s, 1, ?) ELSE s END,"
            " CASE WHEN length(s) THEN substr(s, ?) ELSE s END FROM s ORDER BY tbl, row_id",
            (audit_id, DIGEST_SIZE, DIGEST_SIZE + 1),
        ).rowcount
    except Exception as exc:
        if states.failed:
            raise states.failed[0] from exc
        raise
    finally:
        made = states.finish()
    size = DIGEST_SIZE
    if stored == len(made) and all(
        a[:2] < b[:2] for a, b in pairwise(made)
    ):  # computed once each, in the order stored
        digest.update(
            b"".join(
                row_digest_input(code, row_id, both[:size], both[size:])
                for code, row_id, both in made
            )
        )
        return
    for code, row_id, row_digest, hints in driver_cursor(conn).execute(
        "SELECT tbl, row_id, digest, hints FROM main.audit_row WHERE audit_id = ?"
        f" AND tbl IN ({', '.join(map(str, TABLES))}) ORDER BY id",
        (audit_id,),
    ):
        digest.update(row_digest_input(code, row_id, row_digest, hints))


class StateFunction:
    """``row_state(code, row id, id or NULL, field values…)``, the SQL function that computes
    a state for ``store_touched_states``: registered once per connection (registering a
    function makes SQLite prepare every statement of the connection again), told the task
    parts before each statement and keeping (table, row id, digest + hints) as it goes."""

    def __init__(self) -> None:
        self.parts: dict[int, list[bytes]] = {}
        self.made: list[tuple[int, int, bytes]] = []
        self.failed: list[BaseException] = []

    @classmethod
    def of(cls, conn: Any) -> StateFunction:
        found: StateFunction | None = conn.connection.info.get("row_state_function")
        if found is None:
            found = conn.connection.info["row_state_function"] = cls()
            found.register(conn.connection.driver_connection)
        return found

    def register(self, connection: sqlite3.Connection) -> None:
        connection.create_function("row_state", -1, self.function())

    def start(self, parts: dict[int, list[str]]) -> None:
        self.parts.clear()
        self.parts.update(
            (task_id, [p.encode() for p in texts]) for task_id, texts in parts.items()
        )
        self.made.clear()
        self.failed.clear()

    def finish(self) -> list[tuple[int, int, bytes]]:
        made = list(self.made)
        self.parts.clear()
        self.made.clear()
        return made

    def function(self) -> Callable[..., bytes]:
        parts, made, failed = self.parts, self.made, self.failed
        task = TASK

        def row_state(code: int, row_id: int, present: int | None, *values: object) -> bytes:
            # ``state_bytes`` of the values as ``_texts`` makes them (it runs once per row
            # stored: text and whole numbers encoded without a call)
            try:
                if present is None:
                    made.append((code, row_id, b""))
                    return b""
                encoded = [
                    v.encode()
                    if v.__class__ is str
                    else str(v).encode()
                    if v.__class__ is int
                    else _text(v).encode()
                    for v in values
                ]
                if code == task:
                    encoded += parts.get(row_id, _NO_PART_BYTES)
                both = state_bytes(code, row_id, encoded)
                made.append((code, row_id, both))
                return both
            except BaseException as exc:  # told after the statement, with its own traceback
                failed.append(exc)
                raise

        return row_state


def row_digest_input(code: int, row_id: int, digest: bytes, hints: bytes) -> bytes:
    """What a stored state (or shift) adds to its entry's ``rows_digest``."""
    return f"{code}:{row_id}:{digest.hex()}:{hints.hex()};".encode()


_NO_PARTS = ["", "", ""]
_NO_PART_BYTES = (b"", b"", b"")


def _columns(conn: Any, code: int) -> list[str]:
    return [n for n in field_names(conn, code) if n not in ("lead_units", "co_units", "measures")]


DIGEST_SIZE = 12  # bytes of SHA-256 kept


def state(code: int, row_id: int, values: Iterable[str]) -> RowState:
    """The state of row ``row_id`` of table ``code`` whose fields read ``values`` (text)."""
    both = state_bytes(code, row_id, [v.encode() for v in values])
    return RowState(both[:DIGEST_SIZE], both[DIGEST_SIZE:])


def state_bytes(code: int, row_id: int, encoded: Sequence[bytes]) -> bytes:
    """A state's digest followed by its hints: a digest of the table, the row and every
    field (each as ``_text`` makes it, encoded), and one byte of each field's CRC-32."""
    head = b"%d\x1e%d\x1e" % (code, row_id)
    digest = hashlib.sha256(head + b"\x1f".join(encoded)).digest()[:DIGEST_SIZE]
    return digest + bytes([crc32(v) & 0xFF for v in encoded])


def differing_fields(names: Sequence[str], stored: bytes, current: bytes) -> list[str]:
    """The fields whose one-byte hints differ (a changed field has a 1 in 256 chance of
    keeping its hint; the digest still tells the row changed)."""
    if len(stored) != len(current) or len(stored) != len(names):
        return []
    return [n for n, a, b in zip(names, stored, current, strict=True) if a != b]


def _task_parts(conn: Any, touched: bool) -> dict[int, list[str]]:
    where = f" WHERE task_id IN ({_NOTED.format(code=TASK)})" if touched else ""
    cursor = driver_cursor(conn)
    units = cursor.execute(
        "SELECT task_id, role, name FROM main.task_unit"
        f"{where} ORDER BY task_id, role, position, id"
    ).fetchall()
    measures = cursor.execute(
        "SELECT task_id, measure_id FROM main.task_measure"
        f"{where} ORDER BY task_id, position, measure_id"
    )
    return parts_of(units, measures)


def parts_of(
    units: Iterable[tuple[int, str, str]], measures: Iterable[tuple[int, int]]
) -> dict[int, list[str]]:
    leads: dict[int, list[str]] = {}
    cos: dict[int, list[str]] = {}
    for task_id, role, name in units:
        (leads if role == "lead" else cos).setdefault(task_id, []).append(name)
    linked: dict[int, list[str]] = {}
    for task_id, measure_id in measures:
        linked.setdefault(task_id, []).append(str(measure_id))
    out = {}
    for task_id in set(leads) | set(cos) | set(linked):
        out[task_id] = [
            "\x1d".join(leads.get(task_id, ())),
            "\x1d".join(cos.get(task_id, ())),
            ",".join(linked.get(task_id, ())),
        ]
    return out


def _texts(values: Sequence[object]) -> list[str]:
    return [v if v.__class__ is str else _text(v) for v in values]


def _text(value: object) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bytes):
        return value.hex()
    return str(value)
