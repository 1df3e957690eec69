"""审计日志: who changed what, when — browse, filter, compare before and after, check the chain.

Every change to notices, lists, tasks and progress is recorded with its time, operator and
before/after values, and each record is chained to the previous one by hashes. This screen
reads the log through ``AuditQueryService``: filters by date, operator, action, object kind
and text; the detail pane shows the values before and after side by side, the changed fields
marked; 校验记录链 checks, off the UI thread, that no record has been altered or removed.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.services.audit.query import (
    AuditDetail,
    AuditFilter,
    AuditQueryService,
    ChainCheck,
    field_label,
)
from desktop.ui import dialogs
from desktop.ui.audit_model import AuditTableModel
from desktop.ui.background import run_in_background
from desktop.ui.error_report import show_error
from desktop.ui.forms import hint


def _date_edit() -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setEnabled(False)
    return edit


def _json_html(text: str, changed: tuple[str, ...]) -> str:
    """The readable "字段：值" lines as HTML, the lines of changed fields marked."""
    if not text:
        return "<p style='color:#8895a7'>（无）</p>"
    marks = {f"{field_label(key)}：" for key in changed}
    lines = []
    for line in text.splitlines():
        shown = escape(line)
        if any(line.startswith(m) for m in marks):
            shown = f"<span style='background:#fff1c2'>{shown}</span>"
        lines.append(shown)
    return "<pre style='font-size: 10pt; white-space: pre-wrap'>" + "\n".join(lines) + "</pre>"


class AuditPage(QWidget):
    def __init__(self, audit_log: AuditQueryService) -> None:
        super().__init__()
        self._service = audit_log
        self._fresh = True
        self._checking = False
        self.last_check: ChainCheck | None = None
        self._build()
        self.reload_choices()
        self.apply_filter()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        # the page lives in the main window's stack, which sizes it; as a window of its own
        # (in tests) it must not push size hints to the platform on every re-layout
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        top = QHBoxLayout()
        title = QLabel("审计日志")
        title.setObjectName("pageTitle")
        top.addWidget(title)
        intro = QLabel(
            "记录每一次修改的时间、操作人和修改前后的内容；记录之间以哈希值相连，任何改动都能被发现。"
        )
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        top.addWidget(intro, 1)
        self.verify_button = QPushButton("校验记录链")
        self.verify_button.clicked.connect(self.verify)
        top.addWidget(self.verify_button)
        layout.addLayout(top)
        self.chain_banner = QLabel()
        self.chain_banner.setObjectName("banner")
        self.chain_banner.setWordWrap(True)
        self.chain_banner.hide()
        layout.addWidget(self.chain_banner)

        bar = QHBoxLayout()
        self.use_from = QCheckBox("从")
        self.date_from = _date_edit()
        self.use_to = QCheckBox("至")
        self.date_to = _date_edit()
        self.operator = QComboBox()
        self.action = QComboBox()
        self.entity = QComboBox()
        self.text = QLineEdit()
        self.text.setPlaceholderText("在摘要和修改内容中查找")
        self.text.setClearButtonEnabled(True)
        self.clear_button = QPushButton("清除筛选")
        for w in (self.use_from, self.date_from, self.use_to, self.date_to):
            bar.addWidget(w)
        for label, combo in (
            ("操作人", self.operator),
            ("操作", self.action),
            ("对象", self.entity),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(combo)
        bar.addWidget(self.text, 1)
        bar.addWidget(self.clear_button)
        layout.addLayout(bar)
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        layout.addWidget(self.count_label)

        self.model = AuditTableModel(self._service)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        for col, width in enumerate((150, 80, 100, 130)):
            self.table.setColumnWidth(col, width)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

        detail = QWidget()
        box = QVBoxLayout(detail)
        box.setContentsMargins(0, 4, 0, 0)
        self.detail_title = QLabel("请选择一条记录查看修改前后的内容。")
        self.detail_title.setWordWrap(True)
        self.detail_title.setStyleSheet("font-weight: bold; color: #243b53;")
        self.changed_label = hint()
        box.addWidget(self.detail_title)
        box.addWidget(self.changed_label)
        sides = QHBoxLayout()
        self.before = QTextBrowser()
        self.after = QTextBrowser()
        for name, view in (("修改前", self.before), ("修改后", self.after)):
            column = QVBoxLayout()
            column.addWidget(QLabel(name))
            column.addWidget(view, 1)
            sides.addLayout(column, 1)
        box.addLayout(sides, 1)
        self.hash_label = QLabel()
        self.hash_label.setObjectName("hint")
        self.hash_label.setWordWrap(True)  # two 64-digit hashes: one line each on a small screen
        self.hash_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.hash_label)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)

        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.apply_filter)
        self.text.textChanged.connect(lambda _t: self._timer.start())
        for check, edit in ((self.use_from, self.date_from), (self.use_to, self.date_to)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(lambda _c: self.apply_filter())
            edit.dateChanged.connect(lambda _d: self.apply_filter())
        for combo in (self.operator, self.action, self.entity):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.clear_button.clicked.connect(self.clear_filter)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.rowsInserted.connect(lambda *_a: self._update_count())

    # the main window's calls -------------------------------------------------------------

    def activated(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        self.reload_choices()
        self.apply_filter()

    def may_close(self) -> bool:
        return True  # the log is only read here

    # filters ---------------------------------------------------------------------------

    def reload_choices(self) -> None:
        """The operators, actions and object kinds present in the log."""
        try:
            operators = self._service.operators()
            actions = self._service.actions()
            entities = self._service.entities()
        except Exception as err:
            show_error(self, err, title="无法读取审计日志")
            return
        for combo, items in (
            (self.operator, [(o, o) for o in operators]),
            (self.action, actions),
            (self.entity, entities),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("全部", "")
            for code, label in items:
                combo.addItem(label, code)
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
            combo.blockSignals(False)

    def current_filter(self) -> AuditFilter:
        def day(edit: QDateEdit) -> date:
            d = edit.date()
            return date(d.year(), d.month(), d.day())

        return AuditFilter(
            date_from=day(self.date_from) if self.use_from.isChecked() else None,
            date_to=day(self.date_to) if self.use_to.isChecked() else None,
            operator=self.operator.currentData() or "",
            action=self.action.currentData() or "",
            entity=self.entity.currentData() or "",
            text=self.text.text(),
        )

    def apply_filter(self) -> None:
        try:
            self.model.set_filter(self.current_filter())
        except Exception as err:
            show_error(self, err, title="无法读取审计日志")
            return
        self._update_count()
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        else:
            self._show_detail(None)

    def clear_filter(self) -> None:
        for w in (self.use_from, self.use_to, self.operator, self.action, self.entity, self.text):
            w.blockSignals(True)
        self.use_from.setChecked(False)
        self.use_to.setChecked(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        for combo in (self.operator, self.action, self.entity):
            combo.setCurrentIndex(0)
        self.text.clear()
        for w in (self.use_from, self.use_to, self.operator, self.action, self.entity, self.text):
            w.blockSignals(False)
        self.apply_filter()

    def _update_count(self) -> None:
        total, shown = self.model.total, self.model.loaded()
        more = f"（已显示最新的 {shown} 条，向下滚动继续读取）" if shown < total else ""
        self.count_label.setText(f"共 {total} 条记录{more}")

    # detail ----------------------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self._show_detail(None)
            return
        try:
            detail = self._service.detail(self.model.row_at(current.row()).id)
        except Exception as err:
            show_error(self, err, title="无法读取这条记录")
            return
        self._show_detail(detail)

    def _show_detail(self, d: AuditDetail | None) -> None:
        if d is None:
            self.detail_title.setText("请选择一条记录查看修改前后的内容。")
            self.changed_label.setText("")
            self.before.setHtml("")
            self.after.setHtml("")
            self.hash_label.setText("")
            return
        r = d.row
        self.detail_title.setText(
            f"第 {r.id} 条　{r.when}　{r.operator or '（未署名）'}　{r.action_label}"
            f"　{r.object_text}：{r.summary}"
        )
        changed = "、".join(field_label(k) for k in d.changed)
        self.changed_label.setText(f"变更字段：{changed}" if changed else "")
        self.before.setHtml(_json_html(d.before, d.changed))
        self.after.setHtml(_json_html(d.after, d.changed))
        self.hash_label.setText(f"本条哈希：{d.hash}　上一条哈希：{d.prev_hash or '（链首）'}")

    # chain -----------------------------------------------------------------------------

    def verify(self) -> None:
        if self._checking:
            return
        self._checking = True
        self.verify_button.setEnabled(False)
        self.verify_button.setText("正在校验……")
        run_in_background(
            lambda _job: self._service.verify(), on_done=self._verified, on_error=self._failed
        )

    def is_checking(self) -> bool:
        return self._checking

    def _verified(self, result: object) -> None:
        assert isinstance(result, ChainCheck)
        self._done_checking()
        self.last_check = result
        self.chain_banner.setText(result.message)
        self.chain_banner.setObjectName("banner" if result.whole else "errorBanner")
        self.chain_banner.style().unpolish(self.chain_banner)
        self.chain_banner.style().polish(self.chain_banner)
        self.chain_banner.show()
        if result.whole:
            dialogs.info(self, "校验记录链", result.message)
        else:
            dialogs.warning(self, "校验记录链", result.message)

    def _failed(self, err: BaseException) -> None:
        self._done_checking()
        show_error(self, err, title="未能校验记录链")

    def _done_checking(self) -> None:
        self._checking = False
        self.verify_button.setEnabled(True)
        self.verify_button.setText("校验记录链")
