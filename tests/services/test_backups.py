"""Backups: automatic and daily, before imports, manual; listing, peeking, pruning."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop.db.engine import wait_for_checkpoint
from desktop.errors import DatabaseError
from desktop.paths import DataDir
from desktop.services.context import Services
from desktop.services.notices.service import BUILTIN_NOTICE_FILE, NoticeExistsError
from desktop.services.office.service import OfficeInfo
from desktop.services.safety.backup_files import describe, kind_for_reason, new_backup_path
from desktop.services.safety.backups import BackupService
from tests.conftest import BUILTIN_NOTICE


class Clock:
    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def county(services: Services) -> Services:
    services.office.save(
        OfficeInfo(locality="某某县", level="县级", parent="某某市", operator="张三")
    )
    notice = next(n for n in services.notices.list() if n.builtin)
    wl = services.list_lifecycle.create(notice.id, 2027)
    services.task_editing.generate_draft(wl.id)
    return services


def backups_at(services: Services, clock: Clock) -> BackupService:
    return BackupService(services.data_dir, clock=clock)


def test_an_automatic_backup_is_listed_with_what_it_holds(county: Services) -> None:
    info = county.backups.backup_automatic()
    assert info.path.parent == county.data_dir.backups
    assert info.path.name.startswith("自动-") and info.kind_label == "自动备份"
    assert info.size == info.path.stat().st_size > 0
    assert [b.path for b in county.backups.list_backups()] == [info.path]
    contents = county.backups.peek(info.path)
    assert contents.restorable and contents.problem is None
    s = contents.summary
    assert s is not None
    assert (s.locality, s.level, s.parent) == ("某某县", "县级", "某某市")
    assert (s.own_lists, s.own_years, s.tasks, s.notices) == (1, (2027,), 38, 1)
    assert "生成初稿" in s.last_change and s.last_operator == "张三"
    text = contents.describe_holdings()
    assert "某某县" in text and "任务 38 项" in text and "2027" in text and "最后修改" in text


def test_the_daily_backup_is_due_after_a_day(county: Services) -> None:
    clock = Clock(datetime(2026, 3, 2, 9, 0))
    backups = backups_at(county, clock)
    assert backups.automatic_due()
    first = backups.backup_if_due()
    assert first is not None and first.taken_at == datetime(2026, 3, 2, 9, 0)
    clock.at += timedelta(hours=23)
    assert not backups.automatic_due() and backups.backup_if_due() is None
    clock.at += timedelta(hours=1)
    assert backups.automatic_due()
    assert backups.backup_if_due() is not None
    # backups of other kinds do not count as the daily one
    clock.at += timedelta(days=2)
    backups.backup_now()
    backups.backup_before("导入")
    assert backups.automatic_due()


def test_rolling_retention_over_a_year_of_exits(county: Services) -> None:
    clock = Clock(datetime(2026, 1, 5, 17, 30))
    backups = backups_at(county, clock)
    manual = backups.backup_now()
    folder = county.data_dir.backups
    upgrade = new_backup_path(folder, "升级前", clock.at, "0001")
    upgrade.write_bytes(manual.path.read_bytes())
    # a year of exits (the files' contents do not matter to the schedule) ...
    for day in range(365):
        new_backup_path(folder, "自动", clock.at + timedelta(days=day)).write_bytes(b"x")
    clock.at += timedelta(days=365)
    # ... then a month more of real backups, pruned after each as the program does
    for _day in range(35):
        backups.backup_automatic()
        clock.at += timedelta(days=1)
    auto = [b for b in backups.list_backups() if b.kind == "自动"]
    assert len(auto) == 7 + 4 + 12
    newest = auto[0].taken_at
    assert newest == datetime(2026, 1, 5, 17, 30) + timedelta(days=399)
    assert [b.taken_at for b in auto[:7]] == [newest - timedelta(days=d) for d in range(7)]
    assert auto[-1].taken_at < newest - timedelta(days=330)
    # the user's own and the pre-upgrade backups are never pruned
    assert manual.path.exists() and upgrade.exists()


def test_before_action_backups_keep_the_newest_twenty(county: Services) -> None:
    clock = Clock(datetime(2026, 5, 1, 8, 0))
    backups = backups_at(county, clock)
    made = []
    for _ in range(25):
        made.append(backups.backup_before("导入"))
        clock.at += timedelta(minutes=7)
    left = [b.path for b in backups.list_backups() if b.kind == "导入前"]
    assert left == [m.path for m in reversed(made[-20:])]
    assert all(b.kind_label == "导入前备份" for b in made)


def test_two_backups_in_one_second_get_distinct_names(county: Services) -> None:
    clock = Clock(datetime(2026, 5, 1, 8, 0))
    backups = backups_at(county, clock)
    a = backups.backup_now()
    b = backups.backup_now()
    assert a.path != b.path and b.path.name.endswith("-2.sqlite3")
    assert describe(b.path).taken_at == a.taken_at


def test_reason_names() -> None:
    assert kind_for_reason("导入") == "导入前"
    assert kind_for_reason("删除清单前") == "删除清单前"
    assert kind_for_reason(" a/b\\c: ") == "abc前"
    assert kind_for_reason("") == "操作前"


def test_notice_import_is_preceded_by_a_backup(county: Services) -> None:
    before = county.backups.list_backups()
    assert before == []  # the built-in notice of a new folder took none
    county.notices.import_file(BUILTIN_NOTICE, replace=True)
    taken = county.backups.list_backups()
    assert [b.kind for b in taken] == ["导入前"]
    # the backup holds the database as it was before the import
    contents = county.backups.peek(taken[0].path)
    assert contents.summary is not None and "生成初稿" in contents.summary.last_change
    # an import refused anyway (exists, no replace) takes no backup
    with pytest.raises(NoticeExistsError):
        county.notices.import_file(BUILTIN_NOTICE)
    assert len(county.backups.list_backups()) == 1


def test_backup_to_a_folder_or_file(county: Services, tmp_path: Path) -> None:
    usb = tmp_path / "U盘 #1"
    usb.mkdir()
    into_folder = county.backups.backup_to(usb)
    assert into_folder.path.parent == usb and into_folder.path.name.startswith("清单台账备份-")
    named = county.backups.backup_to(usb / "年中.sqlite3")
    assert named.path.exists() and county.backups.peek(named.path).restorable
    with pytest.raises(DatabaseError, match="数据文件夹"):
        county.backups.backup_to(county.data_dir.db_path)
    assert county.backups.list_backups() == []  # copies elsewhere are not in the folder


def test_backup_never_overwrites_a_file_it_was_not_told_to(
    county: Services, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"PK\x03\x04 the user's own document")
    with pytest.raises(DatabaseError, match="已存在") as caught:
        county.backups.backup_to(notes)
    assert "notes.docx" in str(caught.value) and len(str(caught.value).splitlines()) == 1
    assert notes.read_bytes() == b"PK\x03\x04 the user's own document"
    assert not list(tmp_path.glob("*.part"))
    # the save dialog asked, and the user said replace
    replaced = county.backups.backup_to(notes, replace=True)
    assert county.backups.peek(replaced.path).restorable


def test_two_backups_into_one_folder_in_the_same_second_get_two_names(
    county: Services, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    service = BackupService(county.data_dir, clock=Clock(datetime(2027, 3, 5, 9, 30, 15)))
    first = service.backup_to(usb)
    second = service.backup_to(usb)
    assert first.path.name == "清单台账备份-20270305-093015.sqlite3"
    assert second.path.name == "清单台账备份-20270305-093015-2.sqlite3"
    assert service.peek(first.path).restorable and service.peek(second.path).restorable


@pytest.mark.parametrize(
    "target",
    [
        "ledger.sqlite3-wal",
        "ledger.sqlite3-shm",
        "instance.lock",
        "logs/copy.sqlite3",
        "copy.sqlite3",
    ],
)
def test_the_live_data_folder_is_refused_except_its_backups_folder(
    county: Services, target: str
) -> None:
    root = county.data_dir.root
    wait_for_checkpoint(county.engine)  # the log of the last action emptied: files at rest
    before = {p: p.read_bytes() for p in root.iterdir() if p.is_file()}
    with pytest.raises(DatabaseError, match="数据文件夹"):
        county.backups.backup_to(root / target, replace=True)
    assert {p: p.read_bytes() for p in root.iterdir() if p.is_file() and p in before} == before
    assert not (root / "copy.sqlite3").exists()
    inside = county.backups.backup_to(county.data_dir.backups / "给局长.sqlite3")
    assert inside.path.parent == county.data_dir.backups


def _disk_full_on_copy() -> Callable[..., object]:
    """sqlite3.connect whose read-only source (the backup API's ``file:`` URI) fails with
    a full disk when it copies; other connections are real."""
    real_connect = sqlite3.connect

    class FullSource:
        def backup(self, _target: object) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        def close(self) -> None:
            pass

    def connect(target: object, *args: object, **kwargs: object) -> object:
        if str(target).startswith("file:"):
            return FullSource()
        return real_connect(target, *args, **kwargs)  # type: ignore[arg-type]

    return connect


def test_a_full_backup_disk_is_named_as_the_backups_disk(
    county: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A USB stick that fills up while backing up: the message names the stick, not the data
    folder's disk, says the database is untouched, and leaves no partial file."""
    usb = tmp_path / "U盘"
    usb.mkdir()
    monkeypatch.setattr(sqlite3, "connect", _disk_full_on_copy())
    with pytest.raises(DatabaseError) as caught:
        county.backups.backup_to(usb)
    monkeypatch.undo()
    message = str(caught.value)
    assert "磁盘空间已满" in message and str(usb) in message
    assert "数据库本身没有改动" in message and "数据文件夹" not in message
    assert list(usb.iterdir()) == []


def test_a_restore_on_a_full_disk_says_nothing_was_restored(
    county: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backup is first copied beside the database; on a full disk that copy fails, and
    the message speaks of the restore (not of “重新备份”) and of the data folder's disk."""
    from desktop.db.backup import restore_database

    good = county.backups.backup_now().path
    db = county.data_dir.db_path
    before = db.read_bytes()
    monkeypatch.setattr(sqlite3, "connect", _disk_full_on_copy())
    with pytest.raises(DatabaseError) as caught:
        restore_database(good, db, aside=county.data_dir.backups / "aside.sqlite3")
    monkeypatch.undo()
    message = str(caught.value)
    assert "恢复没有进行" in message and "磁盘空间已满" in message and "保持原样" in message
    assert "重新备份" not in message
    assert db.read_bytes() == before
    assert not list(db.parent.glob("*.part"))


def test_peek_says_why_a_file_cannot_be_restored(county: Services, tmp_path: Path) -> None:
    garbage = tmp_path / "坏.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    assert not county.backups.peek(garbage).restorable
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert "没有清单台账的数据表" in (county.backups.peek(other).problem or "")
    newer = county.backups.backup_to(tmp_path / "newer.sqlite3").path
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    problem = county.backups.peek(newer).problem or ""
    assert "更新版本" in problem and "9999" in problem


def test_peek_reads_a_database_without_every_table_and_refuses_its_schema(
    tmp_path: Path,
) -> None:
    """A file stamped 0001 that lacks most of 0001's tables is read without an error (what
    it holds is shown) but cannot be restored: its schema is not the one 0001 builds."""
    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
    conn.execute("INSERT INTO alembic_version VALUES ('0001')")
    conn.execute("CREATE TABLE notice (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    contents = BackupService(DataDir(tmp_path / "d")).peek(old)
    assert contents.summary is not None
    assert contents.summary.tasks == 0 and contents.summary.locality == ""
    assert not contents.restorable
    assert "结构被改动过" in (contents.problem or "") and "缺少触发器" in (contents.problem or "")


def test_stale_unfinished_copies_are_cleared(county: Services) -> None:
    import os
    import time

    part = county.data_dir.backups / "自动-20260101-120000.sqlite3.part"
    part.write_bytes(b"half")
    fresh = county.data_dir.backups / "自动-20260102-120000.sqlite3.part"
    fresh.write_bytes(b"being written")
    old = time.time() - 2 * 3600
    os.utime(part, (old, old))
    county.backups.prune()
    assert not part.exists() and fresh.exists()
    assert county.backups.list_backups() == []  # .part files are never listed


def test_builtin_file_name_is_the_one_imported() -> None:
    assert BUILTIN_NOTICE.name == BUILTIN_NOTICE_FILE
