"""Names that cannot be forged, and outside text that cannot forge a line.

Locality and unit names identify offices and units across the county → city → province
chain, so two spellings that look alike must be one name. :func:`normalise_name` is applied
on entry and on import: characters nobody can see (zero-width space, byte-order mark, word
joiner, soft hyphen, variation selectors, direction controls, line and paragraph
separators, control characters) are refused with their position named, since a sound name
never has them and silently dropping them would hide a forgery; the rest is NFKC-normalised
(a compatibility ideograph becomes its unified ideograph, full-width letters and digits
become ordinary ones, a no-break or ideographic space becomes a space), spaces are dropped
(Chinese administrative and unit names have none, so ``示例 县`` is ``示例县``), and the
brackets and separators NFKC turns half-width are written full-width again, as official
names print them (``县发改局(物价局)`` and ``县发改局（物价局）`` are one name, kept in the
second form).

:func:`one_line` is for text from outside (a file's name, a name in a package) shown where one
line is expected — the audit browser's summary, a message: line breaks and invisible
characters are shown as ``⟨U+XXXX⟩`` rather than obeyed, and a long value is cut with an
ellipsis, so no file name can add a line or turn text around.
"""

from __future__ import annotations

import unicodedata

from desktop.errors import ValidationError

# NFKC turns these full-width forms into ASCII; official names keep the full-width ones
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"})

_KNOWN = {
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u2060": "连接符（word joiner）",
    "\ufeff": "字节顺序标记（BOM）",
    "\u00ad": "软连字符",
    "\u202e": "从右到左改写符",
    "\u202d": "从左到右改写符",
    "\u2028": "行分隔符",
    "\u2029": "段分隔符",
}


# letters that are not format characters but print as nothing (Hangul fillers, braille blank)
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def invisible(ch: str) -> bool:
    """Whether ``ch`` is a character that shows nothing or changes how text around it shows:
    control and format characters, line and paragraph separators, variation selectors,
    private-use, unassigned and surrogate code points, letters that print as nothing."""
    if ch in _BLANK_LETTERS:
        return True
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"):
        return True
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or 0x180B <= code <= 0x180F


def describe(ch: str) -> str:
    """``U+200B（零宽空格）``: a character nobody can see, named."""
    name = _KNOWN.get(ch)
    if name is None and (0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF):
        name = "异体字选择符"
    if name is None and ch in _BLANK_LETTERS:
        name = "空白填充字符"
    if name is None:
        name = "控制字符" if unicodedata.category(ch) == "Cc" else "不可见的格式字符"
    return f"U+{ord(ch):04X}（{name}）"


def name_problem(text: str, label: str = "名称", *, controls: bool = True) -> str | None:
    """Why ``text`` cannot be a name (Chinese, naming the position), or None. ``controls``
    False leaves control characters and lone surrogates to the field schema, whose words
    (“…”只能写一行, 含有不可见的控制字符) the program uses for them everywhere."""
    for position, ch in enumerate(text, start=1):
        if not controls and unicodedata.category(ch) in ("Cc", "Cs"):
            continue
        if invisible(ch):
            return (
                f"{label}“{one_line(text, 40)}”的第 {position} 个字符是看不见的 {describe(ch)}，"
                "请删除后重新输入"
            )
    return None


def normalise_name(text: str, label: str = "名称") -> str:
    """The one spelling of a locality or unit name; ``ValidationError`` for a name with a
    character nobody can see (its position named)."""
    problem = name_problem(text, label)
    if problem is not None:
        raise ValidationError(f"{problem}。")
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(folded.split())  # NFKC has made every kind of space an ordinary one
    return folded.translate(_FULL_WIDTH)


def same_name(a: str, b: str) -> bool:
    """Whether two names are one (after normalising); a name that cannot be normalised is
    never the same as another."""
    try:
        return normalise_name(a) == normalise_name(b)
    except ValidationError:
        return False


def one_line(text: str, limit: int = 300) -> str:
    """``text`` safe for one line: breaks and invisible characters shown as ``⟨U+XXXX⟩``,
    cut to ``limit`` characters with an ellipsis."""
    if text.isprintable() and len(text) <= limit:
        return text  # nearly every text: nothing to do
    shown = "".join(
        f"⟨U+{ord(ch):04X}⟩" if invisible(ch) or ch in "\n\r\t\v\f" else ch for ch in text
    )
    if len(shown) > limit:
        shown = shown[: max(limit - 1, 0)] + "…"
    return shown
