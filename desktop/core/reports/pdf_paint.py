"""Paints laid-out ledger pages as PDF content streams.

Each page is one string of operators: fills first (header and band shading), then the
grid as a single path, then all text in one ``BT … ET`` block. Text comes from
:class:`~.pdf_text.TextEncoder`, so no per-character work happens here: a left-aligned
cell is one text matrix and one string of glyph codes whatever its number of lines (the
lines are stepped by the ``'`` operator and the text leading ``TL``).
"""

from __future__ import annotations

from typing import Any

from .model import STATUS_BOLD, STATUS_COLOURS
from .page_draw import CENTRE_RISE, cell_pieces, fills, grid
from .pdf_style import Geometry, LedgerStyle
from .pdf_table import BAND, EMPTY, NOTE, PagePlan, Placed, TableLayout
from .pdf_text import NEXT_LINE, TextEncoder, select_font
from .textwrap_cjk import CjkWrapper

BOLD_STROKE = 0.3


# a cell's lines; the y of its first text matrix above the baseline of a one-line cell;
# that matrix but its y; the text shown there; the other lines: (matrix but its y, y
# below the first, text)
_CellOps = tuple[list[str], float, str, str, tuple[tuple[str, float, str], ...]]


class FontRole:
    """An encoder and the wrapper that measured with it."""

    def __init__(self, encoder: TextEncoder, wrapper: CjkWrapper) -> None:
        self.encoder = encoder
        self.wrapper = wrapper


def _f(v: float) -> str:
    return f"{v:.2f}"


class _Coordinates(dict[float, str]):
    """Coordinates formatted as the page content writes them, each value once."""

    def __missing__(self, v: float) -> str:
        text = self[v] = f"{v:.2f}"
        return text


class PagePainter:
    """Turns :class:`PagePlan` objects into page content."""

    def __init__(
        self,
        style: LedgerStyle,
        geo: Geometry,
        body: FontRole,
        title: FontRole,
        table: TableLayout,
    ) -> None:
        self.table = table
        self.style = style
        self.geo = geo
        self.body = body
        self.title = title
        # the text state in the page's content: font resource, size, leading (TL)
        self._state: list[Any] = [None, 0.0, 0.0]
        # the x of a left-aligned cell's lines by column edge, formatted once
        self._left_x: dict[float, str] = {}
        xs = geo.xs
        # each column: the start of a left-aligned line's text matrix, alignment, middle
        self._columns = [
            (f"1 0 0 1 {xs[c] + style.pad_x:.2f}", align, (xs[c] + xs[c + 1]) / 2)
            for c, align in enumerate(table.aligns)
        ]
        self._colours: dict[str, tuple[str, str]] = {}
        # the footer's words: their widths, and what shows each (see _footer)
        self._footer_widths: dict[str, float] = {}
        self._footer_ops: dict[tuple[str, Any, float], tuple[str, Any, float]] = {}
        self._coordinates = _Coordinates()  # every page's rules share many of their x and y
        # per column, the operators of a cell by the identity of its lines (see _ops_of)
        self._cell_ops: list[dict[int, _CellOps]] = [{} for _ in table.aligns]
        # headings' operators by place: (font state before, operators, font state after)
        self._headers: dict[tuple[float, float, int], tuple[list[Any], list[str], list[Any]]] = {}

    def paint(self, plan: PagePlan, header_cells: list[list[str]], header_height: float) -> str:
        """The content stream of one page."""
        ops: list[str] = []
        self._state = [None, 0.0, 0.0]
        self._fills(plan, header_height, ops)
        self._grid(plan, header_height, ops)
        ops.append("BT")
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
        return "\n".join(ops)

    def _footer(self, plan: PagePlan, ops: list[str]) -> None:
        """第 1 页 共 3 页, centred below the table. The spaces are half an em wide, the
        width of the space in 宋体, 仿宋 and 黑体, in every face: so the footer looks the
        same whatever the font, and every reader (copy and paste, search, screen readers,
        pdftotext) reads the spaces where they are printed."""
        words = ("第", str(plan.number), "页", "共", str(plan.total), "页")
        size, gap = self.style.footer_size, self.style.footer_gap
        widths = self._footer_widths
        for w in words:
            if w not in widths:  # measured once (measuring may give a glyph)
                widths[w] = self.body.wrapper.width(w, size)
        total = sum(widths[w] for w in words) + (len(words) - 1) * gap * size / 1000
        x = (self.geo.left + self.geo.right - total) / 2
        ops.append(f"1 0 0 1 {_f(x)} {_f(self.style.margin * 0.45)} Tm")
        state = self._state
        shown = self._footer_ops
        for i, word in enumerate(words):
            # what shows a word (or the space before it: "") depends on it and on the
            # font selected before it only: made once for each
            for text in ("", word) if i else (word,):
                key = (text, state[0], state[1])
                made = shown.get(key)
                if made is None:
                    encoder = self.body.encoder
                    if text:
                        op = encoder.show(text, size, state)
                    else:
                        op = encoder.show_space(gap, size, state)
                    made = shown[key] = (op, state[0], state[1])
                else:
                    state[0], state[1] = made[1], made[2]
                ops.append(made[0])

    # -- fills and grid ------------------------------------------------------------------

    def _fills(self, plan: PagePlan, header_height: float, ops: list[str]) -> None:
        for f in fills(plan, self.geo, header_height):
            ops.append(f"{f.grey:g} g {_f(f.x)} {_f(f.y)} {_f(f.width)} {_f(f.height)} re f")
        ops.append("0 g")

    def _grid(self, plan: PagePlan, header_height: float, ops: list[str]) -> None:
        style = self.style
        rules = grid(plan, self.geo, header_height)
        f = self._coordinates
        if rules.underlines:
            ops.append(f"{style.grid_width:g} w")
            for x1, y1, x2, y2 in rules.underlines:
                ops.append(f"{f[x1]} {f[y1]} m {f[x2]} {f[y2]} l")
            ops.append("S")
        if rules.frame is None:
            return
        path = [f"{style.grid_width:g} w 0 G"]
        path.extend([f"{f[x1]} {f[y1]} m {f[x2]} {f[y2]} l" for x1, y1, x2, y2 in rules.lines])
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
        if not lines:
            return
        baseline = top - leading / 2 - CENTRE_RISE * size
        state = self._state
        # a left-aligned cell is one text matrix and one string, its x formatted once
        if align == 0 or (align == 2 and len(lines) > 1):
            if state[2] != leading:
                state[2] = leading
                ops.append(f"{leading:g} TL")
            start = self._left_x.get(x0)
            if start is None:
                start = self._left_x[x0] = f"1 0 0 1 {x0 + self.style.pad_x:.2f}"
            ops.append(f"{start} {baseline + leading:.2f} Tm")
            ops.append(role.encoder.show_lines(lines, size, state))
            return
        show = role.encoder.show
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
        if item.offset == 0 and item.count >= block.lines:
            self._row_text(item, ops)
            return
        size = style.body_size
        table = self.table
        for c, lines, first in cell_pieces(item, style, table.repeated):
            align = table.aligns[c]
            if c == table.status_col and block.status:
                before, after = self._status_ops(block.status)
                ops.append(before)
                self._lines(lines, xs[c], xs[c + 1], first, align, size, self.body, ops, lead)
                ops.append(after)
                continue
            self._lines(lines, xs[c], xs[c + 1], first, align, size, self.body, ops, lead)

    def _row_text(self, item: Placed, ops: list[str]) -> None:
        """A whole task row, each cell centred in the row's height: what
        :meth:`_lines` does for each of :func:`~.page_draw.cell_pieces`, in one loop (a
        ledger paints ten cells for each of its rows)."""
        block = item.block
        style = self.style
        lead = style.leading
        size = style.body_size
        state = self._state
        if state[2] != lead:
            state[2] = lead
            ops.append(f"{lead:g} TL")
        # the baseline of a one-line cell (see _ops_of for the others)
        middle = item.top - item.height / 2 + lead / 2 - CENTRE_RISE * size
        encoder = self.body.encoder
        plain = encoder.plain()
        add = ops.append
        status = block.status
        status_col = self.table.status_col if status else -1
        if plain is None:  # a character of a fallback face somewhere: cell by cell
            xs = self.geo.xs
            aligns = self.table.aligns
            for c, cell in enumerate(block.cells):
                if cell:
                    align = aligns[c]
                    if c == status_col:
                        before, after = self._status_ops(status)
                        add(before)
                    first = item.top - (item.height - len(cell) * lead) / 2
                    self._lines(cell, xs[c], xs[c + 1], first, align, size, self.body, ops, lead)
                    if c == status_col:
                        add(after)
            return
        selected = select_font(plain, size, state)
        if selected:
            add(selected)
        caches = self._cell_ops
        for c, cell in enumerate(block.cells):
            if not cell:
                continue
            cache = caches[c]
            entry = cache.get(id(cell))
            if entry is None or entry[0] is not cell:
                entry = cache[id(cell)] = self._ops_of(c, cell)
            if c == status_col:
                before, after = self._status_ops(status)
                add(before)
            top = middle + entry[1]
            add(f"{entry[2]}{top:.2f}{entry[3]}")
            for start, dy, show in entry[4]:
                add(f"{start}{top + dy:.2f}{show}")
            if c == status_col:
                add(after)

    def _ops_of(self, c: int, cell: list[str]) -> _CellOps:
        """What drawing ``cell`` in column ``c`` takes but its row's place on the page.
        A cell's lines are a list shared by every cell of the same text in the column
        (:meth:`~.pdf_table.TableLayout._row`), so a repeated cell is encoded once."""
        style = self.style
        lead, size = style.leading, style.body_size
        x, align, mid = self._columns[c]
        n = len(cell)
        # the first text matrix of a left-aligned cell of n lines (one leading above its
        # first baseline) is n * lead / 2 above the baseline of a one-line cell
        rise = n * lead / 2
        if align == 0 or (align == 2 and n > 1):
            # the glyph codes of a line are its UTF-16 encoding (see pdf_text)
            hexed = NEXT_LINE.join([ln.encode("utf-16-be").hex() for ln in cell])
            return (cell, rise, f"{x} ", f" Tm<{hexed}>'", ())
        width = self.body.wrapper.width
        pieces = [
            (
                f"1 0 0 1 {mid - width(line, size) / 2:.2f} ",
                rise - lead * (i + 1),
                f" Tm<{line.encode('utf-16-be').hex()}>Tj",
            )
            for i, line in enumerate(cell)
            if line
        ]
        if not pieces:
            return (cell, rise, "", "", ())
        (start, dy, show), rest = pieces[0], pieces[1:]
        return (cell, dy, start, show, tuple((a, y - dy, b) for a, y, b in rest))

    def _status_ops(self, status: str) -> tuple[str, str]:
        """The operators before a status's words (its colour, bold for the statuses that
        stand out) and after them (back to black)."""
        ops = self._colours.get(status)
        if ops is None:
            r, g, b = STATUS_COLOURS.get(status, (0.0, 0.0, 0.0))
            colour = f"{r:g} {g:g} {b:g}"
            bold = status in STATUS_BOLD
            ops = self._colours[status] = (
                f"{colour} rg {colour} RG" + (f" 2 Tr {BOLD_STROKE:g} w" if bold else ""),
                "0 g 0 G" + (" 0 Tr" if bold else ""),
            )
        return ops

    def _spans_text(self, plan: PagePlan, ops: list[str]) -> None:
        style, xs = self.style, self.geo.xs
        lead = style.leading
        for span in plan.spans:
            first = span.top - (span.height - len(span.lines) * lead) / 2
            self._lines(span.lines, xs[1], xs[2], first, 0, style.body_size, self.body, ops, lead)
