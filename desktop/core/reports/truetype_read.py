"""Reading a TrueType face (:class:`.truetype.TrueTypeFace`) from a ``.ttf``/``.ttc`` file.

The tables are read as arrays (``hmtx``, ``loca``) and the character map by ranges, so a
Chinese collection of 45,000 glyphs takes about 5 ms. The numbers are the ones reportlab
computed (see :mod:`.truetype`): the character map is the subtable reportlab chose — the
last Windows one, else the last Unicode or Macintosh Roman one — among those keyed by
character value, and the PostScript name, box, ascent, descent, cap height, stem width,
italic angle and flags follow its rules.
"""

from __future__ import annotations

import mmap
import struct
from array import array
from pathlib import Path
from typing import Any

from .truetype import (
    FIXED_PITCH,
    FORCE_BOLD,
    ITALIC,
    SYMBOLIC,
    FontFileError,
    TrueTypeFace,
    map_file,
    numbers,
)

_TRUETYPE = (0x00010000, 0x74727565)  # 1.0 and "true"
_COLLECTION = 0x74746366  # "ttcf"
_BAD_NAME_BYTES = b" [](){}<>/%"


def _name_bytes(raw: bytes, encoding: str) -> bytes:
    """A name record as UTF-8 (latin-1 when it does not decode as ``encoding``)."""
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.encode("utf-8")


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
    data = map_file(path)
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

    pairs = numbers("H", r.bytes(where("hmtx"), 4 * metrics))
    advances = pairs[0::2]
    bearings = pairs[1::2]
    if count > metrics:
        advances.extend(array("H", [advances[-1]]) * (count - metrics))
        bearings.extend(numbers("H", r.bytes(where("hmtx") + 4 * metrics, 2 * (count - metrics))))
    face.advances, face.bearings = advances, bearings
    face.default_width = face._scale(advances[0])

    loca = where("loca")
    if long_offsets == 0:
        face.locations = array("I", (v << 1 for v in numbers("H", r.bytes(loca, 2 * count + 2))))
    elif long_offsets == 1:
        face.locations = numbers("I", r.bytes(loca, 4 * count + 4))
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
    ends = numbers("H", r.bytes(at + 14, 2 * segments))
    starts = numbers("H", r.bytes(at + 16 + 2 * segments, 2 * segments))
    deltas = numbers("h", r.bytes(at + 16 + 4 * segments, 2 * segments))
    ranges_at = at + 16 + 6 * segments
    ranges = numbers("H", r.bytes(ranges_at, 2 * segments))
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
        glyphs = list(numbers("H", r.bytes(first, 2 * inside))) if inside else []
        glyphs += [0] * (len(codes) - inside)
        out.update(zip(codes, [(g + delta) & 0xFFFF if g else 0 for g in glyphs], strict=True))
    return out


def _format12(r: _Reader, at: int) -> dict[int, int]:
    out: dict[int, int] = {}
    for start, end, glyph in _groups(r, at):
        codes = range(start, end + 1)
        out.update(zip(codes, range(glyph, glyph + len(codes)), strict=True))
    return out


def _format13(r: _Reader, at: int) -> dict[int, int]:
    out: dict[int, int] = {}
    for start, end, glyph in _groups(r, at):
        out.update(dict.fromkeys(range(start, end + 1), glyph))
    return out


UNICODE_END = 0x10FFFF


def _groups(r: _Reader, at: int) -> list[tuple[int, int, int]]:
    """The (first code, last code, glyph) groups of a format 12 or 13 subtable, cut to
    Unicode's range: a damaged file's group of four billion codes would otherwise be a
    dictionary of them (every reader has a budget)."""
    groups = r.ulong(at + 12)
    spans = numbers("I", r.bytes(at + 16, 12 * groups))
    out = []
    for i in range(0, 3 * groups, 3):
        start, end, glyph = spans[i], min(spans[i + 1], UNICODE_END), spans[i + 2]
        if start <= end:
            out.append((start, end, glyph))
    return out


def _trimmed(r: _Reader, at: int, fmt: int) -> dict[int, int]:
    """Formats 6 and 10: one run of glyphs from a first one, each naming its character
    (as reportlab reads them: the glyph numbered, the 16-bit value the character)."""
    if fmt == 6:
        first, count, values_at = r.ushort(at + 6), r.ushort(at + 8), at + 10
    else:
        first, count, values_at = r.ulong(at + 12), r.ulong(at + 16), at + 20
    values = numbers("H", r.bytes(values_at, 2 * count))
    return dict(zip(values, range(first, first + count), strict=True))
