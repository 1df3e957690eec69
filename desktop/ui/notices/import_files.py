"""What the import screen says about files: the open dialog's filters, the hint above the
panes, and the offer to convert an old .doc/.wps notice where LibreOffice is installed."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from desktop.core.notice import ParsedNotice, parse_notice_file
from desktop.errors import OldFormatError
from desktop.ui import dialogs

FILE_FILTERS = (
    "通知文件 (*.txt *.docx *.pdf *.ofd *.md);;文本文件 (*.txt);;Word 文件 (*.docx)"
    ";;PDF 文件 (*.pdf);;OFD 版式文件 (*.ofd);;所有文件 (*)"
)


def status_text(*, pasting: bool, loaded: bool, source_name: str) -> str:
    """The hint above the panes for what the user is doing now."""
    if pasting:
        return "把通知全文粘贴到左侧“原文”框里（网页上复制的文字也可以），然后点“解析文本”。"
    if not loaded:
        return (
            "打开一个通知文件（.txt 任意常见编码、.docx、文字版 .pdf 或 .ofd），或者粘贴通知全文。"
            "程序会把它分解为条目，识别责任单位、牵头单位和目标指标，供你核对后保存。"
        )
    return (
        f"来源：{source_name}。请核对右侧的识别结果，“待核对”中把握最小的条目排在最前；"
        "修正后点“保存到数据库”。"
    )


def conversion(
    parent: QWidget, err: OldFormatError, source: Path | None
) -> Callable[[], ParsedNotice] | bool:
    """For an old-format file where LibreOffice is installed, ask to convert it first.

    Returns the parse to run when the user agrees, True when the user declined (nothing
    more to say), False when there is nothing to offer (the error is shown as it is).
    """
    from desktop.core.notice.convert import convert_to_docx, office_converter

    if source is None or office_converter() is None:
        return False
    if not dialogs.confirm(
        parent,
        "转换文件格式",
        f"{err.message}\n\n本机装有 LibreOffice，可以先把它转换为 .docx 再导入。现在转换吗？",
        ok="转换并导入",
    ):
        return True
    folder = Path(tempfile.mkdtemp(prefix="policy-ledger-convert-"))
    return lambda: parse_notice_file(convert_to_docx(source, folder))
