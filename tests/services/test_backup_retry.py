"""Backups, restore and pruning while a virus scanner or OneDrive holds a file for a moment.

A good backup is never reported as failed because an *old* one could not be deleted: the
prune leaves it for next time and says so on the backup page.
"""

from __future__ import annotations

import errno
import os
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from desktop.core import file_retry
from desktop.services.context import Services
from desktop.services.safety.backup_files import new_backup_path
from desktop.services.safety.backups import BackupService


def held(path: object) -> PermissionError:
    err = PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。", str(path))
    err.winerror = 32  # type: ignore[attr-defined]  # as CPython sets it on Windows
    return err


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits between tries, recorded instead of slept: file_retry's own ``time`` is
    replaced, not the ``time`` module (the log's checkpoint thread sleeps too)."""
    slept: list[float] = []
    monkeypatch.setattr(file_retry, "time", SimpleNamespace(sleep=slept.append))
    return slept


class Clock:
    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at


def test_a_backup_moved_into_place_while_a_scanner_reads_it(
    services: Services, monkeypatch: pytest.MonkeyPatch, no_waiting: list[float]
) -> None:
    real = os.replace
    refusals = {"n": 2}

    def replace(src: str, dst: str) -> None:
        if refusals["n"]:
            refusals["n"] -= 1
            raise held(dst)
        real(src, dst)

    monkeypatch.setattr(file_retry.os, "replace", replace)
    info = services.backups.backup_automatic()
    assert services.backups.peek(info.path).restorable
    assert len(no_waiting) == 2
    assert not list(services.data_dir.backups.glob("*.part"))
    # and a restore, whose staged copy goes through the same move
    refusals["n"] = 3
    result = services.restoring.restore(info.path)
    assert result.safety_backup is not None and result.safety_backup.exists()
    assert len(no_waiting) == 5


def old_automatic_backups(services: Services, clock: Clock, days: int) -> list[Path]:
    made = []
    for day in range(days):
        path = new_backup_path(services.data_dir.backups, "自动", clock.at + timedelta(days=day))
        path.write_bytes(b"an old backup")
        made.append(path)
    clock.at += timedelta(days=days + 40)
    return made


def test_an_old_backup_that_cannot_be_deleted_does_not_fail_the_new_one(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(datetime(2026, 1, 1, 17, 0))
    backups = BackupService(services.data_dir, clock=clock)
    old = old_automatic_backups(services, clock, 20)
    stuck = old[1]
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name == stuck.name:
            raise held(self)  # held for longer than the retries wait
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    info = backups.backup_automatic()  # does not raise
    assert info.path.exists() and backups.peek(info.path).restorable
    assert stuck.exists()
    problem = backups.prune_problem
    assert problem is not None and "1 份" in problem and stuck.name in problem
    assert "备份本身已完成" in problem
    # the retention rules still applied to every other file
    assert sum(p.exists() for p in old) < 20
    # a backup before an import goes through too: the import is not stopped
    assert backups.backup_before("导入").path.exists()
    # once the scanner lets go, the next prune deletes it and the note goes
    monkeypatch.setattr(Path, "unlink", real_unlink)
    clock.at += timedelta(days=1)
    backups.backup_automatic()
    assert not stuck.exists() and backups.prune_problem is None
