"""任务详情: every field of a task (PRODUCT.md step 4), edited beside the table.

The editor only holds the edits; the page saves them through the service on 保存 / Ctrl+S
and asks before anything would drop them (switching task or list, closing the program).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator, QTextCursor
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.vocabulary import LABELS
from desktop.core.worklist import TaskRecord
from desktop.ui.forms import hint
from desktop.ui.limits import LimitedText, limit_line
from desktop.ui.worklist.fields import DateField, MeasurePicker, UnitField
from desktop.ui.worklist.milestones import MilestoneEditor
from desktop.ui.worklist.notice_index import NoticeIndex


def _text_box(height: int, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setFixedHeight(height)
    box.setTabChangesFocus(True)
    if placeholder:
        box.setPlaceholderText(placeholder)
    return box


class TaskEditor(QWidget):
    save_requested = Signal()
    revert_requested = Signal()
    dirty_changed = Signal(bool)
    add_unit_requested = Signal(object)  # the UnitField whose 新增单位… was chosen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loaded: TaskRecord | None = None
        self._baseline: TaskRecord | None = None
        self._dirty = False
        self._read_only = False
        self._year = date.today().year

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold; color: #243b53; padding: 4px 2px;")
        outer.addWidget(self.heading)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)

        self.placeholder = hint(
            "在左侧表格中选择一项任务查看和修改；\n或点击“新增任务”（Ctrl+N）。"
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        form = QFormLayout(body)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.number = QLineEdit()
        self.number.setPlaceholderText("如 3-2")
        self.number.setMaximumWidth(140)
        self.measures = MeasurePicker()
        self.content = _text_box(84, "本级要做的具体工作")
        self.target_text = _text_box(48, "如：新增服务业市场主体50家以上")
        # the draft carries the notice's own targets over; a county rarely shares them
        self.target_note = hint("这是上级文件中的目标原文（全省的目标），请改为本级要完成的目标。")
        self.target_note.setStyleSheet("color: #b45f06;")
        # its place is kept while hidden: the fields below never move under the pointer
        policy = self.target_note.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.target_note.setSizePolicy(policy)
        self.target_note.hide()
        self._targets: dict[int, frozenset[str]] = {}
        target_box = QVBoxLayout()
        target_box.setContentsMargins(0, 0, 0, 0)
        target_box.setSpacing(2)
        target_box.addWidget(self.target_note)
        self.target_value = QLineEdit()
        self.target_value.setPlaceholderText("数值（可不填）")
        self.target_value.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"^-?\d{0,12}(\.\d{0,6})?$"))
        )
        self.target_unit = QLineEdit()
        self.target_unit.setPlaceholderText("单位，如 家、亿元")
        self.lead_units = UnitField("点“选择…”从本级单位名单中勾选")
        self.co_units = UnitField("点“选择…”从本级单位名单中勾选（可不填）")
        for units in (self.lead_units, self.co_units):
            units.add_requested.connect(lambda f=units: self.add_unit_requested.emit(f))
        self.leader = QLineEdit()
        self.leader.setPlaceholderText("如：某某副县长")
        self.person = QLineEdit()
        self.phone = QLineEdit()
        self.start_on = DateField()
        self.deadline = DateField()
        self.milestones = MilestoneEditor()
        self.remarks = _text_box(48)

        # the schema's limits: the fields stop there, the text boxes count
        for line, key in (
            (self.number, "number"),
            (self.target_unit, "target_unit"),
            (self.leader, "leader"),
            (self.person, "person"),
            (self.phone, "phone"),
        ):
            limit_line(line, key)
        self.content_limit = LimitedText(self.content, "content")
        self.target_limit = LimitedText(self.target_text, "target_text")
        self.remarks_limit = LimitedText(self.remarks, "remarks")
        target_box.insertWidget(0, self.target_limit.widget)

        value_row = QHBoxLayout()
        value_row.addWidget(self.target_value, 2)
        value_row.addWidget(self.target_unit, 1)
        people = QHBoxLayout()
        people.addWidget(self.person, 1)
        people.addWidget(QLabel(LABELS["phone"]))
        people.addWidget(self.phone, 1)

        def required(key: str) -> str:
            return f"{LABELS[key]} *"

        form.addRow(LABELS["number"], self.number)
        form.addRow(LABELS["measures"], self.measures)
        form.addRow(required("content"), self.content_limit.widget)
        form.addRow(required("target_text"), target_box)
        form.addRow(f"{LABELS['target_value']}/{LABELS['target_unit']}", value_row)
        form.addRow(required("lead_units"), self.lead_units)
        form.addRow(LABELS["co_units"], self.co_units)
        form.addRow(LABELS["leader"], self.leader)
        form.addRow(LABELS["person"], people)
        form.addRow(LABELS["start_on"], self.start_on)
        form.addRow(required("deadline"), self.deadline)
        form.addRow(LABELS["milestones"], self.milestones)
        form.addRow(LABELS["remarks"], self.remarks_limit.widget)
        scroll.setWidget(body)
        self.stack.addWidget(scroll)
        self._scroll = scroll

        self.bar = QWidget()
        bar = QHBoxLayout(self.bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.state_label = QLabel()
        self.state_label.setObjectName("hint")
        self.revert_button = QPushButton("放弃修改")
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primary")
        self.save_button.setToolTip("保存这项任务（Ctrl+S）")
        bar.addWidget(self.state_label, 1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        outer.addWidget(self.bar)
        self.save_button.clicked.connect(self.save_requested.emit)
        self.revert_button.clicked.connect(self.revert_requested.emit)

        for line in (self.number, self.target_value, self.target_unit, self.leader):
            line.textChanged.connect(self._changed)
        for line in (self.person, self.phone):
            line.textChanged.connect(self._changed)
        for box in (self.content, self.target_text, self.remarks):
            box.textChanged.connect(self._changed)
        for field in (self.lead_units, self.co_units, self.start_on, self.deadline):
            field.changed.connect(self._changed)
        self.measures.changed.connect(self._changed)
        self.target_text.textChanged.connect(self._show_target_note)
        self.measures.changed.connect(self._show_target_note)
        self.milestones.changed.connect(self._changed)
        self.start_on.changed.connect(self._window_changed)
        self.deadline.changed.connect(self._window_changed)
        self.load(None)

    # context ---------------------------------------------------------------------------

    def set_unit_choices(self, unit_names: list[str]) -> None:
        self.lead_units.set_choices(unit_names)
        self.co_units.set_choices(unit_names)

    def set_context(self, index: NoticeIndex, unit_names: list[str], year: int) -> None:
        self._year = year
        self.measures.set_index(index)
        self._targets = index.measure_targets
        self.lead_units.set_choices(unit_names)
        self.co_units.set_choices(unit_names)
        self.milestones.year = year
        self.start_on.set_default(date(year, 1, 1))
        self.deadline.set_default(date(year, 12, 31))

    # loading and reading ---------------------------------------------------------------

    def load(self, record: TaskRecord | None) -> None:
        """Show ``record`` (a new, unsaved task when its id is None); None clears."""
        self._loaded = record.copy() if record is not None else None
        if record is None:
            self.stack.setCurrentWidget(self.placeholder)
            self.heading.setText("任务详情")
            self._baseline = None
            self._set_dirty(False)
            self._update_buttons()
            return
        widgets = (
            self.number,
            self.content,
            self.target_text,
            self.target_value,
            self.target_unit,
            self.leader,
            self.person,
            self.phone,
            self.remarks,
        )
        for w in widgets:
            w.blockSignals(True)
        self.number.setText(record.number)
        self.content.setPlainText(record.content)
        self.target_text.setPlainText(record.target_text)
        self.target_value.setText(record.target_value or "")
        self.target_unit.setText(record.target_unit)
        self.leader.setText(record.leader)
        self.person.setText(record.person)
        self.phone.setText(record.phone)
        self.remarks.setPlainText(record.remarks)
        for w in widgets:
            w.blockSignals(False)
        for counted in (self.content_limit, self.target_limit, self.remarks_limit):
            counted.refresh()  # the text was set with the signals blocked
        for f in (self.lead_units, self.co_units, self.start_on, self.deadline, self.measures):
            f.blockSignals(True)
        self.lead_units.set_value(record.lead_units)
        self.co_units.set_value(record.co_units)
        self.start_on.set_value(record.start_on)
        self.deadline.set_value(record.deadline)
        self.measures.set_value(record.measure_ids)
        for f in (self.lead_units, self.co_units, self.start_on, self.deadline, self.measures):
            f.blockSignals(False)
        self.milestones.set_milestones(record.milestones)
        self._window_changed()
        self._show_target_note()
        self.stack.setCurrentIndex(1)
        self._scroll.verticalScrollBar().setValue(0)
        if record.id is None:
            self.heading.setText("新任务（尚未保存）")
        else:
            self.heading.setText(f"任务 {record.number}" if record.number else "任务（未编号）")
        self._baseline = self.record()
        # a new task is unsaved work from the start
        self._set_dirty(record.id is None)
        self._update_buttons()

    def record(self) -> TaskRecord:
        """The task as the fields show it now."""
        rec = self._loaded.copy() if self._loaded is not None else TaskRecord()
        rec.number = self.number.text().strip()
        rec.content = self.content.toPlainText().strip()
        rec.target_text = self.target_text.toPlainText().strip()
        value = self.target_value.text().strip().rstrip(".")
        rec.target_value = value if value and value != "-" else None
        rec.target_unit = self.target_unit.text().strip()
        rec.lead_units = self.lead_units.value()
        rec.co_units = [u for u in self.co_units.value() if u not in rec.lead_units]
        rec.leader = self.leader.text().strip()
        rec.person = self.person.text().strip()
        rec.phone = self.phone.text().strip()
        rec.start_on = self.start_on.value()
        rec.deadline = self.deadline.value()
        rec.measure_ids = self.measures.value()
        rec.milestones = self.milestones.milestones()
        rec.remarks = self.remarks.toPlainText().strip()
        return rec

    def stored(self) -> TaskRecord | None:
        """The task as it was loaded (as stored), None for a new one: what 撤销 puts back."""
        if self._loaded is None or self._loaded.id is None:
            return None
        return self._loaded.copy()

    def current_id(self) -> int | None:
        return self._loaded.id if self._loaded is not None else None

    def has_task(self) -> bool:
        return self._loaded is not None

    def is_dirty(self) -> bool:
        return self._dirty

    def mark_saved(self, record: TaskRecord) -> None:
        """The task as saved; the form stays where the user was (no jump to the top)."""
        bar = self._scroll.verticalScrollBar()
        where = bar.value()
        self.load(record)
        bar.setValue(where)
        self.state_label.setText("已保存")

    # modes -----------------------------------------------------------------------------

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for line in (
            self.number,
            self.target_value,
            self.target_unit,
            self.leader,
            self.person,
            self.phone,
        ):
            line.setReadOnly(read_only)
        for box in (self.content, self.target_text, self.remarks):
            box.setReadOnly(read_only)
        for field in (self.lead_units, self.co_units, self.start_on, self.deadline):
            field.setReadOnly(read_only)
        self.measures.setReadOnly(read_only)
        self.milestones.set_read_only(read_only)
        self._show_target_note()
        self._update_buttons()

    def focus_content(self) -> None:
        """The cursor in 工作任务, scrolled into view (the caller shows this tab first)."""
        if self.has_task():
            self._scroll.ensureWidgetVisible(self.content)
            self.content.moveCursor(QTextCursor.MoveOperation.End)  # typing adds, as after F2
            self.content.setFocus()

    # internals -------------------------------------------------------------------------

    def target_copied(self) -> bool:
        """The target is a linked measure's target word for word (as the draft put it)."""
        text = self.target_text.toPlainText().strip()
        return bool(text) and any(text in self._targets.get(m, ()) for m in self.measures.value())

    def _show_target_note(self) -> None:
        self.target_note.setVisible(self.target_copied() and not self._read_only)

    def _window_changed(self) -> None:
        self.milestones.task_window = (self.start_on.value(), self.deadline.value())

    def _changed(self) -> None:
        if self._baseline is None:
            return
        self._set_dirty(
            self._loaded is not None
            and (self._loaded.id is None or self.record() != self._baseline)
        )

    def _set_dirty(self, dirty: bool) -> None:
        changed = dirty != self._dirty
        self._dirty = dirty
        if self._read_only and self.has_task():
            self.state_label.setText("本版已上报，只能查看")
        elif dirty:
            self.state_label.setText("<span style='color:#b45f06'>● 有未保存的修改</span>")
        else:
            self.state_label.setText("")
        self._update_buttons()
        if changed:
            self.dirty_changed.emit(dirty)

    def _update_buttons(self) -> None:
        editable = self.has_task() and not self._read_only
        self.bar.setVisible(self.has_task())
        self.save_button.setEnabled(editable and self._dirty)
        self.revert_button.setEnabled(editable and self._dirty)
