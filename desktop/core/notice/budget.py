"""Read budgets for notice files: every reader stops early, with one Chinese line.

A notice is a few dozen pages of text. A file that needs more than this budget to read —
a zip bomb posing as .docx or .ofd, a PDF with thousands of pages or a decompression
bomb in a stream, XML with millions of elements — is refused quickly instead of eating
the office computer's memory or time. ``ReadBudget`` holds the limits and the clock of
one read; the zip helpers check declared and actual sizes of archive members.
"""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import dataclass, field
from typing import Any

from desktop.errors import NoticeFormatError

MB = 1024 * 1024


@dataclass
class ReadBudget:
    """Limits for reading one notice file; ``check_*`` raise ``NoticeFormatError``."""

    name: str
    seconds: float = 8.0
    member_bytes: int = 32 * MB  # one decompressed zip member
    total_bytes: int = 160 * MB  # all decompressed members together
    members: int = 5_000
    elements: int = 500_000  # XML elements over the whole file (a notice: a few thousand)
    pages: int = 2_000
    chars: int = 5_000_000  # text extracted
    page_bytes: int = 2 * MB  # one PDF page's decompressed content stream
    started: float = field(default_factory=time.monotonic)
    used_bytes: int = 0
    used_elements: int = 0

    def refuse(self, what: str) -> NoticeFormatError:
        return NoticeFormatError(
            f"文件结构异常：{self.name} {what}，超出通知文件的读取限制，已拒绝导入"
        )

    def check_time(self) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise self.refuse(f"读取超过 {self.seconds:.0f} 秒仍未完成")

    def add_bytes(self, count: int) -> None:
        self.used_bytes += count
        if self.used_bytes > self.total_bytes:
            raise self.refuse(f"解压后超过 {self.total_bytes // MB} MB")

    def add_elements(self, count: int) -> None:
        self.used_elements += count
        if self.used_elements > self.elements:
            raise self.refuse(f"含有超过 {self.elements} 个元素")

    def check_pages(self, count: int) -> None:
        if count > self.pages:
            raise self.refuse(f"有 {count} 页")

    def check_page_bytes(self, count: int) -> None:
        if count > self.page_bytes:
            raise self.refuse(f"的一页内容超过 {self.page_bytes // MB} MB")

    def check_chars(self, count: int) -> None:
        if count > self.chars:
            raise self.refuse(f"文字超过 {self.chars} 字")


def check_archive(archive: zipfile.ZipFile, budget: ReadBudget) -> None:
    """Refuse an archive whose member count or declared sizes exceed the budget."""
    infos = archive.infolist()
    if len(infos) > budget.members:
        raise budget.refuse(f"含有 {len(infos)} 个压缩成员")
    total = 0
    for info in infos:
        if info.file_size > budget.member_bytes:
            raise budget.refuse(
                f"的成员 {info.filename[:40]} 解压后超过 {budget.member_bytes // MB} MB"
            )
        total += info.file_size
    if total > budget.total_bytes:
        raise budget.refuse(f"解压后超过 {budget.total_bytes // MB} MB")


def read_member(archive: zipfile.ZipFile, name: str, budget: ReadBudget) -> bytes:
    """One member's bytes, read in chunks under the budget (declared sizes may lie)."""
    chunks: list[bytes] = []
    size = 0
    with archive.open(name) as member:
        while chunk := member.read(1024 * 1024):
            size += len(chunk)
            if size > budget.member_bytes:
                raise budget.refuse(f"的成员 {name[:40]} 解压后超过 {budget.member_bytes // MB} MB")
            budget.add_bytes(len(chunk))
            budget.check_time()
            chunks.append(chunk)
    return b"".join(chunks)


def parse_xml(data: bytes, name: str, budget: ReadBudget) -> Any:
    """An lxml tree of ``data`` under the budget: no DTD or entities, and the elements
    counted while the tree is built, so that a flood stops at the budget. Syntax errors
    are lxml's own (``etree.LxmlError``): the caller names the damaged file."""
    from lxml import etree

    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise budget.refuse(f"的 {name[:40]} 含有 DTD 声明")
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    count = 0
    for _event, _element in events:
        count += 1
        if count % 10_000 == 0:
            budget.add_elements(10_000)
            budget.check_time()
    budget.add_elements(count % 10_000)
    return events.root
