"""条目覆盖: every measure of the notice with its task count, 不适用 mark or 未分解 warning.

Clicking a measure filters the task table to it; a measure without tasks can get a new task
or be marked 不适用 with a written reason (required by the check before sending).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services.worklist.queries import CoverageRow
from desktop.ui import dialogs
from desktop.ui.forms import hint
from desktop.ui.table_model import AnyIndex, RowTableModel
from desktop.ui.worklist.notice_index import NoticeIndex

HEADERS = ("条目", "任务数", "情况")
STATE_LABELS = {"covered": "已分解", "excluded": "不适用", "uncovered": "未分解"}
MEASURE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CoverageModel(RowTableModel[CoverageRow]):
    numbered_rows = True

    def __init__(self, parent: Any = None) -> None:
        super().__init__(HEADERS, parent)
        self._all: list[CoverageRow] = []
        self._labels: dict[int, str] = {}
        self._texts: dict[int, str] = {}
        self.open_only = False
        self._red = QBrush(QColor("#a61b1b"))
        self._red_bg = QBrush(QColor("#fdecea"))
        self._grey = QBrush(QColor("#7b8794"))
        self._italic = QFont()
        self._italic.setItalic(True)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        c = self.row_for(index)
        if c is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self._labels.get(c.measure_id, c.label)
            if col == 1:
                return str(c.tasks) if c.tasks else ""
            return STATE_LABELS[c.state]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if c.state == "uncovered":
                return self._red
            if c.state == "excluded":
                return self._grey
            return None
        if role == Qt.ItemDataRole.BackgroundRole and c.state == "uncovered":
            return self._red_bg
        if role == Qt.ItemDataRole.FontRole and c.state == "excluded":
            return self._italic
        if role == Qt.ItemDataRole.ToolTipRole:
            if c.state == "excluded":
                return f"不适用理由：{c.excluded_reason}"
            if c.state == "uncovered":
                return "未分解：请为这个条目新增任务，或标为不适用并写明理由"
            return self._texts.get(c.measure_id, "")[:300] or None
        if role == MEASURE_ID_ROLE:
            return c.measure_id
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def set_rows(self, rows: Iterable[CoverageRow], index: NoticeIndex | None = None) -> None:
        self._all = list(rows)
        if index is not None:
            self._labels, self._texts = index.measure_full, index.measure_text
        self._refilter()

    def set_open_only(self, on: bool) -> None:
        self.open_only = on
        self._refilter()

    def _refilter(self) -> None:
        self._show([c for c in self._all if not self.open_only or c.state == "uncovered"])

    def row(self, row: int) -> CoverageRow:
        return self.row_at(row)

    def label(self, c: CoverageRow) -> str:
        return self._labels.get(c.measure_id, c.label)

    def row_of(self, measure_id: int) -> int | None:
        return next((i for i, c in enumerate(self._rows) if c.measure_id == measure_id), None)

    def counts(self) -> dict[str, int]:
        out = {"covered": 0, "excluded": 0, "uncovered": 0}
        for c in self._all:
            out[c.state] += 1
        return out


class CoveragePanel(QWidget):
    measure_chosen = Signal(int)
    new_task_requested = Signal(int)
    not_applicable_requested = Signal(int, str)  # measure id, reason
    clear_not_applicable_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.open_only = QCheckBox("只看未分解的条目")
        self.model = CoverageModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 58)
        header.resizeSection(2, 64)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        intro = hint(
            "点击条目可在左侧只显示它的任务。未分解的条目请新增任务，或标为不适用并写明理由。"
        )
        buttons = QHBoxLayout()
        self.show_button = QPushButton("查看任务")
        self.new_button = QPushButton("新增任务")
        self.na_button = QPushButton("标为不适用…")
        self.clear_button = QPushButton("取消不适用")
        for b in (self.show_button, self.new_button, self.na_button, self.clear_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addWidget(self.summary)
        layout.addWidget(self.open_only)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(intro)
        self._editable = True

        self.open_only.toggled.connect(self.model.set_open_only)
        self.table.clicked.connect(self._clicked)
        self.table.activated.connect(self._clicked)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self.show_button.clicked.connect(self._show)
        self.new_button.clicked.connect(self._new)
        self.na_button.clicked.connect(self.mark_not_applicable)
        self.clear_button.clicked.connect(self.clear_not_applicable)
        self._update_buttons()

    def set_rows(self, rows: Sequence[CoverageRow], index: NoticeIndex | None) -> None:
        chosen = self.current()
        self.model.set_rows(rows, index)
        n = self.model.counts()
        total = sum(n.values())
        text = (
            f"共 {total} 个条目：已分解 {n['covered']}，不适用 {n['excluded']}，"
            f"<b style='color:{'#a61b1b' if n['uncovered'] else '#2e7d32'}'>"
            f"未分解 {n['uncovered']}</b>"
        )
        self.summary.setText(text)
        if chosen is not None:
            self.select(chosen.measure_id)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self._update_buttons()

    def select(self, measure_id: int) -> bool:
        row = self.model.row_of(measure_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def current(self) -> CoverageRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    # actions ---------------------------------------------------------------------------

    def mark_not_applicable(self) -> None:
        c = self.current()
        if c is None or not self._editable:
            return
        label = self.model.label(c)
        reason = dialogs.ask_required_text(
            self,
            "标为不适用",
            f"条目：{label}\n\n请写明本级不承担这项工作的理由（必填，会随清单上报）：",
            c.excluded_reason or "",
            ok="标为不适用",
            missing="必须填写理由，才能把条目标为不适用。",
            field="exclusion_reason",
        )
        if reason is None or not reason.strip():  # cancelled
            return
        self.not_applicable_requested.emit(c.measure_id, reason.strip())

    def clear_not_applicable(self) -> None:
        c = self.current()
        if c is not None and c.state == "excluded" and self._editable:
            self.clear_not_applicable_requested.emit(c.measure_id)

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.measure_chosen.emit(self.model.row(index.row()).measure_id)

    def _show(self) -> None:
        c = self.current()
        if c is not None:
            self.measure_chosen.emit(c.measure_id)

    def _new(self) -> None:
        c = self.current()
        if c is not None and self._editable:
            self.new_task_requested.emit(c.measure_id)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for text, slot, enabled in (
            ("查看任务", self._show, True),
            ("为此条目新增任务", self._new, self.new_button.isEnabled()),
            ("标为不适用…", self.mark_not_applicable, self.na_button.isEnabled()),
            ("取消不适用", self.clear_not_applicable, self.clear_button.isEnabled()),
        ):
            action = QAction(text, menu)
            action.setEnabled(enabled)
            action.triggered.connect(slot)
            menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _update_buttons(self) -> None:
        c = self.current()
        self.show_button.setEnabled(c is not None)
        self.new_button.setEnabled(c is not None and self._editable)
        self.na_button.setEnabled(c is not None and self._editable)
        self.clear_button.setEnabled(c is not None and self._editable and c.state == "excluded")
