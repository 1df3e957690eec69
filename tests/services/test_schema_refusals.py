"""A database whose schema is not the program's is refused at start, by ``db check`` and by
every restore, naming what differs; a refused restore changes nothing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.errors import DatabaseError
from desktop.paths import DataDir
from desktop.services.context import open_office
from desktop.services.office.service import OfficeInfo
from desktop.services.safety.backups import DatabaseDamagedError, RestoreService
from tests.hostile import dump

PLANTS = {
    "trigger": (
        "CREATE TRIGGER rewrite AFTER INSERT ON audit_log "
        "BEGIN UPDATE progress_report SET percent = 100; END",
        "多出触发器 rewrite（在表 audit_log 上）",
    ),
    "view": ("CREATE VIEW leak AS SELECT * FROM office", "多出视图 leak"),
    "table": ("CREATE TABLE stash (x)", "多出表 stash"),
}


def cli(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


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


def _plant(db: Path, sql: str) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("kind", sorted(PLANTS))
def test_restore_of_a_planted_copy_changes_nothing(
    capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path, kind: str
) -> None:
    sql, named = PLANTS[kind]
    planted = tmp_path / "同事给的备份.sqlite3"
    shutil.copy(next((office / "backups").glob("自动-*.sqlite3")), planted)
    _plant(planted, sql)
    db = office / "ledger.sqlite3"
    before = dump(db)
    backups_before = sorted(p.name for p in (office / "backups").iterdir())

    code, out, err = cli(capsys, office, "db", "restore", "--from", str(planted))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert named in err and "结构被改动过" in err
    assert dump(db) == before
    assert sorted(p.name for p in (office / "backups").iterdir()) == backups_before

    with pytest.raises(DatabaseError, match="结构被改动过"):
        RestoreService(DataDir(office)).restore(planted)
    assert dump(db) == before


def test_a_planted_backup_in_the_folder_is_not_offered(office: Path) -> None:
    auto = next((office / "backups").glob("自动-*.sqlite3"))
    newer = auto.with_name("手动-20991231-235959.sqlite3")
    shutil.copy(auto, newer)
    _plant(newer, PLANTS["trigger"][0])
    newest = RestoreService(DataDir(office)).newest_good()
    assert newest is not None and newest.info.path == auto


@pytest.mark.parametrize("kind", sorted(PLANTS))
def test_start_and_db_check_refuse_a_planted_database(
    capsys: pytest.CaptureFixture[str], office: Path, kind: str
) -> None:
    sql, named = PLANTS[kind]
    db = office / "ledger.sqlite3"
    _plant(db, sql)
    before = dump(db)

    code, out, err = cli(capsys, office, "db", "check")
    assert out == ""
    assert code == 2 and named in err and len(err.strip().splitlines()) == 1

    with pytest.raises(DatabaseDamagedError) as caught:
        open_office(office)
    assert caught.value.altered and named in caught.value.problem
    assert caught.value.backup is not None  # the newest good backup is offered
    code, _, err = cli(capsys, office, "office", "set", "--locality", "改名县", "--level", "县级")
    assert code == 2 and "结构被改动过" in err and "db restore" in err
    assert dump(db) == before  # the planted trigger never ran: nothing was written

    code, _, err = cli(capsys, office, "db", "restore", "--latest")
    assert code == 0, err
    code, _, err = cli(capsys, office, "db", "check")
    assert code == 0, err
