"""A data folder on a network drive keeps SQLite's rollback journal, never WAL.

WAL's index lives in shared memory beside the database, which a network file system does
not share safely between computers (https://sqlite.org/wal.html, "WAL does not work over a
network filesystem"). Whether a folder is on a network drive is asked of
``desktop.locations`` (tested there with Windows and Linux layouts); here it is answered
"yes" for one folder and the whole life of an office is checked: opening, backing up,
restoring, reopening.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.db import backup as backup_module
from desktop.services.context import open_office


def _journal_mode(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder the program takes for a network drive; everything else stays local."""
    share = tmp_path / "share"
    share.mkdir()

    def on_network_drive(path: str | Path) -> bool:
        return Path(path).is_relative_to(share)

    monkeypatch.setattr(backup_module, "on_network_drive", on_network_drive)
    return share


def test_an_office_on_a_network_drive_uses_the_rollback_journal(share: Path) -> None:
    root = share / "发改局" / "office"
    services = open_office(root)
    try:
        with services.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
        good = services.backups.backup_automatic()
        services.restoring.restore(good.path)
        assert not (root / "ledger.sqlite3-wal").exists()
        assert not (root / "ledger.sqlite3-shm").exists()
    finally:
        services.close()
    assert _journal_mode(root / "ledger.sqlite3") == "delete"  # the restore kept it so
    services = open_office(root)
    services.close()
    assert _journal_mode(root / "ledger.sqlite3") == "delete"


def test_a_database_moved_onto_a_network_drive_leaves_wal(tmp_path: Path, share: Path) -> None:
    local = tmp_path / "local"
    services = open_office(local)
    services.close()
    assert _journal_mode(local / "ledger.sqlite3") == "wal"
    moved = share / "office"
    moved.mkdir()
    (moved / "ledger.sqlite3").write_bytes((local / "ledger.sqlite3").read_bytes())
    services = open_office(moved)
    services.close()
    assert _journal_mode(moved / "ledger.sqlite3") == "delete"


def test_a_local_office_keeps_wal(tmp_path: Path, share: Path) -> None:
    services = open_office(tmp_path / "local")
    try:
        with services.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        services.close()
