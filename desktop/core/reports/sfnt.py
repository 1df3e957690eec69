"""Just enough of the TrueType/OpenType file format to choose a font, quickly.

The start-up font check must be quick, so it reads the few things it needs straight from
the file: which faces a ``.ttc`` holds, whether their outlines are TrueType (``glyf``; the
ledger's subsetter, :mod:`.truetype`, embeds TrueType outlines, not the CFF outlines the
Noto CJK ``.otf``/``.ttc`` files use), whether the licence bits allow embedding a subset,
the family name, and whether a few Chinese characters are in the character map.
"""

from __future__ import annotations

import struct
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# Characters every ledger prints; a face without them is no Chinese font.
PROBE_TEXT = "台账清单牵头单位完成时限进展情况第页共"


class SfntError(Exception):
    """The file is not a font we can read."""


@dataclass(frozen=True)
class FaceInfo:
    """One face of a font file."""

    path: Path
    index: int
    family: str
    truetype_outlines: bool
    embeddable: bool
    tables: dict[str, tuple[int, int]]

    @property
    def usable(self) -> bool:
        """A subset of this face can be embedded (:mod:`.truetype`)."""
        return self.truetype_outlines and self.embeddable


def _read(f: BinaryIO, offset: int, size: int) -> bytes:
    f.seek(offset)
    data = f.read(size)
    if len(data) != size:
        raise SfntError("truncated font file")
    return data


def _face_offsets(f: BinaryIO) -> list[int]:
    head = _read(f, 0, 12)
    if head[:4] == b"ttcf":
        (count,) = struct.unpack(">I", head[8:12])
        if not 0 < count < 256:
            raise SfntError("bad font collection")
        return list(struct.unpack(f">{count}I", _read(f, 12, 4 * count)))
    return [0]


def _tables(f: BinaryIO, offset: int) -> tuple[bytes, dict[str, tuple[int, int]]]:
    head = _read(f, offset, 12)
    version = head[:4]
    (count,) = struct.unpack(">H", head[4:6])
    if count > 200:
        raise SfntError("bad table directory")
    raw = _read(f, offset + 12, 16 * count)
    tables: dict[str, tuple[int, int]] = {}
    for i in range(count):
        tag, _checksum, toff, tlen = struct.unpack(">4sIII", raw[16 * i : 16 * i + 16])
        tables[tag.decode("latin-1")] = (toff, tlen)
    return version, tables


def _fs_type(f: BinaryIO, tables: dict[str, tuple[int, int]]) -> int:
    if "OS/2" not in tables:
        return 0
    off, _len = tables["OS/2"]
    (fs_type,) = struct.unpack(">H", _read(f, off + 8, 2))
    return int(fs_type)


def _family(f: BinaryIO, tables: dict[str, tuple[int, int]]) -> str:
    if "name" not in tables:
        return ""
    off, length = tables["name"]
    data = _read(f, off, min(length, 1 << 20))
    _fmt, count, store = struct.unpack(">HHH", data[:6])
    best: tuple[int, str] = (99, "")
    for i in range(count):
        rec = data[6 + 12 * i : 18 + 12 * i]
        if len(rec) < 12:
            break
        platform, _enc, lang, name_id, nlen, noff = struct.unpack(">HHHHHH", rec)
        if name_id != 1:
            continue
        raw = data[store + noff : store + noff + nlen]
        if platform == 3:
            rank = 0 if lang == 0x409 else 1
            text = raw.decode("utf-16-be", "replace")
        elif platform == 1 and lang == 0:
            rank, text = 2, raw.decode("latin-1")
        else:
            continue
        if rank < best[0]:
            best = (rank, text)
    return best[1]


def read_faces(path: Path) -> list[FaceInfo]:
    """Every face in a ``.ttf``/``.otf``/``.ttc`` file; raises :class:`SfntError`."""
    try:
        with open(path, "rb") as f:
            faces = []
            for index, offset in enumerate(_face_offsets(f)):
                version, tables = _tables(f, offset)
                truetype = version in (b"\x00\x01\x00\x00", b"true") and "glyf" in tables
                fs_type = _fs_type(f, tables)
                # Restricted licence or no-subsetting bits (the rule truetype.parse_face applies).
                embeddable = not (fs_type == 0x0002 or fs_type & 0x0300)
                faces.append(
                    FaceInfo(path, index, _family(f, tables), truetype, embeddable, tables)
                )
            return faces
    except (OSError, struct.error, UnicodeDecodeError) as exc:
        raise SfntError(str(exc)) from exc


def _cmap_subtable(f: BinaryIO, tables: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    """(absolute offset, format) of the best Unicode subtable."""
    if "cmap" not in tables:
        return None
    off, _len = tables["cmap"]
    _version, count = struct.unpack(">HH", _read(f, off, 4))
    raw = _read(f, off + 4, 8 * count)
    ranked: list[tuple[int, int, int]] = []
    for i in range(count):
        platform, encoding, sub = struct.unpack(">HHI", raw[8 * i : 8 * i + 8])
        (fmt,) = struct.unpack(">H", _read(f, off + sub, 2))
        if fmt not in (4, 12):
            continue
        if (platform == 3 and encoding in (1, 10)) or platform == 0:
            ranked.append((0 if fmt == 12 else 1, off + sub, fmt))
    if not ranked:
        return None
    _rank, where, fmt = min(ranked)
    return where, fmt


def _format4(f: BinaryIO, where: int) -> Callable[[int], bool]:
    length, _lang, segx2 = struct.unpack(">HHH", _read(f, where + 2, 6))
    data = _read(f, where, length)
    seg = segx2 // 2
    ends = struct.unpack(f">{seg}H", data[14 : 14 + segx2])
    starts = struct.unpack(f">{seg}H", data[16 + segx2 : 16 + 2 * segx2])
    deltas = struct.unpack(f">{seg}h", data[16 + 2 * segx2 : 16 + 3 * segx2])
    roff_at = 16 + 3 * segx2
    ranges = struct.unpack(f">{seg}H", data[roff_at : roff_at + segx2])

    def has(code: int) -> bool:
        i = bisect_left(ends, code)
        if i >= seg or code < starts[i]:
            return False
        if ranges[i] == 0:
            return bool((code + deltas[i]) & 0xFFFF)
        at = roff_at + 2 * i + ranges[i] + 2 * (code - starts[i])
        (glyph,) = struct.unpack(">H", data[at : at + 2])
        return bool(glyph)

    return has


def _format12(f: BinaryIO, where: int) -> Callable[[int], bool]:
    (groups,) = struct.unpack(">I", _read(f, where + 12, 4))
    data = _read(f, where + 16, 12 * groups)
    spans = [struct.unpack(">II", data[12 * i : 12 * i + 8]) for i in range(groups)]
    ends = [end for _start, end in spans]

    def has(code: int) -> bool:
        i = bisect_left(ends, code)
        return bool(i < groups and spans[i][0] <= code)

    return has


def charmap(face: FaceInfo) -> Callable[[int], bool]:
    """A test of whether the face has a glyph for a code point, its character map read
    into memory once."""
    try:
        with open(face.path, "rb") as f:
            sub = _cmap_subtable(f, face.tables)
            if sub is None:
                return lambda code: False
            where, fmt = sub
            return _format12(f, where) if fmt == 12 else _format4(f, where)
    except (OSError, struct.error) as exc:
        raise SfntError(str(exc)) from exc


def covers(face: FaceInfo, text: str = PROBE_TEXT) -> bool:
    """Whether every character of ``text`` has a glyph in the face's character map."""
    try:
        with open(face.path, "rb") as f:
            sub = _cmap_subtable(f, face.tables)
            if sub is None:
                return False
            where, fmt = sub
            has = _format12(f, where) if fmt == 12 else _format4(f, where)
            return all(has(ord(ch)) for ch in text)
    except (OSError, struct.error) as exc:
        raise SfntError(str(exc)) from exc
