"""Saving a checked notice from the import screen: replace or not, then one transaction.

When the document number is already saved, the user is told what replacing it would
change (measures added, changed, unchanged, removed or kept because lists use them, and
how many tasks stay linked) and decides. Refusals and failures leave the database as it was.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop.core.notice import ParsedNotice
from desktop.errors import UserError
from desktop.services.notices.changes import ImportComparison
from desktop.services.notices.service import NoticeService
from desktop.ui import dialogs
from desktop.ui.error_report import show_error
from desktop.ui.notices.metadata_form import NoticeMetadataForm


def replace_question(c: ImportComparison) -> str:
    when = f"，{c.imported_at[:10]} 导入" if c.imported_at else ""
    text = (
        f"数据库里已经有文号为“{c.doc_number}”的文件（{c.title}{when}）。\n\n"
        f"用这次的文本替换它：{c.summary()}\n\n"
    )
    if c.lists:
        text += (
            f"有 {c.lists} 份清单依据这份文件，其中 {c.linked_tasks} 项任务关联了它的条目；"
            "替换后这些关联保持不变。"
        )
    else:
        text += "目前没有清单依据这份文件。"
    if c.changed:
        text += "之前对条目所做的手工修正，以这次的文本为准。"
    return text + "\n\n是否替换？"


def save_notice(
    parent: QWidget,
    notices: NoticeService,
    parsed: ParsedNotice,
    metadata: NoticeMetadataForm,
    source_name: str,
) -> int | None:
    """Save ``parsed`` with the metadata as typed; the saved notice's id, or None."""
    try:
        final = metadata.applied_to(parsed)
        comparison = notices.compare(final)
    except UserError as err:
        dialogs.warning(parent, "无法保存", str(err))
        return None
    replace = False
    if comparison is not None:
        if not dialogs.confirm(parent, "替换已有文件", replace_question(comparison), ok="替换"):
            return None
        replace = True
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        summary = notices.import_parsed(final, source_name=source_name, replace=replace)
    except Exception as err:
        QApplication.restoreOverrideCursor()
        show_error(parent, err, title="无法保存")
        return None
    QApplication.restoreOverrideCursor()
    if comparison is not None:
        message = f"已用新文本替换 {summary.doc_number}：{comparison.summary()}"
    else:
        message = f"已导入 {summary.doc_number}：共 {summary.measures} 个条目。"
    dialogs.info(parent, "保存完成", message)
    return summary.id
