"""Benchmark: what the safety checks cost, and how fast hostile files are refused.

    .venv/bin/python benchmarks/bench_safety.py [--tasks 2000]

Times, on a demo office of ``--tasks`` tasks in a temporary folder: building the expected
schema from the migrations (once per program version) and reading it back from the cache,
the start-up checks (quick_check, the schema, the log), opening the office, reading a
14 MB write-ahead log frame by frame, and a progress save of every task with and without
the checkpoint that follows it. Then each hostile file of the tests (crafted by
``tests/hostile.py``) is refused in a subprocess, with its time and peak memory. Prints
the figures; never fails on a timing.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, fn: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = fn()
    print(f"  {label:<46} {time.perf_counter() - start:7.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["POLICY_LEDGER_CACHE"] = str(Path(tmp) / "cache")
        checks(Path(tmp), args.tasks)
        hostile_files(Path(tmp))


def checks(tmp: Path, tasks: int) -> None:
    import desktop.db.engine as engine_module
    from desktop.db import schema_check
    from desktop.db.integrity import altered_schema, startup_problem
    from desktop.db.wal import read_wal
    from desktop.services.context import open_office
    from desktop.services.demo.office import run_demo

    print(f"Safety checks, demo office of {tasks} tasks")
    timed("expected schema built from the migrations", schema_check.build_expected_schemas)
    timed("expected schema, first use (builds, caches)", schema_check.expected_schemas)
    schema_check._memo.clear()
    timed("expected schema read from the cache", schema_check.expected_schemas)
    root = tmp / "office"
    services = open_office(root)
    run_demo(services, tasks=tasks)
    services.close()
    db = root / "ledger.sqlite3"
    print(f"  database: {db.stat().st_size / 2**20:.1f} MB")
    timed("start-up quick_check", lambda: startup_problem(db))
    timed("start-up schema comparison", lambda: altered_schema(db))
    timed("open_office (all start-up checks)", lambda: open_office(root).close())

    wal = _sample_log(tmp)
    timed(f"read a {len(wal) / 2**20:.1f} MB log frame by frame", lambda: read_wal(wal))

    for label, off in (("with the checkpoint", False), ("without the checkpoint", True)):
        real = engine_module.checkpoint
        if off:
            engine_module.checkpoint = lambda *_a, **_k: True  # type: ignore[assignment]
        try:
            _time_save(root, label)
        finally:
            engine_module.checkpoint = real


def _time_save(root: Path, label: str) -> None:
    from desktop.services.context import open_office
    from desktop.services.progress.types import ProgressEntry

    services = open_office(root)
    try:
        wl = services.worklists.lists(own=True, current_only=True)[0]
        period = services.progress.periods(wl.id)[1]
        ids = [r.id for r in services.worklists.rows(wl.id)]
        entries = [ProgressEntry(task_id=i, text=f"进展{label}", percent=40) for i in ids]
        timed(
            f"progress save of {len(ids)} tasks {label}",
            lambda: services.progress.save(wl.id, period.id, entries),
        )
    finally:
        services.close()


def _sample_log(tmp: Path) -> bytes:
    db = tmp / "wal-sample.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE t (x)")
    for i in range(1000):
        conn.execute("INSERT INTO t VALUES (?)", (os.urandom(3000).hex() + str(i),))
    data = (tmp / "wal-sample.sqlite3-wal").read_bytes()
    conn.close()
    return data


def hostile_files(tmp: Path) -> None:
    from tests import hostile
    from tests.core.test_hostile_notices import CASES as NOTICES
    from tests.core.test_hostile_notices import _plain_docx
    from tests.core.test_hostile_workbooks import CASES as WORKBOOKS

    print("Hostile files refused (subprocess: wall time, peak memory, exit code)")
    sound = hostile.plain_workbook()
    for name, (craft, _said) in sorted(WORKBOOKS.items()):
        path = tmp / "wb.xlsx"
        path.write_bytes(craft(sound))
        _refuse(tmp, f"workbook: {name}", str(path), body=hostile.READ_WORKBOOK)
    docx = _plain_docx()
    office = tmp / "notice-office"
    for name, (file_name, craft, _said) in sorted(NOTICES.items()):
        path = tmp / file_name
        path.write_bytes(craft(docx))
        _refuse(tmp, f"notice: {name}", "--data-dir", str(office), "notice", "import", str(path))


def _refuse(tmp: Path, label: str, *args: str, body: str | None = None) -> None:
    from tests import hostile

    start = time.perf_counter()
    run = hostile.run_measured(tmp, *args, **({"body": body} if body else {}))
    took = time.perf_counter() - start
    print(f"  {label:<46} {took:6.2f} s {run.peak / 2**20:6.0f} MB  exit {run.code}")


if __name__ == "__main__":
    main()
