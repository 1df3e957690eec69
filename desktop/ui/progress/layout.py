"""The widgets of the progress screen, laid out; ``ProgressPage`` adds the behaviour.

Title with the list and period pickers, the summary line and the frozen notice, the filter
bar and buttons, then the table beside the task panel, above the entry form.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.dates import chinese_month_day
from desktop.services.progress.service import PeriodView
from desktop.services.worklist.rows import WorkListSummary
from desktop.ui.forms import hint
from desktop.ui.progress.entry_form import EntryForm
from desktop.ui.progress.icons import lock_icon
from desktop.ui.progress.model import COLUMNS, FILTERS, ProgressTableModel
from desktop.ui.progress.task_panel import TaskPanel


class ProgressTable(QTableView):
    """Enter after typing in a cell moves down to the same cell of the next task."""

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            current = self.currentIndex()
            below = current.siblingAtRow(current.row() + 1)
            if below.isValid():
                self.setCurrentIndex(below)


class ProgressLayout(QWidget):
    """Builds and holds the screen's widgets."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        # the page lives in the main window's stack, which sizes it; as a window of its own
        # (in tests) it must not push size hints to the platform on every re-layout
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        top = QHBoxLayout()
        title = QLabel("进展填报")
        title.setObjectName("pageTitle")
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(QLabel("清单"))
        self.list_combo = QComboBox()
        self.list_combo.setMinimumWidth(300)
        top.addWidget(self.list_combo)
        top.addWidget(QLabel("周期"))
        self.period_combo = QComboBox()
        self.period_combo.setMinimumWidth(200)
        # "2027年第一季度（已冻结）" whole, with its lock
        self.period_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        top.addWidget(self.period_combo)
        layout.addLayout(top)

        self.summary = QLabel()
        self.summary.setObjectName("banner")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.frozen_note = QLabel()
        self.frozen_note.setObjectName("banner")
        self.frozen_note.setWordWrap(True)
        self.frozen_note.hide()
        layout.addWidget(self.frozen_note)
        self.empty = hint(
            "还没有本级年度清单。请先在“年度清单”中新建本年度清单并生成初稿，再来填报进展。"
        )
        self.empty.hide()
        layout.addWidget(self.empty)

        bar = QHBoxLayout()
        self.filter_combo = QComboBox()
        for key, label in FILTERS:
            self.filter_combo.addItem(label, key)
        bar.addWidget(self.filter_combo)
        self.search = QLineEdit()
        self.search.setPlaceholderText("按编号、任务内容或牵头单位查找")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        bar.addWidget(self.search)
        bar.addStretch(1)
        self.threshold_button = QPushButton("状态阈值…")
        self.yearend_button = QPushButton("年终处理")
        menu = QMenu(self.yearend_button)
        self.close_action = menu.addAction("对选中任务销号…")
        self.reopen_action = menu.addAction("撤销当前任务的销号…")
        menu.addSeparator()
        self.carry_action = menu.addAction("结转未完成任务到下一年…")
        self.yearend_button.setMenu(menu)
        self.freeze_button = QPushButton("冻结本期")
        self.revert_button = QPushButton("撤销修改")
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primary")
        # the shared style paints #primary blue even when disabled; nothing to save looks grey
        self.save_button.setStyleSheet(
            "QPushButton#primary:disabled { background: #f0f2f5; color: #9aa5b1;"
            " border-color: #c3ccd8; }"
        )
        self.save_button.setToolTip("保存本期全部修改（Ctrl+S）")
        for w in (
            self.threshold_button,
            self.yearend_button,
            self.freeze_button,
            self.revert_button,
            self.save_button,
        ):
            bar.addWidget(w)
        layout.addLayout(bar)

        self.model = ProgressTableModel()
        self.table = ProgressTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        for col, (_key, _label, width) in enumerate(COLUMNS):
            self.table.setColumnWidth(col, width)
        self.panel = TaskPanel()
        self.form = EntryForm()

        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(self.table)
        upper.addWidget(self.panel)
        upper.setStretchFactor(0, 4)
        upper.setStretchFactor(1, 1)
        upper.setSizes([860, 250])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.form)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 0)
        layout.addWidget(self.splitter, 1)

    # the pickers, filled without signalling a choice ------------------------------------

    def fill_lists(self, lists: list[WorkListSummary], chosen: int | None) -> None:
        self.list_combo.blockSignals(True)
        self.list_combo.clear()
        for s in lists:
            self.list_combo.addItem(f"{s.year}年 {s.doc_number}（第{s.version}版）", s.id)
        if chosen is not None:
            self.list_combo.setCurrentIndex([s.id for s in lists].index(chosen))
        self.list_combo.blockSignals(False)

    def fill_periods(self, periods: list[PeriodView], chosen: int) -> None:
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for p in periods:
            if p.frozen:
                self.period_combo.addItem(lock_icon(), p.display, p.id)
            else:
                self.period_combo.addItem(p.display, p.id)
        self.period_combo.setCurrentIndex([p.id for p in periods].index(chosen))
        self.period_combo.blockSignals(False)

    @staticmethod
    def restore_choice(combo: QComboBox, value: int | None) -> None:
        """Put a picker back on ``value`` (the user chose to stay)."""
        combo.blockSignals(True)
        combo.setCurrentIndex(max(combo.findData(value), 0))
        combo.blockSignals(False)

    def show_frozen(self, period: PeriodView | None) -> None:
        """The notice over a frozen period, or one that has not begun (``period``), hidden
        for None."""
        if period is not None and period.future:
            self.frozen_note.setText(
                f"{period.label}还没有开始（{chinese_month_day(period.start)}开始）："
                "开始以后才能填报和冻结。"
            )
        elif period is not None:
            self.frozen_note.setText(
                f"本期已冻结：{period.label}已于{period.frozen_at[:10]}"
                + (f"由{period.frozen_by}" if period.frozen_by else "")
                + "冻结：进展不能再修改，本期进展台账按冻结时的内容打印。"
                "如确需更正，请点击“解冻本期”并写明理由。"
            )
        self.frozen_note.setVisible(period is not None)
