"""The scaffolding every table of the program shares: headings over a list of plain rows.

``RowTableModel`` holds the column headings and the rows (the services' frozen dataclasses)
and answers ``rowCount``, ``columnCount`` and ``headerData``; each screen's model keeps its own
``data()`` (and ``flags()`` / ``setData()`` where it is editable). ``_show`` is the one
reset: a complete ``beginResetModel`` / ``endResetModel`` pair around a plain assignment, so
nothing that can fail runs while the views are between the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """A flat table: one plain row per line, one heading per column."""

    numbered_rows = False  # the vertical header counts the rows 1, 2, 3 … (else it is blank)

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = tuple(headers)
        self._rows: list[Row] = []

    def set_rows(self, rows: Iterable[Row]) -> None:
        self._show(list(rows))

    def _show(self, rows: list[Row]) -> None:
        """Reset the table to ``rows`` (a model that filters shows its subset through here)."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def row_for(self, index: AnyIndex) -> Row | None:
        """The row behind a cell of this table, None for an invalid or stale index."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.headers):
            return None
        return self._rows[index.row()]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return section + 1 if self.numbered_rows else None
