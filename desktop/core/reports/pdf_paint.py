"""Paints laid-out ledger pages as raw PDF operators on a reportlab canvas.

Each page is one string handed to ``Canvas.addLiteral``: fills first (header and band
shading), then the grid as a single path, then all text in one ``BT … ET`` block. Text
comes from :class:`~.pdf_text.TextEncoder`, so no per-character work happens here.
"""

from __future__ import annotations

from typing import Any

from .model import NCOL, STATUS_BOLD, STATUS_COLOURS
from .pdf_style import COLUMN_ALIGN, Geometry, LedgerStyle
from .pdf_table import BAND, EMPTY, NOTE, TASK, PagePlan, Placed
from .pdf_text import TextEncoder
from .textwrap_cjk import CjkWrapper

# the short cells repeated on every page a long row spans, and the coloured one
PERCENT_COL, STATUS_COL = NCOL - 2, NCOL - 1
HEADER_GREY = 0.88
BAND_GREY = 0.93
# Glyph centre above the baseline, as a share of the type size (CJK em box).
CENTRE_RISE = 0.36
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
        self, canvas: Any, style: LedgerStyle, geo: Geometry, body: FontRole, title: FontRole
    ) -> None:
        self.canvas = canvas
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
        footer = f"第 {plan.number} 页 共 {plan.total} 页"
        size = self.style.footer_size
        x = (self.geo.left + self.geo.right - self.body.wrapper.width(footer, size)) / 2
        ops.append(f"1 0 0 1 {_f(x)} {_f(self.style.margin * 0.45)} Tm")
        ops.append(self.body.encoder.show(footer, size, self._state))
        ops.append("ET")
        self.canvas.addLiteral("\n".join(ops))

    # -- fills and grid ------------------------------------------------------------------

    def _fills(self, plan: PagePlan, header_height: float, ops: list[str]) -> None:
        geo = self.geo
        if plan.header_top is not None:
            ops.append(
                f"{HEADER_GREY:g} g {_f(geo.left)} {_f(plan.header_top - header_height)} "
                f"{_f(geo.width)} {_f(header_height)} re f"
            )
        for item in plan.items:
            if item.block.kind == BAND:
                ops.append(
                    f"{BAND_GREY:g} g {_f(geo.left)} {_f(item.top - item.height)} "
                    f"{_f(geo.width)} {_f(item.height)} re f"
                )
        ops.append("0 g")

    def _grid(self, plan: PagePlan, header_height: float, ops: list[str]) -> None:
        style, geo = self.style, self.geo
        xs = geo.xs
        left, right = geo.left, geo.right
        if plan.rules:
            ops.append(f"{style.grid_width:g} w")
            for x1, y1, x2, y2 in plan.rules:
                ops.append(f"{_f(x1)} {_f(y1)} m {_f(x2)} {_f(y2)} l")
            ops.append("S")
        if plan.header_top is None:
            return
        top = plan.header_top
        body_top = top - header_height
        path = [f"{style.grid_width:g} w 0 G"]
        add = path.append
        for x in xs[1:-1]:
            add(f"{_f(x)} {_f(top)} m {_f(x)} {_f(body_top)} l")
        add(f"{_f(left)} {_f(body_top)} m {_f(right)} {_f(body_top)} l")
        run_pattern: tuple[float, ...] = ()
        run_top = body_top
        y = body_top
        for item in plan.items:
            kind = item.block.kind
            pattern = xs[1:-1] if kind in (TASK, EMPTY) else (xs[1], xs[2]) if kind == NOTE else ()
            if pattern != run_pattern:
                for x in run_pattern:
                    add(f"{_f(x)} {_f(run_top)} m {_f(x)} {_f(y)} l")
                run_pattern, run_top = pattern, item.top
            y = item.top - item.height
            if kind == BAND:
                add(f"{_f(left)} {_f(y)} m {_f(right)} {_f(y)} l")
            else:
                fy = _f(y)
                add(f"{_f(left)} {fy} m {_f(xs[1])} {fy} l {_f(xs[2])} {fy} m {_f(right)} {fy} l")
        for x in run_pattern:
            add(f"{_f(x)} {_f(run_top)} m {_f(x)} {_f(y)} l")
        for span in plan.spans:
            yb = span.top - span.height
            add(f"{_f(xs[1])} {_f(yb)} m {_f(xs[2])} {_f(yb)} l")
        add("S")
        add(f"{style.frame_width:g} w {_f(left)} {_f(y)} {_f(right - left)} {_f(top - y)} re S")
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
        whole = item.offset == 0 and item.count >= block.lines
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
        for c, cell in enumerate(block.cells):
            if not cell:
                continue
            if c in (0, PERCENT_COL, STATUS_COL):
                lines = cell[: item.count]
            elif whole:
                lines = cell
            else:
                lines = cell[item.offset : item.offset + item.count]
                if not lines:
                    continue
            if whole:
                first = item.top - (item.height - len(lines) * lead) / 2
            else:
                first = item.top - style.pad_y
            if c == STATUS_COL and block.status:
                r, g, b = STATUS_COLOURS.get(block.status, (0.0, 0.0, 0.0))
                colour = f"{r:g} {g:g} {b:g}"
                bold = block.status in STATUS_BOLD
                ops.append(
                    f"{colour} rg {colour} RG" + (f" 2 Tr {BOLD_STROKE:g} w" if bold else "")
                )
                self._lines(
                    lines, xs[c], xs[c + 1], first, COLUMN_ALIGN[c], size, self.body, ops, lead
                )
                ops.append("0 g 0 G" + (" 0 Tr" if bold else ""))
                continue
            self._lines(lines, xs[c], xs[c + 1], first, COLUMN_ALIGN[c], size, self.body, ops, lead)

    def _spans_text(self, plan: PagePlan, ops: list[str]) -> None:
        style, xs = self.style, self.geo.xs
        lead = style.leading
        for span in plan.spans:
            first = span.top - (span.height - len(span.lines) * lead) / 2
            self._lines(span.lines, xs[1], xs[2], first, 0, style.body_size, self.body, ops, lead)
