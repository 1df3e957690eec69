"""The first version's data folder in the Windows roaming profile moves to the local one.

The platform's folders are stood in for by two temporary folders laid out as on Windows
(``…\\AppData\\Roaming\\PolicyLedger`` and ``…\\AppData\\Local\\PolicyLedger``).
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from desktop.db import backup as backup_module
from desktop.errors import InstanceLockedError, UserError
from desktop.instance_lock import InstanceLock
from desktop.services import context
from desktop.services.context import open_office
from desktop.services.office.service import OfficeInfo
from desktop.services.safety.data_home import move_data_folder, move_needed

MOVED_NOTE = "数据已移到本机.txt"  # the note left where the data was


@pytest.fixture
def profile(tmp_path: Path) -> tuple[Path, Path]:
    """(roaming, local) data folders of a user profile; the roaming one holds an office."""
    appdata = tmp_path / "Users" / "张三" / "AppData"
    roaming, local = appdata / "Roaming" / "PolicyLedger", appdata / "Local" / "PolicyLedger"
    services = open_office(roaming)
    try:
        services.office.save(OfficeInfo(locality="某某县", level="县级", parent="某某市"))
        notice = next(n for n in services.notices.list() if n.builtin)
        wl = services.list_lifecycle.create(notice.id, 2027)
        services.task_editing.generate_draft(wl.id)
        services.backups.backup_automatic()
        services.backups.backup_now()
    finally:
        services.close()
    (roaming / "window.ini").write_text("[General]\ngeometry=@ByteArray()\n", encoding="utf-8")
    return roaming, local


def _tasks(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM task").fetchone()[0])
    finally:
        conn.close()


def test_the_roaming_folder_moves_with_a_backup_first(profile: tuple[Path, Path]) -> None:
    roaming, local = profile
    before = sorted(p.name for p in (roaming / "backups").iterdir())
    assert move_needed(local, roaming)
    moved = move_data_folder(roaming, local)
    assert _tasks(local / "ledger.sqlite3") == 38
    # the 迁移前 backup was taken from the old folder and travelled with the others
    after = sorted(p.name for p in (local / "backups").iterdir())
    assert moved.backup.parent == local / "backups" and moved.backup.name.startswith("迁移前-")
    assert after == sorted([*before, moved.backup.name])
    assert _tasks(moved.backup) == 38
    assert (local / "window.ini").read_text(encoding="utf-8").startswith("[General]")
    assert (local / "logs" / "policy-ledger.log").exists()
    # the roaming profile keeps only a note of where the data went
    assert [p.name for p in roaming.iterdir()] == [MOVED_NOTE]
    note = (roaming / MOVED_NOTE).read_text(encoding="utf-8-sig")
    assert str(local) in note
    assert not move_needed(local, roaming)


def test_open_office_moves_the_default_folder_once(
    profile: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    roaming, local = profile
    monkeypatch.setattr(context, "default_data_dir", lambda: local)
    monkeypatch.setattr(context, "roaming_data_dir", lambda: roaming)
    services = open_office(local)
    try:
        assert services.moved is not None and services.moved.source == roaming
        assert len(services.worklists.rows(services.worklists.find_own(2027).id)) == 38
    finally:
        services.close()
    services = open_office(local)  # the second start finds its data where it is
    try:
        assert services.moved is None
    finally:
        services.close()
    # a folder given with --data-dir is never touched by the move
    other = local.parent / "其他"
    services = open_office(other)
    services.close()
    assert services.moved is None


def test_a_move_that_fails_half_way_changes_nothing_and_is_done_again(
    profile: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    roaming, local = profile
    real = backup_module.sqlite3.connect
    calls = {"n": 0}

    def full_disk_on_the_local_copy(target: object, *args: object, **kwargs: object) -> object:
        if str(target).endswith("ledger.sqlite3.part") and str(local) in str(target):
            calls["n"] += 1
            raise sqlite3.OperationalError("database or disk is full")
        return real(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backup_module.sqlite3, "connect", full_disk_on_the_local_copy)
    with pytest.raises(UserError) as caught:
        move_data_folder(roaming, local)
    assert calls["n"] == 1
    assert "磁盘" in str(caught.value) and "数据都还在" in (caught.value.hint or "")
    assert _tasks(roaming / "ledger.sqlite3") == 38  # the old folder still has the database
    assert not (local / "ledger.sqlite3").exists()
    assert move_needed(local, roaming)
    monkeypatch.setattr(backup_module.sqlite3, "connect", real)
    moved = move_data_folder(roaming, local)  # the next start finishes the move
    assert _tasks(local / "ledger.sqlite3") == 38
    assert moved.backup.exists() and _tasks(moved.backup) == 38
    assert [p.name for p in roaming.iterdir()] == [MOVED_NOTE]


def test_an_old_version_still_running_in_the_roaming_folder_is_said(
    profile: tuple[Path, Path],
) -> None:
    roaming, local = profile
    with InstanceLock(roaming / "instance.lock"), pytest.raises(InstanceLockedError):
        move_data_folder(roaming, local)
    assert _tasks(roaming / "ledger.sqlite3") == 38 and not (local / "ledger.sqlite3").exists()


def test_a_local_folder_with_a_database_is_never_overwritten(
    profile: tuple[Path, Path],
) -> None:
    roaming, local = profile
    services = open_office(local)
    services.close()
    assert not move_needed(local, roaming)
    assert _tasks(roaming / "ledger.sqlite3") == 38


def test_a_file_held_in_the_old_folder_is_tried_again(
    profile: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.core import file_retry
    from desktop.services.safety import data_home

    roaming, local = profile
    real = data_home.shutil.move
    refusals = {"n": 2}

    def move(src: object, dst: object) -> object:
        if refusals["n"]:
            refusals["n"] -= 1
            err = PermissionError(errno.EACCES, "另一个程序正在使用此文件", str(src))
            err.winerror = 32  # type: ignore[attr-defined]
            raise err
        return real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(data_home.shutil, "move", move)
    monkeypatch.setattr(file_retry.time, "sleep", lambda _s: None)
    move_data_folder(roaming, local)
    assert _tasks(local / "ledger.sqlite3") == 38 and refusals["n"] == 0


def test_a_folder_of_another_name_is_not_compared_with_the_per_user_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a folder named like the per-user one can be it: the others open without the
    platform's folders being looked up (``ledger pdf --data-dir`` loads no platformdirs)."""

    def not_asked() -> Path:
        raise AssertionError("the per-user folder was looked up")

    monkeypatch.setattr(context, "default_data_dir", not_asked)
    services = open_office(tmp_path / "某某县台账")
    services.close()
    assert services.moved is None
