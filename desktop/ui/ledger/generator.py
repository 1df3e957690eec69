"""Keeping the preview PDF in step with the options of the 台账打印 screen.

One preview is generated at a time, in the background, into the screen's temporary
folder. When the options change while a run is going, the run is cancelled and a new one
starts once it has stopped; a result for outdated options is thrown away. 打印 or 另存为
pressed before the preview caught up waits for it (``when_current``). Problems are
sorted as the rest of the program does: missing fonts and other user errors are kept as
text for the screen's banner, anything else is a bug and is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.core.reports import Cancelled, LedgerDocument, check_fonts
from desktop.errors import FontMissingError, UserError
from desktop.services.ledger.service import LedgerOptions, LedgerService
from desktop.ui.background import Job
from desktop.ui.error_report import os_error_message
from desktop.ui.ledger.busy import Running, start_job
from desktop.ui.ledger.tempfiles import PreviewFiles

Key = tuple[int, LedgerOptions]  # the work list and the options a ledger is made from


@dataclass(frozen=True)
class Generated:
    key: Key
    path: Path
    pages: int
    doc: LedgerDocument  # what the PDF shows: printing lays it out again for the printer


class PreviewGenerator(QObject):
    ready = Signal(object)  # a Generated that matches the options: show it
    state_changed = Signal()  # started, progressed, stopped, failed
    bug = Signal(object)  # an unexpected exception, for the crash report
    cancelled_by_user = Signal()

    def __init__(
        self,
        ledgers: LedgerService,
        files: PreviewFiles,
        key: Callable[[], Key | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ledgers = ledgers
        self._files = files
        self._key = key
        self.running: Running | None = None
        self.shown: Generated | None = None
        self.font_problem: str | None = None  # the fonts message, until a retry succeeds
        self.error: str | None = None  # another user error of the last run
        self._action: Callable[[], None] | None = None
        self._again = False
        self.closed = False

    def is_current(self) -> bool:
        return self.shown is not None and self.shown.key == self._key()

    def generate(self) -> None:
        """Generate the preview for the current options (cancelling an outdated run)."""
        key = self._key()
        if key is None or self.closed:
            return
        if self.running is not None:
            # One preview at a time: stop the outdated one and start again when it has gone.
            self.running.job.cancel()
            self._again = True
            return
        self.error = None
        self.font_problem = None
        out = self._files.new_path()
        list_id, options = key
        ledgers = self._ledgers

        def work(job: Job) -> Generated:
            problem = check_fonts()
            if problem:
                raise FontMissingError(problem)
            from desktop.core.reports import write_ledger_pdf

            doc = ledgers.document(list_id, options)
            pages = write_ledger_pdf(doc, out, progress=job.progress, cancelled=job.cancelled)
            return Generated(key, out, pages, doc)

        self.running = start_job(
            "preview",
            "正在生成预览…",
            work,
            on_done=self._done,
            on_error=self._failed,
            on_progress=lambda _r: None if self.closed else self.state_changed.emit(),
        )
        self.state_changed.emit()

    def when_current(self, action: Callable[[], None]) -> bool:
        """True when the preview matches the options; else generate it, then run ``action``."""
        if self.is_current():
            return True
        self._action = action
        self.generate()
        return False

    def cancel(self) -> None:
        """The user's 取消: stop the run and do not start another by itself."""
        if self.running is not None:
            self.running.job.cancel()
            self._again = False
            self.state_changed.emit()

    def forget(self) -> None:
        """The data may have changed elsewhere: the preview on show no longer counts."""
        self.shown = None

    def close(self) -> None:
        self.closed = True
        if self.running is not None:
            self.running.job.cancel()

    # results ----------------------------------------------------------------------------

    def _done(self, result: Generated) -> None:
        self.running = None
        if self.closed:
            self._files.discard(result.path)
            return
        if result.key != self._key() or self._again:
            self._files.discard(result.path)  # the options changed while it was being made
            self._next()
            return
        self.shown = result
        self.ready.emit(result)
        self._next()
        action, self._action = self._action, None
        if action is not None and self.is_current():
            action()

    def _failed(self, err: BaseException) -> None:
        self.running = None
        if self.closed:
            return
        if isinstance(err, Cancelled):
            if not self._again:
                self._action = None
                self.cancelled_by_user.emit()
        else:
            self._action = None
            self._again = False
            self.shown = None
            if isinstance(err, FontMissingError):
                self.font_problem = str(err)
            elif isinstance(err, UserError):
                self.error = str(err)
            elif isinstance(err, OSError):
                self.error = os_error_message(err)
            else:
                self.state_changed.emit()
                self.bug.emit(err)
                return
        self._next()

    def _next(self) -> None:
        self.state_changed.emit()
        if self._again:
            self._again = False
            self.generate()
