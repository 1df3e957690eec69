"""Cell styles, row heights and package clean-up for the Excel ledger.

Styles are openpyxl *named* styles, made once per workbook: assigning a named style to a
cell copies a small array, where assigning font, border and alignment objects one by
one hashes each of them per cell — several times slower on a list of thousands.
"""

from __future__ import annotations

import io
import re
import zipfile
from math import ceil
from typing import Any

from .model import STATUS_COLOURS

# Points per wrapped line of 10 pt text. Excel with 宋体 needs about 13.5; LibreOffice with
# the CJK faces Linux desktops substitute for 宋体 (Noto Sans CJK: 1.45 em) needs 14.2–14.5,
# and a row sized for 宋体 cut the last line of long progress cells off. Sized for the
# taller face: a little air in Excel, nothing cut anywhere.
LINE_HEIGHT = 14.5
MAX_ROW_HEIGHT = 409.0  # Excel's limit
_CHAR_REF = re.compile(r"&#([0-9]+);")

TITLE = "台账标题"
SUBTITLE = "台账副标题"
META_LEFT = "台账信息"
META_RIGHT = "台账信息右"
HEADER = "台账表头"
BAND = "台账领域"
BODY_LEFT = "台账正文"
BODY_CENTRE = "台账正文居中"
NUMBER = "台账编号"  # text format, so an edited 编号 like 1-2 stays text
STATUS_PREFIX = "台账状态"


def status_style(status: str) -> str:
    """The named style of the 状态 cell for ``status``."""
    return f"{STATUS_PREFIX}{status}" if status in STATUS_COLOURS and status else BODY_CENTRE


def _hex(rgb: tuple[float, float, float]) -> str:
    return "FF" + "".join(f"{round(c * 255):02X}" for c in rgb)


def add_named_styles(wb: Any) -> None:
    """Registers every style the ledger uses with the workbook."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="FF000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)

    def add(
        name: str, font: Any, align: Any, border: Any = None, fill: Any = None, fmt: str = ""
    ) -> None:
        style = NamedStyle(name=name, font=font, alignment=align)
        if fmt:
            style.number_format = fmt
        if border is not None:
            style.border = border
        if fill is not None:
            style.fill = fill
        wb.add_named_style(style)

    add(TITLE, Font(name="黑体", size=16, bold=True), centre)
    add(SUBTITLE, Font(name="楷体", size=12), centre)
    add(META_LEFT, Font(name="宋体", size=10), left)
    add(META_RIGHT, Font(name="宋体", size=10), Alignment(horizontal="right", vertical="center"))
    add(
        HEADER,
        Font(name="黑体", size=10, bold=True),
        centre,
        grid,
        PatternFill("solid", fgColor="FFDDDDDD"),
    )
    add(
        BAND,
        Font(name="黑体", size=10, bold=True),
        left,
        grid,
        PatternFill("solid", fgColor="FFEDEDED"),
    )
    add(BODY_LEFT, Font(name="宋体", size=10), left, grid)
    add(BODY_CENTRE, Font(name="宋体", size=10), centre, grid)
    add(NUMBER, Font(name="宋体", size=10), centre, grid, fmt="@")
    for key, rgb in STATUS_COLOURS.items():
        if key:
            font = Font(name="宋体", size=10, color=_hex(rgb), bold=key == "lagging")
            add(status_style(key), font, centre, grid)


def estimate_lines(text: str, width: float) -> int:
    """Estimated wrapped lines of ``text`` in a column ``width`` characters wide.

    A Chinese character is about two width units in a 10 pt 宋体 cell, a Latin one about
    one: the byte count of the GBK encoding, which runs in C.
    """
    if not text:
        return 1
    room = max(1.0, width - 1.5)
    return sum(max(1, ceil(len(p.encode("gbk", "replace")) / room)) for p in text.split("\n"))


def row_height(lines: int) -> float:
    """Points for ``lines`` lines of 10 pt text (Excel does not size rows of merged cells)."""
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 4)


def utf8_package(data: bytes) -> bytes:
    """The package with Chinese written as UTF-8 instead of ``&#29301;`` references.

    openpyxl 3.1 writes every non-ASCII character of a sheet as a numeric character
    reference: valid, but four times larger and unreadable to tools that search the XML.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.endswith(".xml") and b"&#" in body:
                body = _CHAR_REF.sub(_char, body.decode("utf-8")).encode("utf-8")
            target.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _char(m: re.Match[str]) -> str:
    code = int(m.group(1))
    # Markup characters (&, <, >, quotes) and controls stay escaped.
    return chr(code) if code > 127 else m.group(0)
