"""Parsed font metrics kept on disk, so a ledger does not parse its Chinese font every time.

reportlab reads a TrueType file by walking its tables in Python: for a Chinese collection
(WenQuanYi, 宋体 …) with 40,000 glyphs that is a quarter to half a second, paid by every
``ledger pdf`` command and by the first ledger printed after the program starts. What it
learns — the character → glyph map, the advance widths, the glyph offsets and the table
directory — depends on nothing but the font file, so it is written once to the cache folder
and read back (a few milliseconds) while the file's size and modification time are
unchanged. The font file itself is read only when glyphs are embedded.

The cache holds only numbers and strings (``marshal`` of built-in types and ``array``
bytes; reading it never runs code) and is keyed by the font file, the face, the file's size
and modification time, the reportlab version and this format's version. A missing,
unreadable, oversized or stale entry is ignored and the font is parsed as before; a folder
that cannot be written only means the next run parses again. Printing never fails because
of the cache, and the PDF is byte for byte the same with or without it.
"""

from __future__ import annotations

import functools
import logging
import marshal
import mmap
import os
import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from desktop.paths import cache_dir

log = logging.getLogger(__name__)

FORMAT = 1
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a Chinese face's entry is about 1 MB

# attributes of a parsed face that are kept as they are (numbers, strings, small lists)
_PLAIN = (
    "glyphNames", "glyphWidths", "ascent", "descent", "bold", "italic", "requiredEncoding",
    "builtIn", "validate", "version", "ttcVersion", "fileKind", "ttfVersions", "numSubfonts",
    "subfontOffsets", "numTables", "searchRange", "entrySelector", "rangeShift", "table",
    "tables", "subfontNameX", "fontRevision", "unitsPerEm", "bbox", "capHeight", "stemV",
    "italicAngle", "underlinePosition", "underlineThickness", "flags", "numGlyphs",
    "_full_font", "defaultWidth",
)  # fmt: skip
# reportlab keeps these names as a bytes subclass that also carries the text
_NAMES = ("name", "familyName", "styleName", "fullName", "uniqueFontID")


def metrics_dir() -> Path:
    """The folder of the cached font metrics."""
    return cache_dir() / "fonts"


def entry_path(folder: Path, path: Path, index: int) -> Path | None:
    """The cache file of face ``index`` of ``path`` as the file is now; None if it is gone."""
    try:
        st = path.stat()
    except OSError:
        return None
    from reportlab import Version

    key = f"{path.resolve()}|{index}|{st.st_size}|{st.st_mtime_ns}|{Version}|{FORMAT}"
    python = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return folder / f"{zlib.crc32(key.encode()):08x}-{len(key):x}-{python}.metrics"


def load_ttfont(name: str, path: Path, index: int, folder: Path | None = None) -> Any:
    """reportlab's ``TTFont(name, path, subfontIndex=index)``, from the cache when it can be.

    Raises what ``TTFont`` raises for a file that is not a usable font.
    """
    from reportlab.pdfbase.ttfonts import TTFont

    folder = metrics_dir() if folder is None else folder
    entry = entry_path(folder, path, index)
    if entry is not None:
        face = _read_entry(entry, path)
        if face is not None:
            return _font_over(name, face)
    font = TTFont(name, str(path), subfontIndex=index)
    if entry is not None:
        _write_entry(entry, font.face)
    return font


def _font_over(name: str, face: Any) -> Any:
    """A ``TTFont`` around an already parsed face (what ``TTFont.__init__`` does after it
    has parsed the file)."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, unShapedFontGlob

    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, g) for g in unShapedFontGlob)
    return font


def _numbers(values: Iterable[float]) -> tuple[str, bytes]:
    """Whole numbers as 64-bit integers, anything else as doubles (exact for a font's
    16-bit metrics scaled to thousandths of an em)."""
    values = list(values)
    code = "q" if all(type(v) is int for v in values) else "d"
    return code, array(code, values).tobytes()


def _arrays(face: Any) -> dict[str, tuple[str, bytes]]:
    return {
        "char_codes": _numbers(face.charToGlyph.keys()),
        "char_glyphs": _numbers(face.charToGlyph.values()),
        "width_codes": _numbers(face.charWidths.keys()),
        "widths": _numbers(face.charWidths.values()),
        "advances": _numbers(aw for aw, _ in face.hmetrics),
        "bearings": _numbers(lsb for _, lsb in face.hmetrics),
        "glyph_pos": _numbers(face.glyphPos),
    }


def _write_entry(entry: Path, face: Any) -> None:
    try:
        data = {
            "plain": {k: getattr(face, k) for k in _PLAIN},
            "names": {k: bytes(getattr(face, k)) for k in _NAMES},
            "arrays": _arrays(face),
        }
        blob = marshal.dumps(data)
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, entry)
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        log.info("字体度量缓存未写入（%s）：%s", entry, exc)


def _read_entry(entry: Path, font_path: Path) -> Any | None:
    try:
        if not entry.is_file() or entry.stat().st_size > MAX_ENTRY_BYTES:
            return None
        data = marshal.loads(entry.read_bytes())
        return _face_from(data, font_path)
    except (OSError, ValueError, EOFError, TypeError, KeyError) as exc:
        log.info("字体度量缓存无法使用（%s）：%s", entry, exc)
        return None


def _face_from(data: dict[str, Any], font_path: Path) -> Any:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    cls = _cached_face_class()
    face = cls.__new__(cls)
    pdfmetrics.TypeFace.__init__(face, None)
    plain, names, arrays = data["plain"], data["names"], data["arrays"]
    face.__dict__.update({k: plain[k] for k in _PLAIN})
    face.__dict__.update({k: TTFNameBytes(names[k]) for k in _NAMES})
    a = {key: array(code, blob) for key, (code, blob) in arrays.items()}
    face.charToGlyph = dict(zip(a["char_codes"], a["char_glyphs"], strict=True))
    face.charWidths = dict(zip(a["width_codes"], a["widths"], strict=True))
    # read by index only, when glyphs are subset: left in their arrays (making 45,000
    # pairs was half the time of reading a Chinese face from the cache)
    face.hmetrics = _Pairs(a["advances"], a["bearings"])
    face.glyphPos = a["glyph_pos"]
    face.filename = str(font_path)
    face._pos = 0
    units = face.unitsPerEm
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, m=1000 / units: x * m)
    return face


class _Pairs:
    """``list(zip(first, second))`` for reading by index, without making the pairs."""

    def __init__(self, first: array[Any], second: array[Any]) -> None:
        if len(first) != len(second):
            raise ValueError("metrics of different lengths")
        self._first = first
        self._second = second

    def __len__(self) -> int:
        return len(self._first)

    def __getitem__(self, i: int) -> tuple[Any, Any]:
        return self._first[i], self._second[i]

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return zip(self._first, self._second, strict=True)


class _Window:
    """``data[start:start + length]`` for slicing by step-less slices, copying only the
    slices taken."""

    def __init__(self, data: Any, start: int, length: int) -> None:
        self._data = data
        self._start = start
        self._length = length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, where: slice) -> bytes:
        first, last, step = where.indices(self._length)
        if step != 1:
            raise ValueError("only plain slices of a font table")
        return bytes(self._data[self._start + first : self._start + max(first, last)])


class _LazyFile:
    """Mixed into the face: the font file is opened when a glyph subset is made — mapped
    into memory, not read: a subset takes a few hundred of a Chinese face's 40,000
    glyphs, and reading all 16 MB of it took as long as making the subset — and let go
    of by :meth:`release_file` once the subset is made (a mapped file cannot be replaced
    on Windows, and the pages are not kept)."""

    filename: str
    charToGlyph: dict[int, int]

    def __getattr__(self, attr: str) -> Any:
        if attr == "_ttf_data":
            data: Any
            try:
                with open(self.filename, "rb") as f:
                    data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # a file that cannot be mapped is read
                data = Path(self.filename).read_bytes()
            self.__dict__["_ttf_data"] = data
            return data
        if attr == "glyphToChar":  # only reportlab's text shaping asks, never our ledgers
            inverse: dict[int, list[int]] = {}
            for code, glyph in self.charToGlyph.items():
                inverse.setdefault(glyph, []).append(code)
            self.__dict__["glyphToChar"] = inverse
            return inverse
        raise AttributeError(attr)

    def get_table(self, tag: str) -> Any:
        """reportlab's table, except the glyph outlines: a window on the file that the
        subsetter slices glyph by glyph, instead of a copy of all 40,000 of them."""
        if tag == "glyf":
            start, length = self.get_table_pos(tag)
            return _Window(self._ttf_data, start, length)
        return super().get_table(tag)  # type: ignore[misc]

    def release_file(self) -> None:
        """Closes the font file (the next subset opens it again)."""
        data = self.__dict__.pop("_ttf_data", None)
        if isinstance(data, mmap.mmap):
            data.close()


@functools.cache
def _cached_face_class() -> Any:
    """reportlab's ``TTFontFace`` with the file read late (built when reportlab is loaded)."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    return type("CachedTTFontFace", (_LazyFile, TTFontFace), {})
