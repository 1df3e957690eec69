"""Running database and report work off the UI thread.

``run_in_background`` runs a plain function in Qt's global thread pool and delivers its
result, its error, and its progress reports back on the UI thread. The function receives a
``Job`` through which it reports progress and learns whether the user cancelled. The UI
shows a progress bar and keeps responding; nothing here touches widgets from the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QWidget

T = TypeVar("T")

log = logging.getLogger(__name__)


class Job:
    """Handed to the background function: report progress, check for cancellation."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancelled = False

    def progress(self, done: int, total: int) -> None:
        self._signals.progress.emit(done, total)

    def cancel(self) -> None:
        self._cancelled = True

    def cancelled(self) -> bool:
        return self._cancelled


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[Job], Any], signals: _Signals, job: Job) -> None:
        super().__init__()
        self.fn, self.signals, self.job = fn, signals, job

    def run(self) -> None:
        try:
            result = self.fn(self.job)
        except BaseException as err:  # delivered to the UI thread, which decides what it is
            self._deliver(self.signals.failed, err)
        else:
            self._deliver(self.signals.done, result)

    def _deliver(self, signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            # the application is shutting down and the receiver is gone: nobody is left to
            # tell; the work itself either committed or rolled back in its own transaction
            log.info("后台任务完成时界面已关闭，结果未送达")


_alive: set[_Signals] = set()


def run_in_background(
    fn: Callable[[Job], Any],
    *,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_progress: Callable[[int, int], None] | None = None,
) -> Job:
    signals = _Signals()
    job = Job(signals)
    _alive.add(signals)  # keep the QObject alive until the job reports back

    def finished_ok(result: object) -> None:
        _alive.discard(signals)
        on_done(result)

    def finished_err(err: object) -> None:
        _alive.discard(signals)
        assert isinstance(err, BaseException)
        on_error(err)

    signals.done.connect(finished_ok)
    signals.failed.connect(finished_err)
    if on_progress is not None:
        signals.progress.connect(on_progress)
    QThreadPool.globalInstance().start(_Runnable(fn, signals, job))
    return job


def wait_in_background(fn: Callable[[], T]) -> T:
    """``fn()`` run off the UI thread while the event loop keeps the windows painted and
    responsive; returns its value or raises its error, as a plain call would.

    For the few steps the program cannot go on without (opening the data folder at start),
    where a blocking call would leave a window that does not paint."""
    loop = QEventLoop()
    outcome: list[Any] = []

    def finished(kind: str, value: object) -> None:
        outcome.append((kind, value))
        loop.quit()

    run_in_background(
        lambda _job: fn(),
        on_done=lambda value: finished("done", value),
        on_error=lambda err: finished("failed", err),
    )
    if not outcome:  # the result arrives through the event loop
        loop.exec()
    kind, value = outcome[0]
    if kind == "failed":
        raise value
    return value  # type: ignore[no-any-return]


def off_ui_thread(widget: QWidget, fn: Callable[[], T]) -> T:
    """``fn()`` for a step in the middle of a dialog flow (save, then ask; check, then
    export): it runs off the UI thread, ``widget`` is disabled so it cannot be started
    twice, and the cursor says busy while the window keeps painting. Returns its value or
    raises its error, as a plain call would."""
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    widget.setEnabled(False)
    try:
        return wait_in_background(fn)
    finally:
        widget.setEnabled(True)
        QApplication.restoreOverrideCursor()


def wait_for_background(timeout_ms: int = 30_000) -> bool:
    """Block until every background job finished (tests and shutdown)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
