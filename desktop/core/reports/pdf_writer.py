"""Writes ledger PDFs: one file for the whole document, or one file per part.

The lean path: our own line breaking and page layout (:mod:`.pdf_table`), raw PDF
operators for the table (:mod:`.pdf_paint`), a translate-table text encoder
(:mod:`.pdf_text`), one Type0 TrueType subset per face (:mod:`.pdf_font`) and the file
format written directly (:mod:`.pdf_file`), the faces read and subset by
:mod:`.truetype`. Every font in the file is an embedded TrueType subset.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from desktop.core.callbacks import IsCancelled, Progress
from desktop.core.file_retry import replace_file
from desktop.core.gc_pause import no_cycle_collection
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
from .pdf_file import PdfFile, number, text_string
from .pdf_font import CidFont
from .pdf_paint import FontRole, PagePainter
from .pdf_style import Geometry, LedgerStyle, geometry
from .pdf_table import TASK, PagePlan, TableLayout
from .pdf_text import TextEncoder
from .textwrap_cjk import CjkWrapper

log = logging.getLogger(__name__)


AUTHOR = "清单台账"


_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
# The date of a ledger that names none: fixed, never the clock.
NO_DATE = "D:20000101000000+00'00'"


def file_date(doc: LedgerDocument) -> str:
    """The file's creation date is the ledger's own date (the sign-off date, else the
    "截至" date), never the moment it was written: a frozen period's ledger reprinted a year
    later is the same file, byte for byte. Without either date a fixed date stands."""
    for text in (doc.signoff.date, doc.as_of):
        m = _DATE.search(text or "")
        if m is None:
            continue
        year, month, day = (int(g) for g in m.groups())
        try:
            date(year, month, day)
        except ValueError:
            continue
        return f"D:{year:04d}{month:02d}{day:02d}000000+00'00'"
    return NO_DATE


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
    with no_cycle_collection:
        return _lay_out(doc, fonts, tick, style)


def _lay_out(
    doc: LedgerDocument,
    fonts: FontSet,
    tick: Callable[[int], None] | None,
    style: LedgerStyle | None,
) -> LedgerLayout:
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
    stream_out: BinaryIO,
    fonts: FontSet,
    ticker: _Ticker,
    *,
    base: int = 0,
    style: LedgerStyle | None = None,
) -> int:
    """Renders ``doc`` into ``stream_out``; returns the page count.

    ``ticker`` counts task rows over a whole job; ``base`` is where this document starts.
    """
    with no_cycle_collection:
        return _render_pdf(doc, stream_out, fonts, ticker, base, style)


def _render_pdf(
    doc: LedgerDocument,
    stream_out: BinaryIO,
    fonts: FontSet,
    ticker: _Ticker,
    base: int,
    style: LedgerStyle | None,
) -> int:
    # Layout is the first half of the work, painting the second.
    rows = doc.row_count()
    laid = lay_out(doc, fonts, lambda d: ticker(base + d // 2), style=style)
    geo = laid.geo
    pdf = PdfFile()
    catalog, tree, info, resources = (pdf.reserve() for _ in range(4))
    box = f"[0 0 {number(geo.page_width)} {number(geo.page_height)}]"
    page_head = f"<< /Type /Page /Parent {tree} 0 R /MediaBox {box} /Resources {resources} 0 R"
    painter = PagePainter(laid.style, geo, laid.body, laid.title, laid.table)
    kids = []
    painted = 0
    for i, plan in enumerate(laid.plans):
        content = painter.paint(plan, laid.header_cells, laid.header_height)
        stream = pdf.add_stream(content.encode("latin-1"), later=True)
        kids.append(pdf.add(f"{page_head} /Contents {stream} 0 R >>"))
        painted += task_rows_on(plan)
        if i % 8 == 7:
            ticker(base + (rows + painted) // 2)
    pdf.deflate_in_background()
    fonts_used = " ".join(
        f"/{cid.resource_name} {cid.embed(pdf)} 0 R" for cid in laid.shared.values()
    )
    pdf.put(resources, f"<< /Font << {fonts_used} >> >>")
    refs = " ".join(f"{k} 0 R" for k in kids)
    pdf.put(tree, f"<< /Type /Pages /Count {len(kids)} /Kids [{refs}] >>")
    pdf.put(catalog, f"<< /Type /Catalog /Pages {tree} 0 R >>")
    when = file_date(doc)
    subject = " ".join(p for p in (doc.basis, doc.office, doc.as_of) if p)
    pdf.put(
        info,
        f"<< /Title {text_string(doc.title + doc.subtitle)} /Author {text_string(AUTHOR)}"
        f" /Creator {text_string(AUTHOR)} /Producer {text_string(AUTHOR)}"
        f" /Subject {text_string(subject)} /CreationDate ({when}) /ModDate ({when}) >>",
    )
    pdf.write(stream_out, catalog, info)
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
