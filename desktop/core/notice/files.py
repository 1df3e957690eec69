"""Reading notice files: plain text in any encoding an office machine produces, and .docx.

Text files come from Notepad, WPS and converters: UTF-8 with or without a BOM, UTF-16
with a BOM, or GB18030 (the superset of GBK/GB2312 that Chinese Windows uses). Word
files are read with python-docx, paragraphs and table cells in document order, with the
numbers of Word's automatic list numbering put back in front of the paragraphs (see
``docx_numbering``). Anything else — a PDF, an old .doc, a renamed archive, binary junk,
an empty file — is refused with a ``NoticeFormatError`` whose message tells the user, in
Chinese, what to do.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.errors import NoticeFormatError
from desktop.locations import os_path

if TYPE_CHECKING:  # python-docx is imported when a .docx is read, not at start-up
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from desktop.core.notice.docx_numbering import DocxNumbering

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
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
        raise NoticeFormatError(f"{name} 是 PDF 文件，请先另存为 .txt 或 .docx 后再导入")
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
        for row in block.rows:
            for cell in row.cells:
                if cell._tc in seen:
                    continue
                seen.add(cell._tc)
                yield from _block_texts(cell.iter_inner_content(), numbering)


def read_docx(path: Path) -> str:
    """The text of a .docx file: paragraphs and table cells in document order.

    Paragraphs numbered by Word's automatic numbering get their number (一、, （一）, 1.)
    in front, as Word shows it; if the numbering cannot be rendered the plain text is used.
    """
    from docx import Document

    from desktop.core.notice.docx_numbering import DocxNumbering

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


def read_notice_file(path: str | os.PathLike[str]) -> str:
    """Read a notice file (.txt/.md in UTF-8, UTF-8-BOM, UTF-16 or GB18030, or .docx)."""
    file = Path(path)
    opened = Path(os_path(file))  # a path may pass 260 characters on Windows
    if not opened.exists():
        raise NoticeFormatError(f"找不到文件：{file}")
    if not opened.is_file():
        raise NoticeFormatError(f"不是文件：{file}")
    suffix = file.suffix.lower()
    if suffix == ".doc":
        raise NoticeFormatError(
            f"{file.name} 是旧版 Word（.doc）文件，请另存为 .docx 或 .txt 后再导入"
        )
    if suffix != ".docx" and suffix not in TEXT_SUFFIXES:
        raise NoticeFormatError(
            f"不支持的文件类型：{file.name}（请使用 .txt 或 .docx 格式的通知文件）"
        )
    try:
        size = opened.stat().st_size
        if size > MAX_BYTES:
            raise NoticeFormatError(
                f"文件过大：{file.name}（{size // 1024 // 1024} MB），不像是一份通知"
            )
        if suffix == ".docx":
            return read_docx(opened)
        return decode_text(opened.read_bytes(), file.name)
    except OSError as err:
        raise NoticeFormatError(f"无法读取文件：{file}（{err.strerror or err}）") from err
