"""Kill the program while it creates a data folder, writes the demo office, or restores.

A new data folder is migrated in one transaction and the example office (``demo``) is one
transaction too (``desktop.services.unit_of_work``), so a kill at any moment leaves a
folder the next start opens normally: with no example at all, or with all of it. A
restore writes the backup into the live database in one transaction, so a kill leaves
the database as it was or as the backup, never a mixture.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.services.context import open_office
from desktop.services.demo.office import run_demo

# SIGKILL: Windows has no signal that kills a process without warning it
pytestmark = pytest.mark.posix_only

ROOT = Path(__file__).resolve().parents[2]
TASKS = 1000
SEED = int(os.environ.get("CRASH_SEED", "20260116"))


def kill_demo(root: Path, delay: float, *command: str) -> str:
    command = command or ("demo", "--tasks", str(TASKS))
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--data-dir", str(root), *command],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8"),
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=60)
    return out + err


def check_after(root: Path, output: str) -> bool:
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


def crash_loop(tmp_path: Path, rounds: int, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(rounds):
        root = tmp_path / f"office-{i}"
        output = kill_demo(root, rng.uniform(0.2, 2.0))
        try:
            check_after(root, output)
        except AssertionError as err:
            raise AssertionError(f"kill {i + 1} (CRASH_SEED={seed}): {err}\n{output}") from err


def test_killed_while_creating_the_folder_and_the_demo(tmp_path: Path) -> None:
    crash_loop(tmp_path, rounds=3, seed=SEED)


@pytest.mark.slow
def test_killed_while_creating_many_times(tmp_path: Path) -> None:
    crash_loop(tmp_path, rounds=60, seed=SEED + 7)


def restore_loop(tmp_path: Path, rounds: int, seed: int) -> None:
    """Alternate restores of an empty office and of the demo office, killed at random."""
    root = tmp_path / "office"
    services = open_office(root)
    try:
        empty = services.backups.backup_to(tmp_path / "empty.sqlite3").path
    finally:
        services.close()
    services = open_office(root)
    try:
        run_demo(services, tasks=TASKS)
        full = services.backups.backup_to(tmp_path / "full.sqlite3").path
    finally:
        services.close()
    rng = random.Random(seed)
    for i in range(rounds):
        source = empty if i % 2 == 0 else full
        output = kill_demo(root, rng.uniform(0.2, 1.6), "db", "restore", "--from", str(source))
        try:
            check_after(root, output)  # the empty office or the whole demo, nothing between
        except AssertionError as err:
            raise AssertionError(f"restore kill {i + 1} (CRASH_SEED={seed}): {err}") from err


def test_killed_while_restoring(tmp_path: Path) -> None:
    restore_loop(tmp_path, rounds=3, seed=SEED)


@pytest.mark.slow
def test_killed_while_restoring_many_times(tmp_path: Path) -> None:
    restore_loop(tmp_path, rounds=40, seed=SEED + 11)
