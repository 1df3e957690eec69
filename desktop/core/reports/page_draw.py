"""What one laid-out ledger page shows, as plain drawing steps in points (y upwards).

The page layout (:mod:`.pdf_table`) decides which lines go where; this module turns a
:class:`~.pdf_table.PagePlan` into shaded rectangles, ruled lines and positioned text lines,
so that every painter draws the same page: the PDF painter (:mod:`.pdf_paint`) takes the
grid and the cell pieces from here, and the printer's ``QPainter`` in the screens draws
the whole list. Nothing here knows about reportlab or Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .model import STATUS_BOLD, STATUS_COLOURS
from .pdf_style import Geometry, LedgerStyle
from .pdf_table import BAND, EMPTY, NOTE, TASK, PagePlan, Placed, TableLayout

HEADER_GREY = 0.88
BAND_GREY = 0.93
# Glyph centre above the baseline, as a share of the type size (CJK em box).
CENTRE_RISE = 0.36
BLACK = (0.0, 0.0, 0.0)

Segment = tuple[float, float, float, float]
Width = Callable[[str, float], float]


@dataclass(slots=True)
class Fill:
    x: float
    y: float
    width: float
    height: float
    grey: float


@dataclass(slots=True)
class TextLine:
    """One line of text; ``x`` is where it starts, ``y`` its baseline."""

    x: float
    y: float
    text: str
    size: float
    title_font: bool = False
    colour: tuple[float, float, float] = BLACK
    bold: bool = False


@dataclass(slots=True)
class Grid:
    """The rules of a page: thin lines (table grid), the sign-off's underlines, the frame."""

    lines: list[Segment]
    underlines: list[Segment]
    frame: tuple[float, float, float, float] | None  # x, y, width, height


def fills(plan: PagePlan, geo: Geometry, header_height: float) -> list[Fill]:
    """The grey header row and the section bands."""
    out = []
    if plan.header_top is not None:
        out.append(
            Fill(geo.left, plan.header_top - header_height, geo.width, header_height, HEADER_GREY)
        )
    for item in plan.items:
        if item.block.kind == BAND:
            out.append(Fill(geo.left, item.top - item.height, geo.width, item.height, BAND_GREY))
    return out


def grid(plan: PagePlan, geo: Geometry, header_height: float) -> Grid:
    """The table's rules: column lines run down as far as the rows they separate go (a
    section band and a note row are not cut), a line under every row, the measure column
    uncut where its label spans rows, and the frame around the table."""
    lines: list[Segment] = []
    add = lines.append
    underlines = list(plan.rules)
    if plan.header_top is None:
        return Grid(lines, underlines, None)
    xs = geo.xs
    left, right = geo.left, geo.right
    top = plan.header_top
    body_top = top - header_height
    for x in xs[1:-1]:
        add((x, top, x, body_top))
    add((left, body_top, right, body_top))
    run_pattern: tuple[float, ...] = ()
    run_top = body_top
    y = body_top
    for item in plan.items:
        kind = item.block.kind
        pattern = xs[1:-1] if kind in (TASK, EMPTY) else (xs[1], xs[2]) if kind == NOTE else ()
        if pattern != run_pattern:
            for x in run_pattern:
                add((x, run_top, x, y))
            run_pattern, run_top = pattern, item.top
        y = item.top - item.height
        if kind == BAND:
            add((left, y, right, y))
        else:
            add((left, y, xs[1], y))
            add((xs[2], y, right, y))
    for x in run_pattern:
        add((x, run_top, x, y))
    for span in plan.spans:
        yb = span.top - span.height
        add((xs[1], yb, xs[2], yb))
    return Grid(lines, underlines, (left, y, right - left, top - y))


def cell_pieces(
    item: Placed, style: LedgerStyle, repeated: frozenset[int]
) -> Iterator[tuple[int, list[str], float]]:
    """The cells of a task row on this page: (column, its lines here, top of the first).

    A row split over pages shows its share of each long cell; the short cells (编号, the
    percent and the status: ``repeated``) repeat on every piece; a whole row is centred in
    its height."""
    block = item.block
    whole = item.offset == 0 and item.count >= block.lines
    lead = style.leading
    for c, cell in enumerate(block.cells):
        if not cell:
            continue
        if c in repeated:
            lines = cell[: item.count]
        elif whole:
            lines = cell
        else:
            lines = cell[item.offset : item.offset + item.count]
            if not lines:
                continue
        first = (
            item.top - (item.height - len(lines) * lead) / 2 if whole else item.top - style.pad_y
        )
        yield c, lines, first


def place_lines(
    lines: list[str],
    x0: float,
    x1: float,
    top: float,
    align: int,
    size: float,
    leading: float,
    pad: float,
    width: Width,
) -> Iterator[tuple[float, float, str]]:
    """(x, baseline, line) of ``lines`` set from ``top`` between ``x0`` and ``x1``;
    ``align`` 0 left, 1 centred, 2 centred when one line else left."""
    baseline = top - leading / 2 - CENTRE_RISE * size
    centre = align == 1 or (align == 2 and len(lines) == 1)
    mid = (x0 + x1) / 2
    for i, line in enumerate(lines):
        if line:
            x = mid - width(line, size) / 2 if centre else x0 + pad
            yield x, baseline - i * leading, line


def footer_text(plan: PagePlan) -> str:
    return f"第 {plan.number} 页 共 {plan.total} 页"


def text_lines(
    plan: PagePlan,
    style: LedgerStyle,
    geo: Geometry,
    table: TableLayout,
    body_width: Width,
    title_width: Width,
) -> list[TextLine]:
    """Every line of text on the page, where the PDF prints it."""
    xs, pad = geo.xs, style.pad_x
    header_cells, header_height = table.header_cells, table.header_height
    out: list[TextLine] = []

    def put(
        lines: list[str],
        x0: float,
        x1: float,
        top: float,
        align: int,
        size: float,
        leading: float,
        title: bool = False,
        colour: tuple[float, float, float] = BLACK,
        bold: bool = False,
    ) -> None:
        width = title_width if title else body_width
        for x, y, line in place_lines(lines, x0, x1, top, align, size, leading, pad, width):
            out.append(TextLine(x, y, line, size, title, colour, bold))

    if plan.header_top is not None:
        lead = style.header_leading
        for c, lines in enumerate(header_cells):
            first = plan.header_top - (header_height - len(lines) * lead) / 2
            put(lines, xs[c], xs[c + 1], first, 1, style.header_size, lead, title=True)
    for item in plan.items:
        block = item.block
        if block.kind == BAND:
            lead = style.section_leading
            lines = block.cells[0]
            first = item.top - (item.height - len(lines) * lead) / 2
            put(lines, xs[0] + pad, xs[-1], first, 0, style.section_size, lead, True, bold=True)
        elif block.kind == NOTE:
            lines = block.cells[0][item.offset : item.offset + item.count]
            first = item.top - (item.height - len(lines) * style.leading) / 2
            put(lines, xs[2], xs[-1], first, 0, style.body_size, style.leading)
        elif block.kind == TASK:
            for c, lines, first in cell_pieces(item, style, table.repeated):
                colour, bold = BLACK, False
                if c == table.status_col and block.status:
                    colour = STATUS_COLOURS.get(block.status, BLACK)
                    bold = block.status in STATUS_BOLD
                put(
                    lines, xs[c], xs[c + 1], first, table.aligns[c], style.body_size,
                    style.leading, colour=colour, bold=bold,
                )  # fmt: skip
    for span in plan.spans:
        first = span.top - (span.height - len(span.lines) * style.leading) / 2
        put(span.lines, xs[1], xs[2], first, 0, style.body_size, style.leading)
    for t in plan.texts:
        width = title_width if t.title_font else body_width
        x = t.x
        if t.align:
            w = width(t.text, t.size)
            x -= w / 2 if t.align == 1 else w
        out.append(TextLine(x, t.y, t.text, t.size, t.title_font))
    footer = footer_text(plan)
    size = style.footer_size
    x = (geo.left + geo.right - body_width(footer, size)) / 2
    out.append(TextLine(x, style.margin * 0.45, footer, size))
    return out
