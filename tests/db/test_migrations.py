"""Migrations: empty → head equals the models, round trips, sample databases upgrade intact."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from desktop.db import migrate
from desktop.db.models import Base
from desktop.errors import DatabaseError
from desktop.paths import migrations_path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "db"


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    return ScriptDirectory.from_config(config)


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        names = [
            n
            for (n,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                " AND name NOT LIKE 'task_fts%' AND name != 'alembic_version'"
            )
        ]
        return {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        conn.close()


def _columns(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    finally:
        conn.close()


def test_head_constant_matches_alembic_head() -> None:
    assert _script().get_current_head() == migrate.HEAD_REVISION
    assert migrate.known_revisions()[-1] == migrate.HEAD_REVISION


def test_every_revision_has_a_downgrade() -> None:
    for rev in _script().walk_revisions():
        assert rev.module.downgrade is not None, rev.revision


def test_upgrade_from_empty_equals_models(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    migrate.upgrade(db)
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": lambda o, name, t, r, c: (
                    not (t == "table" and str(name).startswith("task_fts"))
                ),
            },
        )
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(tmp_path: Path) -> None:
    db = tmp_path / "round.sqlite3"
    migrate.upgrade(db)
    migrate.downgrade(db, "base")
    conn = sqlite3.connect(db)
    left = [
        n
        for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table','trigger')")
        if n != "alembic_version"
    ]
    conn.close()
    assert left == []
    migrate.upgrade(db)
    assert migrate.current_revision(db) == migrate.HEAD_REVISION


def test_full_text_triggers_exist_after_upgrade(tmp_path: Path) -> None:
    db = tmp_path / "fts.sqlite3"
    migrate.upgrade(db)
    conn = sqlite3.connect(db)
    triggers = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    conn.close()
    assert {"task_fts_ai", "task_fts_ad", "task_fts_au"} <= triggers


SAMPLES = sorted(FIXTURES.glob("rev_*.sqlite3"))


def test_a_sample_exists_for_every_released_revision() -> None:
    have = {p.stem.removeprefix("rev_") for p in SAMPLES}
    assert set(migrate.known_revisions()) <= have


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_database_upgrades_with_data_intact(sample: Path, tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite3"
    shutil.copy(sample, db)
    before = _tables(db)
    assert all(before.values()), "the sample must hold rows in every table"
    result = migrate.ensure_schema(db, tmp_path / "backups")
    assert result.after == migrate.HEAD_REVISION
    after = _tables(db)
    for table, rows in before.items():
        assert table in after, f"table {table} disappeared"
        old_cols = _columns(sample, table)
        new_cols = _columns(db, table)
        keep = [new_cols.index(c) for c in old_cols if c in new_cols]
        old_keep = [old_cols.index(c) for c in old_cols if c in new_cols]
        assert len(after[table]) == len(rows), f"rows lost in {table}"
        for old_row, new_row in zip(rows, after[table], strict=True):
            assert [old_row[i] for i in old_keep] == [new_row[i] for i in keep], table
    if result.before != result.after:
        assert result.backup is not None and result.backup.exists()


def test_existing_database_is_backed_up_before_upgrade(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "ledger.sqlite3"
    migrate.upgrade(db)
    # pretend the program knows one more revision than the database has
    monkeypatch.setattr(migrate, "HEAD_REVISION", "0001")
    monkeypatch.setattr(migrate, "current_revision", lambda p: "0000")
    monkeypatch.setattr(migrate, "known_revisions", lambda: ["0000", "0001"])
    calls: list[str] = []
    monkeypatch.setattr(migrate, "upgrade", lambda p, r: calls.append(r))
    result = migrate.ensure_schema(db, tmp_path / "backups")
    assert calls == ["0001"]
    assert result.backup is not None and result.backup.exists()
    assert sqlite3.connect(result.backup).execute("SELECT count(*) FROM notice").fetchone()


def test_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite3"
    migrate.upgrade(db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(DatabaseError, match="更新版本"):
        migrate.ensure_schema(db, tmp_path / "backups")
    assert db.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE accounts (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="不是清单台账的数据库"):
        migrate.ensure_schema(db, tmp_path / "backups")


def test_garbage_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite3"
    db.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DatabaseError):
        migrate.ensure_schema(db, tmp_path / "backups")


def test_search_index_holds_exactly_the_own_lists(tmp_path: Path) -> None:
    """Revision 0002: imported lists are not indexed, and the index stays consistent."""
    db = tmp_path / "ledger.sqlite3"
    shutil.copy(FIXTURES / "rev_0001.sqlite3", db)
    migrate.ensure_schema(db, tmp_path / "backups")
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    indexed = {r for (r,) in conn.execute("SELECT id FROM task_fts_docsize")}
    own = {
        r
        for (r,) in conn.execute(
            "SELECT t.id FROM task t JOIN work_list w ON w.id = t.work_list_id WHERE w.own"
        )
    }
    assert indexed == own and own
    conn.execute("UPDATE task SET content = content || '（修改）'")
    conn.execute("DELETE FROM work_list WHERE NOT own")
    conn.execute("INSERT INTO task_fts(task_fts, rank) VALUES ('integrity-check', 1)")
    conn.close()


def test_moving_tasks_leaves_the_search_index_alone(tmp_path: Path) -> None:
    """Revision 0004: the update trigger names the indexed columns, so changing positions
    (or dates, states) writes only the task rows, while a text change is re-indexed."""
    db = tmp_path / "ledger.sqlite3"
    shutil.copy(FIXTURES / "rev_0002.sqlite3", db)
    migrate.ensure_schema(db, tmp_path / "backups")
    conn = sqlite3.connect(db, isolation_level=None)
    own = [
        r
        for (r,) in conn.execute(
            "SELECT t.id FROM task t JOIN work_list w ON w.id = t.work_list_id WHERE w.own"
        )
    ]
    assert own
    marks = ",".join("?" * len(own))
    before = conn.total_changes  # counts the rows trigger programs write as well
    conn.execute(f"UPDATE task SET position = position + 1000 WHERE id IN ({marks})", own)
    conn.execute(f"UPDATE task SET deadline = '2031-12-31' WHERE id IN ({marks})", own)
    assert conn.total_changes - before == 2 * len(own)
    before = conn.total_changes
    conn.execute("UPDATE task SET content = '全新的检索文字' WHERE id = ?", (own[0],))
    assert conn.total_changes - before > 1
    found = conn.execute("SELECT rowid FROM task_fts WHERE task_fts MATCH '新的检索'").fetchall()
    assert found == [(own[0],)]
    conn.execute("INSERT INTO task_fts(task_fts, rank) VALUES ('integrity-check', 1)")
    conn.close()
