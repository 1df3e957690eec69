"""Input widgets of the task editor: an optional date, a list of units, a set of measures."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.worklist import split_units
from desktop.ui.worklist.notice_index import NoticeIndex

_EMPTY = QDate(1900, 1, 1)  # shown as "未设置"; no real task date is that early


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class _DateEdit(QDateEdit):
    """A QDateEdit whose lowest value means "no date"; stepping or opening the calendar from
    there starts at a sensible day instead of 1900."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.default_date = date.today()
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(_EMPTY)
        self.setMaximumDate(QDate(2100, 12, 31))
        self.setSpecialValueText("未设置")
        self.setDate(_EMPTY)
        self.calendarWidget().installEventFilter(self)

    def empty(self) -> bool:
        return self.date() == _EMPTY

    def stepBy(self, steps: int) -> None:
        if self.empty():
            self.setDate(qdate(self.default_date))
            return
        super().stepBy(steps)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.calendarWidget() and event.type() == QEvent.Type.Show and self.empty():
            d = self.default_date
            self.calendarWidget().setCurrentPage(d.year, d.month)
        return super().eventFilter(watched, event)


class DateField(QWidget):
    """An optional date with a calendar and a clear button."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.edit = _DateEdit()
        self.edit.setMinimumWidth(120)
        self.clear_button = QToolButton()
        self.clear_button.setText("清除")
        self.clear_button.setToolTip("清除这个日期")
        self.clear_button.clicked.connect(lambda: self.set_value(None))
        row.addWidget(self.edit)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        self.edit.dateChanged.connect(lambda _d: self.changed.emit())

    def set_default(self, day: date) -> None:
        self.edit.default_date = day

    def value(self) -> date | None:
        if self.edit.empty():
            return None
        d = self.edit.date()
        return date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        self.edit.setDate(qdate(value) if value is not None else _EMPTY)

    def setReadOnly(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.clear_button.setEnabled(not read_only)


class _SegmentCompleter(QCompleter):
    """Completes the unit being typed after the last "、" in a list of units."""

    def splitPath(self, path: str) -> list[str]:
        return [split_segments(path)[-1].strip()]

    def pathFromIndex(self, index: object) -> str:
        chosen = super().pathFromIndex(index)  # type: ignore[arg-type]
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        head = split_segments(text)[:-1]
        return "、".join([*[h.strip() for h in head if h.strip()], chosen])


def split_segments(text: str) -> list[str]:
    for sep in ("，", ",", "；", ";"):
        text = text.replace(sep, "、")
    return text.split("、")


class UnitField(QWidget):
    """Several unit names: typed freely (separated by 、) or ticked in the local unit list."""

    changed = Signal()

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.line = QLineEdit()
        self.line.setPlaceholderText(placeholder)
        self.pick_button = QToolButton()
        self.pick_button.setText("选择")
        self.pick_button.setToolTip("从本级单位名单中勾选")
        self.pick_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.pick_button)
        self.menu.aboutToShow.connect(self._sync_menu)
        self.pick_button.setMenu(self.menu)
        self._names = QStringListModel()
        completer = _SegmentCompleter(self._names, self.line)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.line.setCompleter(completer)
        row.addWidget(self.line, 1)
        row.addWidget(self.pick_button)
        self.line.textChanged.connect(lambda _t: self.changed.emit())

    def set_choices(self, names: Sequence[str]) -> None:
        self._names.setStringList(list(names))
        self.menu.clear()
        for name in names:
            action = QAction(name, self.menu)
            action.setCheckable(True)
            action.toggled.connect(lambda on, n=name: self._toggle(n, on))
            self.menu.addAction(action)

    def _sync_menu(self) -> None:
        current = set(self.value())
        for action in self.menu.actions():
            action.blockSignals(True)
            action.setChecked(action.text() in current)
            action.blockSignals(False)

    def _toggle(self, name: str, on: bool) -> None:
        names = self.value()
        if on and name not in names:
            names.append(name)
        elif not on and name in names:
            names.remove(name)
        self.set_value(names)

    def value(self) -> list[str]:
        return split_units(self.line.text())

    def set_value(self, names: Sequence[str]) -> None:
        self.line.setText("、".join(names))

    def setReadOnly(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)
        self.pick_button.setEnabled(not read_only)


class MeasurePicker(QWidget):
    """The measures a task serves: a searchable list with a tick per measure.

    The first ticked measure is the task's main one (grouping and numbering follow it);
    ticking adds at the end, so the order the user chose is kept.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索条目（编号、名称或原文）")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setFixedHeight(118)
        self.list.setUniformItemSizes(True)
        layout.addWidget(self.summary)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self._order: list[int] = []
        self._index: NoticeIndex | None = None
        self._read_only = False
        self.search.textChanged.connect(self._filter)
        self.list.itemChanged.connect(self._item_changed)

    def set_index(self, index: NoticeIndex) -> None:
        self._index = index
        self.list.blockSignals(True)
        self.list.clear()
        for m in index.measures:
            item = QListWidgetItem(index.measure_full[m.id])
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            item.setToolTip(m.text[:300])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.set_value(self._order)

    def value(self) -> list[int]:
        return list(self._order)

    def set_value(self, ids: Sequence[int]) -> None:
        self._order = list(dict.fromkeys(ids))
        wanted = set(self._order)
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self._show_summary()

    def setReadOnly(self, read_only: bool) -> None:
        self._read_only = read_only
        flags = Qt.ItemFlag.ItemIsEnabled
        if not read_only:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            self.list.item(i).setFlags(flags)
        self.list.blockSignals(False)

    def _item_changed(self, item: QListWidgetItem) -> None:
        mid = item.data(Qt.ItemDataRole.UserRole)
        on = item.checkState() == Qt.CheckState.Checked
        if on and mid not in self._order:
            self._order.append(mid)
        elif not on and mid in self._order:
            self._order.remove(mid)
        self._show_summary()
        self.changed.emit()

    def _filter(self, text: str) -> None:
        q = text.strip()
        index = self._index
        for i in range(self.list.count()):
            item = self.list.item(i)
            mid = item.data(Qt.ItemDataRole.UserRole)
            hit = (
                not q
                or index is None
                or q in index.measure_full.get(mid, "")
                or q in index.measure_text.get(mid, "")
            )
            item.setHidden(not hit)

    def _show_summary(self) -> None:
        if not self._order:
            self.summary.setText("<span style='color:#a61b1b'>尚未关联条目</span>")
            return
        labels = self._index.measure_full if self._index is not None else {}
        names = [html.escape(labels.get(m, "（条目已删除）")) for m in self._order]
        first = f"<b>{names[0]}</b>"
        rest = "；".join(names[1:])
        self.summary.setText(f"已关联：{first}" + (f"；{rest}" if rest else ""))
