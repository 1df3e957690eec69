"""One running program per data folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop.errors import InstanceLockedError
from desktop.instance_lock import InstanceLock

HOLD = """
import sys, time
from pathlib import Path
from desktop.instance_lock import InstanceLock
lock = InstanceLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
time.sleep(30)
"""


def test_second_lock_in_another_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "instance.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True, encoding="utf-8"
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(InstanceLockedError, match="已经在使用"):
            InstanceLock(path).acquire()
    finally:
        holder.kill()
        holder.wait()
    # the OS released the lock of the killed process: no stale lock
    lock = InstanceLock(path)
    lock.acquire()
    lock.release()


def test_lock_is_reusable_after_release(tmp_path: Path) -> None:
    with InstanceLock(tmp_path / "instance.lock"):
        pass
    with InstanceLock(tmp_path / "instance.lock"):
        pass
