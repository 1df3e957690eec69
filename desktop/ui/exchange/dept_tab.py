"""部门填报: workbooks out to the lead units for a period, and their returns taken back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.exchange.dept_excel import (
    DepartmentWorkbooks,
    DeptImportPreview,
    PeriodChoice,
    WorkbookFile,
)
from desktop.services.worklist.queries import WorkListQueries
from desktop.services.worklist.rows import WorkListSummary
from desktop.ui import dialogs
from desktop.ui.error_report import show_error
from desktop.ui.exchange.busy import BusyBar
from desktop.ui.exchange.dept_preview import DeptPreviewDialog
from desktop.ui.exchange.widgets import set_banner
from desktop.ui.forms import hint

XLSX_FILTER = "Excel 工作簿 (*.xlsx);;所有文件 (*)"


class DeptTab(QWidget):
    def __init__(self, departments: DepartmentWorkbooks, worklists: WorkListQueries) -> None:
        super().__init__()
        self._departments = departments
        self._worklists = worklists
        self._lists: list[WorkListSummary] = []
        self._periods: list[PeriodChoice] = []

        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "按牵头单位导出进展填报表（Excel），发给各部门填写；交回后导入，"
                "先预览每一处修改，确认后写入所选周期的进展。表中的任务ID列已隐藏，"
                "灰色列已锁定，只有进展各列可以填写。"
            )
        )
        top = QHBoxLayout()
        top.addWidget(QLabel("本级清单："))
        self.list_box = QComboBox()
        self.list_box.setMinimumWidth(300)
        self.list_box.currentIndexChanged.connect(self._list_changed)
        top.addWidget(self.list_box)
        top.addWidget(QLabel("填报周期："))
        self.period_box = QComboBox()
        self.period_box.setMinimumWidth(160)
        self.period_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        top.addWidget(self.period_box)
        top.addStretch(1)
        layout.addLayout(top)

        self.empty = QLabel()
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        units = QGroupBox("牵头单位（勾选要导出的单位）")
        box = QVBoxLayout(units)
        self.unit_list = QListWidget()
        # several columns of units instead of one long column
        self.unit_list.setFlow(QListView.Flow.TopToBottom)
        self.unit_list.setWrapping(True)
        self.unit_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.unit_list.setSpacing(3)
        box.addWidget(self.unit_list)
        pick = QHBoxLayout()
        all_button = QPushButton("全选")
        all_button.clicked.connect(lambda: self._check_all(True))
        none_button = QPushButton("全不选")
        none_button.clicked.connect(lambda: self._check_all(False))
        pick.addWidget(all_button)
        pick.addWidget(none_button)
        pick.addStretch(1)
        box.addLayout(pick)
        layout.addWidget(units, 1)

        actions = QHBoxLayout()
        self.export_button = QPushButton("导出填报表…")
        self.export_button.clicked.connect(self.export)
        self.import_button = QPushButton("导入交回的填报表…")
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(self.import_returns)
        actions.addWidget(self.export_button)
        actions.addWidget(self.import_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.busy = BusyBar()
        layout.addWidget(self.busy)
        self.refresh()

    def refresh(self) -> None:
        self._lists = self._worklists.lists(own=True, current_only=True)
        self.list_box.blockSignals(True)
        self.list_box.clear()
        for s in self._lists:
            self.list_box.addItem(f"{s.year}年 {s.doc_number} 第{s.version}版")
        self.list_box.blockSignals(False)
        self._list_changed()

    def current_list(self) -> WorkListSummary | None:
        i = self.list_box.currentIndex()
        return self._lists[i] if 0 <= i < len(self._lists) else None

    def current_period(self) -> int | None:
        i = self.period_box.currentIndex()
        return self._periods[i].id if 0 <= i < len(self._periods) else None

    def _list_changed(self) -> None:
        wl = self.current_list()
        self.unit_list.clear()
        self.period_box.clear()
        self._periods = []
        for button in (self.export_button, self.import_button):
            button.setEnabled(wl is not None)
        set_banner(
            self.empty,
            "" if wl is not None else "本级还没有年度清单，暂无可向部门收集的进展。",
            "banner",
        )
        if wl is None:
            return
        try:
            self._periods, first = self._departments.periods_of(wl.id)
            units = self._departments.units(wl.id)
        except Exception as err:
            show_error(self, err)
            return
        for p in self._periods:
            self.period_box.addItem(p.display)
        self.period_box.setCurrentIndex(first)
        for unit, count in units:
            item = QListWidgetItem(f"{unit}（{count} 项任务）")
            item.setData(Qt.ItemDataRole.UserRole, unit)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.unit_list.addItem(item)

    def _check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for i in range(self.unit_list.count()):
            self.unit_list.item(i).setCheckState(state)

    def chosen_units(self) -> list[str]:
        out = []
        for i in range(self.unit_list.count()):
            item = self.unit_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    # export ----------------------------------------------------------------------------

    def export(self) -> None:
        wl, period = self.current_list(), self.current_period()
        units = self.chosen_units()
        if wl is None or period is None or self.busy.busy:
            return
        if not units:
            dialogs.warning(self, "导出填报表", "请至少勾选一个牵头单位。")
            return
        folder = dialogs.ask_folder(self, "选择保存填报表的文件夹")
        if folder is None:
            return

        def work(job):  # type: ignore[no-untyped-def]
            return self._departments.export(
                wl.id, period, folder, units, progress=job.progress, cancelled=job.cancelled
            )

        self.busy.run(
            f"正在生成 {len(units)} 个填报表……", work, self._exported, title="填报表未导出"
        )

    def _exported(self, files: list[WorkbookFile]) -> None:
        folder = files[0].path.parent if files else ""
        dialogs.info(
            self,
            "填报表已导出",
            f"已导出 {len(files)} 个填报表到：\n{folder}\n\n"
            "请发给各牵头单位填写，交回后点击“导入交回的填报表”。",
        )

    # import ----------------------------------------------------------------------------

    def import_returns(self) -> None:
        wl, period = self.current_list(), self.current_period()
        if wl is None or period is None or self.busy.busy:
            return
        paths = dialogs.ask_open_paths(self, "选择交回的填报表", XLSX_FILTER)
        if not paths:
            return

        self._read(wl.id, period, paths, {})

    def _read(
        self, list_id: int, period: int, paths: list[Path], answers: dict[tuple[str, int], int]
    ) -> None:
        def work(job):  # type: ignore[no-untyped-def]
            return self._departments.preview(list_id, period, paths, answers)

        self.busy.run(
            "正在读取填报表……",
            work,
            lambda preview: self._previewed(preview, paths, answers),
            title="填报表未导入",
            cancellable=False,
        )

    def _previewed(
        self,
        preview: DeptImportPreview,
        paths: list[Path] | None = None,
        answers: dict[tuple[str, int], int] | None = None,
    ) -> None:
        answers = dict(answers or {})
        asked = False
        for q in preview.questions:
            choice = dialogs.ask_choice(
                self,
                "完成百分比是多少？",
                f"{q.file}：任务 {q.number or q.uid}\n{q.text}",
                ["1%", "100%", "这一行不导入"],
            )
            if choice is None:
                return
            if choice < 2:
                answers[(q.file, q.excel_row)] = (1, 100)[choice]
                asked = True
        if asked and paths is not None:
            self._read(preview.list_id, preview.period_id, paths, answers)
            return
        dialog = DeptPreviewDialog(preview, self)
        if not dialogs.run_dialog(dialog) or not preview.changes:
            return
        try:
            changed = self._departments.apply(preview)
        except Exception as err:
            show_error(self, err, title="填报表未导入")
            return
        dialogs.info(self, "导入完成", f"已把 {changed} 项任务的进展写入{preview.period_label}。")
