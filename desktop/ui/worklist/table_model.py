"""The task table: a thin model over ``RowView`` objects in display order.

The page decides which rows are shown and in what order (``rows.apply_filters`` and
``rows.sort_views``) and hands them over with ``set_views``; a click on a header only asks
the page to sort (``sort_requested``). ``data()`` returns precomputed strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from desktop.core.status import Severity
from desktop.ui.table_model import AnyIndex, RowTableModel
from desktop.ui.worklist.notice_index import NoticeIndex
from desktop.ui.worklist.rows import (
    COLUMNS,
    CONTENT_COLUMN,
    MEASURE_COLUMN,
    NUMBER_COLUMN,
    PROBLEMS_COLUMN,
    SECTION_COLUMN,
    STATUS_COLUMN,
    RowView,
)

TASK_ID_ROLE = Qt.ItemDataRole.UserRole + 1

SEVERITY_COLOURS = {
    Severity.RED: QColor("#c62828"),
    Severity.YELLOW: QColor("#b45f06"),
    Severity.BLUE: QColor("#1565c0"),
    Severity.GREEN: QColor("#2e7d32"),
    Severity.GREY: QColor("#7b8794"),
}
PROBLEM_BACKGROUND = QBrush(QColor("#fdecea"))
PROBLEM_TEXT = QBrush(QColor("#a61b1b"))


class TaskTableModel(RowTableModel[RowView]):
    sort_requested = Signal(int, Qt.SortOrder)
    numbered_rows = True

    def __init__(self, parent: Any = None) -> None:
        super().__init__([c.title for c in COLUMNS], parent)
        self._row_of: dict[int, int] = {}
        self._status_brushes = {s: QBrush(c) for s, c in SEVERITY_COLOURS.items()}
        self._bold = QFont()
        self._bold.setBold(True)
        self._warning: QIcon | None = None
        self.notice_index: NoticeIndex | None = None  # for the tooltips of measure cells

    # Qt interface ----------------------------------------------------------------------

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        view = self.row_for(index)
        if view is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return view.cells[col]
        if role == Qt.ItemDataRole.BackgroundRole:
            return PROBLEM_BACKGROUND if view.row.problems else None
        if role == Qt.ItemDataRole.DecorationRole:
            if col == NUMBER_COLUMN and view.row.problems:
                return self._warning_icon()
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == STATUS_COLUMN and view.status is not None:
                return self._status_brushes.get(view.status.severity)
            if col == PROBLEMS_COLUMN:
                return PROBLEM_TEXT
            return None
        if role == Qt.ItemDataRole.FontRole:
            severe = (Severity.RED, Severity.YELLOW)
            if col == STATUS_COLUMN and view.status and view.status.severity in severe:
                return self._bold
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(view, col)
        if role == TASK_ID_ROLE:
            return view.row.id
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_requested.emit(column, order)

    # the page's interface --------------------------------------------------------------

    def set_views(self, views: Sequence[RowView]) -> None:
        self._row_of = {v.row.id: i for i, v in enumerate(views)}
        self.set_rows(views)

    def views(self) -> list[RowView]:
        return list(self._rows)

    def view(self, row: int) -> RowView:
        return self.row_at(row)

    def row_of(self, task_id: int) -> int | None:
        return self._row_of.get(task_id)

    def replace(self, view: RowView) -> None:
        """Show a re-read row in place (after saving the task)."""
        row = self._row_of.get(view.row.id)
        if row is None:
            return
        self._rows[row] = view
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def statuses_changed(self) -> None:
        if self._rows:
            top = self.index(0, STATUS_COLUMN)
            bottom = self.index(len(self._rows) - 1, STATUS_COLUMN)
            self.dataChanged.emit(top, bottom)

    # ------------------------------------------------------------------------------------

    def _warning_icon(self) -> QIcon:
        if self._warning is None:
            style = QApplication.style()
            self._warning = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._warning

    def _tooltip(self, view: RowView, col: int) -> str | None:
        if col == STATUS_COLUMN:
            if view.row.closed_on is not None:
                return f"已于 {view.row.closed_on.isoformat()} 销号"
            return view.status.explanation if view.status is not None else "状态计算中…"
        if col in (NUMBER_COLUMN, PROBLEMS_COLUMN) and view.row.problems:
            return "需要补充：" + "、".join(view.row.problems)
        if col == CONTENT_COLUMN:
            return view.row.content or None
        index = self.notice_index
        if col == MEASURE_COLUMN and index is not None and view.row.measure_ids:
            return "\n".join(index.measure_full.get(m, "") for m in view.row.measure_ids)
        if col == SECTION_COLUMN and index is not None and view.row.measure_ids:
            section = index.measure_section.get(view.row.measure_ids[0])
            return index.section_label.get(section) if section is not None else None
        text = view.cells[col]
        return text if len(text) > 8 else None
