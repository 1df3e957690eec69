"""Fast text output for reportlab: characters straight to PDF text operators.

reportlab's ``drawString`` splits every string into TrueType subsets one character at a
time in Python. A ledger prints about a million characters, so this module does that
work once per *distinct* character: it asks the font (``TTFont.splitString``, the public
route) for the character's subset and code, and builds two ``str.translate`` tables —
character → two hex digits, and character → a "run key" naming the PDF font object of its
subset. A line then becomes hex text with two ``translate`` calls, split into runs of one
subset by a regular expression; both run in C.

A character the primary face lacks is taken from the next face of the chain (title or
body face, then fallbacks), so a rare character prints from another font instead of as
an empty box. One that no face has is recorded in :attr:`TextEncoder.missing`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

_RUN = re.compile(r"(.)\1*", re.S)
_KEY_BASE = 0x100


class TextEncoder:
    """Maps characters of one font chain to subset codes in one PDF document."""

    def __init__(self, doc: Any, fonts: list[TTFont]) -> None:
        self._doc = doc
        self._fonts = fonts
        self._charmaps = [f.face.charToGlyph for f in fonts]
        self._hex: dict[int, str] = {}
        self._run: dict[int, str] = {}
        self._keys: dict[tuple[int, int], str] = {}
        self._names: dict[str, str] = {}
        self.missing: set[str] = set()
        self.ascent = float(fonts[0].face.ascent) / 1000.0

    def measure(self, ch: str) -> float:
        """Width of ``ch`` in thousandths of an em; registers it for output."""
        code = ord(ch)
        which = 0
        for i, cmap in enumerate(self._charmaps):
            if code in cmap:
                which = i
                break
        else:
            if code > 32:
                self.missing.add(ch)
        font = self._fonts[which]
        ((subset, raw),) = font.splitString(ch, self._doc)
        key = self._keys.get((which, subset))
        if key is None:
            key = chr(_KEY_BASE + len(self._keys))
            self._keys[(which, subset)] = key
            self._names[key] = font.getSubsetInternalName(subset, self._doc)
        self._hex[code] = f"{raw[0]:02X}"
        self._run[code] = key
        return float(font.face.getCharWidth(code))

    def show(self, line: str, size: float, state: list[Any]) -> str:
        """PDF operators that show ``line`` at the current text position.

        ``state`` is ``[run_key, size]`` of the font currently selected in the page's
        content stream; it is updated so repeated ``Tf`` operators are left out.
        """
        hexed = line.translate(self._hex)
        keys = line.translate(self._run)
        first = keys[0]
        if keys.count(first) == len(keys):
            if state[0] == first and state[1] == size:
                return f"<{hexed}>Tj"
            state[0] = first
            state[1] = size
            return f"{self._names[first]} {size:g} Tf<{hexed}>Tj"
        out = []
        for m in _RUN.finditer(keys):
            key = m.group(1)
            a, b = m.span()
            if state[0] != key or state[1] != size:
                out.append(f"{self._names[key]} {size:g} Tf")
                state[0] = key
                state[1] = size
            out.append(f"<{hexed[2 * a : 2 * b]}>Tj")
        return "".join(out)
