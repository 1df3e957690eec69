"""The filter row over the task table: search, section, lead unit, status, problems.

Typing in the search box waits 250 ms for a pause before asking the service, so that a
20,000-task list is not searched once per keystroke.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from desktop.core.figures import BUCKET_LABELS, NOT_APPLICABLE, NOT_REPORTED
from desktop.core.status import Status
from desktop.ui.worklist.notice_index import NoticeIndex
from desktop.ui.worklist.rows import COLUMNS, DUE_SOON, NO_LEAD, OVERDUE

SEARCH_DELAY_MS = 250

# the states a task is counted under (本期未填报 apart from 滞后), then the deadline filters
STATUS_CHOICES: tuple[tuple[str, str], ...] = (
    *(
        (BUCKET_LABELS[b], b)
        for b in (Status.LAGGING.value, NOT_REPORTED, Status.NOT_STARTED.value)
    ),
    *(
        (BUCKET_LABELS[b], b)
        for b in (Status.ON_TRACK.value, Status.AHEAD.value, Status.DONE.value, NOT_APPLICABLE)
    ),
    ("临近完成时限", DUE_SOON),
    ("已超过完成时限", OVERDUE),
)


def _short(title: str) -> str:
    """A column's name without its second half (工作任务/具体举措 → 工作任务)."""
    return title.split("/")[0].split("（")[0]


class FilterBar(QWidget):
    changed = Signal()  # any filter but the search text
    search_changed = Signal(str)  # after the typing pause
    sort_cleared = Signal()  # back to the list's own order (编号)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索任务、单位、责任人（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(160)  # the row fits beside the navigation at 1366×768, 125 %
        self.section = QComboBox()
        self.section.setMinimumContentsLength(9)
        self.section.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.lead = QComboBox()
        self.lead.setMinimumContentsLength(8)
        self.lead.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status = QComboBox()
        self.status.addItem("全部状态", None)
        for label, value in STATUS_CHOICES:
            self.status.addItem(label, value)
        self.problems = QCheckBox("只看待补充的")
        self.problems.setToolTip("缺牵头单位、完成时限或目标指标的任务")
        self.measure_chip = QToolButton()
        self.measure_chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.measure_chip.setStyleSheet(
            "QToolButton { background: #e3edf9; border: 1px solid #9db8dc; border-radius: 3px;"
            " padding: 2px 6px; color: #1f3a5f; }"
        )
        self.measure_chip.setToolTip("点击取消按条目筛选")
        self.measure_chip.hide()
        self.clear_button = QPushButton("清除筛选")
        self.count = QLabel()
        self.count.setObjectName("hint")
        # the order shown, always in its place (a sort never goes unnoticed, and nothing
        # moves when one starts); clicking it goes back to the list's own order. The list
        # screen puts it among its tools (this row is full at 1366×768, 125 %).
        self.sort_chip = QToolButton()
        self.sort_chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.sort_chip.setToolTip("点击表头可按该列排序；点这里恢复按编号（清单顺序）排列")
        longest = max((f"排序：{_short(c.title)}↓ ✕" for c in COLUMNS), key=len)
        self.sort_chip.setFixedWidth(self.sort_chip.fontMetrics().horizontalAdvance(longest) + 18)
        self.sort_chip.clicked.connect(self.sort_cleared.emit)
        self.set_sort(None)
        row.addWidget(self.search, 3)
        row.addWidget(QLabel("领域"))
        row.addWidget(self.section, 2)
        row.addWidget(QLabel("牵头单位"))
        row.addWidget(self.lead, 1)
        row.addWidget(self.status)
        row.addWidget(self.problems)
        row.addWidget(self.measure_chip)
        row.addWidget(self.clear_button)
        row.addWidget(self.count)
        self.measure_id: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(lambda: self.search_changed.emit(self.search.text()))
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.flush_search)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self.search,
            self.clear_search,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        for combo in (self.section, self.lead, self.status):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.problems.toggled.connect(lambda _on: self.changed.emit())
        self.measure_chip.clicked.connect(self.clear_measure)
        self.clear_button.clicked.connect(self.clear)
        self.set_sections(None)
        self.set_lead_units([])

    # options ---------------------------------------------------------------------------

    def set_sections(self, index: NoticeIndex | None) -> None:
        keep = self.section.currentData()
        self.section.blockSignals(True)
        self.section.clear()
        self.section.addItem("全部领域", None)
        if index is not None:
            for s in index.sections:
                indent = "　" * (s.level - 1)
                self.section.addItem(indent + index.section_label[s.id], s.id)
        found = self.section.findData(keep) if keep is not None else 0
        self.section.setCurrentIndex(max(found, 0))
        self.section.blockSignals(False)

    def set_lead_units(self, names: Sequence[str]) -> None:
        keep = self.lead.currentData()
        self.lead.blockSignals(True)
        self.lead.clear()
        self.lead.addItem("全部", None)
        self.lead.addItem("（未填牵头单位）", NO_LEAD)
        for name in names:
            self.lead.addItem(name, name)
        found = self.lead.findData(keep) if keep is not None else 0
        self.lead.setCurrentIndex(max(found, 0))
        self.lead.blockSignals(False)

    # the measure filter (set from the coverage panel or a check issue) ------------------

    def set_measure(self, measure_id: int, label: str) -> None:
        self.measure_id = measure_id
        short = label if len(label) <= 16 else label[:15] + "…"
        self.measure_chip.setText(f"条目：{short}  ✕")
        self.measure_chip.setToolTip(f"只显示条目“{label}”的任务；点击取消")
        self.measure_chip.show()
        self.changed.emit()

    def clear_measure(self) -> None:
        if self.measure_id is None:
            return
        self.measure_id = None
        self.measure_chip.hide()
        self.changed.emit()

    # state -----------------------------------------------------------------------------

    def search_text(self) -> str:
        return self.search.text().strip()

    def flush_search(self) -> None:
        """Run a pending search now (Enter in the box; tests)."""
        if self._timer.isActive():
            self._timer.stop()
            self.search_changed.emit(self.search.text())

    def clear(self) -> None:
        """Show every task again."""
        for w in (self.section, self.lead, self.status, self.problems, self.search):
            w.blockSignals(True)
        self.section.setCurrentIndex(0)
        self.lead.setCurrentIndex(0)
        self.status.setCurrentIndex(0)
        self.problems.setChecked(False)
        searched = bool(self.search.text())
        self.search.clear()
        for w in (self.section, self.lead, self.status, self.problems, self.search):
            w.blockSignals(False)
        self._timer.stop()
        self.measure_id = None
        self.measure_chip.hide()
        if searched:
            self.search_changed.emit("")
        self.changed.emit()

    def clear_search(self) -> None:
        """Esc in the search box: the search is cleared and the whole list shows again."""
        if self.search.text():
            self.search.clear()
            self.flush_search()

    def set_sort(self, sort: tuple[int, bool] | None) -> None:
        """Show the order of the table: a column and its direction, or the list's own."""
        if sort is None:
            self.sort_chip.setText("排序：编号")
            self.sort_chip.setEnabled(False)
            self.sort_chip.setStyleSheet("QToolButton { border: none; color: #7b8794; }")
        else:
            arrow = "↓" if sort[1] else "↑"
            self.sort_chip.setText(f"排序：{_short(COLUMNS[sort[0]].title)}{arrow} ✕")
            self.sort_chip.setEnabled(True)
            self.sort_chip.setStyleSheet(
                "QToolButton { background: #fff4e0; border: 1px solid #e0b35c;"
                " border-radius: 3px; padding: 2px 4px; color: #7a4b00; }"
            )

    def set_count(self, shown: int, total: int) -> None:
        self.count.setText(f"{shown} / {total} 项" if shown != total else f"共 {total} 项")
