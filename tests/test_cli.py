"""The command-line contract (CONTRACT.md), run as a user would: a subprocess per command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(
    *args: str, data: Path | None = None, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "desktop"]
    if data is not None:
        cmd += ["--data-dir", str(data)]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [*cmd, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=env,
    )


def test_selftest_passes(tmp_path: Path) -> None:
    r = run("selftest", data=tmp_path / "d")
    assert r.returncode == 0, r.stderr
    assert "自检通过" in r.stdout


def test_fresh_folder_has_builtin_notice_and_office_roundtrip(tmp_path: Path) -> None:
    data = tmp_path / "d"
    r = run("notice", "list", "--json", data=data)
    assert r.returncode == 0, r.stderr
    notices = json.loads(r.stdout)
    assert notices[0]["doc_number"] == "浙政发〔2026〕16号" and notices[0]["measures"] == 38
    r = run(
        "office", "set", "--locality", "示例市", "--level", "市级", "--parent", "浙江省", data=data
    )
    assert r.returncode == 0, r.stderr
    shown = json.loads(run("office", "show", "--json", data=data).stdout)
    assert (shown["locality"], shown["level"], shown["parent"]) == ("示例市", "市级", "浙江省")


def test_db_backup_and_check(tmp_path: Path) -> None:
    data = tmp_path / "d"
    out = tmp_path / "copy.sqlite3"
    assert run("db", "backup", "--out", str(out), data=data).returncode == 0
    assert out.exists()
    r = run("db", "check", data=tmp_path / "fresh-from-backup")
    assert r.returncode != 0 and "没有数据库" in r.stderr and "Traceback" not in r.stderr
    restored = tmp_path / "restored"
    restored.mkdir()
    (restored / "ledger.sqlite3").write_bytes(out.read_bytes())
    r = run("db", "check", data=restored)
    assert r.returncode == 0, r.stderr


def test_user_errors_are_one_chinese_line(tmp_path: Path) -> None:
    r = run("notice", "parse", str(tmp_path / "missing.txt"), "--json")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and r.stderr.strip() and r.stdout == ""
    r = run("office", "set", "--locality", "某县", "--level", "乡级", data=tmp_path / "d")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    import sqlite3

    data = tmp_path / "d"
    assert run("notice", "list", data=data).returncode == 0
    db = data / "ledger.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    r = run("notice", "list", "--json", data=data)
    assert r.returncode == 2 and "更新版本" in r.stderr and "Traceback" not in r.stderr
    assert db.read_bytes() == before


def test_second_start_on_the_same_folder_refuses(tmp_path: Path) -> None:
    data = tmp_path / "d"
    assert run("notice", "list", data=data).returncode == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time; from pathlib import Path; from desktop.instance_lock import "
            "InstanceLock; l=InstanceLock(Path(sys.argv[1])/'instance.lock'); l.acquire(); "
            "print('held', flush=True); time.sleep(60)",
            str(data),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        db = data / "ledger.sqlite3"
        before = db.read_bytes()
        r = run("office", "set", "--locality", "某县", "--level", "县级", data=data)
        assert r.returncode == 2 and "已经在使用" in r.stderr
        assert db.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help(args: list[str]) -> None:
    r = run(*args)
    assert r.returncode == 0 and "清单台账" in r.stdout


@pytest.mark.parametrize("args", [["--help"], ["worklist", "--help"], ["package", "import", "-h"]])
def test_help_is_chinese_throughout(args: list[str]) -> None:
    r = run(*args)
    assert r.returncode == 0 and r.stdout.startswith("用法：")
    assert "show this help" not in r.stdout and "options" not in r.stdout
    headings = [line for line in r.stdout.splitlines() if line and not line[0].isspace()]
    assert not [h for h in headings if h.endswith(":")], headings
