"""下级地区名单: the lower localities expected to report, edited as a small table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.worklist import LEVELS
from desktop.services.exchange.aggregate import AggregateService, LowerLocality
from desktop.ui import dialogs
from desktop.ui.error_report import show_error
from desktop.ui.forms import hint
from desktop.ui.look import fit_to_screen

COLUMNS = ("地区名称", "行政区划代码", "层级", "经哪个市上报", "需要上报")
NAME, CODE, LEVEL, PARENT, EXPECTED = range(5)


class LocalitiesDialog(QDialog):
    """A short list (a city has about ten counties): a table widget is the plain choice."""

    def __init__(
        self,
        aggregate: AggregateService,
        reported: list[str],
        default_level: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._aggregate = aggregate
        self._reported = reported
        self._level = default_level
        self.setWindowTitle("下级地区名单")
        fit_to_screen(self, 760, 520)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "列出应向本级上报的下级地区。名单为空时，接受上级为本级的任何地区的上报包；"
                "名单不为空时，只接受名单中的地区（有行政区划代码的按代码核对）。"
                "取消“需要上报”的地区不计入未上报。省级可为各县（市、区）填写所属设区市："
                "它们的清单随该市的上报包报来。"
            )
        )
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(CODE, 110)
        self.table.setColumnWidth(PARENT, 120)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self._offer, self._source = aggregate.builtin_offer()
        self.builtin_button = QPushButton("按行政区划代码表添加")
        self.builtin_button.setToolTip(f"内置代码表：{self._source}")
        self.builtin_button.clicked.connect(self.add_builtin)
        self.builtin_button.setVisible(bool(self._offer))
        row.addWidget(self.builtin_button)
        for text, slot in (
            ("添加", self.add_row),
            ("批量添加…", self.add_many),
            ("加入已上报的地区", self.add_reported),
            ("删除", self.remove_row),
            ("上移", lambda: self.move_row(-1)),
            ("下移", lambda: self.move_row(1)),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox()
        buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for item in aggregate.localities():
            self._append(item)

    def _append(self, item: LowerLocality) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setItem(r, NAME, QTableWidgetItem(item.name))
        self.table.setItem(r, CODE, QTableWidgetItem(item.code))
        level = QComboBox()
        level.addItems(list(LEVELS))
        level.setCurrentText(item.level)
        self.table.setCellWidget(r, LEVEL, level)
        self.table.setItem(r, PARENT, QTableWidgetItem(item.parent))
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        check.setCheckState(Qt.CheckState.Checked if item.expected else Qt.CheckState.Unchecked)
        self.table.setItem(r, EXPECTED, check)

    def names(self) -> list[str]:
        return [self._text(r, NAME) for r in range(self.table.rowCount())]

    def add_builtin(self) -> None:
        """The lower localities of the built-in table (民政部 code list) not yet listed."""
        have = {self._text(r, CODE) for r in range(self.table.rowCount())} | set(self.names())
        added = 0
        for item in self._offer:
            if item.code not in have and item.name not in have:
                self._append(item)
                added += 1
        if not added:
            dialogs.info(self, "下级地区名单", "代码表中的下级地区都已在名单中。")

    def _text(self, r: int, c: int) -> str:
        item = self.table.item(r, c)
        return item.text().strip() if item is not None else ""

    def add_row(self) -> None:
        self._append(LowerLocality("", level=self._level))
        last = self.table.rowCount() - 1
        self.table.setCurrentCell(last, 0)
        item = self.table.item(last, 0)
        if item is not None:
            self.table.editItem(item)

    def add_many(self) -> None:
        text = dialogs.ask_text(self, "批量添加下级地区", "每行一个地区名称：")
        if text:
            self._add_names(text.splitlines())

    def add_reported(self) -> None:
        self._add_names(self._reported)

    def _add_names(self, names: list[str]) -> None:
        have = set(self.names())
        for name in (n.strip() for n in names):
            if name and name not in have:
                self._append(LowerLocality(name, level=self._level))
                have.add(name)

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)

    def move_row(self, delta: int) -> None:
        items = self.items()
        r = self.table.currentRow()
        j = r + delta
        if r < 0 or not 0 <= j < len(items):
            return
        items[r], items[j] = items[j], items[r]
        self.table.setRowCount(0)
        for item in items:
            self._append(item)
        self.table.setCurrentCell(j, 0)

    def items(self) -> list[LowerLocality]:
        out = []
        for r in range(self.table.rowCount()):
            level = self.table.cellWidget(r, LEVEL)
            check = self.table.item(r, EXPECTED)
            out.append(
                LowerLocality(
                    name=self._text(r, NAME),
                    code=self._text(r, CODE),
                    level=level.currentText() if isinstance(level, QComboBox) else self._level,
                    expected=check is not None and check.checkState() == Qt.CheckState.Checked,
                    parent=self._text(r, PARENT),
                )
            )
        return out

    def save(self) -> None:
        # a row added and left blank is simply dropped
        items = [i for i in self.items() if i.name]
        try:
            self._aggregate.save_localities(items)
        except Exception as err:
            show_error(self, err, title="名单未保存")
            return
        self.accept()
