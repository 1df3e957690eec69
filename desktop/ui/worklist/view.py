"""The list screen's reading side: choose a list, show its tasks, filter, select.

The screen holds the plain rows of the list (``RowView``), filters and sorts them in Python
and hands the result to a thin table model. Statuses (序时进度) are computed in the
background after the rows are shown, so a 20,000-task list opens at once. What the user
changes (save, add, delete, check …) is in ``page.WorkListPage``, built on this class.

Longer than 500 lines: lists, filters and search, selection and the editor, and the
background statuses all read and set the same few fields of the screen (the list shown,
its rows, the selection), so they stay in one class rather than talk through signals.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack

from desktop.core.figures import TaskFigures
from desktop.errors import UserError
from desktop.services.notices.service import NoticeService
from desktop.services.office.local_units import UnitService
from desktop.services.progress.service import ProgressService
from desktop.services.worklist.queries import CoverageRow, WorkListQueries
from desktop.services.worklist.rows import WorkListSummary
from desktop.services.worklist.task_rows import TaskRow, paused_gc
from desktop.ui import dialogs
from desktop.ui.background import run_in_background
from desktop.ui.error_report import show_error
from desktop.ui.worklist.layout import WorkListLayout
from desktop.ui.worklist.notice_index import NoticeIndex
from desktop.ui.worklist.rows import (
    STATUS_COLUMN,
    FilterState,
    RowView,
    apply_filters,
    build_view,
    build_views,
    lead_units_in,
    patched_views,
    sort_views,
)


def _checked_rows(rows: Iterable[TaskRow]) -> list[TaskRow]:
    """The rows as 校验 reads them (a task closed out is the same task to the check)."""
    return [replace(r, closed_on=None) for r in rows]


@dataclass(frozen=True)
class _ListRead:
    """A list as read for the screen (``_read_list``), before it is shown."""

    summary: WorkListSummary
    index: NoticeIndex
    views: list[RowView]
    coverage: Any
    unit_names: list[str]
    search_ids: frozenset[int] | None


STATE_COLOURS = {"draft": "#52606d", "checked": "#2e7d32", "submitted": "#1f3a5f"}


class WorkListView(WorkListLayout):
    statuses_ready = Signal()
    list_loaded = Signal()

    def __init__(
        self,
        worklists: WorkListQueries,
        units: UnitService,
        notices: NoticeService,
        progress: ProgressService,
    ) -> None:
        super().__init__()
        self._worklists, self._units = worklists, units
        self._notices, self._progress = notices, progress
        self._summary: WorkListSummary | None = None
        self._index: NoticeIndex | None = None
        self._indexes: dict[int, NoticeIndex] = {}
        self._views: list[RowView] = []
        self._pos: dict[int, int] = {}
        self._statuses: dict[int, TaskFigures] = {}
        self._search_ids: frozenset[int] | None = None
        self._coverage: list[CoverageRow] = []
        self._sort: tuple[int, bool] | None = None  # column, descending
        self.undo_stack = QUndoStack(self)  # task edits while the screen is open
        self._status_generation = 0
        self._load_generation = 0  # the list read last: an older read arriving is dropped
        self._loading = False  # the first list is being read in the background
        self._running = 0  # background jobs not yet reported back
        self._busy = False  # a change or a check is running: the tools wait
        self._new_after: int | None = None
        self._reverting = False
        self._wire_view()

    def _wire_view(self) -> None:
        self.list_combo.activated.connect(self._list_chosen)
        self.filters.changed.connect(self.apply)
        self.filters.search_changed.connect(self._search)
        self.model.sort_requested.connect(self._sort_requested)
        self.filters.sort_cleared.connect(self.clear_sort)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_tools())
        self.table.activated.connect(self._open_in_editor)
        self.editor.dirty_changed.connect(lambda _d: self._update_tools())
        self.coverage.measure_chosen.connect(self.show_measure)
        QShortcut(
            QKeySequence("Ctrl+F"),
            self,
            self.focus_search,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    # implemented by the page -------------------------------------------------------------

    def save_task(self) -> bool:
        raise NotImplementedError

    def revert_task(self) -> None:
        raise NotImplementedError

    # state -------------------------------------------------------------------------------

    def idle(self) -> bool:
        return self._running == 0

    # lists -----------------------------------------------------------------------------

    def reload_lists(self, select: int | None = None) -> None:
        try:
            lists = self._worklists.lists(own=True)
        except UserError as err:
            show_error(self, err)
            return
        lists.sort(key=lambda s: (not s.is_current, -s.year, s.doc_number, -s.version))
        current = self._summary.id if self._summary else None
        wanted = select or current
        self.list_combo.blockSignals(True)
        self.list_combo.clear()
        for s in lists:
            self.list_combo.addItem(s.display, s.id)
        self.list_combo.blockSignals(False)
        if not lists:
            self._summary = None
            self._views, self._pos = [], {}
            self.model.set_views([])
            self.editor.load(None)
            self._update_chrome()
            return
        ids = [s.id for s in lists]
        target = wanted if wanted in ids else ids[0]
        self.list_combo.setCurrentIndex(ids.index(target))
        fresh = next(s for s in lists if s.id == target)
        other = self._summary is None or target != current or select is not None
        # changed elsewhere (progress, import): re-read, unless edits are waiting
        stale = self._summary is not None and fresh.updated_at != self._summary.updated_at
        if self._summary is None and select is None:
            self._load_first_list(target)  # nothing shown yet: the screen shows, then fills
        elif other or (stale and not self.editor.is_dirty()):
            self.load_list(target)
        else:
            self._summary = fresh
            self._update_chrome()
            self._refresh_statuses()

    def _list_chosen(self, combo_index: int) -> None:
        list_id = self.list_combo.itemData(combo_index)
        if self._summary is not None and list_id == self._summary.id:
            return
        if not self._confirm_leave("当前任务"):
            self._show_list_in_combo()
            return
        self.load_list(list_id)

    def _show_list_in_combo(self) -> None:
        if self._summary is not None:
            i = self.list_combo.findData(self._summary.id)
            if i < 0:  # opened from another screen before this one listed it
                self.list_combo.addItem(self._summary.display, self._summary.id)
                i = self.list_combo.count() - 1
            self.list_combo.blockSignals(True)
            self.list_combo.setCurrentIndex(i)
            self.list_combo.blockSignals(False)

    def load_list(self, list_id: int, *, select: list[int] | None = None) -> None:
        """(Re)read the list and its rows, selecting ``select`` (the first one opens in the
        editor). The editor keeps its task when the list stays; another list is shown only
        after unsaved edits were dealt with (other screens call this too)."""
        other_list = self._summary is not None and self._summary.id != list_id
        if other_list and not self._confirm_leave("当前任务"):
            self._show_list_in_combo()
            return
        self._load_generation += 1  # a first read still running in the background is overtaken
        try:
            read = self._read_list(list_id, self._search_wanted(), self._statuses)
        except UserError as err:
            show_error(self, err)
            return
        self._show_read(list_id, read, select)

    def _load_first_list(self, list_id: int) -> None:
        """The first list the screen shows is read off the UI thread (a 20,000-task list takes
        a good part of a second): meanwhile the screen says it is reading it, and the list
        fills in when the rows have arrived."""
        self._load_generation += 1
        generation = self._load_generation
        search = self._search_wanted()
        self._loading = True
        self._running += 1
        self._update_chrome()

        def arrived(read: _ListRead) -> None:
            if not shiboken6.isValid(self):
                return
            self._running -= 1
            if generation != self._load_generation:
                return  # another list was chosen meanwhile and is shown
            self._loading = False
            self._show_read(list_id, read, None)

        def failed(err: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self._running -= 1
            if generation != self._load_generation:
                return
            self._loading = False
            self._update_chrome()
            show_error(self, err)

        run_in_background(
            lambda _job: self._read_list(list_id, search, {}, indexes=dict(self._indexes)),
            on_done=arrived,
            on_error=failed,
        )

    def _search_wanted(self) -> str | None:
        """The search to run again with the list's rows (read on the UI thread)."""
        text = self.filters.search_text()
        return text if self._search_ids is not None and text else None

    def _read_list(
        self,
        list_id: int,
        search: str | None,
        statuses: dict[int, TaskFigures],
        *,
        indexes: dict[int, NoticeIndex] | None = None,
    ) -> _ListRead:
        """Everything ``_show_read`` shows, read through the services (no widget is touched:
        this also runs off the UI thread, with a copy of the notice indexes)."""
        indexes = self._indexes if indexes is None else indexes
        summary = self._worklists.get(list_id)
        index = indexes.get(summary.notice_id)
        if index is None:
            index = NoticeIndex(self._notices.tree(summary.notice_id))
        rows = self._worklists.rows(list_id)
        return _ListRead(
            summary=summary,
            index=index,
            views=build_views(rows, index, statuses),
            coverage=self._worklists.coverage(list_id),
            unit_names=self._units.unit_names(),
            search_ids=None
            if search is None
            else frozenset(self._worklists.search(list_id, search)),
        )

    def _show_read(self, list_id: int, read: _ListRead, select: list[int] | None) -> None:
        summary, index = read.summary, read.index
        self._indexes[summary.notice_id] = index
        if read.search_ids is not None:
            self._search_ids = read.search_ids
        same_list = self._summary is not None and self._summary.id == list_id
        if same_list and self._summary is not None:
            # progress, 销号 or a carry-over stamp the list too, but leave what 校验 read alone
            checked = (_checked_rows(r.row for r in self._views), self._coverage)
            moved = summary.updated_at != self._summary.updated_at and not summary.frozen
            if moved and checked != (_checked_rows(v.row for v in read.views), read.coverage):
                self.check_panel.mark_stale(summary.state_label)
        else:
            self._statuses = {}
            self.undo_stack.clear()
            self._reset_sort()  # another list or version opens in its own order
            self.editor.load(None)
            self.check_panel.set_result(None)
            self.filters.clear_measure()
        if not same_list or self._index is not index:
            self.filters.set_sections(index)
        self._summary, self._index = summary, index
        self.model.notice_index = index
        self._views = read.views
        self._pos = {v.row.id: i for i, v in enumerate(self._views)}
        used = lead_units_in(self._views)
        unit_names = read.unit_names
        in_use, known = set(used), set(unit_names)
        # the office's own order first, then names typed freely on tasks
        self.filters.set_lead_units(
            [u for u in unit_names if u in in_use] + [u for u in used if u not in known]
        )
        self.editor.set_context(index, unit_names, summary.year)
        self.coverage.set_rows(read.coverage, index)
        self._coverage = read.coverage
        self._show_list_in_combo()
        self.apply(select=select)
        if select and select[0] in self._pos:
            self._open_selected(select)
        self._update_chrome()
        self._refresh_statuses()
        self.list_loaded.emit()

    def _open_selected(self, ids: list[int]) -> None:
        """Make the chosen tasks visible (clearing filters that hide them) and open the first."""
        if self.model.row_of(ids[0]) is None:
            self._search_ids = None
            self.filters.clear()
            self.apply(select=ids)
        if ids[0] != self.editor.current_id() and self._confirm_leave("当前任务"):
            self._load_task(ids[0])

    def refresh_summary(self) -> None:
        """The list's state may have changed (an edit returns 已校验 to 草稿)."""
        if self._summary is None:
            return
        try:
            fresh = self._worklists.get(self._summary.id)
        except UserError as err:
            show_error(self, err)
            return
        if fresh.updated_at != self._summary.updated_at and not fresh.frozen:
            self.check_panel.mark_stale(fresh.state_label)
        self._summary = fresh
        i = self.list_combo.findData(self._summary.id)
        if i >= 0:
            self.list_combo.setItemText(i, self._summary.display)
        self._update_chrome()

    def refresh_coverage(self) -> None:
        if self._summary is not None:
            self._coverage = self._worklists.coverage(self._summary.id)
            self.coverage.set_rows(self._coverage, self._index)

    # filtering, sorting, searching -----------------------------------------------------

    def filter_state(self) -> FilterState:
        f = self.filters
        return FilterState(
            section_id=f.section.currentData(),
            measure_id=f.measure_id,
            lead_unit=f.lead.currentData(),
            status=f.status.currentData(),
            problems_only=f.problems.isChecked(),
            search_ids=self._search_ids,
        )

    def apply(self, *, select: list[int] | None = None) -> None:
        """Filter and sort the rows in Python and reset the model with the result."""
        editing = self.editor.current_id()
        keep = select or self.selected_ids() or ([editing] if editing is not None else [])
        shown = apply_filters(self._views, self.filter_state())
        if self._sort is not None and self._index is not None:
            shown = sort_views(shown, self._sort[0], self._sort[1], self._index)
        self.model.set_views(shown)
        self.filters.set_count(len(shown), len(self._views))
        self._select_rows(keep, scroll=bool(select))
        self._update_tools()

    def _search(self, text: str) -> None:
        q = text.strip()
        if not q or self._summary is None:
            self._search_ids = None
        else:
            try:
                self._search_ids = frozenset(self._worklists.search(self._summary.id, q))
            except UserError as err:
                show_error(self, err)
                return
        self.apply()

    def _sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        if column < 0:
            self._sort = None
        else:
            self._sort = (column, order == Qt.SortOrder.DescendingOrder)
        self.filters.set_sort(self._sort)
        self.apply()

    def clear_sort(self) -> None:
        """Back to the list's own order (编号), as the list is printed and numbered."""
        self._reset_sort()
        self.apply()

    def _reset_sort(self) -> None:
        self._sort = None
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self.filters.set_sort(None)

    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def show_measure(self, measure_id: int) -> None:
        label = self._index.measure_full.get(measure_id, "") if self._index else ""
        self.filters.set_measure(measure_id, label)

    # selection and the editor ----------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.view(r).row.id for r in rows]

    def _select_rows(self, ids: list[int], *, scroll: bool = False) -> None:
        sm = self.table.selectionModel()
        rows = [r for r in (self.model.row_of(i) for i in ids) if r is not None]
        self._reverting = True
        try:
            sm.clearSelection()
            for n, r in enumerate(rows):
                flags = QItemSelectionModel.SelectionFlag.Select | (
                    QItemSelectionModel.SelectionFlag.Rows
                )
                if n == 0:
                    sm.setCurrentIndex(self.model.index(r, 0), flags)
                else:
                    sm.select(self.model.index(r, 0), flags)
            if rows and scroll:
                self.table.scrollTo(self.model.index(rows[0], 0))
        finally:
            self._reverting = False

    def select_task(self, task_id: int) -> bool:
        """Show and select a task, clearing filters that hide it; loads it in the editor."""
        if task_id not in self._pos:
            return False
        if self.model.row_of(task_id) is None:
            self._search_ids = None
            self.filters.clear()
            self.apply()
        if self.editor.current_id() != task_id and not self._confirm_leave("当前任务"):
            return False
        self._select_rows([task_id], scroll=True)
        self._load_task(task_id)
        return True

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._reverting or not current.isValid():
            return
        task_id = self.model.view(current.row()).row.id
        if task_id == self.editor.current_id():
            return
        if not self._confirm_leave("当前任务"):
            back = self.editor.current_id()
            # after the view has finished handling the click that moved the selection
            QTimer.singleShot(0, lambda: self._select_rows([back] if back is not None else []))
            return
        self._load_task(task_id)

    def _open_in_editor(self, index: QModelIndex) -> None:
        """Enter or double-click on a row: show 任务详情 (the other tabs may be in front),
        then put the cursor in the task's text, so what is typed goes where it is seen."""
        if not index.isValid():
            return
        if self.model.view(index.row()).row.id != self.editor.current_id():
            return  # leaving the task being edited was refused: it stays as it is
        self.tabs.setCurrentWidget(self.editor)
        self.editor.focus_content()

    def _load_task(self, task_id: int) -> None:
        try:
            record = self._worklists.task(task_id)
        except UserError as err:
            show_error(self, err)
            return
        self._new_after = None
        self.editor.load(record)
        self._update_tools()

    def _confirm_leave(self, what: str) -> bool:
        """Ask about unsaved edits; True when it is fine to show something else."""
        if not self.editor.is_dirty():
            return True
        answer = dialogs.ask_save_changes(self, what)
        if answer == "save":
            return self.save_task()
        if answer == "discard":
            self.revert_task()
            return True
        return False

    # rows after an edit ------------------------------------------------------------------

    def _replace_row(self, task_id: int) -> None:
        if self._summary is None or self._index is None:
            return
        try:
            row = self._worklists.row(self._summary.id, task_id)
        except UserError:
            return
        view = build_view(row, self._index, self._statuses.get(task_id))
        pos = self._pos.get(task_id)
        if pos is not None:
            self._views[pos] = view
        self.model.replace(view)

    def _patch(self, fresh: Collection[int] = (), *, select: list[int] | None = None) -> None:
        """Bring the rows up to date after an edit of this screen: the list's order and
        numbers, and the rows of the ``fresh`` (new or changed) tasks, are read again;
        every other row stays as it is (``patched_views``). Falls back to ``load_list`` when
        the list changed beyond what this screen did."""
        if self._summary is None or self._index is None:
            return
        list_id = self._summary.id
        try:
            patch = self._worklists.patch(list_id, fresh)
        except UserError as err:
            show_error(self, err)
            return
        views = patched_views(self._views, patch.order, patch.rows, self._index, self._statuses)
        if views is None:
            self.load_list(list_id, select=select)
            return
        self._views = views
        self._pos = {v.row.id: i for i, v in enumerate(views)}
        self.apply(select=select)
        if select and select[0] in self._pos:
            self._open_selected(select)
        self.refresh_coverage()
        self.refresh_summary()
        if fresh:
            self._refresh_statuses()  # new tasks have none yet; in the background

    # statuses in the background --------------------------------------------------------

    def _refresh_statuses(self) -> None:
        if self._summary is None:
            return
        self._status_generation += 1
        generation, list_id, progress = self._status_generation, self._summary.id, self._progress
        self._running += 1

        def compute(_job: object) -> dict[int, TaskFigures]:
            with paused_gc():  # thousands of small results that all stay alive
                return dict(progress.figures(list_id).tasks)

        run_in_background(
            compute,
            on_done=lambda result: self._statuses_done(generation, list_id, result),
            on_error=self._background_failed,
        )

    def _statuses_done(
        self, generation: int, list_id: int, statuses: dict[int, TaskFigures]
    ) -> None:
        if not shiboken6.isValid(self):
            return
        self._running -= 1
        if generation != self._status_generation or self._summary is None:
            return
        if self._summary.id != list_id:
            return
        self._statuses = statuses
        for v in self._views:
            v.with_figures(statuses.get(v.row.id))
        sorted_by_status = self._sort is not None and self._sort[0] == STATUS_COLUMN
        if self.filters.status.currentData() is not None or sorted_by_status:
            self.apply()
        else:
            self.model.statuses_changed()
        self.statuses_ready.emit()

    def _background_failed(self, err: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._running -= 1
        self._set_busy(False)
        show_error(self, err)

    # chrome ----------------------------------------------------------------------------

    def frozen(self) -> bool:
        return self._summary is None or self._summary.frozen

    def _update_chrome(self) -> None:
        s = self._summary
        if s is None and self._loading:
            self.body.setCurrentIndex(0)
            self.empty.setText("正在读取清单……")
            self.state_badge.hide()
            self.banner.hide()
        elif s is None:
            self.body.setCurrentIndex(0)
            self.empty.setText(
                "还没有年度清单。\n\n点击右上角的“新建清单”，选择上级文件和年度，"
                "再点“生成初稿”，即可按条目拟出本级任务。"
            )
            self.state_badge.setText("")
            self.state_badge.hide()
            self.banner.hide()
        else:
            self.body.setCurrentIndex(1)
            colour = STATE_COLOURS.get(s.state, "#52606d")
            self.state_badge.setText(s.state_label)
            self.state_badge.setStyleSheet(
                f"color: white; background: {colour}; border-radius: 3px; padding: 3px 10px;"
                " font-weight: bold;"
            )
            self.state_badge.show()
            if s.state == "submitted":
                when = f"于 {s.submitted_at[:10]} " if s.submitted_at else ""
                self.banner.setText(
                    f"第{s.version}版已{when}上报，已冻结，只能查看。"
                    "如需修改，请点击右上角“开始新版本”，在新版本中编辑；已上报的版本保持不变。"
                )
                self.banner.show()
            elif not s.is_current:
                self.banner.setText(f"这是第{s.version}版（历史版本），只能查看。")
                self.banner.show()
            else:
                self.banner.hide()
        editable = not self.frozen()
        idle = not self._busy
        self.draft_button.setEnabled(editable and idle)
        self.per_sentence.setEnabled(editable)
        self.check_button.setEnabled(s is not None and idle)
        self.delete_list_button.setEnabled(s is not None and idle)
        self.new_list_button.setEnabled(idle)
        self.new_version_button.setEnabled(idle)
        self.new_version_button.setVisible(
            s is not None and s.state == "submitted" and s.is_current
        )
        self.editor.set_read_only(not editable)
        self.coverage.set_editable(editable)
        self.check_panel.set_editable(editable)
        self._update_tools()

    def _update_tools(self) -> None:
        editable = not self.frozen() and not self._busy
        ids = self.selected_ids()
        plain_order = self._sort is None and not self.filter_state().active
        self.add_button.setEnabled(editable)
        self.delete_button.setEnabled(editable and bool(ids))
        stack = self.undo_stack
        self.undo_button.setEnabled(editable and stack.canUndo())
        self.redo_button.setEnabled(editable and stack.canRedo())
        self.undo_button.setToolTip(
            f"撤销：{stack.undoText()}（Ctrl+Z）" if stack.canUndo() else "没有可撤销的修改"
        )
        self.redo_button.setToolTip(
            f"重做：{stack.redoText()}（Ctrl+Y）" if stack.canRedo() else "没有可重做的修改"
        )
        self.split_button.setEnabled(editable and len(ids) == 1)
        self.merge_button.setEnabled(editable and len(ids) >= 2)
        self.renumber_button.setEnabled(editable and bool(self._views))
        for b in (self.up_button, self.down_button):
            b.setEnabled(editable and len(ids) == 1 and plain_order)
            b.setToolTip("在清单中移动一位" if plain_order else "请先清除筛选和排序，再调整顺序")

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        """A change or a check runs in the background: the buttons that would start another
        wait, and the busy bar with ``text`` says what is happening."""
        self._busy = busy
        for b in (
            self.draft_button,
            self.check_button,
            self.new_list_button,
            self.delete_list_button,
            self.new_version_button,
        ):
            b.setEnabled(not busy)
        self.check_panel.set_busy(busy)
        self.busy_bar.setVisible(busy)
        self.busy_bar.setRange(0, 0)  # busy, amount unknown, until a job reports its steps
        if not busy:
            self.cancel_button.hide()
        if busy:
            self._say(text)
            self._update_tools()
        else:
            self._update_chrome()

    def default_dates(self) -> tuple[date, date]:
        year = self._summary.year if self._summary else date.today().year
        return date(year, 1, 1), date(year, 12, 31)
