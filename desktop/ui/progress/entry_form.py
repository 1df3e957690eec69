"""The entry form under the progress table: every field of the current task's report.

Long Chinese text is typed here rather than in a table cell. Every change goes straight into
the table's pending edits (nothing is written until 保存); Tab moves between the fields and
Ctrl+Enter goes on to the next task, so a period's reports can be typed without the mouse.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from desktop.core.dates import chinese_month_day
from desktop.core.vocabulary import LABELS
from desktop.services.progress.service import ProgressEntry
from desktop.ui.forms import hint
from desktop.ui.limits import LimitedText, limit_line

NO_PERCENT = -1  # the spin box's "未填" value


def _text_box(lines: int, placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # Tab moves on instead of typing a tab character
    box.setPlaceholderText(placeholder)
    height = box.fontMetrics().lineSpacing() * lines + 12
    box.setFixedHeight(height)
    return box


class EntryForm(QGroupBox):
    """Shows one task's entry; emits ``edited`` with the whole entry on every change."""

    edited = Signal(object)  # ProgressEntry
    next_requested = Signal()

    def __init__(self) -> None:
        super().__init__("本期填报")
        self._task_id: int | None = None
        self._loading = False

        self.text = _text_box(3, "本期做了什么、取得了哪些实效（可写具体数字）")
        self.percent = QSpinBox()
        self.percent.setRange(NO_PERCENT, 100)
        self.percent.setSpecialValueText("未填")
        self.percent.setSuffix(" %")
        self.percent.setToolTip("任务整体的完成百分比（0–100）；与序时进度比较得出状态")
        self.done = QCheckBox(f"已完成，{LABELS['completed_on']}")
        self.reopen = QCheckBox(LABELS["reopened"])
        self.reopen.setToolTip(
            "任务此前已完成；本期确需返工、重新推进时勾选，才能填写低于 100% 的完成百分比"
        )
        self.reopen.hide()
        self.done_on = QDateEdit()
        self.done_on.setCalendarPopup(True)
        self.done_on.setDisplayFormat("yyyy-MM-dd")
        self.problems = _text_box(2, "存在的困难和问题")
        self.next_steps = _text_box(2, "下一步工作打算")
        self.lag_reason = _text_box(2, "滞后时必填：滞后的原因")
        self.evidence = QLineEdit()
        self.evidence.setPlaceholderText("佐证材料名称、文号或存放位置")
        limit_line(self.evidence, "evidence")
        self.limits = [
            LimitedText(box, key, counter=key == "progress")
            for box, key in (
                (self.text, "progress"),
                (self.problems, "problems"),
                (self.next_steps, "next_steps"),
                (self.lag_reason, "lag_reason"),
            )
        ]
        text_box, problems_box, steps_box, lag_box = (lt.widget for lt in self.limits)
        self.lag_label = QLabel(LABELS["lag_reason"])
        self.steps_label = QLabel(LABELS["next_steps"])
        self.status_hint = hint()
        self.next_button = QPushButton("下一项 ▶")
        self.next_button.setToolTip("Ctrl+Enter：转到下一项任务")
        self.next_button.clicked.connect(self.next_requested)

        grid = QGridLayout(self)
        grid.setContentsMargins(10, 14, 10, 8)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        grid.addWidget(QLabel(LABELS["progress"]), 0, 0)
        grid.addWidget(text_box, 0, 1, 1, 3)
        side = QWidget()
        row = QGridLayout(side)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(LABELS["percent"]), 0, 0)
        row.addWidget(self.percent, 0, 1)
        row.addWidget(self.done, 1, 0, 1, 2)
        row.addWidget(self.done_on, 2, 1)
        row.addWidget(self.reopen, 3, 0, 1, 2)
        grid.addWidget(side, 0, 4, 1, 2)
        grid.addWidget(self.lag_label, 1, 0)
        grid.addWidget(lag_box, 1, 1)
        grid.addWidget(QLabel(LABELS["problems"]), 1, 2)
        grid.addWidget(problems_box, 1, 3)
        grid.addWidget(self.steps_label, 1, 4)
        grid.addWidget(steps_box, 1, 5)
        grid.addWidget(QLabel(LABELS["evidence"]), 2, 0)
        grid.addWidget(self.evidence, 2, 1, 1, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_hint, 1)
        bottom.addWidget(self.next_button)
        grid.addLayout(bottom, 2, 4, 1, 2)
        for col, stretch in ((1, 3), (3, 2), (5, 2)):
            grid.setColumnStretch(col, stretch)

        for box in (self.text, self.problems, self.next_steps, self.lag_reason):
            box.textChanged.connect(self._changed)
        self.evidence.textChanged.connect(self._changed)
        self.percent.valueChanged.connect(self._changed)
        self.done.toggled.connect(self._done_toggled)
        self.reopen.toggled.connect(self._changed)
        self.done_on.dateChanged.connect(self._changed)
        self.show_entry(None, "", None, read_only=True)

    # showing ---------------------------------------------------------------------------

    def show_entry(
        self,
        entry: ProgressEntry | None,
        title: str,
        default_done_on: date | None,
        *,
        read_only: bool,
        lagging: bool = False,
        status_text: str = "",
        finished_before: date | None = None,
    ) -> None:
        """Fill the form from ``entry`` (None: no task selected) without emitting edits;
        ``finished_before``: the day the task was finished in an earlier period, when it was
        (completion is sticky: only a report marked 重新打开 lowers its percent)."""
        self._loading = True
        try:
            self._task_id = entry.task_id if entry else None
            self.setTitle(f"本期填报：{title}" if title else "本期填报")
            e = entry or ProgressEntry(task_id=0)
            for box, value in (
                (self.text, e.text),
                (self.problems, e.problems),
                (self.next_steps, e.next_steps),
                (self.lag_reason, e.lag_reason),
            ):
                if box.toPlainText() != value:
                    box.setPlainText(value)
            if self.evidence.text() != e.evidence:
                self.evidence.setText(e.evidence)
            self.percent.setValue(NO_PERCENT if e.percent is None else e.percent)
            self.done.setChecked(e.completed_on is not None)
            shown = e.completed_on or default_done_on or date.today()
            self.done_on.setDate(QDate(shown.year, shown.month, shown.day))
            self.done_on.setEnabled(e.completed_on is not None and not read_only)
            enabled = entry is not None and not read_only
            self.reopen.setVisible(finished_before is not None)
            self.reopen.setChecked(e.reopened)
            self.reopen.setEnabled(enabled)
            if finished_before is not None:
                d = finished_before
                self.reopen.setText(f"{LABELS['reopened']}（已于{chinese_month_day(d)}完成）")
            for w in (
                self.text,
                self.percent,
                self.done,
                self.problems,
                self.next_steps,
                self.lag_reason,
                self.evidence,
            ):
                w.setEnabled(enabled)
            self.next_button.setEnabled(entry is not None)
            self.set_lagging(lagging, status_text)
        finally:
            self._loading = False

    def set_lagging(self, lagging: bool, status_text: str) -> None:
        """Mark the reason and next steps as required while the task is lagging."""
        for label, name in ((self.lag_label, "滞后原因"), (self.steps_label, "下步打算")):
            label.setText(f"{name} *" if lagging else name)
            label.setStyleSheet("color: #a61b1b; font-weight: bold;" if lagging else "")
        self.status_hint.setText(status_text)

    @property
    def task_id(self) -> int | None:
        return self._task_id

    def focus_text(self) -> None:
        self.text.setFocus()
        self.text.moveCursor(self.text.textCursor().MoveOperation.End)

    # editing ---------------------------------------------------------------------------

    def entry(self) -> ProgressEntry:
        assert self._task_id is not None
        value = self.percent.value()
        done = self.done_on.date()
        return ProgressEntry(
            task_id=self._task_id,
            text=self.text.toPlainText(),
            percent=None if value == NO_PERCENT else value,
            problems=self.problems.toPlainText(),
            next_steps=self.next_steps.toPlainText(),
            lag_reason=self.lag_reason.toPlainText(),
            completed_on=date(done.year(), done.month(), done.day())
            if self.done.isChecked()
            else None,
            evidence=self.evidence.text(),
            reopened=not self.reopen.isHidden() and self.reopen.isChecked(),
        )

    def _done_toggled(self, checked: bool) -> None:
        self.done_on.setEnabled(checked and self.done.isEnabled())
        if checked and not self._loading and self.percent.value() != 100:
            # a completed task is 100% done; typing both is a chore
            self.percent.setValue(100)
        self._changed()

    def _changed(self) -> None:
        if self._loading or self._task_id is None:
            return
        self.edited.emit(self.entry())
