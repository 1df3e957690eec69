"""A ledger writer killed in the middle leaves its hidden temporary file beside the target;
the next start deletes it (and nothing else)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.core import temp_files
from desktop.services.context import open_office
from tests.conftest import ROOT

pytestmark = pytest.mark.posix_only  # SIGKILL

# writes a ledger and, once rows are being written to the temporary file, says so and waits
# to be killed: the kill lands in the middle of the write every time
_WRITER = """
import sys, time
from pathlib import Path
from desktop.core.reports import write_ledger_pdf
from tests.core.ledger_samples import sample_document

def progress(done, total):
    if done > 0:
        print("writing", flush=True)
        time.sleep(600)

write_ledger_pdf(sample_document(60), Path(sys.argv[1]), progress=progress)
"""


def _kill_mid_write(target: Path) -> Path:
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(target)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    (tmp,) = target.parent.glob(f".{target.name}.*.tmp")
    return tmp


def test_the_next_start_removes_what_a_killed_ledger_left(tmp_path: Path) -> None:
    out = tmp_path / "给领导"
    out.mkdir()
    mine = out / ".notes.tmp"
    mine.write_text("the user's own hidden file", encoding="utf-8")
    tmp = _kill_mid_write(out / "台账.pdf")
    assert not (out / "台账.pdf").exists()

    services = open_office(tmp_path / "office")  # a start within the hour: maybe still written
    services.close()
    assert tmp.exists()

    old = time.time() - 2 * temp_files.STALE_AFTER_S
    os.utime(tmp, (old, old))
    os.utime(mine, (old, old))
    services = open_office(tmp_path / "office")
    services.close()
    assert not tmp.exists()
    assert mine.exists()  # not named by a note: never touched
    assert sorted(p.name for p in out.iterdir()) == [".notes.tmp"]
