"""本级单位: the office's departments, in the order lists and ledgers show them.

Edits stay on screen until 保存; a rename keeps the unit (its mapping entries stay and the
tasks of unsubmitted lists follow the new name), a deletion of a unit that tasks use is
confirmed first.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError
from desktop.services.office.local_units import UnitService
from desktop.ui import dialogs
from desktop.ui.error_report import show_error
from desktop.ui.forms import hint

ORIGINAL_ROLE = Qt.ItemDataRole.UserRole + 1  # the stored name ("" for a new unit)
USES_ROLE = Qt.ItemDataRole.UserRole + 2  # how many tasks name the stored unit

# an office that chose 以后再说 at the first start has no units yet
EMPTY_TEXT = (
    "还没有本级单位：在“本级信息”中填写地区和层级并保存后，会按层级自动填入默认部门名单；"
    "也可点“恢复默认”。"
)


class UnitListTab(QWidget):
    saved = Signal()
    dirty_changed = Signal(bool)

    def __init__(self, units: UnitService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._units = units
        self._stored: list[str] = []
        self._dirty = False
        self._problems: list[str] = []
        layout = QVBoxLayout(self)
        intro = hint(
            "本级承担工作的部门。任务的牵头单位、配合单位从这里选择；上级文件中的省级单位"
            "按“单位对应”落到这些部门。双击可改名，顺序即下拉列表和台账中的顺序。"
        )
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.list = QListWidget()
        self.list.setAlternatingRowColors(True)
        self.list.setMaximumWidth(480)
        self.list.setStyleSheet("QListWidget::item { padding: 4px 6px; }")
        self.list.setEditTriggers(
            QListWidget.EditTrigger.DoubleClicked | QListWidget.EditTrigger.EditKeyPressed
        )
        row.addWidget(self.list, 1)
        side = QVBoxLayout()
        self.add_button = QPushButton("添加")
        self.rename_button = QPushButton("改名")
        self.delete_button = QPushButton("删除")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.defaults_button = QPushButton("恢复默认")
        self.defaults_button.setToolTip("换成本级层级的默认部门名单（保存后生效）")
        for b in (
            self.add_button,
            self.rename_button,
            self.delete_button,
            self.up_button,
            self.down_button,
        ):
            side.addWidget(b)
        side.addSpacing(16)
        side.addWidget(self.defaults_button)
        side.addSpacing(16)
        self.detail = hint()
        self.detail.setMinimumWidth(220)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        side.addWidget(self.detail)
        side.addStretch(1)
        row.addLayout(side)
        row.addStretch(1)
        layout.addLayout(row, 1)
        # duplicates and empty rows, said as soon as they are typed (its line is kept)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #a61b1b;")
        self.problem.setWordWrap(True)
        self.problem.setMinimumHeight(self.problem.fontMetrics().lineSpacing() * 2 + 4)
        layout.addWidget(self.problem)
        bar = QHBoxLayout()
        self.count = QLabel()
        self.count.setObjectName("hint")
        self.count.setWordWrap(True)
        self.revert_button = QPushButton("放弃修改")
        self.save_button = QPushButton("保存单位名单")
        self.save_button.setObjectName("primary")
        bar.addWidget(self.count, 1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)

        self.add_button.clicked.connect(self.add_unit)
        self.rename_button.clicked.connect(self.rename_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.defaults_button.clicked.connect(self.restore_defaults)
        self.revert_button.clicked.connect(self.reload)
        self.save_button.clicked.connect(self.save)
        self.list.itemChanged.connect(lambda _i: self._changed())
        # once a row's editor closes (an empty new row is a problem only then)
        self.list.itemDelegate().closeEditor.connect(lambda *_a: self._changed())
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.reload()

    # reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        try:
            views = self._units.units()
        except UserError as err:
            show_error(self, err)
            return
        self.list.blockSignals(True)
        self.list.clear()
        for u in views:
            self._append(u.name, u.name, u.tasks)
        self.list.blockSignals(False)
        self._stored = [u.name for u in views]
        self._changed()

    def names(self) -> list[str]:
        return [self.list.item(i).text().strip() for i in range(self.list.count())]

    def is_dirty(self) -> bool:
        return self._dirty

    # editing ---------------------------------------------------------------------------

    def add_unit(self) -> None:
        item = self._append("", "", 0)
        self.list.setCurrentItem(item)
        self.list.editItem(item)
        self._changed()

    def rename_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    def delete_current(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        uses = int(item.data(USES_ROLE) or 0)
        name = item.data(ORIGINAL_ROLE) or item.text().strip()
        if uses:
            question = (
                f"“{name}”是 {uses} 项任务的牵头或配合单位。\n删除后这些任务仍保留这个名称，"
                "校验时会提示“不在本级单位名单中”；对应到它的省级单位将变为未对应。\n确定删除？"
            )
        else:
            question = (
                f"从本级单位名单中删除“{name}”？\n点击“保存单位名单”后生效，之前可“放弃修改”。"
            )
        # an empty row just added goes without asking
        if name and not dialogs.confirm(self, "删除单位", question, ok="删除"):
            return
        self.list.takeItem(self.list.row(item))
        self._changed()

    def move_current(self, delta: int) -> None:
        row = self.list.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.list.count():
            return
        self.list.blockSignals(True)
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.blockSignals(False)
        self.list.setCurrentRow(target)
        self._changed()

    def restore_defaults(self) -> None:
        try:
            defaults = self._units.default_unit_names()
        except UserError as err:
            show_error(self, err)
            return
        if not dialogs.confirm(
            self,
            "恢复默认",
            f"用默认的 {len(defaults)} 个部门替换当前名单？\n"
            "当前名单中默认名单没有的单位将被删除。点击“保存单位名单”后才生效。",
            ok="替换",
        ):
            return
        uses = {
            self.list.item(i).data(ORIGINAL_ROLE): self.list.item(i).data(USES_ROLE)
            for i in range(self.list.count())
        }
        self.list.blockSignals(True)
        self.list.clear()
        for name in defaults:
            kept = name if name in uses else ""
            self._append(name, kept, int(uses.get(name) or 0))
        self.list.blockSignals(False)
        self._changed()

    def save(self) -> bool:
        names = self.names()
        renamed = {}
        for i in range(self.list.count()):
            item = self.list.item(i)
            original = item.data(ORIGINAL_ROLE) or ""
            if original and item.text().strip() and item.text().strip() != original:
                renamed[original] = item.text().strip()
        try:
            self._units.save_units(names, renamed=renamed)
        except UserError as err:
            show_error(self, err, title="单位名单未保存")
            return False
        self.reload()
        self.saved.emit()
        return True

    # internals -------------------------------------------------------------------------

    def _append(self, name: str, original: str, uses: int) -> QListWidgetItem:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        item.setData(ORIGINAL_ROLE, original)
        item.setData(USES_ROLE, uses)
        item.setToolTip(f"{uses} 项任务使用这个单位" if uses else "还没有任务使用这个单位")
        self.list.addItem(item)
        return item

    def problems(self) -> list[str]:
        """Duplicated and empty rows, by row number (what 保存 would refuse)."""
        rows: dict[str, list[int]] = {}
        empty: list[int] = []
        typing = self.list.state() == QAbstractItemView.State.EditingState
        editing = self.list.currentRow() if typing else -1  # a new row being named
        for i, name in enumerate(self.names()):
            if not name:
                if i != editing:
                    empty.append(i + 1)
            else:
                rows.setdefault(name, []).append(i + 1)
        out = [
            f"“{name}”重复出现（第 {'、'.join(map(str, at))} 行），请删除或改名"
            for name, at in rows.items()
            if len(at) > 1
        ]
        if empty:
            out.append(f"第 {'、'.join(map(str, empty))} 行没有填写名称，请填写或删除")
        return out

    def _mark_problems(self) -> list[str]:
        found = self.problems()
        names = self.names()
        repeated = {n for n in names if n and names.count(n) > 1}
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            bad = item.text().strip() in repeated or not item.text().strip()
            item.setBackground(QBrush(QColor("#fdecea")) if bad else QBrush())
        self.list.blockSignals(False)
        self.problem.setText("；".join(found))
        return found

    def _changed(self) -> None:
        self._problems = self._mark_problems()
        dirty = self.names() != self._stored
        count = len([n for n in self.names() if n])
        self.count.setText(
            (f"共 {count} 个单位" if count else EMPTY_TEXT)
            + ("　● 有未保存的修改" if dirty else "")
        )
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        has = row >= 0
        item = self.list.currentItem()
        if item is None:
            self.detail.setText("")
        else:
            uses = int(item.data(USES_ROLE) or 0)
            original = item.data(ORIGINAL_ROLE) or ""
            text = f"“{item.text() or '（新单位）'}”：" + (
                f"{uses} 项任务以它为牵头或配合单位。" if uses else "还没有任务使用。"
            )
            if original and item.text().strip() != original:
                text += f"\n保存后由“{original}”改名，未上报清单中的任务一并改名。"
            self.detail.setText(text)
        self.rename_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < self.list.count() - 1)
        self.save_button.setEnabled(self._dirty and not self._problems)
        self.revert_button.setEnabled(self._dirty)
