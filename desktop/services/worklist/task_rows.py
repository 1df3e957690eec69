"""The rows of a list's tasks, read with plain column queries (no ORM objects).

The list screen shows every task of a list at once and a ledger prints them all; building
ORM objects for 20,000 tasks would take seconds, so rows are read with a handful of column
queries (``desktop.services.reading.Read``) and assembled here. This module loads no
SQLAlchemy: the read-only ledger command uses it over a plain connection.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from desktop.core.gc_pause import paused_gc
from desktop.services.reading import Read

__all__ = ["TaskRow", "paused_gc", "read_task_rows", "task_measures", "task_units"]


@dataclass(frozen=True)
class TaskRow:
    """One row of the list screen's table."""

    id: int
    uid: str
    number: str
    position: int
    content: str
    target_text: str
    lead_units: tuple[str, ...]
    co_units: tuple[str, ...]
    deadline: date | None
    start_on: date | None
    leader: str
    person: str
    phone: str
    remarks: str
    measure_ids: tuple[int, ...]
    milestones: int
    closed_on: date | None
    problems: tuple[str, ...]

    @property
    def lead_text(self) -> str:
        return "、".join(self.lead_units)

    @property
    def co_text(self) -> str:
        return "、".join(self.co_units)


_new_object = object.__new__
_set_attribute = object.__setattr__


def _task_row(fields: dict[str, object]) -> TaskRow:
    """``TaskRow(**fields)``, made in one step: a frozen dataclass's ``__init__`` sets
    each of its 18 fields through ``object.__setattr__``, a fifth of reading a list's rows.
    The row is the same object its ``__init__`` makes (its fields in its ``__dict__``;
    ``TaskRow`` has no ``__post_init__`` and no slots — a test holds both)."""
    row = _new_object(TaskRow)
    _set_attribute(row, "__dict__", fields)
    return row


def _problems(
    lead: tuple[str, ...], deadline: date | None, target: str, value: str | None, year: int
) -> tuple[str, ...]:
    out = []
    if not lead:
        out.append("缺牵头单位")
    if deadline is None:
        out.append("缺完成时限")
    elif deadline.year != year:
        out.append("时限不在本年度")
    if not target.strip() and value is None:
        out.append("缺目标指标")
    return tuple(out)


def task_units(
    read: Read, where: str, params: Sequence[object]
) -> dict[int, tuple[list[str], list[str]]]:
    """Per task of ``task t WHERE {where}``, its lead and co-operating units in their order
    (a task without units is left out)."""
    units: dict[int, tuple[list[str], list[str]]] = {}
    for task_id, role, name in read(
        f"SELECT u.task_id, u.role, u.name FROM task t JOIN task_unit u ON u.task_id = t.id"
        f" WHERE {where} ORDER BY u.task_id, u.position",
        params,
    ):
        pair = units.get(task_id)
        if pair is None:
            pair = units[task_id] = ([], [])
        pair[0 if role == "lead" else 1].append(name)
    return units


def task_measures(read: Read, where: str, params: Sequence[object]) -> dict[int, list[int]]:
    """Per task of ``task t WHERE {where}``, the measures it serves in their order (the
    first is the one it is listed under; a task of none is left out)."""
    measures: dict[int, list[int]] = {}
    for task_id, measure_id in read(
        f"SELECT m.task_id, m.measure_id FROM task t JOIN task_measure m ON m.task_id = t.id"
        f" WHERE {where} ORDER BY m.task_id, m.position",
        params,
    ):
        found = measures.get(task_id)
        if found is None:
            measures[task_id] = [measure_id]
        else:
            found.append(measure_id)
    return measures


def read_task_rows(
    read: Read,
    list_id: int,
    task_ids: Collection[int] | None = None,
    *,
    milestone_counts: Mapping[int, int] | None = None,
) -> list[TaskRow]:
    """The rows of a list in list order (only ``task_ids`` when given).

    Core queries on the session's connection, one per child table, fetched whole and
    assembled in plain loops: 20,000 rows in about a quarter of a second, where ORM objects
    took seconds. ``milestone_counts``: the tasks' numbers of milestones, from a caller
    that has read the list's milestones already (else counted here).
    """
    with paused_gc():
        return _task_rows(read, list_id, task_ids, milestone_counts)


def _task_rows(
    read: Read,
    list_id: int,
    task_ids: Collection[int] | None,
    milestone_counts: Mapping[int, int] | None,
) -> list[TaskRow]:
    # plain SQL: SQLAlchemy's row objects and date processing cost more than the queries for
    # 20,000 tasks (through a session, ``session_read``: its events still see each one)
    year = read("SELECT year FROM work_list WHERE id = ?", (list_id,))[0][0]
    where, params = "t.work_list_id = ?", [list_id]
    if task_ids is not None:
        ids = list(task_ids)
        where += f" AND t.id IN ({', '.join('?' * len(ids))})"
        params += ids
    units = task_units(read, where, params)
    measures = task_measures(read, where, params)
    milestones: Mapping[int, int]
    if milestone_counts is None:
        milestones = dict(
            read(
                f"SELECT m.task_id, count(*) FROM task t JOIN milestone m ON m.task_id = t.id"
                f" WHERE {where} GROUP BY m.task_id",
                params,
            )
        )
    else:
        milestones = milestone_counts
    # dates as SQLAlchemy stores them (ISO text), parsed once per distinct value
    parsed: dict[str | None, date | None] = {None: None}

    def day(text: str | None) -> date | None:
        found = parsed.get(text)
        if found is None and text not in parsed:
            found = parsed[text] = date.fromisoformat(text)  # type: ignore[arg-type]
        return found

    rows = []
    no_units: tuple[list[str], list[str]] = ([], [])
    for (
        tid,
        uid,
        number,
        position,
        content,
        target_text,
        target_value,
        deadline_text,
        start_text,
        leader,
        person,
        phone,
        remarks,
        closed_text,
    ) in read(
        "SELECT t.id, t.uid, t.number, t.position, t.content, t.target_text, t.target_value,"
        " t.deadline, t.start_on, t.leader, t.person, t.phone, t.remarks, t.closed_on"
        f" FROM task t WHERE {where} ORDER BY t.position, t.id",
        params,
    ):
        lead_list, co_list = units.get(tid, no_units)
        lead = tuple(lead_list)
        deadline = day(deadline_text)
        rows.append(
            _task_row(
                {
                    "id": tid,
                    "uid": uid,
                    "number": number,
                    "position": position,
                    "content": content,
                    "target_text": target_text,
                    "lead_units": lead,
                    "co_units": tuple(co_list),
                    "deadline": deadline,
                    "start_on": day(start_text),
                    "leader": leader,
                    "person": person,
                    "phone": phone,
                    "remarks": remarks,
                    "measure_ids": tuple(measures.get(tid, ())),
                    "milestones": milestones.get(tid, 0),
                    "closed_on": day(closed_text),
                    "problems": _problems(lead, deadline, target_text, target_value, year),
                }
            )
        )
    return rows
