"""Kill the program while it creates a data folder, writes the demo office, or restores.

A new data folder is migrated in one transaction and the example office (``demo``) is one
transaction too (``desktop.services.unit_of_work``), so a kill at any moment leaves a
folder the next start opens normally: with no example at all, or with all of it. A
restore writes the backup into the live database in one transaction, so a kill leaves
the database as it was or as the backup, never a mixture.

The command line runs under progress markers (``tests/crash/markers.py``); a first whole
run gives the points (statements, commits, connections, file renames and removals), and
each round kills the command at one of them. The default suite kills at a few decisive
points; ``pytest -m slow tests/crash`` at every one.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.services.context import open_office
from desktop.services.demo.office import run_demo
from tests.crash.markers import PhasePlan, Stop, plan_points, run_stopped, split_phases

# SIGKILL: Windows has no signal that kills a process without warning it
pytestmark = pytest.mark.posix_only

TASKS = 1000


def run_cli(root: Path, stop: str, *command: str) -> tuple[Stop, str]:
    """``python -m desktop --data-dir ROOT COMMAND`` killed at ``stop``."""
    command = command or ("demo", "--tasks", str(TASKS))
    stop_at, lines = run_stopped(["tests.crash.markers", "--data-dir", str(root), *command], stop)
    return stop_at, "\n".join(lines)


def cli_plan(root: Path, *command: str) -> PhasePlan:
    """The points of one whole run of the command."""
    _stop, output = run_cli(root, "done cli", *command)
    return plan_points(split_phases(output.splitlines())["cli"])


def example_present(root: Path, output: str) -> bool:
    """The next start opens the folder; the example is all there or not at all."""
    db = root / "ledger.sqlite3"
    if db.exists() and db.stat().st_size:
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            conn.close()
    services = open_office(root)
    try:
        assert any(n.builtin and n.measures == 38 for n in services.notices.list())
        own = services.worklists.lists(own=True)
        office = services.office.get()
        if not own:
            assert "已生成示例" not in output
            assert not office.configured and services.units.unit_names() == []
            return False
        (summary,) = own
        assert len(services.worklists.rows(summary.id)) == TASKS
        assert office.configured and office.locality == "示例县"
        assert services.units.unit_names()
        return True
    finally:
        services.close()


def creation_loop(tmp_path: Path, points: list[str], plan: PhasePlan) -> None:
    """A new folder each round, the demo command killed at each point: the example is
    there exactly when the kill came after the command's last COMMIT (the demo's)."""
    for i, point in enumerate(points):
        root = tmp_path / f"office-{i}"
        stop, output = run_cli(root, point)
        try:
            assert example_present(root, output) == (stop.commits == plan.commits)
        except AssertionError as err:
            where = f"killed at {stop.marker} ({stop.commits} commits)"
            raise AssertionError(f"{where}: {err}") from err


@pytest.fixture(scope="module")
def creation_plan(tmp_path_factory: pytest.TempPathFactory) -> PhasePlan:
    return cli_plan(tmp_path_factory.mktemp("plan") / "office")


def test_killed_while_creating_the_folder_and_the_demo(
    creation_plan: PhasePlan, tmp_path: Path
) -> None:
    # after the migration's COMMIT; inside the demo's transaction; just before and after
    # the demo's COMMIT
    last = creation_plan.commits
    points = ["committed cli 1", creation_plan.middle]
    points += [f"commit cli {last}", f"committed cli {last}"]
    assert set(points) <= set(creation_plan.points)
    creation_loop(tmp_path, points, creation_plan)


@pytest.mark.slow
def test_killed_while_creating_at_every_point(creation_plan: PhasePlan, tmp_path: Path) -> None:
    creation_loop(tmp_path, creation_plan.points, creation_plan)


@pytest.fixture(scope="module")
def restore_office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A demo office, a backup of it empty and one with the demo."""
    tmp = tmp_path_factory.mktemp("restore")
    root = tmp / "office"
    services = open_office(root)
    try:
        empty = services.backups.backup_to(tmp / "empty.sqlite3").path
    finally:
        services.close()
    services = open_office(root)
    try:
        run_demo(services, tasks=TASKS)
        full = services.backups.backup_to(tmp / "full.sqlite3").path
    finally:
        services.close()
    return root, empty, full


def restore_plan(office: tuple[Path, Path, Path], tmp: Path) -> PhasePlan:
    root, empty, _full = office
    copy = tmp / "plan-office"
    shutil.copytree(root, copy)
    return cli_plan(copy, "db", "restore", "--from", str(empty))


def restore_loop(office: tuple[Path, Path, Path], points: list[str]) -> None:
    """Alternate restores of the empty office and of the demo office, killed at each point:
    the first point leaves the database as it was, the end of the command as the backup,
    every point between one of the two, whole."""
    root, empty, full = office
    shown = example_present(root, "")
    for i, point in enumerate(points):
        source = empty if shown else full
        stop, output = run_cli(root, point, "db", "restore", "--from", str(source))
        try:
            now = example_present(root, "")
            if point == points[0]:
                assert now == shown
            elif stop.marker == "done cli":
                assert now == (source == full)
        except AssertionError as err:
            raise AssertionError(f"restore kill {i + 1} at {stop.marker}: {err}\n{output}") from err
        shown = now


def test_killed_while_restoring(restore_office: tuple[Path, Path, Path], tmp_path: Path) -> None:
    plan = restore_plan(restore_office, tmp_path)
    files = [p for p in plan.points if not p.startswith(("sql ", "begin "))]
    # before anything is written, halfway (the 恢复前 backup), after its last file step, the end
    points = [plan.points[0], files[len(files) // 2], files[-1], "done cli"]
    restore_loop(restore_office, points)


@pytest.mark.slow
def test_killed_while_restoring_at_every_point(
    restore_office: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    plan = restore_plan(restore_office, tmp_path)
    restore_loop(restore_office, [plan.points[0], *plan.points, *plan.points])
