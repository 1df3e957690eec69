"""Writes of many rows are audited set-based, and ``db check`` still names any row edited
outside the program.

A split, a task added after another and an undone delete move every later task on by the same
number of places in one statement; the audit log stores that shift (list, after which place,
by how many) instead of the state of each task it moved, and ``db check`` takes the shifts
back before it compares a task with its last audited state. A new version copies every row
of the list; their states are computed and stored in one statement at commit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.worklist import TaskRecord
from desktop.db import row_audit
from desktop.db.models import WorkList
from desktop.db.row_audit import SHIFT, TASK, unshift
from desktop.services.context import Services, open_office
from desktop.services.demo.office import run_demo


@pytest.fixture
def office(tmp_path: Path) -> Iterator[tuple[Services, int]]:
    services = open_office(tmp_path / "office")
    try:
        result = run_demo(services, tasks=24)
        yield services, result.list_id
    finally:
        services.close()


def _sql(services: Services, statement: str, *params: object) -> None:
    """An edit made with another tool: a connection of its own, no notes, no audit."""
    conn = sqlite3.connect(services.data_dir.db_path)
    try:
        with conn:
            conn.execute(statement, params)
    finally:
        conn.close()


def _read(services: Services, statement: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(services.data_dir.db_path)
    try:
        return conn.execute(statement, params).fetchall()
    finally:
        conn.close()


def _order(services: Services, list_id: int) -> list[tuple[int, int]]:
    """(id, position) of the list's tasks, in list order."""
    return [(r.id, r.position) for r in services.worklists.rows(list_id)]


def _split_third(services: Services, list_id: int, pieces: int = 3) -> tuple[int, list[int]]:
    """Split the third task; its id and the ids of the tasks after it (which moved)."""
    order = _order(services, list_id)
    task, later = order[2][0], [tid for tid, _ in order[3:]]
    services.task_editing.split_task(list_id, task, [f"第{i}部分" for i in range(pieces)])
    return task, later


def test_a_split_stores_one_shift_not_a_state_per_moved_task(
    office: tuple[Services, int],
) -> None:
    services, list_id = office
    before = _read(services, "SELECT max(id) FROM audit_row")[0][0]
    split, later = _split_third(services, list_id)
    written = _read(services, "SELECT tbl, row_id, hints FROM audit_row WHERE id > ?", before)
    moved = [row_id for tbl, row_id, _ in written if tbl == TASK and row_id in later]
    assert moved == []
    shifts = [(row_id, hints) for tbl, row_id, hints in written if tbl == SHIFT]
    position = _read(services, "SELECT position FROM task WHERE id = ?", split)[0][0]
    assert shifts == [(list_id, f"{position},2".encode())]
    assert len(later) > 10  # the list is long enough for the shift to matter
    assert services.maintenance.check() == []


def test_every_way_of_making_room_leaves_a_list_db_check_accepts(
    office: tuple[Services, int],
) -> None:
    services, list_id = office
    editing = services.task_editing
    _split_third(services, list_id)
    first = _order(services, list_id)[0][0]
    added = editing.save_task(list_id, TaskRecord(number="88", content="插入的任务"), after=first)
    assert added.id is not None
    editing.move_task(list_id, added.id, 5)  # moved tasks get their own states again
    _split_third(services, list_id, pieces=2)
    # a delete undone after its places were filled: one shift per task put back
    order = _order(services, list_id)
    deleted = editing.delete_tasks(list_id, [order[1][0], order[4][0]])
    editing.save_task(list_id, TaskRecord(number="77", content="占位"), after=order[0][0])
    editing.restore_tasks(deleted)
    after = _order(services, list_id)
    assert [p for _, p in after] == sorted(p for _, p in after)
    assert services.maintenance.check() == []
    # a new version copies the list as it stands; making room in the copy is audited alike
    with services.sessions.begin() as session:
        wl = session.get(WorkList, list_id)
        assert wl is not None
        wl.state = "submitted"
    copy = services.list_lifecycle.new_version(list_id).id
    _split_third(services, copy)
    assert services.maintenance.check() == []


def test_a_position_changed_outside_the_program_is_named(office: tuple[Services, int]) -> None:
    services, list_id = office
    _, later = _split_third(services, list_id)
    _split_third(services, list_id, pieces=2)
    moved = later[5]
    _sql(services, "UPDATE task SET position = position + 1 WHERE id = ?", moved)
    problems = services.maintenance.check()
    assert len(problems) == 1, problems
    assert f"任务表（task）第 {moved} 行" in problems[0] and "position" in problems[0]


def test_a_task_put_back_where_it_stood_before_a_shift_is_named(
    office: tuple[Services, int],
) -> None:
    """The room a shift made holds no task older than the shift: a moved task set back to
    its old place by SQL cannot pass for one that never moved."""
    services, list_id = office
    _, later = _split_third(services, list_id)
    moved = later[0]
    old_place = _order(services, list_id)[2][1] + 1  # where it stood: next to the split task
    _sql(services, "UPDATE task SET position = ? WHERE id = ?", old_place, moved)
    problems = services.maintenance.check()
    assert len(problems) == 1, problems
    assert f"任务表（task）第 {moved} 行" in problems[0] and "position" in problems[0]


def test_a_shift_made_outside_the_program_names_every_task_it_moved(
    office: tuple[Services, int],
) -> None:
    services, list_id = office
    _split_third(services, list_id)
    order = _order(services, list_id)
    after = order[-4][1]
    _sql(
        services,
        "UPDATE task SET position = position + 2 WHERE work_list_id = ? AND position > ?",
        list_id,
        after,
    )
    problems = services.maintenance.check()
    named = {tid for tid, _ in order[-3:]}
    assert len(problems) == len(named), problems
    for tid in named:
        assert any(f"第 {tid} 行的" in p and "position" in p for p in problems), problems


def test_a_forged_shift_is_found(office: tuple[Services, int]) -> None:
    """A shift rewritten to hide a position edit breaks the digest its entry recorded."""
    services, list_id = office
    _split_third(services, list_id)
    _sql(services, "UPDATE audit_row SET hints = CAST('0,3' AS BLOB) WHERE tbl = ?", SHIFT)
    problems = services.maintenance.check()
    assert any("所记的数据状态被改动过" in p for p in problems), problems


def test_states_computed_out_of_the_stored_order_are_read_back(
    office: tuple[Services, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should SQLite ever compute the states in another order than it stores them, the
    entry's digest is taken from the states as stored, which is what ``db check`` reads."""
    services, list_id = office
    monkeypatch.setattr(row_audit, "pairwise", lambda _made: [((1, 2), (1, 1))])
    _split_third(services, list_id)
    order = _order(services, list_id)
    services.task_editing.delete_tasks(list_id, [order[0][0]])  # a gone row's state too
    assert services.maintenance.check() == []


@pytest.mark.parametrize(
    ("position", "shifts", "before"),
    [
        (7, [(4, 2)], 5),  # moved on by 2 from 5
        (4, [(4, 2)], 4),  # at the place after which room was made: not moved
        (6, [(4, 2)], None),  # in the room made: no task older than the shift stands there
        (5, [(4, 2)], None),
        (10, [(4, 2), (6, 1)], 7),  # 7 → 9 → 10
        (8, [(4, 2), (8, 1)], 6),  # 6 → 8, then not moved by the second
        (9, [(4, 2), (8, 1)], None),  # in the room the second made
        (3, [(4, 2), (8, 1)], 3),
        (8, [(4, 2), (7, 2)], None),  # in the room the second made
        (7, [(4, 2), (7, 2)], 5),  # not moved by the second, moved on from 5 by the first
    ],
)
def test_unshift_takes_the_shifts_back_newest_first(
    position: int, shifts: list[tuple[int, int]], before: int | None
) -> None:
    assert unshift(position, shifts) == before


COPIED_EDITS = [
    ("UPDATE task SET content = '改过的任务' WHERE id = ?", "task", "content"),
    ("UPDATE task SET position = position + 5 WHERE id = ?", "task", "position"),
    (
        "UPDATE task_unit SET name = '某某局' WHERE id ="
        " (SELECT min(id) FROM task_unit WHERE task_id = ?)",
        "task",
        "units",
    ),
    (
        "UPDATE milestone SET percent = 7 WHERE id = (SELECT min(id) FROM milestone"
        " WHERE task_id IN (SELECT id FROM task WHERE work_list_id = (SELECT work_list_id"
        " FROM task WHERE id = ?)))",
        "milestone",
        "percent",
    ),
    (
        "UPDATE progress_report SET percent = 99 WHERE id = (SELECT max(id) FROM"
        " progress_report WHERE task_id IN (SELECT id FROM task WHERE work_list_id ="
        " (SELECT work_list_id FROM task WHERE id = ?)))",
        "progress_report",
        "percent",
    ),
    (
        "DELETE FROM milestone WHERE id = (SELECT max(id) FROM milestone WHERE task_id IN"
        " (SELECT id FROM task WHERE work_list_id = (SELECT work_list_id FROM task"
        " WHERE id = ?)))",
        "milestone",
        "被删除",
    ),
]


@pytest.mark.parametrize(
    ("statement", "table", "named"),
    COPIED_EDITS,
    ids=["task field", "position", "unit", "milestone", "progress", "deleted"],
)
def test_a_direct_edit_of_a_copied_row_is_named(
    office: tuple[Services, int], statement: str, table: str, named: str
) -> None:
    """The rows of a new version are sealed set-based, in one statement: each one's state is
    stored all the same, so an edit of a copy (not of its original) is found and named."""
    services, list_id = office
    _split_third(services, list_id)  # a shift before the copy, taken back for the original
    with services.sessions.begin() as session:
        wl = session.get(WorkList, list_id)
        assert wl is not None
        wl.state = "submitted"
    copy = services.list_lifecycle.new_version(list_id).id
    assert services.maintenance.check() == []
    copied = [tid for tid, _ in _order(services, copy)]
    originals = {tid for tid, _ in _order(services, list_id)}
    assert len(copied) == len(originals) and not originals & set(copied)
    _sql(services, statement, copied[7])
    problems = services.maintenance.check()
    assert len(problems) == 1, problems
    assert f"（{table}）第" in problems[0] and named in problems[0], problems
    row = int(problems[0].split("第 ")[1].split(" 行")[0])
    own = {
        "task": "SELECT work_list_id FROM task WHERE id = ?",
        "milestone": "SELECT t.work_list_id FROM milestone m JOIN task t ON t.id = m.task_id"
        " WHERE m.id = ?",
        "progress_report": "SELECT t.work_list_id FROM progress_report p JOIN task t"
        " ON t.id = p.task_id WHERE p.id = ?",
    }[table]
    found = _read(services, own, row)
    assert named == "被删除" or found == [(copy,)]  # a row of the copy, not of the original
