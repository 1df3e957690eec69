"""汇总: import the lower levels' packages; who reported, coverage, statuses, drill-down, ledger."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.names import one_line
from desktop.services.exchange.aggregate import (
    AggregateService,
    CoverageMatrix,
    ListChoice,
    LocalityStatus,
    Overview,
)
from desktop.services.exchange.service import ExchangeService, ImportBatch
from desktop.services.exchange.types import KeyChange
from desktop.services.worklist.lifecycle import WorkListLifecycle
from desktop.ui import dialogs
from desktop.ui.error_report import show_error
from desktop.ui.exchange.busy import BusyBar
from desktop.ui.exchange.localities_dialog import LocalitiesDialog
from desktop.ui.exchange.measure_tasks import MeasureTasksDialog
from desktop.ui.exchange.models import CoverageModel, drill_label, drill_model, report_model
from desktop.ui.exchange.widgets import set_banner, table_view, unbroken
from desktop.ui.forms import hint

PACKAGE_FILTER = "上报包 (*.zip);;所有文件 (*)"
LOWER_LEVEL = {"省级": "市级", "市级": "县级"}
DRILL_TAB = 2


class AggregateTab(QWidget):
    def __init__(
        self,
        exchange: ExchangeService,
        office_level: str,
        lifecycle: WorkListLifecycle | None = None,
    ) -> None:
        super().__init__()
        self._exchange = exchange
        self._lifecycle = lifecycle
        self._aggregate: AggregateService = exchange.aggregate
        self._level = office_level
        self._choices: list[ListChoice] = []
        self._overview: Overview | None = None
        self._reporting: list[LocalityStatus] = []

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("汇总："))
        self.choice_box = QComboBox()
        self.choice_box.setMinimumWidth(240)
        self.choice_box.currentIndexChanged.connect(self.show_overview)
        top.addWidget(self.choice_box)
        self.import_button = QPushButton("导入上报包…")
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(self.import_packages)
        self.localities_button = QPushButton("下级地区名单…")
        self.localities_button.clicked.connect(self.edit_localities)
        self.pdf_button = QPushButton("汇总台账 PDF…")
        self.pdf_button.clicked.connect(lambda: self.export_combined("pdf"))
        self.xlsx_button = QPushButton("汇总 Excel…")
        self.xlsx_button.clicked.connect(lambda: self.export_combined("xlsx"))
        # at a province: the whole province, or one city's own list and its counties
        self.pdf_menu = QMenu(self.pdf_button)
        self.xlsx_menu = QMenu(self.xlsx_button)
        self.delete_button = QPushButton("删除所选上报…")
        self.delete_button.setToolTip(
            "删除在“上报情况”中选中地区最近导入的一版清单（导错了上报包时用）；删除前自动备份"
        )
        self.delete_button.clicked.connect(self.delete_selected_import)
        self.delete_button.setVisible(lifecycle is not None)
        for button in (
            self.import_button,
            self.localities_button,
            self.pdf_button,
            self.xlsx_button,
        ):
            top.addWidget(button)
        top.addStretch(1)
        top.addWidget(self.delete_button)
        layout.addLayout(top)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.busy = BusyBar()
        layout.addWidget(self.busy)

        self.tabs = QTabWidget()
        self.reports = report_model()
        self.report_view = table_view(self.reports, stretch_last=False)
        self.report_view.doubleClicked.connect(self._open_locality)
        self.report_view.selectionModel().selectionChanged.connect(lambda *_: self._update_delete())
        self.tabs.addTab(self.report_view, "上报情况")
        cover = QWidget()
        cover_box = QVBoxLayout(cover)
        scope_row = QHBoxLayout()
        self.scope_label = QLabel("范围：")
        scope_row.addWidget(self.scope_label)
        self.scope_box = QComboBox()
        self.scope_box.setMinimumWidth(200)
        self.scope_box.currentIndexChanged.connect(self._show_coverage)
        scope_row.addWidget(self.scope_box)
        self.cover_hint = hint("双击单元格，查看该地区覆盖这一条目的任务。")
        scope_row.addWidget(self.cover_hint, 1)
        cover_box.addLayout(scope_row)
        self.coverage = CoverageModel()
        self.coverage_view = table_view(self.coverage, stretch_last=False)
        self.coverage_view.setSelectionBehavior(self.coverage_view.SelectionBehavior.SelectItems)
        self.coverage_view.setColumnWidth(0, 300)
        self.coverage_view.doubleClicked.connect(self._open_cell)
        self.coverage_view.horizontalHeader().sectionDoubleClicked.connect(self._open_group)
        cover_box.addWidget(self.coverage_view, 1)
        self.tabs.addTab(cover, "覆盖情况")
        drill = QWidget()
        box = QVBoxLayout(drill)
        row = QHBoxLayout()
        row.addWidget(QLabel("地区："))
        self.locality_box = QComboBox()
        self.locality_box.setMinimumWidth(200)
        self.locality_box.currentIndexChanged.connect(self.show_drill)
        row.addWidget(self.locality_box)
        row.addWidget(hint("下级上报的清单只能查看，不能修改。"), 1)
        box.addLayout(row)
        self.drill = drill_model()
        self.drill_view = table_view(self.drill)
        # narrow enough that 状态, the column a city reads first, shows without scrolling
        # in the default window (1256 px wide)
        for col, width in enumerate((46, 110, 200, 110, 90, 85, 150, 76)):
            self.drill_view.setColumnWidth(col, width)
        box.addWidget(self.drill_view, 1)
        self.tabs.addTab(drill, "任务明细")
        self._drill_stale = True
        self.tabs.currentChanged.connect(
            lambda i: self.show_drill() if i == DRILL_TAB and self._drill_stale else None
        )
        layout.addWidget(self.tabs, 1)
        self.refresh()

    # data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        keep = self.current_choice()
        self._choices = self._aggregate.choices()
        self.choice_box.blockSignals(True)
        self.choice_box.clear()
        for c in self._choices:
            self.choice_box.addItem(c.label)
        index = next((i for i, c in enumerate(self._choices) if c == keep), 0)
        self.choice_box.setCurrentIndex(index if self._choices else -1)
        self.choice_box.blockSignals(False)
        self.show_overview()

    def current_choice(self) -> ListChoice | None:
        i = self.choice_box.currentIndex()
        return self._choices[i] if 0 <= i < len(self._choices) else None

    def show_overview(self) -> None:
        choice = self.current_choice()
        for button in (self.pdf_button, self.xlsx_button):
            button.setEnabled(choice is not None)
        if choice is None:
            self._overview = None
            self.reports.set_rows([])
            self.coverage.set_matrix(CoverageMatrix((), (), (), ()))
            self._fill_scopes(())
            self._fill_localities([])
            names = [x.name for x in self._aggregate.localities()]
            waiting = f"名单中的 {len(names)} 个下级地区都还没有上报。" if names else ""
            set_banner(
                self.summary,
                f"还没有导入下级的上报包。{waiting}点击“导入上报包”选择下级报来的 .zip 文件。",
                "banner",
            )
            return
        try:
            view = self._aggregate.overview(choice.year, choice.notice_id)
        except Exception as err:
            show_error(self, err)
            return
        self._overview = view
        # a city from which nothing has come stands for its counties (its row says so)
        self.reports.set_rows([s for s in view.localities if not s.folded])
        self._update_delete()
        self.report_view.resizeColumnsToContents()
        self._fill_scopes(view.coverage.group_names)
        self._fill_localities([s for s in view.localities if s.list_id is not None])
        lagging = sum(s.count("lagging") for s in view.localities)
        owing = sum(s.count("not_reported") for s in view.localities)
        lines = [f"{choice.label}：" if len(view.levels) > 1 else ""]
        for level in view.levels:
            prefix = f"{level.title}：" if len(view.levels) > 1 else f"{choice.label}："
            lines.append(prefix + level.text + "。")
        lines.append(
            f"滞后任务共 {lagging} 项"
            + (f"，本期未填报 {owing} 项（不计入滞后）" if owing else "")
            + "。"
        )
        text = "\n".join(line for line in lines if line)
        problem = any(level.missing or level.not_resent for level in view.levels)
        set_banner(self.summary, text, "errorBanner" if problem else "banner")

    def _fill_scopes(self, groups: tuple[str, ...]) -> None:
        """At a province: 各市 (one column per city) or one city's localities."""
        keep = self.scope_box.currentText()
        self.scope_box.blockSignals(True)
        self.scope_box.clear()
        if groups:
            self.scope_box.addItem("各设区市（按市汇总）", "")
            for group in groups:
                self.scope_box.addItem(f"{group}（本级及所辖县市区）", group)
            found = self.scope_box.findText(keep)
            self.scope_box.setCurrentIndex(max(found, 0))
        self.scope_box.blockSignals(False)
        for widget in (self.scope_label, self.scope_box):
            widget.setVisible(bool(groups))
        self._fill_ledger_menus(groups)
        self._show_coverage()

    def _show_coverage(self) -> None:
        view = self._overview
        if view is None:
            return
        matrix = view.coverage
        group = self.scope_box.currentData() if self.scope_box.isVisible() else None
        if matrix.group_names and not group:
            self.coverage.set_matrix(matrix, grouped=True)
        elif group:
            self.coverage.set_matrix(matrix.within(group))
        else:
            self.coverage.set_matrix(matrix)
        self.coverage_view.resizeColumnsToContents()
        self.coverage_view.setColumnWidth(0, min(320, self.coverage_view.columnWidth(0)))

    def _open_group(self, section: int) -> None:
        """Double-clicking a city's column heading shows that city's localities."""
        group = self.coverage.group_at(section)
        if group:
            self.scope_box.setCurrentIndex(max(self.scope_box.findData(group), 0))

    def _open_cell(self, index: QModelIndex) -> None:
        """A cell opens the tasks covering that measure there (a city's: all its lists)."""
        matrix = self.coverage.matrix
        columns = self.coverage.columns_of(index.column())
        if not columns or not 0 <= index.row() < len(matrix.measure_ids):
            return
        lists = matrix.lists_in(columns)
        group = self.coverage.group_at(index.column())
        where = group or matrix.localities[columns[0]]
        if not lists:
            dialogs.info(self, "覆盖情况", f"{where}尚未上报清单。")
            return
        try:
            rows = self._aggregate.measure_tasks(lists, matrix.measure_ids[index.row()])
        except Exception as err:
            show_error(self, err)
            return
        label = matrix.measure_labels[index.row()]
        dialog = MeasureTasksDialog(f"{where}：覆盖该条目的任务", label, rows, self)
        dialogs.run_dialog(dialog)

    def _selected_report(self) -> LocalityStatus | None:
        rows = self.report_view.selectionModel().selectedRows()
        if not rows:
            return None
        status = self.reports.row_at(rows[0].row())
        return status if status.list_id is not None else None

    def _update_delete(self) -> None:
        self.delete_button.setEnabled(not self.busy.busy and self._selected_report() is not None)

    def _fill_localities(self, reporting: list[LocalityStatus]) -> None:
        keep = self.locality_box.currentText()
        self._reporting = reporting
        self.locality_box.blockSignals(True)
        self.locality_box.clear()
        labels = [drill_label(s) for s in reporting]
        self.locality_box.addItems(labels)
        if keep in labels:
            self.locality_box.setCurrentText(keep)
        self.locality_box.blockSignals(False)
        self.show_drill()

    def show_drill(self) -> None:
        # read only when the tab is looked at: a list may have thousands of tasks
        if self.tabs.currentIndex() != DRILL_TAB:
            self._drill_stale = True
            return
        self._drill_stale = False
        i = self.locality_box.currentIndex()
        if not 0 <= i < len(self._reporting) or self._reporting[i].list_id is None:
            self.drill.set_rows([])
            return
        list_id = self._reporting[i].list_id
        assert list_id is not None
        try:
            self.drill.set_rows(self._aggregate.drill_down(list_id))
        except Exception as err:
            show_error(self, err)

    def _open_locality(self, index: QModelIndex) -> None:
        status = self.reports.row_at(index.row())
        if status.list_id is not None:
            self.locality_box.setCurrentText(drill_label(status))
            self.tabs.setCurrentIndex(DRILL_TAB)

    # actions ---------------------------------------------------------------------------

    def import_packages(self) -> None:
        if self.busy.busy:
            return
        paths = dialogs.ask_open_paths(self, "选择下级报来的上报包", PACKAGE_FILTER)
        if paths:
            self._import(paths, None)

    def _import(self, paths: list[Path], accept_key: str | None) -> None:
        def work(job):  # type: ignore[no-untyped-def]
            return self._exchange.import_packages(
                paths, progress=job.progress, cancelled=job.cancelled, accept_key=accept_key
            )

        self.busy.run(
            f"正在导入 {len(paths)} 个上报包……", work, self._imported, title="上报包未导入"
        )

    def _imported(self, batch: ImportBatch) -> None:
        if batch.results:
            newest = batch.results[-1]
            self.refresh()
            match = next(
                (
                    i
                    for i, c in enumerate(self._choices)
                    if c.year == newest.year and c.doc_number == newest.doc_number
                ),
                None,
            )
            if match is not None:
                self.choice_box.setCurrentIndex(match)
        lines = [r.report for r in batch.results]
        lines += [f"✗ {one_line(path.name, 80)}：{message}" for path, message in batch.failures]
        if batch.cancelled:
            lines.append("导入已取消，其余文件未导入。")
        if batch.backup is not None:
            lines.append(f"\n导入前已备份数据库：{batch.backup.name}")
        if not batch.failures:
            title = "导入完成"
        elif batch.results:
            title = "部分上报包未导入"
        else:  # nothing was imported: “部分” would suggest otherwise
            title = "上报包未导入"
        show = dialogs.warning if batch.failures else dialogs.info
        show(self, title, "\n".join(lines))
        for change in batch.key_changes:
            if self._accept_key(change):
                self._import([change.path], change.new)
                return  # one at a time: the next import reports again

    def _accept_key(self, change: KeyChange) -> bool:
        """Ask whether the new key of a lower office is genuine (compared on paper or by
        telephone); the acceptance is recorded in the audit log by the import."""
        old, new = (unbroken(f) for f in (change.old, change.new))
        return dialogs.confirm(
            self,
            "下级更换了签名密钥",
            f"{change.locality}的上报包使用了新的签名密钥：\n\n"
            f"原指纹：{old}\n新指纹：{new}\n\n"
            "只有对方确实更换了密钥（例如重装了电脑）时才应接受。请与其新盖章台账落款处打印的"
            "指纹逐组核对（或电话核对）。核对一致并接受新密钥，导入这个上报包吗？",
            ok="核对一致，接受并导入",
            warn=True,
        )

    def delete_selected_import(self) -> None:
        """删除所选上报…: the selected locality's newest imported version (a wrong package);
        the version before it, if any, becomes current again."""
        status = self._selected_report()
        if status is None or status.list_id is None or self._lifecycle is None:
            return
        if self.busy.busy:
            return
        try:
            plan = self._lifecycle.deletion(status.list_id)
        except Exception as err:
            show_error(self, err)
            return
        after = (
            f"删除后，此前导入的第{plan.restored_version}版恢复为当前版本。"
            if plan.restored_version
            else "删除后，该地区在汇总中显示为未上报。"
        )
        text = (
            f"删除{plan.name}清单{plan.version_numbers}（{plan.tasks} 项任务"
            + (f"、{plan.progress} 条进展" if plan.progress else "")
            + "）？\n\n"
            f"{after}本级可再次导入正确的上报包；下级的数据不受影响。\n\n"
            "删除前会自动备份数据库。"
        )
        if not dialogs.confirm(self, "删除导入的上报", text, ok="删除"):
            return
        lifecycle, list_id = self._lifecycle, status.list_id
        self.busy.run(  # a backup of the whole database first: seconds on a large office
            "正在备份数据库并删除……",
            lambda job: lifecycle.delete_list(
                list_id, progress=job.progress, cancelled=job.cancelled
            ),
            lambda _done: self.refresh(),
            title="未删除",
        )  # 取消 before the deletion commits leaves the report as it was
        self._update_delete()

    def edit_localities(self) -> None:
        reported = [s.locality for s in self._reporting if not s.group]
        dialog = LocalitiesDialog(
            self._aggregate, reported, LOWER_LEVEL.get(self._level, "县级"), self
        )
        if dialogs.run_dialog(dialog):
            self.show_overview()

    def _fill_ledger_menus(self, groups: tuple[str, ...]) -> None:
        for button, menu, kind in (
            (self.pdf_button, self.pdf_menu, "pdf"),
            (self.xlsx_button, self.xlsx_menu, "xlsx"),
        ):
            menu.clear()
            if not groups:
                button.setMenu(None)  # type: ignore[arg-type]
                continue
            menu.addAction("全部（按市分册排列）…", partial(self.export_combined, kind))
            menu.addSeparator()
            for group in groups:
                menu.addAction(
                    f"{group}（本级及所辖县市区）…", partial(self.export_combined, kind, group)
                )
            button.setMenu(menu)

    def export_combined(self, kind: str, within: str | None = None) -> None:
        choice = self.current_choice()
        if choice is None or self.busy.busy:
            return
        suffix, label = (
            (".pdf", "PDF 文件 (*.pdf)") if kind == "pdf" else (".xlsx", "Excel 工作簿 (*.xlsx)")
        )
        try:
            name = self._aggregate.ledger_name(choice.year, choice.notice_id, suffix, within)
        except Exception as err:
            show_error(self, err)
            return
        target = dialogs.ask_save_path(self, "保存汇总台账", label, name)
        if target is None:
            return
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)

        def work(job):  # type: ignore[no-untyped-def]
            if kind == "pdf":
                return self._aggregate.write_combined_pdf(
                    choice.year,
                    choice.notice_id,
                    target,
                    within=within,
                    progress=job.progress,
                    cancelled=job.cancelled,
                )
            return self._aggregate.write_combined_xlsx(
                choice.year, choice.notice_id, target, within=within
            )

        self.busy.run(
            "正在生成汇总台账……",
            work,
            lambda said: self._written(target, said),
            title="汇总台账未生成",
        )

    def _written(self, target: Path, said: object = None) -> None:
        text = f"已保存到：\n{target}"
        if isinstance(said, list) and said:  # Excel cells cut at the 32,767 limit
            from desktop.core.reports.xlsx_writer import cut_cells_note

            text += f"\n\n{cut_cells_note(said)}"
        dialogs.info(self, "汇总台账已生成", text)
