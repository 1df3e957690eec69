"""Reading notice files: plain text in any encoding an office machine produces, .docx,
PDF (``pdf_reader``) and OFD (``ofd_reader``).

Text files come from Notepad, WPS and converters: UTF-8 with or without a BOM, UTF-16
with a BOM, or GB18030 (the superset of GBK/GB2312 that Chinese Windows uses). Word
files are read with python-docx, paragraphs and table cells in document order, with the
numbers of Word's automatic list numbering put back in front of the paragraphs (see
``docx_numbering``). The kind of a file is read from its first bytes where they tell
(a PDF or OFD saved as .txt is still read as one). Anything else — an old .doc/.wps, a
renamed archive, binary junk, an empty file — is refused with a ``NoticeFormatError``
whose message tells the user, in Chinese, what to do.
"""

from __future__ import annotations

import codecs
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.notice.budget import NoticeBudget, check_archive, parse_xml, read_member
from desktop.core.notice.tables import is_task_header
from desktop.core.notice.unit_names import unit_list
from desktop.core.notice.unit_notes import is_generic
from desktop.errors import NoticeFormatError, OldFormatError
from desktop.locations import os_path

if TYPE_CHECKING:  # python-docx is imported when a .docx is read, not at start-up
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from desktop.core.notice.docx_numbering import DocxNumbering

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
READABLE_SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf", ".ofd"}
# a Word notice of 100 pages holds some tens of thousands of XML elements
DOCX_ELEMENTS = 300_000
DOCX_PARAGRAPHS = 20_000  # python-docx takes about a second for 10,000
MAX_BYTES = 50 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ALLOWED_CONTROLS = frozenset("\n\r\t\f\v")


def _not_notice(name: str, why: str) -> NoticeFormatError:
    return NoticeFormatError(f"无法识别文件内容：{name} {why}，不是可识别的通知文本")


def decode_text(data: bytes, name: str = "文件") -> str:
    """Decode the bytes of a text notice; refuse empty, binary or undecodable input."""
    bare = data
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        bare = bare.removeprefix(bom)
    if not bare.strip(b" \t\r\n\x00"):
        raise NoticeFormatError(f"文件为空：{name} 中没有任何文字")
    if data.startswith(b"%PDF"):
        raise NoticeFormatError(f"{name} 是 PDF 文件，请以 .pdf 扩展名导入")
    if data.startswith(b"PK\x03\x04"):
        raise NoticeFormatError(f"{name} 是压缩包或 Word 文件，Word 文件请使用 .docx 扩展名导入")
    if data.startswith(_OLE_MAGIC):
        raise NoticeFormatError(f"{name} 是旧版 Word（.doc）文件，请另存为 .docx 或 .txt 后再导入")
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    elif b"\x00" in data:
        raise _not_notice(name, "是二进制文件")
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _not_notice(name, "的编码无法识别（既不是 UTF-8，也不是 GB18030/GBK）")
    controls = sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
    if controls * 100 > len(text):
        raise _not_notice(name, "含有大量控制字符，像是二进制文件")
    if not text.strip():
        raise NoticeFormatError(f"文件为空：{name} 中没有任何文字")
    return text


def _block_texts(
    blocks: Iterator[Paragraph | Table], numbering: DocxNumbering | None = None
) -> Iterator[str]:
    from docx.text.paragraph import Paragraph

    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text if numbering is None else numbering.text(block)
            continue
        # A merged cell is returned once per grid column; the set holds the elements
        # themselves so that their identity stays stable while we compare.
        seen: set[object] = set()
        rows = list(block.rows)
        task_table = bool(rows) and is_task_header([c.text.strip() for c in _row_cells(rows[0])])
        for row in rows:
            cells = _row_cells(row)
            if task_table and len(cells) > 1 and _is_task_row(cells):
                # a row of a task table (序号 | 任务 | 牵头单位 …) stays one line, its cells
                # apart, for the table reader; a cell merged down repeats in every row
                yield "\t".join(_task_cell(cell, numbering) for cell in cells)
                continue
            for cell in cells:
                if cell._tc in seen:
                    continue
                seen.add(cell._tc)
                yield from _block_texts(cell.iter_inner_content(), numbering)


def _task_cell(cell: Any, numbering: DocxNumbering | None) -> str:
    """The text of a task table's cell. A cell listing one unit per line (paragraphs or
    line breaks instead of 、) is that list written with 、: each line is its own unit,
    never glued to the next nor taken for a line of the row."""
    parts = list(_block_texts(cell.iter_inner_content(), numbering))
    lines = [line.strip() for part in parts for line in part.split("\n") if line.strip()]
    if len(lines) > 1 and all(_unit_line(line) for line in lines):
        return "、".join(lines)
    return "".join(parts)


def _unit_line(line: str) -> bool:
    """A line that is a list of units, none of them two run together (a collective such as
    各县（市）区人民政府 is one)."""
    valid, doubt, _grows = unit_list(line)
    return valid and (doubt < 1.0 or is_generic(line))


def _row_cells(row: Any) -> list[Any]:
    """The cells of a table row, a cell merged across columns once."""
    cells: list[Any] = []
    for cell in row.cells:
        if not cells or cells[-1]._tc is not cell._tc:
            cells.append(cell)
    return cells


def _is_task_row(cells: list[Any]) -> bool:
    """Short cells only (a row of a table, not a page laid out in a table)."""
    return all(
        len(list(cell.iter_inner_content())) <= 3 and len(cell.text) <= 600 for cell in cells
    )


def read_docx(path: Path) -> str:
    """The text of a .docx file: paragraphs and table cells in document order.

    Paragraphs numbered by Word's automatic numbering get their number (一、, （一）, 1.)
    in front, as Word shows it; if the numbering cannot be rendered the plain text is used.
    """
    from docx import Document

    from desktop.core.notice.docx_numbering import DocxNumbering

    # python-docx builds the whole document in memory: its parts are measured first
    budget = NoticeBudget(path.name, elements=DOCX_ELEMENTS)
    try:
        with zipfile.ZipFile(path) as archive:
            check_archive(archive, budget)
            if "word/document.xml" in archive.namelist():
                body = read_member(archive, "word/document.xml", budget)
                paragraphs = sum(body.count(tag) for tag in (b"<w:p>", b"<w:p ", b"<w:p/>"))
                if paragraphs > DOCX_PARAGRAPHS:
                    raise budget.refuse(f"有 {paragraphs} 个段落")
                parse_xml(body, "word/document.xml", budget)
    except NoticeFormatError:
        raise
    except Exception as err:  # zipfile, zlib or lxml on a damaged file
        raise NoticeFormatError(
            f"无法打开 Word 文件：{path.name} 已损坏或不是 .docx 格式（{type(err).__name__}）"
        ) from err
    try:
        document = Document(str(path))
    except Exception as err:  # python-docx raises many kinds of error for damaged files
        raise NoticeFormatError(
            f"无法打开 Word 文件：{path.name} 已损坏或不是 .docx 格式（{type(err).__name__}）"
        ) from err
    numbering = DocxNumbering.of(document)
    try:
        text = "\n".join(_block_texts(document.iter_inner_content(), numbering))
    except Exception:  # numbering we could not follow; without it this is the old reading
        if numbering is None:
            raise
        text = "\n".join(_block_texts(document.iter_inner_content()))
    if not text.strip():
        raise NoticeFormatError(f"文件为空：{path.name} 中没有任何文字")
    return text


# formats an office meets that this program cannot read, with the program that saves
# them as .docx
_OLD_FORMATS = {
    ".doc": "旧版 Word 文档（.doc）",
    ".wps": "WPS 文字文档（.wps）",
    ".wpt": "WPS 文字模板（.wpt）",
    ".dot": "旧版 Word 模板（.dot）",
    ".rtf": "RTF 文档（.rtf）",
    ".et": "WPS 表格（.et）",
    ".xls": "旧版 Excel 表格（.xls）",
    ".dps": "WPS 演示（.dps）",
    ".ppt": "旧版 PowerPoint 演示（.ppt）",
}


def _old_format(name: str, kind: str) -> OldFormatError:
    space = " " if kind[0].isascii() else ""
    return OldFormatError(
        f"{name} 是{space}{kind}，本程序不能直接读取这种格式。"
        "请在 WPS 或 Word 中打开它，“另存为” .docx 文件后再导入"
    )


def _kind(file: Path, head: bytes) -> str:
    """What a file is, by its first bytes where they tell, else by its name."""
    suffix = file.suffix.lower()
    if head.startswith(b"%PDF"):
        return ".pdf"
    if head.startswith(_OLE_MAGIC):
        return suffix if suffix in _OLD_FORMATS else ".doc"
    if head.startswith(b"{\\rtf"):
        return ".rtf"
    if head.startswith(b"PK\x03\x04") and suffix in (".ofd", ".docx"):
        return suffix
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist()[:5000])
        except (zipfile.BadZipFile, OSError, ValueError):
            return suffix
        if "OFD.xml" in names:
            return ".ofd"
        if "word/document.xml" in names:
            return ".docx"
    return suffix


def read_notice_file(path: str | os.PathLike[str]) -> str:
    """Read a notice file: .txt/.md (UTF-8, UTF-8-BOM, UTF-16 or GB18030), .docx, .pdf, .ofd."""
    file = Path(path)
    opened = Path(os_path(file))  # a path may pass 260 characters on Windows
    if not opened.exists():
        raise NoticeFormatError(f"找不到文件：{file}")
    if not opened.is_file():
        raise NoticeFormatError(f"不是文件：{file}")
    try:
        size = opened.stat().st_size
        with opened.open("rb") as handle:
            head = handle.read(16)
        kind = _kind(opened, head)
        if kind in _OLD_FORMATS:
            raise _old_format(file.name, _OLD_FORMATS[kind])
        if kind not in READABLE_SUFFIXES:
            raise NoticeFormatError(
                f"不支持的文件类型：{file.name}（请使用 .txt、.docx、.pdf 或 .ofd 格式的通知文件）"
            )
        if size > MAX_BYTES:
            raise NoticeFormatError(
                f"文件过大：{file.name}（{size // 1024 // 1024} MB），不像是一份通知"
            )
        if kind == ".docx":
            return read_docx(opened)
        if kind == ".pdf":
            from desktop.core.notice.pdf_reader import read_pdf

            return read_pdf(opened)
        if kind == ".ofd":
            from desktop.core.notice.ofd_reader import read_ofd

            return read_ofd(opened)
        return decode_text(opened.read_bytes(), file.name)
    except OSError as err:
        raise NoticeFormatError(f"无法读取文件：{file}（{err.strerror or err}）") from err
