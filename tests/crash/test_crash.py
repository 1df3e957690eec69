"""Kill the program (SIGKILL) at random moments of large writes; the database stays whole.

Each round starts ``tests/crash/writer.py`` on the same data folder, lets it write for a
random time, kills it without warning, and checks the folder as the next start would find
it: SQLite's ``integrity_check`` passes, no foreign key dangles, the audit chain is whole,
every action is there completely or not at all (its rows *and* its audit entries), every
action the writer reported committed is there, and every named backup opens.

The default suite runs a short loop; ``pytest -m slow tests/crash`` runs 200 rounds.
``CRASH_SEED`` replays a sequence of delays.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from desktop.db.backup import verify_database_file
from desktop.db.engine import make_engine, make_session_factory
from desktop.services.audit.log import verify_chain
from desktop.services.context import open_office
from desktop.services.demo.office import run_demo
from tests.crash.writer import CRASH_YEAR, PERIOD_KEY

# SIGKILL: Windows has no signal that kills a process without warning it
pytestmark = pytest.mark.posix_only

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("writer.py")
DEMO_TASKS = 400
SEED = int(os.environ.get("CRASH_SEED", "20260116"))


@dataclass
class Seen:
    """What the writer reported committed before it was killed (the highest of each)."""

    progress: int = 0
    notice: int = 0
    drafts: int = 0
    lines: list[str] = field(default_factory=list)

    def read(self, text: str) -> None:
        for line in text.splitlines():
            self.lines.append(line)
            parts = line.split()
            if len(parts) == 3 and parts[0] == "done" and parts[1] in ("progress", "notice"):
                setattr(self, parts[1], max(getattr(self, parts[1]), int(parts[2])))
            elif len(parts) == 3 and parts[0] == "done":
                self.drafts += 1


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


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")


def run_and_kill(root: Path, rng: random.Random, seen: Seen, first: int) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-u", str(WRITER), str(root), str(first)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=_env(),
    )
    assert proc.stdout is not None
    if rng.random() < 0.15:
        time.sleep(rng.uniform(0.05, 0.6))  # during start-up: the checks and the first reads
    else:
        first = proc.stdout.readline()
        if first.strip() != "ready":
            proc.kill()
            _out, err = proc.communicate()
            pytest.fail(f"the writer did not start: {first}{err}")
        time.sleep(rng.uniform(0.0, 1.0))
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, err
    seen.read(out)


def _one(conn: sqlite3.Connection, sql: str, *args: object) -> object:
    row = conn.execute(sql, args).fetchone()
    return row[0] if row else None


def check_folder(root: Path, seen: Seen) -> dict[str, int]:
    """Every invariant of a folder after a crash; returns what it found (for messages)."""
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
        assert seen.progress <= rounds <= seen.progress + 1

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
        # the writer numbers a re-import after the progress rounds too (max(notice, progress)
        # + 1): the one killed before it said so may stand one above either
        assert seen.notice <= version <= max(seen.notice, seen.progress) + 1
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
    return {"progress": rounds, "tasks": int(str(tasks)), "notice": version}


def crash_loop(root: Path, rounds: int, seed: int) -> None:
    rng = random.Random(seed)
    seen = Seen()
    for i in range(rounds):
        run_and_kill(root, rng, seen, first=i % 3)
        try:
            check_folder(root, seen)
        except AssertionError as err:
            raise AssertionError(
                f"after kill {i + 1} (CRASH_SEED={seed}): {err}\n" + "\n".join(seen.lines[-6:])
            ) from err
    # the writer really wrote: the kills landed in the middle of a working program
    assert seen.progress and seen.notice and seen.drafts, seen.lines[-10:]
    services = open_office(root)  # and the next start opens the folder normally
    services.close()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crash") / "office"
    prepare(root)
    return root


def test_killed_during_large_writes_leaves_each_action_whole(
    prepared: Path, tmp_path: Path
) -> None:
    root = tmp_path / "office"
    shutil.copytree(prepared, root)
    crash_loop(root, rounds=15, seed=SEED)


@pytest.mark.slow
def test_killed_two_hundred_times(prepared: Path, tmp_path: Path) -> None:
    root = tmp_path / "office"
    shutil.copytree(prepared, root)
    crash_loop(root, rounds=200, seed=SEED + 1)
