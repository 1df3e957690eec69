"""Input widgets of the task editor: an optional date, a list of units, a set of measures."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
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


class UnitField(QWidget):
    """Units chosen from the office's unit list (本级单位名单), never typed freely.

    The names show in a read-only line; 选择 (or Enter, Space, ↓ on the line) opens the
    list with a tick per unit, so choosing replaces what is ticked rather than adding to
    text. A unit the list lacks is added by 新增单位…, an explicit step that puts it on the
    office's list (``add_requested``; the page asks the name and calls the service). A name
    already on a task that the list does not hold (an older list, an import) stays until
    it is unticked, marked as not on the list.
    """

    changed = Signal()
    add_requested = Signal()

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self._choices: list[str] = []
        self._value: list[str] = []
        self.line = QLineEdit()
        self.line.setReadOnly(True)
        self.line.setPlaceholderText(placeholder)
        self.line.installEventFilter(self)
        self.pick_button = QToolButton()
        self.pick_button.setText("选择…")
        self.pick_button.setToolTip("从本级单位名单中勾选；名单中没有的单位可在这里新增")
        self.pick_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.pick_button)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.pick_button.setMenu(self.menu)
        row.addWidget(self.line, 1)
        row.addWidget(self.pick_button)

    def set_choices(self, names: Sequence[str]) -> None:
        self._choices = list(names)
        self._show()

    def _fill_menu(self) -> None:
        self.menu.clear()
        outside = [n for n in self._value if n not in self._choices]
        for name in [*outside, *self._choices]:
            text = f"{name}（不在本级单位名单）" if name in outside else name
            action = QAction(text, self.menu)
            action.setData(name)
            action.setCheckable(True)
            action.setChecked(name in self._value)
            action.toggled.connect(lambda on, n=name: self._toggle(n, on))
            self.menu.addAction(action)
        self.menu.addSeparator()
        add = self.menu.addAction("新增单位…（加入本级单位名单）")
        add.triggered.connect(self.add_requested.emit)
        clear = self.menu.addAction("全部取消")
        clear.setEnabled(bool(self._value))
        clear.triggered.connect(lambda: self.set_value([], notify=True))

    def _toggle(self, name: str, on: bool) -> None:
        names = list(self._value)
        if on and name not in names:
            names.append(name)
        elif not on and name in names:
            names.remove(name)
        self.set_value(names, notify=True)

    def add(self, name: str) -> None:
        """Tick ``name`` (a unit just added to the office's list)."""
        if name not in self._value:
            self.set_value([*self._value, name], notify=True)

    def value(self) -> list[str]:
        return list(self._value)

    def set_value(self, names: Sequence[str], *, notify: bool = False) -> None:
        self._value = list(dict.fromkeys(n for n in names if n.strip()))
        self._show()
        if notify and not self.signalsBlocked():
            self.changed.emit()

    def _show(self) -> None:
        self.line.setText("、".join(self._value))
        outside = [n for n in self._value if self._choices and n not in self._choices]
        self.line.setToolTip(
            f"不在本级单位名单：{'、'.join(outside)}（可在“选择…”中新增到名单，或取消勾选）"
            if outside
            else ""
        )
        self.line.setStyleSheet("color: #a61b1b;" if outside else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter, Space or ↓ on the line opens the list (the keyboard's way to choose)."""
        if watched is self.line and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_Down)
            if event.key() in keys and self.pick_button.isEnabled():
                self.pick_button.showMenu()
                return True
        return super().eventFilter(watched, event)

    def setReadOnly(self, read_only: bool) -> None:
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
