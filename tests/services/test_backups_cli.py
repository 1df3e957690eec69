"""The ``db`` commands and the command line's error mapping, run in-process (``cli.main``)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from desktop.cli import main
from desktop.services.context import open_office
from desktop.services.notices.service import NoticeService
from desktop.services.office.service import OfficeInfo
from tests.conftest import BUILTIN_NOTICE


def cli(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office(data_root: Path) -> Path:
    services = open_office(data_root)
    try:
        services.office.save(OfficeInfo(locality="某某县", level="县级", parent="某某市"))
        services.backups.backup_automatic()
    finally:
        services.close()
    return data_root


def test_backups_are_listed(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    code, out, _ = cli(capsys, office, "db", "backups", "--json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["kind"] == "自动" and row["restorable"] and row["locality"] == "某某县"
    code, out, _ = cli(capsys, office, "db", "backups")
    assert code == 0 and "自动备份" in out and "某某县" in out


def test_a_damaged_database_names_the_backup_and_the_command(
    capsys: pytest.CaptureFixture[str], office: Path
) -> None:
    db = office / "ledger.sqlite3"
    with open(db, "r+b") as f:
        f.truncate(db.stat().st_size // 2)
    damaged = db.read_bytes()
    code, out, err = cli(capsys, office, "notice", "list")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "已损坏" in err and "没有写入" in err
    assert "db restore --from" in err and "自动-" in err
    assert db.read_bytes() == damaged  # the start-up check only read it

    code, out, err = cli(capsys, office, "db", "restore", "--latest")
    assert code == 0, err
    assert "已从" in out and "某某县" in out and "损坏-" in out
    code, out, err = cli(capsys, office, "notice", "list", "--json")
    assert code == 0 and json.loads(out)[0]["measures"] == 38


def test_restore_by_name_from_the_backups_folder(
    capsys: pytest.CaptureFixture[str], office: Path
) -> None:
    name = next((office / "backups").glob("自动-*.sqlite3")).name
    code, _, _ = cli(capsys, office, "office", "set", "--locality", "改名县", "--level", "县级")
    assert code == 0
    code, out, err = cli(capsys, office, "db", "restore", "--from", name)
    assert code == 0, err
    assert "恢复前的数据库已留存为" in out and "恢复前-" in out
    code, out, _ = cli(capsys, office, "office", "show", "--json")
    assert json.loads(out)["locality"] == "某某县"


def test_restore_refuses_what_it_cannot_use(
    capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path
) -> None:
    code, _, err = cli(capsys, office, "db", "restore", "--from", str(tmp_path / "无.sqlite3"))
    assert code == 2 and "找不到备份文件" in err
    bad = tmp_path / "坏.sqlite3"
    bad.write_bytes(b"junk" * 1000)
    code, _, err = cli(capsys, office, "db", "restore", "--from", str(bad))
    assert code == 2 and "不能使用" in err and "Traceback" not in err
    code, _, err = cli(capsys, tmp_path / "empty", "db", "restore", "--latest")
    assert code == 2 and "没有完好的备份" in err


def test_backup_into_a_folder(
    capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    code, out, err = cli(capsys, office, "db", "backup", "--out", str(usb))
    assert code == 0, err
    (copy,) = usb.glob("清单台账备份-*.sqlite3")
    assert str(copy) in out


def test_a_full_disk_is_one_chinese_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_a: object, **_k: object) -> None:
        raise OperationalError(
            "INSERT INTO notice …", {}, sqlite3.OperationalError("database or disk is full")
        )

    monkeypatch.setattr(NoticeService, "import_parsed", full)
    db = office / "ledger.sqlite3"
    code, out, err = cli(capsys, office, "notice", "import", str(BUILTIN_NOTICE), "--replace")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "磁盘空间已满" in err and str(office) in err and "Traceback" not in err
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM audit_log WHERE action='replace'").fetchone() == (
            0,
        )
    finally:
        conn.close()


def test_a_bug_still_goes_to_the_log(
    capsys: pytest.CaptureFixture[str], office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_a: object, **_k: object) -> None:
        raise KeyError("measure_code")

    monkeypatch.setattr(NoticeService, "list", broken)
    code, out, err = cli(capsys, office, "notice", "list")
    assert out == ""
    assert code == 70 and "程序内部错误" in err and "Traceback" not in err
    log = (office / "logs" / "policy-ledger.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "measure_code" in log


def test_backup_out_refuses_an_existing_file_and_the_live_folder(
    capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"the user's notes")
    code, out, err = cli(capsys, office, "db", "backup", "--out", str(notes))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "notes.docx" in err and "不会覆盖" in err
    assert notes.read_bytes() == b"the user's notes"
    for inside in ("ledger.sqlite3-wal", "ledger.sqlite3-shm", "instance.lock", "new.sqlite3"):
        target = office / inside
        before = target.read_bytes() if target.exists() else None
        code, _, err = cli(capsys, office, "db", "backup", "--out", str(target))
        assert code == 2 and "数据文件夹" in err, inside
        assert (target.read_bytes() if target.exists() else None) == before


@pytest.mark.parametrize("target", ["ledger.sqlite3", "ledger.sqlite3-wal", "backup"])
def test_no_export_replaces_the_database_or_a_backup(
    capsys: pytest.CaptureFixture[str], office: Path, target: str
) -> None:
    """A file the user would never mean to replace, whatever name the export was given (the
    live log is empty after each checkpoint: its name beside the database says what it is)."""
    from tests.hostile import dump

    services = open_office(office)
    try:
        notice = next(n for n in services.notices.list() if n.builtin)
        wl = services.list_lifecycle.create(notice.id, 2027)
        services.task_editing.generate_draft(wl.id)
    finally:
        services.close()
    backup = next((office / "backups").glob("*.sqlite3"))
    path = backup if target == "backup" else office / target
    kept = backup.read_bytes()
    before = dump(office / "ledger.sqlite3")
    for command in (
        ["worklist", "export-xlsx", "--year", "2027", "--out", str(path)],
        ["worklist", "export-csv", "--year", "2027", "--out", str(path)],
    ):
        code, _, err = cli(capsys, office, *command)
        assert code == 2 and "不会覆盖" in err, err
        assert len(err.strip().splitlines()) == 1
    assert dump(office / "ledger.sqlite3") == before
    assert backup.read_bytes() == kept
