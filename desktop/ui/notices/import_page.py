"""导入上级文件: open or paste a notice, see what the parser understood beside the text,
correct it, and save it in one transaction.

The parsed notice is held in memory as the parser's dataclasses; corrections are written
into them (``apply_to_parsed``), a measure taken by mistake can be deleted or merged into
the one before it (after a confirmation), and nothing reaches the database before 保存. Parsing runs
off the UI thread. Saving a notice whose document number is already saved asks whether to
replace it, saying what would change; the service keeps the work lists' links.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.notice import ParsedNotice, parse_notice_file, parse_notice_text
from desktop.errors import OldFormatError, UserError
from desktop.services.notices.changes import (
    MeasureCorrection,
    apply_to_parsed,
    correction_of,
    measure_label,
)
from desktop.services.notices.service import NoticeService
from desktop.ui import dialogs
from desktop.ui.background import Job, run_in_background
from desktop.ui.error_report import show_error
from desktop.ui.forms import hint
from desktop.ui.notices.import_files import FILE_FILTERS, conversion, status_text
from desktop.ui.notices.import_panes import (
    EditorPane,
    SourcePane,
    WarningsPane,
    uncertain_first,
)
from desktop.ui.notices.import_save import save_notice
from desktop.ui.notices.source_spans import Span, locate_measures
from desktop.ui.notices.tree_model import (
    KEY_ROLE,
    KIND_ROLE,
    NoticeTreeModel,
    nodes_from_parsed,
    units_summary,
)

NO_MEASURE = MeasureCorrection("", "", (), ())


class NoticeImportPage(QWidget):
    """Emits ``finished`` with the saved notice's id, or None when the user went back."""

    finished = Signal(object)

    def __init__(self, notices: NoticeService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notices = notices
        self.parsed: ParsedNotice | None = None
        self.source_name = ""
        self._spans: list[Span | None] = []
        self._current: int | None = None  # index of the measure in the editor
        self._form_dirty = False
        self._modified = False
        self._pasting = False
        self._job: Job | None = None
        self._selecting = False
        self._build()
        self._connect()
        self._update_state()

    # layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        title = QLabel("导入上级文件")
        title.setObjectName("pageTitle")
        top.addWidget(title)
        top.addSpacing(16)
        self.open_button = QPushButton("打开文件…")
        self.paste_button = QPushButton("粘贴文本")
        self.parse_button = QPushButton("解析文本")
        self.parse_button.setObjectName("primary")
        for b in (self.open_button, self.paste_button, self.parse_button):
            top.addWidget(b)
        top.addStretch(1)
        self.back_button = QPushButton("返回")
        top.addWidget(self.back_button)
        layout.addLayout(top)

        status = QHBoxLayout()
        self.status = hint()
        status.addWidget(self.status, 1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.cancel_button = QPushButton("取消解析")
        self.cancel_button.hide()
        status.addWidget(self.progress)
        status.addWidget(self.cancel_button)
        layout.addLayout(status)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.source_pane = SourcePane()
        self.metadata = self.source_pane.metadata
        self.source = self.source_pane.text
        self.splitter.addWidget(self.source_pane)

        middle = QSplitter(Qt.Orientation.Vertical)
        tree_box = QWidget()
        tree_layout = QVBoxLayout(tree_box)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        tree_layout.addWidget(QLabel("识别结果"))
        self.model = NoticeTreeModel(parent=self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.header().setStretchLastSection(True)
        tree_layout.addWidget(self.tree)
        middle.addWidget(tree_box)
        self.warnings_pane = WarningsPane()
        self.warnings = self.warnings_pane.list
        middle.addWidget(self.warnings_pane)
        middle.setStretchFactor(0, 3)
        middle.setStretchFactor(1, 1)
        self.splitter.addWidget(middle)

        self.editor = EditorPane()
        self.form = self.editor.form
        self.apply_button = self.editor.apply_button
        self.revert_button = self.editor.revert_button
        self.delete_button = self.editor.delete_button
        self.merge_button = self.editor.merge_button
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([300, 360, 460])
        layout.addWidget(self.splitter, 1)

        bottom = QHBoxLayout()
        self.summary = QLabel()
        bottom.addWidget(self.summary, 1)
        self.save_button = QPushButton("保存到数据库")
        self.save_button.setObjectName("primary")
        self.save_button.setShortcut("Ctrl+S")
        bottom.addWidget(self.save_button)
        layout.addLayout(bottom)

    def _connect(self) -> None:
        self.open_button.clicked.connect(self.open_file)
        self.paste_button.clicked.connect(self.start_paste)
        self.parse_button.clicked.connect(self.parse_pasted)
        self.back_button.clicked.connect(self.go_back)
        self.cancel_button.clicked.connect(self.cancel_parse)
        self.save_button.clicked.connect(self.save)
        self.apply_button.clicked.connect(self.apply_form)
        self.revert_button.clicked.connect(self._revert_form)
        self.delete_button.clicked.connect(self.delete_measure)
        self.merge_button.clicked.connect(self.merge_measure)
        self.form.changed.connect(self._form_changed)
        self.metadata.changed.connect(self._metadata_changed)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.warnings_pane.measure_clicked.connect(self.select_measure)
        self.warnings_pane.span_clicked.connect(self.source_pane.highlight)
        self.source.textChanged.connect(self._update_state)

    # state ------------------------------------------------------------------------------

    def has_unsaved(self) -> bool:
        pasted = self._pasting and bool(self.source.toPlainText().strip())
        return self.parsed is not None or pasted

    def _busy(self) -> bool:
        return self._job is not None

    def _update_state(self) -> None:
        busy, loaded = self._busy(), self.parsed is not None
        self.open_button.setEnabled(not busy)
        self.paste_button.setEnabled(not busy)
        self.parse_button.setVisible(self._pasting)
        self.parse_button.setEnabled(
            not busy and self._pasting and bool(self.source.toPlainText().strip())
        )
        self.save_button.setEnabled(loaded and not busy)
        self.metadata.setEnabled(loaded and not busy)
        self.form.setEnabled(loaded and self._current is not None and not busy)
        self.apply_button.setEnabled(self._form_dirty)
        self.revert_button.setEnabled(self._form_dirty)
        count = len(self.parsed.measures) if self.parsed is not None else 0
        chosen = self._current is not None and not busy
        self.delete_button.setEnabled(chosen and count > 1)
        self.merge_button.setEnabled(chosen and bool(self._current))
        if not busy:
            self.status.setText(
                status_text(pasting=self._pasting, loaded=loaded, source_name=self.source_name)
            )

    def reset(self) -> None:
        self.parsed = None
        self.source_name = ""
        self._spans = []
        self._current = None
        self._form_dirty = self._modified = self._pasting = False
        self.source_pane.clear()
        self.model.set_nodes([])
        self.warnings_pane.fill(None)
        self.summary.clear()
        self._update_state()

    # opening and parsing ----------------------------------------------------------------

    def _may_discard(self) -> bool:
        if not self.has_unsaved():
            return True
        return dialogs.confirm(
            self, "放弃当前导入", "当前导入的文件还没有保存，放弃它吗？", ok="放弃"
        )

    def open_file(self) -> None:
        path = dialogs.ask_open_path(self, "选择上级文件", FILE_FILTERS)
        if path is None or not self._may_discard():
            return
        self.reset()
        self.parse_in_background(lambda: parse_notice_file(path), path.name, path)

    def start_paste(self) -> None:
        if not self._may_discard():
            return
        self.reset()
        self._pasting = True
        self.source_pane.start_paste()
        self._update_state()

    def parse_pasted(self) -> None:
        text = self.source.toPlainText()
        if text.strip():
            self.parse_in_background(lambda: parse_notice_text(text), "粘贴的文本")

    def parse_in_background(
        self, parse: Callable[[], ParsedNotice], source_name: str, source: Path | None = None
    ) -> None:
        def work(job: Job) -> ParsedNotice:
            return parse()

        # a cancelled job may still report after a new one started: only the current counts
        def done(result: object) -> None:
            if self._job is job:
                self._parse_finished()
                if isinstance(result, ParsedNotice):
                    self.load(result, source_name)

        def failed(err: BaseException) -> None:
            if self._job is job:
                self._parse_finished()
                offer = conversion(self, err, source) if isinstance(err, OldFormatError) else False
                if callable(offer):
                    self.parse_in_background(offer, f"{source_name}（已转换）")
                if not offer:
                    show_error(self, err, title="无法识别这份文件")

        self.status.setText(f"正在解析“{source_name}”…")
        self.progress.show()
        self.cancel_button.show()
        job = run_in_background(work, on_done=done, on_error=failed)
        self._job = job
        self._update_state()

    def cancel_parse(self) -> None:
        if self._job is not None:
            self._job.cancel()  # the parser cannot stop midway: its result is dropped
            self._parse_finished()

    def _parse_finished(self) -> None:
        self._job = None
        self.progress.hide()
        self.cancel_button.hide()
        self._update_state()

    def load(self, parsed: ParsedNotice, source_name: str) -> None:
        """Show a parse result for checking and correcting."""
        self.parsed = parsed
        self.source_name = source_name
        self._pasting = False
        self._modified = self._form_dirty = False
        self._current = None
        self.source.setReadOnly(True)
        self.source.setPlainText(parsed.source_text)
        self._spans = locate_measures(parsed.source_text, parsed.measures)
        self.metadata.set_parsed(parsed)
        self.model.set_nodes(nodes_from_parsed(parsed))
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self._fill_warnings()
        first = next(iter(uncertain_first(parsed)), 0)
        self.select_measure(first)
        self._update_state()

    # the tree and the editor ------------------------------------------------------------

    def select_measure(self, index: int) -> None:
        found = self.model.index_of(index)
        if found.isValid():
            self.tree.setCurrentIndex(found)
            self.tree.scrollTo(found)

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._selecting or self.parsed is None:
            return
        if self._form_dirty and not self.apply_form(ask=True):
            self._selecting = True  # stay on the measure whose edits are wrong
            self.tree.setCurrentIndex(previous)
            self._selecting = False
            return
        if current.data(KIND_ROLE) != "measure":
            self._current = None
            self.form.set_measure("选择一个条目进行核对和修正。", NO_MEASURE)
            self._update_state()
            return
        key = current.data(KEY_ROLE)
        assert isinstance(key, int)
        self._show_measure(key)

    def _show_measure(self, index: int) -> None:
        assert self.parsed is not None
        m = self.parsed.measures[index]
        self._current = index
        heading = measure_label(m.number, m.title, m.is_heading)
        self.form.set_measure(
            f"{heading}（编码 {m.code}，把握 {m.confidence:.0%}）",
            correction_of(m),
            note=m.note,
            warnings=m.warnings,
            evidence=[e for e in m.evidence if not e.startswith(("括号注释", "无括号注释"))],
        )
        self._form_dirty = False
        self.source_pane.highlight(self._spans[index] if index < len(self._spans) else None)
        self._update_state()

    def _form_changed(self) -> None:
        if self._current is not None:
            self._form_dirty = True
            self._update_state()

    def apply_form(self, ask: bool = False) -> bool:
        """Write the editor into the parsed measure; False when the edits are refused."""
        if not self._form_dirty or self._current is None or self.parsed is None:
            return True
        m = self.parsed.measures[self._current]
        try:
            apply_to_parsed(m, self.form.correction())
        except UserError as err:
            if ask:
                return dialogs.confirm(
                    self,
                    "修改有误",
                    f"当前条目的修改有误：{err}\n\n放弃这些修改吗？",
                    ok="放弃修改",
                )
            dialogs.warning(self, "修改有误", str(err))
            return False
        self._form_dirty = False
        self._modified = True
        self.model.update_measure(
            self._current,
            measure_label(m.number, m.title, m.is_heading),
            units_summary(m.units, m.lead_units, m.joint, m.generic),
            m.warnings,
        )
        self.form.warnings.hide()
        self._fill_warnings()
        self._update_state()
        return True

    def _revert_form(self) -> None:
        if self._current is not None:
            self._show_measure(self._current)

    def _metadata_changed(self) -> None:
        self._modified = True

    # deleting and merging measures ------------------------------------------------------

    def _label_of(self, index: int) -> str:
        assert self.parsed is not None
        m = self.parsed.measures[index]
        return measure_label(m.number, m.title, m.is_heading) or m.code

    def delete_measure(self) -> bool:
        """删除条目: drop the selected measure from the parse result, after asking."""
        index = self._current
        if self.parsed is None or index is None or len(self.parsed.measures) <= 1:
            return False
        label = self._label_of(index)
        if not dialogs.confirm(
            self,
            "删除条目",
            f"从识别结果中删除“{label}”吗？\n\n"
            "删除后保存时不导入这一条（不影响原文）；如删错了，可重新打开文件再导入。",
            ok="删除",
        ):
            return False
        self.parsed.remove_measure(index)
        self._form_dirty = False  # the edits were to the measure now gone
        self._structure_changed(min(index, len(self.parsed.measures) - 1))
        return True

    def merge_measure(self) -> bool:
        """与上一条合并: fold the selected measure into the one before it, after asking."""
        index = self._current
        if self.parsed is None or not index:
            return False
        if not self.apply_form():  # the edits so far are carried into the merged measure
            return False
        label, previous = self._label_of(index), self._label_of(index - 1)
        if not dialogs.confirm(
            self,
            "与上一条合并",
            f"把“{label}”并入上一条“{previous}”吗？\n\n"
            "它的正文接在上一条正文之后，责任单位、泛指单位和目标指标并入上一条。",
            ok="合并",
        ):
            return False
        self.parsed.merge_into_previous(index)
        self._structure_changed(index - 1)
        return True

    def _structure_changed(self, select: int) -> None:
        """Show the parse result again after measures were deleted or merged."""
        assert self.parsed is not None
        self._modified = True
        self._current = None
        self._spans = locate_measures(self.parsed.source_text, self.parsed.measures)
        self._selecting = True  # the model reset must not re-apply or re-show the old form
        try:
            self.model.set_nodes(nodes_from_parsed(self.parsed))
            self.tree.expandAll()
        finally:
            self._selecting = False
        self._fill_warnings()
        self.select_measure(select)
        self._update_state()

    # warnings ---------------------------------------------------------------------------

    def _fill_warnings(self) -> None:
        flagged = self.warnings_pane.fill(self.parsed)
        if self.parsed is not None:
            self.summary.setText(
                f"共识别 {len(self.parsed.sections)} 个领域、{len(self.parsed.measures)} 个条目、"
                f"{len(self.parsed.targets)} 个总体目标；{flagged} 个条目待核对。"
            )

    # saving and leaving -----------------------------------------------------------------

    def save(self) -> bool:
        if self.parsed is None or self._busy() or not self.apply_form():
            return False
        saved = save_notice(self, self._notices, self.parsed, self.metadata, self.source_name)
        if saved is None:
            return False
        self.reset()
        self.finished.emit(saved)
        return True

    def go_back(self) -> None:
        if self._may_discard():
            self.cancel_parse()
            self.reset()
            self.finished.emit(None)

    def may_close(self) -> bool:
        """Asked before the program closes: unsaved imports are saved, dropped or kept."""
        if not self.has_unsaved():
            return True
        answer = dialogs.ask_save_changes(self, "正在导入的上级文件")
        if answer == "save":
            if self.parsed is None:  # pasted but not parsed yet: nothing to save
                self.parse_pasted()
                return False
            return self.save()
        return answer == "discard"
