"""The start-up check: a damaged database is said plainly, never written, and a backup offered."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.db.integrity import startup_problem
from desktop.errors import DatabaseError
from desktop.services.context import open_office
from desktop.services.office.service import OfficeInfo
from desktop.services.safety.backups import DatabaseDamagedError


def _office_with_backup(root: Path) -> Path:
    services = open_office(root)
    try:
        services.office.save(OfficeInfo(locality="某某县", level="县级", parent="某某市"))
        notice = next(n for n in services.notices.list() if n.builtin)
        wl = services.list_lifecycle.create(notice.id, 2027)
        services.task_editing.generate_draft(wl.id)
        return services.backups.backup_automatic().path
    finally:
        services.close()


def _truncate(db: Path) -> None:
    with open(db, "r+b") as f:
        f.truncate(db.stat().st_size * 6 // 10)


def _flip_task_page(db: Path) -> None:
    """Flip the bits of the first byte (the page type) of the task table's root page."""
    conn = sqlite3.connect(db)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'task'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(db, "r+b") as f:
        f.seek((root - 1) * page_size)
        byte = f.read(1)[0]
        f.seek((root - 1) * page_size)
        f.write(bytes([byte ^ 0xFF]))


def _flip_header(db: Path) -> None:
    with open(db, "r+b") as f:
        f.write(b"SQLite format 2")


DAMAGE = {"truncated": _truncate, "bit-flipped": _flip_task_page, "header": _flip_header}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_database_is_reported_not_written(data_root: Path, damage: str) -> None:
    good = _office_with_backup(data_root)
    db = data_root / "ledger.sqlite3"
    DAMAGE[damage](db)
    before = db.read_bytes()
    with pytest.raises(DatabaseDamagedError) as caught:
        open_office(data_root)
    err = caught.value
    assert "已损坏" in str(err) and "没有写入" in str(err)
    assert err.backup is not None and err.backup.info.path == good
    assert err.backup.restorable and err.backup.summary is not None
    assert err.backup.summary.locality == "某某县"
    assert f'db restore --from "{good}"' in str(err)
    assert db.read_bytes() == before  # not migrated, not repaired, not touched
    assert not list((data_root / "backups").glob("升级前-*"))
    # the folder is not left locked: the restore can take the lock
    from desktop.services.safety.backups import restore_data_folder

    restore_data_folder(data_root, good)
    services = open_office(data_root)
    try:
        assert services.office.get().locality == "某某县"
    finally:
        services.close()


def test_damaged_without_any_backup_says_so(data_root: Path) -> None:
    services = open_office(data_root)
    services.close()
    _truncate(data_root / "ledger.sqlite3")
    with pytest.raises(DatabaseDamagedError) as caught:
        open_office(data_root)
    assert caught.value.backup is None
    assert "没有完好的备份" in str(caught.value) and "db restore" in str(caught.value)


def test_the_newest_good_backup_is_offered_not_the_newest(data_root: Path) -> None:
    good = _office_with_backup(data_root)
    newer = good.with_name("自动-29990101-000000.sqlite3")
    newer.write_bytes(good.read_bytes()[:5000])  # a damaged copy that sorts first
    _truncate(data_root / "ledger.sqlite3")
    with pytest.raises(DatabaseDamagedError) as caught:
        open_office(data_root)
    assert caught.value.backup is not None and caught.value.backup.info.path == good


def test_sound_new_and_empty_databases_pass(tmp_path: Path) -> None:
    assert startup_problem(tmp_path / "missing.sqlite3") is None
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert startup_problem(empty) is None
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"\x01" * 8192)
    assert "文件头已损坏" in (startup_problem(garbage) or "")


def test_an_unreadable_database_is_an_environment_error_not_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "ledger.sqlite3"
    db.write_bytes(b"x" * 100)

    def locked(*_a: object, **_k: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(sqlite3, "connect", locked)
    with pytest.raises(DatabaseError, match="其他程序占用") as caught:
        startup_problem(db)
    # at start-up the user has done nothing yet: no “刚才的操作没有完成”
    message = str(caught.value)
    assert "刚才的操作" not in message and "数据没有改动" in message
    assert "重新打开清单台账" in message


@pytest.mark.parametrize("lost", ["emptied", "missing"])
def test_a_database_emptied_or_gone_beside_backups_is_offered_the_backup(
    data_root: Path, lost: str
) -> None:
    """SQLite takes a 0-byte or missing file for a new database: the program would start as
    on the first day and the office's data would seem lost, while backups sit beside it."""
    good = _office_with_backup(data_root)
    db = data_root / "ledger.sqlite3"
    for extra in data_root.glob("ledger.sqlite3-*"):
        extra.unlink()
    if lost == "emptied":
        db.write_bytes(b"")
    else:
        db.unlink()
    with pytest.raises(DatabaseDamagedError) as caught:
        open_office(data_root)
    err = caught.value
    assert err.backup is not None and err.backup.info.path == good
    assert ("0 字节" if lost == "emptied" else "不见了") in err.problem and err.lost
    assert "损坏" not in str(err)  # nothing is left to damage further
    # nothing was created or written in its place
    assert (db.read_bytes() == b"") if lost == "emptied" else not db.exists()


def test_an_empty_database_without_backups_is_a_first_start(tmp_path: Path) -> None:
    root = tmp_path / "新单位"
    root.mkdir()
    (root / "ledger.sqlite3").write_bytes(b"")
    services = open_office(root)
    try:
        assert not services.office.get().configured
    finally:
        services.close()


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_the_read_only_ledger_command_says_the_damage_and_prints_nothing(
    data_root: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``ledger pdf`` opens the folder read-only (``desktop.services.reader``) with the same
    start-up check: the same message, no file, nothing written."""
    from desktop.cli import EXIT_USER_ERROR, main

    good = _office_with_backup(data_root)
    db = data_root / "ledger.sqlite3"
    DAMAGE[damage](db)
    before = db.read_bytes()
    out = data_root.parent / "台账.pdf"
    args = ["--data-dir", str(data_root), "ledger", "pdf", "--year", "2027", "--out", str(out)]
    assert main(args) == EXIT_USER_ERROR
    said = capsys.readouterr().err
    assert "已损坏" in said and "没有写入" in said and f'db restore --from "{good}"' in said
    assert not out.exists()
    assert db.read_bytes() == before
    # the folder is not left locked
    from desktop.services.safety.backups import restore_data_folder

    restore_data_folder(data_root, good)


def test_the_read_only_open_awaits_the_check_before_upgrading_an_older_database(
    tmp_path: Path,
) -> None:
    """The reader's quick check runs beside its opening; an older database is upgraded only
    after its verdict, so a damaged one is neither upgraded nor backed up for it."""
    import shutil

    from desktop.services.reader import open_reader

    root = tmp_path / "office"
    root.mkdir()
    db = root / "ledger.sqlite3"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "db" / "rev_0006.sqlite3", db)
    _flip_task_page(db)
    before = db.read_bytes()
    with pytest.raises(DatabaseDamagedError) as caught:
        open_reader(root)
    assert "已损坏" in str(caught.value) and not caught.value.altered
    assert db.read_bytes() == before
    assert not list((root / "backups").glob("升级前-*"))
    with pytest.raises(DatabaseDamagedError):  # not locked: the folder was let go of
        open_office(root)
