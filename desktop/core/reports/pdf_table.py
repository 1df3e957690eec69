"""Page layout of the ledger: wraps every cell, measures rows and breaks pages.

The layout runs before anything is drawn, so every page knows its part's page count
(``第 X 页 共 Y 页``) when it is painted — or the whole file's, when the document numbers
its pages straight through (``page_numbering="document"``). Rules:

- each part starts on a new page with the title block; the header row tops every page;
- a section band stays with what follows it;
- a measure's label cell spans its rows; when the group runs over a page break the
  label is repeated on the next page with "（续）"; when the label is taller than its
  rows the last row is stretched;
- a row that fits on a fresh page is never split; a row taller than a page is split at
  line boundaries, the number repeated on each piece;
- the sign-off block is kept together, on a new page if needed; it ends every part, or
  only the last one when the pages are numbered through the whole document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desktop.core.vocabulary import percent_text

from .model import ROW_TEXT, LedgerDocument, LedgerMeasureGroup, LedgerRow, status_lines
from .pdf_style import Geometry, LedgerStyle
from .textwrap_cjk import CjkWrapper, clean_text

TASK, NOTE, EMPTY, BAND = 0, 1, 2, 3
CONTINUED = "（续）"
NOT_APPLICABLE = "不适用："
NOTHING = "（无相关任务）"
SIGNOFF_ROWS = 2
SIGNOFF_ROW = 2.4  # sign-off row height, in type sizes
BLANK_FIELD = "　"


@dataclass(slots=True)
class Block:
    """A table row before placement; ``cells[i]`` are the lines of column ``i``."""

    kind: int
    cells: list[list[str]]
    lines: int
    status: str = ""


@dataclass(slots=True)
class Placed:
    """A block (or a piece of a split one) on a page; ``top`` is an absolute y."""

    block: Block
    top: float
    height: float
    offset: int
    count: int


@dataclass(slots=True)
class Span:
    """A measure label cell spanning rows on one page."""

    top: float
    height: float
    lines: list[str]


@dataclass(slots=True)
class Text:
    """A positioned line outside the table (title block, sign-off)."""

    x: float
    y: float
    text: str
    size: float
    title_font: bool
    align: int = 0  # 0 left of x, 1 centred on x, 2 right of x


@dataclass(slots=True)
class PagePlan:
    """Everything one page shows."""

    part: int
    number: int
    header_top: float | None
    items: list[Placed] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)
    total: int = 0


_TEXT, _NOTHING, _PERCENT, _STATUS, _PROGRESS = range(5)


def _row_kind(key: str) -> int:
    if key == "measures":
        return _NOTHING
    if key == "percent":
        return _PERCENT
    if key == "status":
        return _STATUS
    if key == "progress":
        return _PROGRESS
    return _TEXT


class TableLayout:
    """Lays a :class:`LedgerDocument` out into :class:`PagePlan` objects."""

    def __init__(
        self,
        doc: LedgerDocument,
        style: LedgerStyle,
        geo: Geometry,
        body: CjkWrapper,
        title: CjkWrapper,
        tick: Callable[[int], None] | None = None,
    ) -> None:
        self.doc = doc
        self.style = style
        self.geo = geo
        self.body = body
        self.title = title
        self._tick = tick
        columns = doc.ledger_columns()
        self.keys = [c.key for c in columns]
        self.ncol = len(columns)
        self.aligns = tuple(c.align for c in columns)
        self.status_col = self.keys.index("status")
        # the short cells repeated on every piece of a row split over pages
        self.repeated = frozenset({0, self.keys.index("percent"), self.status_col})
        self._inner = [geo.inner(i, i, style.pad_x) for i in range(self.ncol)]
        # how each column of a task row gets its lines: (kind, attribute, text width, the
        # column's cells wrapped so far by their stored text, percent or status)
        self._row_plan: list[tuple[int, str, float, dict[Any, list[str]]]] = [
            (_row_kind(key), ROW_TEXT.get(key, ""), inner, {})
            for key, inner in zip(self.keys, self._inner, strict=True)
        ]
        self.header_cells = [
            title.wrap(c.label, w, style.header_size)
            for c, w in zip(columns, self._inner, strict=True)
        ]
        self.header_height = (
            max(map(len, self.header_cells)) * style.header_leading + 2 * style.pad_y
        )
        self.pages: list[PagePlan] = []
        self._through = doc.page_numbering == "document"
        self._page: PagePlan | None = None
        self.y = 0.0
        self._rows_done = 0
        self._heading = ""
        self._span_label: list[str] = []
        self._span_top = 0.0
        self._span_items = 0
        self._span_continued = False

    # -- pages ------------------------------------------------------------------

    @property
    def page(self) -> PagePlan:
        assert self._page is not None
        return self._page

    @property
    def remaining(self) -> float:
        return self.y - self.geo.bottom

    @property
    def fresh_capacity(self) -> float:
        return self.geo.top - self.header_height - self.geo.bottom

    def _new_page(self, part: int, *, first: bool = False, table: bool = True) -> None:
        if self._through:
            number = len(self.pages) + 1
        else:
            number = 1 if first else self.page.number + 1
        self._page = PagePlan(part, number, None)
        self.pages.append(self._page)
        self.y = self.geo.top
        if first:
            self._title_block()
        if table:
            self.page.header_top = self.y
            self.y -= self.header_height

    def _empty(self) -> bool:
        return not self.page.items

    # -- the whole document -------------------------------------------------------

    def layout(self) -> list[PagePlan]:
        for index, part in enumerate(self.doc.parts):
            start = len(self.pages)
            # a document numbered straight through is one ledger: one sign-off, at its end
            signed = not self._through or index == len(self.doc.parts) - 1
            self._heading = clean_text(part.heading)
            self._new_page(index, first=True)
            if not any(g for s in part.sections for g in s.groups):
                lines = self.body.wrap(
                    NOTHING,
                    self.geo.inner(2, self.ncol - 1, self.style.pad_x),
                    self.style.body_size,
                )
                note = Block(NOTE, [lines], 1)
                self._place(note, self._height(note))
            last_section = max((i for i, s in enumerate(part.sections) if s.groups), default=-1)
            for i, section in enumerate(part.sections):
                band = self._band(section.title)
                groups = [self._group_blocks(g) for g in section.groups]
                need = band.lines * self.style.section_leading + 2 * self.style.pad_y
                if groups:
                    need += self._group_need(*groups[0])
                if self.remaining < need and not self._empty():
                    self._new_page(index)
                self._place(band, self._band_height(band))
                for j, (label, blocks) in enumerate(groups):
                    # The last row goes over with the sign-off rather than leave it alone.
                    last = signed and i == last_section and j == len(groups) - 1
                    self._place_group(label, blocks, self.signoff_height if last else 0.0)
            if signed:
                self._signoff(index)
            for page in self.pages[start:]:
                page.total = len(self.pages) - start
        if self._through:
            for page in self.pages:
                page.total = len(self.pages)
        return self.pages

    # -- blocks ---------------------------------------------------------------------

    def _band(self, title: str) -> Block:
        width = self.geo.width - 4 * self.style.pad_x
        lines = self.title.wrap(clean_text(title), width, self.style.section_size)
        return Block(BAND, [lines or [""]], max(1, len(lines)))

    def _band_height(self, band: Block) -> float:
        return band.lines * self.style.section_leading + 2 * self.style.pad_y

    def _row(self, row: LedgerRow) -> Block:
        """A task row's cells, each wrapped in its column. A cell's text as stored (units,
        dates, percents, statuses and often whole tasks repeat) is cleaned and wrapped
        once per column: the lines are shared, never changed by their users."""
        progress = self.doc.show_progress
        cells: list[list[str]] = []
        add = cells.append
        for kind, attr, inner, cached in self._row_plan:
            if kind == _TEXT or (kind == _PROGRESS and progress):
                text = getattr(row, attr)
                if not text:
                    add([])
                    continue
                lines = cached.get(text)
                if lines is None:
                    lines = cached[text] = self._wrap_cell(clean_text(text), inner)
                add(lines)
            elif kind == _NOTHING or not progress:
                add([])  # the measure's label spans its rows; no progress printed
            elif kind == _PERCENT:
                lines = cached.get(row.percent)
                if lines is None:
                    lines = cached[row.percent] = self._wrap_cell(percent_text(row.percent), inner)
                add(lines)
            else:
                key = (row.status, row.closed, row.not_reported)
                lines = cached.get(key)
                if lines is None:
                    lines = cached[key] = [
                        ln for s in status_lines(row) for ln in self._wrap_cell(s, inner)
                    ]
                add(lines)
        return Block(TASK, cells, max(1, *map(len, cells)), row.status if progress else "")

    def _wrap_cell(self, text: str, inner: float) -> list[str]:
        return self.body.wrap(text, inner, self.style.body_size)

    def _group_blocks(self, group: LedgerMeasureGroup) -> tuple[list[str], list[Block]]:
        label = self.body.wrap(clean_text(group.label), self._inner[1], self.style.body_size)
        if group.not_applicable is not None or group.note is not None:
            text = (
                clean_text(group.note)
                if group.note is not None
                else NOT_APPLICABLE + clean_text(group.not_applicable or "")
            )
            width = self.geo.inner(2, self.ncol - 1, self.style.pad_x)
            lines = self.body.wrap(text, width, self.style.body_size)
            return label, [Block(NOTE, [lines], max(1, len(lines)))]
        if not group.rows:
            return label, [Block(EMPTY, [], 1)]
        return label, [self._row(r) for r in group.rows]

    def _height(self, block: Block) -> float:
        return block.lines * self.style.leading + 2 * self.style.pad_y

    def _group_need(self, label: list[str], blocks: list[Block]) -> float:
        """Room a group needs on its first page: its label, or its first row."""
        label_h = len(label) * self.style.leading + 2 * self.style.pad_y
        total = sum(map(self._height, blocks))
        first = self._height(blocks[0])
        if first > self.fresh_capacity:  # will be split: a few lines on this page will do
            first = 3 * self.style.leading + 2 * self.style.pad_y
        return max(min(label_h, total), first)

    # -- placing --------------------------------------------------------------------

    def _place(self, block: Block, height: float, offset: int = 0, count: int = -1) -> None:
        if count < 0:
            count = block.lines - offset
        self.page.items.append(Placed(block, self.y, height, offset, count))
        self.y -= height

    def _place_group(self, label: list[str], blocks: list[Block], reserve: float = 0.0) -> None:
        """Places a measure's rows; ``reserve`` is room kept after its last row."""
        part = self.page.part
        if self.remaining < self._group_need(label, blocks) and not self._empty():
            self._new_page(part)
        self._span_open(label)
        step = self.style.leading
        pad2 = 2 * self.style.pad_y
        for n, block in enumerate(blocks, 1):
            height = self._height(block)
            keep = reserve if n == len(blocks) and height + reserve <= self.fresh_capacity else 0.0
            if height + keep <= self.remaining + 1e-6:
                self._place(block, height)
            elif height <= self.fresh_capacity:
                self._break_page(label)
                self._place(block, height)
            else:
                offset = 0
                while True:
                    fit = int((self.remaining - pad2 + 1e-6) // step)
                    if self._empty():
                        fit = max(fit, 1)  # never loop on a page that cannot hold a line
                    if fit >= block.lines - offset:
                        self._place(block, (block.lines - offset) * step + pad2, offset)
                        break
                    if fit >= 2 or (fit >= 1 and self._empty()):
                        self._place(block, self.remaining, offset, fit)
                        offset += fit
                    self._break_page(label)
            if block.kind == TASK:
                self._rows_done += 1
                if self._tick is not None and self._rows_done % 100 == 0:
                    self._tick(self._rows_done)
        self._span_close()

    def _span_empty(self) -> bool:
        return self._span_items == len(self.page.items)

    def _break_page(self, label: list[str]) -> None:
        """Ends the page inside a group; the label goes on, marked 续 once shown."""
        continued = self._span_continued or not self._span_empty()
        self._span_close()
        self._new_page(self.page.part)
        self._span_open(label, continued=continued)

    def _span_open(self, label: list[str], *, continued: bool = False) -> None:
        self._span_continued = continued
        if continued:
            text = "".join(label) + CONTINUED
            label = self.body.wrap(text, self._inner[1], self.style.body_size)
        self._span_label = label
        self._span_top = self.y
        self._span_items = len(self.page.items)

    def _span_close(self) -> None:
        if self._span_empty():
            return
        style = self.style
        lines = self._span_label
        height = self._span_top - self.y
        needed = len(lines) * style.leading + 2 * style.pad_y
        if needed > height + 1e-6:
            extra = min(needed - height, self.remaining)
            self.page.items[-1].height += extra
            self.y -= extra
            height += extra
        fit = max(1, int((height - 2 * style.pad_y + 1e-6) // style.leading))
        if fit < len(lines):
            lines = lines[:fit]
            lines[-1] = self.body.truncate(lines[-1], self._inner[1], style.body_size)
        self.page.spans.append(Span(self._span_top, height, lines))

    # -- title block and sign-off -------------------------------------------------------

    def _title_block(self) -> None:
        style, geo, doc = self.style, self.geo, self.doc
        centre = (geo.left + geo.right) / 2
        texts = self.page.texts
        y = self.y
        pieces = [
            (clean_text(doc.title), style.title_size, 1.3, True),
            (clean_text(doc.subtitle), style.subtitle_size, 1.35, False),
            (self._heading, style.heading_size, 1.35, True),
        ]
        for text, size, spacing, title_font in pieces:
            wrapper = self.title if title_font else self.body
            for line in wrapper.wrap(text, geo.width, size):
                y -= size * spacing
                texts.append(Text(centre, y, line, size, title_font, 1))
        size = style.meta_size
        right = "　".join(
            p
            for p in (f"依据：{clean_text(doc.basis)}" if doc.basis else "", clean_text(doc.as_of))
            if p
        )
        left = f"填报单位：{clean_text(doc.office)}" if doc.office else ""
        room = geo.width - self.body.width(right, size) - 2 * size
        left_lines = self.body.wrap(left, room, size) or [""]
        y -= 6
        for i, line in enumerate(left_lines):
            y -= size * 1.4
            texts.append(Text(geo.left, y, line, size, False))
            if i == 0 and right:
                texts.append(Text(geo.right, y, right, size, False, 2))
        self.y = y - size * 0.6

    @property
    def signoff_height(self) -> float:
        rows = SIGNOFF_ROWS + (1 if self.doc.signoff.key_line else 0)
        return rows * SIGNOFF_ROW * self.style.signoff_size + self.style.signoff_size

    def _signoff(self, part: int) -> None:
        style, geo = self.style, self.geo
        s = self.doc.signoff
        size = style.signoff_size
        row_h = size * SIGNOFF_ROW
        if self.remaining < self.signoff_height:
            self._new_page(part, table=False)
        rows = [
            [("填报单位（盖章）：", s.unit, 0.42), ("填报日期：", s.date, 0.25)],
            [
                ("填报人：", s.filler, 0.2),
                ("审核人：", s.reviewer, 0.2),
                ("联系电话：", s.phone, 0.25),
            ],
        ]
        y = self.y - size
        for fields in rows:
            y -= row_h
            x = geo.left + 2 * size
            for label, value, share in fields:
                self.page.texts.append(Text(x, y, label, size, False))
                x += self.body.width(label, size)
                end = x + max(
                    share * geo.width * 0.6, self.body.width(clean_text(value), size) + size
                )
                if value:
                    self.page.texts.append(Text(x + size * 0.5, y, clean_text(value), size, False))
                self.page.rules.append((x, y - 3, end, y - 3))
                x = end + 2.5 * size
        if s.key_line:
            y -= row_h
            self.body.width(s.key_line, size)  # measured: gives its characters their glyphs
            self.page.texts.append(Text(geo.left + 2 * size, y, s.key_line, size, False))
        self.y = y
