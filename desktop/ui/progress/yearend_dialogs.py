"""年终处理: the close-out (销号) and carry-over (结转) dialogs of the progress screen.

They collect what the user decides and show what will happen; the progress screen calls the
year-end service with the answers, so a refusal (an unfinished task, a submitted next-year
list) comes back as the service's own Chinese message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.vocabulary import LABELS
from desktop.errors import UserError
from desktop.services.progress.yearend import CarryItem, CarryPreview
from desktop.ui import dialogs
from desktop.ui.forms import hint, ok_cancel, set_ok_enabled, wrapped
from desktop.ui.limits import LimitedText, limit_line
from desktop.ui.look import fit_to_screen
from desktop.ui.table_model import AnyIndex, RowTableModel


class CloseOutDialog(QDialog):
    """销号: the day, the evidence and who closes the chosen finished tasks."""

    def __init__(
        self,
        tasks: list[tuple[str, str]],
        default_on: date,
        default_by: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("任务销号")
        fit_to_screen(self, 560, 380)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"将以下 {len(tasks)} 项已完成的任务销号："))
        listing = QPlainTextEdit("\n".join(f"{n}　{' '.join(c.split())}" for n, c in tasks))
        listing.setReadOnly(True)
        listing.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        listing.setFixedHeight(listing.fontMetrics().lineSpacing() * min(len(tasks), 5) + 14)
        layout.addWidget(listing)
        form = QFormLayout()
        self.on = QDateEdit(QDate(default_on.year, default_on.month, default_on.day))
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.evidence = QPlainTextEdit()
        self.evidence.setTabChangesFocus(True)
        self.evidence.setPlaceholderText("验收报告、批复文件、项目投运证明等的名称和文号（必填）")
        self.evidence.setFixedHeight(80)
        self.by = QLineEdit(default_by)
        limit_line(self.by, "closed_by")
        self.evidence_limit = LimitedText(self.evidence, "close_evidence")
        form.addRow(LABELS["closed_on"], self.on)
        form.addRow(LABELS["close_evidence"], self.evidence_limit.widget)
        form.addRow(LABELS["closed_by"], self.by)
        layout.addLayout(form)
        layout.addWidget(
            hint(
                "只有已完成（完成百分比为100%或填写了完成日期）的任务才能销号；销号会记入审计日志。"
            )
        )
        layout.addWidget(ok_cancel(self, "销号"))

    def accept(self) -> None:
        if not self.evidence.toPlainText().strip():
            dialogs.warning(self, "任务销号", f"请填写“{LABELS['close_evidence']}”。")
            return
        if not self.by.text().strip():
            dialogs.warning(self, "任务销号", f"请填写“{LABELS['closed_by']}”。")
            return
        super().accept()

    def values(self) -> tuple[date, str, str]:
        d = self.on.date()
        return (
            date(d.year(), d.month(), d.day()),
            self.evidence.toPlainText().strip(),
            self.by.text().strip(),
        )


class _CarryModel(RowTableModel[CarryItem]):
    """The unfinished tasks, each with a box: ticked ones are carried over. Tasks carried
    already cannot be ticked."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__(
            (LABELS["number"], LABELS["content"], LABELS["lead_units"], LABELS["percent"], "")
        )
        self.chosen: set[int] = set()

    def set_rows(self, rows: Iterable[CarryItem]) -> None:
        items = list(rows)
        self.chosen = {i.task_id for i in items if not i.carried}  # all ticked at first
        self._show(items)
        self.changed.emit()

    @property
    def items(self) -> list[CarryItem]:
        return self._rows

    def set_all(self, checked: bool) -> None:
        self.chosen = {i.task_id for i in self._rows if not i.carried} if checked else set()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))
        self.changed.emit()

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        item = self.row_for(index)
        if item is None:
            return Qt.ItemFlag.NoItemFlags
        if item.carried:
            return Qt.ItemFlag.ItemIsSelectable  # shown greyed: nothing to choose
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_for(index)
        if item is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            ticked = item.task_id in self.chosen
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if col == 0:
            return item.number
        if col == 1:
            return item.content
        if col == 2:
            return item.lead_units
        if col == 3:
            return "未报" if item.percent is None else f"{item.percent}%"
        return "已结转" if item.carried else "待结转"

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.row_for(index)
        if item is None or item.carried or index.column() != 0:
            return False
        if role != Qt.ItemDataRole.CheckStateRole:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        if checked:
            self.chosen.add(item.task_id)
        else:
            self.chosen.discard(item.task_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.changed.emit()
        return True


class CarryOverDialog(QDialog):
    """结转: which unfinished tasks (all ticked at first) go into which year's list."""

    def __init__(
        self,
        from_year: int,
        preview: Callable[[int], CarryPreview],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._preview_fn = preview
        self.setWindowTitle("结转未完成任务")
        fit_to_screen(self, 760, 540)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.year = QSpinBox()
        self.year.setRange(from_year + 1, from_year + 5)
        self.year.setSuffix(" 年")
        self.year.setMaximumWidth(120)
        form.addRow("结转到", self.year)
        layout.addLayout(form)
        self.summary = wrapped()
        layout.addWidget(self.summary)
        self.problem = wrapped()
        self.problem.setObjectName("errorBanner")
        self.problem.hide()
        layout.addWidget(self.problem)
        ticks = QHBoxLayout()
        ticks.addWidget(QLabel("勾选要结转的任务："))
        ticks.addStretch(1)
        self.all_button = QPushButton("全选")
        self.none_button = QPushButton("全不选")
        ticks.addWidget(self.all_button)
        ticks.addWidget(self.none_button)
        layout.addLayout(ticks)
        self.model = _CarryModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 80), (2, 110), (3, 70), (4, 60)):
            self.table.setColumnWidth(col, width)
        layout.addWidget(self.table, 1)
        layout.addWidget(
            hint(
                "结转后，本年度清单及其进展保持不变；新年度清单中的任务备注“由某年结转”，"
                "可查看上年的进展记录。节点（形象进度）请在新年度清单中重新设置。"
            )
        )
        self.buttons = ok_cancel(self, "结转")
        layout.addWidget(self.buttons)
        self.current: CarryPreview | None = None
        self.all_button.clicked.connect(lambda: self.model.set_all(True))
        self.none_button.clicked.connect(lambda: self.model.set_all(False))
        self.model.changed.connect(self._update)
        self.year.valueChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        try:
            p = self._preview_fn(self.year.value())
        except UserError as err:
            self.current = None
            self.model.set_rows([])
            self.summary.setText("")
            self.problem.setText(str(err))
            self.problem.show()
            set_ok_enabled(self.buttons, False)
            return
        self.current = p
        self.model.set_rows(p.items)

    def _update(self) -> None:
        p = self.current
        if p is None:
            return
        target = "已有的" if p.target_list_id else "新建的"
        done = len(p.items) - p.pending
        chosen = len(self.model.chosen)
        text = (
            f"{p.from_year}年清单中有 {len(p.items)} 项任务既未销号、进度也未到100%"
            + (f"（其中 {done} 项此前已结转）" if done else "")
            + f"。已勾选 {chosen} 项，将结转到{target} {p.to_year} 年清单。"
        )
        if p.done_not_closed:
            text += f"\n另有 {p.done_not_closed} 项已完成但尚未销号，不会结转，建议先销号。"
        self.summary.setText(text)
        problem = ""
        if p.target_submitted:
            problem = f"{p.to_year}年清单已上报，已冻结。请先在“年度清单”中开始新版本，再结转。"
        elif p.pending == 0:
            problem = "没有需要结转的任务。"
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        for button in (self.all_button, self.none_button):
            button.setEnabled(p.pending > 0)
        set_ok_enabled(self.buttons, not problem and chosen > 0)

    def chosen_ids(self) -> list[int]:
        """The ticked tasks, in the list's order."""
        return [i.task_id for i in self.model.items if i.task_id in self.model.chosen]

    def target_year(self) -> int:
        return self.year.value()
