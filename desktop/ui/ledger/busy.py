"""The progress row of the 台账打印 screen and the background jobs it reports on.

While a job runs, the row shows what is happening, a progress bar and 取消; when nothing
runs it shows the last outcome ("预览共 12 页…", "已导出：…") in grey.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from desktop.ui.background import Job, run_in_background


@dataclass
class Running:
    """A background job of the screen and what the progress row says about it."""

    job: Job
    kind: str  # "preview", "print" or "export"
    text: str
    done: int = 0
    total: int = 0
    cancellable: bool = True


def start_job(
    kind: str,
    text: str,
    work: Callable[[Job], Any],
    *,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_progress: Callable[[Running], None],
    cancellable: bool = True,
) -> Running:
    """Run ``work`` in the background; ``on_progress`` hears each progress report."""
    holder: list[Running] = []

    def progress(done: int, total: int) -> None:
        if not holder:
            return
        running = holder[0]
        # A writer may report every row; redrawing the screen for each of 20,000 rows
        # would cost more than the work. Pass on changes of a percent or more.
        step = max(total // 100, 1)
        if done < total and running.total == total and done - running.done < step:
            return
        running.done, running.total = done, total
        on_progress(running)

    job = run_in_background(work, on_done=on_done, on_error=on_error, on_progress=progress)
    running = Running(job, kind, text, cancellable=cancellable)
    holder.append(running)
    return running


class BusyRow(QWidget):
    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(14)
        self.busy_label = QLabel()
        self.busy_label.setMinimumWidth(240)  # growing counts must not make the bar jitter
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.cancel_clicked)
        self.status_label = QLabel()
        self.status_label.setObjectName("hint")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.progress_bar, 1)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.status_label, 1)
        self.show_running(None)

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)

    def status(self) -> str:
        return self.status_label.text()

    def show_running(self, running: Running | None) -> None:
        busy = running is not None
        for widget in (self.progress_bar, self.busy_label, self.cancel_button):
            widget.setVisible(busy)
        self.status_label.setVisible(not busy)
        if running is None:
            return
        self.cancel_button.setVisible(running.cancellable)
        if running.job.cancelled():
            self.busy_label.setText("正在取消…")
            self.cancel_button.setEnabled(False)
            return
        self.cancel_button.setEnabled(True)
        if running.total > 0:
            unit = "页" if running.kind == "print" else "项"
            self.busy_label.setText(f"{running.text} {running.done} / {running.total} {unit}")
            self.progress_bar.setRange(0, running.total)
            self.progress_bar.setValue(running.done)
        else:
            self.busy_label.setText(running.text)
            self.progress_bar.setRange(0, 0)  # busy, amount unknown
