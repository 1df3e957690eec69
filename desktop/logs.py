"""The rotating log file of a data folder, and where a bug's traceback goes."""

from __future__ import annotations

import logging
import os
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_configured: Path | None = None


def setup_logging(log_file: Path, *, level: int = logging.INFO) -> None:
    """Log to ``log_file``, rotating at 1 MB and keeping five old files."""
    global _configured
    if _configured == log_file:
        return
    log_file.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_policy_ledger", False):
            root.removeHandler(handler)
            handler.close()
    handler = _RotatingLog(log_file)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler._policy_ledger = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    _configured = log_file


class _RotatingLog(logging.Handler):
    """``logging.handlers.RotatingFileHandler`` (1 MB, five old files), made when the first
    record arrives: most runs of a command log nothing, and the module (with ``socket``
    and ``pickle``, which it imports) was a sixtieth of a short command."""

    def __init__(self, log_file: Path) -> None:
        super().__init__()
        self.baseFilename = os.path.abspath(log_file)
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            import logging.handlers

            self._file = logging.handlers.RotatingFileHandler(
                self.baseFilename, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
            )
            self._file.setFormatter(self.formatter)
        self._file.emit(record)  # under this handler's lock (``handle``)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def close_logging(log_file: Path) -> None:
    """Close and detach the handler writing ``log_file``, so its folder can be deleted.

    Windows refuses to delete or move a folder while a file in it is open (WinError 32):
    the self-test's temporary folder, or a data folder the user moves after closing the
    program. A later ``log_bug()`` for that folder attaches a new handler.
    """
    global _configured
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_policy_ledger", False) and Path(
            getattr(handler, "baseFilename", "")
        ) == Path(os.path.abspath(log_file)):
            root.removeHandler(handler)
            handler.close()
    if _configured == log_file:
        _configured = None


def log_bug(log_file: Path | None, summary: str) -> None:
    """Write the current exception's traceback to the log (the caller shows where it is)."""
    logger = logging.getLogger("policy_ledger.crash")
    if log_file is not None and _configured != log_file:
        setup_logging(log_file)
    logger.exception("程序错误：%s", summary)
