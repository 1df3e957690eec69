"""The text of an OFD notice (GB/T 33190, the national format for official documents).

An OFD file is a zip of XML: ``OFD.xml`` names each document's root (``DocRoot``), the
``Document.xml`` there lists the pages (``Pages/Page/@BaseLoc``), and each page's
``Content.xml`` holds ``TextObject`` elements placed by their ``Boundary`` (x y w h, in
millimetres from the top left) with the characters in ``TextCode`` children. Objects
are not stored in reading order, so they are grouped into lines by their vertical
position and read left to right, top to bottom. Template pages, annotations and
signatures are not read.

The archive is read under a ``NoticeBudget`` (member count, decompressed sizes, elements,
pages, time), XML without DTDs or entities; any damage becomes one Chinese line.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.notice.budget import NoticeBudget, check_archive, parse_xml, read_member
from desktop.errors import NoticeFormatError


@dataclass
class _Run:
    """Text placed on a page: its top, left, height and characters."""

    y: float
    x: float
    height: float
    text: str


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse_xml(data: bytes, name: str, budget: NoticeBudget) -> Any:
    from lxml import etree

    try:
        return parse_xml(data, name, budget)
    except etree.LxmlError as err:
        raise _damaged(budget.name, f"{name} 不是合法的 XML") from err


def _damaged(name: str, why: str) -> NoticeFormatError:
    return NoticeFormatError(f"无法打开 OFD 文件：{name} 已损坏或格式不正确（{why}）")


def _resolve(base: str, loc: str) -> str:
    """A location in the package: absolute (/Doc_0/…) or relative to ``base``'s folder."""
    loc = loc.strip().replace("\\", "/")
    path = loc.lstrip("/") if loc.startswith("/") else posixpath.join(posixpath.dirname(base), loc)
    path = posixpath.normpath(path)
    if path.startswith("..") or path.startswith("/"):
        raise NoticeFormatError(f"无法打开 OFD 文件：包内路径不合法（{loc[:40]}）")
    return path


def _child_text(element: Any, local: str) -> str | None:
    for child in element:
        if _local(child.tag) == local:
            return str(child.text or "").strip()
    return None


def _numbers(value: str | None, count: int) -> list[float]:
    parts = (value or "").split()
    try:
        numbers = [float(p) for p in parts[:count]]
    except ValueError:
        return [0.0] * count
    return numbers + [0.0] * (count - len(numbers))


def _page_runs(root: Any) -> list[_Run]:
    runs: list[_Run] = []
    for obj in root.iter():
        if _local(obj.tag) != "TextObject":
            continue
        x, y, _w, h = _numbers(obj.get("Boundary"), 4)
        for code in obj:
            if _local(code.tag) != "TextCode" or not code.text:
                continue
            dx, dy = _numbers(f"{code.get('X', '0')} {code.get('Y', '0')}", 2)
            size = _numbers(obj.get("Size"), 1)[0] or h or 1.0
            runs.append(_Run(y + dy, x + dx, size, code.text))
    return runs


def _lines(runs: list[_Run]) -> list[str]:
    """Runs grouped into lines (baselines within half a character height), read in order."""
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x)):
        if lines and abs(run.y - lines[-1][0].y) <= max(run.height, lines[-1][0].height) / 2:
            lines[-1].append(run)
        else:
            lines.append([run])
    return ["".join(r.text for r in sorted(line, key=lambda r: r.x)).strip() for line in lines]


def _document_roots(archive: zipfile.ZipFile, budget: NoticeBudget) -> list[str]:
    root = _parse_xml(read_member(archive, "OFD.xml", budget), "OFD.xml", budget)
    docs = [
        _resolve("OFD.xml", str(el.text))
        for el in root.iter()
        if _local(el.tag) == "DocRoot" and el.text
    ]
    if not docs:
        raise _damaged(budget.name, "OFD.xml 中没有 DocRoot")
    return docs


def _page_locations(archive: zipfile.ZipFile, doc: str, budget: NoticeBudget) -> list[str]:
    root = _parse_xml(read_member(archive, doc, budget), doc, budget)
    return [
        _resolve(doc, str(el.get("BaseLoc")))
        for el in root.iter()
        if _local(el.tag) == "Page" and el.get("BaseLoc")
    ]


def read_ofd(path: Path, budget: NoticeBudget | None = None) -> str:
    """The text of an OFD file: every page's text objects in reading order."""
    budget = budget or NoticeBudget(path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            check_archive(archive, budget)
            names = set(archive.namelist())
            if "OFD.xml" not in names:
                raise _damaged(path.name, "缺少 OFD.xml")
            lines: list[str] = []
            for doc in _document_roots(archive, budget):
                if doc not in names:
                    raise _damaged(path.name, f"缺少 {doc[:40]}")
                pages = _page_locations(archive, doc, budget)
                budget.check_pages(len(pages))
                for page in pages:
                    if page not in names:
                        raise _damaged(path.name, f"缺少 {page[:40]}")
                    root = _parse_xml(read_member(archive, page, budget), page, budget)
                    lines += [line for line in _lines(_page_runs(root)) if line]
                    budget.check_chars(sum(len(line) for line in lines))
                    budget.check_time()
    except NoticeFormatError:
        raise
    except OSError:
        raise  # the disk, not the file: read_notice_file says so
    except Exception as err:  # zipfile, zlib and lxml on a damaged or hostile file
        raise _damaged(path.name, type(err).__name__) from err
    text = "\n".join(lines)
    if not text.strip():
        raise NoticeFormatError(
            f"{path.name} 中没有文字（可能是扫描件），无法读取。请向发文单位索取文字版文件后再导入"
        )
    return text
