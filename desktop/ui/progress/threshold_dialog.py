"""状态阈值: the office's thresholds for 滞后 (yellow, red), 超序时 and 临近到期.

Status is computed, never typed; these four numbers are how the office tunes it. The dialog
only collects them; the progress screen saves them through the service, which checks them.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from desktop.core.status import Thresholds
from desktop.ui.forms import hint, ok_cancel


def _spin(low: int, high: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setMinimumWidth(120)
    return box


class ThresholdDialog(QDialog):
    def __init__(self, current: Thresholds, parent: QDialog | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("状态阈值")
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "任务状态按“序时进度”自动计算：序时进度是任务时限内已经过去的时间比例"
                "（设置了节点的，按节点计划）。实际的完成百分比与它相比："
            )
        )
        form = QFormLayout()
        self.yellow = _spin(1, 99, " 个百分点")
        self.red = _spin(2, 100, " 个百分点")
        self.ahead = _spin(1, 100, " 个百分点")
        self.due_soon = _spin(0, 366, " 天")
        form.addRow("落后达到（滞后，黄色）", self.yellow)
        form.addRow("落后超过（严重滞后，红色）", self.red)
        form.addRow("超前达到（超序时）", self.ahead)
        form.addRow("距完成时限不足（临近到期，蓝色）", self.due_soon)
        layout.addLayout(form)
        layout.addWidget(hint("超过完成时限仍未完成的任务，一律按严重滞后（红色）显示。"))
        buttons = ok_cancel(self, "保存")
        self.reset_button = QPushButton("恢复默认")
        buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.reset_button.clicked.connect(lambda: self.set_thresholds(Thresholds()))
        layout.addWidget(buttons)
        self.set_thresholds(current)

    def set_thresholds(self, t: Thresholds) -> None:
        self.yellow.setValue(t.yellow_behind)
        self.red.setValue(t.red_behind)
        self.ahead.setValue(t.ahead_by)
        self.due_soon.setValue(t.due_soon_days)

    def thresholds(self) -> Thresholds:
        return Thresholds(
            yellow_behind=self.yellow.value(),
            red_behind=self.red.value(),
            ahead_by=self.ahead.value(),
            due_soon_days=self.due_soon.value(),
        )
