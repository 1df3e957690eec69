"""Paints laid-out ledger pages as raw PDF operators on a reportlab canvas.

Each page is one string handed to ``Canvas.addLiteral``: fills first (header and band
shading), then the grid as a single path, then all text in one ``BT … ET`` block. Text
comes from :class:`~.pdf_text.TextEncoder`, so no per-character work happens here.
"""

from __future__ import annotations

from typing import Any

from .model import STATUS_BOLD, STATUS_COLOURS
from .page_draw import CENTRE_RISE, cell_pieces, fills, grid
from .pdf_style import Geometry, LedgerStyle
from .pdf_table import BAND, EMPTY, NOTE, PagePlan, Placed, TableLayout
from .pdf_text import TextEncoder
from .textwrap_cjk import CjkWrapper

BOLD_STROKE = 0.3


class FontRole:
    """An encoder and the wrapper that measured with it."""

    def __init__(self, encoder: TextEncoder, wrapper: CjkWrapper) -> None:
        self.encoder = encoder
        self.wrapper = wrapper


def _f(v: float) -> str:
    return f"{v:.2f}"


class PagePainter:
    """Turns :class:`PagePlan` objects into page content."""

    def __init__(
        self,
        canvas: Any,
        style: LedgerStyle,
        geo: Geometry,
        body: FontRole,
        title: FontRole,
        table: TableLayout,
    ) -> None:
        self.canvas = canvas
        self.table = table
        self.style = style
        self.geo = geo
        self.body = body
        self.title = title
        self._state: list[Any] = [None, 0.0]
        self._steps: dict[float, str] = {}  # leading → the operator moving to the next line
        # headings' operators by place: (font state before, operators, font state after)
        self._headers: dict[tuple[float, float, int], tuple[list[Any], list[str], list[Any]]] = {}

    def paint(self, plan: PagePlan, header_cells: list[list[str]], header_height: float) -> None:
        ops: list[str] = []
        self._state = [None, 0.0]
        self._fills(plan, header_height, ops)
        self._grid(plan, header_height, ops)
        ops.append(f"BT {self.style.leading:g} TL")
        if plan.header_top is not None:
            self._header_text(plan.header_top, header_cells, header_height, ops)
        for item in plan.items:
            self._item_text(item, ops)
        self._spans_text(plan, ops)
        for t in plan.texts:
            role = self.title if t.title_font else self.body
            x = t.x
            if t.align:
                w = role.wrapper.width(t.text, t.size)
                x -= w / 2 if t.align == 1 else w
            ops.append(f"1 0 0 1 {_f(x)} {_f(t.y)} Tm")
            ops.append(role.encoder.show(t.text, t.size, self._state))
        self._footer(plan, ops)
        ops.append("ET")
        self.canvas.addLiteral("\n".join(ops))

    def _footer(self, plan: PagePlan, ops: list[str]) -> None:
        """第 1 页 共 3 页, centred below the table. The spaces are half an em wide, the
        width of the space in 宋体, 仿宋 and 黑体, in every face: so the footer looks the
        same whatever the font, and every reader (copy and paste, search, screen readers,
        pdftotext) reads the spaces where they are printed."""
        words = ("第", str(plan.number), "页", "共", str(plan.total), "页")
        size, gap = self.style.footer_size, self.style.footer_gap
        encoder, width = self.body.encoder, self.body.wrapper.width
        total = sum(width(w, size) for w in words) + (len(words) - 1) * gap * size / 1000
        x = (self.geo.left + self.geo.right - total) / 2
        ops.append(f"1 0 0 1 {_f(x)} {_f(self.style.margin * 0.45)} Tm")
        for i, word in enumerate(words):
            if i:
                ops.append(encoder.show_space(gap, size, self._state))
            ops.append(encoder.show(word, size, self._state))

    # -- fills and grid ------------------------------------------------------------------

    def _fills(self, plan: PagePlan, header_height: float, ops: list[str]) -> None:
        for f in fills(plan, self.geo, header_height):
            ops.append(f"{f.grey:g} g {_f(f.x)} {_f(f.y)} {_f(f.width)} {_f(f.height)} re f")
        ops.append("0 g")

    def _grid(self, plan: PagePlan, header_height: float, ops: list[str]) -> None:
        style = self.style
        rules = grid(plan, self.geo, header_height)
        if rules.underlines:
            ops.append(f"{style.grid_width:g} w")
            for x1, y1, x2, y2 in rules.underlines:
                ops.append(f"{_f(x1)} {_f(y1)} m {_f(x2)} {_f(y2)} l")
            ops.append("S")
        if rules.frame is None:
            return
        path = [f"{style.grid_width:g} w 0 G"]
        path.extend(f"{_f(x1)} {_f(y1)} m {_f(x2)} {_f(y2)} l" for x1, y1, x2, y2 in rules.lines)
        path.append("S")
        x, y, w, h = rules.frame
        path.append(f"{style.frame_width:g} w {_f(x)} {_f(y)} {_f(w)} {_f(h)} re S")
        ops.append(" ".join(path) if len(path) < 64 else "\n".join(path))

    # -- text ------------------------------------------------------------------------------

    def _lines(
        self,
        lines: list[str],
        x0: float,
        x1: float,
        top: float,
        align: int,
        size: float,
        role: FontRole,
        ops: list[str],
        leading: float,
    ) -> None:
        """Lines starting at ``top`` (top of the first line box) between ``x0`` and ``x1``."""
        pad = self.style.pad_x
        baseline = top - leading / 2 - CENTRE_RISE * size
        centre = align == 1 or (align == 2 and len(lines) == 1)
        show = role.encoder.show
        state = self._state
        # the hottest loop of a ledger (a 20,000-task list paints 150,000 cells): numbers are
        # formatted inline, as _f does, and the line step is made once per leading
        if not centre:
            ops.append(f"1 0 0 1 {x0 + pad:.2f} {baseline:.2f} Tm")
            step = self._steps.get(leading)
            if step is None:
                step = self._steps[leading] = f"0 {-leading:g} Td"
            first = True
            for line in lines:
                if first:
                    first = False
                else:
                    ops.append(step)
                if line:
                    ops.append(show(line, size, state))
            return
        width = role.wrapper.width
        mid = (x0 + x1) / 2
        for i, line in enumerate(lines):
            if line:
                x = mid - width(line, size) / 2
                ops.append(f"1 0 0 1 {x:.2f} {baseline - i * leading:.2f} Tm")
                ops.append(show(line, size, state))

    def _header_text(
        self, top: float, cells: list[list[str]], height: float, ops: list[str]
    ) -> None:
        """The column headings repeated on every page: laid out and encoded once per place
        on the page (the first page's table starts lower, under the title), then reused."""
        key = (top, height, id(cells))
        cached = self._headers.get(key)
        if cached is None or cached[0] != self._state:
            start = list(self._state)
            out: list[str] = []
            style, xs = self.style, self.geo.xs
            lead = style.header_leading
            for c, lines in enumerate(cells):
                first = top - (height - len(lines) * lead) / 2
                self._lines(
                    lines, xs[c], xs[c + 1], first, 1, style.header_size, self.title, out, lead
                )
            cached = self._headers[key] = (start, out, list(self._state))
        ops.extend(cached[1])
        self._state[:] = cached[2]

    def _item_text(self, item: Placed, ops: list[str]) -> None:
        style, xs = self.style, self.geo.xs
        block = item.block
        kind = block.kind
        lead = style.leading
        if kind == BAND:
            lead = style.section_leading
            lines = block.cells[0]
            first = item.top - (item.height - len(lines) * lead) / 2
            ops.append(f"2 Tr {BOLD_STROKE:g} w")
            self._lines(
                lines,
                xs[0] + style.pad_x,
                xs[-1],
                first,
                0,
                style.section_size,
                self.title,
                ops,
                lead,
            )
            ops.append("0 Tr")
            return
        if kind == EMPTY:
            return
        if kind == NOTE:
            lines = block.cells[0][item.offset : item.offset + item.count]
            first = item.top - (item.height - len(lines) * lead) / 2
            self._lines(lines, xs[2], xs[-1], first, 0, style.body_size, self.body, ops, lead)
            return
        size = style.body_size
        table = self.table
        for c, lines, first in cell_pieces(item, style, table.repeated):
            align = table.aligns[c]
            if c == table.status_col and block.status:
                r, g, b = STATUS_COLOURS.get(block.status, (0.0, 0.0, 0.0))
                colour = f"{r:g} {g:g} {b:g}"
                bold = block.status in STATUS_BOLD
                ops.append(
                    f"{colour} rg {colour} RG" + (f" 2 Tr {BOLD_STROKE:g} w" if bold else "")
                )
                self._lines(lines, xs[c], xs[c + 1], first, align, size, self.body, ops, lead)
                ops.append("0 g 0 G" + (" 0 Tr" if bold else ""))
                continue
            self._lines(lines, xs[c], xs[c + 1], first, align, size, self.body, ops, lead)

    def _spans_text(self, plan: PagePlan, ops: list[str]) -> None:
        style, xs = self.style, self.geo.xs
        lead = style.leading
        for span in plan.spans:
            first = span.top - (span.height - len(span.lines) * lead) / 2
            self._lines(span.lines, xs[1], xs[2], first, 0, style.body_size, self.body, ops, lead)
