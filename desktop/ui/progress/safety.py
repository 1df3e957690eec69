"""The safety copy of the progress screen's unsaved typing (``services.progress.unsaved``).

A few seconds after an edit the pending edits are copied into the database; saving or
discarding removes the copy; opening the same list and period later offers to restore it —
after a crash or a power cut, the typing of the afternoon is still there.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from desktop.ui import dialogs

if TYPE_CHECKING:
    from desktop.ui.progress.page import ProgressPage

log = logging.getLogger(__name__)


def keep_draft(page: ProgressPage) -> None:
    """Store the pending edits where a crash cannot take them (see progress_draft)."""
    if page.list_id is None or page.period is None or not page.model.is_dirty():
        return
    try:
        page.progress.keep_draft(page.list_id, page.period.id, page.model.edited())
    except Exception:  # a copy that could not be written must not interrupt the typing
        log.warning("未能保存未提交进展的安全副本", exc_info=True)


def drop_draft(page: ProgressPage) -> None:
    page.draft_timer.stop()
    try:
        page.progress.drop_draft()
    except Exception:
        log.warning("未能删除未提交进展的安全副本", exc_info=True)


def offer_draft(page: ProgressPage) -> None:
    if page.list_id is None or page.period is None or page.period.frozen:
        return
    try:
        draft = page.progress.draft(page.list_id, page.period.id)
    except Exception:
        log.warning("未能读取未提交进展的安全副本", exc_info=True)
        return
    if draft is None or not draft.entries:
        return
    when = draft.saved_at[:16].replace("T", " ")
    if dialogs.confirm(
        page,
        "恢复未保存的进展",
        f"上次填报{page.period.label}时，有 {len(draft.entries)} 项任务的进展尚未保存"
        f"（{when}），程序可能被意外关闭。\n\n是否恢复这些内容？恢复后请核对并保存。",
        ok="恢复",
    ):
        page.model.apply_edits(list(draft.entries))
    else:
        drop_draft(page)
