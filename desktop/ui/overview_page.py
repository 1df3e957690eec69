"""首页: the first screen — where the year's list stands and what is due now.

Reminders of the periods whose progress is overdue or due next, big number tiles by
computed status, two charts (completion by field; status over the periods), and four
tables: the lagging tasks, those due soon, and the counts by field and by lead unit. At a
city or a province, beside its own figures, how its lower levels stand: who has reported,
who is missing or overdue, each locality's 滞后 and 本期未填报 (``lower_levels``); the
office without an own list yet sees that alone.
Double-clicking a task asks the composition root to open it (``open_task``); the figures
come from ``OverviewService`` and are computed off the UI thread.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.figures import BUCKET_LABELS, NOT_REPORTED
from desktop.core.status import Status
from desktop.services.exchange.aggregate_types import LocalityStatus
from desktop.services.overview.lower import LowerLevels
from desktop.services.overview.service import STATUS_ORDER, Overview, OverviewService
from desktop.ui.background import run_in_background
from desktop.ui.error_report import show_error
from desktop.ui.exchange.models import AMBER, GREEN, GREY, RED, Column, RowsModel
from desktop.ui.forms import hint
from desktop.ui.overview_charts import CompletionChart, PeriodChart
from desktop.ui.overview_models import BriefTableModel, GroupTableModel
from desktop.ui.progress.colours import STATUS_COLOURS


class StatusTile(QFrame):
    """A big number with its label, in the status's colour."""

    def __init__(self, label: str, colour: str) -> None:
        super().__init__()
        self.setObjectName("statusTile")
        self.setStyleSheet(
            f"QFrame#statusTile {{ background: white; border: 1px solid #d5dde8;"
            f" border-top: 4px solid {colour}; border-radius: 4px; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 8)
        layout.setSpacing(0)
        self.number = QLabel("–")
        self.number.setStyleSheet(f"font-size: 24pt; font-weight: bold; color: {colour};")
        self.label = QLabel(label)
        self.label.setStyleSheet("color: #334e68; font-size: 10pt;")
        self.note = QLabel("")
        self.note.setObjectName("hint")
        layout.addWidget(self.number)
        layout.addWidget(self.label)
        layout.addWidget(self.note)

    def set_value(self, value: int, note: str = "") -> None:
        self.number.setText(str(value))
        self.note.setText(note)


def _table(model: object) -> QTableView:
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    return view


class OverviewPage(QWidget):
    open_task = Signal(int, int)  # list id, task id: open it for progress
    show_in_list = Signal(int, int)  # list id, task id: open it in 年度清单
    # list id, period id (0: the list's default): go and report the period reminded of
    open_progress = Signal(int, int)
    open_aggregate = Signal()  # 上报与汇总, to see the lower levels' lists

    def __init__(self, overview: OverviewService) -> None:
        super().__init__()
        self._service = overview
        self._token = 0
        self._loading = False
        self._fresh = True
        self.current: Overview | None = None
        self.lower_levels: LowerLevels | None = None
        self._lower_token = 0
        self._build()
        self.refresh()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        # the page lives in the main window's stack, which sizes it; as a window of its own
        # (in tests) it must not push size hints to the platform on every re-layout
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        top = QHBoxLayout()
        title = QLabel("首页")
        title.setObjectName("pageTitle")
        top.addWidget(title)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("hint")
        top.addWidget(self.subtitle)
        top.addStretch(1)
        self.list_combo = QComboBox()
        self.list_combo.setMinimumWidth(280)
        self.list_combo.currentIndexChanged.connect(lambda _i: self.refresh(keep_list=True))
        top.addWidget(self.list_combo)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(lambda: self.refresh(keep_list=True))
        top.addWidget(self.refresh_button)
        layout.addLayout(top)

        reminder_row = QHBoxLayout()
        self.reminder = QLabel()
        self.reminder.setObjectName("banner")
        self.reminder.setWordWrap(True)
        reminder_row.addWidget(self.reminder, 1)
        self.report_button = QPushButton("去填报")
        self.report_button.clicked.connect(self._go_report)
        reminder_row.addWidget(self.report_button)
        layout.addLayout(reminder_row)
        self.empty = hint(
            "还没有本级年度清单。请先在“上级文件”或“年度清单”中新建本年度的重点工作清单，"
            "生成初稿后，这里会显示各项任务的进展和提醒。"
        )
        layout.addWidget(self.empty)
        layout.addWidget(self._lower_box())

        self.content = QWidget()
        body = QVBoxLayout(self.content)
        body.setContentsMargins(0, 0, 0, 0)
        tiles = QHBoxLayout()
        self.total_tile = StatusTile("任务总数", "#1f3a5f")
        tiles.addWidget(self.total_tile)
        self.tiles: dict[str, StatusTile] = {}
        for status in STATUS_ORDER:
            tile = StatusTile(BUCKET_LABELS[status], STATUS_COLOURS[status])
            self.tiles[status] = tile
            tiles.addWidget(tile)
        self.due_tile = StatusTile("临近到期", "#1d4f91")
        tiles.addWidget(self.due_tile)
        body.addLayout(tiles)

        split = QSplitter(Qt.Orientation.Vertical)
        charts = QSplitter(Qt.Orientation.Horizontal)
        self.completion_chart = CompletionChart()
        self.period_chart = PeriodChart()
        charts.addWidget(self.completion_chart)
        charts.addWidget(self.period_chart)
        charts.setSizes([560, 480])
        split.addWidget(charts)

        self.tabs = QTabWidget()
        self.lagging_model = BriefTableModel()
        self.due_model = BriefTableModel()
        self.section_model = GroupTableModel("领域")
        self.unit_model = GroupTableModel("牵头单位")
        self.lagging_view = _table(self.lagging_model)
        self.due_view = _table(self.due_model)
        self.section_view = _table(self.section_model)
        self.unit_view = _table(self.unit_model)
        for view in (self.lagging_view, self.due_view):
            for col, width in enumerate((56, 300, 110, 110, 70, 84, 60)):
                view.setColumnWidth(col, width)
            view.horizontalHeader().setStretchLastSection(True)
            view.doubleClicked.connect(partial(self._open, view))
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(partial(self._menu, view))
            view.setToolTip("双击打开这项任务的进展；右键可在年度清单中查看")
        for view in (self.section_view, self.unit_view):
            view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for col in range(1, view.model().columnCount()):
                view.setColumnWidth(col, 72)
        self.tabs.addTab(self.lagging_view, "滞后任务")
        self.tabs.addTab(self.due_view, "临近到期")
        self.tabs.addTab(self.section_view, "按领域统计")
        self.tabs.addTab(self.unit_view, "按牵头单位统计")
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([320, 260])
        body.addWidget(split, 1)
        layout.addWidget(self.content, 1)

    def _lower_box(self) -> QGroupBox:
        """下级上报情况: one line per level, then the localities (a city's counties; a
        province's cities, each with its counties)."""
        self.lower_group = QGroupBox("下级上报情况")
        box = QVBoxLayout(self.lower_group)
        row = QHBoxLayout()
        self.lower_summary = QLabel()
        self.lower_summary.setWordWrap(True)
        row.addWidget(self.lower_summary, 1)
        self.aggregate_button = QPushButton("打开汇总")
        self.aggregate_button.clicked.connect(self.open_aggregate.emit)
        row.addWidget(self.aggregate_button)
        box.addLayout(row)
        self.lower_model = _lower_model()
        self.lower_view = _table(self.lower_model)
        self.lower_view.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((150, 150, 60, 120, 120, 56, 84)):
            self.lower_view.setColumnWidth(col, width)
        box.addWidget(self.lower_view, 1)
        self.lower_group.hide()
        return self.lower_group

    # the main window's calls -------------------------------------------------------------

    def activated(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        self.refresh(keep_list=True)

    def may_close(self) -> bool:
        return True  # nothing is edited here

    def is_loading(self) -> bool:
        return self._loading

    # loading ---------------------------------------------------------------------------

    def refresh(self, keep_list: bool = False) -> None:
        chosen = self.list_combo.currentData() if keep_list else None
        try:
            lists = self._service.lists()
            default = self._service.default_list_id()
        except Exception as err:
            show_error(self, err, title="无法读取清单")
            return
        self.list_combo.blockSignals(True)
        self.list_combo.clear()
        for c in lists:
            self.list_combo.addItem(c.label, c.id)
        ids = [c.id for c in lists]
        list_id = chosen if chosen in ids else default
        if list_id is not None:
            self.list_combo.setCurrentIndex(ids.index(list_id))
        self.list_combo.blockSignals(False)
        self.list_combo.setVisible(len(lists) > 1)
        self._refresh_lower(next((c.year for c in lists if c.id == list_id), None))
        self.empty.setVisible(list_id is None)
        self.content.setVisible(list_id is not None)
        self.reminder.setVisible(list_id is not None)
        self.report_button.setVisible(list_id is not None)
        if list_id is None:
            self.current = None
            self.subtitle.setText("")
            return
        self._token += 1
        token = self._token
        self._loading = True
        self.refresh_button.setEnabled(False)
        if self.current is None:  # the tiles show "–" until the figures arrive
            self.subtitle.setText("正在计算清单的进展和状态……")
        run_in_background(
            lambda _job: self._service.overview(list_id),
            on_done=partial(self._loaded, token),
            on_error=partial(self._failed, token),
        )

    def _refresh_lower(self, year: int | None) -> None:
        self._lower_token += 1
        token = self._lower_token
        run_in_background(
            lambda _job: self._service.lower_levels(year),
            on_done=partial(self._lower_loaded, token),
            on_error=partial(self._lower_failed, token),
        )

    def _lower_loaded(self, token: int, result: object) -> None:
        if token != self._lower_token:
            return
        assert result is None or isinstance(result, LowerLevels)
        self.show_lower(result)

    def _lower_failed(self, token: int, err: BaseException) -> None:
        if token == self._lower_token:
            show_error(self, err, title="无法读取下级上报情况")

    def show_lower(self, lower: LowerLevels | None) -> None:
        self.lower_levels = lower
        self.lower_group.setVisible(lower is not None)
        if lower is None:
            return
        title = f"下级上报情况（{lower.label}）" if lower.label else "下级上报情况"
        self.lower_group.setTitle(title)
        self.lower_summary.setText("\n".join(lower.lines))
        self.lower_summary.setObjectName("errorBanner" if lower.problem else "banner")
        self.lower_summary.style().unpolish(self.lower_summary)
        self.lower_summary.style().polish(self.lower_summary)
        self.lower_model.set_rows([s for s in lower.localities if not s.folded])
        self.lower_view.setVisible(bool(lower.localities))
        # with no own list the lower levels are the page; beside one, a compact table
        own = self.current is not None and self.content.isVisible()
        self.lower_view.setMaximumHeight(16777215 if not own else 170)

    def _loaded(self, token: int, result: object) -> None:
        if token != self._token:
            return
        assert isinstance(result, Overview)
        self._loading = False
        self.refresh_button.setEnabled(True)
        self.show_overview(result)

    def _failed(self, token: int, err: BaseException) -> None:
        if token != self._token:
            return
        self._loading = False
        self.refresh_button.setEnabled(True)
        show_error(self, err, title="无法读取首页数据")

    def show_overview(self, ov: Overview) -> None:
        self.current = ov
        self.subtitle.setText(f"{ov.title}　{ov.as_of_text}")
        # overdue periods first, then the one due next: one line each
        self.reminder.setText("\n".join(r.text for r in ov.reminders))
        self.reminder.setObjectName(
            "errorBanner" if any(r.level == "warning" for r in ov.reminders) else "banner"
        )
        self.reminder.style().unpolish(self.reminder)
        self.reminder.style().polish(self.reminder)
        self.report_button.setVisible(any(r.missing for r in ov.reminders))
        self.total_tile.set_value(
            ov.counts.total, f"其中已销号 {ov.closed} 项" if ov.closed else ""
        )
        for status, tile in self.tiles.items():
            note = f"其中严重滞后 {ov.severe} 项" if status == Status.LAGGING and ov.severe else ""
            if status == NOT_REPORTED:
                note = "尚欠本期进展（不计入滞后）"
            tile.set_value(ov.counts.of(status), note)
        self.due_tile.set_value(len(ov.due_soon), "完成时限临近、尚未完成")
        self.completion_chart.show_groups(list(ov.by_section))
        self.period_chart.show_periods(list(ov.periods))
        self.lagging_model.set_rows(ov.lagging)
        self.due_model.set_rows(ov.due_soon)
        self.section_model.set_rows(ov.by_section)
        self.unit_model.set_rows(ov.by_unit)
        self.tabs.setTabText(0, f"滞后任务（{len(ov.lagging)}）")
        self.tabs.setTabText(1, f"临近到期（{len(ov.due_soon)}）")

    # navigation ------------------------------------------------------------------------

    def _task_at(self, view: QTableView, index: QModelIndex) -> int | None:
        model = view.model()
        if not index.isValid() or not isinstance(model, BriefTableModel):
            return None
        return model.row_at(index.row()).task_id

    def _open(self, view: QTableView, index: QModelIndex) -> None:
        task_id = self._task_at(view, index)
        if task_id is not None and self.current is not None:
            self.open_task.emit(self.current.list_id, task_id)

    def _menu(self, view: QTableView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        task_id = self._task_at(view, index)
        if task_id is None or self.current is None:
            return
        list_id = self.current.list_id
        menu = QMenu(view)
        menu.addAction("在进展填报中打开", lambda: self.open_task.emit(list_id, task_id))
        menu.addAction("在年度清单中查看", lambda: self.show_in_list.emit(list_id, task_id))
        menu.popup(view.viewport().mapToGlobal(pos))

    def _go_report(self) -> None:
        """To the first period reminded of that still has unreported tasks."""
        if self.current is not None:
            due = next((r for r in self.current.reminders if r.missing), None)
            period_id = due.period_id if due is not None and due.period_id else 0
            self.open_progress.emit(self.current.list_id, period_id)


def _lower_model() -> RowsModel[LocalityStatus]:
    def colour(s: LocalityStatus) -> QColor | None:
        if s.late:
            return RED
        if s.not_resent or s.overdue:
            return AMBER
        return GREEN if s.reported else GREY

    return RowsModel(
        [
            Column("地区", lambda s: s.name),
            Column("状态", lambda s: s.state_label, True, colour=colour),
            Column("版本", lambda s: f"第{s.version}版" if s.list_id else "", True),
            Column(
                "报送周期",
                lambda s: s.period_label or ("尚无进展" if s.list_id else ""),
                True,
            ),
            Column("逾期未报", lambda s: s.overdue if s.list_id else "", True),
            Column("滞后", lambda s: str(s.count("lagging")) if s.list_id else "", True),
            Column(
                BUCKET_LABELS[NOT_REPORTED],
                lambda s: str(s.count(NOT_REPORTED)) if s.list_id else "",
                True,
            ),
        ]
    )
