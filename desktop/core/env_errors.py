"""Problems of the computer, not of the program: one Chinese message for each, in one place.

A full disk, a read-only folder or USB stick, a file held open by WPS or a virus scanner,
a database file that cannot be opened or is damaged — none of these is a bug, and the user
can do something about each. SQLite reports them as ``sqlite3.OperationalError`` /
``DatabaseError`` with an English sentence (wrapped by SQLAlchemy in its own exception, the
original in ``.orig``); the operating system as ``OSError`` with an ``errno`` (and on
Windows a ``winerror``). :func:`environment_error` recognises them anywhere in an
exception's chain and returns a :class:`EnvironmentProblem` saying what happened, that the
unfinished action changed nothing, and what to do. Anything it does not recognise is left
alone (``None``): the caller treats it as a bug.

The command line (``desktop.cli``) and the GUI (``desktop.ui.error_report``) both ask here,
so a full disk reads the same in a terminal and in a dialog.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from desktop.errors import UserError

DISK_FULL = "disk_full"
READ_ONLY = "read_only"
NO_PERMISSION = "no_permission"
LOCKED = "locked"
CANNOT_OPEN = "cannot_open"
IO_ERROR = "io_error"
DAMAGED = "damaged"
NOT_FOUND = "not_found"
IS_FOLDER = "is_folder"

NOT_SAVED = "刚才的操作没有完成，已保存的数据保持原样。"
# the same at start-up, where no action of the user's was under way
NOT_OPENED = "程序没有打开它，数据没有改动。"

# SQLite's extended result code (sqlite3.Error.sqlite_errorcode): the shared-memory file
# beside a WAL database could not be extended
SQLITE_IOERR_SHMSIZE = 4874

# Windows error numbers carried by PermissionError.winerror
_WIN_SHARING_VIOLATION = 32
_WIN_LOCK_VIOLATION = 33
_WIN_DISK_FULL = (39, 112)


class EnvironmentProblem(UserError):
    """A problem of the computer (disk, folder, another program), with what to do about it."""

    def __init__(self, kind: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.kind = kind


def _chain(err: BaseException) -> Iterator[BaseException]:
    """``err`` and the exceptions behind it: SQLAlchemy's ``.orig``, causes and contexts."""
    seen: set[int] = set()
    todo: list[BaseException] = [err]
    while todo and len(seen) < 12:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        for nxt in (orig, current.__cause__, current.__context__):
            if isinstance(nxt, BaseException):
                todo.append(nxt)


def _where(where: str | os.PathLike[str] | None) -> str:
    return f"（{Path(where)}）" if where else ""


def _name(err: OSError) -> str:
    return f"“{err.filename}”" if err.filename else "文件"


def _sqlite_problem(err: sqlite3.Error, where: str, at_start: bool) -> EnvironmentProblem | None:
    text = str(err).lower()
    outcome = NOT_OPENED if at_start else NOT_SAVED
    again = "重新打开清单台账" if at_start else "重试"
    # SQLite says only “disk I/O error” when the WAL index (…-shm) cannot grow, which on a
    # full disk happens before any write — even at start-up, on the first read
    shm_full = getattr(err, "sqlite_errorcode", None) == SQLITE_IOERR_SHMSIZE
    if "disk is full" in text or "database or disk is full" in text or shm_full:
        return EnvironmentProblem(
            DISK_FULL,
            f"磁盘空间已满，数据库无法写入{where}。{outcome}",
            hint=f"请清理数据文件夹所在的磁盘（删除不需要的文件、清空回收站）后{again}。",
        )
    if "readonly database" in text or "read-only" in text:
        return EnvironmentProblem(
            READ_ONLY,
            f"数据库是只读的，无法写入{where}。{outcome}",
            hint="请确认数据文件夹和其中的文件没有设为只读、所在的U盘没有写保护，"
            "并且当前用户有写入权限；也可以换一个数据文件夹"
            "（在程序快捷方式中加参数 --data-dir 文件夹）。",
        )
    if "database is locked" in text or "database table is locked" in text:
        return EnvironmentProblem(
            LOCKED,
            f"数据库正被其他程序占用{where}（例如另一个数据库工具、备份或杀毒软件）。{outcome}",
            hint=f"请关闭占用它的程序，稍后{again}。",
        )
    if "unable to open database" in text:
        return EnvironmentProblem(
            CANNOT_OPEN,
            f"无法打开数据库文件{where}。",
            hint="请确认数据文件夹存在、可读写，所在的U盘或网络盘没有断开。",
        )
    if "disk i/o error" in text:
        return EnvironmentProblem(
            IO_ERROR,
            f"读写磁盘时出错{where}，可能是U盘被拔出或磁盘故障。{outcome}",
            hint=f"请检查磁盘或U盘后{again}；如果反复出现，请在“系统”中检查数据库并从备份恢复。",
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return EnvironmentProblem(
            DAMAGED,
            f"数据库文件已损坏{where}。为免损坏扩大，请不要继续修改。",
            hint="请在“系统 → 备份与恢复”中从最近的备份恢复"
            "（命令行：db restore --from 备份文件）。",
        )
    return None  # no such table, syntax errors …: bugs


def _os_problem(err: OSError) -> EnvironmentProblem | None:
    name = _name(err)
    winerror = getattr(err, "winerror", None)
    if err.errno == errno.ENOSPC or winerror in _WIN_DISK_FULL:
        return EnvironmentProblem(
            DISK_FULL,
            f"磁盘空间已满，未能写入{name}。{NOT_SAVED}",
            hint="请清理磁盘或换一个保存位置后重试。",
        )
    if winerror in (_WIN_SHARING_VIOLATION, _WIN_LOCK_VIOLATION) or err.errno == errno.EBUSY:
        return EnvironmentProblem(
            LOCKED,
            f"{name}正被其他程序（如 WPS、Excel、PDF 阅读器或杀毒软件）占用，无法读写。",
            hint="请关闭占用它的程序后重试。",
        )
    if err.errno == errno.EROFS:
        return EnvironmentProblem(
            READ_ONLY,
            f"{name}所在的位置是只读的（例如写保护的U盘或光盘），无法写入。",
            hint="请换一个可写的位置，或解除U盘的写保护后重试。",
        )
    if err.errno in (errno.EACCES, errno.EPERM):
        return EnvironmentProblem(
            NO_PERMISSION,
            f"没有权限读写{name}：它可能是只读的，或正被其他程序（如 WPS、Excel）打开。",
            hint="请关闭占用它的程序，或换一个有写入权限的位置后重试。",
        )
    if err.errno == errno.EIO:
        return EnvironmentProblem(
            IO_ERROR,
            f"读写{name}时磁盘出错，可能是U盘被拔出或磁盘故障。",
            hint="请检查磁盘或U盘后重试。",
        )
    if err.errno == errno.ENOENT:
        return EnvironmentProblem(
            NOT_FOUND,
            f"找不到{name}。",
            hint="请检查文件或文件夹是否存在、U盘是否已插好。",
        )
    if err.errno == errno.EISDIR:
        return EnvironmentProblem(IS_FOLDER, f"{name}是一个文件夹。", hint="请给出完整的文件名。")
    if err.errno == errno.ENAMETOOLONG:
        return EnvironmentProblem(
            NOT_FOUND, f"文件名或路径太长：{name}。", hint="请换一个短一些的文件名或文件夹。"
        )
    return None


def environment_error(
    err: BaseException, *, where: str | os.PathLike[str] | None = None, at_start: bool = False
) -> UserError | None:
    """The user-facing error behind ``err``, or None when ``err`` is a bug.

    A ``UserError`` anywhere in the chain is returned as it is; a recognised SQLite or
    operating-system failure becomes an :class:`EnvironmentProblem`. ``where`` (the data
    folder) is named in messages about the database; ``at_start``: the failure came while
    the program was opening, before any action of the user's.
    """
    place = _where(where)
    for current in _chain(err):
        if isinstance(current, UserError):
            return current
        if isinstance(current, sqlite3.Error):
            found = _sqlite_problem(current, place, at_start)
            if found is not None:
                return found
        elif isinstance(current, OSError):
            found = _os_problem(current)
            if found is not None:
                return found
    return None


def is_environment_error(err: BaseException) -> bool:
    return environment_error(err) is not None


def folder_error(root: str | os.PathLike[str], err: OSError) -> UserError:
    """The data folder ``root`` cannot be created or written (read-only, no permission …)."""
    found = _os_problem(err)
    reason = found.message if found is not None else f"{err.strerror or err}。"
    return UserError(
        f"无法使用数据文件夹 {Path(root)}：{reason}",
        hint="请确认该文件夹可写（不是只读的U盘、光盘或没有权限的目录），"
        "或换一个数据文件夹（在程序快捷方式中加参数 --data-dir 文件夹）。",
    )


_SQLITE_WORDS = (
    ("malformed", "文件结构已损坏"),
    ("not a database", "不是数据库文件"),
    ("file is encrypted", "不是数据库文件"),
    ("unable to open", "无法打开文件"),
    ("database is locked", "文件正被其他程序使用"),
    ("readonly", "文件或文件夹是只读的"),
    ("disk i/o", "磁盘读写出错"),
    ("full", "磁盘空间已满"),
    ("no such table", "缺少数据表，不是本程序的数据库"),
)


def sqlite_detail(err: BaseException) -> str:
    """What SQLite said, in Chinese, for messages that quote it (its own text is English)."""
    text = str(err).lower()
    for word, chinese in _SQLITE_WORDS:
        if word in text:
            return chinese
    return f"数据库报告错误（{err}）"
