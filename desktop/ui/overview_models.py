"""Item models of the overview's tables: groups (fields, lead units) and task lists."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop.core.dates import chinese_date
from desktop.core.figures import BUCKET_LABELS
from desktop.core.status import Status
from desktop.core.vocabulary import LABELS
from desktop.services.overview.service import STATUS_ORDER, GroupStats, TaskBrief
from desktop.ui.progress.colours import severity_background, severity_foreground
from desktop.ui.table_model import AnyIndex, RowTableModel

_ROLE = Qt.ItemDataRole


class GroupTableModel(RowTableModel[GroupStats]):
    """按领域 / 按牵头单位: tasks by status, average percent and share done per group."""

    def __init__(self, first_heading: str) -> None:
        super().__init__(
            (
                first_heading,
                "任务数",
                *(BUCKET_LABELS[s] for s in STATUS_ORDER),
                "平均完成百分比",
                "完成率",
            )
        )

    def data(self, index: AnyIndex, role: int = _ROLE.DisplayRole) -> Any:
        g = self.row_for(index)
        if g is None:
            return None
        col = index.column()
        if role == _ROLE.DisplayRole:
            if col == 0:
                return g.name
            if col == 1:
                return g.total
            if 2 <= col < 2 + len(STATUS_ORDER):
                return g.counts.of(STATUS_ORDER[col - 2])
            if col == 2 + len(STATUS_ORDER):
                return f"{g.average_percent}%"
            return f"{g.done_share}%"
        if role == _ROLE.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == _ROLE.ForegroundRole and col == 2 + STATUS_ORDER.index(Status.LAGGING):
            return QColor("#a61b1b") if g.counts.lagging else None
        if role == _ROLE.ToolTipRole and col == 0:
            return g.name
        return None


class BriefTableModel(RowTableModel[TaskBrief]):
    """滞后任务 / 临近到期: one task per row, its status coloured."""

    HEADINGS = (
        *(LABELS[k] for k in ("number", "content", "lead_units", "deadline")),
        *(LABELS[k] for k in ("expected_percent", "percent", "status")),
        "说明",
    )

    def __init__(self) -> None:
        super().__init__(self.HEADINGS)

    @property
    def items(self) -> list[TaskBrief]:
        return self._rows

    def data(self, index: AnyIndex, role: int = _ROLE.DisplayRole) -> Any:
        b = self.row_for(index)
        if b is None:
            return None
        col = index.column()
        if role == _ROLE.DisplayRole:
            d = b.deadline
            return (
                b.number,
                " ".join(b.content.split()),
                b.lead_units,
                chinese_date(d) if d else "未定",
                f"{b.expected_percent}%",
                b.actual_text,
                b.label,
                b.explanation,
            )[col]
        if role == _ROLE.ToolTipRole and col in (1, 7):
            return b.content if col == 1 else b.explanation
        if col == 6 and role == _ROLE.BackgroundRole:
            return severity_background(b.severity)
        if col == 6 and role == _ROLE.ForegroundRole:
            return severity_foreground(b.severity)
        if role == _ROLE.TextAlignmentRole and col in (3, 4, 5, 6):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
