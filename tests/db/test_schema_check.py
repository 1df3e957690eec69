"""The expected schema comes from the migrations, is cached, and tells a foreign schema apart."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.db import schema_check
from desktop.db.migrate import HEAD_REVISION, upgrade
from desktop.db.models import Base
from desktop.db.schema_check import (
    differences,
    expected_schemas,
    normalise_sql,
    read_schema,
    schema_problem,
)
from tests.conftest import FIXTURES

SAMPLES = sorted((FIXTURES / "db").glob("rev_*.sqlite3"))


def _revision_of(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def test_every_revision_has_an_expectation_and_head_holds_every_model_table() -> None:
    schemas = expected_schemas()
    assert {_revision_of(p) for p in SAMPLES} <= schemas.keys()
    assert HEAD_REVISION in schemas
    tables = {name for kind, name in schemas[HEAD_REVISION] if kind == "table"}
    assert set(Base.metadata.tables) <= tables


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_databases_match_at_their_revision_and_after_upgrading(
    sample: Path, tmp_path: Path
) -> None:
    revision = _revision_of(sample)
    conn = sqlite3.connect(sample)
    try:
        assert schema_problem(conn, revision) is None
    finally:
        conn.close()
    db = tmp_path / "upgraded.sqlite3"
    shutil.copy(sample, db)
    upgrade(db, HEAD_REVISION)
    conn = sqlite3.connect(db)
    try:
        assert schema_problem(conn, HEAD_REVISION) is None
    finally:
        conn.close()


def test_layout_does_not_matter_but_every_word_does() -> None:
    base = "CREATE TRIGGER t AFTER INSERT ON task BEGIN UPDATE x SET a = 'Ab c'; END"
    same = "create   trigger \"t\"\n after insert on [task]\tbegin update `x` set a='Ab c' ;end"
    assert normalise_sql(base) == normalise_sql(same)
    assert normalise_sql(base) != normalise_sql(base.replace("'Ab c'", "'ab c'"))
    assert normalise_sql(base) != normalise_sql(base.replace("SET a", "SET b"))
    # a quoted name that is not a plain identifier keeps its quotes
    assert normalise_sql('UPDATE "x y" SET a = 1') != normalise_sql("UPDATE x y SET a = 1")


def _planted(tmp_path: Path) -> sqlite3.Connection:
    db = tmp_path / "planted.sqlite3"
    upgrade(db, HEAD_REVISION)
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        CREATE TRIGGER rewrite AFTER INSERT ON audit_log
            BEGIN UPDATE progress_report SET percent = 100; END;
        CREATE VIEW leak AS SELECT * FROM office;
        CREATE TABLE stash (x);
        DROP INDEX ix_task_list_position;
        CREATE INDEX ix_task_list_position ON task (content);
        DROP TRIGGER task_fts_ad;
        """
    )
    return conn


def test_extra_changed_and_missing_objects_are_named(tmp_path: Path) -> None:
    conn = _planted(tmp_path)
    try:
        found = differences(read_schema(conn), expected_schemas()[HEAD_REVISION])
        problem = schema_problem(conn, HEAD_REVISION) or ""
    finally:
        conn.close()
    assert found == [
        "多出触发器 rewrite（在表 audit_log 上）",
        "多出视图 leak",
        "多出表 stash",
        "索引 ix_task_list_position 的定义被改动过",
        "缺少触发器 task_fts_ad",
    ]
    assert problem.startswith(
        "多出触发器 rewrite（在表 audit_log 上）；多出视图 leak；多出表 stash；"
    )
    assert "共 5 处" in problem


def test_a_changed_trigger_body_is_named(tmp_path: Path) -> None:
    db = tmp_path / "changed.sqlite3"
    upgrade(db, HEAD_REVISION)
    conn = sqlite3.connect(db)
    try:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'task_fts_ai'").fetchone()
        conn.execute("DROP TRIGGER task_fts_ai")
        conn.execute(sql.replace("new.content", "'x'", 1))
        assert schema_problem(conn, HEAD_REVISION) == "触发器 task_fts_ai 的定义被改动过"
    finally:
        conn.close()


def test_a_very_long_planted_name_is_cut(tmp_path: Path) -> None:
    db = tmp_path / "long.sqlite3"
    upgrade(db, HEAD_REVISION)
    conn = sqlite3.connect(db)
    try:
        conn.execute(f"CREATE TABLE t{'x' * 4000} (a)")
        problem = schema_problem(conn, HEAD_REVISION) or ""
    finally:
        conn.close()
    assert problem.startswith("多出表 txxx") and len(problem) < 120


def test_a_revision_this_program_does_not_know_is_not_judged(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.sqlite3")
    try:
        assert schema_problem(conn, "9999") is None
    finally:
        conn.close()


def test_the_expectation_is_cached_per_user_and_rebuilt_when_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICY_LEDGER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(schema_check, "_memo", {})
    built = schema_check.build_expected_schemas
    calls: list[int] = []

    def counting() -> dict[str, schema_check.Schema]:
        calls.append(1)
        return built()

    monkeypatch.setattr(schema_check, "build_expected_schemas", counting)
    first = expected_schemas()
    assert calls == [1]
    (cached,) = (tmp_path / "cache").glob("schema-*.json")

    monkeypatch.setattr(schema_check, "_memo", {})
    assert expected_schemas() == first and calls == [1]  # read back from the file

    cached.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(schema_check, "_memo", {})
    assert expected_schemas() == first and calls == [1, 1]  # rebuilt

    # a change of any migration file is a new fingerprint: the old file is not used
    monkeypatch.setattr(schema_check, "_memo", {})
    monkeypatch.setattr(schema_check, "fingerprint", lambda: "0" * 64)
    assert expected_schemas() == first and calls == [1, 1, 1]
    assert [p.name for p in (tmp_path / "cache").glob("schema-*.json")] == [
        f"schema-{'0' * 24}.json"
    ]


def test_an_unwritable_cache_folder_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    monkeypatch.setenv("POLICY_LEDGER_CACHE", str(blocker / "cache"))  # under a file
    monkeypatch.setattr(schema_check, "_memo", {})
    assert HEAD_REVISION in expected_schemas()


def test_the_sqlalchemy_version_is_read_without_importing_it() -> None:
    """The expected schema's cache key names SQLAlchemy's version, read from its package
    file; a read-only command must not import SQLAlchemy just for that."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from desktop.db.schema_check import sqlalchemy_version\n"
        "version = sqlalchemy_version()\n"
        "print(version, 'sqlalchemy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, encoding="utf-8", check=True
    ).stdout.split()
    import sqlalchemy

    assert out == [sqlalchemy.__version__, "False"]


def test_a_definition_laid_out_differently_is_compared_normalised(tmp_path: Path) -> None:
    """The migrations' own text is taken without normalising; another layout of the same
    definition (an earlier build's) is normalised and still matches."""
    db = tmp_path / "layout.sqlite3"
    upgrade(db, HEAD_REVISION)
    conn = sqlite3.connect(db)
    try:
        expected = expected_schemas()[HEAD_REVISION]
        assert schema_check.as_written(read_schema(conn), expected)
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'task_fts_ai'").fetchone()
        conn.execute("DROP TRIGGER task_fts_ai")
        conn.execute(sql.replace(" ", "  ").replace("BEGIN", "begin"))
        actual = read_schema(conn)
        assert not schema_check.as_written(actual, expected)
        assert differences(actual, expected) == []
        assert schema_problem(conn, HEAD_REVISION) is None
    finally:
        conn.close()
