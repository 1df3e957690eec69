"""The progress screen's actions beyond typing: freeze and unfreeze a period, the status
thresholds, and the year-end close-out (销号) and carry-over (结转).

Each asks what it needs through ``desktop.ui.dialogs``, calls one service method (one
transaction) and reloads the screen; a refusal is shown as the service words it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from desktop.core.periods import as_of_label
from desktop.services.progress.freezing import UnexplainedLaggingError
from desktop.ui import dialogs
from desktop.ui.error_report import show_error
from desktop.ui.progress.threshold_dialog import ThresholdDialog
from desktop.ui.progress.yearend_dialogs import CarryOverDialog, CloseOutDialog

if TYPE_CHECKING:
    from desktop.ui.progress.page import ProgressPage


def _save_first(page: ProgressPage, why: str) -> bool:
    """Unsaved edits must be in the database before ``why``; True to go on."""
    return page.confirm_leave(f"{why}之前，本期进展")


# freezing ----------------------------------------------------------------------------------


def freeze_or_unfreeze(page: ProgressPage) -> None:
    if page.period is None or page.list_id is None:
        return
    if page.period.frozen:
        unfreeze(page)
    else:
        freeze(page)


def freeze(page: ProgressPage) -> None:
    period, list_id = page.period, page.list_id
    if period is None or list_id is None or not _save_first(page, "冻结"):
        return
    try:
        summary = page.progress.summary(list_id, period.id)
    except Exception as err:
        show_error(page, err, title="未能冻结")
        return
    if summary.unexplained:  # the service would refuse: say so before asking anything
        _refused(page, UnexplainedLaggingError(period.label, list(summary.unexplained)))
        return
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
        return
    try:
        page.progress.freeze_period(list_id, period.id)
    except UnexplainedLaggingError as err:
        _refused(page, err)
        return
    except Exception as err:
        show_error(page, err, title="未能冻结")
        return
    dialogs.info(page, "冻结本期", f"{period.label}已冻结。")
    page.refresh_periods()


def _refused(page: ProgressPage, err: UnexplainedLaggingError) -> None:
    """Freezing refused for unexplained lags: say which, and show just those tasks."""
    dialogs.warning(page, "暂不能冻结", str(err))
    page.set_filter("unexplained")


def unfreeze(page: ProgressPage) -> None:
    period, list_id = page.period, page.list_id
    if period is None or list_id is None:
        return
    reason = dialogs.ask_text(
        page,
        "解冻本期",
        f"解冻后可以修改{period.label}的进展；重新冻结之前，本期进展台账按修改后的内容打印。\n"
        "请写明解冻理由（记入审计日志）：",
    )
    if reason is None:
        return
    try:
        page.progress.unfreeze_period(list_id, period.id, reason)
    except Exception as err:
        show_error(page, err, title="未能解冻")
        return
    page.refresh_periods()


# thresholds --------------------------------------------------------------------------------


def edit_thresholds(page: ProgressPage) -> None:
    try:
        current = page.progress.thresholds()
    except Exception as err:
        show_error(page, err)
        return
    dialog = ThresholdDialog(current)
    if not dialogs.run_dialog(dialog):
        return
    try:
        page.progress.set_thresholds(dialog.thresholds())
    except Exception as err:
        show_error(page, err, title="未能保存状态阈值")
        return
    page.reload(keep_edits=True)


# year end ----------------------------------------------------------------------------------


def _default_day(year: int) -> date:
    today = date.today()
    return today if today.year == year else date(year, 12, 31)


def close_out(page: ProgressPage) -> None:
    if page.list_id is None:
        return
    rows = page.selected_rows()
    if not rows:
        dialogs.warning(
            page, "任务销号", "请先在表格中选择要销号的任务（可按住 Ctrl 或 Shift 多选）。"
        )
        return
    if not _save_first(page, "销号"):
        return
    rows = [r for r in rows if r.closed_on is None]
    if not rows:
        dialogs.info(page, "任务销号", "选中的任务都已销号。")
        return
    dialog = CloseOutDialog(
        [(r.number, r.content) for r in rows],
        _default_day(page.list_year),
        page.office.get().operator,
    )
    if not dialogs.run_dialog(dialog):
        return
    on, evidence, by = dialog.values()
    try:
        done = page.yearend.close_out_many(
            page.list_id, [r.task_id for r in rows], on, evidence, by
        )
    except Exception as err:
        show_error(page, err, title="未能销号")
        return
    dialogs.info(page, "任务销号", f"已销号 {len(done)} 项任务。")
    page.reload(keep_edits=True)


def reopen(page: ProgressPage) -> None:
    row = page.current_row()
    if row is None:
        return
    if row.closed_on is None:
        dialogs.info(page, "撤销销号", f"任务 {row.number} 没有销号。")
        return
    reason = dialogs.ask_text(page, "撤销销号", f"撤销任务 {row.number} 的销号。请写明理由：")
    if reason is None:
        return
    try:
        page.yearend.reopen(row.task_id, reason)
    except Exception as err:
        show_error(page, err, title="未能撤销销号")
        return
    page.reload(keep_edits=True)


def carry_over(page: ProgressPage) -> None:
    list_id = page.list_id
    if list_id is None or not _save_first(page, "结转"):
        return
    try:
        as_of = page.yearend.year_not_over(list_id)
    except Exception as err:
        show_error(page, err)
        return
    if as_of is not None and not dialogs.confirm(
        page,
        "结转未完成任务",
        f"{page.list_year}年尚未结束。现在结转，新年度任务的备注将写明截至"
        f"{as_of.year}年{as_of.month}月{as_of.day}日的完成进度；本年度此后的进展不会带到"
        "新年度清单。\n\n通常在年底、本年度进展填报完后再结转。确定现在结转吗？",
        ok="继续结转",
    ):
        return
    try:
        dialog = CarryOverDialog(
            page.list_year, lambda year: page.yearend.carry_preview(list_id, year)
        )
    except Exception as err:
        show_error(page, err)
        return
    if not dialogs.run_dialog(dialog):
        return
    try:
        result = page.yearend.carry_over(list_id, dialog.target_year(), dialog.chosen_ids())
    except Exception as err:
        show_error(page, err, title="未能结转")
        return
    created = "（新建）" if result.created else ""
    skipped = f"；另有 {result.skipped} 项此前已结转" if result.skipped else ""
    dialogs.info(
        page,
        "结转完成",
        f"已将 {result.added} 项未完成任务结转到 {result.year} 年清单{created}{skipped}。\n"
        "可在“年度清单”中查看和编辑；新年度的节点（形象进度）请重新设置。",
    )
    page.populate_lists(list_id)
