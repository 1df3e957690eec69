"""改为本地目标: rewrite a task the notice's words still speak for, beside the notice's text.

The form opens with a proposal (``desktop.core.localise.propose``: other places' sentences
out, 全省 → 全县, the province's number taken off the target) and says, line by line, what
still reads as the notice's; 保存 waits until nothing does and a target that names a number
has its 目标数值.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.checks import has_numbers
from desktop.core.localise import LocalContext, propose, wording_problems
from desktop.core.vocabulary import LABELS
from desktop.core.worklist import TaskRecord
from desktop.ui.forms import hint, ok_cancel, set_ok_enabled, wrapped
from desktop.ui.look import fit_to_screen


class LocaliseDialog(QDialog):
    def __init__(
        self, task: TaskRecord, context: LocalContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._task, self._context = task, context
        self.setWindowTitle("改为本地目标")
        fit_to_screen(self, 720, 560)
        layout = QVBoxLayout(self)
        number = task.number or "（未编号）"
        layout.addWidget(
            wrapped(
                f"任务 {number} 还保留着上级文件的写法。请写成本级要做的工作和要完成的目标"
                "（数字按本级的实际填写）。"
            )
        )
        source = QTextBrowser()
        source.setMaximumHeight(120)
        source.setPlainText(
            "\n".join(
                f"{m.label}　{m.text}"
                + ("\n目标：" + "；".join(t.text() for t in m.targets) if m.targets else "")
                for m in context.measures
            )
            or "（未关联条目）"
        )
        layout.addWidget(QLabel("上级文件原文（供对照）："))
        layout.addWidget(source)

        proposal = propose(task, context)
        form = QFormLayout()
        self.content = QPlainTextEdit(proposal.content)
        self.content.setTabChangesFocus(True)
        self.target_text = QPlainTextEdit(proposal.target_text)
        self.target_text.setTabChangesFocus(True)
        self.target_text.setFixedHeight(56)
        self.target_value = QLineEdit(proposal.target_value or "")
        self.target_value.setPlaceholderText("本级的数值")
        self.target_value.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"^-?\d{0,12}(\.\d{0,6})?$"))
        )
        self.target_unit = QLineEdit(proposal.target_unit)
        self.target_unit.setPlaceholderText("单位")
        value_row = QHBoxLayout()
        value_row.addWidget(self.target_value, 2)
        value_row.addWidget(self.target_unit, 1)
        form.addRow(LABELS["content"], self.content)
        form.addRow(LABELS["target_text"], self.target_text)
        form.addRow(f"{LABELS['target_value']}/{LABELS['target_unit']}", value_row)
        layout.addLayout(form, 1)
        # what is left to do; its lines are reserved so the form never moves under the pointer
        self.problems = hint()
        self.problems.setStyleSheet("color: #a61b1b;")
        self.problems.setMinimumHeight(self.problems.fontMetrics().lineSpacing() * 3 + 6)
        layout.addWidget(self.problems)
        self.buttons = ok_cancel(self, "保存")
        layout.addWidget(self.buttons)
        for box in (self.content, self.target_text):
            box.textChanged.connect(self._update)
        for line in (self.target_value, self.target_unit):
            line.textChanged.connect(self._update)
        self._update()

    def record(self) -> TaskRecord:
        """The task with the fields as typed here."""
        out = self._task.copy()
        out.content = self.content.toPlainText().strip()
        out.target_text = self.target_text.toPlainText().strip()
        value = self.target_value.text().strip().rstrip(".")
        out.target_value = value if value and value != "-" else None
        out.target_unit = self.target_unit.text().strip()
        return out

    def problems_left(self) -> list[str]:
        record = self.record()
        left = wording_problems(record, self._context)
        if not record.content:
            left.append("请填写工作任务")
        if not record.target_text:
            left.append("请填写目标指标")
        elif record.target_value is None and has_numbers(record.target_text):
            left.append("目标指标中有数字，请填写本级的目标数值")
        return left

    def _update(self) -> None:
        left = self.problems_left()
        self.problems.setText("\n".join(f"· {p}" for p in left[:3]))
        set_ok_enabled(self.buttons, not left)
