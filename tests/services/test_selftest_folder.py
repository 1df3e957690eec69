"""``selftest`` checks the office's real data folder first and fails for each kind of damage,
without changing anything in it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.instance_lock import InstanceLock
from desktop.services.context import open_office
from desktop.services.office.service import OfficeInfo
from desktop.services.selftest_folder import check_data_folder
from tests.conftest import FIXTURES, ROOT
from tests.hostile import dump


@pytest.fixture
def office(data_root: Path) -> Path:
    services = open_office(data_root)
    try:
        services.office.save(OfficeInfo(locality="某某县", level="县级", parent="某某市"))
        notice = next(n for n in services.notices.list() if n.builtin)
        wl = services.list_lifecycle.create(notice.id, 2027)
        services.task_editing.generate_draft(wl.id)
        services.backups.backup_automatic()
    finally:
        services.close()
    return data_root


def _truncate(root: Path) -> None:
    db = root / "ledger.sqlite3"
    with open(db, "r+b") as f:
        f.truncate(db.stat().st_size // 2)


def _garbage(root: Path) -> None:
    (root / "ledger.sqlite3").write_bytes(os.urandom(64 * 1024))


def _deleted(root: Path) -> None:
    (root / "ledger.sqlite3").unlink()


def _planted(root: Path) -> None:
    conn = sqlite3.connect(root / "ledger.sqlite3")
    conn.execute(
        "CREATE TRIGGER rewrite AFTER INSERT ON audit_log "
        "BEGIN UPDATE progress_report SET percent = 100; END"
    )
    conn.commit()
    conn.close()


def _audit_edited(root: Path) -> None:
    conn = sqlite3.connect(root / "ledger.sqlite3")
    conn.execute("UPDATE audit_log SET summary = '改过的记录' WHERE id = 2")
    conn.commit()
    conn.close()


def _bad_backup(root: Path) -> None:
    (root / "backups" / "手动-20270101-120000.sqlite3").write_bytes(b"not a database" * 100)


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated": (_truncate, "本单位数据库"),
    "garbage": (_garbage, "本单位数据库"),
    "deleted": (_deleted, "不见了"),
    "planted trigger": (_planted, "多出触发器 rewrite"),
    "audit chain": (_audit_edited, "审计记录链"),
    "unreadable backup": (_bad_backup, "手动-20270101-120000.sqlite3"),
}


def _files(root: Path) -> dict[str, bytes]:
    """The folder's content; SQLite's shared-memory index (rebuilt by any reader of a WAL
    database) and an empty WAL (created by one) are not content."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and p.parent.name != "logs"
        and p.name != "instance.lock"
        and not p.name.endswith("-shm")
        and not (p.name.endswith("-wal") and p.stat().st_size == 0)
    }


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_each_kind_of_damage_fails_the_folder_check(office: Path, kind: str) -> None:
    damage, named = DAMAGE[kind]
    damage(office)
    before = _files(office)
    lines: list[str] = []
    assert check_data_folder(office, lines.append) is False
    failed = [line for line in lines if line.startswith("失败")]
    assert failed and named in "\n".join(lines), lines
    assert _files(office) == before  # only read


def test_a_sound_folder_passes_and_says_what_it_checked(office: Path) -> None:
    before = dump(office / "ledger.sqlite3")
    lines: list[str] = []
    assert check_data_folder(office, lines.append) is True
    assert [line.split("：")[0] for line in lines] == [
        "通过  本单位数据库",
        "通过  审计记录链",
        "通过  备份",
    ]
    assert "1 份都能打开" in lines[-1]
    assert dump(office / "ledger.sqlite3") == before


def test_an_older_database_passes_before_it_is_upgraded(tmp_path: Path) -> None:
    (sample,) = (FIXTURES / "db").glob("rev_0001.sqlite3")
    root = tmp_path / "office"
    root.mkdir()
    shutil.copy(sample, root / "ledger.sqlite3")
    before = (root / "ledger.sqlite3").read_bytes()
    lines: list[str] = []
    assert check_data_folder(root, lines.append) is True, lines
    assert "下次打开时升级" in lines[0]
    assert (root / "ledger.sqlite3").read_bytes() == before


def test_a_missing_folder_is_not_created_and_an_open_one_is_left_alone(
    tmp_path: Path, office: Path
) -> None:
    lines: list[str] = []
    assert check_data_folder(tmp_path / "none", lines.append) is True
    assert not (tmp_path / "none").exists()
    with InstanceLock(office / "instance.lock"):
        lines.clear()
        assert check_data_folder(office, lines.append) is True
    assert lines[0].startswith("跳过") and "正在使用" in lines[0]


def test_selftest_command_fails_on_a_damaged_folder(office: Path) -> None:
    _truncate(office)
    before = (office / "ledger.sqlite3").read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(office), "selftest"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=300,
        check=False,
    )
    assert proc.returncode != 0 and "自检未通过" in proc.stderr and "Traceback" not in proc.stderr
    assert "失败  本单位数据库" in proc.stderr
    assert "通过  台账 PDF" in proc.stderr  # the rest still ran
    assert (office / "ledger.sqlite3").read_bytes() == before
