"""进展填报: each period's progress, typed down the list, saved together, frozen when done.

The screen picks a list and a period (the current one preselected; a padlock marks frozen ones),
shows every task with this period's entry, last period's text and the computed status, and
an entry form for the current task. Edits stay pending until 保存 (Ctrl+S), which writes them
all in one transaction; switching list or period, or closing, asks first, and a safety copy
of the pending edits survives a crash (``safety``). Rows are read off the UI thread, so a
list of twenty thousand tasks does not freeze the window. Freezing, the thresholds and the
year-end actions are in ``actions`` (a small controller that returns what the page does next).

Longer than 500 lines: the list, the period, the table and the form beside it are read and
set together by nearly every method (a selected row fills the form; saving, discarding and
filtering select again); split apart they would talk through private attributes.
"""

from __future__ import annotations

import logging
from datetime import date
from functools import partial

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
)

from desktop.core.dates import chinese_month_day
from desktop.core.status import Status, Thresholds
from desktop.services.office.service import OfficeService
from desktop.services.progress.freezing import PeriodFreezing
from desktop.services.progress.service import (
    PeriodView,
    ProgressEntry,
    ProgressRow,
    ProgressService,
)
from desktop.services.progress.unsaved import UnsavedProgress
from desktop.services.progress.yearend import YearEndService
from desktop.services.worklist.queries import WorkListQueries
from desktop.ui import dialogs
from desktop.ui.background import off_ui_thread, run_in_background
from desktop.ui.error_report import show_error
from desktop.ui.list_choice import working_list
from desktop.ui.progress import safety
from desktop.ui.progress.actions import Follow, ProgressActions
from desktop.ui.progress.layout import ProgressLayout
from desktop.ui.progress.model import COLUMN

log = logging.getLogger(__name__)

# how long after an edit the safety copy of the pending edits is written
DRAFT_DELAY_MS = 5000
CLOSED_HINT = "已销号的任务不能再填报，如需修改请先撤销销号。"


class ProgressPage(ProgressLayout):
    saved = Signal()

    def __init__(
        self,
        progress: ProgressService,
        worklists: WorkListQueries,
        yearend: YearEndService,
        office: OfficeService,
        *,
        freezing: PeriodFreezing,
        unsaved: UnsavedProgress,
    ) -> None:
        super().__init__()
        self.progress, self.worklists, self.unsaved = progress, worklists, unsaved
        self.controller = ProgressActions(
            self,
            progress=progress,
            freezing=freezing,
            yearend=yearend,
            office=office,
            save_first=lambda why: self.confirm_leave(f"{why}之前，本期进展"),
        )
        self.list_id: int | None = None
        self.list_year = date.today().year
        self.period: PeriodView | None = None
        self.as_of: date | None = None  # the day the period's status is read at
        self._periods: list[PeriodView] = []
        self._token = 0
        self._loading = False
        self._from_form = False
        self._pending_task: int | None = None
        self._fresh = True
        self.thresholds = Thresholds()
        self._wire()
        self.populate_lists()

    # wiring ----------------------------------------------------------------------------

    def _wire(self) -> None:
        self.list_combo.currentIndexChanged.connect(self._list_chosen)
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        self.filter_combo.currentIndexChanged.connect(self._apply_filter)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.draft_timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self._keep_safety_copy)
        self._summary_timer = QTimer(self, singleShot=True, interval=150)
        self._summary_timer.timeout.connect(self._update_summary)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        act, follow = self.controller, self._follow
        self.freeze_button.clicked.connect(
            lambda: follow(act.freeze_or_unfreeze(self.list_id, self.period))
        )
        self.threshold_button.clicked.connect(lambda: follow(act.edit_thresholds()))
        self.close_action.triggered.connect(
            lambda: follow(act.close_out(self.list_id, self.selected_rows(), self.list_year))
        )
        self.reopen_action.triggered.connect(lambda: follow(act.reopen(self.current_row())))
        self.carry_action.triggered.connect(
            lambda: follow(act.carry_over(self.list_id, self.list_year))
        )
        self.model.dirty_changed.connect(self._update_buttons)
        self.model.entry_changed.connect(self._entry_changed)
        self.model.modelReset.connect(self._update_summary)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.form.edited.connect(self._form_edited)
        self.form.next_requested.connect(self.next_task)
        for keys, slot in (
            (QKeySequence.StandardKey.Save, self.save),
            (QKeySequence("Ctrl+Return"), self.next_task),
            (QKeySequence("Ctrl+Enter"), self.next_task),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    # the main window's calls -------------------------------------------------------------

    def may_close(self) -> bool:
        return self.confirm_leave()

    def activated(self) -> None:
        if self._fresh:  # the constructor has just loaded
            self._fresh = False
            return
        if not self.model.is_dirty():
            self.populate_lists(self.list_id)

    def show_task(self, list_id: int, task_id: int) -> None:
        """Bring ``task_id`` of ``list_id`` into view in the current period."""
        if list_id != self.list_id:
            if not self.confirm_leave():
                return
            self.populate_lists(list_id)
        self._pending_task = task_id
        if not self._loading:
            self._select_pending()

    def show_list(
        self, list_id: int, filter_key: str | None = None, period_id: int | None = None
    ) -> None:
        """Open ``list_id`` at ``period_id`` (None: its default period), optionally filtered
        (e.g. "unreported")."""
        if not self.confirm_leave():
            return
        self.list_id = None  # so that the period is chosen again
        self.populate_lists(list_id, period_id)
        if filter_key is not None:
            self.set_filter(filter_key)

    def is_loading(self) -> bool:
        return self._loading

    # lists and periods -----------------------------------------------------------------

    def populate_lists(self, select_id: int | None = None, period_id: int | None = None) -> None:
        lists = self.worklists.lists(own=True, current_only=True)
        ids = [s.id for s in lists]
        chosen = select_id if select_id in ids else working_list(lists)
        self.fill_lists(lists, chosen)
        if chosen is not None:
            self.list_year = lists[ids.index(chosen)].year
        has_lists = bool(lists)
        self.empty.setVisible(not has_lists)
        for w in (self.splitter, self.summary, self.filter_combo, self.search):
            w.setVisible(has_lists)
        if chosen is None:  # no list (left): no periods of a list that is gone
            self.list_id, self.period, self._periods = None, None, []
            self.period_combo.blockSignals(True)
            self.period_combo.clear()
            self.period_combo.blockSignals(False)
            self._update_buttons()
            return
        keep_period = self.period.id if self.period and chosen == self.list_id else period_id
        self.list_id = chosen
        self._open_list(keep_period)

    def _open_list(self, period_id: int | None = None) -> None:
        assert self.list_id is not None
        try:
            self._periods = self.progress.periods(self.list_id)
            current = self.progress.current_period(self.list_id)
        except Exception as err:
            show_error(self, err, title="无法读取填报周期")
            return
        ids = [p.id for p in self._periods]
        chosen = period_id if period_id in ids else current.id
        self.fill_periods(self._periods, chosen)
        self._open_period(chosen)

    def refresh_periods(self) -> None:
        """Re-read the periods (frozen marks) and reload the current one."""
        if self.list_id is not None and self.period is not None:
            self._open_list(self.period.id)

    def _open_period(self, period_id: int) -> None:
        self.period = next(p for p in self._periods if p.id == period_id)
        self.reload()

    def _list_chosen(self, index: int) -> None:
        new_id = self.list_combo.itemData(index)
        if new_id == self.list_id:
            return
        if not self.confirm_leave():
            self.restore_choice(self.list_combo, self.list_id)
            return
        self.populate_lists(new_id)

    def _period_chosen(self, index: int) -> None:
        new_id = self.period_combo.itemData(index)
        if self.period is None or new_id == self.period.id:
            return
        if not self.confirm_leave():
            self.restore_choice(self.period_combo, self.period.id)
            return
        self._open_period(new_id)

    # loading ---------------------------------------------------------------------------

    def reload(self, *, keep_edits: bool = False) -> None:
        """Read the period's rows off the UI thread; a newer reload wins over an older one."""
        if self.list_id is None or self.period is None:
            return
        self._token += 1
        self._loading = True
        self._update_buttons()
        self.summary.setText("正在读取……")
        list_id, period_id, token = self.list_id, self.period.id, self._token

        def work(_job: object) -> tuple[list[ProgressRow], Thresholds, date]:
            return (
                self.progress.rows(list_id, period_id),
                self.progress.thresholds(),
                self.progress.period_as_of(list_id, period_id),
            )

        run_in_background(
            work,
            on_done=partial(self._loaded, token, keep_edits),
            on_error=partial(self._load_failed, token),
        )

    def _loaded(self, token: int, keep_edits: bool, result: object) -> None:
        if token != self._token or self.period is None:
            return
        assert isinstance(result, tuple)
        rows: list[ProgressRow] = result[0]
        self.thresholds = result[1]
        self._loading = False
        current = self.form.task_id
        self.as_of = result[2]
        self.model.load(
            rows,
            as_of=self.as_of,
            period=(self.period.start, self.period.end),
            thresholds=self.thresholds,
            read_only=self.period.frozen or self.period.future,  # not begun: shown, not filled
            keep_edits=keep_edits,
        )
        if not keep_edits and self.list_id is not None:
            restored = safety.offer_copy(self, self.unsaved, self.list_id, self.period)
            if restored:
                self.model.apply_edits(restored)
        if self._pending_task is None and current is not None:
            self._pending_task = current
        if not self._select_pending() and self.model.rowCount() > 0:
            self.table.setCurrentIndex(self.model.index(0, COLUMN["text"]))
        self._update_buttons()

    def _load_failed(self, token: int, err: BaseException) -> None:
        if token != self._token:
            return
        self._loading = False
        self.summary.setText("进展未能读取。")
        self._update_buttons()
        show_error(self, err, title="无法读取进展")

    # selection and the form -------------------------------------------------------------

    def _select_pending(self) -> bool:
        task_id, self._pending_task = self._pending_task, None
        if task_id is None or not self.model.has_task(task_id):
            return False
        row = self.model.visible_row_of(task_id)
        if row < 0:  # hidden by the filter: show everything
            self.filter_combo.blockSignals(True)
            self.filter_combo.setCurrentIndex(0)
            self.filter_combo.blockSignals(False)
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.model.set_filter("all")
            row = self.model.visible_row_of(task_id)
        self.table.setCurrentIndex(self.model.index(row, COLUMN["text"]))
        # centred by its first column, so the table does not scroll sideways
        self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def current_row(self) -> ProgressRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def selected_rows(self) -> list[ProgressRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return [self.model.row_at(r) for r in rows]

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.form.show_entry(None, "", None, read_only=True)
            self.panel.show_task(None, None, [])
            return
        r = self.model.row_at(current.row())
        self._show_form(current.row())
        try:
            history = self.progress.history(r.task_id)
        except Exception:  # the panel is a convenience; the row is still typed
            # no message box while the user moves down the list, but never a silent bug
            log.warning("未能读取任务 %s 的进展记录", r.task_id, exc_info=True)
            history = []
        self.panel.show_task(r, self.model.status_at(current.row()), history)

    def _show_form(self, row: int) -> None:
        r = self.model.row_at(row)
        status = self.model.status_at(row)
        frozen = self.period is not None and self.period.frozen
        closed = r.closed_on is not None
        self.form.show_entry(
            self.model.entry_at(row),
            f"{r.number} {r.content[:30]}{'…' if len(r.content) > 30 else ''}",
            self.period.end if self.period else None,
            read_only=frozen or self.model.read_only or closed,
            lagging=status.status is Status.LAGGING and not closed,
            status_text=CLOSED_HINT if closed else f"状态：{status.label}。{status.explanation}",
            finished_before=r.finished_before,
        )

    def _form_edited(self, entry: ProgressEntry) -> None:
        row = self.model.visible_row_of(entry.task_id)
        if row < 0:
            return
        self._from_form = True
        try:
            self.model.set_entry(row, entry)
        finally:
            self._from_form = False

    def _entry_changed(self, task_id: int) -> None:
        row = self.model.visible_row_of(task_id)
        if row >= 0 and task_id == self.form.task_id:
            status = self.model.status_at(row)
            if self._from_form:
                self.form.set_lagging(
                    status.status is Status.LAGGING, f"状态：{status.label}。{status.explanation}"
                )
            else:
                self._show_form(row)
            self.panel.update_status(self.model.row_at(row), status)
        self._summary_timer.start()
        if not self.draft_timer.isActive():
            self.draft_timer.start()

    def next_task(self) -> None:
        """On to the next task that can still be reported (closed-out ones are passed by)."""
        index = self.table.currentIndex()
        row = index.row() + 1 if index.isValid() else 0
        while row < self.model.rowCount() and self.model.row_at(row).closed_on is not None:
            row += 1
        if row >= self.model.rowCount():
            return
        self.table.setCurrentIndex(self.model.index(row, COLUMN["text"]))
        self.form.focus_text()

    def _apply_filter(self) -> None:
        current = self.form.task_id
        self.model.set_filter(self.filter_combo.currentData(), self.search.text())
        self._reselect(current)

    def _reselect(self, task_id: int | None) -> None:
        """Select ``task_id`` again (else the first row) and show it in the form."""
        row = self.model.visible_row_of(task_id) if task_id is not None else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, COLUMN["text"]))
            self._show_form(row)
        else:
            self._current_changed(QModelIndex(), QModelIndex())

    def set_filter(self, key: str) -> None:
        self.filter_combo.setCurrentIndex(self.filter_combo.findData(key))

    # saving ----------------------------------------------------------------------------

    def save(self) -> bool:
        """Write every pending edit of the period in one transaction; False if refused."""
        if not self.model.is_dirty() or self.list_id is None or self.period is None:
            return True
        save = partial(self.progress.save, self.list_id, self.period.id, self.model.edited())
        try:  # off the UI thread, the page disabled and the cursor busy meanwhile
            changed = off_ui_thread(self, save)
        except Exception as err:
            show_error(self, err, title="未能保存")
            return False
        self.model.accept_saved()
        self._drop_safety_copy()
        self.summary.setText(f"已保存 {changed} 项任务的进展。")
        self.saved.emit()
        self.reload()
        return True

    def revert(self) -> None:
        if self.model.is_dirty() and dialogs.confirm(
            self, "撤销修改", "放弃本期尚未保存的全部修改？", ok="放弃修改"
        ):
            self.discard_edits()

    def confirm_leave(self, what: str | None = None) -> bool:
        """Before unsaved edits would be lost (or ``what`` needs them stored): save, discard,
        or stay."""
        if not self.model.is_dirty():
            return True
        if what is None:
            what = f"{self.period.label if self.period else '本期'}的进展"
        answer = dialogs.ask_save_changes(self, what)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.discard_edits()
            return True
        return False

    def discard_edits(self) -> None:
        """Back to what is stored, the form too (the next keystroke edits the stored entry)."""
        task_id = self.form.task_id
        self.model.discard_edits()
        self._drop_safety_copy()
        self._reselect(task_id)
        self._update_buttons()

    def _keep_safety_copy(self) -> None:
        if self.list_id is None or self.period is None or not self.model.is_dirty():
            return
        safety.keep_copy(self.unsaved, self.list_id, self.period.id, self.model.edited())

    def _drop_safety_copy(self) -> None:
        self.draft_timer.stop()
        safety.drop_copy(self.unsaved)

    def _follow(self, follow: Follow) -> None:
        """Bring the screen up to date after an action (``actions``)."""
        if follow is Follow.PERIODS:
            self.refresh_periods()
        elif follow is Follow.RELOAD:
            self.reload(keep_edits=True)
        elif follow is Follow.UNEXPLAINED:
            self.set_filter("unexplained")
        elif follow is Follow.LISTS:
            self.populate_lists(self.list_id)

    # state -----------------------------------------------------------------------------

    def _update_summary(self) -> None:
        if self.period is None or self._loading:
            return
        p = self.period
        expected, reported, lagging, unexplained = self.model.tally()
        due = f"，应于{chinese_month_day(p.due_on)}前填报" if p.due_on else ""
        span = f"{chinese_month_day(p.start)}—{chinese_month_day(p.end)}"
        text = f"{p.label}（{span}）{due}　已填报 {reported}/{expected}　滞后 {lagging}"
        if unexplained:
            text += f"（{unexplained} 项未说明原因或下步打算）"
        edits = len(self.model.edited())
        if edits:
            text += f"　· {edits} 项修改未保存"
        self.summary.setText(text)

    def _update_buttons(self, *_args: object) -> None:
        has_period = self.period is not None and not self._loading
        frozen = bool(self.period and self.period.frozen)
        future = bool(self.period and self.period.future)
        dirty = self.model.is_dirty()
        self.save_button.setEnabled(has_period and dirty)
        self.revert_button.setEnabled(has_period and dirty)
        self.freeze_button.setEnabled(has_period and not future)
        self.freeze_button.setText("解冻本期…" if frozen else "冻结本期")
        self.threshold_button.setEnabled(True)
        self.yearend_button.setEnabled(has_period)
        self.list_combo.setEnabled(not self._loading)
        self.period_combo.setEnabled(not self._loading)
        self.show_frozen(self.period if frozen or future else None)
        self._summary_timer.start()
