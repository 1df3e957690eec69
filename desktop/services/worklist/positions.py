"""Where a list's tasks stand: the order (position, then id), the neighbours a move passes,
and the measure each task serves first (which orders the draft and the numbering)."""

from __future__ import annotations

from sqlalchemy import Connection, ScalarSelect, literal, select, tuple_, update
from sqlalchemy.orm import Session

from desktop.db.models import Task, TaskMeasure
from desktop.db.row_audit import shifted_positions


def first_measure() -> ScalarSelect[int]:
    """The measure a task serves first (its place in the notice orders the list)."""
    return (
        select(TaskMeasure.measure_id)
        .where(TaskMeasure.task_id == Task.id)
        .order_by(TaskMeasure.position)
        .limit(1)
        .scalar_subquery()
    )


def numbered_order(conn: Connection, list_id: int) -> list[tuple[int, str, int | None]]:
    """(id, number, first measure) of every task of the list, in list order.

    Two plain reads through the driver, joined here: for 20,000 tasks a subquery per task,
    or ORM rows, cost more than the rows themselves. They go through ``exec_driver_sql``,
    so SQLAlchemy's events count them; the rows are taken from the cursor as they are."""
    first: dict[int, tuple[int, int]] = {}
    links = conn.exec_driver_sql(
        "SELECT tm.task_id, tm.measure_id, tm.position FROM task_measure tm"
        " JOIN task t ON t.id = tm.task_id WHERE t.work_list_id = ?",
        (list_id,),
    )
    for tid, mid, pos in links.cursor.fetchall():
        found = first.get(tid)
        if found is None or pos < found[1]:
            first[tid] = (mid, pos)
    tasks = conn.exec_driver_sql(
        "SELECT id, number FROM task WHERE work_list_id = ? ORDER BY position, id", (list_id,)
    )
    return [
        (tid, number, found[0] if (found := first.get(tid)) else None)
        for tid, number in tasks.cursor.fetchall()
    ]


def make_room(session: Session, list_id: int, after: int, places: int) -> None:
    """Move every task of the list placed after ``after`` on by ``places``, in one UPDATE.
    The audit log notes the shift as a whole, not each task it moves
    (``row_audit.shifted_positions``): making room costs the same in any list."""
    with shifted_positions(session.connection(), list_id, after, places):
        session.execute(
            update(Task)
            .where(Task.work_list_id == list_id, Task.position > after)
            .values(position=Task.position + places)
        )


def list_order(session: Session, list_id: int) -> list[tuple[int, int]]:
    """(id, position) of every task of the list, in list order."""
    return [
        (tid, pos)
        for tid, pos in session.execute(
            select(Task.id, Task.position)
            .where(Task.work_list_id == list_id)
            .order_by(Task.position, Task.id)
        ).all()
    ]


def tied(session: Session, list_id: int, places: list[int], ids: list[int]) -> bool:
    """Whether two of the tasks ``ids`` share a place, or another task of the list has one of
    their ``places`` (then handing the places round would not give the order wanted)."""
    if len(set(places)) < len(places):
        return True
    other = session.execute(
        select(Task.id)
        .where(Task.work_list_id == list_id, Task.position.in_(places), Task.id.not_in(ids))
        .limit(1)
    ).first()
    return other is not None


def neighbours(session: Session, list_id: int, task: Task, delta: int) -> list[tuple[int, int]]:
    """(id, position) of the up to ``|delta|`` tasks a move of ``task`` by ``delta`` passes,
    nearest first (list order is position, then id)."""
    if delta == 0:
        return []
    here = tuple_(Task.position, Task.id)
    at = tuple_(literal(task.position), literal(task.id))
    query = select(Task.id, Task.position).where(Task.work_list_id == list_id)
    if delta > 0:
        query = query.where(here > at).order_by(Task.position, Task.id)
    else:
        query = query.where(here < at).order_by(Task.position.desc(), Task.id.desc())
    return [(tid, pos) for tid, pos in session.execute(query.limit(abs(delta))).all()]
