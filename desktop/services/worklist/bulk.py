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
from datetime import date
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from desktop.core.worklist import TaskRecord
from desktop.db.models import Base
from desktop.db.row_audit import bulk_inserts, note_list_rows

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


# old task id → new task id: the copy in list :new with the same uid as the task in list :old
_PAIRS = "FROM task o JOIN task n ON n.work_list_id = :new AND n.uid = o.uid"


def _columns(table: str, *, skip: tuple[str, ...] = ("id",)) -> list[str]:
    """Every column of ``table`` but ``skip``, from the models: a column added later is
    copied too, never left behind."""
    return [f'"{c.name}"' for c in Base.metadata.tables[table].columns if c.name not in skip]


def _copy_statements() -> list[str]:
    """The ``INSERT … SELECT`` statements of ``copy_content``, in order (parents first)."""
    out = []
    task = _columns("task", skip=("id", "work_list_id", "created_at", "updated_at"))
    out.append(
        f"INSERT INTO task (work_list_id, created_at, updated_at, {', '.join(task)}) "
        f"SELECT :new, :now, :now, {', '.join(task)} FROM task WHERE work_list_id = :old "
        "ORDER BY id"
    )
    for child, alias in (("task_unit", "u"), ("task_measure", "l"), ("milestone", "m")):
        cols = _columns(child, skip=("id", "task_id"))
        picked = ", ".join(f"{alias}.{c}" for c in cols)
        out.append(
            f"INSERT INTO {child} (task_id, {', '.join(cols)}) SELECT n.id, {picked} {_PAIRS} "
            f"JOIN {child} {alias} ON {alias}.task_id = o.id WHERE o.work_list_id = :old "
            f"ORDER BY n.id, {alias}.rowid"
        )
    period = _columns("reporting_period", skip=("id", "work_list_id"))
    out.append(
        f"INSERT INTO reporting_period (work_list_id, {', '.join(period)}) "
        f"SELECT :new, {', '.join(period)} FROM reporting_period WHERE work_list_id = :old "
        "ORDER BY id"
    )
    report = _columns("progress_report", skip=("id", "task_id", "period_id"))
    out.append(
        f"INSERT INTO progress_report (task_id, period_id, {', '.join(report)}) "
        f"SELECT n.id, np.id, {', '.join('r.' + c for c in report)} {_PAIRS} "
        "JOIN progress_report r ON r.task_id = o.id "
        "JOIN reporting_period op ON op.id = r.period_id "
        "JOIN reporting_period np ON np.work_list_id = :new AND np.key = op.key "
        "WHERE o.work_list_id = :old ORDER BY r.id"
    )
    for table in ("measure_exclusion", "check_note"):
        cols = _columns(table, skip=("id", "work_list_id"))
        out.append(
            f"INSERT INTO {table} (work_list_id, {', '.join(cols)}) "
            f"SELECT :new, {', '.join(cols)} FROM {table} WHERE work_list_id = :old ORDER BY id"
        )
    return out


COPY_STATEMENTS = tuple(_copy_statements())


def copy_content(
    session: Session,
    old_id: int,
    new_id: int,
    now: str,
    step: Callable[[int], None] | None = None,
) -> None:
    """Copy everything under list ``old_id`` into list ``new_id`` (a new version): its tasks
    with their units, measure links and milestones, its reporting periods with their progress,
    its 不适用 marks and accepted warnings — eight ``INSERT … SELECT``, whatever the size,
    every column of each row (but ids and the links to the list, task and period).

    A task's copy keeps its uid (the versions line up by it), position and every field; being
    new, it is stamped ``now``. Copies are matched to their originals by uid, periods by key.
    ``step(i)`` is called before the ``i``-th statement (progress, and 取消 between them).
    The copies are noted for the audit log set-based once they are all made, rather than by
    a trigger per inserted row (``row_audit.bulk_inserts``).
    """
    conn = session.connection()
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    tracking = bool(conn.connection.info.get("row_tracking"))
    params = {"old": old_id, "new": new_id, "now": now}
    with bulk_inserts(cursor, tracking):
        for i, statement in enumerate(COPY_STATEMENTS):
            if step is not None:
                step(i)
            conn.execute(text(statement), params)
        if tracking:
            note_list_rows(cursor, new_id)
