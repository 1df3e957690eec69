"""Embeds a TrueType face as one Type0 (CIDFontType2, Identity-H) subset font.

reportlab embeds TrueType fonts as simple fonts of 256 glyphs each, so a Chinese line
hops between several subsets and every hop costs a font switch in the page content.
This module embeds all the glyphs a document uses as *one* subset with two-byte glyph
codes — the usual way CJK PDFs are written (Word and WPS do the same) — so any line of
one face is a single text string. The glyph data comes from reportlab's own subsetter
(``TTFontFile.makeSubset``); we add the CID font dictionaries, widths and the ToUnicode
map that lets readers (pdftotext, copy and paste, search) get the text back, written as
objects of our own file writer (:mod:`.pdf_file`).
"""

from __future__ import annotations

import threading
import zlib
from typing import Any

from .pdf_file import PdfFile, array, name, number

# makeSubset reads the font file through a shared cursor.
_subset_lock = threading.Lock()


def subset_tag(codes: list[int]) -> str:
    """Six capital letters naming the subset, as PDF requires (``ABCDEF+Name``)."""
    n = zlib.crc32(",".join(map(str, codes)).encode())
    letters = []
    for _ in range(6):
        n, r = divmod(n, 26)
        letters.append(chr(65 + r))
    return "".join(letters)


class CidFont:
    """The glyphs of one face that a document uses, numbered 1, 2, 3… in use order."""

    def __init__(self, ttfont: Any, resource_name: str) -> None:
        self.face = ttfont.face
        self.resource_name = resource_name
        self.codes: list[int] = []
        # reportlab's makeSubset numbers glyphs by first use of each original glyph;
        # we number the same way, so our codes match the glyphs it writes.
        self._glyph_ids: dict[int, int] = {0: 0}
        self._chars: dict[int, int] = {}  # glyph id -> the first character shown by it

    def glyph_id(self, code: int) -> int:
        """The glyph id of character ``code``; call once per character."""
        original = self.face.charToGlyph[code]
        self.codes.append(code)
        gid = self._glyph_ids.get(original)
        if gid is None:
            gid = self._glyph_ids[original] = len(self._glyph_ids)
            self._chars[gid] = code
        return gid

    def embed(self, pdf: PdfFile) -> int:
        """Adds the font's objects to ``pdf`` (once all text is drawn); the number of the
        Type0 font object that pages name as :attr:`resource_name`."""
        face = self.face
        if not self.codes:  # only "missing" glyphs were shown: still a valid font
            self.glyph_id(next(iter(face.charToGlyph)))
        with _subset_lock:
            data = face.makeSubset(self.codes)
        base = name(f"{subset_tag(self.codes)}+{(face.name + face.subfontNameX).decode('latin-1')}")
        font_file = pdf.add_stream(data, f" /Length1 {len(data)}")
        # symbolic, not nonsymbolic: glyphs are addressed by id, not a standard set
        flags = (int(face.flags) & ~32) | 4
        descriptor = pdf.add(
            f"<< /Type /FontDescriptor /FontName {base} /Flags {flags}"
            f" /FontBBox {array(face.bbox)} /ItalicAngle {number(face.italicAngle)}"
            f" /Ascent {number(face.ascent)} /Descent {number(face.descent)}"
            f" /CapHeight {number(face.capHeight)} /StemV {number(face.stemV)}"
            f" /MissingWidth {number(face.defaultWidth)} /FontFile2 {font_file} 0 R >>"
        )
        widths = [round(face.getCharWidth(self._chars[g])) for g in range(1, len(self._glyph_ids))]
        cid_font = pdf.add(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont {base}"
            " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
            f" /FontDescriptor {descriptor} 0 R /DW {round(face.defaultWidth)}"
            f" /W [1 {array(widths)}] /CIDToGIDMap /Identity >>"
        )
        cmap = pdf.add_stream(to_unicode_cmap(self._chars).encode("ascii"))
        return pdf.add(
            f"<< /Type /Font /Subtype /Type0 /BaseFont {base} /Encoding /Identity-H"
            f" /DescendantFonts [{cid_font} 0 R] /ToUnicode {cmap} 0 R >>"
        )


def to_unicode_cmap(chars: dict[int, int]) -> str:
    """A ToUnicode CMap from glyph ids to the characters they show."""
    pairs = [
        f"<{gid:04X}> <{chr(code).encode('utf-16-be').hex().upper()}>"
        for gid, code in sorted(chars.items())
    ]
    out = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        out.append(f"{len(chunk)} beginbfchar")
        out.extend(chunk)
        out.append("endbfchar")
    out += ["endcmap", "CMapName currentdict /CMapResource defineresource pop", "end", "end"]
    return "\n".join(out)
