"""Kill the program (SIGKILL) at chosen points of large writes; every action is whole or absent.

Each round starts ``tests/crash/writer.py`` on the same data folder, stops it at a marker
(``tests/crash/markers.py``) inside one action — before its first statement, in the middle
of its transaction, just before and just after its COMMIT, while its backup is being
written — kills it there, and checks the folder as the next start finds it: SQLite's
``integrity_check`` passes, no foreign key dangles, the audit chain is whole, every named
backup opens, and the action is there completely (its rows *and* its audit entries, exactly
what one more action adds) when the kill came after its COMMIT, and not at all — the
database's content unchanged, row for row — when it came before.

The kill points come from a first uninterrupted run of each action (``plan``): where its
statements, commits, connections and file renames fall. Nothing depends on timing or on
the machine's load. The default suite kills at the decisive points of every action;
``pytest -m slow tests/crash`` kills at every point of every action, twice.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.db.backup import verify_database_file
from desktop.db.engine import make_engine, make_session_factory
from desktop.services.audit.log import verify_chain
from desktop.services.context import open_office
from desktop.services.demo.office import run_demo
from tests.crash.markers import PhasePlan, Stop, plan_points, run_stopped, split_phases
from tests.crash.writer import CRASH_YEAR, PERIOD_KEY

# SIGKILL: Windows has no signal that kills a process without warning it
pytestmark = pytest.mark.posix_only

DEMO_TASKS = 400
ACTIONS = ("progress", "draft", "notice")  # the writer's FIRST argument indexes these


def prepare(root: Path) -> None:
    """A demo office plus an empty list for the draft action."""
    services = open_office(root)
    try:
        run_demo(services, tasks=DEMO_TASKS)
        # the office's day at the year's end, so that the fourth quarter the writer fills
        # has begun
        from datetime import date

        from desktop.services.clock import set_demo_date

        with services.sessions.begin() as session:
            set_demo_date(session, date(2027, 12, 31))
        notice = next(n for n in services.notices.list() if n.builtin)
        services.list_lifecycle.create(notice.id, CRASH_YEAR)
    finally:
        services.close()


def run_writer(root: Path, first: int, stop: str) -> tuple[Stop, list[str]]:
    return run_stopped(["tests.crash.writer", str(root), str(first)], stop)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crash") / "office"
    prepare(root)
    return root


@pytest.fixture(scope="module")
def plan(prepared: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, PhasePlan]:
    """Each action run whole once (twice for progress and notice: then as every later
    round runs them, over earlier rounds), stopped only at the end of the cycle."""
    root = tmp_path_factory.mktemp("plan") / "office"
    shutil.copytree(prepared, root)
    _stop, first = run_writer(root, 0, "done notice")  # progress, draft, notice
    _stop, second = run_writer(root, 0, "done notice")  # progress, undraft, notice
    phases = split_phases(first)
    phases.update(split_phases(second))  # the steady state, and undraft
    return {name: plan_points(lines) for name, lines in phases.items()}


def _one(conn: sqlite3.Connection, sql: str, *args: object) -> object:
    row = conn.execute(sql, args).fetchone()
    return row[0] if row else None


def content(root: Path) -> str:
    """A digest of every row of every table: equal only when nothing at all changed."""
    conn = sqlite3.connect(root / "ledger.sqlite3")
    digest = hashlib.sha256()
    try:
        tables = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        ).fetchall()
        for (table,) in tables:
            digest.update(table.encode())
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()


def check_folder(root: Path) -> tuple[int, int, int]:
    """Every invariant of a folder after a crash; returns (progress round, tasks of the
    crash list, notice version)."""
    db = root / "ledger.sqlite3"
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        demo_id = _one(conn, "SELECT id FROM work_list WHERE own AND year != ?", CRASH_YEAR)
        crash_id = _one(conn, "SELECT id FROM work_list WHERE own AND year = ?", CRASH_YEAR)
        period_id, label = conn.execute(
            "SELECT id, label FROM reporting_period WHERE work_list_id = ? AND key = ?",
            (demo_id, PERIOD_KEY),
        ).fetchone()

        # progress: all tasks of one round, and one audit entry per task per round
        texts = conn.execute(
            "SELECT text, count(*) FROM progress_report WHERE period_id = ? GROUP BY text",
            (period_id,),
        ).fetchall()
        assert len(texts) <= 1, texts
        rounds = int(re.sub(r"\D", "", texts[0][0])) if texts else 0
        if texts:
            assert texts[0][1] == DEMO_TASKS
        audited = _one(
            conn,
            "SELECT count(*) FROM audit_log WHERE action = 'progress' AND summary LIKE ?",
            f"{label}进展%",
        )
        assert audited == DEMO_TASKS * rounds

        # draft: the list holds exactly what its newest draft/delete audit entry says
        tasks = _one(conn, "SELECT count(*) FROM task WHERE work_list_id = ?", crash_id)
        last = conn.execute(
            "SELECT action, after FROM audit_log WHERE action IN ('draft', 'delete_task') "
            "AND summary LIKE ? ORDER BY id DESC LIMIT 1",
            (f"{CRASH_YEAR}年清单%",),
        ).fetchone()
        expected = json.loads(last[1])["tasks"] if last and last[0] == "draft" else 0
        assert tasks == expected

        # notice: every measure of one version, and one audit entry per re-import
        title = str(_one(conn, "SELECT title FROM notice WHERE builtin"))
        marks = re.findall(r"（第(\d+)版）$", title)
        version = int(marks[0]) if marks else 0
        ending = f"（第{version}版）" if version else ""
        texts_ok = conn.execute(
            "SELECT count(*), sum(text LIKE ?) FROM measure WHERE notice_id = "
            "(SELECT id FROM notice WHERE builtin)",
            (f"%{ending}" if ending else "%",),
        ).fetchone()
        assert texts_ok[0] == 38 and texts_ok[1] == 38
        if not ending:
            assert _one(conn, "SELECT count(*) FROM measure WHERE text LIKE '%版）'") == 0
        newest = conn.execute(
            "SELECT after FROM audit_log WHERE entity = 'notice' AND action IN "
            "('import', 'replace') ORDER BY id DESC LIMIT 1"
        ).fetchone()
        assert json.loads(newest[0])["title"] == title  # the data and its audit entry agree
        replaced = _one(
            conn, "SELECT count(*) FROM audit_log WHERE entity = 'notice' AND action = 'replace'"
        )
        assert replaced == version
    finally:
        conn.close()

    engine = make_engine(db)
    try:
        with make_session_factory(engine)() as session:
            assert verify_chain(session) is None
    finally:
        engine.dispose()
    for backup in (root / "backups").glob("*.sqlite3"):
        assert verify_database_file(backup) is None, backup
    return rounds, int(str(tasks)), version


def after_action(state: tuple[int, int, int], phase: str, after: tuple[int, int, int]) -> bool:
    """Whether ``after`` is ``state`` with exactly one more whole ``phase``."""
    rounds, tasks, version = state
    if phase == "draft":  # as many tasks as its audit entry says (checked by check_folder)
        return after[1] > 0 and after == (rounds, after[1], version)
    return (
        after
        == {
            "progress": (rounds + 1, tasks, version),
            "undraft": (rounds, 0, version),
            "notice": (rounds, tasks, version + 1),
        }[phase]
    )


def kill_round(root: Path, plan: dict[str, PhasePlan], kind: str, stop_at: str) -> Stop:
    """Runs the next ``kind`` action (or the start) up to ``stop_at``, kills the writer there
    and checks the folder: the action whole if the kill came after its COMMIT, else the
    database exactly as before."""
    before = check_folder(root)
    before_content = content(root)
    assert (kind == "undraft") == (kind in ("draft", "undraft") and before[1] > 0), kind
    first = ACTIONS.index({"undraft": "draft", "start": "progress"}.get(kind, kind))
    stop, lines = run_writer(root, first, stop_at)
    try:
        after = check_folder(root)
        if kind != "start" and stop.commits == plan[kind].commits:
            assert after_action(before, kind, after), (before, after)
            assert content(root) != before_content
        else:
            assert after == before
            assert content(root) == before_content, "the database changed"
    except AssertionError as err:
        where = f"killed at {stop.marker} ({stop.statements} statements, {stop.commits} commits)"
        raise AssertionError(f"{kind}, {where}: {err}\n" + "\n".join(lines[-6:])) from err
    return stop


def decisive_points(plan: dict[str, PhasePlan]) -> dict[str, list[str]]:
    """The points every run of the default suite kills at, for each action: a statement in
    the middle of its write transaction, just before its last COMMIT, just after each of its
    COMMITs (an action split into two transactions would be caught half done); for the
    notice, when its 导入前 backup is written but not yet put in place; one point inside
    the start-up's transaction."""
    points: dict[str, list[str]] = {"start": [plan["start"].middle]}
    for kind in ("progress", "draft", "undraft", "notice"):
        phase = plan[kind]
        names = [phase.middle, f"commit {kind} {phase.commits}"]
        names += [p for p in phase.points if p.startswith("committed ")]
        if kind == "notice":
            names.append("rename notice 1")
        points[kind] = names
    for kind, names in points.items():
        assert set(names) <= set(plan[kind].points), (names, plan[kind].points)
    return points


def every_point(plan: dict[str, PhasePlan], times: int) -> dict[str, list[str]]:
    return {kind: phase.points * times for kind, phase in plan.items()}


def crash_loop(root: Path, plan: dict[str, PhasePlan], points: dict[str, list[str]]) -> int:
    """Kills at every point of ``points``, actions taking turns; returns the kills made.

    Draft points need an empty crash list and undraft points a drafted one: when the list
    is not as the next point needs, a whole draft or undraft (a kill at its end) comes first.
    """
    queues = {kind: list(names) for kind, names in points.items()}
    kills = 0
    while any(queues.values()):
        for kind in ("progress", "draft", "notice", "start"):
            if kind == "draft":
                drafted = check_folder(root)[1] > 0
                here, other = ("undraft", "draft") if drafted else ("draft", "undraft")
                if not queues.get(here) and queues.get(other):
                    kill_round(root, plan, here, f"done {here}")
                    kills += 1
                    here = other
                kind = here
            if queues.get(kind):
                kill_round(root, plan, kind, queues[kind].pop(0))
                kills += 1
    services = open_office(root)  # and the next start opens the folder normally
    services.close()
    return kills


def test_killed_during_large_writes_leaves_each_action_whole(
    prepared: Path, plan: dict[str, PhasePlan], tmp_path: Path
) -> None:
    root = tmp_path / "office"
    shutil.copytree(prepared, root)
    points = decisive_points(plan)
    assert crash_loop(root, plan, points) >= sum(map(len, points.values()))


@pytest.mark.slow
def test_killed_at_every_point_of_every_action(
    prepared: Path, plan: dict[str, PhasePlan], tmp_path: Path
) -> None:
    root = tmp_path / "office"
    shutil.copytree(prepared, root)
    points = every_point(plan, times=2)
    assert crash_loop(root, plan, points) >= sum(map(len, points.values()))
