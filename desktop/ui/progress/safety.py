"""The safety copy of the progress screen's unsaved typing (``services.progress.unsaved``).

A few seconds after an edit the pending edits are copied into the database; saving or
discarding removes the copy; opening the same list and period later offers to restore it —
after a crash or a power cut, the typing of the afternoon is still there.

The screen calls these with what they need; a copy that cannot be written, read or removed
never interrupts the typing (it is logged).
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QWidget

from desktop.services.progress.service import PeriodView, ProgressEntry
from desktop.services.progress.unsaved import UnsavedProgress
from desktop.ui import dialogs

log = logging.getLogger(__name__)


def keep_copy(
    unsaved: UnsavedProgress, list_id: int, period_id: int, entries: list[ProgressEntry]
) -> None:
    """Store the pending edits where a crash cannot take them."""
    try:
        unsaved.keep(list_id, period_id, entries)
    except Exception:  # a copy that could not be written must not interrupt the typing
        log.warning("未能保存未提交进展的安全副本", exc_info=True)


def drop_copy(unsaved: UnsavedProgress) -> None:
    try:
        unsaved.drop()
    except Exception:
        log.warning("未能删除未提交进展的安全副本", exc_info=True)


def offer_copy(
    parent: QWidget, unsaved: UnsavedProgress, list_id: int, period: PeriodView
) -> list[ProgressEntry]:
    """The edits of a copy left for this list and period, if the user restores them;
    declined, the copy is dropped. Nothing for a frozen period."""
    if period.frozen:
        return []
    try:
        draft = unsaved.load(list_id, period.id)
    except Exception:
        log.warning("未能读取未提交进展的安全副本", exc_info=True)
        return []
    if draft is None or not draft.entries:
        return []
    when = draft.saved_at[:16].replace("T", " ")
    if dialogs.confirm(
        parent,
        "恢复未保存的进展",
        f"上次填报{period.label}时，有 {len(draft.entries)} 项任务的进展尚未保存"
        f"（{when}），程序可能被意外关闭。\n\n是否恢复这些内容？恢复后请核对并保存。",
        ok="恢复",
    ):
        return list(draft.entries)
    drop_copy(unsaved)
    return []
