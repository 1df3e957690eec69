"""台账打印: choose a ledger, see it as it will print, print it, save it, export it.

The screen regenerates the ledger PDF in the background whenever its options change
(debounced; ``ledger.generator``) and shows it in the embedded preview. 另存为 PDF saves
exactly the file on show; 打印 draws the same document, laid out the same way, on the
printer as vector text and lines (``ledger.printing``), so the sheets equal the preview.
Excel, CSV and the per-unit PDFs are written by the ledger service in the background too,
with progress and 取消. The
temporary folder of the previews goes when the screen closes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.reports import Cancelled
from desktop.core.reports.fileio import atomic_output
from desktop.errors import UserError
from desktop.services.ledger.service import LedgerOptions, LedgerService
from desktop.services.progress.service import ProgressService
from desktop.services.worklist.queries import WorkListQueries
from desktop.ui import dialogs
from desktop.ui.background import Job, wait_for_background
from desktop.ui.error_report import os_error_message, show_error
from desktop.ui.forms import hint
from desktop.ui.ledger.busy import BusyRow, Running, start_job
from desktop.ui.ledger.generator import Generated, Key, PreviewGenerator
from desktop.ui.ledger.options import PAPERS, LedgerOptionsPanel, keep_columns
from desktop.ui.ledger.outputs import (
    OutputButtons,
    ask_csv_or_excel,
    offer_pdf_without_printer,
    warn_cut_cells,
)
from desktop.ui.ledger.preview import LedgerPreview
from desktop.ui.ledger.tempfiles import PreviewFiles

DEBOUNCE_MS = 600  # typing a name regenerates once the user pauses, not per keystroke
NO_LISTS = (
    "还没有可以打印的清单。\n请先在“年度清单”中新建本级清单，或在“上报与汇总”中导入下级上报包。"
)


class LedgerPage(QWidget):
    def __init__(
        self,
        ledgers: LedgerService,
        worklists: WorkListQueries,
        progress: ProgressService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ledgers = ledgers
        self._worklists = worklists
        self._progress = progress
        self._task_run: Running | None = None  # a print or an export
        self._files = PreviewFiles()
        self._generator = PreviewGenerator(ledgers, self._files, self._key, self)

        self.options = LedgerOptionsPanel()
        self.preview = LedgerPreview()
        self.outputs = OutputButtons()
        self.busy = BusyRow()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.timeout.connect(self._auto_generate)
        self._build()
        self.options.changed.connect(self._options_changed)
        self.options.list_changed.connect(self._load_periods)
        self.options.columns_changed.connect(lambda keys: keep_columns(self, ledgers, keys))
        self._generator.ready.connect(self._show_generated)
        self._generator.state_changed.connect(self._update_state)
        self._generator.cancelled_by_user.connect(lambda: self.busy.set_status("已取消生成预览。"))
        self._generator.bug.connect(lambda err: show_error(self, err, title="无法生成台账"))
        if (app := QCoreApplication.instance()) is not None:
            app.aboutToQuit.connect(self.cleanup)
        self._update_state()

    def _build(self) -> None:
        title = QLabel("台账打印")
        title.setObjectName("pageTitle")
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(QLabel("清单"))
        header.addWidget(self.options.list_box)
        intro = hint(
            "选择台账类型、周期和签署信息，右侧即时预览打印效果；"
            "可直接打印，或另存为 PDF、导出 Excel / CSV。"
        )
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.error_banner = QLabel()
        self.error_banner.setObjectName("errorBanner")
        self.error_banner.setWordWrap(True)
        self.error_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.outputs.print_button.clicked.connect(self.print_ledger)
        self.outputs.save_pdf_button.clicked.connect(self.save_pdf)
        self.outputs.per_unit_button.clicked.connect(self.save_per_unit)
        self.outputs.xlsx_button.clicked.connect(self.export_xlsx)
        self.outputs.csv_button.clicked.connect(self.export_csv)
        self.busy.cancel_clicked.connect(self.cancel)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 2, 6, 0)
        left_layout.addWidget(self.options)
        left_layout.addWidget(self.outputs)
        left_layout.addWidget(self.banner)  # below the buttons: it never moves them
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedWidth(330)

        self.generate_button = QPushButton("生成预览")
        self.generate_button.setToolTip("按当前选项重新生成预览（F5）")
        self.generate_button.clicked.connect(self.generate_preview)
        self.preview.toolbar.insertWidget(0, self.generate_button)

        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.busy)
        body = QHBoxLayout()
        body.addWidget(scroll)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(intro)
        layout.addWidget(self.error_banner)
        layout.addLayout(body, 1)

        for keys, slot in (
            (QKeySequence.StandardKey.Print, self.print_ledger),
            (QKeySequence.StandardKey.ZoomIn, self.preview.zoom_in),
            (QKeySequence.StandardKey.ZoomOut, self.preview.zoom_out),
            (QKeySequence.StandardKey.Refresh, self.generate_preview),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # loading ----------------------------------------------------------------------------

    def activated(self) -> None:
        """Shown again: the lists, periods and office names may have changed elsewhere."""
        self.reload()

    def reload(self) -> None:
        try:
            lists = self._worklists.lists(current_only=True)
            self.options.set_signoff_defaults(self._ledgers.signoff_defaults())
            self.options.set_columns(self._ledgers.columns())
            before = self.options.list_id()
            self.options.set_lists(lists)
            if self.options.list_id() == before:
                self._load_periods()  # a period may have been frozen since
        except (UserError, OSError) as err:
            self._show_error(str(err) if isinstance(err, UserError) else os_error_message(err))
            return
        self._refresh_signoff_defaults()
        # Tasks or progress may have changed in another screen: show the ledger as it is now.
        self._generator.forget()
        self._debounce.start(0)
        self._update_state()

    def _load_periods(self) -> None:
        list_id = self.options.list_id()
        if list_id is None:
            self.options.set_periods([], None)
            return
        try:
            periods = self._progress.periods(list_id)
            default = self._ledgers.default_period_id(list_id)
        except UserError as err:
            self._show_error(str(err))
            periods, default = [], None
        self.options.set_periods(periods, default)

    def _show_error(self, text: str) -> None:
        self._generator.error = text
        self._generator.forget()
        self._update_state()

    # the preview ------------------------------------------------------------------------

    def _key(self) -> Key | None:
        list_id = self.options.list_id()
        return (list_id, self.options.options()) if list_id is not None else None

    def preview_is_current(self) -> bool:
        return self._generator.is_current()

    def is_busy(self) -> bool:
        return self._task_run is not None or self._generator.running is not None

    def _options_changed(self) -> None:
        self._refresh_signoff_defaults()
        if self._generator.shown is not None:
            self.busy.set_status("选项已更改，稍后自动更新预览。")
        self._debounce.start(DEBOUNCE_MS)
        self._update_state()

    def _refresh_signoff_defaults(self) -> None:
        """A frozen period's ledger signs with the names and date it was frozen with."""
        list_id = self.options.list_id()
        try:
            defaults = self._ledgers.signoff_defaults(list_id, self.options.options())
        except (UserError, OSError):
            return  # the preview run reports the problem
        self.options.blockSignals(True)
        try:
            self.options.set_signoff_defaults(defaults)
        finally:
            self.options.blockSignals(False)

    def _auto_generate(self) -> None:
        # After a font failure only 生成预览 tries again (the user may have installed fonts).
        if self._generator.font_problem is None and not self.preview_is_current():
            self.generate_preview()

    def generate_preview(self) -> None:
        self._debounce.stop()
        self._generator.generate()
        self._update_state()

    def _show_generated(self, result: Generated) -> None:
        old = self.preview.path
        self.preview.show_pdf(result.path)
        if old is not None and old != result.path:
            self._files.discard(old)
        paper = dict(PAPERS).get(result.key[1].paper, "")
        made = datetime.now().strftime("%H:%M")
        self.busy.set_status(f"预览共 {result.pages} 页 · {paper} · {made} 生成")

    # printing and saving what is on show ------------------------------------------------

    def print_ledger(self) -> None:
        if not self._pdf_allowed() or not self._generator.when_current(self.print_ledger):
            return
        from desktop.ui.ledger import printing

        if not printing.printers_installed():
            # the system's dialog would only offer a file, which reads as printing
            if offer_pdf_without_printer(self):
                self.save_pdf()
            return
        shown = self._generator.shown
        assert shown is not None
        printer = printing.make_printer(shown.key[1].paper, self.options.file_stem())
        if not dialogs.ask_printer(self, printer, pages=shown.pages, current_page=True):
            return
        work = printing.PrintJob(shown.doc, printer, self.preview.current_page())

        def done(sheets: int) -> None:
            self.busy.set_status(printing.printed_note(printer, sheets))

        self._run_task("print", "正在打印…", work, done)

    def save_pdf(self) -> None:
        if not self._pdf_allowed():
            return
        path = self._ask_path("另存为 PDF", "PDF 文件 (*.pdf)", ".pdf")
        if path is not None:
            self._save_preview_to(path)

    def _save_preview_to(self, path: Path) -> None:
        if not self._generator.when_current(lambda: self._save_preview_to(path)):
            return
        shown = self._generator.shown
        assert shown is not None
        try:
            with atomic_output(path) as stream, open(shown.path, "rb") as source:
                shutil.copyfileobj(source, stream)
        except (UserError, OSError) as err:
            show_error(self, err, title="未能保存")
            return
        self.busy.set_status(f"已保存：{path}")

    # exports ----------------------------------------------------------------------------

    def export_xlsx(self) -> None:
        self._export("导出 Excel", "Excel 工作簿 (*.xlsx)", ".xlsx", self._ledgers.write_xlsx)

    def export_csv(self) -> None:
        choice = ask_csv_or_excel(self)
        if choice == 1:
            self.export_xlsx()
        elif choice == 0:
            self._export("导出 CSV", "CSV 文件 (*.csv)", ".csv", self._ledgers.write_csv)

    def _export(
        self,
        title: str,
        filters: str,
        suffix: str,
        write: Callable[[int, Path, LedgerOptions], object],
    ) -> None:
        key = self._key()
        if key is None or self._task_run is not None:
            return
        path = self._ask_path(title, filters, suffix)
        if path is None:
            return
        list_id, options = key

        def work(_job: Job) -> object:
            return write(list_id, path, options)

        def done(cut: object) -> None:
            self.busy.set_status(f"已导出：{path}")
            warn_cut_cells(self, title, cut)

        self._run_task("export", f"正在{title}…", work, done, cancellable=False)

    def save_per_unit(self) -> None:
        key = self._key()
        if key is None or not self._pdf_allowed():
            return
        folder = dialogs.ask_folder(self, "选择保存各单位台账的文件夹")
        if folder is None:
            return
        list_id, options = key
        ledgers = self._ledgers

        def work(job: Job) -> list[Path]:
            return ledgers.write_pdf_per_unit(
                list_id, folder, options, progress=job.progress, cancelled=job.cancelled
            )

        def done(paths: list[Path]) -> None:
            self.busy.set_status(f"已保存 {len(paths)} 个单位的台账到：{folder}")
            dialogs.info(
                self, "按单位分别保存", f"已为 {len(paths)} 个牵头单位各保存一份台账：\n{folder}"
            )

        self._run_task("export", "正在按单位保存台账…", work, done)

    def _ask_path(self, title: str, filters: str, suffix: str) -> Path | None:
        # the last folder used, else the user's documents (dialogs._start)
        path = dialogs.ask_save_path(self, title, filters, self.options.file_stem() + suffix)
        if path is None:
            return None
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        return path

    def _pdf_allowed(self) -> bool:
        if self._generator.font_problem is not None:
            dialogs.warning(self, "无法生成 PDF", self._generator.font_problem)
            return False
        return self._key() is not None and self._task_run is None

    def _run_task(
        self,
        kind: str,
        text: str,
        work: Callable[[Job], Any],
        on_done: Callable[[Any], None],
        *,
        cancellable: bool = True,
    ) -> None:
        def finished() -> bool:
            self._task_run = None
            if self._generator.closed:
                return False
            self._update_state()
            return True

        def done(result: object) -> None:
            if finished():
                on_done(result)

        def failed(err: BaseException) -> None:
            if not finished():
                return
            if isinstance(err, Cancelled):
                self.busy.set_status("已取消打印。" if kind == "print" else "已取消，未生成文件。")
            else:
                show_error(self, err, title="未能完成")

        self._task_run = start_job(
            kind,
            text,
            work,
            on_done=done,
            on_error=failed,
            on_progress=lambda _r: self._update_busy(),
            cancellable=cancellable,
        )
        self._update_state()

    def cancel(self) -> None:
        """取消: stop the job the progress row shows (a print or export before a preview)."""
        if self._task_run is not None:
            if self._task_run.cancellable:
                self._task_run.job.cancel()
        else:
            self._generator.cancel()
        self._update_busy()

    # state shown ------------------------------------------------------------------------

    def _update_state(self) -> None:
        if self._generator.closed:
            return
        generator = self._generator
        has_list = self.options.list_id() is not None
        summary = self.options.current_list()
        period = self.options.current_period()
        problem = generator.font_problem or generator.error
        if not has_list:
            self.preview.show_placeholder(NO_LISTS)
        elif generator.font_problem is not None:
            self.preview.show_placeholder("缺少中文字体，无法生成 PDF 预览。")
        elif generator.error is not None:
            self.preview.show_placeholder("未能生成预览。")
        elif self.preview.path is None:
            waiting = generator.running is not None or self._debounce.isActive()
            self.preview.show_placeholder(
                "正在生成预览…" if waiting else "点击“生成预览”查看打印效果。"
            )
        notes = []
        if summary is not None and not summary.own:
            notes.append(f"这是{summary.locality}上报的下级清单，可以打印和导出，不能在本级修改。")
        if self.options.variant() == "progress" and period is not None and period.frozen:
            notes.append(f"“{period.label}”已冻结：进展台账按冻结时的数据原样重印。")
        self.banner.setText("\n".join(notes))
        self.banner.setVisible(bool(notes))
        self.error_banner.setText(problem or "")
        self.error_banner.setVisible(bool(problem))

        self.options.setEnabled(has_list)
        idle = self._task_run is None
        self.outputs.set_enabled(
            pdf=has_list and idle and generator.font_problem is None, files=has_list and idle
        )
        self.generate_button.setEnabled(has_list)
        self._update_busy()

    def _update_busy(self) -> None:
        if not self._generator.closed:
            self.busy.show_running(self._task_run or self._generator.running)

    # closing ----------------------------------------------------------------------------

    def temp_folder(self) -> Path | None:
        """The folder the previews are written to (None before the first one)."""
        return self._files.folder

    def may_close(self) -> bool:
        if self._task_run is None:
            return True
        what = "打印" if self._task_run.kind == "print" else "导出"
        if not dialogs.confirm(
            self, "正在" + what, f"台账正在{what}，关闭将取消{what}。确定关闭吗？", ok="关闭"
        ):
            return False
        self._task_run.job.cancel()
        return True

    def cleanup(self) -> None:
        """Stop running work and remove the preview files (the screen is going away)."""
        if self._generator.closed:
            return
        self._debounce.stop()
        busy = self.is_busy()
        self._generator.close()
        if self._task_run is not None:
            self._task_run.job.cancel()
        if busy:
            wait_for_background(10_000)
        self.preview.show_placeholder("")  # closes the file on show before it is removed
        self._files.remove_all()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cleanup()
        super().closeEvent(event)
