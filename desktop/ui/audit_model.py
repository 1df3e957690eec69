"""The audit log table: rows fetched page by page as the user scrolls (100,000 rows and more).

``canFetchMore`` / ``fetchMore`` pull the next 500 entries (keyset paging by id), so opening
the screen, or changing a filter, reads one page whatever the size of the log.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.services.audit_query import AuditFilter, AuditQueryService, AuditRow

_INDEX = QModelIndex | QPersistentModelIndex
PAGE = 500
HEADINGS = ("时间", "操作人", "操作", "对象", "摘要")


class AuditTableModel(QAbstractTableModel):
    def __init__(self, service: AuditQueryService) -> None:
        super().__init__()
        self._service = service
        self._filter = AuditFilter()
        self._rows: list[AuditRow] = []
        self._exhausted = True
        self.total = 0

    def set_filter(self, f: AuditFilter) -> None:
        """Show the entries matching ``f``, newest first: the count and the first page."""
        self.beginResetModel()
        self._filter = f
        self._rows = []
        self._exhausted = False
        self.total = self._service.count(f)
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def row_at(self, row: int) -> AuditRow:
        return self._rows[row]

    def loaded(self) -> int:
        return len(self._rows)

    # lazy loading ------------------------------------------------------------------------

    def canFetchMore(self, parent: _INDEX) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _INDEX) -> None:
        if parent.isValid() or self._exhausted:
            return
        before = self._rows[-1].id if self._rows else None
        page = self._service.page(self._filter, before_id=before, limit=PAGE)
        if len(page) < PAGE:
            self._exhausted = True
        if not page:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # Qt model ----------------------------------------------------------------------------

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADINGS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADINGS[section]
        return None

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.when, r.operator, r.action_label, r.object_text, r.summary)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return r.summary
        return None
