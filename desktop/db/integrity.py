"""Integrity checks of the database file: SQLite's own, foreign keys, schema, search index.

``check_database`` is the thorough check of the 系统 page and ``db check``;
``startup_problem`` and ``altered_schema`` are the quick, read-only ones run before every
start (the schema compared with what the migrations build: ``desktop.db.schema_check``).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from desktop.core.env_errors import environment_error, sqlite_detail
from desktop.db.backup import ro_uri
from desktop.db.migrate import HEAD_REVISION, known_revisions
from desktop.db.schema_check import schema_problem
from desktop.errors import DatabaseError, clip
from desktop.locations import absolute, sqlite_uri

log = logging.getLogger(__name__)

STARTUP_BUSY_TIMEOUT_S = 3


def check_database(db_path: Path, *, quick: bool = False, upgradable: bool = False) -> list[str]:
    """Problems found in the database at ``db_path`` (Chinese), empty when it is sound.

    ``upgradable``: an older revision this program knows is no problem (the self-test, run
    before the program has opened the folder since it was updated); its schema is compared
    with that revision's."""
    if not db_path.exists():
        return [f"数据库文件不存在：{db_path}"]
    problems: list[str] = []
    try:
        # read-write (never create): FTS5's integrity-check is issued as an INSERT
        conn = sqlite3.connect(sqlite_uri(absolute(db_path), "rw"), uri=True, timeout=10)
    except sqlite3.Error as err:
        return [f"无法打开数据库：{sqlite_detail(err)}"]
    try:
        pragma = "quick_check" if quick else "integrity_check"
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
        if rows != ["ok"]:
            problems.append("SQLite 完整性检查失败：" + "；".join(rows[:5]))
            return problems
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"外键检查发现 {len(fk)} 处悬空引用（例如表 {fk[0][0]}）")
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = str(version[0]) if version else None
        known = upgradable and revision in known_revisions()
        if revision != HEAD_REVISION and not known:
            shown = clip(revision) if revision is not None else "无"
            problems.append(f"数据库版本为 {shown}，应为 {HEAD_REVISION}")
        else:
            altered = schema_problem(conn, revision or HEAD_REVISION)
            if altered:
                problems.append(f"数据库结构与本程序不符：{altered}")
        if not quick and revision == HEAD_REVISION:
            try:
                conn.execute("INSERT INTO task_fts(task_fts, rank) VALUES('integrity-check', 1)")
            except sqlite3.DatabaseError as err:
                problems.append(f"全文检索索引与任务数据不一致：{sqlite_detail(err)}")
    except sqlite3.DatabaseError as err:
        problems.append(f"数据库文件已损坏：{sqlite_detail(err)}")
    finally:
        conn.close()
    return problems


def startup_problem(db_path: Path) -> str | None:
    """The start-up check: None when SQLite finds the database sound, else what is wrong.

    Read-only (``PRAGMA quick_check``: every page and index entry is read, but the slower
    cross-checks of ``integrity_check`` are skipped — 0.04 s for 20,000 tasks, warm), so a
    damaged file is never written to. A new, empty file is sound. A database that cannot
    be opened for a reason outside the file (locked, unreadable folder) is not "damaged":
    that raises ``DatabaseError`` with the environment's message instead.
    """
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    try:
        # a short wait: nothing of ours can hold the file yet (the folder's lock is ours),
        # and no window shows while this waits
        conn = sqlite3.connect(ro_uri(db_path), uri=True, timeout=STARTUP_BUSY_TIMEOUT_S)
    except sqlite3.OperationalError as err:
        raise _environment(err) from err
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check")]
    except sqlite3.OperationalError as err:
        raise _environment(err) from err
    except sqlite3.DatabaseError as err:  # not a database, malformed: the file itself
        return _damage_text(str(err))
    finally:
        conn.close()
    if rows != ["ok"]:
        log.error("启动检查：quick_check 报告 %d 处错误：%s", len(rows), "; ".join(rows[:20]))
        return f"完整性检查发现 {len(rows)} 处错误（详情已写入日志）"
    return None


def altered_schema(db_path: Path) -> str | None:
    """The start-up's schema check, read-only: what differs from the schema the migrations
    build for the revision the file is stamped with, or None (also for a new, empty file, a
    file of no revision and one from a newer program: opening deals with those)."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(ro_uri(db_path), uri=True, timeout=STARTUP_BUSY_TIMEOUT_S)
    except sqlite3.OperationalError as err:
        raise _environment(err) from err
    try:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            return None  # no such table: not ours, or empty; opening says which
        if not row:
            return None
        return schema_problem(conn, str(row[0]))
    except sqlite3.DatabaseError as err:
        return _damage_text(str(err))
    finally:
        conn.close()


def _damage_text(detail: str) -> str:
    log.error("启动检查：%s", detail)
    if "not a database" in detail:
        return "文件头已损坏，已无法识别为数据库"
    if "malformed" in detail:
        return "内部结构已损坏，可能被截断或部分改写"
    return "无法读取"


def _environment(err: sqlite3.OperationalError) -> DatabaseError:
    mapped = environment_error(err, at_start=True)
    if mapped is not None:
        return DatabaseError(mapped.message, hint=mapped.hint)
    return DatabaseError(f"无法检查数据库：{sqlite_detail(err)}", hint="请确认数据文件夹可以读取。")
