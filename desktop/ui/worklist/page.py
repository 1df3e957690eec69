"""年度清单: the page the main window shows — the list screen and what the user does on it.

Save, add, delete and undo, split, merge, move, renumber, draft, mark 不适用, check, accept
warnings, new list, delete list, new version: each method is one user action, calls one
service method (one transaction) and then brings the screen up to date. Changes of the
list's tasks, drafting, checking, deleting a list and a new version run in the background
(``_edit``) with a busy bar; afterwards only what changed is read again (``_patch``), not
the whole list.

Longer than 500 lines: one method per action of the screen, each reading and setting the
same few fields of the page (the list shown, its rows, the selection, the editor); split
across modules they would talk through private attributes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar, cast

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut

from desktop.core.checks import CheckIssue, CheckResult
from desktop.core.reports.model import Cancelled
from desktop.core.worklist import TaskRecord
from desktop.errors import NotFoundError, UserError
from desktop.services.notices.service import NoticeService
from desktop.services.office.local_units import UnitService
from desktop.services.progress.service import ProgressService
from desktop.services.worklist.checks import WorkListChecks
from desktop.services.worklist.delete import ListDeletion
from desktop.services.worklist.editing import DeletedTasks, DraftResult, TaskEditing
from desktop.services.worklist.lifecycle import WorkListLifecycle
from desktop.services.worklist.queries import WorkListQueries
from desktop.services.worklist.rows import WorkListSummary
from desktop.ui import dialogs
from desktop.ui.background import Job, run_in_background
from desktop.ui.error_report import show_error
from desktop.ui.worklist.fields import UnitField
from desktop.ui.worklist.list_dialogs import NewListDialog, SplitDialog, deletion_question
from desktop.ui.worklist.localise_dialog import LocaliseDialog
from desktop.ui.worklist.undo import TaskCommand, step_back
from desktop.ui.worklist.view import WorkListView

_SUFFIX = re.compile(r"^(.*-)(\d+)$")
T = TypeVar("T")


class WorkListPage(WorkListView):
    def __init__(
        self,
        worklists: WorkListQueries,
        units: UnitService,
        notices: NoticeService,
        progress: ProgressService,
        *,
        lifecycle: WorkListLifecycle,
        editing: TaskEditing,
        checks: WorkListChecks,
    ) -> None:
        super().__init__(worklists, units, notices, progress)
        self._lifecycle, self._editing, self._checks = lifecycle, editing, checks
        self._cancel_job: Job | None = None  # the change 取消 would stop
        self._wire_actions()
        self._update_chrome()

    def _wire_actions(self) -> None:
        self.new_list_button.clicked.connect(self.new_list)
        self.delete_list_button.clicked.connect(self.delete_list)
        self.draft_button.clicked.connect(self.generate_draft)
        self.check_button.clicked.connect(self.run_check)
        self.new_version_button.clicked.connect(self.start_new_version)
        self.editor.save_requested.connect(self.save_task)
        self.editor.revert_requested.connect(self.revert_task)
        self.editor.add_unit_requested.connect(self.add_unit)
        self.add_button.clicked.connect(lambda: self.new_task())
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self.undo)
        self.redo_button.clicked.connect(self.redo)
        self.split_button.clicked.connect(self.split_current)
        self.merge_button.clicked.connect(self.merge_selected)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.renumber_button.clicked.connect(self.renumber)
        self.cancel_button.clicked.connect(self.cancel_change)
        self.coverage.new_task_requested.connect(self.new_task)
        self.coverage.not_applicable_requested.connect(self.mark_not_applicable)
        self.coverage.clear_not_applicable_requested.connect(self.clear_not_applicable)
        self.check_panel.issue_chosen.connect(self.go_to_issue)
        self.check_panel.localise_requested.connect(self.localise)
        self.check_panel.check_requested.connect(self.run_check)
        self.check_panel.accept_requested.connect(self.accept_warnings)
        self.check_panel.revoke_requested.connect(self.revoke_warnings)
        page = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+S"), self, self.save_task, context=page)
        QShortcut(QKeySequence("Ctrl+N"), self, lambda: self.new_task(), context=page)
        # on the table only: in a text field Delete and Ctrl+Z edit the text
        table = Qt.ShortcutContext.WidgetShortcut
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.table,
            self.delete_selected,
            context=table,
        )
        # 撤销 / 重做 anywhere on the screen; a text field being typed in keeps its own
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, self.undo, context=page)
        for keys in ("Ctrl+Y", "Ctrl+Shift+Z"):
            QShortcut(QKeySequence(keys), self, self.redo, context=page)
        self.undo_stack.indexChanged.connect(self._undo_moved)

    # the main window's interface -------------------------------------------------------

    def activated(self) -> None:
        """The area is shown: lists may have been created or changed elsewhere."""
        self.reload_lists()

    def may_close(self) -> bool:
        """Asked before the program closes: unsaved edits are saved, dropped or kept open."""
        return self._confirm_leave("当前任务")

    # saving the editor -----------------------------------------------------------------

    def save_task(self) -> bool:
        """保存 / Ctrl+S: store the task in the editor; False when it was not saved."""
        if self._summary is None or not self.editor.has_task() or self.frozen():
            return False
        if not self.editor.is_dirty():
            return True
        record = self.editor.record()
        before = self.editor.stored()
        is_new = record.id is None
        try:
            saved = self._editing.save_task(
                self._summary.id, record, after=self._new_after if is_new else None
            )
        except UserError as err:
            show_error(self, err, title="任务未保存")
            return False
        assert saved.id is not None
        self._new_after = None
        self.editor.mark_saved(saved)
        if is_new:
            self._push_added(saved)
        elif before is not None:
            self._push_edit(before, saved)
        if is_new:
            self._patch([saved.id], select=[saved.id])
        else:
            self._replace_row(saved.id)
            self.refresh_coverage()
            self.refresh_summary()
            self._refresh_statuses()
        self._say(f"已保存任务 {saved.number}".rstrip())
        return True

    def add_unit(self, field: UnitField) -> None:
        """新增单位…: a unit the office's list lacks is added to it (an explicit step, with its
        own name typed once), then ticked on the task."""
        name = dialogs.ask_required_text(
            self,
            "新增单位",
            "新增的单位将加入本级单位名单（可在“单位设置”中修改），并勾选到这项任务。\n"
            "单位名称（如：县数据局）：",
            missing="请填写单位名称。",
            field="lead_units",
        )
        if name is None or not name.strip():
            return
        try:
            names = self._units.add_unit(name)
        except UserError as err:
            show_error(self, err, title="单位未新增")
            return
        added = name.strip() if name.strip() in names else names[-1]
        self.editor.set_unit_choices(names)
        field.add(added)
        self._say(f"已把“{added}”加入本级单位名单")

    def revert_task(self) -> None:
        """放弃修改: show the task as stored (a new, unsaved task is dropped)."""
        task_id = self.editor.current_id()
        self._new_after = None
        if task_id is None:
            self.editor.load(None)
            return
        self._load_task(task_id)

    # adding and removing ---------------------------------------------------------------

    def new_task(self, measure_id: int | None = None) -> None:
        """Ctrl+N: an unsaved task in the editor, placed below the current one on save."""
        if self.frozen() or not self._confirm_leave("当前任务"):
            return
        start, deadline = self.default_dates()
        current = self.editor.current_id()
        base = self._views[self._pos[current]].row if current in self._pos else None
        if measure_id is None:
            measure_id = self.filters.measure_id
        if measure_id is None and base is not None and base.measure_ids:
            measure_id = base.measure_ids[0]
        record = TaskRecord(start_on=start, deadline=deadline, origin="manual")
        after = current
        if measure_id is not None:
            record.measure_ids = [measure_id]
            group = [v.row for v in self._views if measure_id in v.row.measure_ids[:1]]
            if group:
                last = group[-1]
                after = last.id
                record.lead_units = list(last.lead_units)
                record.co_units = list(last.co_units)
                m = _SUFFIX.match(last.number)
                if m:
                    record.number = f"{m.group(1)}{int(m.group(2)) + 1}"
        self._new_after = after
        self.tabs.setCurrentWidget(self.editor)
        self.editor.load(record)
        self._select_rows([])
        self.editor.focus_content()
        self._say("正在新增任务：填写后点击“保存”（Ctrl+S）")

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if self._summary is None or self.frozen() or not ids:
            return
        numbers = "、".join(self._views[self._pos[i]].row.number or "（未编号）" for i in ids[:5])
        more = f"等 {len(ids)} 项" if len(ids) > 5 else ""
        if not dialogs.confirm(
            self,
            "删除任务",
            f"删除任务 {numbers}{more}？\n删除后可点击“撤销”（Ctrl+Z）恢复。",
            ok="删除",
        ):
            return
        list_id, editing = self._summary.id, self._editing

        def deleted(done: DeletedTasks) -> None:
            self._push_deleted(done)
            if self.editor.current_id() in ids:
                self.editor.load(None)
            self._patch()
            self._say(f"已删除 {len(ids)} 项任务，可点击“撤销”（Ctrl+Z）恢复")

        self._edit("正在删除任务……", lambda: editing.delete_tasks(list_id, ids), deleted)

    # 撤销 / 重做 ---------------------------------------------------------------------------

    def undo(self) -> None:
        """撤销 / Ctrl+Z: the last task edit made on this screen, taken back."""
        if self._can_step() and self.undo_stack.canUndo():
            self._say(f"正在撤销：{self.undo_stack.undoText()}")
            self.undo_stack.undo()

    def redo(self) -> None:
        """重做 / Ctrl+Y: the edit last taken back, made again."""
        if self._can_step() and self.undo_stack.canRedo():
            self._say(f"正在重做：{self.undo_stack.redoText()}")
            self.undo_stack.redo()

    def _undo_moved(self, _index: int) -> None:
        if shiboken6.isValid(self.table):  # the stack outlives the table when the page goes
            self._update_tools()

    def _can_step(self) -> bool:
        if self._summary is None or self.frozen() or self._busy:
            return False
        return self._confirm_leave("当前任务")

    def _ids(self) -> Callable[[str], int]:
        """uid → id as the screen holds them now (read on the UI thread, looked up later)."""
        ids = {v.row.uid: v.row.id for v in self._views}

        def task_id(uid: str) -> int:
            if uid not in ids:
                raise NotFoundError("这项任务已不在清单中，无法撤销。")
            return ids[uid]

        return task_id

    def _stepped(self, undone: bool, text: str) -> Callable[[object], None]:
        def done(_result: object) -> None:
            self._say(f"已{'撤销' if undone else '重做'}：{text}")

        return done

    def _step_failed(self, undone: bool) -> Callable[[BaseException], None]:
        def failed(err: BaseException) -> None:
            step_back(self.undo_stack, undone)  # still there to try again
            show_error(self, err, title="未能撤销" if undone else "未能重做")

        return failed

    def _step(
        self, undone: bool, text: str, work: Callable[[], T], done: Callable[[T], None]
    ) -> None:
        """Run one side of a command in the background, like any other change."""
        said = self._stepped(undone, text)

        def finished(result: T) -> None:
            done(result)
            said(result)

        verb = "撤销" if undone else "重做"
        self._edit(f"正在{verb}……", work, finished, self._step_failed(undone))

    def _put(self, record: TaskRecord, undone: bool, text: str) -> None:
        """Store ``record`` (a task as it was, or as it was made) over the task with its uid."""
        list_id, editing = self._require_list(), self._editing

        task_id = self._ids()

        def work() -> TaskRecord:
            rec = record.copy()
            rec.id = task_id(record.uid)
            return editing.save_task(list_id, rec)

        def done(saved: TaskRecord) -> None:
            assert saved.id is not None
            if self.editor.current_id() == saved.id:
                self.editor.load(saved)
            self._patch([saved.id], select=[saved.id])

        self._step(undone, text, work, done)

    def _push_edit(self, before: TaskRecord, after: TaskRecord) -> None:
        text = f"修改任务 {after.number}".rstrip()
        self.undo_stack.push(
            TaskCommand(
                text, lambda: self._put(after, False, text), lambda: self._put(before, True, text)
            )
        )

    def _push_added(self, saved: TaskRecord) -> None:
        text = f"新增任务 {saved.number}".rstrip()
        removed: list[DeletedTasks] = []
        self.undo_stack.push(
            TaskCommand(
                text,
                lambda: self._restore(removed, False, text),
                lambda: self._remove([saved.uid], removed, True, text),
            )
        )

    def _push_deleted(self, done: DeletedTasks) -> None:
        numbers = "、".join(r.number for r in done.records[:3])
        text = f"删除任务 {numbers}{'等' if len(done.records) > 3 else ''}"
        removed = [done]
        uids = [r.uid for r in done.records]
        self.undo_stack.push(
            TaskCommand(
                text,
                lambda: self._remove(uids, removed, False, text),
                lambda: self._restore(removed, True, text),
            )
        )

    def _remove(
        self, uids: list[str], removed: list[DeletedTasks], undone: bool, text: str
    ) -> None:
        list_id, editing = self._require_list(), self._editing

        task_id = self._ids()

        def work() -> DeletedTasks:
            return editing.delete_tasks(list_id, [task_id(u) for u in uids])

        def done(result: DeletedTasks) -> None:
            removed[:] = [result]
            if self.editor.current_id() in {r.id for r in result.records}:
                self.editor.load(None)
            self._patch()

        self._step(undone, text, work, done)

    def _restore(self, removed: list[DeletedTasks], undone: bool, text: str) -> None:
        editing, deleted = self._editing, removed[0]

        def done(ids: list[int]) -> None:
            self._patch(ids, select=ids)

        self._step(undone, text, lambda: editing.restore_tasks(deleted), done)

    def _push_moved(self, uid: str, delta: int, number: str) -> None:
        text = f"移动任务 {number}".rstrip()
        self.undo_stack.push(
            TaskCommand(
                text,
                lambda: self._move(uid, delta, False, text),
                lambda: self._move(uid, -delta, True, text),
            )
        )

    def _move(self, uid: str, delta: int, undone: bool, text: str) -> None:
        list_id, editing = self._require_list(), self._editing
        moved: list[int] = []
        task_id = self._ids()

        def work() -> None:
            moved.append(task_id(uid))
            editing.move_task(list_id, moved[0], delta)

        self._step(undone, text, work, lambda _none: self._patch(select=moved))

    def _require_list(self) -> int:
        assert self._summary is not None
        return self._summary.id

    # restructuring ---------------------------------------------------------------------

    def split_current(self) -> None:
        ids = self.selected_ids()
        if self._summary is None or self.frozen() or len(ids) != 1:
            return
        if not self._confirm_leave("当前任务"):
            return
        row = self._views[self._pos[ids[0]]].row
        dialog = SplitDialog(row.number, row.content, self)
        if not dialogs.run_dialog(dialog):
            return
        list_id, editing, parts = self._summary.id, self._editing, dialog.parts()

        def split(new_ids: list[int]) -> None:
            self.undo_stack.clear()  # the edits before it no longer fit the tasks
            self.editor.load(None)
            self._patch(new_ids, select=new_ids)
            self._say(f"已拆分为 {len(new_ids)} 项任务")

        self._edit(
            "正在拆分任务……",
            lambda: editing.split_task(list_id, row.id, parts),
            split,
            self._failed_as("无法拆分"),
        )

    def merge_selected(self) -> None:
        ids = self.selected_ids()
        if self._summary is None or self.frozen() or len(ids) < 2:
            return
        if not self._confirm_leave("当前任务"):
            return
        numbers = "、".join(self._views[self._pos[i]].row.number or "（未编号）" for i in ids)
        if not dialogs.confirm(
            self,
            "合并任务",
            f"把任务 {numbers} 合并为一项？\n工作内容依次合并，条目和单位合在一起，"
            "完成时限取最晚的一个。",
            ok="合并",
        ):
            return
        list_id, editing = self._summary.id, self._editing

        def merged(kept: int) -> None:
            self.undo_stack.clear()  # the edits before it no longer fit the tasks
            self.editor.load(None)
            self._patch([kept], select=[kept])
            self._say(f"已合并 {len(ids)} 项任务")

        self._edit(
            "正在合并任务……",
            lambda: editing.merge_tasks(list_id, ids),
            merged,
            self._failed_as("无法合并"),
        )

    def move_current(self, delta: int) -> None:
        ids = self.selected_ids()
        if self._summary is None or self.frozen() or len(ids) != 1:
            return
        list_id, editing = self._summary.id, self._editing
        row = self._views[self._pos[ids[0]]].row

        def moved(_none: None) -> None:
            self._push_moved(row.uid, delta, row.number)
            self._patch(select=ids)

        self._edit("正在调整顺序……", lambda: editing.move_task(list_id, ids[0], delta), moved)

    def renumber(self) -> None:
        if self._summary is None or self.frozen() or not self._confirm_leave("当前任务"):
            return
        if not dialogs.confirm(
            self,
            "重新编号",
            "按条目顺序给全部任务重新编号（一个条目一项任务编为“3”，多项编为“4-1”“4-2”）？",
            ok="重新编号",
        ):
            return
        list_id, editing = self._summary.id, self._editing

        def renumbered(count: int) -> None:
            self.undo_stack.clear()  # the edits before it no longer fit the tasks
            current = self.editor.current_id()
            self._patch()
            if current is not None:
                self._load_task(current)
            self._say(f"已为 {count} 项任务重新编号")

        self._edit("正在重新编号……", lambda: editing.renumber(list_id), renumbered)

    # 不适用 -------------------------------------------------------------------------------

    def mark_not_applicable(self, measure_id: int, reason: str) -> None:
        if self._summary is None or self.frozen():
            return
        tasks = sum(1 for v in self._views if measure_id in v.row.measure_ids)
        if tasks and not dialogs.confirm(
            self,
            "标为不适用",
            f"这个条目已有 {tasks} 项任务。标为不适用后，这些任务仍保留在清单中。是否继续？",
            ok="标为不适用",
        ):
            return
        try:
            self._editing.set_not_applicable(self._summary.id, measure_id, reason)
        except UserError as err:
            show_error(self, err)
            return
        self.refresh_coverage()
        self.refresh_summary()
        self._say("已标为不适用")

    def clear_not_applicable(self, measure_id: int) -> None:
        if self._summary is None or self.frozen():
            return
        try:
            self._editing.clear_not_applicable(self._summary.id, measure_id)
        except UserError as err:
            show_error(self, err)
            return
        self.refresh_coverage()
        self.refresh_summary()
        self._say("已取消不适用")

    # changes off the UI thread ---------------------------------------------------------

    def _edit(
        self,
        text: str,
        work: Callable[[], T] | Callable[[Job], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None] | None = None,
        *,
        steps: bool = False,
    ) -> None:
        """One change of the list, made off the UI thread: the tools wait and a busy bar
        says what is happening (a change of a 20,000-task list, a backup, a new version can
        take seconds); ``done`` brings the screen up to date once it has committed.

        ``steps``: ``work`` takes the ``Job`` and reports its steps through it; the bar
        shows them and 取消 stops the change before it commits (the service rolls it back
        and raises ``Cancelled``: the screen says so and stays as it was)."""
        self._set_busy(True, text)
        self._running += 1

        def finished(result: T) -> None:
            if not shiboken6.isValid(self):
                return
            self._running -= 1
            self._cancel_job = None
            self._set_busy(False)
            done(result)

        def went_wrong(err: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self._running -= 1
            self._cancel_job = None
            self._set_busy(False)
            if isinstance(err, Cancelled):
                self._say("已取消，清单未改动")
            else:
                (failed or self._failed_as("操作未完成"))(err)
            self._update_tools()  # the handler may have changed what can be done next

        def stepped(finished_steps: int, total: int) -> None:
            if shiboken6.isValid(self) and self._busy:
                self.busy_bar.setRange(0, total)
                self.busy_bar.setValue(finished_steps)

        if not steps:
            plain = cast(Callable[[], T], work)
            run_in_background(lambda _job: plain(), on_done=finished, on_error=went_wrong)
            return
        job = run_in_background(
            cast(Callable[[Job], T], work),
            on_done=finished,
            on_error=went_wrong,
            on_progress=stepped,
        )
        self._cancel_job = job
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()

    def cancel_change(self) -> None:
        """取消: the running change stops at its next step and rolls back."""
        if self._cancel_job is not None and self._busy:
            self._cancel_job.cancel()
            self.cancel_button.setEnabled(False)
            self._say("正在取消……")

    def _failed_as(self, title: str) -> Callable[[BaseException], None]:
        return lambda err: show_error(self, err, title=title)

    # draft and check (in the background) -----------------------------------------------

    def generate_draft(self) -> None:
        if self._summary is None or self.frozen():
            return
        counts = self.coverage.model.counts()
        list_id, per_sentence = self._summary.id, self.per_sentence.isChecked()
        editing = self._editing
        self._set_busy(True, "正在生成初稿…")
        self._running += 1
        run_in_background(
            lambda _job: editing.generate_draft(list_id, per_sentence=per_sentence),
            on_done=lambda result: self._draft_done(list_id, result, counts),
            on_error=self._background_failed,
        )

    def _draft_done(self, list_id: int, result: DraftResult, before: dict[str, int]) -> None:
        if not shiboken6.isValid(self):
            return
        self._running -= 1
        self._set_busy(False)
        self.undo_stack.clear()  # the edits before it no longer fit the tasks
        self.load_list(list_id)
        kept, excluded = before["covered"], before["excluded"]
        if result.tasks:
            text = (
                f"新增 {result.tasks} 项任务（{result.measures} 个条目），"
                f"{kept} 个条目已有任务未改动"
            )
        else:
            text = f"没有新增任务：{kept} 个条目已有任务未改动"
        if excluded:
            text += f"，{excluded} 个条目已标为不适用"
        text += "。"
        self._say(text)
        dialogs.info(self, "生成初稿", text + "\n请逐项检查牵头单位、目标指标和完成时限。")

    def run_check(self) -> None:
        if self._summary is None:
            return
        if not self._confirm_leave("当前任务"):
            return
        list_id, checks = self._summary.id, self._checks
        self._set_busy(True, "正在校验…")
        self.tabs.setCurrentWidget(self.check_panel)
        self._running += 1
        run_in_background(
            lambda _job: checks.check(list_id),
            on_done=lambda result: self._check_done(list_id, result),
            on_error=self._background_failed,
        )

    def _check_done(self, list_id: int, result: CheckResult) -> None:
        if not shiboken6.isValid(self):
            return
        self._running -= 1
        self._set_busy(False)
        if self._summary is None or self._summary.id != list_id:
            return
        self.refresh_summary()
        assert self._summary is not None
        self.check_panel.set_result(result, state_label=self._summary.state_label)
        errors = len(result.errors)
        self.tabs.setTabText(
            self.tabs.indexOf(self.check_panel),
            "校验结果" if result.passed else f"校验结果（{errors + len(result.open_warnings)}）",
        )
        self._say(result.summary())

    def accept_warnings(self, items: list[Any], explanation: str) -> None:
        if self._summary is None or self.frozen():
            return
        try:
            self._checks.accept_warnings(self._summary.id, items, explanation)
        except UserError as err:
            show_error(self, err)
            return
        self.run_check()

    def revoke_warnings(self, keys: list[Any]) -> None:
        if self._summary is None or self.frozen():
            return
        try:
            self._checks.revoke_warnings(self._summary.id, keys)
        except UserError as err:
            show_error(self, err)
            return
        self.run_check()

    def localise(self, issue: CheckIssue) -> None:
        """改为本地目标: the task's text and target rewritten in a form beside the notice's
        wording, saved as one edit; then the check runs again."""
        if self._summary is None or self.frozen() or issue.task_id is None:
            return
        if not self._confirm_leave("当前任务"):
            return
        list_id = self._summary.id
        try:
            task, context = self._checks.local_context(list_id, issue.task_id)
        except UserError as err:
            show_error(self, err)
            return
        dialog = LocaliseDialog(task, context, self)
        if not dialogs.run_dialog(dialog):
            return
        try:
            saved = self._editing.save_task(list_id, dialog.record())
        except UserError as err:
            show_error(self, err, title="任务未保存")
            return
        assert saved.id is not None
        if self.editor.current_id() == saved.id:
            self.editor.load(saved)
        self._replace_row(saved.id)
        self._say(f"已改写任务 {saved.number}".rstrip())
        self.run_check()

    def go_to_issue(self, issue: CheckIssue) -> None:
        if issue.task_id is not None:
            if issue.task_id not in self._pos:
                self._say("这项任务已不在清单中，请重新校验")
            elif self.select_task(issue.task_id):
                self.tabs.setCurrentWidget(self.editor)
        elif issue.measure_id is not None:
            self.show_measure(issue.measure_id)
            self.coverage.select(issue.measure_id)
            self.tabs.setCurrentWidget(self.coverage)

    # lists and versions ----------------------------------------------------------------

    def new_list(self) -> None:
        if not self._confirm_leave("当前任务"):
            return
        try:
            notices = self._notices.list()
        except UserError as err:
            show_error(self, err)
            return
        if not notices:
            dialogs.warning(self, "新建清单", "还没有上级文件，请先在“上级文件”中导入。")
            return
        locality = self._summary.locality if self._summary else ""
        try:
            years = {n.id: self._lifecycle.suggested_year(n.id) for n in notices}
        except UserError as err:
            show_error(self, err)
            return
        dialog = NewListDialog(notices, years, locality, self)
        if not dialogs.run_dialog(dialog):
            return
        notice_id, year, cadence, due_day = dialog.values()
        if notice_id is None:
            return
        try:
            created = self._lifecycle.create(notice_id, year, cadence=cadence, due_day=due_day)
        except UserError as err:
            show_error(self, err, title="无法新建清单")
            return
        self.reload_lists(select=created.id)
        self._say(f"已新建 {created.display}，可点击“生成初稿”")

    def delete_list(self) -> None:
        """删除清单…: the list shown, with all its versions, after a confirmation that says
        what goes; the service backs the database up first."""
        s = self._summary
        if s is None or not self._confirm_leave("当前任务"):
            return
        try:
            plan = self._lifecycle.deletion(s.id)
        except UserError as err:
            show_error(self, err)
            return
        if not dialogs.confirm(self, "删除清单", deletion_question(plan), ok="删除清单"):
            return
        lifecycle, list_id = self._lifecycle, s.id

        def deleted(done: ListDeletion) -> None:
            self._summary = None
            self.undo_stack.clear()
            self.editor.load(None)
            self.reload_lists()
            self._say(f"已删除{done.summary}")

        # OSError: no backup could be written, and nothing was deleted
        self._edit(
            "正在备份数据库并删除清单……",
            lambda job: lifecycle.delete_list(
                list_id, progress=job.progress, cancelled=job.cancelled
            ),
            deleted,
            self._failed_as("清单未删除"),
            steps=True,
        )

    def start_new_version(self) -> None:
        s = self._summary
        if s is None or s.state != "submitted":
            return
        if not dialogs.confirm(
            self,
            "开始新版本",
            f"复制第{s.version}版为新的一版（草稿）进行修改？\n"
            f"已上报的第{s.version}版保持不变，可随时查看。",
            ok="开始新版本",
        ):
            return
        lifecycle, list_id = self._lifecycle, s.id

        def started(new: WorkListSummary) -> None:
            self.reload_lists(select=new.id)
            self._say(f"已开始第{new.version}版，可以修改了")

        self._edit(
            "正在复制为新版本……",
            lambda job: lifecycle.new_version(
                list_id, progress=job.progress, cancelled=job.cancelled
            ),
            started,
            steps=True,
        )
