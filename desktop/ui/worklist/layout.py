"""The widgets of the list screen, laid out: top bar, banner, filter row, task tools, and a
splitter with the task table beside the tabs 任务详情 / 条目覆盖 / 校验结果."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.worklist.check_panel import CheckPanel
from desktop.ui.worklist.coverage import CoveragePanel
from desktop.ui.worklist.editor import TaskEditor
from desktop.ui.worklist.filters import FilterBar
from desktop.ui.worklist.rows import COLUMNS, CONTENT_COLUMN
from desktop.ui.worklist.table_model import TaskTableModel


def _button(text: str, tip: str = "") -> QPushButton:
    b = QPushButton(text)
    if tip:
        b.setToolTip(tip)
    if len(text) <= 2:
        # 删除 上移 撤销 …: narrower than the style's 80 px when the screen is small (the
        # tools fit beside the navigation at 1366×768, 125 %)
        b.setMinimumWidth(b.fontMetrics().horizontalAdvance(text) + 28)
        b.setSizePolicy(QSizePolicy.Policy.Preferred, b.sizePolicy().verticalPolicy())
    return b


class WorkListLayout(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self._build()

    # layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        title = QLabel("年度清单")
        title.setObjectName("pageTitle")
        self.list_combo = QComboBox()
        self.list_combo.setMinimumContentsLength(26)  # fits 1366×768 at 125 %
        self.list_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.state_badge = QLabel()
        self.new_list_button = _button("新建清单", "为一个年度和一份上级文件新建清单")
        self.delete_list_button = _button(
            "删除清单…", "删除这份清单（连同它的各个版本、任务和进展）；删除前自动备份"
        )
        self.draft_button = _button(
            "生成初稿", "按上级文件的条目拟出本级任务；已有任务的条目不会改动"
        )
        self.per_sentence = QCheckBox("按句拆分为多项任务")
        self.per_sentence.setToolTip("勾选后，条目原文的每一句拟为一项任务")
        self.check_button = _button("校验", "上报前检查清单是否完整")
        self.new_version_button = _button("开始新版本", "已上报的版本保持不变，在新版本中修改")
        top.addWidget(title)
        top.addSpacing(8)
        top.addWidget(self.list_combo, 1)
        top.addWidget(self.state_badge)
        top.addStretch(0)
        for w in (
            self.new_list_button,
            self.delete_list_button,
            self.draft_button,
            self.per_sentence,
            self.check_button,
            self.new_version_button,
        ):
            top.addWidget(w)
        layout.addLayout(top)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)

        self.body = QStackedWidget()
        layout.addWidget(self.body, 1)
        self.empty = QLabel()
        self.empty.setObjectName("hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.body.addWidget(self.empty)

        main = QWidget()
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(0, 0, 0, 0)
        self.filters = FilterBar()
        main_layout.addWidget(self.filters)
        tools = QHBoxLayout()
        self.add_button = _button("新增任务", "在当前任务下方新增一项（Ctrl+N）")
        self.delete_button = _button("删除", "删除选中的任务（Delete），可撤销")
        self.undo_button = _button("撤销", "撤销刚才对任务的修改（Ctrl+Z）")
        self.redo_button = _button("重做", "重做刚才撤销的修改（Ctrl+Y）")
        self.split_button = _button("拆分…", "把一项任务拆成几项")
        self.merge_button = _button("合并", "把选中的几项任务合并为一项")
        self.up_button = _button("上移", "在清单中上移一位")
        self.down_button = _button("下移", "在清单中下移一位")
        self.renumber_button = _button("重新编号", "按条目顺序重新编号（如 3、4-1、4-2）")
        for b in (
            self.add_button,
            self.delete_button,
            self.undo_button,
            self.redo_button,
            self.split_button,
            self.merge_button,
            self.up_button,
            self.down_button,
            self.renumber_button,
        ):
            tools.addWidget(b)
        tools.addWidget(self.filters.sort_chip)
        self.busy_bar = QProgressBar()  # while a change runs in the background
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.hide()
        tools.addWidget(self.busy_bar)
        # a long change told in steps (new version, 删除清单) can be stopped before it commits
        self.cancel_button = _button("取消", "停止这项操作，清单保持原样")
        self.cancel_button.hide()
        tools.addWidget(self.cancel_button)
        self.message = QLabel()
        self.message.setObjectName("hint")
        tools.addWidget(self.message, 1)
        self.columns_button = QToolButton()
        self.columns_button.setText("显示列")
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        tools.addWidget(self.columns_button)
        main_layout.addLayout(tools)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = TaskTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self._setup_table()
        self.tabs = QTabWidget()
        self.editor = TaskEditor()
        self.coverage = CoveragePanel()
        self.check_panel = CheckPanel()
        self.tabs.addTab(self.editor, "任务详情")
        self.tabs.addTab(self.coverage, "条目覆盖")
        self.tabs.addTab(self.check_panel, "校验结果")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([680, 420])
        self.splitter.setChildrenCollapsible(False)
        main_layout.addWidget(self.splitter, 1)
        self.body.addWidget(main)

    def _setup_table(self) -> None:
        t = self.table
        t.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        t.setAlternatingRowColors(True)
        t.setWordWrap(False)
        t.setTextElideMode(Qt.TextElideMode.ElideRight)
        t.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        vh = t.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never measure 20,000 rows
        vh.setDefaultSectionSize(26)
        vh.setVisible(False)
        header = t.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setSortIndicatorClearable(True)
        for i, col in enumerate(COLUMNS):
            header.resizeSection(i, col.width)
            t.setColumnHidden(i, not col.shown)
        # the task text takes whatever width the other columns leave
        header.setSectionResizeMode(CONTENT_COLUMN, QHeaderView.ResizeMode.Stretch)
        t.setSortingEnabled(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        menu = QMenu(self.columns_button)
        for i, col in enumerate(COLUMNS):
            action = QAction(col.title, menu)
            action.setCheckable(True)
            action.setChecked(col.shown)
            action.toggled.connect(lambda on, i=i: self.table.setColumnHidden(i, not on))
            menu.addAction(action)
        self.columns_button.setMenu(menu)
