"""The editor of one measure: text, responsible units in order with 牵头 marks, joint
responsibility, generic collectives and targets.

Used by the import screen (on a parsed measure held in memory) and by the 修正条目 dialog
(on a saved measure). It only edits data: ``correction()`` returns a checked
``MeasureCorrection`` or raises ``ValidationError`` with a Chinese message; the caller
decides where it goes.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.notice import ParsedTarget
from desktop.services.notices.changes import (
    MeasureCorrection,
    checked_correction,
    decimal_text,
    target_from_input,
)
from desktop.ui.forms import hint

TARGET_COLUMNS = ("指标", "数值", "计量单位", "修饰词", "年份")
PHRASE_ROLE = Qt.ItemDataRole.UserRole  # the notice's own words for the target
ORIGINAL_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's cells as loaded
_SEPARATORS = re.compile(r"[、，,；;\s]+")


def split_names(text: str) -> list[str]:
    return [n for n in _SEPARATORS.split(text) if n]


def _small_button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    return button


class MeasureForm(QWidget):
    """Edits one measure; emits ``changed`` on every edit the user makes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.heading = QLabel()
        self.heading.setObjectName("measureHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold; color: #1f3a5f;")
        layout.addWidget(self.heading)
        self.warnings = QLabel()
        self.warnings.setObjectName("banner")
        self.warnings.setWordWrap(True)
        self.warnings.hide()
        layout.addWidget(self.warnings)

        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.title = QLineEdit()
        self.title.setPlaceholderText("条目标题，如“研发设计方面”")
        grid.addWidget(QLabel("标题"), 0, 0)
        grid.addWidget(self.title, 0, 1)
        layout.addLayout(grid)

        layout.addWidget(QLabel("正文"))
        self.text = QPlainTextEdit()
        # a measure is a paragraph: a few lines, scrolled inside, leave room for the units
        self.text.setMinimumHeight(80)
        self.text.setMaximumHeight(130)
        layout.addWidget(self.text)

        layout.addWidget(QLabel("责任单位（按文件所列顺序；勾选的为牵头单位，其余为配合单位）"))
        units_row = QHBoxLayout()
        self.units = QTableWidget(0, 2)
        self.units.setHorizontalHeaderLabels(["单位名称", "牵头"])
        header = self.units.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.units.verticalHeader().setVisible(False)
        self.units.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.units.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.units.setMinimumHeight(120)
        self.units.setMaximumHeight(150)
        units_row.addWidget(self.units, 1)
        unit_buttons = QVBoxLayout()
        self.add_unit_button = _small_button("添加", "在末尾添加一个责任单位")
        self.remove_unit_button = _small_button("删除", "删除选中的责任单位")
        self.up_button = _small_button("上移", "把选中的单位往前移")
        self.down_button = _small_button("下移", "把选中的单位往后移")
        for b in (self.add_unit_button, self.remove_unit_button, self.up_button, self.down_button):
            unit_buttons.addWidget(b)
        unit_buttons.addStretch(1)
        units_row.addLayout(unit_buttons)
        layout.addLayout(units_row)

        self.joint = QCheckBox("各单位按职责分工共同负责（不分牵头、配合）")
        layout.addWidget(self.joint)
        generic_row = QHBoxLayout()
        generic_row.addWidget(QLabel("泛指单位"))
        self.generic = QLineEdit()
        self.generic.setPlaceholderText("如：各设区市政府、省级有关部门（用顿号分隔）")
        generic_row.addWidget(self.generic, 1)
        layout.addLayout(generic_row)

        layout.addWidget(QLabel("目标指标"))
        targets_row = QHBoxLayout()
        self.targets = QTableWidget(0, len(TARGET_COLUMNS))
        self.targets.setHorizontalHeaderLabels(list(TARGET_COLUMNS))
        th = self.targets.horizontalHeader()
        th.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(TARGET_COLUMNS)):
            th.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.targets.verticalHeader().setVisible(False)
        self.targets.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.targets.setMinimumHeight(90)
        self.targets.setMaximumHeight(130)
        targets_row.addWidget(self.targets, 1)
        target_buttons = QVBoxLayout()
        self.add_target_button = _small_button("添加", "添加一个目标指标")
        self.remove_target_button = _small_button("删除", "删除选中的目标指标")
        target_buttons.addWidget(self.add_target_button)
        target_buttons.addWidget(self.remove_target_button)
        target_buttons.addStretch(1)
        targets_row.addLayout(target_buttons)
        layout.addLayout(targets_row)

        self.note = hint()
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.note)
        layout.addStretch(1)

        self.add_unit_button.clicked.connect(self.add_unit)
        self.remove_unit_button.clicked.connect(self._remove_unit)
        self.up_button.clicked.connect(lambda: self._move_unit(-1))
        self.down_button.clicked.connect(lambda: self._move_unit(1))
        self.add_target_button.clicked.connect(self.add_target)
        self.remove_target_button.clicked.connect(self._remove_target)
        self.joint.toggled.connect(self._joint_toggled)
        self.title.textEdited.connect(self._edited)
        self.text.textChanged.connect(self._edited)
        self.generic.textEdited.connect(self._edited)
        self.units.itemChanged.connect(self._edited)
        self.targets.itemChanged.connect(self._edited)

    # loading and reading ----------------------------------------------------------------

    def set_measure(
        self,
        heading: str,
        correction: MeasureCorrection,
        *,
        note: str = "",
        warnings: tuple[str, ...] | list[str] = (),
        evidence: tuple[str, ...] | list[str] = (),
    ) -> None:
        self._loading = True
        try:
            self.heading.setText(heading)
            self.title.setText(correction.title)
            self.title.setCursorPosition(0)
            self.text.setPlainText(correction.text)
            self.units.setRowCount(0)
            for name in correction.units:
                self._append_unit(name, name in correction.lead_units)
            self.joint.setChecked(correction.joint)
            self._lock_leads(correction.joint)
            self.generic.setText("、".join(correction.generic))
            self.generic.setCursorPosition(0)
            self.targets.setRowCount(0)
            for t in correction.targets:
                self._append_target(t)
            lines = [f"原文责任单位说明：{note}"] if note else []
            lines += [f"识别依据：{'；'.join(evidence)}"] if evidence else []
            self.note.setText("\n".join(lines))
            self.note.setVisible(bool(lines))
            self.warnings.setText("\n".join(f"⚠ {w}" for w in warnings))
            self.warnings.setVisible(bool(warnings))
        finally:
            self._loading = False

    def correction(self) -> MeasureCorrection:
        """What the form says, checked; raises ``ValidationError`` with a Chinese message."""
        units: list[str] = []
        leads: list[str] = []
        for row in range(self.units.rowCount()):
            name_item, lead_item = self.units.item(row, 0), self.units.item(row, 1)
            name = name_item.text().strip() if name_item else ""
            if not name:
                continue
            units.append(name)
            if lead_item is not None and lead_item.checkState() == Qt.CheckState.Checked:
                leads.append(name)
        targets: list[ParsedTarget] = []
        for row in range(self.targets.rowCount()):
            cells = [self._cell(self.targets, row, col) for col in range(len(TARGET_COLUMNS))]
            if not any(cells):
                continue
            first = self.targets.item(row, 0)
            subject, value, unit, qualifier, year = cells
            target = target_from_input(subject, value, unit, qualifier, year)
            if first is not None and first.data(ORIGINAL_ROLE) == "\x1f".join(cells):
                target.phrase = str(first.data(PHRASE_ROLE))  # unchanged: the notice's words
            targets.append(target)
        return checked_correction(
            MeasureCorrection(
                title=self.title.text(),
                text=self.text.toPlainText(),
                units=tuple(units),
                lead_units=tuple(leads),
                joint=self.joint.isChecked(),
                generic=tuple(split_names(self.generic.text())),
                targets=tuple(targets),
            )
        )

    @staticmethod
    def _cell(table: QTableWidget, row: int, col: int) -> str:
        item = table.item(row, col)
        return item.text().strip() if item else ""

    # units ------------------------------------------------------------------------------

    def _append_unit(self, name: str, lead: bool) -> int:
        row = self.units.rowCount()
        self.units.insertRow(row)
        self.units.setItem(row, 0, QTableWidgetItem(name))
        check = QTableWidgetItem("牵头")
        check.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        check.setCheckState(Qt.CheckState.Checked if lead else Qt.CheckState.Unchecked)
        self.units.setItem(row, 1, check)
        return row

    def add_unit(self) -> None:
        row = self._append_unit("", self.joint.isChecked())
        self._lock_leads(self.joint.isChecked())
        self.units.setCurrentCell(row, 0)
        item = self.units.item(row, 0)
        if item is not None and self.isVisible():
            self.units.editItem(item)
        self._edited()

    def _remove_unit(self) -> None:
        row = self.units.currentRow()
        if row >= 0:
            self.units.removeRow(row)
            self._edited()

    def _move_unit(self, delta: int) -> None:
        row = self.units.currentRow()
        other = row + delta
        if row < 0 or not 0 <= other < self.units.rowCount():
            return
        self._loading = True
        try:
            for col in (0, 1):
                a, b = self.units.takeItem(row, col), self.units.takeItem(other, col)
                self.units.setItem(row, col, b)
                self.units.setItem(other, col, a)
        finally:
            self._loading = False
        self.units.setCurrentCell(other, 0)
        self._edited()

    def _joint_toggled(self, joint: bool) -> None:
        if self._loading:
            return
        self._loading = True
        try:
            for row in range(self.units.rowCount()):
                item = self.units.item(row, 1)
                if item is not None:
                    lead = joint or row == 0
                    item.setCheckState(Qt.CheckState.Checked if lead else Qt.CheckState.Unchecked)
            self._lock_leads(joint)
        finally:
            self._loading = False
        self._edited()

    def _lock_leads(self, joint: bool) -> None:
        """Joint responsibility means every unit leads: the marks are not the user's then."""
        flags = Qt.ItemFlag.ItemIsUserCheckable | (
            Qt.ItemFlag.NoItemFlags if joint else Qt.ItemFlag.ItemIsEnabled
        )
        for row in range(self.units.rowCount()):
            item = self.units.item(row, 1)
            if item is not None:
                item.setFlags(flags)

    # targets ----------------------------------------------------------------------------

    def _append_target(self, t: ParsedTarget | None) -> int:
        row = self.targets.rowCount()
        self.targets.insertRow(row)
        cells = (
            [
                t.subject,
                decimal_text(t.value),
                t.unit,
                t.qualifier or "",
                str(t.year) if t.year else "",
            ]
            if t
            else [""] * len(TARGET_COLUMNS)
        )
        for col, value in enumerate(cells):
            self.targets.setItem(row, col, QTableWidgetItem(value))
        first = self.targets.item(row, 0)
        if t is not None and first is not None:
            first.setData(PHRASE_ROLE, t.phrase)
            first.setData(ORIGINAL_ROLE, "\x1f".join(cells))
            first.setToolTip(f"原文：{t.phrase}" if t.phrase else "")
        return row

    def add_target(self) -> None:
        self._loading = True
        try:
            row = self._append_target(None)
        finally:
            self._loading = False
        self.targets.setCurrentCell(row, 0)
        item = self.targets.item(row, 0)
        if item is not None and self.isVisible():
            self.targets.editItem(item)
        self._edited()

    def _remove_target(self) -> None:
        row = self.targets.currentRow()
        if row >= 0:
            self.targets.removeRow(row)
            self._edited()

    def _edited(self, *_: object) -> None:
        if not self._loading:
            self.changed.emit()
