"""Integrity checks of the database file: SQLite's own, foreign keys, schema, search index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.db.migrate import HEAD_REVISION


def check_database(db_path: Path, *, quick: bool = False) -> list[str]:
    """Problems found in the database at ``db_path`` (Chinese), empty when it is sound."""
    if not db_path.exists():
        return [f"数据库文件不存在：{db_path}"]
    problems: list[str] = []
    try:
        # read-write (never create): FTS5's integrity-check is issued as an INSERT
        conn = sqlite3.connect(f"file:{db_path}?mode=rw", uri=True, timeout=10)
    except sqlite3.Error as err:
        return [f"无法打开数据库：{err}"]
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
                problems.append(f"全文检索索引与任务数据不一致：{err}")
    except sqlite3.DatabaseError as err:
        problems.append(f"数据库文件已损坏：{err}")
    finally:
        conn.close()
    return problems
