"""Committed work rarely lives only in the log, and a damaged log is noticed at start:
kept aside, said, the newest backup offered."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.cli import main
from desktop.db import engine as engine_module
from desktop.db import wal
from desktop.db.engine import wait_for_checkpoint
from desktop.db.wal import inspect_wal, wal_path
from desktop.services.context import open_office
from desktop.services.office.service import OfficeInfo

# SQLite's write-ahead log format: a 32-byte file header, a 24-byte header per frame
HEADER = 32
FRAME_HEADER = 24


@pytest.fixture
def office(data_root: Path) -> Path:
    services = open_office(data_root)
    try:
        services.office.save(OfficeInfo(locality="某某县", level="县级", parent="某某市"))
        services.backups.backup_automatic()
    finally:
        services.close()
    return data_root


def test_each_action_empties_the_log_unless_a_reader_is_in_the_way(office: Path) -> None:
    services = open_office(office)
    try:
        db = services.data_dir.db_path
        services.office.save(OfficeInfo(locality="甲县", level="县级", parent="某某市"))
        wait_for_checkpoint(services.engine)
        assert wal_path(db).stat().st_size == 0  # committed, and in the database file

        reader = sqlite3.connect(db)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM office").fetchone()  # holds a snapshot
        services.office.save(OfficeInfo(locality="乙县", level="县级", parent="某某市"))
        wait_for_checkpoint(services.engine)
        assert wal_path(db).stat().st_size > 0  # not waited for: done at the next action
        reader.execute("ROLLBACK")
        reader.close()
        services.office.save(OfficeInfo(locality="丙县", level="县级", parent="某某市"))
        wait_for_checkpoint(services.engine)
        assert wal_path(db).stat().st_size == 0
    finally:
        services.close()
    assert not wal_path(db).exists() or wal_path(db).stat().st_size == 0


def test_the_log_is_emptied_off_the_actions_thread_and_never_under_a_transaction(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The action is done once committed: its log is emptied on a thread of its own, and
    only while no connection of the program is in use — emptying it holds the write lock,
    which a transaction that began by reading would be refused at once when it writes."""
    emptied: list[tuple[str, int]] = []
    empty = wal.checkpoint

    def spied(conn: sqlite3.Connection, busy_timeout_ms: int) -> bool:
        emptied.append((threading.current_thread().name, busy_timeout_ms))
        return empty(conn, busy_timeout_ms)

    monkeypatch.setattr(wal, "checkpoint", spied)
    services = open_office(office)
    try:
        db = services.data_dir.db_path
        services.office.save(OfficeInfo(locality="甲县", level="县级", parent="某某市"))
        wait_for_checkpoint(services.engine)
        assert emptied == [("wal-checkpoint", 0)]
        checkpointer = engine_module._CHECKPOINTERS[services.engine]
        with services.sessions.begin() as session:
            session.execute(text("SELECT count(*) FROM office")).one()  # reads first
            checkpointer.request()  # as another action's end would, meanwhile
            checkpointer.wait()
            assert len(emptied) == 1  # the pages copied, the log left for later
            session.execute(text("UPDATE office SET locality = '乙县'"))  # then writes
        wait_for_checkpoint(services.engine)
        assert len(emptied) == 2
        assert wal_path(db).stat().st_size == 0
    finally:
        services.close()


def _crashed_copy(office: Path, target: Path) -> Path:
    """Two changes committed by a program killed before it checkpointed: the folder as the
    next start finds it."""
    db = office / "ledger.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    for name in ("改名一县", "改名二县"):
        conn.execute("UPDATE office SET locality = ? WHERE id = 1", (name,))
    shutil.copytree(office, target, ignore=shutil.ignore_patterns("instance.lock", "*-shm"))
    conn.close()
    return target


def _flip_first_frame(root: Path) -> None:
    wal = wal_path(root / "ledger.sqlite3")
    data = bytearray(wal.read_bytes())
    data[HEADER + FRAME_HEADER + 200] ^= 0x01
    wal.write_bytes(bytes(data))


def _locality(root: Path) -> str:
    conn = sqlite3.connect(f"file:{root / 'ledger.sqlite3'}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT locality FROM office").fetchone()[0])
    finally:
        conn.close()


def test_a_sound_log_after_a_crash_is_simply_replayed(office: Path, tmp_path: Path) -> None:
    root = _crashed_copy(office, tmp_path / "crashed")
    services = open_office(root)
    try:
        assert services.wal_damage is None
        assert services.office.get().locality == "改名二县"
    finally:
        services.close()


def test_a_damaged_log_is_said_kept_and_the_backup_offered(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _crashed_copy(office, tmp_path / "crashed")
    _flip_first_frame(root)
    damaged_log = wal_path(root / "ledger.sqlite3").read_bytes()

    code = main(["--data-dir", str(root), "office", "show", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and '"locality": "某某县"' in out  # both changes are gone: SQLite's rule
    (line,) = err.strip().splitlines()
    assert line.startswith("注意：上次关闭前的部分修改可能已经丢失") and "校验失败" in line
    assert "含 2 次已保存的修改" in line and "db restore --latest" in line and "自动-" in line
    (kept,) = (root / "backups").glob("损坏-*.sqlite3")
    assert kept.name in line
    assert wal_path(kept).read_bytes() == damaged_log  # the evidence, byte for byte
    assert inspect_wal(kept) is not None and inspect_wal(kept).lost_commits == 2  # type: ignore[union-attr]

    code = main(["--data-dir", str(root), "office", "show", "--json"])
    _, err = capsys.readouterr()
    assert code == 0 and err == ""  # said once: the log was emptied at the first close


def test_db_check_names_a_damaged_log(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _crashed_copy(office, tmp_path / "crashed")
    _flip_first_frame(root)
    code = main(["--data-dir", str(root), "db", "check"])
    _, err = capsys.readouterr()
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "数据库日志文件（-wal）" in err and "校验失败" in err


def test_a_log_cut_short_is_said(office: Path, tmp_path: Path) -> None:
    root = _crashed_copy(office, tmp_path / "crashed")
    wal = wal_path(root / "ledger.sqlite3")
    wal.write_bytes(wal.read_bytes()[:-1000])
    services = open_office(root)
    try:
        assert services.wal_damage is not None
        assert "末尾不完整" in services.wal_damage.problem
        assert services.wal_damage.backup is not None
        assert _locality(root) == "改名一县"  # the second change was cut off
    finally:
        services.close()
