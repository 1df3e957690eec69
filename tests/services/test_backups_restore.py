"""Restoring each kind of backup, into a sound or a damaged database, and refusing bad ones."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.db.backup import backup_database
from desktop.db.integrity import check_database
from desktop.errors import DatabaseError
from desktop.services.context import Services, open_office
from desktop.services.office.service import OfficeInfo
from desktop.services.safety.backup_files import new_backup_path
from desktop.services.safety.backups import BackupInfo, restore_data_folder
from tests.conftest import BUILTIN_NOTICE, FIXTURES


def _setup(services: Services) -> int:
    services.office.save(
        OfficeInfo(locality="某某县", level="县级", parent="某某市", operator="张三")
    )
    notice = next(n for n in services.notices.list() if n.builtin)
    wl = services.list_lifecycle.create(notice.id, 2027)
    services.task_editing.generate_draft(wl.id)
    return wl.id


def _state(services: Services) -> tuple[str, int]:
    own = services.worklists.lists(own=True)
    tasks = sum(len(services.worklists.rows(s.id)) for s in own)
    return services.office.get().locality, tasks


def _upgrade_backup(services: Services) -> BackupInfo:
    """What ``ensure_schema`` writes before an upgrade (named 升级前-<revision>-<time>)."""
    from datetime import datetime

    target = new_backup_path(services.data_dir.backups, "升级前", datetime.now(), "0001")
    backup_database(services.data_dir.db_path, target)
    return services.backups.describe(target)


def _import_backup(services: Services) -> BackupInfo:
    services.notices.import_file(BUILTIN_NOTICE, replace=True)
    return next(b for b in services.backups.list_backups() if b.kind == "导入前")


KINDS: dict[str, Callable[[Services], BackupInfo]] = {
    "automatic": lambda s: s.backups.backup_automatic(),
    "manual": lambda s: s.backups.backup_now(),
    "pre-upgrade": _upgrade_backup,
    "pre-import": _import_backup,
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_restore_each_kind_of_backup(data_root: Path, kind: str) -> None:
    services = open_office(data_root)
    try:
        list_id = _setup(services)
        taken = KINDS[kind](services)
        assert _state(services) == ("某某县", 38)
        # later work the backup does not have
        rows = services.worklists.rows(list_id)
        services.task_editing.delete_tasks(list_id, [r.id for r in rows[:30]])
        assert _state(services) == ("某某县", 8)
        result = services.restoring.restore(taken.path)
    finally:
        services.close()
    assert result.source == taken.path and result.damaged_copy is None
    assert result.safety_backup is not None and result.safety_backup.name.startswith("恢复前-")
    reopened = open_office(data_root)
    try:
        assert _state(reopened) == ("某某县", 38)
        assert reopened.maintenance.check() == []
        # the database as it was before the restore can be restored in turn
        before = reopened.backups.peek(result.safety_backup)
        assert before.restorable and before.summary is not None and before.summary.tasks == 8
    finally:
        reopened.close()


def test_restore_from_a_usb_copy_and_from_an_old_sample(data_root: Path, tmp_path: Path) -> None:
    services = open_office(data_root)
    try:
        _setup(services)
        usb = services.backups.backup_to(tmp_path / "U盘" / "年中备份.sqlite3")
    finally:
        services.close()
    sample = tmp_path / "rev_0001.sqlite3"
    shutil.copy(FIXTURES / "db" / "rev_0001.sqlite3", sample)
    result = restore_data_folder(data_root, sample)
    assert result.contents.summary is not None
    reopened = open_office(data_root)
    try:
        # the sample's audit rows are made by hand (no hash chain): SQLite's checks only
        assert check_database(reopened.data_dir.db_path) == []
        sample_locality = result.contents.summary.locality
        assert reopened.office.get().locality == sample_locality
    finally:
        reopened.close()
    restore_data_folder(data_root, usb.path)
    reopened = open_office(data_root)
    try:
        assert _state(reopened) == ("某某县", 38)
    finally:
        reopened.close()


def test_restore_while_the_services_are_open(county_services: Services) -> None:
    """The GUI's way: restore with the services open, then reopen the folder."""
    taken = county_services.backups.backup_now()
    county_services.office.save(
        OfficeInfo(locality="改名县", level="县级", parent="某某市", operator="张三")
    )
    county_services.restoring.restore(taken.path)
    # the engine reconnects by itself; the restored data is what the services now see
    assert county_services.office.get().locality == "某某县"


@pytest.fixture
def county_services(data_root: Path) -> Services:
    services = open_office(data_root)
    _setup(services)
    yield services  # type: ignore[misc]
    services.close()


@pytest.mark.parametrize("damage", ["truncate", "header"])
def test_restore_over_a_damaged_database_keeps_it_aside(data_root: Path, damage: str) -> None:
    services = open_office(data_root)
    try:
        _setup(services)
        good = services.backups.backup_automatic()
    finally:
        services.close()
    db = data_root / "ledger.sqlite3"
    if damage == "truncate":
        with open(db, "r+b") as f:
            f.truncate(db.stat().st_size // 2)
    else:
        with open(db, "r+b") as f:
            f.write(b"XXXXXXXX")
    damaged_bytes = db.read_bytes()
    result = restore_data_folder(data_root, good.path)
    assert result.damaged_copy is not None and result.damaged_copy.name.startswith("损坏-")
    assert result.damaged_copy.read_bytes() == damaged_bytes
    reopened = open_office(data_root)
    try:
        assert _state(reopened) == ("某某县", 38)
        # a damaged copy is evidence, not something offered for restoring
        assert all(b.kind != "损坏" for b in reopened.backups.list_backups())
    finally:
        reopened.close()


def test_bad_backups_are_refused_and_change_nothing(data_root: Path, tmp_path: Path) -> None:
    services = open_office(data_root)
    try:
        _setup(services)
    finally:
        services.close()
    db = data_root / "ledger.sqlite3"
    before = db.read_bytes()
    garbage = tmp_path / "坏的备份.sqlite3"
    garbage.write_bytes(b"\x00garbage" * 4096)
    with pytest.raises(DatabaseError, match="不能使用"):
        restore_data_folder(data_root, garbage)
    with pytest.raises(DatabaseError, match="当前数据库本身"):
        restore_data_folder(data_root, db)
    assert db.read_bytes() == before
    assert not list((data_root / "backups").glob("恢复前-*"))


def test_a_running_program_is_not_overwritten(county_services: Services, tmp_path: Path) -> None:
    from desktop.errors import InstanceLockedError

    copy = county_services.backups.backup_to(tmp_path / "copy.sqlite3")
    with pytest.raises(InstanceLockedError):
        restore_data_folder(county_services.data_dir.root, copy.path)


def test_schedule_take_and_cancel(county_services: Services, tmp_path: Path) -> None:
    restoring = county_services.restoring
    taken = county_services.backups.backup_now()
    restoring.schedule_restore(taken.path)
    assert restoring.take_scheduled_restore() == taken.path
    assert restoring.take_scheduled_restore() is None
    restoring.schedule_restore(taken.path)
    restoring.cancel_scheduled_restore()
    assert restoring.take_scheduled_restore() is None
    garbage = tmp_path / "x.sqlite3"
    garbage.write_bytes(b"nope" * 100)
    with pytest.raises(DatabaseError):
        restoring.schedule_restore(garbage)
    assert restoring.take_scheduled_restore() is None
