"""Writes ledger PDFs: one file for the whole document, or one file per part.

The lean path: our own line breaking and page layout (:mod:`.pdf_table`), raw PDF
operators for the table (:mod:`.pdf_paint`), a translate-table text encoder
(:mod:`.pdf_text`) and one Type0 TrueType subset per face (:mod:`.pdf_font`); reportlab
supplies the canvas, the glyph subsetter and the file format. Every font in the file is
an embedded TrueType subset: the canvas starts in our Chinese face
(``initialFontName``), so reportlab never adds its standard Helvetica.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from desktop.core.callbacks import IsCancelled, Progress
from desktop.core.file_retry import replace_file
from desktop.locations import os_path

from .fileio import (
    OutTarget,
    atomic_output,
    done_with,
    safe_filename,
    temp_beside,
    unique_names,
    write_error,
)
from .fonts import FontSet, find_cjk_fonts
from .model import Cancelled, LedgerDocument
from .pdf_font import CidFont
from .pdf_paint import FontRole, PagePainter
from .pdf_style import Geometry, LedgerStyle, geometry
from .pdf_table import TASK, PagePlan, TableLayout
from .pdf_text import TextEncoder
from .textwrap_cjk import CjkWrapper

log = logging.getLogger(__name__)


AUTHOR = "清单台账"
_a85_lock = threading.Lock()


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Saves with plain binary (Flate) streams instead of reportlab's ASCII85 default.

    ASCII85 only matters for 7-bit channels; without reportlab's C accelerator it is
    pure Python and would dominate the time of a large ledger.
    """
    from reportlab import rl_config

    with _a85_lock:
        old = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = old


_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _date_the_file(canvas: Any, doc: LedgerDocument) -> None:
    """The file's creation date is the ledger's own date (the sign-off date, else the
    "截至" date), never the moment it was written: a frozen period's ledger reprinted a year
    later is the same file, byte for byte. Without either date reportlab's fixed date stays."""
    for text in (doc.signoff.date, doc.as_of):
        m = _DATE.search(text or "")
        if m is None:
            continue
        year, month, day = (int(g) for g in m.groups())
        try:
            date(year, month, day)
        except ValueError:
            continue
        canvas._doc._timeStamp.YMDhms = (year, month, day, 0, 0, 0)
        return


class _Ticker:
    """Reports progress in task rows and raises :class:`Cancelled` when asked to stop."""

    def __init__(self, total: int, progress: Progress | None, cancelled: IsCancelled | None):
        self.total = total
        self._progress = progress
        self._cancelled = cancelled

    def __call__(self, done: int) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled("已取消")
        if self._progress is not None:
            self._progress(min(self.total, done), self.total)


def _dedupe(fonts: list[Any]) -> list[Any]:
    out: list[Any] = []
    for f in fonts:
        if f not in out:
            out.append(f)
    return out


def column_shares(doc: LedgerDocument) -> tuple[float, ...]:
    """The columns' shares of the width; wider 进展情况 when the ledger prints any progress."""
    progress = doc.show_progress and any(
        row.progress for p in doc.parts for s in p.sections for g in s.groups for row in g.rows
    )
    return tuple(c.share if progress else c.plain_share for c in doc.ledger_columns())


@dataclass
class LedgerLayout:
    """A ledger laid out into pages: what every painter draws (the PDF canvas here, a
    ``QPainter`` on a printer in the screens). Measured with the fonts the PDF embeds, so
    each painter puts the same lines on the same pages."""

    doc: LedgerDocument
    style: LedgerStyle
    geo: Geometry
    body: FontRole
    title: FontRole
    fonts: FontSet
    shared: dict[Any, CidFont]
    plans: list[PagePlan]
    header_cells: list[list[str]]
    header_height: float
    table: TableLayout  # which column is which: alignments, the status column …


def lay_out(
    doc: LedgerDocument,
    fonts: FontSet,
    tick: Callable[[int], None] | None = None,
    *,
    style: LedgerStyle | None = None,
) -> LedgerLayout:
    """Wraps every cell and breaks the pages of ``doc``; ``tick(rows_done)`` while it works."""
    style = style or LedgerStyle()
    geo = geometry(doc.paper, style, column_shares(doc))
    body_font, title_font = fonts.load(fonts.body), fonts.load(fonts.title)
    shared: dict[Any, CidFont] = {}

    def fallbacks() -> list[Any]:  # loaded only when a character needs one
        return [fonts.load(face) for face in fonts.fallbacks]

    body_enc = TextEncoder(_dedupe([body_font, title_font]), shared, fallbacks)
    body = FontRole(body_enc, CjkWrapper(body_enc.measure))
    if title_font is body_font:
        title = body
    else:
        title_enc = TextEncoder([title_font, body_font], shared, fallbacks)
        title = FontRole(title_enc, CjkWrapper(title_enc.measure))
    table = TableLayout(doc, style, geo, body.wrapper, title.wrapper, tick)
    plans = table.layout()
    return LedgerLayout(
        doc,
        style,
        geo,
        body,
        title,
        fonts,
        shared,
        plans,
        table.header_cells,
        table.header_height,
        table,
    )


def task_rows_on(plan: PagePlan) -> int:
    """Task rows that start on ``plan`` (for progress reports while painting)."""
    return sum(1 for it in plan.items if it.block.kind == TASK and it.offset == 0)


def render_pdf(
    doc: LedgerDocument,
    stream: BinaryIO,
    fonts: FontSet,
    ticker: _Ticker,
    *,
    base: int = 0,
    style: LedgerStyle | None = None,
) -> int:
    """Renders ``doc`` into ``stream``; returns the page count.

    ``ticker`` counts task rows over a whole job; ``base`` is where this document starts.
    """
    from reportlab.pdfgen.canvas import Canvas

    # Layout is the first half of the work, painting the second.
    rows = doc.row_count()
    laid = lay_out(doc, fonts, lambda d: ticker(base + d // 2), style=style)
    geo = laid.geo
    canvas = Canvas(
        stream,
        pagesize=(geo.page_width, geo.page_height),
        initialFontName=fonts.body_name,
        pageCompression=1,
        invariant=1,  # no clock, no random file id: the same ledger gives the same bytes
    )
    _date_the_file(canvas, doc)
    title_text = doc.title + doc.subtitle
    canvas.setTitle(title_text)
    canvas.setAuthor(AUTHOR)
    canvas.setCreator(AUTHOR)
    canvas.setSubject(" ".join(p for p in (doc.basis, doc.office, doc.as_of) if p))
    painter = PagePainter(canvas, laid.style, geo, laid.body, laid.title, laid.table)
    painted = 0
    for i, plan in enumerate(laid.plans):
        painter.paint(plan, laid.header_cells, laid.header_height)
        canvas.showPage()
        painted += task_rows_on(plan)
        if i % 8 == 7:
            ticker(base + (rows + painted) // 2)
    for cid_font in laid.shared.values():
        cid_font.embed(canvas._doc)
    with _binary_streams():
        canvas.save()
    missing = laid.body.encoder.missing | laid.title.encoder.missing
    if missing:
        log.warning("characters without a glyph in any font: %s", "".join(sorted(missing)))
    ticker(base + rows)
    return len(laid.plans)


def write_ledger_pdf(
    doc: LedgerDocument,
    out: OutTarget,
    *,
    fonts: FontSet | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """Writes the ledger PDF; returns its page count.

    ``progress(done_rows, total_rows)`` is called as work goes on; when ``cancelled()``
    turns true, :class:`Cancelled` is raised and no file is left behind.
    """
    fonts = fonts or find_cjk_fonts()
    ticker = _Ticker(doc.row_count(), progress, cancelled)
    ticker(0)
    with atomic_output(out) as stream:
        pages = render_pdf(doc, stream, fonts, ticker)
    return pages


def part_file_names(doc: LedgerDocument) -> list[str]:
    """File names (``县科技局.pdf``) for the parts of ``doc``, distinct and Windows-safe."""
    names = []
    for i, part in enumerate(doc.parts, 1):
        heading = part.heading.split("：", 1)[-1] if part.heading else ""
        names.append(safe_filename(heading, default=f"台账{i:02d}"))
    return [n + ".pdf" for n in unique_names(names)]


def write_ledger_pdfs_per_part(
    doc: LedgerDocument,
    folder: str | os.PathLike[str],
    *,
    fonts: FontSet | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> list[Path]:
    """One PDF per part (e.g. per lead unit) into ``folder``; all files or none."""
    fonts = fonts or find_cjk_fonts()
    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(target, exc) from exc
    ticker = _Ticker(doc.row_count(), progress, cancelled)
    ticker(0)
    paths = [target / name for name in part_file_names(doc)]
    temps: list[Path] = []
    try:
        done = 0
        for part, path in zip(doc.parts, paths, strict=True):
            single = replace(doc, parts=[part])
            tmp = temp_beside(path)
            temps.append(tmp)
            with open(os_path(tmp), "wb") as stream:
                render_pdf(single, stream, fonts, ticker, base=done)
            done += single.row_count()
        for tmp, path in zip(temps, paths, strict=True):
            replace_file(tmp, path)
            done_with(tmp, delete=False)
    except OSError as exc:
        for tmp in temps:
            done_with(tmp, delete=True)
        raise write_error(target, exc) from exc
    except BaseException:
        for tmp in temps:
            done_with(tmp, delete=True)
        raise
    return paths
