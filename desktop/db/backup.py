"""Consistent copies of the database, a look inside them, and putting one back.

Copying a live WAL database with ``shutil.copy`` can give a copy without tables; the backup
API copies a consistent snapshot even while the program writes. Each copy is written to a
temporary file, checked (``PRAGMA quick_check`` and the presence of the schema), and only
then moved into place, so a backup that exists is a backup that opens.

Restoring goes the other way through the same API, *into* the live database file, in one
write transaction of that file: a crash or power cut in the middle leaves the database as
it was, never half old and half new. Only a destination too damaged for SQLite to open is
replaced as a file instead (its remains are kept aside first).
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop.core.env_errors import (
    DISK_FULL,
    NO_PERMISSION,
    READ_ONLY,
    environment_error,
    sqlite_detail,
)
from desktop.core.file_retry import remove_file, replace_file, retry_if_held
from desktop.errors import DatabaseError
from desktop.locations import absolute, on_network_drive, sqlite_uri

BUSY_TIMEOUT_S = 10


def ro_uri(path: Path) -> str:
    """A read-only SQLite URI for ``path`` ('#', '%', a network share: ``sqlite_uri``)."""
    return sqlite_uri(absolute(path), "ro")


def journal_mode_for(db_path: Path) -> str:
    """WAL on a local disk; the rollback journal on a network drive, where WAL's shared
    memory index is not safe (SQLite's documentation: WAL does not work over a network
    file system). One program per data folder (the instance lock) keeps the rollback
    journal's locking simple enough for SMB."""
    return "DELETE" if on_network_drive(db_path) else "WAL"


def _sqlite_failure(what: str, err: sqlite3.Error, hint: str) -> DatabaseError:
    mapped = environment_error(err)
    reason = mapped.message if mapped is not None else str(err)
    return DatabaseError(f"{what}：{reason}", hint=(mapped.hint if mapped else None) or hint)


def _write_failure(err: sqlite3.Error, dest: Path, *, restoring: bool) -> DatabaseError:
    """Writing the copy failed: a full or read-only disk is the *backup's* disk (often a USB
    stick), not the data folder's, and the database itself was only read. When restoring,
    the copy is the backup staged beside the database, and nothing was restored."""
    mapped = environment_error(err)
    kind = getattr(mapped, "kind", None)
    where = dest.parent
    if restoring and kind == DISK_FULL:
        return DatabaseError(
            f"恢复没有进行：数据文件夹所在的磁盘空间已满（{where}），放不下备份的副本。"
            "数据库保持原样。",
            hint="请清理该磁盘（删除不需要的文件、清空回收站）后再恢复。",
        )
    if restoring and kind in (READ_ONLY, NO_PERMISSION):
        return DatabaseError(
            f"恢复没有进行：数据文件夹不能写入（{where}），可能是只读的或没有权限。"
            "数据库保持原样。",
            hint="请确认数据文件夹可写（不是只读的U盘、光盘）后再恢复。",
        )
    if kind == DISK_FULL:
        return DatabaseError(
            f"备份没有写成：备份位置所在的磁盘空间已满（{where}）。数据库本身没有改动。",
            hint="请清理该磁盘，或换一个有空间的位置（如另一个U盘）后重新备份。",
        )
    if kind in (READ_ONLY, NO_PERMISSION):
        return DatabaseError(
            f"备份没有写成：备份位置不能写入（{where}），可能是只读的或没有权限。"
            "数据库本身没有改动。",
            hint="请换一个可写的位置，或解除U盘的写保护后重新备份。",
        )
    return _sqlite_failure("备份数据库失败", err, "请检查目标文件夹是否可写、磁盘是否已满。")


def backup_database(
    source: Path, dest: Path, *, restoring: bool = False, replace: bool = True
) -> Path:
    """Copy the database ``source`` to ``dest`` (a file path) and verify the copy.

    ``restoring``: the copy stages a backup for a restore (its failures say so).
    ``replace=False``: a file that appeared at ``dest`` while the copy was written is left
    alone and the copy refused (the caller has checked before, this closes the gap)."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise environment_error(err) or DatabaseError(f"无法创建备份文件夹：{err}") from err
    tmp = dest.with_name(dest.name + ".part")
    try:
        remove_file(tmp)
    except OSError as err:
        raise environment_error(err) or DatabaseError(f"无法写入备份：{err}") from err
    try:
        src = sqlite3.connect(ro_uri(source), uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as err:
        raise _sqlite_failure("无法打开要备份的数据库", err, "请确认数据库文件存在。") from err
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
            # a backup is a single file: no WAL beside it
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    except sqlite3.Error as err:
        _discard(tmp)
        raise _write_failure(err, dest, restoring=restoring) from err
    finally:
        src.close()
    problem = verify_database_file(tmp)
    if problem:
        _discard(tmp)
        raise DatabaseError(f"备份写出后校验未通过：{problem}", hint="请换一个位置重新备份。")
    if not replace and dest.exists():
        _discard(tmp)
        raise DatabaseError(f"“{dest.name}”已存在，备份不会覆盖已有的文件。")
    try:
        # a virus scanner opens the new copy the moment it is written: wait it out
        replace_file(tmp, dest)
    except OSError as err:
        _discard(tmp)
        raise environment_error(err) or DatabaseError(f"无法保存备份：{err}") from err
    return dest


def _copy(source: Path, target: Path) -> None:
    retry_if_held(lambda: shutil.copy2(source, target))


def _discard(path: Path) -> None:
    """Remove an unfinished copy; one left behind is swept up later (``.part``)."""
    with contextlib.suppress(OSError):
        remove_file(path)


def verify_database_file(path: Path) -> str | None:
    """None when ``path`` is a sound database of this program, else what is wrong (Chinese)."""
    if not path.is_file():
        return "文件不存在"
    try:
        conn = sqlite3.connect(ro_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as err:
        return f"无法打开：{sqlite_detail(err)}"
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()
        if not result or result[0] != "ok":
            return f"完整性检查失败：{result[0] if result else '无结果'}"
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in names or "notice" not in names:
            return "文件中没有清单台账的数据表"
    except sqlite3.DatabaseError as err:
        return f"文件已损坏或不是数据库：{sqlite_detail(err)}"
    finally:
        conn.close()
    return None


# ------------------------------------------------------------------ what a backup holds


@dataclass(frozen=True)
class DatabaseSummary:
    """What a database file holds, read without changing it (for choosing a backup)."""

    revision: str | None
    locality: str
    level: str
    parent: str
    notices: int
    own_lists: int
    own_years: tuple[int, ...]
    tasks: int
    lower_lists: int
    last_change_at: str
    last_change: str
    last_operator: str


def _scalar(conn: sqlite3.Connection, sql: str, default: object = None) -> object:
    try:
        row = conn.execute(sql).fetchone()
    except sqlite3.OperationalError:  # a table or column this revision does not have
        return default
    return row[0] if row and row[0] is not None else default


def peek_database(path: Path) -> DatabaseSummary:
    """The office, lists, tasks and newest audit entry of the database at ``path``.

    Opened read-only; a table or column an older revision lacks reads as empty. Raises
    ``DatabaseError`` when the file cannot be read as a database at all.
    """
    try:
        conn = sqlite3.connect(ro_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as err:
        raise _sqlite_failure("无法读取这个文件", err, "请确认选中的是清单台账的备份。") from err
    try:
        office: tuple[object, ...] = ("", "", "")
        try:
            found = conn.execute("SELECT locality, level, parent FROM office WHERE id = 1")
            office = found.fetchone() or office
        except sqlite3.OperationalError:
            pass  # an empty database made before the office table existed: no office yet
        years: tuple[int, ...] = ()
        try:
            years = tuple(
                int(r[0])
                for r in conn.execute(
                    "SELECT DISTINCT year FROM work_list WHERE own AND is_current ORDER BY year"
                )
            )
        except sqlite3.OperationalError:
            years = ()
        last: tuple[object, ...] = ("", "", "")
        try:
            last = (
                conn.execute(
                    "SELECT at, summary, operator FROM audit_log ORDER BY id DESC LIMIT 1"
                ).fetchone()
                or last
            )
        except sqlite3.OperationalError:
            last = ("", "", "")
        return DatabaseSummary(
            revision=_text_or_none(_scalar(conn, "SELECT version_num FROM alembic_version")),
            locality=str(office[0] or ""),
            level=str(office[1] or ""),
            parent=str(office[2] or ""),
            notices=_int(_scalar(conn, "SELECT count(*) FROM notice", 0)),
            own_lists=_int(
                _scalar(conn, "SELECT count(*) FROM work_list WHERE own AND is_current", 0)
            ),
            own_years=years,
            tasks=_int(
                _scalar(
                    conn,
                    "SELECT count(*) FROM task WHERE work_list_id IN "
                    "(SELECT id FROM work_list WHERE own AND is_current)",
                    0,
                )
            ),
            lower_lists=_int(
                _scalar(conn, "SELECT count(*) FROM work_list WHERE NOT own AND is_current", 0)
            ),
            last_change_at=str(last[0] or ""),
            last_change=str(last[1] or ""),
            last_operator=str(last[2] or ""),
        )
    except sqlite3.DatabaseError as err:
        raise DatabaseError(
            f"这个文件已损坏或不是数据库：{sqlite_detail(err)}", hint="请换一份备份。"
        ) from err
    finally:
        conn.close()


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | str) else 0


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


# ------------------------------------------------------------------ putting a copy back


def read_office_key(path: Path) -> dict[str, str] | None:
    """The office key stored in the database file ``path`` (read-only), or None: no such
    table (a database of an earlier revision), no key yet, or a file that cannot be read."""
    try:
        conn = sqlite3.connect(ro_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute(
            "SELECT algorithm, private_key, public_key, fingerprint, created_at"
            " FROM office_key ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if row is None:
        return None
    keys = ("algorithm", "private_key", "public_key", "fingerprint", "created_at")
    return dict(zip(keys, (str(v) for v in row), strict=True))


def restore_database(source: Path, db_path: Path, *, aside: Path) -> bool:
    """Make the database at ``db_path`` a copy of the verified database ``source``.

    The caller holds the data folder's lock and has closed every connection to
    ``db_path``. The source is first copied (and verified) beside the target, so a USB
    stick pulled out half-way changes nothing. Then the copy goes into the live file
    through the backup API in one write transaction. Only when the live file is too
    damaged for SQLite to write into is it replaced as a file; what was there is kept as
    ``aside`` first. Returns True when that fallback was needed.
    """
    staged = db_path.with_name(db_path.name + ".restore.part")
    backup_database(source, staged, restoring=True)
    replaced = False
    try:
        try:
            _copy_into(staged, db_path)
        except sqlite3.DatabaseError as err:
            if isinstance(err, sqlite3.OperationalError) and environment_error(err) is not None:
                raise _sqlite_failure("恢复失败，数据库保持原样", err, "") from err
            _replace_damaged(staged, db_path, aside)
            replaced = True
        problem = verify_database_file(db_path)
        if problem:
            raise DatabaseError(f"恢复后的数据库校验未通过：{problem}", hint="请换一份备份再试。")
    finally:
        _discard(staged)
    return replaced


def _copy_into(staged: Path, db_path: Path) -> None:
    src = sqlite3.connect(ro_uri(staged), uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        dst = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S)
        try:
            # A WAL destination refuses a backup with another page size; the rollback
            # journal does not, and keeps the copy one atomic transaction all the same.
            dst.execute("PRAGMA journal_mode=DELETE")
            dst.execute("PRAGMA synchronous=FULL")
            src.backup(dst)
            dst.execute(f"PRAGMA journal_mode={journal_mode_for(db_path)}")
        finally:
            dst.close()
    finally:
        src.close()


def _replace_damaged(staged: Path, db_path: Path, aside: Path) -> None:
    """Swap a damaged database file for ``staged``, keeping the damaged one as ``aside``."""
    try:
        aside.parent.mkdir(parents=True, exist_ok=True)
        if db_path.exists():
            _copy(db_path, aside)
        for suffix in ("-wal", "-shm", "-journal"):
            companion = db_path.with_name(db_path.name + suffix)
            if companion.exists():
                if suffix != "-shm":
                    _copy(companion, aside.with_name(aside.name + suffix))
                # a stale WAL of the damaged file would be replayed into the restored one
                remove_file(companion)
        replace_file(staged, db_path)
    except OSError as err:
        raise environment_error(err) or DatabaseError(f"恢复失败：{err}") from err
