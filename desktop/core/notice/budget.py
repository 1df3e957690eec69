"""The notice readers' budget: the read budget every reader shares, with a notice's limits.

A notice is a few dozen pages of text. A file that needs more than this budget to read —
a zip bomb posing as .docx or .ofd, a PDF with thousands of pages or a decompression bomb
in a stream, XML with millions of elements — is refused quickly instead of eating the
office computer's memory or time. The sizes, ratios, streaming and XML checks are those of
``desktop.core.read_budget`` (the department workbook and the package use them too); what
only a notice has — pages, a PDF page's content stream, the characters extracted — is here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop.core.read_budget import MB, ReadBudget, check_archive, parse_xml, read_member
from desktop.errors import NoticeFormatError, UserError

__all__ = ["MB", "NoticeBudget", "check_archive", "parse_xml", "read_member"]


@dataclass
class NoticeBudget(ReadBudget):
    """Limits for reading one notice file; the checks raise ``NoticeFormatError``."""

    kind: str = "通知文件"
    error: Callable[..., UserError] = NoticeFormatError
    members: int = 5_000
    elements: int = 500_000  # XML elements over the whole file (a notice: a few thousand)
    pages: int = 2_000
    chars: int = 5_000_000  # text extracted
    page_bytes: int = 2 * MB  # one PDF page's decompressed content stream

    def check_pages(self, count: int) -> None:
        if count > self.pages:
            raise self.refuse(f"有 {count} 页")

    def check_page_bytes(self, count: int) -> None:
        if count > self.page_bytes:
            raise self.refuse(f"的一页内容超过 {self.page_bytes // MB} MB")

    def check_chars(self, count: int) -> None:
        if count > self.chars:
            raise self.refuse(f"文字超过 {self.chars} 字")
