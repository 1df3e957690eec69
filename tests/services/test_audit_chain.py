"""The audit chain detects a record edited or removed behind the program's back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from desktop.services.audit.log import verify_chain
from desktop.services.context import Services, open_office
from tests.conftest import ROOT
from tests.services.progress_office import county_office, report_first_quarter


def _tamper(db: Path, sql: str) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def _verify(root: Path) -> tuple[int | None, str]:
    services = open_office(root)
    try:
        with services.sessions() as session:
            problem = verify_chain(session)
        return (problem.entry_id, problem.message) if problem else (None, "")
    finally:
        services.close()


def test_an_edited_record_is_found_by_the_service_and_db_check(
    services: Services, data_root: Path
) -> None:
    office = county_office(services)
    report_first_quarter(office)
    db = services.data_dir.db_path
    services.close()
    assert _verify(data_root) == (None, "")
    # someone "corrects" a progress record in the database file directly
    conn = sqlite3.connect(db)
    try:
        (target,) = conn.execute(
            "SELECT id FROM audit_log WHERE after LIKE '%用地%' ORDER BY id LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    _tamper(db, f"UPDATE audit_log SET after = replace(after, '用地', '资金') WHERE id = {target}")
    entry_id, message = _verify(data_root)
    assert entry_id == target and "被改动过" in message

    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("POLICY_LEDGER_HOME", None)
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_root), "db", "check"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert result.returncode != 0
    assert "审计记录链断裂" in result.stderr and f"第 {target} 条" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_removed_record_breaks_the_chain(services: Services, data_root: Path) -> None:
    county_office(services)
    db = services.data_dir.db_path
    services.close()
    _tamper(db, "DELETE FROM audit_log WHERE id = 3")
    entry_id, message = _verify(data_root)
    assert entry_id == 4 and "删除或改动" in message


def test_cutting_off_the_newest_records_is_found(services: Services, data_root: Path) -> None:
    county_office(services)
    db = services.data_dir.db_path
    services.close()
    assert _verify(data_root) == (None, "")
    _tamper(db, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    _entry, message = _verify(data_root)
    assert "最新的审计记录被删除过" in message


def test_emptying_the_log_is_found(services: Services, data_root: Path) -> None:
    county_office(services)
    db = services.data_dir.db_path
    services.close()
    _tamper(db, "DELETE FROM audit_log")
    assert "被删除过" in _verify(data_root)[1]
    _tamper(db, "DELETE FROM setting WHERE key = 'audit.head'")
    assert "清空" in _verify(data_root)[1]


def test_a_forged_head_is_found(services: Services, data_root: Path) -> None:
    county_office(services)
    db = services.data_dir.db_path
    services.close()
    _tamper(db, "UPDATE setting SET value = 'garbage' WHERE key = 'audit.head'")
    assert "链头" in _verify(data_root)[1]
