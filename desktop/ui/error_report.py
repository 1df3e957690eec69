"""Showing a failure to the user: a plain message for their problems, a crash report for bugs.

Errors split in two. A ``UserError`` and a problem of the computer (full disk, read-only
folder, a file held open by another program, a damaged database — recognised by
``desktop.core.env_errors``, the same table the command line uses) become a Chinese
message saying what happened and what to do. Anything else is a bug: its traceback goes to
the log file and the user is told where the log is.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QWidget

from desktop.core.env_errors import environment_error
from desktop.errors import UserError, readable
from desktop.ui import dialogs

log = logging.getLogger("policy_ledger.crash")
_log_file: Path | None = None
_data_dir: Path | None = None


def set_log_file(path: Path, data_dir: Path | None = None) -> None:
    """Where bug reports say the log is, and which data folder database messages name."""
    global _log_file, _data_dir
    _log_file = path
    _data_dir = data_dir if data_dir is not None else _data_dir


def log_file() -> Path | None:
    return _log_file


def user_message(err: BaseException) -> str | None:
    """The Chinese message for a user or environment error; None when ``err`` is a bug."""
    found = environment_error(err, where=_data_dir)
    return readable(str(found)) if found is not None else None


def show_error(parent: QWidget | None, err: BaseException, *, title: str = "操作未完成") -> None:
    """A user or environment error is shown as a message; anything else is a bug report."""
    message = user_message(err)
    if message is not None:
        if not isinstance(err, UserError):
            log.warning("环境错误：%r", err)
        dialogs.warning(parent, title, message)
        return
    report_bug(parent, type(err), err, err.__traceback__)


def os_error_message(err: OSError) -> str:
    """The message for a file the program could not read or write."""
    message = user_message(err)
    if message is not None:
        return message
    name = f"“{err.filename}”" if err.filename else "文件"
    return f"读写{name}时出错：{err.strerror or err}。"


def report_bug(
    parent: QWidget | None,
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
) -> None:
    """Log the traceback, then tell the user the action failed and where the log is."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("程序错误：\n%s", text)
    where = f"详细信息已写入日志文件：\n{_log_file}" if _log_file else "详细信息见下方。"
    dialogs.error(
        parent,
        "程序错误",
        f"程序遇到一个内部错误，刚才的操作没有完成。已保存的数据不受影响。\n\n{where}\n\n"
        "请把日志文件发给技术支持。",
        detail=text,
    )


def install_excepthook() -> None:
    """Route uncaught exceptions in Qt slots to the crash report instead of aborting."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if user_message(exc) is not None:
            show_error(None, exc)
            return
        report_bug(None, exc_type, exc, tb)

    sys.excepthook = hook
