"""单位对应: which local department carries the work a notice gives to a provincial unit.

A thin model over the mapping entries; the local unit is chosen in a combo box over the
office's units (or 本级不承担). Edits stay on screen until 保存 and are stored in one
transaction. Entries without a local unit are flagged until mapped or marked 本级不承担.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError
from desktop.services.office.local_units import MappingChange, MappingView, UnitService, user_note
from desktop.ui import dialogs
from desktop.ui.error_report import show_error
from desktop.ui.forms import hint
from desktop.ui.table_model import AnyIndex, RowTableModel

HEADERS = ("省级单位", "本级单位", "来源", "说明")
LOCAL, NOTE = 1, 3
SOURCE_LABELS = {"rule": "规则", "default": "默认", "user": "手动", "none": "—"}
UNMAPPED = ""  # choice: no local unit yet
IGNORED = "\x00ignored"  # choice: 本级不承担
IGNORED_TEXT = "本级不承担"
UNMAPPED_TEXT = "（尚未对应）"


@dataclass(frozen=True)
class Entry:
    provincial: str
    local: str | None
    source: str
    ignored: bool
    note: str
    changed: bool = False
    note_written: bool = False  # the office typed the note itself (it then stays)

    @property
    def flagged(self) -> bool:
        return self.local is None and not self.ignored

    @classmethod
    def of(cls, m: MappingView) -> Entry:
        return cls(m.provincial, m.local, m.source, m.ignored, m.note)


class MappingModel(RowTableModel[Entry]):
    edited = Signal()
    numbered_rows = True

    def __init__(self, parent: Any = None) -> None:
        super().__init__(HEADERS, parent)
        self._all: list[Entry] = []
        self.flagged_only = False
        self.read_only = False
        self._red = QBrush(QColor("#a61b1b"))
        self._red_bg = QBrush(QColor("#fdecea"))
        self._grey = QBrush(QColor("#7b8794"))
        self._bold = QFont()
        self._bold.setBold(True)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        e = self.row_for(index)
        if e is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return e.provincial
            if col == LOCAL:
                if e.ignored:
                    return IGNORED_TEXT
                return e.local if e.local else UNMAPPED_TEXT
            if col == 2:
                return SOURCE_LABELS.get(e.source, e.source)
            return e.note
        if role == Qt.ItemDataRole.EditRole:
            if col == LOCAL:
                return IGNORED if e.ignored else (e.local or UNMAPPED)
            if col == NOTE:
                return e.note
            return None
        if role == Qt.ItemDataRole.BackgroundRole and e.flagged:
            return self._red_bg
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == LOCAL and e.flagged:
                return self._red
            if e.ignored:
                return self._grey
            return None
        if role == Qt.ItemDataRole.FontRole and e.changed:
            return self._bold
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (LOCAL, NOTE) and not self.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        e = self._rows[index.row()]
        if index.column() == LOCAL:
            choice = str(value or "")
            if choice == IGNORED:
                new = replace(e, local=None, ignored=True)
            else:
                new = replace(e, local=choice or None, ignored=False)
            if (new.local, new.ignored) == (e.local, e.ignored):
                return False
            new = _with_user_note(new)
        elif index.column() == NOTE:
            new = replace(e, note=str(value or "").strip(), note_written=True)
        else:
            return False
        if new == e:
            return False
        self._put(index.row(), replace(new, source="user", changed=True))
        return True

    # the tab's interface ---------------------------------------------------------------

    def set_entries(
        self, entries: Sequence[MappingView], *, keep_changes: Collection[str] | None = None
    ) -> None:
        """Show ``entries``; with ``keep_changes`` (the local unit names there are now) the
        user's unsaved choices stay on top of them, except a choice of a unit now gone."""
        pending = {}
        if keep_changes is not None:
            names = set(keep_changes)
            pending = {
                e.provincial: e
                for e in self._all
                if e.changed and (e.local is None or e.local in names)
            }
        self._all = [pending.get(m.provincial) or Entry.of(m) for m in entries]
        self._refilter()

    def set_flagged_only(self, on: bool) -> None:
        self.flagged_only = on
        self._refilter()

    def mark_ignored(self, rows: Sequence[int], ignored: bool) -> None:
        for row in rows:
            e = self._rows[row]
            if e.ignored != ignored:
                new = _with_user_note(replace(e, local=None, ignored=ignored))
                self._put(row, replace(new, source="user", changed=True))

    def entry(self, row: int) -> Entry:
        return self.row_at(row)

    def changes(self) -> list[MappingChange]:
        return [
            MappingChange(e.provincial, e.local, e.ignored, e.note) for e in self._all if e.changed
        ]

    def flagged_count(self) -> int:
        return sum(1 for e in self._all if e.flagged)

    def _put(self, row: int, entry: Entry) -> None:
        old = self._rows[row]
        self._rows[row] = entry
        self._all[self._all.index(old)] = entry
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        self.edited.emit()

    def _refilter(self) -> None:
        self._show([e for e in self._all if not self.flagged_only or e.flagged or e.changed])


def _with_user_note(e: Entry) -> Entry:
    """A unit chosen by hand: the note of the proposal it overrules goes (a typed one stays)."""
    return e if e.note_written else replace(e, note=user_note(e.local, ignored=e.ignored))


class LocalUnitDelegate(QStyledItemDelegate):
    """A combo box over the local units (plus 尚未对应 and 本级不承担) for column 本级单位."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: list[str] = []

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        if index.column() != LOCAL:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItem(UNMAPPED_TEXT, UNMAPPED)
        combo.addItem(IGNORED_TEXT, IGNORED)
        for name in self.names:
            combo.addItem(name, name)
        combo.setMaxVisibleItems(20)
        # a choice counts at once: 保存对应 lights up without clicking another row first
        combo.activated.connect(lambda _i, c=combo: self._chosen(c))
        return combo

    def _chosen(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            value = index.data(Qt.ItemDataRole.EditRole)
            found = editor.findData(value)
            if found < 0 and value:  # a unit no longer in the list: show it, keep it
                editor.addItem(str(value), value)
                found = editor.count() - 1
            editor.setCurrentIndex(max(found, 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        else:
            super().setModelData(editor, model, index)


class MappingTab(QWidget):
    dirty_changed = Signal(bool)

    def __init__(self, units: UnitService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._units = units
        self._dirty = False
        layout = QVBoxLayout(self)
        intro = hint(
            "上级文件写的是省级单位，本级由哪个部门承担在这里对应。生成初稿时按这张表填入"
            "牵头单位和配合单位。双击“本级单位”一栏选择；本级没有对应部门的可标为“本级不承担”。"
        )
        layout.addWidget(intro)
        top = QHBoxLayout()
        self.count = QLabel()
        self.flagged_only = QCheckBox("只看尚未对应的")
        top.addWidget(self.count, 1)
        top.addWidget(self.flagged_only)
        layout.addLayout(top)
        self.model = MappingModel(self)
        self.delegate = LocalUnitDelegate(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(self.delegate)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setEditTriggers(
            QTableView.EditTrigger.DoubleClicked
            | QTableView.EditTrigger.EditKeyPressed
            | QTableView.EditTrigger.SelectedClicked
        )
        header = self.table.horizontalHeader()
        header.resizeSection(0, 200)
        header.resizeSection(LOCAL, 180)
        header.resizeSection(2, 60)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        bar = QHBoxLayout()
        self.rematch_button = QPushButton("重新匹配")
        self.rematch_button.setToolTip("按命名规则和默认对照重新对应（手动设置的不变）")
        self.ignore_button = QPushButton("标为本级不承担")
        self.unignore_button = QPushButton("取消不承担")
        self.revert_button = QPushButton("放弃修改")
        self.save_button = QPushButton("保存对应")
        self.save_button.setObjectName("primary")
        for b in (self.rematch_button, self.ignore_button, self.unignore_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)

        self.flagged_only.toggled.connect(self.model.set_flagged_only)
        self.model.edited.connect(self._changed)
        self.model.modelReset.connect(self._changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.rematch_button.clicked.connect(self.rematch)
        self.ignore_button.clicked.connect(lambda: self._mark(True))
        self.unignore_button.clicked.connect(lambda: self._mark(False))
        self.revert_button.clicked.connect(self.reload)
        self.save_button.clicked.connect(self.save)
        self.reload()

    def reload(self, *, keep_changes: bool = False) -> None:
        """Show the stored mapping; ``keep_changes`` keeps the unsaved choices on top (the
        unit list was saved meanwhile: entries of a deleted unit become unmapped)."""
        try:
            self.delegate.names = self._units.unit_names()
            self.model.set_entries(
                self._units.mappings(),
                keep_changes=self.delegate.names if keep_changes else None,
            )
        except UserError as err:
            show_error(self, err)

    def is_dirty(self) -> bool:
        return self._dirty

    def save(self) -> bool:
        changes = self.model.changes()
        if not changes:
            return True
        try:
            self._units.set_mappings(changes)
        except UserError as err:
            show_error(self, err, title="单位对应未保存")
            return False
        self.reload()
        return True

    def rematch(self) -> None:
        if self._dirty:
            answer = dialogs.ask_save_changes(self, "单位对应")
            if answer == "cancel" or (answer == "save" and not self.save()):
                return
        try:
            changed = self._units.repropose()
        except UserError as err:
            show_error(self, err)
            return
        self.reload()
        dialogs.info(
            self,
            "重新匹配",
            f"已按规则重新对应，{changed} 个单位的对应有变化。手动设置的对应保持不变。",
        )

    def _mark(self, ignored: bool) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        self.model.mark_ignored(rows, ignored)

    def _changed(self) -> None:
        flagged = self.model.flagged_count()
        if flagged:
            self.count.setText(
                f"<b style='color:#a61b1b'>{flagged} 个单位尚未对应</b>"
                "　请为它们选择本级单位，或标为本级不承担。"
            )
        else:
            self.count.setText("<b style='color:#2e7d32'>全部省级单位都已对应</b>")
        dirty = bool(self.model.changes())
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        self._update_buttons()

    def _update_buttons(self) -> None:
        rows = [i.row() for i in self.table.selectionModel().selectedRows()]
        entries = [self.model.entry(r) for r in rows]
        self.ignore_button.setEnabled(any(not e.ignored for e in entries))
        self.unignore_button.setEnabled(any(e.ignored for e in entries))
        self.save_button.setEnabled(self._dirty)
        self.revert_button.setEnabled(self._dirty)
