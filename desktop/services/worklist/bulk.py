"""Writing many task rows at once: a bounded number of statements, whatever the list's size.

The draft of a large notice, a new version of a list of 20,000 tasks and renumbering must not
issue one statement per row (nor flush the ORM per row): each helper here sends one
``executemany`` per table, or one ``INSERT … SELECT`` that SQLite runs without the rows
passing through Python, on the session's own connection and inside its transaction. They go
through SQLAlchemy (``exec_driver_sql``), so its events see every statement. Positions and
numbers are written only for the rows whose value really changes.

Dates are written as SQLAlchemy writes them (ISO text); a TaskRecord is turned into rows by
the same rules as ``task_store.fill_task`` (numbers and unit names trimmed, a lead unit never
also a co-unit, measures once each, milestones by date).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from desktop.core.worklist import TaskRecord
from desktop.db.copy_states import CopyStates, store_copies
from desktop.db.models import Base
from desktop.db.row_audit import (
    TABLES,
    bulk_inserts,
    has_notes,
    note_list_rows,
)

TASK_COLUMNS = (
    "uid, number, position, content, target_text, target_value, target_unit, leader, person,"
    " phone, start_on, deadline, remarks, origin, closed_on, closed_by, close_evidence,"
    " carried_from_uid, created_at, updated_at"
)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _many(conn: Connection, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
    if rows:
        conn.exec_driver_sql(sql, list(rows))


def insert_tasks(
    session: Session, list_id: int, records: Sequence[TaskRecord], now: str
) -> list[int]:
    """Insert ``records`` as new tasks of list ``list_id`` (each at its ``position``, with a
    new uid unless it has one); returns their ids in the order given. Five statements."""
    if not records:
        return []
    conn = session.connection()
    uids = [r.uid or str(uuid.uuid4()) for r in records]
    _many(
        conn,
        f"INSERT INTO task (work_list_id, {TASK_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                list_id, uid, r.number.strip(), r.position, r.content, r.target_text,
                r.target_value, r.target_unit, r.leader, r.person, r.phone, _d(r.start_on),
                _d(r.deadline), r.remarks, r.origin, _d(r.closed_on), r.closed_by,
                r.close_evidence, r.carried_from_uid, now, now,
            )
            for uid, r in zip(uids, records, strict=True)
        ],
    )  # fmt: skip
    wanted = set(uids)
    by_uid = {
        uid: tid
        for tid, uid in conn.exec_driver_sql(
            "SELECT id, uid FROM task WHERE work_list_id = ?", (list_id,)
        )
        if uid in wanted
    }
    ids = [by_uid[uid] for uid in uids]
    units: list[tuple[Any, ...]] = []
    links: list[tuple[Any, ...]] = []
    milestones: list[tuple[Any, ...]] = []
    for tid, r in zip(ids, records, strict=True):
        leads = _names(r.lead_units)
        cos = [n for n in _names(r.co_units) if n not in leads]
        units += [(tid, "lead", i, n) for i, n in enumerate(leads)]
        units += [(tid, "co", len(leads) + i, n) for i, n in enumerate(cos)]
        links += [(tid, mid, i) for i, mid in enumerate(dict.fromkeys(r.measure_ids))]
        milestones += [
            (tid, m.due_on.isoformat(), m.label, m.description, m.percent)
            for m in sorted(r.milestones, key=lambda m: m.due_on)
        ]
    _many(conn, "INSERT INTO task_unit (task_id, role, position, name) VALUES (?, ?, ?, ?)", units)
    _many(conn, "INSERT INTO task_measure (task_id, measure_id, position) VALUES (?, ?, ?)", links)
    _many(
        conn,
        "INSERT INTO milestone (task_id, due_on, label, description, percent)"
        " VALUES (?, ?, ?, ?, ?)",
        milestones,
    )
    return ids


def _names(names: Iterable[str]) -> list[str]:
    """Trimmed, without empties, each once (fill_task keeps the first of repeated names
    apart from lead vs co, and so does the unique order here)."""
    out: list[str] = []
    for n in names:
        n = n.strip()
        if n and n not in out:
            out.append(n)
    return out


def set_positions(session: Session, positions: Mapping[int, int]) -> int:
    """Write ``task id → position`` for the given tasks (one statement); returns how many."""
    _many(
        session.connection(),
        "UPDATE task SET position = ? WHERE id = ?",
        [(pos, tid) for tid, pos in positions.items()],
    )
    return len(positions)


def changed_positions(current: Mapping[int, int], ordered: Sequence[int]) -> dict[int, int]:
    """The tasks whose position must change for ``ordered`` (ids, first to last) to be the
    list's order, numbering 0, 1, 2 …; ``current`` maps id → stored position."""
    return {tid: pos for pos, tid in enumerate(ordered) if current.get(tid) != pos}


def set_numbers(session: Session, numbers: Mapping[int, str]) -> int:
    """Write ``task id → number`` (编号) for the given tasks (one statement)."""
    _many(
        session.connection(),
        "UPDATE task SET number = ? WHERE id = ?",
        [(number, tid) for tid, number in numbers.items()],
    )
    return len(numbers)


def _columns(table: str, *, skip: tuple[str, ...] = ("id",)) -> list[str]:
    """Every column of ``table`` but ``skip``, from the models: a column added later is
    copied too, never left behind."""
    return [f'"{c.name}"' for c in Base.metadata.tables[table].columns if c.name not in skip]


# The copies' ids are given, not left to SQLite: a row's copy has its original's id moved
# on by the same amount for every row of its table (``:task_shift`` …), just past the
# table's last id — so the copies of children find their parents by arithmetic, and the
# states of the rows a copy will write can be computed from the same SELECT, on a second
# connection, while the copy runs (``desktop.db.copy_states``)
_OWN = "FROM task o JOIN {table} {alias} ON {alias}.task_id = o.id WHERE o.work_list_id = :old"


@dataclass(frozen=True)
class _Copy:
    """One ``INSERT … SELECT`` of ``copy_content``: ``select`` names each column it yields
    as the table does, in the order ``columns`` lists them."""

    table: str
    columns: tuple[str, ...]
    select: str

    @property
    def statement(self) -> str:
        return f"INSERT INTO {self.table} ({', '.join(self.columns)}) {self.select}"


def _picked(alias: str, columns: Iterable[str]) -> str:
    return ", ".join(f"{alias}.{c} AS {c}" for c in columns)


def _copies() -> list[_Copy]:
    """The copies of ``copy_content``, in order (parents first)."""
    out = []
    task = _columns("task", skip=("id", "work_list_id", "created_at", "updated_at"))
    out.append(
        _Copy(
            "task",
            ("id", "work_list_id", "created_at", "updated_at", *task),
            "SELECT :task_shift + o.id AS id, :new AS work_list_id, :now AS created_at,"
            f" :now AS updated_at, {_picked('o', task)} FROM task o WHERE o.work_list_id = :old"
            " ORDER BY o.id",
        )
    )
    for child, alias in (("task_unit", "u"), ("task_measure", "l")):
        cols = _columns(child, skip=("id", "task_id"))
        out.append(
            _Copy(
                child,
                ("task_id", *cols),
                f"SELECT :task_shift + {alias}.task_id AS task_id, {_picked(alias, cols)} "
                f"{_OWN.format(table=child, alias=alias)} ORDER BY {alias}.task_id, {alias}.rowid",
            )
        )
    cols = _columns("milestone", skip=("id", "task_id"))
    out.append(
        _Copy(
            "milestone",
            ("id", "task_id", *cols),
            "SELECT :milestone_shift + m.id AS id, :task_shift + m.task_id AS task_id,"
            f" {_picked('m', cols)} {_OWN.format(table='milestone', alias='m')}",
        )
    )
    period = _columns("reporting_period", skip=("id", "work_list_id"))
    out.append(
        _Copy(
            "reporting_period",
            ("id", "work_list_id", *period),
            "SELECT :period_shift + o.id AS id, :new AS work_list_id,"
            f" {_picked('o', period)} FROM reporting_period o WHERE o.work_list_id = :old"
            " ORDER BY o.id",
        )
    )
    report = _columns("progress_report", skip=("id", "task_id", "period_id"))
    out.append(
        _Copy(
            "progress_report",
            ("id", "task_id", "period_id", *report),
            "SELECT :report_shift + r.id AS id, :task_shift + r.task_id AS task_id,"
            f" :period_shift + r.period_id AS period_id, {_picked('r', report)}"
            f" {_OWN.format(table='progress_report', alias='r')} AND r.period_id IN"
            " (SELECT id FROM reporting_period WHERE work_list_id = :old)",
        )
    )
    for table in ("measure_exclusion", "check_note"):
        cols = _columns(table, skip=("id", "work_list_id"))
        out.append(
            _Copy(
                table,
                ("work_list_id", *cols),
                f"SELECT :new AS work_list_id, {_picked('x', cols)} FROM {table} x"
                " WHERE x.work_list_id = :old ORDER BY x.id",
            )
        )
    return out


COPIES = tuple(_copies())
COPY_STATEMENTS = tuple(c.statement for c in COPIES)
_OF_LIST = "SELECT id FROM task WHERE work_list_id = :old"
# how far each table's copies are moved on: past its last id, from the first one copied
_SHIFTS = (
    "SELECT (SELECT coalesce(max(id), 0) + 1 FROM task)"
    " - (SELECT coalesce(min(id), 0) FROM task WHERE work_list_id = :old),"
    " (SELECT coalesce(max(id), 0) + 1 FROM milestone)"
    f" - (SELECT coalesce(min(id), 0) FROM milestone WHERE task_id IN ({_OF_LIST})),"
    " (SELECT coalesce(max(id), 0) + 1 FROM reporting_period)"
    " - (SELECT coalesce(min(id), 0) FROM reporting_period WHERE work_list_id = :old),"
    " (SELECT coalesce(max(id), 0) + 1 FROM progress_report)"
    f" - (SELECT coalesce(min(id), 0) FROM progress_report WHERE task_id IN ({_OF_LIST}))"
)
_SHIFT_NAMES = ("task_shift", "milestone_shift", "period_shift", "report_shift")
# the copies whose rows are audited, as ``CopyStates`` reads them: (code, table, query)
_AUDITED = tuple(
    (code, table, next(c.select for c in COPIES if c.table == table))
    for code, table in sorted(TABLES.items())
)
# a copied task's lead units, cooperating units and measures as its state has them
# (``row_audit.parts_of``), over ``c``, its copy: the original's id is the copy's less the shift
_PARTS = (
    "SELECT group_concat(name, char(29)) FROM (SELECT u.name FROM task_unit u"
    " WHERE u.task_id = c.id - :task_shift AND u.role = 'lead' ORDER BY u.position, u.id)",
    "SELECT group_concat(name, char(29)) FROM (SELECT u.name FROM task_unit u"
    " WHERE u.task_id = c.id - :task_shift AND u.role <> 'lead'"
    " ORDER BY u.role, u.position, u.id)",
    "SELECT group_concat(measure_id, ',') FROM (SELECT l.measure_id FROM task_measure l"
    " WHERE l.task_id = c.id - :task_shift ORDER BY l.position, l.measure_id)",
)


def copy_content(
    session: Session,
    old_id: int,
    new_id: int,
    now: str,
    step: Callable[[int], None] | None = None,
    audit_id: int | None = None,
) -> None:
    """Copy everything under list ``old_id`` into list ``new_id`` (a new version): its tasks
    with their units, measure links and milestones, its reporting periods with their progress,
    its 不适用 marks and accepted warnings — eight ``INSERT … SELECT``, whatever the size,
    every column of each row (but ids and the links to the list, task and period).

    A task's copy keeps its uid (the versions line up by it), position and every field; being
    new, it is stamped ``now``. ``step(i)`` is called before the ``i``-th statement (progress,
    and 取消 between them).

    With ``audit_id`` (the entry the copy is recorded by, the transaction's last), the copies'
    audited states are computed while they are written, on a second connection reading the
    originals (``desktop.db.copy_states``: the other core works while SQLite copies), and
    stored with that entry as each table's are ready. When that cannot be done (no
    write-ahead log, rows already changed in this transaction, the states refused), the
    copies are noted set-based once they are all made, rather than by a trigger per inserted
    row (``row_audit.bulk_inserts``), and the seal computes their states. Either way the same
    states are stored. Called before anything of list ``old_id`` changes in the transaction.
    """
    conn = session.connection()
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    tracking = bool(conn.connection.info.get("row_tracking"))
    params: dict[str, Any] = {"old": old_id, "new": new_id, "now": now}
    shifts = conn.execute(text(_SHIFTS), params).one()
    params.update(zip(_SHIFT_NAMES, shifts, strict=True))
    states = (
        CopyStates.start(cursor, _AUDITED, _PARTS, params, noted=has_notes(conn))
        if tracking and audit_id is not None
        else None
    )
    written: dict[str, int] = {}
    try:
        with bulk_inserts(cursor, tracking):
            for i, copy in enumerate(COPIES):
                if step is not None:
                    step(i)
                written[copy.table] = conn.execute(text(copy.statement), params).rowcount
            if tracking and not (
                states is not None
                and audit_id is not None
                and store_copies(conn, audit_id, new_id, states, written)
            ):
                note_list_rows(cursor, new_id)
    finally:
        if states is not None:
            states.stop()
