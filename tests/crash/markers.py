"""Progress markers: named points of a running program where a crash test kills it.

A program run under markers (``python -m tests.crash.writer``; ``python -m
tests.crash.markers ARGS…`` for the command line ``python -m desktop ARGS…``), from the
repository root, passes these points, counted
from 1 within a *phase* (what it is doing: ``start``, ``progress``, ``notice``…, ``cli``):

    begin PHASE          the phase starts
    sql PHASE N          before its N-th SQL statement (``BEGIN`` counts)
    commit PHASE N       before its N-th COMMIT
    committed PHASE N    after the N-th COMMIT returned
    connect PHASE N      before it opens its N-th SQLite connection (backups, checks)
    rename PHASE N       before its N-th file rename (``os.replace``: a backup put in place)
    remove PHASE N       before it deletes its N-th file (old backups, temporary files)
    done PHASE           the phase ended

Every marker but ``sql`` is printed as ``at MARKER sql=S commits=C`` (S statements and C
commits so far in the phase). When the marker named by ``CRASH_STOP`` comes, the program
prints ``stopped at MARKER sql=S commits=C`` and waits; the test kills it there, so where it
dies is chosen, not left to a sleep and the machine's load. A stop that does not come in its
phase (an ``sql`` count higher than the phase runs) stops at ``done PHASE`` instead.

SQL and commits are seen through SQLAlchemy's engine events and dialect; connections,
renames and removals through Python's audit hooks, so nothing in the program is changed.

The test side: :func:`run_stopped` starts such a program, waits for its stop and kills it
(SIGKILL); :func:`plan_points` turns the markers of one whole run into the points to aim at.
"""

from __future__ import annotations

import itertools
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_lock = threading.RLock()


class Markers:
    """The markers of one process; :func:`install` makes the one instance."""

    def __init__(self, stop: str | None) -> None:
        self.stop = stop or None
        self.phase = "start"
        self.counts: dict[str, int] = {}
        self._busy = False

    # -- what the program calls ------------------------------------------------------------

    def begin(self, phase: str) -> None:
        """A new phase: counting starts again."""
        self.phase = phase
        self.counts = {}
        self.reach(f"begin {phase}")

    def done(self, result: str = "") -> None:
        """The phase ended; ``result`` is printed with it (``done progress 5``)."""
        marker = f"done {self.phase}"
        if self.stop is not None and self.stop.split()[1:2] == [self.phase]:
            self._stop(marker)  # the stop was this phase's and has not come: stop here
        self._print(f"{marker} {result}".rstrip())

    # -- counting and stopping ------------------------------------------------------------

    def count(self, kind: str) -> str:
        n = self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{kind} {self.phase} {n}"

    def reach(self, marker: str, *, quiet: bool = False) -> None:
        if marker == self.stop:
            self._stop(marker)
        if not quiet:
            self._print(f"at {marker} {self._tally()}")

    def _tally(self) -> str:
        return f"sql={self.counts.get('sql', 0)} commits={self.counts.get('committed', 0)}"

    def _stop(self, marker: str) -> None:
        self._print(f"stopped at {marker} {self._tally()}")
        sys.stdin.readline()  # the test kills the process while it waits here
        os._exit(3)  # the test went away without killing: never go on writing

    @staticmethod
    def _print(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    # -- hooks ----------------------------------------------------------------------------

    def before_statement(self, *_args: Any) -> None:
        with _lock:
            self.reach(self.count("sql"), quiet=True)

    def audit(self, event: str, _args: tuple[Any, ...]) -> None:
        kind = AUDITED.get(event)
        if kind is None or self._busy:
            return
        with _lock:
            self._busy = True
            try:
                self.reach(self.count(kind))
            finally:
                self._busy = False


AUDITED = {"sqlite3.connect": "connect", "os.rename": "rename", "os.remove": "remove"}
_installed: Markers | None = None


def install() -> Markers:
    """Hooks the markers into SQLAlchemy and the audit hooks of this process (once)."""
    global _installed
    if _installed is not None:
        return _installed
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.engine.default import DefaultDialect

    markers = Markers(os.environ.get("CRASH_STOP"))
    event.listen(Engine, "before_cursor_execute", markers.before_statement)
    plain_commit = DefaultDialect.do_commit

    def do_commit(dialect: DefaultDialect, dbapi_connection: Any) -> None:
        with _lock:
            markers.reach(markers.count("commit"))
        plain_commit(dialect, dbapi_connection)
        with _lock:
            markers.reach(markers.count("committed"))

    DefaultDialect.do_commit = do_commit  # type: ignore[method-assign]
    sys.addaudithook(markers.audit)
    _installed = markers
    return markers


def run_cli(argv: list[str]) -> int:
    """``python -m desktop ARGV`` as one phase ``cli``."""
    markers = install()
    markers.begin("cli")
    from desktop.cli import main

    code = main(argv)
    markers.done(str(code))
    return code


# -- the test side ----------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD_S = 600  # only for a program that hangs: no kill waits for time to pass
MARKER = re.compile(r"(?:at|stopped at) (\w+ \w+(?: \d+)?) sql=(\d+) commits=(\d+)")


@dataclass(frozen=True)
class Stop:
    """Where the program was when it was killed: the marker, and the SQL statements and
    commits its phase had made by then."""

    marker: str
    statements: int
    commits: int


def run_stopped(module_args: list[str], stop: str) -> tuple[Stop, list[str]]:
    """Runs ``python -m MODULE_ARGS`` with ``CRASH_STOP=stop``, kills it (SIGKILL) where it
    stops; returns the stop and everything it printed."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    env["CRASH_STOP"] = stop
    proc = subprocess.Popen(
        [sys.executable, "-m", *module_args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    out = proc.stdout
    assert out is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in out], daemon=True).start()
    seen: list[str] = []
    try:
        while not seen or not seen[-1].startswith("stopped at "):
            seen.append(lines.get(timeout=HANG_GUARD_S).rstrip("\n"))
    except queue.Empty:
        proc.kill()
        _out, err = proc.communicate()
        raise AssertionError(f"never stopped at {stop!r}: " + "\n".join(seen[-5:]) + err) from None
    proc.send_signal(signal.SIGKILL)
    _out, err = proc.communicate(timeout=HANG_GUARD_S)
    assert proc.returncode == -signal.SIGKILL, err
    found = MARKER.fullmatch(seen[-1])
    assert found is not None, seen[-1]
    return Stop(found[1], int(found[2]), int(found[3])), seen


@dataclass
class PhasePlan:
    """The points of one phase a kill can be aimed at, from one whole run of it."""

    points: list[str] = field(default_factory=list)
    commits: int = 0  # commits in a whole run; a user action's write is its last
    middle: str = ""  # a statement in the middle of the last transaction


def split_phases(lines: list[str]) -> dict[str, list[str]]:
    """The printed lines of a run, by phase."""
    phases: dict[str, list[str]] = {"start": []}
    current = "start"
    for line in lines:
        if line.startswith("at begin "):
            current = line.split()[2]
            phases[current] = []
        phases[current].append(line)
    return phases


def plan_points(lines: list[str]) -> PhasePlan:
    """Every marker one phase printed, and SQL statements spread over its transactions:
    the first, one in the middle of each, the last before the last COMMIT."""
    plan = PhasePlan()
    commits_at = [0]  # statements before each commit
    phase = ""
    for line in lines:
        found = MARKER.fullmatch(line)
        if found:
            plan.points.append(found[1])
            if found[1].startswith("commit "):
                commits_at.append(int(found[2]))
        elif line.startswith("done "):
            plan.points.append(" ".join(line.split()[:2]))
        phase = plan.points[-1].split()[1] if plan.points else phase
    plan.commits = len(commits_at) - 1
    middles = [(a + b) // 2 for a, b in itertools.pairwise(commits_at)]
    plan.middle = f"sql {phase} {max(middles[-1] if middles else 1, 1)}"
    statements = {1, commits_at[-1], *middles}
    plan.points += [f"sql {phase} {n}" for n in sorted(statements) if n > 0]
    return plan


if __name__ == "__main__":
    sys.exit(run_cli(sys.argv[1:]))
