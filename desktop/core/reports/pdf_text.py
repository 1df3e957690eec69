"""Fast text output: characters straight to PDF text operators.

Each face of the font chain is embedded as one Type0 font with two-byte codes
(:mod:`.pdf_font`), a character's code being its own Unicode value: the glyph codes of a
line are its UTF-16 encoding in hex, made in C without looking at each character in
Python. The first time a character is measured, this module picks the face that has it
(and so gives it a glyph in that face's subset); it records the character's "run key",
naming the face's font resource. While every character measured so far comes from one
face (the usual case) a line needs no look-up at all; otherwise one ``str.translate``
gives the line's run keys, and only a line that mixes faces (a rare character taken from
a fallback face) is split into runs. A character beyond the BMP (a rare name character)
has a code of its own from its font, and a line holding one is translated by table.

A character that no face has is recorded in :attr:`TextEncoder.missing` and printed as
the primary face's "missing glyph".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .pdf_font import CidFont, own_code
from .truetype import TrueTypeFace

_RUN = re.compile(r"(.)\1*", re.S)
_KEY_BASE = 0x100
NEXT_LINE = ">'\n<"  # between the lines of a cell: end a string, next line, show the next


class TextEncoder:
    """Maps the characters of one font chain to glyph codes in one PDF document."""

    def __init__(
        self,
        fonts: list[TrueTypeFace],
        shared: dict[TrueTypeFace, CidFont] | None = None,
        fallbacks: Callable[[], list[TrueTypeFace]] | None = None,
    ) -> None:
        """``fonts``: the faces, primary first; ``shared`` lets two encoders (title and
        body) use one embedded font for a face they both use; ``fallbacks()`` gives more
        faces, asked for once, when a character is missing."""
        self._fonts = list(fonts)
        self._charmaps = [f.char_to_glyph for f in fonts]
        self._fallbacks = fallbacks
        self._cid: dict[TrueTypeFace, CidFont] = shared if shared is not None else {}
        self._hex: dict[int, str] = {}
        self._run: dict[int, str] = {}
        self._keys: dict[int, str] = {}
        self._names: dict[str, str] = {}
        self._only = ""  # the run key while the encoder has used one face only
        self._narrow = True  # no character measured so far is beyond the BMP
        self.missing: set[str] = set()
        self._widths: dict[int, float] = {}

    def cid_fonts(self) -> list[CidFont]:
        """The embedded fonts this encoder has used."""
        return [self._cid[f] for f in self._fonts if f in self._cid]

    def _cid_font(self, which: int) -> tuple[CidFont, str]:
        font = self._fonts[which]
        cid = self._cid.get(font)
        if cid is None:
            # named in order of first use within the document, so the same ledger always
            # gets the same names (and the same bytes)
            cid = self._cid[font] = CidFont(font, f"PLF{len(self._cid) + 1}")
        key = self._keys.get(which)
        if key is None:
            key = self._keys[which] = chr(_KEY_BASE + which)
            self._names[key] = "/" + cid.resource_name
        return cid, key

    def measure(self, ch: str) -> float:
        """Width of ``ch`` in thousandths of an em; gives it a glyph for output."""
        code = ord(ch)
        if self._fallbacks is not None and code > 32 and not any(code in m for m in self._charmaps):
            for face in self._fallbacks():
                if face not in self._fonts:
                    self._fonts.append(face)
                    self._charmaps.append(face.char_to_glyph)
            self._fallbacks = None
        for which, cmap in enumerate(self._charmaps):
            if code in cmap:
                font, key = self._cid_font(which)
                cid = font.cid(code)
                width = round(self._fonts[which].char_width(code))
                break
        else:
            if code > 32:
                self.missing.add(ch)
            font, key = self._cid_font(0)
            cid, width = font.missing_cid(code), round(self._fonts[0].default_width)
        if cid != code:
            self._narrow = False
        self._hex[code] = f"{cid:04x}"
        self._run[code] = key
        self._widths[code] = float(width)
        return float(width)

    def hexed(self, line: str) -> str:
        """The glyph codes of ``line`` in hex: its UTF-16 encoding, or by table when a
        character of it is shown by a code of its own."""
        if self._narrow:
            return line.encode("utf-16-be").hex()
        if all(map(own_code, map(ord, line))):
            return line.encode("utf-16-be", "surrogatepass").hex()
        return line.translate(self._hex)

    def plain(self) -> str | None:
        """The font resource of the one face every character measured so far comes
        from, each shown by its own Unicode value (so a line's glyph codes are
        ``line.encode("utf-16-be").hex()``): for painters that build the operators
        themselves. None when a line may need more."""
        if len(self._names) != 1 or not self._narrow:
            return None
        return self._names[self._only or self._first_name()]

    def _face_of(self, text: str) -> str | None:
        """The run key of the face showing all of ``text``; None if it takes several."""
        if len(self._names) == 1:
            return self._only or self._first_name()
        keys = text.translate(self._run)
        first = keys[:1]
        if keys.count(first) != len(keys):
            return None
        return first or self._only or self._first_name()

    def show(self, line: str, size: float, state: list[Any]) -> str:
        """PDF operators that show ``line`` at the current text position.

        ``state`` is ``[resource_name, size, …]`` of the font currently selected in the
        page's content stream; it is updated so repeated ``Tf`` operators are left out.
        """
        first = self._face_of(line)
        if first is None:
            return self._show_runs(line, size, state)
        return f"{select_font(self._names[first], size, state)}<{self.hexed(line)}>Tj"

    def show_lines(self, lines: list[str], size: float, state: list[Any]) -> str:
        """PDF operators that show ``lines`` one under the other, each after moving to
        the next line (the ``'`` operator: the leading is the text state's ``TL``), so
        the first line goes one leading below the current line start.

        A cell of one face is one string of operators; a cell whose characters come
        from more than one face is shown line by line.
        """
        first = self._face_of("".join(lines))
        if first is None:
            return " ".join(f"T*{self.show(ln, size, state)}" if ln else "T*" for ln in lines)
        hexed = NEXT_LINE.join(map(self.hexed, lines))
        return f"{select_font(self._names[first], size, state)}<{hexed}>'"

    def show_space(self, advance: float, size: float, state: list[Any]) -> str:
        """PDF operators that show one space character (U+0020) advancing ``advance``
        thousandths of an em, whatever the width of the face's own space glyph.

        Readers copy a real space, and the gap is wide enough for readers that find
        words by their distance (poppler takes a gap under about 0.4 em between Chinese
        characters for no space at all).
        """
        space = self._widths.get(32)
        if space is None:  # measured once: each measure hands the glyph to the subset
            space = self.measure(" ")
        extra = advance - space
        select = select_font(self._names[self._run[32]], size, state)
        if not extra:
            return f"{select}<{self._hex[32]}>Tj"
        return f"{select}[<{self._hex[32]}> {-extra:g}]TJ"

    def _first_name(self) -> str:
        self._only = next(iter(self._names))
        return self._only

    def _show_runs(self, line: str, size: float, state: list[Any]) -> str:
        keys = line.translate(self._run)
        out = []
        for m in _RUN.finditer(keys):
            a, b = m.span()
            selected = select_font(self._names[m.group(1)], size, state)
            out.append(f"{selected}<{self.hexed(line[a:b])}>Tj")
        return "".join(out)


def select_font(name: str, size: float, state: list[Any]) -> str:
    """The ``Tf`` operator selecting font ``name`` at ``size``, or "" when ``state`` (the
    content stream's current font and size) already has them; ``state`` is updated."""
    if state[0] == name and state[1] == size:
        return ""
    state[0] = name
    state[1] = size
    return f"{name} {size:g} Tf"
