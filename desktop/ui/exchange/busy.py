"""A progress bar with a cancel button for the screen's background work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from desktop.core.reports import Cancelled
from desktop.ui.background import Job, run_in_background
from desktop.ui.error_report import show_error


class BusyBar(QWidget):
    """Runs one job at a time off the UI thread and shows how far it has got."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("hint")
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(320)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        self._job: Job | None = None
        self.hide()

    @property
    def busy(self) -> bool:
        return self._job is not None

    def run(
        self,
        text: str,
        fn: Callable[[Job], Any],
        on_done: Callable[[Any], None],
        *,
        title: str = "操作未完成",
        cancellable: bool = True,
    ) -> bool:
        """Start ``fn`` in the background; False (and nothing started) while another runs."""
        if self._job is not None:
            return False
        self.label.setText(text)
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.cancel_button.setVisible(cancellable)
        self.cancel_button.setEnabled(True)
        self.show()

        def done(result: object) -> None:
            self._finish()
            on_done(result)

        def failed(err: BaseException) -> None:
            self._finish()
            if isinstance(err, Cancelled):
                return  # the user asked for it; no file was left behind
            show_error(self.window(), err, title=title)

        self._job = run_in_background(fn, on_done=done, on_error=failed, on_progress=self._step)
        return True

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText("正在取消……")

    def _step(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    def _finish(self) -> None:
        self._job = None
        self.hide()
