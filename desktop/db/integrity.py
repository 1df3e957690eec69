"""Integrity checks of the database file: SQLite's own, foreign keys, schema, search index.

``check_database`` is the thorough check of the 系统 page and ``db check``;
``startup_problem`` is the quick, read-only one run before every start.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from desktop.core.env_errors import environment_error, sqlite_detail
from desktop.db.backup import ro_uri
from desktop.db.migrate import HEAD_REVISION
from desktop.errors import DatabaseError
from desktop.locations import absolute, sqlite_uri

log = logging.getLogger(__name__)

STARTUP_BUSY_TIMEOUT_S = 3


def check_database(db_path: Path, *, quick: bool = False) -> list[str]:
    """Problems found in the database at ``db_path`` (Chinese), empty when it is sound."""
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
        if not version or version[0] != HEAD_REVISION:
            problems.append(f"数据库版本为 {version[0] if version else '无'}，应为 {HEAD_REVISION}")
        if not quick:
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
