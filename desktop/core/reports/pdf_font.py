"""Embeds a TrueType face as one Type0 (CIDFontType2, Identity-H) subset font.

reportlab embeds TrueType fonts as simple fonts of 256 glyphs each, so a Chinese line
hops between several subsets and every hop costs a font switch in the page content.
This module embeds all the glyphs a document uses as *one* subset with two-byte codes —
the usual way CJK PDFs are written (Word and WPS do the same) — so any line of one face
is a single text string.

A character's code (its CID) is its own Unicode value: the text of a line is its UTF-16
encoding, which Python makes in C at memory speed (no table look-up per character), and
the font's ``CIDToGIDMap`` takes each CID to the glyph in the subset. The few characters
beyond the BMP get codes from the surrogate range (D800…DFFF, never characters of their
own). The glyph data is the face's subset (:meth:`.truetype.TrueTypeFace.subset`); we
add the CID font dictionaries, widths, the CID → glyph map and the ToUnicode map that
lets readers (pdftotext, copy and paste, search) get the text back, written as objects
of our own file writer (:mod:`.pdf_file`).
"""

from __future__ import annotations

import sys
import threading
import zlib
from array import array as array_of

from .pdf_file import PdfFile, array, name, number
from .truetype import TrueTypeFace

# A face is shared by every ledger of the process; its file is opened for a subset and
# let go of afterwards, one subset at a time.
_subset_lock = threading.Lock()


def subset_tag(codes: list[int]) -> str:
    """Six capital letters naming the subset, as PDF requires (``ABCDEF+Name``)."""
    n = zlib.crc32(",".join(map(str, codes)).encode())
    letters = []
    for _ in range(6):
        n, r = divmod(n, 26)
        letters.append(chr(65 + r))
    return "".join(letters)


WIDE_FIRST = 0xD800  # codes for characters beyond the BMP: the surrogate range
WIDE_LAST = 0xDFFF


def own_code(code: int) -> bool:
    """Whether character ``code`` is shown by its own value (BMP, not a surrogate)."""
    return code < WIDE_FIRST or WIDE_LAST < code <= 0xFFFF


class CidFont:
    """The glyphs of one face that a document uses: each shown by a two-byte code (its
    Unicode value), the glyphs numbered 1, 2, 3… in the subset in order of first use."""

    def __init__(self, face: TrueTypeFace, resource_name: str) -> None:
        self.face = face
        self.resource_name = resource_name
        self.codes: list[int] = []
        # the subset numbers glyphs by first use of each original glyph; we number the
        # same way, so our glyph ids match the glyphs it writes.
        self._glyph_ids: dict[int, int] = {0: 0}
        self._chars: dict[int, int] = {}  # code (CID) -> the character it shows
        self._gids: dict[int, int] = {}  # code (CID) -> glyph id in the subset
        self._by_code: dict[int, int] = {}  # character -> its code
        self._top = 0  # the highest code shown
        self._wide = WIDE_FIRST  # the next code for a character beyond the BMP

    def cid(self, code: int) -> int:
        """The two-byte code of character ``code``, which the face has; call once per
        character."""
        known = self._by_code.get(code)
        if known is not None:  # the title and the body share the font of a face
            return known
        original = self.face.char_to_glyph[code]
        if own_code(code):
            cid = code
        elif self._wide <= WIDE_LAST:
            cid = self._wide
            self._wide += 1
        else:  # more than 2,048 characters beyond the BMP: the rest print as missing
            return 0
        self.codes.append(code)
        gid = self._glyph_ids.get(original)
        if gid is None:
            gid = self._glyph_ids[original] = len(self._glyph_ids)
        self._chars[cid] = code
        self._gids[cid] = gid
        self._by_code[code] = cid
        self._top = max(self._top, cid)
        return cid

    def missing_cid(self, code: int) -> int:
        """The code of a character no face has: its own value (no glyph: the reader
        shows the missing glyph, copying gives the character back), else 0."""
        if not own_code(code):
            return 0
        self._chars[code] = code
        self._top = max(self._top, code)
        return code

    def embed(self, pdf: PdfFile) -> int:
        """Adds the font's objects to ``pdf`` (once all text is drawn); the number of the
        Type0 font object that pages name as :attr:`resource_name`."""
        face = self.face
        if not self.codes:  # only "missing" glyphs were shown: still a valid font
            self.cid(next(c for c in face.char_to_glyph if c not in self._chars))
        with _subset_lock:
            try:
                data = face.subset(self.codes)
            finally:
                face.release_file()
        base = name(f"{subset_tag(self.codes)}+{face.postscript_name}")
        font_file = pdf.add_stream(data, f" /Length1 {len(data)}")
        # symbolic, not nonsymbolic: glyphs are addressed by id, not a standard set
        flags = (int(face.flags) & ~32) | 4
        descriptor = pdf.add(
            f"<< /Type /FontDescriptor /FontName {base} /Flags {flags}"
            f" /FontBBox {array(face.bbox)} /ItalicAngle {number(face.italic_angle)}"
            f" /Ascent {number(face.ascent)} /Descent {number(face.descent)}"
            f" /CapHeight {number(face.cap_height)} /StemV {number(face.stem_v)}"
            f" /MissingWidth {number(face.default_width)} /FontFile2 {font_file} 0 R >>"
        )
        gids = array_of("H", [0]) * (self._top + 1)
        for cid, gid in self._gids.items():
            gids[cid] = gid
        if sys.byteorder == "little":
            gids.byteswap()
        cid_to_gid = pdf.add_stream(gids.tobytes())
        cid_font = pdf.add(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont {base}"
            " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
            f" /FontDescriptor {descriptor} 0 R /DW {round(face.default_width)}"
            f" /W {self._widths()} /CIDToGIDMap {cid_to_gid} 0 R >>"
        )
        cmap = pdf.add_stream(to_unicode_cmap(self._chars).encode("ascii"))
        return pdf.add(
            f"<< /Type /Font /Subtype /Type0 /BaseFont {base} /Encoding /Identity-H"
            f" /DescendantFonts [{cid_font} 0 R] /ToUnicode {cmap} 0 R >>"
        )

    def _widths(self) -> str:
        """The ``W`` array: the widths of the codes with a glyph, in runs of consecutive
        codes (``c [w1 w2 …]``)."""
        face = self.face
        out = []
        run: list[float] = []
        start = prev = -2
        for cid in sorted(self._gids):
            if cid != prev + 1:
                if run:
                    out.append(f"{start} {array(run)}")
                start, run = cid, []
            run.append(round(face.char_width(self._chars[cid])))
            prev = cid
        if run:
            out.append(f"{start} {array(run)}")
        return "[" + " ".join(out) + "]"


def to_unicode_cmap(chars: dict[int, int]) -> str:
    """A ToUnicode CMap from codes to the characters they show."""
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
