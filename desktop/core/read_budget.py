"""Read budgets: every reader of a file from outside stops early, with one Chinese line.

Notices, department workbooks and upward packages arrive on USB sticks and as mail
attachments. A file that would need more than its reader's budget — a zip bomb posing as
.docx or .xlsx, XML with a DTD (external entities, "billion laughs") or millions of
elements, a sheet declaring a million rows, JSON with millions of items — is refused before
it can eat the office computer's memory or time, and damage inside it (a truncated member,
XML that does not parse) is said as damage, never escapes as an exception of the library
that tripped over it.

``ReadBudget`` holds one read's limits, what it has used, and how to say no (the error
type and the words of the reader that uses it). The helpers check a zip's declared sizes
and compression ratios before anything is inflated (:func:`check_archive`), inflate a
member as a stream under a hard cap because headers may lie (:func:`read_member`), scan XML
with the standard library's expat parser — no DTD, elements counted, a callback per
element for the reader's own counts (:func:`scan_xml`) — or build an lxml tree under the
same rules (:func:`parse_xml`, for the OFD reader), and bound a JSON body's items before
``json`` builds it (:func:`check_json_items`). Notices (``desktop.core.notice.budget``),
department workbooks (``exchange_files.workbook_budget``) and packages
(``exchange_files.archive``) each set their own limits on one ``ReadBudget``.
"""

from __future__ import annotations

import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desktop.errors import InputFileError, UserError, clip

MB = 1024 * 1024

StartElement = Callable[[str, dict[str, str]], None]


@dataclass
class ReadBudget:
    """Limits for reading one file; the ``check_*``/``add_*`` methods raise the reader's
    ``UserError`` when one is passed."""

    name: str  # the file, as the user knows it
    kind: str = "文件"  # what the reader reads: 通知文件, 部门填报表, 上报包
    error: Callable[..., UserError] = InputFileError
    hint: str | None = None
    seconds: float = 8.0
    members: int = 1_000
    member_bytes: int = 32 * MB  # one decompressed zip member
    total_bytes: int = 160 * MB  # all decompressed members together
    ratio: int = 200  # compression above this is a bomb (members past ``ratio_floor``)
    ratio_floor: int = MB
    elements: int = 2_000_000  # XML elements (or JSON items) over the whole file
    started: float = field(default_factory=time.monotonic)
    used_bytes: int = 0
    used_elements: int = 0

    @property
    def subject(self) -> str:
        return f"“{clip(self.name)}”" if self.name else f"这个{self.kind}"

    def refuse(self, what: str) -> UserError:
        """Over the budget: the file is not what this reader reads."""
        return self.error(
            f"{self.subject}{what}，超出{self.kind}的读取限制，已拒绝读取。", hint=self.hint
        )

    def damaged(self, what: str) -> UserError:
        """Damage inside the file (a member or XML that cannot be read)."""
        return self.error(f"{self.subject}已损坏：{what}，无法读取。", hint=self.hint)

    def check_time(self) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise self.refuse(f"读取超过 {self.seconds:.0f} 秒仍未完成")

    def add_bytes(self, count: int) -> None:
        self.used_bytes += count
        if self.used_bytes > self.total_bytes:
            raise self.refuse(f"解压后总计超过 {size_text(self.total_bytes)}")

    def add_elements(self, count: int) -> None:
        self.used_elements += count
        if self.used_elements > self.elements:
            raise self.refuse(f"含有超过 {self.elements} 个数据元素")


def size_text(size: int) -> str:
    return f"{size // MB} MB" if size >= MB else f"{max(size // 1024, 1)} KB"


def check_archive(archive: zipfile.ZipFile, budget: ReadBudget) -> None:
    """Refuse, before anything is inflated, an archive whose member count, declared sizes
    or compression ratios exceed the budget."""
    infos = archive.infolist()
    if len(infos) > budget.members:
        raise budget.refuse(f"含有 {len(infos)} 个压缩成员")
    total = 0
    for info in infos:
        name = clip(info.filename, 40)
        if info.file_size > budget.member_bytes:
            raise budget.refuse(f"中的 {name} 解压后超过 {size_text(budget.member_bytes)}")
        total += info.file_size
        if total > budget.total_bytes:
            raise budget.refuse(f"解压后总计超过 {size_text(budget.total_bytes)}")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > budget.ratio_floor and ratio > budget.ratio:
            raise budget.refuse(f"中的 {name} 压缩比异常（{ratio:.0f}:1），疑似“压缩炸弹”")


def read_member(
    archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, budget: ReadBudget
) -> bytes:
    """One member's bytes, inflated in chunks under the budget: never more than its
    declared size or the member cap, whatever its header says."""
    info = member if isinstance(member, zipfile.ZipInfo) else archive.getinfo(member)
    name = clip(info.filename, 40)
    cap = min(info.file_size, budget.member_bytes)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > cap:
                    raise budget.refuse(f"中的 {name} 解压后超出其声明的大小")
                budget.add_bytes(len(chunk))
                budget.check_time()
                chunks.append(chunk)
    except UserError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as err:
        raise budget.damaged(f"其中的 {name} 无法解压") from err
    except Exception as err:  # any other failure of the decompressor on untrusted bytes
        raise budget.damaged(f"其中的 {name} 无法解压") from err
    if size != info.file_size:
        raise budget.damaged(f"其中的 {name} 解压后的大小与其声明不符")
    return b"".join(chunks)


class _Refused(Exception):
    """Raised inside an expat handler, carried out of the parser."""

    def __init__(self, error: UserError) -> None:
        self.error = error


def scan_xml(
    data: bytes, member: str, budget: ReadBudget, on_start: StartElement | None = None
) -> None:
    """Parse ``data`` as a stream (nothing is built): refuse a DTD (external entities,
    entity expansion), count the elements against the budget, call ``on_start(tag,
    attributes)`` for each (the reader's own counts; it may raise the budget's error), and
    report XML that does not parse as damage of ``member``."""
    from xml.parsers import expat

    name = clip(member, 40)
    parser = expat.ParserCreate()
    count = 0

    def doctype(*_args: Any) -> None:
        raise _Refused(budget.refuse(f"中的 {name} 含有 DTD 声明（可能引用外部实体）"))

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal count
        count += 1
        if count % 10_000 == 0:
            try:
                budget.add_elements(10_000)
                budget.check_time()
            except UserError as err:
                raise _Refused(err) from None
        if on_start is not None:
            try:
                on_start(tag, attributes)
            except UserError as err:
                raise _Refused(err) from None

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        raise refused.error from None
    except expat.ExpatError as err:
        line = getattr(err, "lineno", 0)
        raise budget.damaged(f"其中的 {name} 第 {line} 行不是完整的 XML") from None
    budget.add_elements(count % 10_000)


def parse_xml(data: bytes, member: str, budget: ReadBudget) -> Any:
    """An lxml tree of ``data`` under the budget (for a reader that needs the tree): no DTD
    or entities, and the elements counted while the tree is built, so that a flood stops at
    the budget. Syntax errors are lxml's own (``etree.LxmlError``): the caller names the
    damaged file."""
    import io

    from lxml import etree

    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise budget.refuse(f"中的 {clip(member, 40)} 含有 DTD 声明（可能引用外部实体）")
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


def check_json_items(body: bytes, what: str, budget: ReadBudget) -> None:
    """Bound a JSON body before ``json`` builds it: its items (an upper bound — every
    ``,``, ``[`` and ``{``, also inside strings) against the budget's elements. A million
    empty objects take some 70 MB once built; the bound keeps a crafted file from more."""
    items = body.count(b",") + body.count(b"[") + body.count(b"{")
    if items > budget.elements:
        raise budget.refuse(f"的{what}含有 {items} 个以上的数据项")
