"""Edits of a work list and bulk writes send a fixed number of SQL statements.

Each action runs on two offices that differ only in the size of their list (and, for the
notice import, in the number of measures): the number of statements must be the same for
both, and within the bound pinned here. Counted with an SQLAlchemy event, so the figures do
not depend on the machine (timings are the benchmarks' business).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from desktop.core.notice import parse_notice_text
from desktop.core.worklist import TaskRecord
from desktop.db.models import WorkList
from desktop.services import clock
from desktop.services.context import Services, open_office
from desktop.services.demo.office import run_demo
from tests.core.long_notice import notice_text
from tests.services.statements import statements_of

SIZES = (30, 300)  # tasks in the small and the large list
# what sealing a commit adds, whatever the list's size (``services/audit/seal.py``): the rows
# the transaction changed are taken from SQLite's notes and read back (a task with its units
# and measures), their states stored, the notes cleared, the entries chained and the head
# signed
SEAL = 10


# one count for the whole module: the offices are shared by its tests, and a clock that
# started again in each test could give a list the ``updated_at`` it already has
_TICKS = itertools.count(1)


@pytest.fixture(autouse=True)
def ticking_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each reading of the clock is a second later: a list's ``updated_at`` then always
    changes, as it does for a person (SQLAlchemy leaves out an UPDATE that sets the same
    value, so two edits in the same second would send one statement fewer)."""
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(seconds=next(_TICKS)))


@dataclass
class Office:
    services: Services
    list_id: int
    notice_id: int

    def statements(self, action: Callable[[Office], object]) -> int:
        return statements_of(self.services.engine, lambda: action(self))


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Office]]:
    opened: list[Office] = []
    try:
        for size in SIZES:
            services = open_office(tmp_path_factory.mktemp(f"office{size}"))
            result = run_demo(services, tasks=size)
            summary = services.worklists.get(result.list_id)
            opened.append(Office(services, result.list_id, summary.notice_id))
        yield opened
    finally:
        for office in opened:
            office.services.close()


def _same_for_every_size(offices: list[Office], action: Callable[[Office], object]) -> int:
    counts = [office.statements(action) for office in offices]
    assert len(set(counts)) == 1, f"statements grow with the list: {counts}"
    return counts[0]


def _task_of_fixed_shape(office: Office, content: str) -> int:
    """A task with the same units, measure and milestones in every office."""
    measure = office.services.notices.tree(office.notice_id).measures[0].id
    saved = office.services.task_editing.save_task(
        office.list_id,
        TaskRecord(
            number="99",
            content=content,
            target_text="完成",
            lead_units=["县发改局"],
            co_units=["县科技局", "县商务局"],
            measure_ids=[measure],
        ),
    )
    assert saved.id is not None
    return saved.id


def _middle(office: Office) -> int:
    rows = office.services.worklists.rows(office.list_id)
    return rows[len(rows) // 2].id


def _counts(offices: list[Office], prepare: Callable[[Office], object],
            action: Callable[[Office, object], object]) -> list[int]:  # fmt: skip
    """Statements of ``action(office, prepared)`` per office, ``prepare`` not counted."""
    counts = []
    for office in offices:
        prepared = prepare(office)
        counts.append(
            statements_of(office.services.engine, lambda o=office, p=prepared: action(o, p))
        )
    return counts


def _bounded(counts: list[int], bound: int) -> None:
    assert len(set(counts)) == 1, f"statements grow with the list: {counts}"
    assert counts[0] <= bound, counts


def test_moving_a_task_sends_a_fixed_number_of_statements(offices: list[Office]) -> None:
    for delta in (1, -1, 5, -5):
        moves = _counts(
            offices,
            _middle,
            lambda o, task, d=delta: o.services.task_editing.move_task(o.list_id, task, d),
        )
        _bounded(moves, 12 + SEAL)


def test_a_move_changes_only_the_places_it_passes(offices: list[Office]) -> None:
    office = offices[-1]
    rows = office.services.worklists.rows(office.list_id)
    before = {r.id: r.position for r in rows}
    moved = rows[100].id
    office.services.task_editing.move_task(office.list_id, moved, 3)
    after_rows = office.services.worklists.rows(office.list_id)
    after = {r.id: r.position for r in after_rows}
    changed = {tid for tid in before if before[tid] != after[tid]}
    assert changed == {r.id for r in rows[100:104]}
    order = [r.id for r in after_rows]
    expected = [r.id for r in rows]
    expected.insert(103, expected.pop(100))
    assert order == expected


def test_renumbering_sends_a_fixed_number_of_statements(offices: list[Office]) -> None:
    def renumber(office: Office) -> None:
        office.services.task_editing.renumber(office.list_id)

    assert _same_for_every_size(offices, renumber) <= 14 + SEAL
    # a second time nothing changes, and nothing is written but the audit entry
    assert _same_for_every_size(offices, renumber) <= 14 + SEAL


def test_splitting_and_merging_send_a_fixed_number_of_statements(offices: list[Office]) -> None:
    split = _counts(
        offices,
        lambda o: _task_of_fixed_shape(o, "甲项工作。乙项工作"),
        lambda o, task: o.services.task_editing.split_task(
            o.list_id, task, ["甲项工作", "乙项工作", "丙项工作"]
        ),
    )
    # making room moves every later task in one UPDATE, with the tasks' audit trigger lifted
    # around it and the shift noted instead (three statements more), then stored with the
    # change and its note cleared (two more)
    _bounded(split, 24 + SEAL)
    merge = _counts(
        offices,
        lambda o: [_task_of_fixed_shape(o, "合并甲"), _task_of_fixed_shape(o, "合并乙")],
        lambda o, tasks: o.services.task_editing.merge_tasks(o.list_id, tasks),
    )
    _bounded(merge, 32 + SEAL)


def test_marking_a_measure_not_applicable_sends_a_fixed_number(offices: list[Office]) -> None:
    def last_measure(office: Office) -> int:
        return office.services.notices.tree(office.notice_id).measures[-1].id

    marked = _counts(
        offices,
        last_measure,
        lambda o, m: o.services.task_editing.set_not_applicable(o.list_id, m, "本地无此产业"),
    )
    _bounded(marked, 11 + SEAL)
    cleared = _counts(
        offices,
        last_measure,
        lambda o, m: o.services.task_editing.clear_not_applicable(o.list_id, m),
    )
    _bounded(cleared, 11 + SEAL)


def test_the_draft_writes_its_tasks_in_a_fixed_number_of_statements(
    offices: list[Office],
) -> None:
    """Tasks of the first measures are deleted, then the draft proposes them again and puts
    them back in notice order among the rest of the list."""
    counts = []
    for office in offices:
        editing = office.services.task_editing
        tree = office.services.notices.tree(office.notice_id)
        first = {m.id for m in tree.measures[:3]}
        rows = office.services.worklists.rows(office.list_id)
        editing.delete_tasks(
            office.list_id, [r.id for r in rows if r.measure_ids and r.measure_ids[0] in first]
        )
        for measure in first:
            editing.clear_not_applicable(office.list_id, measure)
        before = len(office.services.worklists.rows(office.list_id))
        counts.append(
            statements_of(
                office.services.engine,
                lambda o=office: o.services.task_editing.generate_draft(o.list_id),
            )
        )
        rows = office.services.worklists.rows(office.list_id)
        assert len(rows) > before
        assert [r.position for r in rows] == sorted({r.position for r in rows})
        heads = [r.measure_ids[0] for r in rows if r.measure_ids]
        drafted = sum(1 for h in heads if h in first)
        assert drafted and set(heads[:drafted]) <= first  # back in notice order, at the top
    assert len(set(counts)) == 1 and counts[0] <= 30 + SEAL, counts


def test_a_new_version_copies_the_list_in_a_fixed_number_of_statements(
    offices: list[Office],
) -> None:
    counts = []
    for office in offices:
        with office.services.sessions.begin() as session:
            wl = session.get(WorkList, office.list_id)
            assert wl is not None
            wl.state = "submitted"
        old_rows = office.services.worklists.rows(office.list_id)
        old_periods = office.services.progress.periods(office.list_id)
        new_ids: list[int] = []

        def new_version(o: Office = office, ids: list[int] = new_ids) -> None:
            ids.append(o.services.list_lifecycle.new_version(o.list_id).id)

        counts.append(statements_of(office.services.engine, new_version))
        new_rows = office.services.worklists.rows(new_ids[0])
        strip = lambda r: (r.uid, r.number, r.position, r.content, r.lead_units, r.co_units,  # noqa: E731
                           r.deadline, r.milestones, r.closed_on)  # fmt: skip
        assert [strip(r) for r in new_rows] == [strip(r) for r in old_rows]
        old_ids = {r.uid: r.id for r in old_rows}
        for period in old_periods:
            old = office.services.progress.rows(office.list_id, period.id)
            new_period = next(
                p for p in office.services.progress.periods(new_ids[0]) if p.key == period.key
            )
            new = office.services.progress.rows(new_ids[0], new_period.id)
            assert [(r.number, r.content, r.entry.percent, r.entry.text) for r in new] == [
                (r.number, r.content, r.entry.percent, r.entry.text) for r in old
            ]
        assert old_ids
        office.list_id = new_ids[0]
    # one SELECT tells the ids the copies take, eight INSERT … SELECT copy the list; its
    # rows' states, computed meanwhile on a second connection (with a fixed number of reads
    # of its own: ``desktop.db.copy_states``), are stored by one INSERT … SELECT per table
    # after one SELECT of where they go, and checked at the seal by one more
    assert len(set(counts)) == 1 and counts[0] <= 21 + SEAL, counts


@pytest.mark.parametrize("replace", [False, True], ids=["import", "re-import"])
def test_importing_a_notice_sends_a_fixed_number_of_statements(
    tmp_path: Path, replace: bool
) -> None:
    counts = []
    for measures in (20, 200):
        services = open_office(tmp_path / f"office{measures}")
        try:
            parsed = parse_notice_text(notice_text(measures))
            assert len(parsed.measures) == measures
            if replace:
                services.notices.import_parsed(parsed)
                parsed = parse_notice_text(notice_text(measures, seed=17))
            counts.append(
                statements_of(
                    services.engine,
                    lambda s=services, p=parsed: s.notices.import_parsed(p, replace=replace),
                )
            )
            tree = services.notices.tree(services.notices.find_id(parsed.doc_number or ""))
            assert [m.code for m in tree.measures] == [m.code for m in parsed.measures]
            assert [m.units for m in tree.measures] == [tuple(m.units) for m in parsed.measures]
        finally:
            services.close()
    assert len(set(counts)) == 1 and counts[0] <= 30 + SEAL, counts


def test_a_move_among_shared_places_still_lands_where_asked(offices: list[Office]) -> None:
    """Two tasks on one place (an older program could leave that): handing places round
    would not move anything, so the list's places are numbered anew."""
    from sqlalchemy import update

    from desktop.db.models import Task

    office = offices[0]
    rows = office.services.worklists.rows(office.list_id)
    a, b, c = rows[3], rows[4], rows[5]
    with office.services.sessions.begin() as session:
        session.execute(update(Task).where(Task.id == b.id).values(position=a.position))
    before = [r.id for r in office.services.worklists.rows(office.list_id)]
    office.services.task_editing.move_task(office.list_id, c.id, -1)
    after = [r.id for r in office.services.worklists.rows(office.list_id)]
    expected = list(before)
    i = expected.index(c.id)
    expected.insert(i - 1, expected.pop(i))
    assert after == expected
    positions = [r.position for r in office.services.worklists.rows(office.list_id)]
    assert len(set(positions)) == len(positions)


def test_adding_a_unit_from_the_picker_sends_a_fixed_number_of_statements(
    offices: list[Office],
) -> None:
    names = iter(("县低空经济办", "县低空经济办二"))
    count = _same_for_every_size(offices, lambda o: o.services.units.add_unit(next(names)))
    # the names, the last place, the insert, the unmapped entries, the office, the audit
    # chain and its seal of the rows changed (current and deleted rows read in one join)
    assert count == 13, count
    assert all(o.services.units.unit_names()[-1].startswith("县低空经济办") for o in offices)
