"""上级文件 — the notice screen: a saved notice measure by measure, and how far the office's
work lists already cover it.

Choose a notice, read its headline targets, filter its measures by any Chinese text,
select one to see its full text, lead and cooperating units, generic collectives, targets
and the number of local tasks covering it (0 = 未分解, in orange). Measures change only
through the 修正条目 dialog. 为本级建立年度清单 creates a work list from the notice.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.services.notices.service import MeasureView, NoticeService, NoticeTree
from desktop.services.office.service import OfficeService
from desktop.services.worklist.editing import TaskEditing
from desktop.services.worklist.lifecycle import WorkListLifecycle
from desktop.services.worklist.queries import WorkListQueries
from desktop.ui import dialogs
from desktop.ui.error_report import show_error
from desktop.ui.forms import hint
from desktop.ui.notices.correction_dialog import CorrectionDialog
from desktop.ui.notices.create_list_dialog import CreateListDialog
from desktop.ui.notices.measure_view import ORANGE, MeasureDetail
from desktop.ui.notices.tree_model import KEY_ROLE, KIND_ROLE, NoticeTreeModel, nodes_from_tree


class NoticeBrowser(QWidget):
    import_requested = Signal()
    list_created = Signal(int)

    def __init__(
        self,
        notices: NoticeService,
        worklists: WorkListQueries,
        office: OfficeService | None = None,
        parent: QWidget | None = None,
        *,
        lifecycle: WorkListLifecycle,
        editing: TaskEditing,
    ) -> None:
        super().__init__(parent)
        self._notices = notices
        self._worklists = worklists
        self._lifecycle, self._editing = lifecycle, editing
        self._office = office
        self.tree_data: NoticeTree | None = None
        self._measures: dict[int, MeasureView] = {}
        self._coverage: dict[int, int] = {}
        self._excluded: dict[int, str] = {}
        self._build()
        self.reload()

    # layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        title = QLabel("上级文件")
        title.setObjectName("pageTitle")
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(QLabel("文件："))
        self.chooser = QComboBox()
        self.chooser.setMinimumWidth(460)
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        top.addWidget(self.chooser)
        self.import_button = QPushButton("导入新文件…")
        self.delete_button = QPushButton("删除…")
        self.delete_button.setToolTip("删除没有清单使用的文件（内置文件不能删除）")
        top.addWidget(self.import_button)
        top.addWidget(self.delete_button)
        layout.addLayout(top)

        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.info)
        self.doc_warnings = QLabel()
        self.doc_warnings.setObjectName("banner")
        self.doc_warnings.setWordWrap(True)
        layout.addWidget(self.doc_warnings)

        search_row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("搜索条目：输入任意文字即时筛选，如“养老”“省科技厅”“集聚区”")
        search_row.addWidget(self.search, 1)
        self.found = QLabel()
        self.found.setObjectName("hint")
        self.found.setMinimumWidth(200)
        search_row.addWidget(self.found)
        layout.addLayout(search_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = NoticeTreeModel(with_coverage=True, parent=self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.splitter.addWidget(self.tree)
        self.detail = MeasureDetail()
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        layout.addWidget(self.splitter, 1)

        bottom = QHBoxLayout()
        self.lists_label = hint()
        bottom.addWidget(self.lists_label, 1)
        self.create_button = QPushButton("为本级建立年度清单…")
        self.create_button.setObjectName("primary")
        bottom.addWidget(self.create_button)
        layout.addLayout(bottom)

        self.chooser.currentIndexChanged.connect(self._notice_chosen)
        self.import_button.clicked.connect(self.import_requested)
        self.delete_button.clicked.connect(self.delete_notice)
        self.search.textChanged.connect(self.set_search)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.detail.correct_requested.connect(self.correct_measure)
        self.create_button.clicked.connect(self.create_list)

    # loading ----------------------------------------------------------------------------

    def current_notice_id(self) -> int | None:
        value = self.chooser.currentData()
        return int(value) if value is not None else None

    def reload(self, select_id: int | None = None) -> None:
        """Re-read the notices (after an import, or when the area is shown again)."""
        keep = select_id if select_id is not None else self.current_notice_id()
        notices = self._notices.list()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for n in notices:
            mark = "（内置）" if n.builtin else ""
            self.chooser.addItem(f"{n.doc_number}  {n.title}{mark}", n.id)
            tip = f"{n.title}\n{n.measures} 个条目"
            self.chooser.setItemData(self.chooser.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        ids = [n.id for n in notices]
        fallback = next((n.id for n in notices if n.builtin), ids[0] if ids else None)
        chosen = keep if keep in ids else fallback
        self.chooser.setCurrentIndex(ids.index(chosen) if chosen is not None else -1)
        self.chooser.blockSignals(False)
        self._load_notice(keep_measure=chosen == keep)

    def _notice_chosen(self, _row: int) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.set_filter("")
        self._load_notice(keep_measure=False)

    def _load_notice(self, *, keep_measure: bool) -> None:
        previous = self.detail.measure.id if keep_measure and self.detail.measure else None
        notice_id = self.current_notice_id()
        has_notice = notice_id is not None
        for w in (self.delete_button, self.create_button, self.search):
            w.setEnabled(has_notice)
        if notice_id is None:
            self.tree_data = None
            self.model.set_nodes([])
            self.info.setText("还没有上级文件。请点“导入新文件…”导入一份通知。")
            self.doc_warnings.hide()
            self.detail.show_message("")
            self.lists_label.clear()
            return
        tree = self._notices.tree(notice_id)
        self.tree_data = tree
        self._coverage = self._notices.coverage_counts(notice_id)
        self._excluded = self._notices.not_applicable(notice_id)
        self._measures = {m.id: m for m in tree.measures}
        self.delete_button.setEnabled(not tree.notice.builtin)
        self.model.set_nodes(nodes_from_tree(tree, self._coverage, self._excluded))
        self.model.set_filter(self.search.text())
        self.tree.expandAll()
        self.tree.header().resizeSection(1, 260)
        self._show_info(tree)
        self._update_found()
        target = previous if previous in self._measures else None
        if target is None and tree.measures:
            target = tree.measures[0].id
        if target is not None:
            self.select_measure(target)

    def _show_info(self, tree: NoticeTree) -> None:
        n = tree.notice
        facts = [
            f"发文机关：{n.issuer}" if n.issuer else "",
            f"成文日期：{n.issued_on}" if n.issued_on else "",
            f"施行日期：{tree.effective_on}" if tree.effective_on else "",
            f"共 {n.measures} 个条目",
        ]
        lines = [f'<span style="font-size:12pt; font-weight:bold;">{html.escape(n.title)}</span>']
        lines.append(html.escape("　".join(x for x in facts if x)))
        if tree.headline_targets:
            goals = "；".join(t.display() for t in tree.headline_targets)
            lines.append(f"<b>总体目标：</b>{html.escape(goals)}")
        if tree.generic_for_all:
            who = "、".join(tree.generic_for_all)
            lines.append(f"<b>文件要求：</b>每个条目同时由{html.escape(who)}落实。")
        if tree.lead_rule:
            lines.append(f"<b>牵头规则：</b>{html.escape(tree.lead_rule)}")
        self.info.setText("<br/>".join(lines))
        self.doc_warnings.setText("导入时的提示：" + "；".join(tree.warnings))
        self.doc_warnings.setVisible(bool(tree.warnings))
        self._show_lists(tree)

    def _show_lists(self, tree: NoticeTree) -> None:
        mine = [
            s
            for s in self._worklists.lists(own=True, current_only=True)
            if s.notice_id == tree.notice.id
        ]
        covered = sum(1 for m in tree.measures if self._coverage.get(m.id))
        excluded = sum(
            1 for m in tree.measures if m.id in self._excluded and not self._coverage.get(m.id)
        )
        total = len(tree.measures)
        if not mine:
            self.lists_label.setText(
                "本级还没有依据这份文件的清单。点右边的按钮建立，可一键生成初稿。"
            )
            return
        lists = "、".join(f"{s.year}年（{s.tasks} 项任务，{s.state_label}）" for s in mine)
        gap = total - covered - excluded
        rest = f"，{excluded} 条不适用" if excluded else ""
        rest += f'，<span style="color:{ORANGE};">未分解 {gap} 条</span>' if gap else "，没有遗漏"
        self.lists_label.setText(f"本级清单：{lists}。已分解 {covered}/{total} 条{rest}。")

    # the tree and the detail ------------------------------------------------------------

    def select_measure(self, measure_id: int) -> None:
        index = self.model.index_of(measure_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_node(current)

    def _show_node(self, index: QModelIndex) -> None:
        tree = self.tree_data
        if tree is None or not index.isValid():
            self.detail.show_message("在左侧选择一个条目，查看它的全文、责任单位和目标指标。")
            return
        key = index.data(KEY_ROLE)
        if index.data(KIND_ROLE) == "measure" and key in self._measures:
            m = self._measures[key]
            self.detail.show_measure(
                m,
                path=self._path(m),
                coverage=self._coverage.get(m.id, 0),
                not_applicable=self._excluded.get(m.id, ""),
                generic_for_all=tree.generic_for_all,
                query=self.model.query,
            )
            return
        node = self.model.node(index)
        if node is None:
            return
        rows = "".join(
            f"<li>{html.escape(x.label)}"
            + (
                f"　<span style='color:#2f7d32;'>{x.coverage} 项任务</span>"
                if x.coverage
                else "　<span style='color:#7b8794;'>不适用</span>"
                if x.excluded
                else f"　<span style='color:{ORANGE};'>未分解</span>"
            )
            + "</li>"
            for x in node.measures()
        )
        self.detail.show_html(f"<h3>{html.escape(node.label)}</h3><ul>{rows}</ul>")

    def _path(self, m: MeasureView) -> str:
        tree = self.tree_data
        parts: list[str] = []
        section = tree.section(m.section_id) if tree else None
        while section is not None and tree is not None:
            if section.code != m.code:
                parts.insert(0, section.label)
            section = tree.section(section.parent_id)
        return " › ".join(parts)

    def set_search(self, text: str) -> None:
        current = self.detail.measure.id if self.detail.measure else None
        self.model.set_filter(text)
        self.tree.expandAll()
        self._update_found()
        if current is not None and self.model.index_of(current).isValid():
            self.select_measure(current)
        else:
            matches = self.model.matching_keys()
            if matches and isinstance(matches[0], int):
                self.select_measure(matches[0])
            else:
                self.detail.show_message("没有条目包含这些文字。")

    def _update_found(self) -> None:
        query = self.model.query
        if not query:
            self.found.setText("")
        elif self.model.match_count():
            self.found.setText(f"找到 {self.model.match_count()} 个条目")
        else:
            self.found.setText(f"没有条目包含“{query}”")

    # actions ----------------------------------------------------------------------------

    def correct_measure(self, measure_id: int) -> None:
        m = self._measures.get(measure_id)
        if m is None:
            return
        dialog = CorrectionDialog(self._notices, m, self)
        if dialogs.run_dialog(dialog) and dialog.saved is not None:
            self._load_notice(keep_measure=True)

    def delete_notice(self) -> None:
        tree = self.tree_data
        if tree is None:
            return
        n = tree.notice
        if not dialogs.confirm(
            self,
            "删除上级文件",
            f"删除 {n.doc_number}（{n.title}）及其全部 {n.measures} 个条目？\n"
            "只有没有清单使用的文件才能删除；删除后可以重新导入。",
            ok="删除",
        ):
            return
        try:
            self._notices.delete(n.id)
        except Exception as err:
            show_error(self, err, title="无法删除")
            return
        self.reload()

    def create_list(self) -> None:
        tree = self.tree_data
        if tree is None:
            return
        taken = {s.year for s in self._worklists.lists(own=True) if s.notice_id == tree.notice.id}
        year = self._lifecycle.suggested_year(tree.notice.id)
        locality = self._office.get().locality if self._office else ""
        dialog = CreateListDialog(tree.notice.doc_number, locality, year, taken, self)
        accepted = dialogs.run_dialog(dialog)
        chosen = (dialog.chosen_year(), dialog.chosen_cadence(), dialog.with_draft())
        if not accepted:
            return
        try:
            created = self._lifecycle.create(tree.notice.id, chosen[0], cadence=chosen[1])
        except Exception as err:
            show_error(self, err, title="无法建立清单")
            return
        message = f"已建立“{created.display}”。"
        if chosen[2]:
            try:
                draft = self._editing.generate_draft(created.id)
            except Exception as err:
                show_error(self, err, title="清单已建立，但初稿没有生成")
            else:
                message += f"已按 {draft.measures} 个条目生成初稿，共 {draft.tasks} 项任务。"
        self._load_notice(keep_measure=True)
        message += "\n\n接下来可在“年度清单”中编辑任务、校验并上报。"
        dialogs.info(self, "清单已建立", message)
        self.list_created.emit(created.id)
