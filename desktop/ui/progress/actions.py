"""The progress screen's actions beyond typing: freeze and unfreeze a period, the status
thresholds, and the year-end close-out (销号) and carry-over (结转).

``ProgressActions`` is a small controller. It holds the services; each action gets the list,
period or rows it acts on, asks what it needs through ``desktop.ui.dialogs``, calls one
service method (one transaction) and returns what the screen should do next (``Follow``).
The page owns its state and brings itself up to date. A refusal is shown as the service
words it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum

from PySide6.QtWidgets import QWidget

from desktop.core.dates import chinese_date
from desktop.core.periods import as_of_label
from desktop.services.office.service import OfficeService
from desktop.services.progress.freezing import PeriodFreezing, UnexplainedLaggingError
from desktop.services.progress.service import PeriodView, ProgressRow, ProgressService
from desktop.services.progress.yearend import YearEndService
from desktop.ui import dialogs
from desktop.ui.background import off_ui_thread
from desktop.ui.error_report import show_error
from desktop.ui.progress.threshold_dialog import ThresholdDialog
from desktop.ui.progress.yearend_dialogs import CarryOverDialog, CloseOutDialog


class Follow(Enum):
    """What the screen does after an action."""

    NOTHING = "nothing"
    PERIODS = "periods"  # re-read the periods (a frozen mark changed) and the period's rows
    RELOAD = "reload"  # re-read the rows, keeping the unsaved edits
    UNEXPLAINED = "unexplained"  # show just the lagging tasks that lack a reason
    LISTS = "lists"  # re-read the lists (结转 may have created one)


class ProgressActions:
    def __init__(
        self,
        parent: QWidget,
        *,
        progress: ProgressService,
        freezing: PeriodFreezing,
        yearend: YearEndService,
        office: OfficeService,
        save_first: Callable[[str], bool],
    ) -> None:
        """``save_first(why)``: unsaved edits must be in the database before ``why`` (the
        screen asks to save them); True to go on."""
        self._parent = parent
        self._progress, self._freezing = progress, freezing
        self._yearend, self._office = yearend, office
        self._save_first = save_first

    # freezing ------------------------------------------------------------------------------

    def freeze_or_unfreeze(self, list_id: int | None, period: PeriodView | None) -> Follow:
        if period is None or list_id is None:
            return Follow.NOTHING
        if period.frozen:
            return self.unfreeze(list_id, period)
        return self.freeze(list_id, period)

    def freeze(self, list_id: int, period: PeriodView) -> Follow:
        page = self._parent
        if not self._save_first("冻结"):
            return Follow.NOTHING
        try:
            summary = off_ui_thread(page, lambda: self._progress.summary(list_id, period.id))
        except Exception as err:
            show_error(page, err, title="未能冻结")
            return Follow.NOTHING
        if summary.unexplained:  # the service would refuse: say so before asking anything
            return self._refused(UnexplainedLaggingError(period.label, list(summary.unexplained)))
        as_of = as_of_label(summary.as_of or period.end)
        text = (
            f"冻结后，{period.label}的进展不能再修改；“{as_of}”的进展台账将按现在的内容"
            "固定下来，以后随时可以原样重印。\n\n"
        )
        if summary.missing:
            text += (
                f"本期应填报 {summary.expected} 项，已填报 {summary.reported} 项。"
                f"尚有 {summary.missing} 项未填报，冻结后不能再补填，确定冻结吗？"
            )
        else:
            text += f"确定冻结{period.label}？"
        if not dialogs.confirm(page, "冻结本期", text, ok="冻结"):
            return Follow.NOTHING
        try:
            # the period's ledger is kept as it stands: seconds for a large list
            off_ui_thread(page, lambda: self._freezing.freeze_period(list_id, period.id))
        except UnexplainedLaggingError as err:
            return self._refused(err)
        except Exception as err:
            show_error(page, err, title="未能冻结")
            return Follow.NOTHING
        dialogs.info(page, "冻结本期", f"{period.label}已冻结。")
        return Follow.PERIODS

    def _refused(self, err: UnexplainedLaggingError) -> Follow:
        """Freezing refused for unexplained lags: say which, and show just those tasks."""
        dialogs.warning(self._parent, "暂不能冻结", str(err))
        return Follow.UNEXPLAINED

    def unfreeze(self, list_id: int, period: PeriodView) -> Follow:
        page = self._parent
        reason = dialogs.ask_text(
            page,
            "解冻本期",
            f"解冻后可以修改{period.label}的进展；重新冻结之前，本期进展台账按修改后的内容打印。\n"
            "请写明解冻理由（记入审计日志）：",
        )
        if reason is None:
            return Follow.NOTHING
        try:
            off_ui_thread(page, lambda: self._freezing.unfreeze_period(list_id, period.id, reason))
        except Exception as err:
            show_error(page, err, title="未能解冻")
            return Follow.NOTHING
        return Follow.PERIODS

    # thresholds ----------------------------------------------------------------------------

    def edit_thresholds(self) -> Follow:
        page = self._parent
        try:
            current = self._progress.thresholds()
        except Exception as err:
            show_error(page, err)
            return Follow.NOTHING
        dialog = ThresholdDialog(current)
        if not dialogs.run_dialog(dialog):
            return Follow.NOTHING
        try:
            self._progress.set_thresholds(dialog.thresholds())
        except Exception as err:
            show_error(page, err, title="未能保存状态阈值")
            return Follow.NOTHING
        return Follow.RELOAD

    # year end ------------------------------------------------------------------------------

    def close_out(self, list_id: int | None, rows: list[ProgressRow], year: int) -> Follow:
        """销号 of the chosen ``rows`` of ``list_id`` (a list of ``year``)."""
        page = self._parent
        if list_id is None:
            return Follow.NOTHING
        if not rows:
            dialogs.warning(
                page, "任务销号", "请先在表格中选择要销号的任务（可按住 Ctrl 或 Shift 多选）。"
            )
            return Follow.NOTHING
        if not self._save_first("销号"):
            return Follow.NOTHING
        rows = [r for r in rows if r.closed_on is None]
        if not rows:
            dialogs.info(page, "任务销号", "选中的任务都已销号。")
            return Follow.NOTHING
        dialog = CloseOutDialog(
            [(r.number, r.content) for r in rows],
            _default_day(year),
            self._office.get().operator,
        )
        if not dialogs.run_dialog(dialog):
            return Follow.NOTHING
        on, evidence, by = dialog.values()
        try:
            ids = [r.task_id for r in rows]
            done = off_ui_thread(
                page, lambda: self._yearend.close_out_many(list_id, ids, on, evidence, by)
            )
        except Exception as err:
            show_error(page, err, title="未能销号")
            return Follow.NOTHING
        dialogs.info(page, "任务销号", f"已销号 {len(done)} 项任务。")
        return Follow.RELOAD

    def reopen(self, row: ProgressRow | None) -> Follow:
        page = self._parent
        if row is None:
            return Follow.NOTHING
        if row.closed_on is None:
            dialogs.info(page, "撤销销号", f"任务 {row.number} 没有销号。")
            return Follow.NOTHING
        reason = dialogs.ask_text(page, "撤销销号", f"撤销任务 {row.number} 的销号。请写明理由：")
        if reason is None:
            return Follow.NOTHING
        try:
            self._yearend.reopen(row.task_id, reason)
        except Exception as err:
            show_error(page, err, title="未能撤销销号")
            return Follow.NOTHING
        return Follow.RELOAD

    def carry_over(self, list_id: int | None, year: int) -> Follow:
        """结转 of ``list_id``'s unfinished tasks (a list of ``year``) into a later year."""
        page = self._parent
        if list_id is None or not self._save_first("结转"):
            return Follow.NOTHING
        try:
            as_of = self._yearend.year_not_over(list_id)
        except Exception as err:
            show_error(page, err)
            return Follow.NOTHING
        if as_of is not None and not dialogs.confirm(
            page,
            "结转未完成任务",
            f"{year}年尚未结束。现在结转，新年度任务的备注将写明截至"
            f"{chinese_date(as_of)}的完成百分比；本年度此后的进展不会带到"
            "新年度清单。\n\n通常在年底、本年度进展填报完后再结转。确定现在结转吗？",
            ok="继续结转",
        ):
            return Follow.NOTHING
        yearend = self._yearend
        try:
            dialog = CarryOverDialog(year, lambda to_year: yearend.carry_preview(list_id, to_year))
        except Exception as err:
            show_error(page, err)
            return Follow.NOTHING
        if not dialogs.run_dialog(dialog):
            return Follow.NOTHING
        try:
            year_to, chosen = dialog.target_year(), dialog.chosen_ids()
            result = off_ui_thread(page, lambda: yearend.carry_over(list_id, year_to, chosen))
        except Exception as err:
            show_error(page, err, title="未能结转")
            return Follow.NOTHING
        created = "（新建）" if result.created else ""
        skipped = f"；另有 {result.skipped} 项此前已结转" if result.skipped else ""
        dialogs.info(
            page,
            "结转完成",
            f"已将 {result.added} 项未完成任务结转到 {result.year} 年清单{created}{skipped}。\n"
            "可在“年度清单”中查看和编辑；新年度的节点（形象进度）请重新设置。",
        )
        return Follow.LISTS


def _default_day(year: int) -> date:
    today = date.today()
    return today if today.year == year else date(year, 12, 31)
