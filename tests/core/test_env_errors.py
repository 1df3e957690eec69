"""Environment errors become one Chinese message each; bugs are left alone."""

from __future__ import annotations

import errno
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError as SAOperationalError

from desktop.core.env_errors import EnvironmentProblem, environment_error
from desktop.errors import FontMissingError, UserError


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("database or disk is full", "disk_full", "磁盘空间已满"),
        ("attempt to write a readonly database", "read_only", "只读"),
        ("database is locked", "locked", "其他程序占用"),
        ("unable to open database file", "cannot_open", "无法打开数据库"),
        ("disk I/O error", "io_error", "读写磁盘时出错"),
    ],
)
def test_sqlite_operational_errors(text: str, kind: str, words: str) -> None:
    found = environment_error(sqlite3.OperationalError(text), where="/data/某某县")
    assert isinstance(found, EnvironmentProblem) and found.kind == kind
    message = str(found)
    assert words in message and "/data/某某县" in message
    assert "请" in message  # says what to do
    assert not any(w in message for w in ("database", "Error", "errno"))


def test_a_wal_index_that_cannot_grow_is_a_full_disk() -> None:
    """On a full disk SQLite says only “disk I/O error” (SQLITE_IOERR_SHMSIZE) — even at
    start-up, on the first read; telling the user a USB stick was pulled out, and to restore
    a backup, would send them the wrong way."""
    err = sqlite3.OperationalError("disk I/O error")
    err.sqlite_errorcode = 4874  # type: ignore[attr-defined]  # SQLITE_IOERR_SHMSIZE
    found = environment_error(err)
    assert isinstance(found, EnvironmentProblem) and found.kind == "disk_full"
    assert "磁盘空间已满" in str(found) and "恢复" not in str(found)
    other = sqlite3.OperationalError("disk I/O error")
    other.sqlite_errorcode = 778  # type: ignore[attr-defined]  # SQLITE_IOERR_WRITE
    assert getattr(environment_error(other), "kind", None) == "io_error"


def test_wrapped_by_sqlalchemy_is_found_through_orig() -> None:
    orig = sqlite3.OperationalError("database or disk is full")
    wrapped = SAOperationalError("INSERT INTO task …", {}, orig)
    found = environment_error(wrapped)
    assert isinstance(found, EnvironmentProblem) and found.kind == "disk_full"
    assert "没有完成" in str(found)


def test_found_behind_a_cause() -> None:
    try:
        try:
            raise sqlite3.OperationalError("database is locked")
        except sqlite3.OperationalError as inner:
            raise RuntimeError("while saving") from inner
    except RuntimeError as outer:
        found = environment_error(outer)
    assert isinstance(found, EnvironmentProblem) and found.kind == "locked"


@pytest.mark.parametrize(
    "err",
    [
        sqlite3.DatabaseError("database disk image is malformed"),
        sqlite3.DatabaseError("file is not a database"),
    ],
)
def test_damaged_database_points_to_restore(err: Exception) -> None:
    found = environment_error(err)
    assert isinstance(found, EnvironmentProblem) and found.kind == "damaged"
    assert "已损坏" in str(found) and "db restore" in str(found) and "备份" in str(found)


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        (errno.ENOSPC, "disk_full", "磁盘空间已满"),
        (errno.EROFS, "read_only", "只读"),
        (errno.EACCES, "no_permission", "没有权限"),
        (errno.EPERM, "no_permission", "没有权限"),
        (errno.EBUSY, "locked", "占用"),
        (errno.EIO, "io_error", "磁盘出错"),
        (errno.ENOENT, "not_found", "找不到"),
    ],
)
def test_os_errors_name_the_file(code: int, kind: str, words: str) -> None:
    err = OSError(code, "English text", "/mnt/u盘/台账.pdf")
    found = environment_error(err)
    assert isinstance(found, EnvironmentProblem) and found.kind == kind
    assert words in str(found) and "/mnt/u盘/台账.pdf" in str(found)
    assert "English" not in str(found)


def test_windows_sharing_violation_is_a_locked_file() -> None:
    err = PermissionError(errno.EACCES, "The process cannot access the file", "台账.xlsx")
    err.winerror = 32  # type: ignore[attr-defined]
    found = environment_error(err)
    assert isinstance(found, EnvironmentProblem) and found.kind == "locked"
    assert "WPS" in str(found)


def test_user_errors_pass_through_unchanged() -> None:
    font = FontMissingError("没有找到可用的中文字体。")
    assert environment_error(font) is font
    plain = UserError("清单不存在")
    assert environment_error(RuntimeError("x").with_traceback(None)) is None
    try:
        raise ValueError("wrapping") from plain
    except ValueError as err:
        assert environment_error(err) is plain


@pytest.mark.parametrize(
    "err",
    [
        sqlite3.OperationalError("no such table: task"),
        sqlite3.OperationalError('near "SELEC": syntax error'),
        KeyError("x"),
        OSError(errno.EBADF, "Bad file descriptor"),
        ZeroDivisionError(),
    ],
)
def test_bugs_are_not_environment_errors(err: BaseException) -> None:
    assert environment_error(err) is None


def test_a_cycle_in_the_chain_does_not_hang() -> None:
    a = RuntimeError("a")
    b = RuntimeError("b")
    a.__context__ = b
    b.__context__ = a
    assert environment_error(a) is None
