"""Helpers for the hostile-input tests: a database's content as text, and a command run in a
subprocess whose peak memory is measured.

The hostile files themselves are crafted inside each test (never committed as binaries).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

MB = 1024 * 1024
# any hostile file is refused within this much memory (the whole process, Python included)
MEMORY_BUDGET = 500 * MB

# runs the command line and then writes the process's peak resident memory to the file named
# first: on Linux ``ru_maxrss`` is in KiB (the tests that measure are POSIX-only)
_MEASURE = """
import resource, sys
from desktop.cli import main
out = sys.argv.pop(1)
try:
    code = main(sys.argv[1:])
finally:
    with open(out, "w", encoding="utf-8") as f:
        f.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))
sys.exit(code)
"""


def dump(db: Path) -> str:
    """Every table's rows and the schema, as SQL text (read-only)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    peak: int  # bytes

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def run_measured(tmp_path: Path, *args: str, timeout: float = 120) -> Run:
    """``python -m desktop ARGS`` in a subprocess; its exit code, output and peak memory."""
    peak_file = tmp_path / f"peak-{os.getpid()}-{len(list(tmp_path.glob('peak-*')))}.txt"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(peak_file), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
    peak = int(peak_file.read_text(encoding="utf-8")) if peak_file.exists() else -1
    return Run(proc.returncode, proc.stdout, proc.stderr, peak)


def is_one_chinese_line(run: Run) -> bool:
    """The contract for a user error: exit 2, one line on stderr, Chinese, no traceback."""
    return (
        run.code == 2
        and len(run.lines) == 1
        and "Traceback" not in run.err
        and any("\u4e00" <= ch <= "\u9fff" for ch in run.err)
    )


def explain(run: Run) -> str:
    return json.dumps({"code": run.code, "err": run.err[-2000:], "peak_mb": run.peak // MB})
