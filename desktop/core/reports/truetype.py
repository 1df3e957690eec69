"""A TrueType face as the ledger embeds it: metrics, character map and glyph subsets.

The ledger's PDF writer (:mod:`.pdf_font`, :mod:`.pdf_text`) needs four things of a
face: which characters it has (its character map), each character's advance width, the
few numbers of the font descriptor (name, box, ascent …) and a subset of its glyphs to
embed. This module reads them straight from a ``.ttf``/``.ttc`` file (TrueType outlines,
``glyf``/``loca``) — about 5 ms for a Chinese collection of 45,000 glyphs: the tables are
read as arrays, the character map by ranges, the widths only when asked for — and makes
the subset itself, so printing a ledger loads no other font library.

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

_TRUETYPE = (0x00010000, 0x74727565)  # 1.0 and "true"
_COLLECTION = 0x74746366  # "ttcf"
_BAD_NAME_BYTES = b" [](){}<>/%"

_BIG_ENDIAN = sys.byteorder == "big"


class FontFileError(Exception):
    """The file is not a TrueType face this module can read or embed."""


def _numbers(code: str, data: bytes | memoryview) -> array[int]:
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
    return sum(_numbers("I", data)) & 0xFFFFFFFF


def _name_bytes(raw: bytes, encoding: str) -> bytes:
    """A name record as UTF-8 (latin-1 when it does not decode as ``encoding``)."""
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.encode("utf-8")


class TrueTypeFace:
    """One face of a TrueType font file (:func:`parse_face`).

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
            self._data = _map(self.path)
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


def _map(path: Path) -> Any:
    """The file's bytes: mapped into memory (a subset takes a few hundred of a Chinese
    face's 40,000 glyphs), read when it cannot be mapped."""
    try:
        with open(path, "rb") as f:
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except ValueError:  # an empty file
        return path.read_bytes()


# parsing ---------------------------------------------------------------------------------


class _Reader:
    def __init__(self, data: Any) -> None:
        self.data = data

    def ushort(self, at: int) -> int:
        return int(struct.unpack_from(">H", self.data, at)[0])

    def short(self, at: int) -> int:
        return int(struct.unpack_from(">h", self.data, at)[0])

    def ulong(self, at: int) -> int:
        return int(struct.unpack_from(">L", self.data, at)[0])

    def bytes(self, at: int, length: int) -> bytes:
        out = bytes(self.data[at : at + length])
        if len(out) != length:
            raise FontFileError("truncated font file")
        return out


def parse_face(path: Path, index: int = 0) -> TrueTypeFace:
    """Face ``index`` of the font file ``path``; raises :class:`FontFileError` (or
    ``OSError``) for a file that is not a TrueType face that may be embedded."""
    data = _map(path)
    try:
        return _parse(path, index, _Reader(data))
    except (struct.error, IndexError, ValueError, OverflowError) as exc:
        raise FontFileError(f"damaged font file: {exc}") from exc
    finally:
        if isinstance(data, mmap.mmap):
            data.close()


def _parse(path: Path, index: int, r: _Reader) -> TrueTypeFace:
    face = TrueTypeFace(path)
    face.index = index
    version = r.ulong(0)
    if version == _COLLECTION:
        if r.ulong(4) not in (0x00010000, 0x00020000):
            raise FontFileError("unknown font collection version")
        count = r.ulong(8)
        if not 0 <= index < count:
            raise FontFileError(f"no face {index} in the collection")
        at = r.ulong(12 + 4 * index)
        version = r.ulong(at)
        face.subfont_suffix = f"-{index}".encode()
    else:
        at = 0
        face.subfont_suffix = b""
    if version == 0x4F54544F:
        raise FontFileError("PostScript (CFF) outlines cannot be embedded")
    if version not in _TRUETYPE:
        raise FontFileError(f"not a TrueType font (version {version:#010x})")
    tables: dict[str, tuple[int, int]] = {}
    for i in range(r.ushort(at + 4)):
        entry = at + 12 + 16 * i
        tag = r.bytes(entry, 4).decode("latin-1")
        tables[tag] = (r.ulong(entry + 8), r.ulong(entry + 12))
    face.tables = tables

    def where(tag: str) -> int:
        if tag not in tables:
            raise FontFileError(f"no {tag} table")
        return tables[tag][0]

    face.name = _postscript_name(r, where("name"))

    head = where("head")
    if r.ushort(head) != 1:
        raise FontFileError("unknown head table version")
    if r.ulong(head + 12) != 0x5F0F3CF5:
        raise FontFileError("bad head table")
    units = face.units_per_em = r.ushort(head + 18)
    if units == 0:
        raise FontFileError("no units per em")
    box = [r.short(head + 36), r.short(head + 38), r.short(head + 40), r.short(head + 42)]
    face.bbox = [face._scale(v) for v in box]
    long_offsets = r.ushort(head + 50)
    glyph_format = r.ushort(head + 52)

    embeddable = True
    if "OS/2" in tables:
        os2 = tables["OS/2"][0]
        os2_version = r.ushort(os2)
        weight = r.ushort(os2 + 4)
        fs_type = r.ushort(os2 + 8)
        # the licence rule the font check applies (``sfnt``): restricted, or no subsetting
        embeddable = not (fs_type == 0x0002 or fs_type & 0x0300)
        face.ascent = face._scale(r.short(os2 + 68))
        face.descent = face._scale(r.short(os2 + 70))
        face.cap_height = face._scale(r.short(os2 + 88)) if os2_version > 1 else face.ascent
    else:
        weight = 500
        face.ascent = face._scale(box[3])
        face.descent = face._scale(box[1])
        face.cap_height = face.ascent
    face.stem_v = 50 + int((weight / 65.0) ** 2)

    post = where("post")
    if r.ushort(post) not in (1, 2, 3, 4):
        raise FontFileError("unknown post table version")
    face.italic_angle = r.short(post + 4) + r.ushort(post + 6) / 65536.0
    flags = SYMBOLIC
    if face.italic_angle != 0:
        flags |= ITALIC
    if weight >= 600:
        flags |= FORCE_BOLD
    if r.ulong(post + 12):
        flags |= FIXED_PITCH
    face.flags = flags

    hhea = where("hhea")
    if r.ushort(hhea) != 1:
        raise FontFileError("unknown hhea table version")
    if r.ushort(hhea + 32) != 0:
        raise FontFileError("unknown horizontal metrics format")
    metrics = face.metric_count = r.ushort(hhea + 34)
    if metrics == 0:
        raise FontFileError("no horizontal metrics")

    maxp = where("maxp")
    if r.ushort(maxp) != 1:
        raise FontFileError("unknown maxp table version")
    count = face.num_glyphs = r.ushort(maxp + 4)
    if not embeddable:
        raise FontFileError("the font's licence does not allow embedding a subset")
    if glyph_format != 0:
        raise FontFileError("unknown glyph data format")
    if metrics > count:
        raise FontFileError("more horizontal metrics than glyphs")

    face.char_to_glyph = _character_map(r, where("cmap"), count)

    pairs = _numbers("H", r.bytes(where("hmtx"), 4 * metrics))
    advances = pairs[0::2]
    bearings = pairs[1::2]
    if count > metrics:
        advances.extend(array("H", [advances[-1]]) * (count - metrics))
        bearings.extend(_numbers("H", r.bytes(where("hmtx") + 4 * metrics, 2 * (count - metrics))))
    face.advances, face.bearings = advances, bearings
    face.default_width = face._scale(advances[0])

    loca = where("loca")
    if long_offsets == 0:
        face.locations = array("I", (v << 1 for v in _numbers("H", r.bytes(loca, 2 * count + 2))))
    elif long_offsets == 1:
        face.locations = _numbers("I", r.bytes(loca, 4 * count + 4))
    else:
        raise FontFileError("unknown glyph location format")
    where("glyf")

    cmap = face.char_to_glyph
    if 0x20 in cmap:
        cmap[0xA0] = cmap[0x20]
    elif 0xA0 in cmap:
        cmap[0x20] = cmap[0xA0]
    return face


def _postscript_name(r: _Reader, table: int) -> bytes:
    if r.ushort(table) != 0:
        raise FontFileError("unknown name table format")
    records = r.ushort(table + 2)
    strings = table + r.ushort(table + 4)
    names: dict[int, bytes | None] = dict.fromkeys((1, 2, 3, 4, 6))
    wanted = len(names)
    for i in range(records):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(
            ">6H", r.data, table + 6 + 12 * i
        )
        if name_id not in names:
            continue
        found = None
        if platform == 3 and encoding == 1 and language == 0x409:
            if length % 2:
                raise FontFileError("name of odd length")
            found = _name_bytes(r.bytes(strings + offset, length), "utf_16_be")
        elif platform == 1 and encoding == 0 and language == 0:
            found = _name_bytes(r.bytes(strings + offset, length), "mac_roman")
        if found and names[name_id] is None:
            names[name_id] = found
            wanted -= 1
            if wanted == 0:
                break
    name = names[6] or names[4] or names[1]
    if not name:
        raise FontFileError("the font has no PostScript name")
    name = name.replace(b" ", b"-")
    if any(c > 126 or c in _BAD_NAME_BYTES for c in name):
        raise FontFileError(f"unusable PostScript name {name!r}")
    return name


_MAP_FORMATS = (0, 4, 6, 10, 12, 13)  # by character value; not 2 (legacy double-byte codes)


def _character_map(r: _Reader, table: int, glyph_count: int) -> dict[int, int]:
    """Character → glyph of the subtable reportlab chose: the last Windows one, else the
    last Unicode or Macintosh Roman one — among those keyed by character value (a format
    2 subtable of a legacy double-byte encoding such as GBK would key a Chinese character
    by its GBK code: every one would print as missing)."""
    version, count = r.ushort(table), r.ushort(table + 2)
    if count == 0 and version != 0:
        count = version
    chosen = None
    kind = 0
    for i in range(count):
        platform, encoding = r.ushort(table + 4 + 8 * i), r.ushort(table + 6 + 8 * i)
        offset = r.ulong(table + 8 + 8 * i)
        if r.ushort(table + offset) not in _MAP_FORMATS:
            continue
        if platform == 3:
            kind, chosen = 1, offset
        elif platform == 1 and encoding == 0 and kind != 1:
            kind, chosen = 2, offset
        elif (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            kind, chosen = 1, offset
    if chosen is None:
        raise FontFileError("no usable character map")
    at = table + chosen
    fmt = r.ushort(at)
    if fmt == 4:
        return _format4(r, at)
    if fmt == 12:
        return _format12(r, at)
    if fmt in (6, 10):
        return _trimmed(r, at, fmt)
    if fmt == 13:
        return _format13(r, at)
    table_bytes = r.bytes(at + 6, max(0, r.ushort(at + 2) - 6))  # format 0
    return {c: table_bytes[c] for c in range(min(256, glyph_count, len(table_bytes)))}


def _format4(r: _Reader, at: int) -> dict[int, int]:
    limit = at + r.ushort(at + 2)
    segments = r.ushort(at + 6) // 2
    ends = _numbers("H", r.bytes(at + 14, 2 * segments))
    starts = _numbers("H", r.bytes(at + 16 + 2 * segments, 2 * segments))
    deltas = _numbers("h", r.bytes(at + 16 + 4 * segments, 2 * segments))
    ranges_at = at + 16 + 6 * segments
    ranges = _numbers("H", r.bytes(ranges_at, 2 * segments))
    out: dict[int, int] = {}
    for n in range(segments):
        start, end, delta, offset = starts[n], ends[n], deltas[n], ranges[n]
        if end < start:
            continue
        codes = range(start, end + 1)
        if offset == 0:
            out.update(zip(codes, [(c + delta) & 0xFFFF for c in codes], strict=True))
            continue
        first = ranges_at + 2 * n + offset
        inside = max(0, min(len(codes), (limit - first + 1) // 2))
        glyphs = list(_numbers("H", r.bytes(first, 2 * inside))) if inside else []
        glyphs += [0] * (len(codes) - inside)
        out.update(zip(codes, [(g + delta) & 0xFFFF if g else 0 for g in glyphs], strict=True))
    return out


def _format12(r: _Reader, at: int) -> dict[int, int]:
    groups = r.ulong(at + 12)
    spans = _numbers("I", r.bytes(at + 16, 12 * groups))
    out: dict[int, int] = {}
    for i in range(0, 3 * groups, 3):
        start, end, glyph = spans[i], spans[i + 1], spans[i + 2]
        if end >= start:
            codes = range(start, end + 1)
            out.update(zip(codes, range(glyph, glyph + len(codes)), strict=True))
    return out


def _format13(r: _Reader, at: int) -> dict[int, int]:
    groups = r.ulong(at + 12)
    spans = _numbers("I", r.bytes(at + 16, 12 * groups))
    out: dict[int, int] = {}
    for i in range(0, 3 * groups, 3):
        start, end, glyph = spans[i], spans[i + 1], spans[i + 2]
        out.update(dict.fromkeys(range(start, end + 1), glyph))
    return out


def _trimmed(r: _Reader, at: int, fmt: int) -> dict[int, int]:
    """Formats 6 and 10: one run of glyphs from a first one, each naming its character
    (as reportlab reads them: the glyph numbered, the 16-bit value the character)."""
    if fmt == 6:
        first, count, values_at = r.ushort(at + 6), r.ushort(at + 8), at + 10
    else:
        first, count, values_at = r.ulong(at + 12), r.ulong(at + 16), at + 20
    values = _numbers("H", r.bytes(values_at, 2 * count))
    return dict(zip(values, range(first, first + count), strict=True))
