"""A new version's copies have their states computed on a second connection while SQLite
copies them (``desktop.db.copy_states``), and the seal stores those states as given.

Whichever way the states are made — handed over, or computed at the seal when they cannot
be handed over or no longer hold — the stored states must be the copies' own: ``db check``
recomputes every row's state from what the row holds and must find nothing, and the same
list copied both ways stores the same states for the same rows.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from desktop.core.reports import Cancelled
from desktop.db import copy_states, row_audit
from desktop.db.copy_states import CopyStates
from desktop.db.models import WorkList
from desktop.services.audit import log as audit
from desktop.services.context import Services, open_office
from desktop.services.demo.office import run_demo
from desktop.services.worklist import bulk, lifecycle
from desktop.services.worklist.lifecycle import copy_list


@pytest.fixture(scope="module")
def demo_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("copy-states") / "office"
    services = open_office(folder)
    try:
        list_id = run_demo(services, tasks=30).list_id
        with services.sessions.begin() as session:
            wl = session.get(WorkList, list_id)
            assert wl is not None
            wl.state = "submitted"
    finally:
        services.close()
    return folder


@pytest.fixture
def office(demo_office: Path, tmp_path: Path) -> Iterator[tuple[Services, int]]:
    folder = tmp_path / "office"
    shutil.copytree(demo_office, folder)
    services = open_office(folder)
    try:
        found = services.worklists.find_own(2027)
        assert found is not None
        yield services, found.id
    finally:
        services.close()


class Spy:
    """Whether the copies' states were stored as the second connection told them (True),
    refused (False); nothing when it was not asked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.results: list[bool] = []
        store = bulk.store_copies

        def spied(*args: Any) -> bool:
            stored = store(*args)
            self.results.append(stored)
            return stored

        monkeypatch.setattr(bulk, "store_copies", spied)


def _entry(session: Any, list_id: int) -> int:
    """An entry recording a copy, as ``new_version`` records one before copying."""
    return audit.record(
        session, operator="测试", action="new_version", entity="work_list", entity_id=list_id
    ).id


def _states(services: Services, list_id: int) -> dict[tuple[int, int], tuple[bytes, bytes]]:
    """The latest stored state of each task, milestone and progress row of list
    ``list_id``, by (table, position of the row among its table's rows of the list)."""
    conn = sqlite3.connect(services.data_dir.db_path)
    try:
        out = {}
        for code, rows in row_audit.LIST_ROWS:
            ids = [r[0] for r in conn.execute(f"{rows} ORDER BY 1", (list_id,))]
            for n, row_id in enumerate(ids):
                digest, hints = conn.execute(
                    "SELECT digest, hints FROM audit_row WHERE tbl = ? AND row_id = ?"
                    " ORDER BY id DESC LIMIT 1",
                    (code, row_id),
                ).fetchone()
                out[(code, n)] = (digest, hints)
        return out
    finally:
        conn.close()


def test_a_new_version_stores_the_states_computed_alongside(
    office: tuple[Services, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    services, list_id = office
    spy = Spy(monkeypatch)
    new_id = services.list_lifecycle.new_version(list_id).id
    assert spy.results == [True]  # stored as computed alongside, not noted
    assert services.maintenance.check() == []
    copied = _states(services, new_id)
    assert len(copied) > 30  # tasks, milestones and progress
    # every copied row has a state of its own, stored once, with the entry of the version
    conn = sqlite3.connect(services.data_dir.db_path)
    try:
        entries = conn.execute(
            "SELECT count(DISTINCT audit_id), count(*) FROM audit_row WHERE audit_id ="
            " (SELECT max(audit_id) FROM audit_row)"
        ).fetchone()
    finally:
        conn.close()
    assert entries == (1, len(copied))


def _copied_both_ways(
    demo_office: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edits: tuple[str, ...] = (),
) -> list[tuple[dict[tuple[int, int], tuple[bytes, bytes]], list[bool]]]:
    """The demo list, changed by ``edits``, copied at the same moment in two copies of the
    office: with the states computed alongside, then with them computed at the seal. Per
    way, the states stored and whether they were stored as computed alongside (``Spy``)."""
    monkeypatch.setattr(lifecycle, "now_text", lambda: "2027-03-01T09:00:00")
    out = []
    for alongside in (True, False):
        folder = tmp_path / f"office-{alongside}"
        shutil.copytree(demo_office, folder)
        spy = Spy(monkeypatch)
        if not alongside:
            monkeypatch.setattr(CopyStates, "start", classmethod(lambda cls, *a, **k: None))
        services = open_office(folder)
        try:
            with services.sessions.begin() as session:
                for edit in edits:
                    session.execute(text(edit))
            found = services.worklists.find_own(2027)
            assert found is not None
            new_id = services.list_lifecycle.new_version(found.id).id
            assert services.maintenance.check() == []
            out.append((_states(services, new_id), spy.results))
        finally:
            services.close()
    return out


def test_states_handed_over_equal_those_computed_at_the_seal(
    demo_office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same list copied twice at the same moment, once with the states handed over and
    once computed at the seal, stores the same digest and hints for the same rows."""
    (handed, results), (sealed, none) = _copied_both_ways(demo_office, tmp_path, monkeypatch)
    assert results == [True] and none == []
    assert handed == sealed


_AWKWARD = (
    # fields the second connection hands over as bytes: NULLs, empty text, text beyond
    # the BMP and with the separators of a state in it
    "UPDATE task SET target_value = NULL, deadline = NULL, remarks = '',"
    " content = content || '𠀀' || char(31) || char(30) || char(29)"
    " WHERE id = (SELECT min(id) FROM task)",
    "UPDATE milestone SET percent = NULL WHERE id = (SELECT min(id) FROM milestone)",
    # units in an order other than their ids', two leads, and a task without any
    "INSERT INTO task_unit (task_id, role, name, position) SELECT t.id, r.role, r.name,"
    " r.position FROM (SELECT max(id) AS id FROM task) t, (SELECT 'co' AS role, '丙局' AS name,"
    " 0 AS position UNION ALL SELECT 'co', '乙局', 1 UNION ALL SELECT 'co', '甲局', -1"
    " UNION ALL SELECT 'lead', '丁局', -5) r",
    "DELETE FROM task_unit WHERE task_id = (SELECT min(id) FROM task)",
    # measures in an order other than their ids'
    "UPDATE task_measure SET position = 100 - measure_id"
    " WHERE task_id = (SELECT max(id) FROM task)",
    "INSERT OR IGNORE INTO task_measure (task_id, measure_id, position)"
    " SELECT (SELECT max(id) FROM task), id, 100 - id FROM measure LIMIT 3",
)


@pytest.mark.parametrize(
    ("edits", "handed_over"),
    [(_AWKWARD, True), (("UPDATE progress_report SET percent = 42.5",), False)],
    ids=["awkward values", "a real number"],
)
def test_awkward_rows_keep_the_states_of_the_seal(
    demo_office: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edits: tuple[str, ...],
    handed_over: bool,
) -> None:
    """Rows whose fields are awkward to hand over as bytes are stored with the states the
    seal computes: the same ones, or — for a value that is neither text nor a whole number,
    which SQLite would write otherwise than Python — refused and left to the seal."""
    (alongside, results), (sealed, none) = _copied_both_ways(
        demo_office, tmp_path, monkeypatch, edits
    )
    assert results == [handed_over] and none == []
    assert alongside == sealed


def test_a_copy_changed_again_in_the_same_transaction_is_computed_at_the_seal(
    office: tuple[Services, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    services, list_id = office
    spy = Spy(monkeypatch)
    with services.sessions.begin() as session:
        old = session.get(WorkList, list_id)
        assert old is not None
        new = copy_list(session, old, version=old.version + 1, audit_id=_entry(session, list_id))
        new_id = new.id
        session.execute(
            text(
                "UPDATE task SET content = '同一事务里改过' WHERE id ="
                " (SELECT min(id) FROM task WHERE work_list_id = :id)"
            ),
            {"id": new_id},
        )
        session.execute(
            text(
                "DELETE FROM milestone WHERE id = (SELECT max(m.id) FROM milestone m"
                " JOIN task t ON t.id = m.task_id WHERE t.work_list_id = :id)"
            ),
            {"id": new_id},
        )
    assert spy.results == [True]  # stored, then taken back at the seal
    assert services.maintenance.check() == []
    contents = [r.content for r in services.worklists.rows(new_id)]
    assert "同一事务里改过" in contents


@pytest.mark.parametrize("rolled_back", ["the copy", "what came after it"])
def test_a_savepoint_rolled_back_leaves_the_states_true(
    office: tuple[Services, int], monkeypatch: pytest.MonkeyPatch, rolled_back: str
) -> None:
    services, list_id = office
    spy = Spy(monkeypatch)
    before = len(services.worklists.rows(list_id))
    with services.sessions.begin() as session:
        old = session.get(WorkList, list_id)
        assert old is not None
        if rolled_back == "the copy":
            nested = session.begin_nested()
            copy_list(session, old, version=old.version + 1, audit_id=_entry(session, list_id))
            nested.rollback()
            old.explanation = "回滚以后改的说明"
        else:
            new = copy_list(
                session, old, version=old.version + 1, audit_id=_entry(session, list_id)
            )
            nested = session.begin_nested()
            session.execute(
                text("UPDATE task SET content = '回滚掉的' WHERE work_list_id = :id"),
                {"id": new.id},
            )
            nested.rollback()
    assert spy.results == [True]
    assert services.maintenance.check() == []
    assert len(services.worklists.rows(list_id)) == before


def test_rows_noted_before_the_copy_leave_the_states_to_the_seal(
    office: tuple[Services, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second connection reads what was last committed: with rows of the transaction
    already changed, it is not asked, and the seal computes every state."""
    services, list_id = office
    spy = Spy(monkeypatch)
    started = []
    start = CopyStates.start.__func__  # type: ignore[attr-defined]

    def counted(cls: type[CopyStates], *args: Any, **kwargs: Any) -> Any:
        started.append(kwargs.get("noted"))
        return start(cls, *args, **kwargs)

    monkeypatch.setattr(CopyStates, "start", classmethod(counted))
    with services.sessions.begin() as session:
        session.execute(
            text("UPDATE task SET remarks = '复制之前改的' WHERE work_list_id = :id"),
            {"id": list_id},
        )
        old = session.get(WorkList, list_id)
        assert old is not None
        new_id = copy_list(
            session, old, version=old.version + 1, audit_id=_entry(session, list_id)
        ).id
    assert started == [True] and spy.results == []
    assert services.maintenance.check() == []
    assert {r.remarks for r in services.worklists.rows(new_id)} == {"复制之前改的"}


def test_a_cancelled_copy_stops_the_second_connection(
    office: tuple[Services, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """取消 while the second connection is still reading interrupts it and waits for it."""
    services, list_id = office
    reading = threading.Event()
    endless = (
        "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT count(*) FROM r"
    )

    def slow_states(connection: sqlite3.Connection, *args: Any) -> Any:
        reading.set()
        # 取消 comes before the statement starts, when an interrupt does nothing: it is made
        # again until the thread ends
        time.sleep(0.3)
        connection.execute(endless).fetchone()  # until interrupted
        raise AssertionError("not interrupted")

    monkeypatch.setattr(copy_states, "states_of", slow_states)
    spy = Spy(monkeypatch)
    stopped = []
    stop = CopyStates.stop

    def spied(states: CopyStates) -> None:
        stop(states)
        stopped.append((states._thread.is_alive(), type(states._failed).__name__))

    monkeypatch.setattr(CopyStates, "stop", spied)

    def cancelled() -> bool:
        return reading.wait(10)  # 取消 once the second connection is busy

    with pytest.raises(Cancelled):
        services.list_lifecycle.new_version(list_id, cancelled=cancelled)
    assert stopped == [(False, "OperationalError")]  # interrupted, and waited for
    assert spy.results == []
    assert services.maintenance.check() == []
    again = services.worklists.get(list_id)
    assert again.is_current and again.state == "submitted"


def test_digest_inputs_made_at_once_are_those_made_one_by_one() -> None:
    """``row_digest_inputs`` is the bulk form of ``row_digest_input``: same bytes, any size."""
    import random

    rng = random.Random(7)
    for size in (13, 17, 36):
        ids = sorted(rng.sample(range(1, 10**7), 50))
        states = rng.randbytes(size * len(ids))
        one_by_one = b"".join(
            row_audit.row_digest_input(
                2, row_id, states[n * size : n * size + 12], states[n * size + 12 : (n + 1) * size]
            )
            for n, row_id in enumerate(ids)
        )
        assert copy_states.row_digest_inputs(2, ids, states, size) == one_by_one
    assert copy_states.row_digest_inputs(1, [], b"", 0) == b""


def test_a_new_version_of_an_empty_list_records_no_states(
    office: tuple[Services, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing to copy, nothing stored: the entry has no digest of row states either (one
    with a digest and no rows would read as rows deleted)."""
    services, list_id = office
    spy = Spy(monkeypatch)
    with services.sessions.begin() as session:
        session.execute(text("DELETE FROM task WHERE work_list_id = :id"), {"id": list_id})
    assert services.maintenance.check() == []
    new_id = services.list_lifecycle.new_version(list_id).id
    assert services.worklists.rows(new_id) == []
    assert spy.results == [False]  # nothing computed alongside: the seal had nothing either
    assert services.maintenance.check() == []


def test_a_copy_taken_back_by_a_savepoint_leaves_the_other_entry_true(
    office: tuple[Services, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    services, list_id = office
    spy = Spy(monkeypatch)
    with services.sessions.begin() as session:
        old = session.get(WorkList, list_id)
        assert old is not None
        nested = session.begin_nested()
        copy_list(session, old, version=old.version + 1, audit_id=_entry(session, list_id))
        nested.rollback()
        audit.record(session, operator="测试", action="update", entity="work_list",
                     entity_id=list_id, summary="回滚以后另记一条")  # fmt: skip
    assert spy.results == [True]
    assert services.maintenance.check() == []


@pytest.mark.parametrize(
    ("where", "error"),
    [("states_of", "disk I/O error"), ("sqlite_uri", "unable to open database file")],
    ids=["fails while reading", "cannot open"],
)
def test_a_second_connection_that_fails_leaves_the_states_to_the_seal(
    office: tuple[Services, int], monkeypatch: pytest.MonkeyPatch, where: str, error: str
) -> None:
    services, list_id = office
    spy = Spy(monkeypatch)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError(error)

    monkeypatch.setattr(copy_states, where, broken)
    new_id = services.list_lifecycle.new_version(list_id).id  # and does not wait for ever
    assert spy.results == [False]
    assert services.maintenance.check() == []
    assert len(services.worklists.rows(new_id)) == len(services.worklists.rows(list_id))
