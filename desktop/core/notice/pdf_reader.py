"""The text of a PDF notice, as the parser needs it.

Notices reach county offices from the OA system as PDF far more often than as text.
pypdf (pure Python, no native parts) extracts each page's text layer; this module then
removes what the printed page adds to the document: page numbers (``— 3 —``, ``-3-``,
``第3页``) are dropped by the text normaliser, and running headers or footers — a line
that stands first or last on most pages — are dropped here (not the header of a task
table, which a ruled table repeats on every page: the table reader needs it). The lines
stay hard-wrapped (about 28 characters in a printed 公文); the parser joins them with the
same rules it uses for any text. A PDF without a text layer (a scan) gets a message saying so.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

from desktop.core.notice.budget import NoticeBudget
from desktop.core.notice.tables import is_header_cell
from desktop.errors import NoticeFormatError

_CJK = re.compile(r"[\u3400-\u9fff]")
_DIGITS = re.compile(r"\d+")


def _page_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of most pages (digits ignored): headers, footers."""
    if len(pages) < 3:
        return set()
    edges: Counter[str] = Counter()
    for lines in pages:
        for line in {*lines[:2], *lines[-2:]}:
            if not is_header_cell(line):  # a task table's header repeated on every page
                edges[_DIGITS.sub("#", line)] += 1
    return {key for key, count in edges.items() if count * 2 > len(pages) and count >= 3}


def _scanned(name: str) -> NoticeFormatError:
    return NoticeFormatError(
        f"{name} 是扫描件（PDF 中没有文字层），无法读取文字。"
        "请向发文单位索取文字版 PDF、OFD 或 Word 文件，或先用文字识别（OCR）转为 .docx 后再导入"
    )


def read_pdf(path: Path, budget: NoticeBudget | None = None) -> str:
    """The text of a text-based PDF, pages in order, running headers and footers removed."""
    budget = budget or NoticeBudget(path.name)
    from pypdf import PdfReader

    # pypdf reports each repair of a damaged file through logging and warnings: the user
    # gets one line from us instead (and the command line keeps stderr to that line)
    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read(PdfReader, path, budget)


def _read(reader_class: Any, path: Path, budget: NoticeBudget) -> str:
    try:
        reader = reader_class(str(path), strict=False)
        if reader.is_encrypted and not _opened(reader):
            raise NoticeFormatError(f"{path.name} 是加密的 PDF 文件，请先解除密码保护后再导入")
        count = len(reader.pages)
        budget.check_pages(count)
        pages: list[list[str]] = []
        chars = 0
        for page in reader.pages:
            # a page of a notice holds kilobytes of drawing commands; a stream of many
            # megabytes would keep the text extractor busy for minutes
            contents = page.get_contents()
            budget.check_page_bytes(len(contents.get_data()) if contents is not None else 0)
            budget.check_time()
            text = page.extract_text() or ""
            chars += len(text)
            budget.check_chars(chars)
            budget.check_time()
            pages.append(_page_lines(text))
    except NoticeFormatError:
        raise
    except OSError:
        raise  # the disk, not the file: read_notice_file says so
    except Exception as err:  # any failure inside pypdf on a damaged or hostile file
        if type(err).__name__ == "LimitReachedError":  # pypdf's own decompression limits
            raise budget.refuse("的数据流解压后过大") from err
        raise _damaged(path.name, err) from err
    if not pages or not any(_CJK.search(line) for lines in pages for line in lines):
        visible = sum(len(line.strip()) for lines in pages for line in lines)
        if visible > 200:  # text there, but not as characters: fonts without a code table
            raise NoticeFormatError(
                f"{path.name} 中的文字无法提取为中文（PDF 的字体没有带字符编码）。"
                "请向发文单位索取 OFD 或 Word 文件，或在 WPS 中打开后另存为 .docx 再导入"
            )
        raise _scanned(path.name)
    running = _running_lines(pages)
    lines = [line for page in pages for line in page if _DIGITS.sub("#", line) not in running]
    return "\n".join(lines)


def _opened(reader: Any) -> bool:
    """Whether an encrypted PDF opens with the empty password (many are only "protected")."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # unsupported encryption is the same as a password
        return False


def _damaged(name: str, err: BaseException) -> NoticeFormatError:
    return NoticeFormatError(
        f"无法打开 PDF 文件：{name} 已损坏或格式不正确（{type(err).__name__}）"
    )
