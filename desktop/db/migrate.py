"""Bringing a database to the program's schema, safely, at start-up.

- An up-to-date database is recognised by reading ``alembic_version`` with plain sqlite3,
  so a normal start never imports Alembic.
- A database written by a newer program is refused with a clear message and left untouched.
- An existing database is backed up (SQLite backup API) before it is upgraded.
- Migrations run with foreign keys off: Alembic's batch mode rebuilds SQLite tables, and the
  rebuild's ``DROP TABLE`` would otherwise fire ``ON DELETE CASCADE`` and delete child rows.
  ``PRAGMA foreign_key_check`` runs before they are switched back on; a violation rolls the
  whole upgrade back.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.core.env_errors import sqlite_detail
from desktop.db.backup import backup_database, journal_mode_for, ro_uri
from desktop.errors import DatabaseError
from desktop.paths import migrations_path

# The newest revision this program knows. A test checks it equals Alembic's head.
HEAD_REVISION = "0007"
_REVISION_FILE = re.compile(r"^(\d{4})_.*\.py$")


@dataclass(frozen=True)
class MigrationResult:
    before: str | None
    after: str
    backup: Path | None


def known_revisions() -> list[str]:
    """Revision ids shipped with this program, oldest first (files are named ``NNNN_*.py``)."""
    folder = migrations_path() / "versions"
    return sorted(m.group(1) for p in folder.glob("*.py") if (m := _REVISION_FILE.match(p.name)))


def revision_chain() -> list[str]:
    """Every revision in the order Alembic applies them (its own ``down_revision`` chain,
    which decides; the file names only help people find them)."""
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)  # before the import, as below
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    newest_first = ScriptDirectory.from_config(config).walk_revisions()
    return [script.revision for script in reversed(list(newest_first))]


def current_revision(db_path: Path) -> str | None:
    """The revision stamped in the database, or None for a new or empty database."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(ro_uri(db_path), uri=True, timeout=10)
    except sqlite3.Error as err:
        raise DatabaseError(f"无法打开数据库文件：{sqlite_detail(err)}") from err
    try:
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table'"
            ).fetchone()[0]
            if tables:
                raise DatabaseError(
                    f"{db_path} 不是清单台账的数据库。",
                    hint="请为本程序另选一个数据文件夹。",
                )
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    except sqlite3.DatabaseError as err:
        raise DatabaseError(
            f"数据库文件已损坏，无法读取：{sqlite_detail(err)}。",
            hint="请在“系统 → 备份与恢复”中从备份恢复。",
        ) from err
    finally:
        conn.close()


def ensure_schema(db_path: Path, backup_dir: Path) -> MigrationResult:
    """Upgrade the database at ``db_path`` to :data:`HEAD_REVISION`, backing it up first."""
    before = current_revision(db_path)
    if before == HEAD_REVISION:
        return MigrationResult(before, before, None)
    if before is not None and before not in known_revisions():
        raise DatabaseError(
            f"这个数据库由更新版本的清单台账创建（数据库版本 {before}，"
            f"本程序只认识到 {HEAD_REVISION}），为避免损坏数据，本程序不会打开它。",
            hint="请安装最新版本的清单台账后再打开。",
        )
    backup = None
    if before is not None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = backup_database(db_path, backup_dir / f"升级前-{before}-{stamp}.sqlite3")
    upgrade(db_path, HEAD_REVISION)
    return MigrationResult(before, HEAD_REVISION, backup)


def upgrade(db_path: Path, revision: str = "head") -> None:
    _run_alembic(db_path, "upgrade", revision)


def downgrade(db_path: Path, revision: str) -> None:
    _run_alembic(db_path, "downgrade", revision)


def _run_alembic(db_path: Path, direction: str, revision: str) -> None:
    import logging

    # before the import: Alembic's plugins introduce themselves at INFO as they load
    logging.getLogger("alembic").setLevel(logging.WARNING)
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, event

    from desktop.db.engine import database_url

    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    engine = create_engine(database_url(db_path))
    journal = journal_mode_for(db_path)

    @event.listens_for(engine, "connect")
    def _no_foreign_keys(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # one real transaction for the whole upgrade
        dbapi_conn.execute("PRAGMA foreign_keys=OFF")
        dbapi_conn.execute(f"PRAGMA journal_mode={journal}")

    @event.listens_for(engine, "begin")
    def _begin(conn: object) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # type: ignore[attr-defined]

    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            getattr(command, direction)(config, revision)
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise DatabaseError(
                    f"数据库升级后外键检查未通过（{len(problems)} 处），升级已撤销，数据保持原样。",
                    hint="请把日志文件发给技术支持。",
                )
    except sqlite3.OperationalError as err:
        raise DatabaseError(f"数据库升级失败：{sqlite_detail(err)}", hint="数据保持原样。") from err
    finally:
        engine.dispose()
