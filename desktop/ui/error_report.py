"""Showing a failure to the user: a plain message for their problems, a crash report for bugs."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QWidget

from desktop.errors import UserError
from desktop.ui import dialogs

log = logging.getLogger("policy_ledger.crash")
_log_file: Path | None = None


def set_log_file(path: Path) -> None:
    global _log_file
    _log_file = path


def show_error(parent: QWidget | None, err: BaseException, *, title: str = "操作未完成") -> None:
    """A ``UserError`` is shown as it is; anything else is a bug: logged, then reported."""
    if isinstance(err, UserError):
        dialogs.warning(parent, title, str(err))
        return
    if isinstance(err, OSError):
        dialogs.warning(parent, title, os_error_message(err))
        log.warning("环境错误：%s", err)
        return
    report_bug(parent, type(err), err, err.__traceback__)


def os_error_message(err: OSError) -> str:
    import errno

    name = f"“{err.filename}”" if err.filename else "文件"
    if err.errno == errno.ENOSPC:
        return "磁盘空间已满，未能写入。请清理磁盘或换一个保存位置后重试，已有数据未受影响。"
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"没有权限写入{name}：它可能是只读的，或正被其他程序（如 WPS、Excel）打开。"
            "请关闭后重试。"
        )
    return f"读写{name}时出错：{err.strerror or err}。"


def report_bug(
    parent: QWidget | None,
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
) -> None:
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
        if isinstance(exc, UserError | OSError):
            show_error(None, exc)
            return
        report_bug(None, exc_type, exc, tb)

    sys.excepthook = hook
