"""The SQLite connection is configured for safety: foreign keys, WAL, busy timeout, real BEGIN."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from desktop.db import migrate
from desktop.db.backup import backup_database, verify_database_file
from desktop.db.engine import make_engine, make_session_factory
from desktop.db.models import Notice, WorkList
from desktop.errors import DatabaseError


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.sqlite3"
    migrate.upgrade(path)
    return path


def test_pragmas(db: Path) -> None:
    engine = make_engine(db)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000  # ten seconds
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    engine.dispose()


def test_foreign_keys_are_enforced(db: Path) -> None:
    sessions = make_session_factory(make_engine(db))
    with pytest.raises(IntegrityError), sessions.begin() as s:
        s.add(WorkList(notice_id=999, locality="某县", year=2027))


def test_a_failed_unit_of_work_leaves_nothing_behind(db: Path) -> None:
    sessions = make_session_factory(make_engine(db))
    with pytest.raises(RuntimeError), sessions.begin() as s:
        s.add(Notice(doc_number="测试〔2026〕1号"))
        s.flush()
        raise RuntimeError("crash in the middle")
    with sessions() as s:
        assert s.execute(text("SELECT count(*) FROM notice")).scalar() == 0


def test_backup_is_a_verified_consistent_copy(db: Path, tmp_path: Path) -> None:
    sessions = make_session_factory(make_engine(db))
    with sessions.begin() as s:
        s.add(Notice(doc_number="测试〔2026〕2号", title="备份测试"))
    out = backup_database(db, tmp_path / "copy" / "backup.sqlite3")
    assert verify_database_file(out) is None
    engine = make_engine(out)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT title FROM notice").scalar() == "备份测试"
    engine.dispose()
    assert not list((tmp_path / "copy").glob("*.part"))


def test_backup_of_a_damaged_file_fails_cleanly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 1000)
    with pytest.raises(DatabaseError):
        backup_database(bad, tmp_path / "out.sqlite3")
    assert not (tmp_path / "out.sqlite3").exists()
