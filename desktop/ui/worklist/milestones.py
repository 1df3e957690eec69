"""节点/形象进度: the small table of a task's planned progress at month or quarter ends."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.vocabulary import LABELS
from desktop.core.worklist import MilestoneRecord
from desktop.ui import dialogs
from desktop.ui.limits import limit_line
from desktop.ui.table_model import AnyIndex, RowTableModel
from desktop.ui.worklist.fields import qdate

HEADERS = tuple(
    LABELS[k]
    for k in ("milestone_due_on", "milestone_label", "milestone_description", "milestone_percent")
)
QUARTERS = ((3, 31, "一季度"), (6, 30, "二季度"), (9, 30, "三季度"), (12, 31, "四季度"))


def quarter_milestones(
    year: int, start: date | None, deadline: date | None
) -> list[MilestoneRecord]:
    """The quarter ends inside the task's window, planned evenly up to 100% at the last one."""
    first = start or date(year, 1, 1)
    last = deadline or date(year, 12, 31)
    ends = [(date(year, m, d), label) for m, d, label in QUARTERS if first <= date(year, m, d)]
    ends = [(d, label) for d, label in ends if d <= last] or [(last, "完成时限")]
    n = len(ends)
    return [
        MilestoneRecord(d, label, "", round(100 * k / n)) for k, (d, label) in enumerate(ends, 1)
    ]


def next_milestone_day(
    year: int, window: tuple[date | None, date | None], taken: set[date]
) -> tuple[date, str]:
    """The day (and label) 添加节点 proposes: a free quarter end, else a free month end,
    else any free day, inside the task's window within the list's year, the year otherwise."""
    lo, hi = date(year, 1, 1), date(year, 12, 31)
    first, last = max(window[0] or lo, lo), min(window[1] or hi, hi)
    spans = [(first, last), (lo, hi)] if first <= last else [(lo, hi)]
    quarters = [(date(year, m, d), q) for m, d, q in QUARTERS]
    month_ends = [(date(year, m, monthrange(year, m)[1]), f"{m}月底") for m in range(1, 13)]
    for a, b in spans:
        for day, label in [*quarters, *month_ends]:
            if a <= day <= b and day not in taken:
                return day, label
        for n in range(b.toordinal(), a.toordinal() - 1, -1):
            if date.fromordinal(n) not in taken:
                return date.fromordinal(n), ""
    day = max(taken)  # every day of the year has a milestone
    return date.fromordinal(day.toordinal() + 1), ""


class MilestoneModel(RowTableModel[MilestoneRecord]):
    """Editable rows of (date, label, description, percent)."""

    edited = Signal()
    # an edit the model turned down, with the reason; the editor tells the user after the
    # item editor has closed (a modal box inside setData would run while the view commits)
    refused = Signal(str)
    numbered_rows = True

    def __init__(self, parent: Any = None) -> None:
        super().__init__(HEADERS, parent)
        self.read_only = False

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        m = self.row_for(index)
        if m is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return m.due_on.isoformat()
            if col == 1:
                return m.label
            if col == 2:
                return m.description
            if col == 3:
                return "" if m.percent is None else f"{m.percent}%"
        if role == Qt.ItemDataRole.EditRole:
            return (qdate(m.due_on), m.label, m.description, m.percent)[col] if col < 4 else None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base if self.read_only else base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        row, col = index.row(), index.column()
        m = self._rows[row]
        if col == 0:
            if not isinstance(value, QDate) or not value.isValid():
                return False
            day = date(value.year(), value.month(), value.day())
            if any(o.due_on == day for i, o in enumerate(self._rows) if i != row):
                self.refused.emit("同一日期只能有一个节点，请换一个日期。")
                return False
            new = MilestoneRecord(day, m.label, m.description, m.percent)
        elif col == 1:
            new = MilestoneRecord(m.due_on, str(value).strip(), m.description, m.percent)
        elif col == 2:
            new = MilestoneRecord(m.due_on, m.label, str(value).strip(), m.percent)
        elif col == 3:
            percent = None if value is None or int(value) < 0 else min(int(value), 100)
            new = MilestoneRecord(m.due_on, m.label, m.description, percent)
        else:
            return False
        if new == m:
            return False
        self._rows[row] = new
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    # the editor's interface ------------------------------------------------------------

    def milestones(self) -> list[MilestoneRecord]:
        return sorted(self._rows, key=lambda m: m.due_on)

    def set_milestones(self, items: Sequence[MilestoneRecord]) -> None:
        self.set_rows(sorted(items, key=lambda m: m.due_on))

    def add(self, item: MilestoneRecord) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(item)
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            self.edited.emit()


class _Delegate(QStyledItemDelegate):
    """A calendar for the date, a 0–100 spin box (blank allowed) for the percent."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        if index.column() == 0:
            edit = QDateEdit(parent)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            return edit
        if index.column() in (1, 2):
            line = QLineEdit(parent)
            limit_line(line, ("milestone_label", "milestone_description")[index.column() - 1])
            return line
        if index.column() == 3:
            spin = QSpinBox(parent)
            spin.setRange(-1, 100)
            spin.setSpecialValueText("未填")
            spin.setSuffix("%")
            return spin
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QDateEdit) and isinstance(value, QDate):
            editor.setDate(value)
        elif isinstance(editor, QSpinBox):
            editor.setValue(-1 if value is None else int(value))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QDateEdit):
            model.setData(index, editor.date())
        elif isinstance(editor, QSpinBox):
            model.setData(index, editor.value())
        else:
            super().setModelData(editor, model, index)


class MilestoneEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = date.today().year
        self.task_window: tuple[date | None, date | None] = (None, None)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.model = MilestoneModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(_Delegate(self.table))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.resizeSection(0, 92)
        header.resizeSection(1, 76)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(3, 104)
        self.table.setFixedHeight(24 * 4 + 30)
        self.table.setEditTriggers(
            QTableView.EditTrigger.DoubleClicked
            | QTableView.EditTrigger.EditKeyPressed
            | QTableView.EditTrigger.AnyKeyPressed
        )
        buttons = QHBoxLayout()
        self.add_button = QPushButton("添加节点")
        self.remove_button = QPushButton("删除节点")
        self.quarters_button = QPushButton("按季度生成节点")
        self.quarters_button.setToolTip("按任务起止日期填入各季度末的节点，计划进度平均分配")
        for b in (self.add_button, self.remove_button, self.quarters_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_milestone)
        self.remove_button.clicked.connect(self.remove_milestone)
        self.quarters_button.clicked.connect(self.fill_quarters)
        self.model.edited.connect(self.changed.emit)
        self.model.refused.connect(self._tell_refused)

    def milestones(self) -> list[MilestoneRecord]:
        return self.model.milestones()

    def _tell_refused(self, reason: str) -> None:
        QTimer.singleShot(0, self, lambda: dialogs.warning(self, "节点日期重复", reason))

    def set_milestones(self, items: Sequence[MilestoneRecord]) -> None:
        self.model.set_milestones(items)

    def set_read_only(self, read_only: bool) -> None:
        self.model.read_only = read_only
        for b in (self.add_button, self.remove_button, self.quarters_button):
            b.setEnabled(not read_only)

    def add_milestone(self) -> None:
        taken = {m.due_on for m in self.model.milestones()}
        day, label = next_milestone_day(self.year, self.task_window, taken)
        row = self.model.add(MilestoneRecord(day, label, "", None))
        cell = self.model.index(row, 2)
        # moving the current cell first commits an editor still open on another row
        self.table.setCurrentIndex(cell)
        self.table.edit(cell)

    def remove_milestone(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.model.remove(rows[0].row())

    def fill_quarters(self) -> None:
        if self.model.rowCount() and not dialogs.confirm(
            self, "按季度生成节点", "将用各季度末的节点替换现有节点，是否继续？", ok="替换"
        ):
            return
        start, deadline = self.task_window
        self.model.set_milestones(quarter_milestones(self.year, start, deadline))
        self.changed.emit()
