"""Consistent copies of the database through SQLite's backup API.

Copying a live WAL database with ``shutil.copy`` can give a copy without tables; the backup
API copies a consistent snapshot even while the program writes. Each copy is written to a
temporary file, checked (``PRAGMA quick_check`` and the presence of the schema), and only
then moved into place, so a backup that exists is a backup that opens.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from desktop.errors import DatabaseError


def backup_database(source: Path, dest: Path) -> Path:
    """Copy the database ``source`` to ``dest`` (a file path) and verify the copy."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    if tmp.exists():
        tmp.unlink()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
            # a backup is a single file: no WAL beside it
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    except sqlite3.Error as err:
        tmp.unlink(missing_ok=True)
        raise DatabaseError(
            f"备份数据库失败：{err}", hint="请检查目标文件夹是否可写、磁盘是否已满。"
        ) from err
    finally:
        src.close()
    problem = verify_database_file(tmp)
    if problem:
        tmp.unlink(missing_ok=True)
        raise DatabaseError(f"备份写出后校验未通过：{problem}", hint="请换一个位置重新备份。")
    os.replace(tmp, dest)
    return dest


def verify_database_file(path: Path) -> str | None:
    """None when ``path`` is a sound database of this program, else what is wrong (Chinese)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as err:
        return f"无法打开：{err}"
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()
        if not result or result[0] != "ok":
            return f"完整性检查失败：{result[0] if result else '无结果'}"
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in names or "notice" not in names:
            return "文件中没有清单台账的数据表"
    except sqlite3.DatabaseError as err:
        return f"文件已损坏或不是数据库：{err}"
    finally:
        conn.close()
    return None
