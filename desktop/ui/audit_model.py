"""The audit log table: rows fetched page by page as the user scrolls (100,000 rows and more).

``canFetchMore`` / ``fetchMore`` pull the next 500 entries (keyset paging by id), so opening
the screen, or changing a filter, reads one page whatever the size of the log.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from desktop.services.audit.query import AuditFilter, AuditQueryService, AuditRow
from desktop.ui.table_model import AnyIndex, RowTableModel

PAGE = 500
HEADINGS = ("时间", "操作人", "操作", "对象", "摘要")


class AuditTableModel(RowTableModel[AuditRow]):
    def __init__(self, service: AuditQueryService) -> None:
        super().__init__(HEADINGS)
        self._service = service
        self._filter = AuditFilter()
        self._exhausted = True
        self.total = 0

    def set_filter(self, f: AuditFilter) -> None:
        """Show the entries matching ``f``, newest first: the count and the first page."""
        # Counted before the reset: a failing read leaves the table as it was, not half reset.
        total = self._service.count(f)
        self._filter, self._exhausted, self.total = f, False, total
        self._show([])
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def loaded(self) -> int:
        return len(self._rows)

    # lazy loading ------------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex) -> None:
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

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self.row_for(index)
        if r is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.when, r.operator, r.action_label, r.object_text, r.summary)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return r.summary
        return None
