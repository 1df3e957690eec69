"""Names of localities compared as people read them, not as the bytes happen to be typed.

Two offices type 吴兴区 with different input methods, one pastes it from a web page with a
zero-width space inside, another writes the full-width ``Ｂ`` of a development zone's name:
compared byte by byte these would be different localities, and a city would hold the same
county twice. :func:`normalise_name` brings a name into Unicode NFKC form (full-width
letters and digits, compatibility ideographs and spaces become their ordinary form) and
refuses every invisible character — format characters (zero-width space and joiners, the
byte-order mark, bidirectional marks), control characters and the fillers that print as
nothing — naming its position, because a look-alike name must never create a second
locality quietly.

The same function serves the office's own name, the lower localities it expects, and the
names inside a package from below.
"""

from __future__ import annotations

import unicodedata

__all__ = ["InvisibleCharacterError", "normalise_name", "same_name"]

# letters that are not format characters but print as nothing (Hangul fillers, braille blank)
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


class InvisibleCharacterError(ValueError):
    """A name holds a character that cannot be seen; ``message`` is the Chinese sentence."""

    def __init__(self, name: str, position: int, char: str) -> None:
        self.position = position  # 1-based, counted in the name as typed
        self.char = char
        self.what = (
            f"名称“{_visible(name)}”的第 {position} 个字符是看不见的字符（U+{ord(char):04X}）"
        )
        self.message = f"{self.what}，请删除后重新输入。"
        super().__init__(self.message)


def normalise_name(name: str) -> str:
    """``name`` in NFKC form with surrounding blanks removed; an invisible character
    anywhere in it raises :class:`InvisibleCharacterError` naming its position."""
    for i, char in enumerate(name, start=1):
        if _invisible(char):
            raise InvisibleCharacterError(name, i, char)
    return unicodedata.normalize("NFKC", name).strip()


def same_name(a: str, b: str) -> bool:
    """Whether two names are the same locality's name once normalised (an invisible
    character makes them different: such a name is refused wherever it is entered)."""
    try:
        return normalise_name(a) == normalise_name(b)
    except InvisibleCharacterError:
        return False


def _invisible(char: str) -> bool:
    if char in _BLANK_LETTERS:
        return True
    category = unicodedata.category(char)
    # Cf: format (U+200B…U+200F, U+2060, U+FEFF …); Cc: control; Cs: lone surrogates;
    # Co/Cn: private-use and unassigned code points, which no font shows as the same letter
    return category in ("Cf", "Cc", "Cs", "Co", "Cn")


def _visible(name: str) -> str:
    """The name with its invisible characters shown as ``␣`` (for the message)."""
    return "".join("␣" if _invisible(c) else c for c in name)
