"""Notices laid out as offices receive them: a printed 公文 as PDF, and OFD (GB/T 33190).

The PDF is drawn with reportlab the way an OA system prints a document: 28 characters to
a line in 16-point type, lines hard-broken mid-word, paragraphs indented by two
full-width spaces, a page number ``— N —`` at the foot of every page and, optionally, a
running header. The OFD is a minimal package written by hand: OFD.xml → Document.xml →
one Content.xml per page with one TextObject per line, each placed by its Boundary (the
objects are written in shuffled order, so a reader must sort them by position).
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

CHARS_PER_LINE = 28
LINES_PER_PAGE = 22


def paper_lines(
    text: str, width: int = CHARS_PER_LINE, *, indent: str = "\u3000\u3000"
) -> list[str]:
    """The notice's paragraphs broken into printed lines (Markdown marks dropped); each
    paragraph starts with ``indent`` (two full-width spaces, or a marker the PDF writer
    turns into a shifted position)."""
    lines: list[str] = []
    for raw in text.splitlines():
        para = re.sub(r"^#+\s*", "", raw).replace("**", "").strip()
        if not para or set(para) <= set("-"):
            continue
        para = indent + para
        lines += [para[i : i + width] for i in range(0, len(para), width)]
    return lines


def write_pdf(
    text: str,
    path: Path,
    *,
    header: str | None = None,
    font_path: str | None = None,
    positioned_indent: bool = False,
) -> Path:
    """A text-layer PDF of the notice laid out like a printed 公文; with
    ``positioned_indent`` paragraphs are indented by their position, not by spaces."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from desktop.core.reports.fonts import find_cjk_fonts

    if font_path is None:
        fonts = find_cjk_fonts()
        assert fonts is not None, "a CJK font is needed to draw the sample PDF"
        face = fonts.faces()[0]
        font = TTFont("SampleCJK", str(face.path), subfontIndex=face.index)
    else:
        font = TTFont("SampleCJK", font_path)
    pdfmetrics.registerFont(font)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    lines = paper_lines(text, indent="\x01" if positioned_indent else "\u3000\u3000")
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    for number, page in enumerate(pages, start=1):
        if header:
            pdf.setFont("SampleCJK", 10)
            pdf.drawCentredString(width / 2, height - 40, header)
        pdf.setFont("SampleCJK", 16)
        y = height - 90
        for line in page:
            shift = 32 if line.startswith("\x01") else 0
            pdf.drawString(70 + shift, y, line.lstrip("\x01"))
            y -= 29
        pdf.setFont("SampleCJK", 14)
        pdf.drawCentredString(width / 2, 40, f"— {number} —")
        pdf.showPage()
    pdf.save()
    return path


def _cjk_font() -> str:
    """Register a CJK font with reportlab once; its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from desktop.core.reports.fonts import find_cjk_fonts

    if "SampleCJK" not in pdfmetrics.getRegisteredFontNames():
        fonts = find_cjk_fonts()
        assert fonts is not None, "a CJK font is needed to draw the sample PDF"
        face = fonts.faces()[0]
        pdfmetrics.registerFont(TTFont("SampleCJK", str(face.path), subfontIndex=face.index))
    return "SampleCJK"


def write_table_pdf(
    before: list[str],
    rows: list[list[str]],
    after: list[str],
    path: Path,
    *,
    widths: tuple[float, ...] = (12, 62, 30, 40, 22),
) -> Path:
    """A notice whose task list is a ruled table (first row the header, repeated on every
    page; a row of one cell is a section row spanning the table), drawn by reportlab's
    Table with every cell wrapped at its column's width, as OA systems print 分工表.
    ``widths`` are the columns' widths in millimetres."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _cjk_font()
    plain = ParagraphStyle("plain", fontName=font, fontSize=14, leading=24, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=11, leading=15, wordWrap="CJK")
    data: list[list[object]] = []
    style: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for row in rows:
        if len(row) == 1:
            style.append(("SPAN", (0, len(data)), (-1, len(data))))
            data.append([Paragraph(row[0], cell)] + [""] * (len(widths) - 1))
        else:
            data.append([Paragraph(value, cell) for value in row])
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(TableStyle(style))
    story: list[object] = [Paragraph(line, plain) for line in before]
    story += [Spacer(1, 8), table, Spacer(1, 8)]
    story += [Paragraph(line, plain) for line in after]
    SimpleDocTemplate(str(path), pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm).build(story)
    return path


def _text_object(oid: int, x: float, y: float, line: str) -> str:
    return (
        f'<ofd:TextObject ID="{oid}" Boundary="{x} {y} 160 6" Font="1" Size="5.6">'
        f'<ofd:TextCode X="0" Y="5">{escape(line)}</ofd:TextCode></ofd:TextObject>'
    )


def ofd_members(text: str, *, seed: int = 7, pieces: int = 1) -> dict[str, str]:
    """The XML members of a minimal OFD package holding the notice: each line in
    ``pieces`` text objects side by side (1: one object a line)."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    lines = paper_lines(text)
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    members = {
        "OFD.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>sample</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        )
    }
    page_refs = "".join(
        f'<ofd:Page ID="{i + 10}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages))
    )
    members["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData>'
        "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
        f"</ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>"
    )
    rng = random.Random(seed)
    for i, page in enumerate(pages):
        objects = []
        for n, line in enumerate(page):
            step = -(-len(line) // pieces) or 1
            for k in range(0, len(line), step):
                x = 25.0 + k * 5.6
                oid = 1000 + n * 100 + k
                objects.append(_text_object(oid, x, 30.0 + n * 10.5, line[k : k + step]))
        objects.append(_text_object(99, 95.0, 280.0, f"— {i + 1} —"))
        rng.shuffle(objects)
        members[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content>'
            f'<ofd:Layer ID="2">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
        )
    return members


def write_ofd(text: str, path: Path, *, members: dict[str, str] | None = None) -> Path:
    """A minimal OFD file of the notice (or of the given members)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in (members or ofd_members(text)).items():
            archive.writestr(name, body)
    return path


def pdf_with_content(data: bytes) -> bytes:
    """A one-page PDF whose content stream is ``data``, deflated (for decompression bombs)."""
    import zlib

    packed = zlib.compress(data, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
