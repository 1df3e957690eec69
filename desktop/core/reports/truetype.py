"""A TrueType face as the ledger embeds it: metrics, character map and glyph subsets.

The ledger's PDF writer (:mod:`.pdf_font`, :mod:`.pdf_text`) needs four things of a
face: which characters it has (its character map), each character's advance width, the
few numbers of the font descriptor (name, box, ascent …) and a subset of its glyphs to
embed. :mod:`.truetype_read` reads them straight from a ``.ttf``/``.ttc`` file (TrueType
outlines, ``glyf``/``loca``) — about 5 ms for a Chinese collection of 45,000 glyphs — and
this module keeps them (the widths worked out only when asked for) and makes the subset,
so printing a ledger loads no other font library.

The numbers and the subset are, on purpose, exactly what reportlab (which the program
used before) computes and writes, so a ledger printed now is the same file, byte for byte,
as the same ledger printed before (the frozen-period reprint promise). That includes two
habits of reportlab's worth knowing: the character map is the *last* Unicode subtable
of the font's list, and a glyph after the last full horizontal metric gets the advance
scaled to thousandths of an em in the subset's ``hmtx``. Neither shows on the page: a PDF
reader takes the advances from the PDF's own width array.

The subset keeps the glyphs of the characters asked for, in order of first use after the
``.notdef`` glyph, and the components of composite glyphs after them (their references
renumbered); it copies the ``name``, ``OS/2`` and hinting tables (``cvt``, ``fpgm``,
``prep``), writes ``hmtx``, ``loca``, ``glyf``, ``hhea``, ``maxp``, ``head`` for the new
numbering, a version 3 ``post`` (no glyph names) and a format 6 ``cmap``.
"""

from __future__ import annotations

import mmap
import struct
import sys
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

# composite glyph flags
_ARG_1_AND_2_ARE_WORDS = 1 << 0
_WE_HAVE_A_SCALE = 1 << 3
_MORE_COMPONENTS = 1 << 5
_WE_HAVE_AN_X_AND_Y_SCALE = 1 << 6
_WE_HAVE_A_TWO_BY_TWO = 1 << 7

# PDF font descriptor flags
FIXED_PITCH = 1 << 0
SYMBOLIC = 1 << 2
ITALIC = 1 << 6
FORCE_BOLD = 1 << 18


_BIG_ENDIAN = sys.byteorder == "big"


class FontFileError(Exception):
    """The file is not a TrueType face this module can read or embed."""


def numbers(code: str, data: bytes | memoryview) -> array[int]:
    """Big-endian numbers of ``data`` as an array (``H``: 16 bits, ``L``/``I``: 32)."""
    if code == "L":  # array's "L" is 64 bits on some platforms; "I" is 32 on all ours
        code = "I"
    out = array(code)
    out.frombytes(bytes(data))
    if not _BIG_ENDIAN:
        out.byteswap()
    return out


def checksum(data: bytes) -> int:
    """The TrueType checksum: the sum of the big-endian 32-bit words, zero-padded."""
    if len(data) & 3:
        data = data + b"\0" * (4 - (len(data) & 3))
    return sum(numbers("I", data)) & 0xFFFFFFFF


class TrueTypeFace:
    """One face of a TrueType font file (:func:`.truetype_read.parse_face`).

    Widths and the descriptor's numbers are in thousandths of an em.
    """

    path: Path
    index: int
    name: bytes  # the PostScript name, spaces as hyphens
    subfont_suffix: bytes  # "-N" for face N of a collection, else empty
    units_per_em: int
    bbox: list[float]
    ascent: float
    descent: float
    cap_height: float
    stem_v: int
    italic_angle: float
    flags: int
    default_width: float
    num_glyphs: int
    metric_count: int  # numberOfHMetrics
    tables: dict[str, tuple[int, int]]  # tag → (offset in the file, length)
    char_to_glyph: dict[int, int]
    advances: array[int]  # per glyph, in font units, the last full metric repeated
    bearings: array[int]  # per glyph, left side bearing as read (unsigned)
    locations: array[int]  # numGlyphs + 1 glyph offsets in ``glyf``

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: Any = None

    @property
    def postscript_name(self) -> str:
        """The name a PDF gives the face (with the collection suffix)."""
        return (self.name + self.subfont_suffix).decode("latin-1")

    def _scale(self, value: float) -> float:
        if self.units_per_em == 1000:
            return value
        return value * (1000 / self.units_per_em)

    def char_width(self, code: int) -> float:
        """The advance of character ``code``; the missing glyph's for one the face lacks."""
        glyph = self.char_to_glyph.get(code)
        if glyph is None or glyph >= self.num_glyphs:
            return self.default_width
        return self._scale(self.advances[glyph])

    # the file ------------------------------------------------------------------------------

    def _file(self) -> Any:
        if self._data is None:
            self._data = map_file(self.path)
        return self._data

    def release_file(self) -> None:
        """Lets go of the font file (a mapped file cannot be replaced on Windows)."""
        data, self._data = self._data, None
        if isinstance(data, mmap.mmap):
            data.close()

    def table(self, tag: str) -> bytes:
        offset, length = self.tables[tag]
        data = self._file()[offset : offset + length]
        if len(data) != length:
            raise FontFileError(f"truncated {tag} table")
        return bytes(data)

    # the subset ----------------------------------------------------------------------------

    def subset(self, codes: Sequence[int]) -> bytes:
        """A TrueType font of the glyphs of ``codes`` (see the module)."""
        data = self._file()
        glyf_at = self.tables["glyf"][0]
        loca = self.locations
        count = self.num_glyphs
        glyph_map = [0]  # new glyph → original
        glyph_set = {0: 0}  # original → new
        code_to_glyph = {}
        for code in codes:
            original = self.char_to_glyph.get(code, 0)
            if original >= count:
                original = 0
            if original not in glyph_set:
                glyph_set[original] = len(glyph_map)
                glyph_map.append(original)
            code_to_glyph[code] = glyph_set[original]
        # the components of composite glyphs (and theirs) join at the end
        n = 0
        while n < len(glyph_map):
            original = glyph_map[n]
            n += 1
            start = loca[original]
            if loca[original + 1] == start:
                continue
            at = glyf_at + start
            if struct.unpack_from(">h", data, at)[0] >= 0:
                continue
            for _flags, _at, component in _components(data, at):
                if component not in glyph_set:
                    glyph_set[component] = len(glyph_map)
                    glyph_map.append(component)
        tables: dict[str, bytes] = {}
        for tag in ("name", "OS/2", "cvt ", "fpgm", "prep"):
            if tag in self.tables:
                tables[tag] = self.table(tag)
        tables["post"] = b"\x00\x03\x00\x00" + self.table("post")[4:16] + b"\x00" * 16
        tables["hmtx"], metrics = self._hmtx(glyph_map)
        tables["hhea"] = _set_ushort(self.table("hhea"), 34, metrics)
        tables["maxp"] = _set_ushort(self.table("maxp"), 4, len(glyph_map))
        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + 2 * len(codes), 0, 0, len(codes)]
        cmap += [code_to_glyph[code] for code in codes]
        tables["cmap"] = struct.pack(f">{len(cmap)}H", *cmap)
        glyphs, offsets = self._glyf(data, glyph_map, glyph_set)
        tables["glyf"] = glyphs
        end = offsets[-1]
        if (end + 1) >> 1 > 0xFFFF:
            long_offsets = 1
            tables["loca"] = struct.pack(f">{len(offsets)}L", *offsets)
        else:
            long_offsets = 0
            tables["loca"] = struct.pack(f">{len(offsets)}H", *(o >> 1 for o in offsets))
        head = _set_ushort(self.table("head"), 50, long_offsets)
        tables["head"] = head[:8] + b"\0\0\0\0" + head[12:]
        return _font_file(tables)

    def _hmtx(self, glyph_map: list[int]) -> tuple[bytes, int]:
        """The subset's horizontal metrics and its numberOfHMetrics."""
        full = self.metric_count
        trailing = int(self._scale(self.advances[full - 1])) if full < self.num_glyphs else 0
        values: list[int] = []
        for original in glyph_map:
            values.append(self.advances[original] if original < full else trailing)
            values.append(self.bearings[original])
        # glyphs after the last change of advance share it: only their bearings are written
        n = len(values) - 2
        while n and values[n] == values[n - 2]:
            n -= 2
        n += 2
        values = values[:n] + values[n + 1 :: 2]
        return struct.pack(f">{len(values)}H", *values), n >> 1

    def _glyf(
        self, data: Any, glyph_map: list[int], glyph_set: dict[int, int]
    ) -> tuple[bytes, list[int]]:
        glyf_at = self.tables["glyf"][0]
        loca = self.locations
        out: list[bytes] = []
        offsets: list[int] = []
        pos = 0
        for original in glyph_map:
            offsets.append(pos)
            start = loca[original]
            length = loca[original + 1] - start
            glyph = bytes(data[glyf_at + start : glyf_at + start + length])
            if length > 2 and struct.unpack_from(">h", glyph)[0] < 0:
                fixed = bytearray(glyph)
                for _flags, at, component in _components(glyph, 0):
                    struct.pack_into(">H", fixed, at, glyph_set[component])
                glyph = bytes(fixed)
            out.append(glyph)
            pos += length
            if pos % 4:
                out.append(b"\0" * (4 - pos % 4))
                pos += 4 - pos % 4
        offsets.append(pos)
        return b"".join(out), offsets


def _components(data: Any, at: int) -> Iterable[tuple[int, int, int]]:
    """(flags, offset of the glyph index, glyph index) of each component of the composite
    glyph at ``at``."""
    at += 10
    flags = _MORE_COMPONENTS
    while flags & _MORE_COMPONENTS:
        flags, glyph = struct.unpack_from(">HH", data, at)
        yield flags, at + 2, glyph
        at += 8 if flags & _ARG_1_AND_2_ARE_WORDS else 6
        if flags & _WE_HAVE_A_SCALE:
            at += 2
        elif flags & _WE_HAVE_AN_X_AND_Y_SCALE:
            at += 4
        elif flags & _WE_HAVE_A_TWO_BY_TWO:
            at += 8


def _set_ushort(data: bytes, at: int, value: int) -> bytes:
    return data[:at] + struct.pack(">H", value) + data[at + 2 :]


def _font_file(tables: dict[str, bytes]) -> bytes:
    """The font file of ``tables``, in tag order, with the whole-file checksum in ``head``."""
    count = len(tables)
    search = 1
    selector = 0
    while search * 2 <= count:
        search *= 2
        selector += 1
    search *= 16
    parts = [struct.pack(">lHHHH", 0x00010000, count, search, selector, count * 16 - search)]
    offset = 12 + count * 16
    head_at = 0
    items = sorted(tables.items())
    for tag, data in items:
        if tag == "head":
            head_at = offset
        parts.append(tag.encode("latin-1") + struct.pack(">LLL", checksum(data), offset, len(data)))
        offset += (len(data) + 3) & ~3
    for _tag, data in items:
        padded = data + b"\0\0\0"
        parts.append(padded[: len(padded) & ~3])
    font = b"".join(parts)
    adjustment = (0xB1B0AFBA - checksum(font)) & 0xFFFFFFFF
    return font[: head_at + 8] + struct.pack(">L", adjustment) + font[head_at + 12 :]


def map_file(path: Path) -> Any:
    """The file's bytes: mapped into memory (a subset takes a few hundred of a Chinese
    face's 40,000 glyphs), read when it cannot be mapped."""
    try:
        with open(path, "rb") as f:
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except ValueError:  # an empty file
        return path.read_bytes()
