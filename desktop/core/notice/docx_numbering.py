"""Automatic list numbers of a .docx, rendered as Word displays them.

Word files often number their headings and measures with automatic numbering: the
paragraph carries ``w:numPr`` (a ``w:numId`` and a ``w:ilvl``), directly or through its
paragraph style, and the number itself (一、 / （一） / 1. / （1）) lives in
``numbering.xml``, not in the text that python-docx returns. ``DocxNumbering`` reads the
numbering and styles parts once, then follows the document in order, keeping counters per
abstract list, and gives each numbered paragraph its text with the number in front.

Supported: ``w:num`` → ``w:abstractNum`` (also through ``w:numStyleLink``), ``w:lvlOverride``
with ``w:startOverride`` or a replacement ``w:lvl``, per level ``w:start``, ``w:numFmt``,
``w:lvlText``, ``w:isLgl``, ``w:lvlRestart``, ``w:suff``, and ``w:pStyle`` links between
levels and styles; numbering inherited from the paragraph style along ``w:basedOn``.
Anything odd in the definitions is skipped (a paragraph whose list cannot be resolved gets
no number); ``read_docx`` in ``files`` reads the plain text if rendering fails outright.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

_W_VAL = qn("w:val")
_MAX_HOPS = 16  # basedOn chains and numStyleLink hops; guards against cycles
_LEVEL_REF = re.compile(r"%([1-9])")

_CN_DIGITS = "〇一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def _cjk_counting(n: int, digits: str, units: str, *, zero: str, one_before_ten: bool) -> str:
    """1→一, 10→十, 11→十一, 20→二十, 105→一百零五; ``units`` is 十百千 or 拾佰仟."""
    if n <= 0 or n >= 10000:
        return str(n)
    ten, hundred, thousand = units[0], units[1], units[2]
    if n < 20 and not one_before_ten:
        return ten + (digits[n - 10] if n > 10 else "") if n >= 10 else digits[n]
    parts: list[str] = []
    pending_zero = False
    for value, unit in ((1000, thousand), (100, hundred), (10, ten), (1, "")):
        digit = n // value % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append(zero)
            pending_zero = False
        parts.append(digits[digit] + unit)
    return "".join(parts)


def _japanese_counting(n: int) -> str:
    """1→一, 10→十, 21→二十一, 100→百, 101→百一: no zeros, no 一 before 十百千."""
    if n <= 0 or n >= 10000:
        return str(n)
    parts: list[str] = []
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            parts.append(("" if digit == 1 and unit else _CN_DIGITS[digit]) + unit)
    return "".join(parts)


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _letters(n: int) -> str:
    """1→A, 26→Z, 27→AA, 28→BB, as Word counts letters."""
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _enclosed_circle(n: int) -> str:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return str(n)


def format_number(n: int, fmt: str) -> str:
    """The value ``n`` of a list level in the ``w:numFmt`` ``fmt``; unknown formats as 1, 2, 3."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting"):
        return _cjk_counting(n, _CN_DIGITS, "十百千", zero="零", one_before_ten=False)
    if fmt == "chineseLegalSimplified":
        return _cjk_counting(n, _LEGAL_DIGITS, "拾佰仟", zero="零", one_before_ten=True)
    if fmt in ("japaneseCounting", "japaneseDigitalTenThousand"):
        return _japanese_counting(n)
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _EARTHLY_BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _enclosed_circle(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt == "decimalZero":
        return f"{n:02d}" if 0 <= n < 10 else str(n)
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "none":
        return ""
    return str(n)


# ---------------------------------------------------------------- reading the XML


def _child(element: Any, tag: str) -> Any:
    return None if element is None else element.find(qn(tag))


def _attr(element: Any, name: str = "w:val") -> str | None:
    if element is None:
        return None
    value = element.get(qn(name))
    return None if value is None else str(value).strip()


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _on(element: Any) -> bool:
    """A w:ST_OnOff toggle: present and not switched off."""
    if element is None:
        return False
    return _attr(element) not in ("0", "false", "off")


@dataclass(frozen=True)
class Level:
    """One level of a list: how its number starts, looks and restarts."""

    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    legal: bool = False
    restart: int | None = None
    suffix: str = "tab"
    style: str | None = None


def _level(lvl: Any) -> Level:
    start = _int(_attr(_child(lvl, "w:start")))
    return Level(
        start=1 if start is None else start,
        fmt=_attr(_child(lvl, "w:numFmt")) or "decimal",
        text=_attr(_child(lvl, "w:lvlText")),
        legal=_on(_child(lvl, "w:isLgl")),
        restart=_int(_attr(_child(lvl, "w:lvlRestart"))),
        suffix=_attr(_child(lvl, "w:suff")) or "tab",
        style=_attr(_child(lvl, "w:pStyle")),
    )


def _levels(parent: Any) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for lvl in parent.iterfind(qn("w:lvl")):
        ilvl = _int(_attr(lvl, "w:ilvl"))
        if ilvl is not None and 0 <= ilvl <= 8 and ilvl not in levels:
            levels[ilvl] = _level(lvl)
    return levels


@dataclass(frozen=True)
class _Num:
    abstract: int
    start_overrides: dict[int, int]
    level_overrides: dict[int, Level]


@dataclass(frozen=True)
class _Style:
    num_id: int | None
    ilvl: int | None
    based_on: str | None


@dataclass(frozen=True)
class _List:
    """A resolved w:num: the abstract list it counts in and its effective levels."""

    key: int
    levels: dict[int, Level]
    start_overrides: dict[int, int]


def _related_element(document: Document, reltype: str) -> Any:
    for rel in document.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return getattr(rel.target_part, "element", None)
    return None


class DocxNumbering:
    """The numbering of one document, rendered paragraph by paragraph in document order."""

    def __init__(self, numbering: Any, styles: Any) -> None:
        self._abstracts: dict[int, dict[int, Level]] = {}
        self._style_links: dict[int, str] = {}
        self._nums: dict[int, _Num] = {}
        self._styles: dict[str, _Style] = {}
        self._default_style: str | None = None
        self._counters: dict[int, dict[int, int]] = {}
        self._seen_nums: set[int] = set()
        self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    @classmethod
    def of(cls, document: Document) -> DocxNumbering | None:
        """The numbering of ``document``; ``None`` when it has none or it cannot be read."""
        try:
            numbering = _related_element(document, RT.NUMBERING)
            if numbering is None:
                return None
            return cls(numbering, _related_element(document, RT.STYLES))
        except Exception:  # a damaged part must not stop the import: read plain text
            return None

    def _read_numbering(self, root: Any) -> None:
        for abstract in root.iterfind(qn("w:abstractNum")):
            key = _int(_attr(abstract, "w:abstractNumId"))
            if key is None or key in self._abstracts:
                continue
            self._abstracts[key] = _levels(abstract)
            link = _attr(_child(abstract, "w:numStyleLink"))
            if link:
                self._style_links[key] = link
        for num in root.iterfind(qn("w:num")):
            num_id = _int(_attr(num, "w:numId"))
            abstract_id = _int(_attr(_child(num, "w:abstractNumId")))
            if num_id is None or abstract_id is None or num_id in self._nums:
                continue
            starts: dict[int, int] = {}
            replaced: dict[int, Level] = {}
            for override in num.iterfind(qn("w:lvlOverride")):
                ilvl = _int(_attr(override, "w:ilvl"))
                if ilvl is None or not 0 <= ilvl <= 8:
                    continue
                start = _int(_attr(_child(override, "w:startOverride")))
                if start is not None:
                    starts[ilvl] = start
                lvl = _child(override, "w:lvl")
                if lvl is not None:
                    replaced[ilvl] = _level(lvl)
            self._nums[num_id] = _Num(abstract_id, starts, replaced)

    def _read_styles(self, root: Any) -> None:
        for style in root.iterfind(qn("w:style")):
            if _attr(style, "w:type") not in (None, "paragraph"):
                continue
            style_id = _attr(style, "w:styleId")
            if not style_id or style_id in self._styles:
                continue
            num_pr = _child(_child(style, "w:pPr"), "w:numPr")
            self._styles[style_id] = _Style(
                num_id=_int(_attr(_child(num_pr, "w:numId"))),
                ilvl=_int(_attr(_child(num_pr, "w:ilvl"))),
                based_on=_attr(_child(style, "w:basedOn")),
            )
            if self._default_style is None and _on_attr(style, "w:default"):
                self._default_style = style_id

    # ------------------------------------------------------------ resolving a paragraph

    def _style_chain(self, style_id: str | None) -> Iterable[tuple[str, _Style]]:
        seen: set[str] = set()
        while style_id and style_id not in seen and len(seen) < _MAX_HOPS:
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                return
            yield style_id, style
            style_id = style.based_on

    def _list(self, num_id: int) -> _List | None:
        num = self._nums.get(num_id)
        hops = 0
        while num is not None and num.abstract in self._style_links and hops < _MAX_HOPS:
            # w:numStyleLink: the real definition hangs off the numbering style's w:num
            hops += 1
            linked = None
            for _, style in self._style_chain(self._style_links[num.abstract]):
                if style.num_id is not None:
                    linked = style.num_id
                    break
            target = self._nums.get(linked) if linked is not None else None
            if target is None:
                return None
            num = _Num(
                target.abstract,
                {**target.start_overrides, **num.start_overrides},
                {**target.level_overrides, **num.level_overrides},
            )
        if num is None or num.abstract not in self._abstracts:
            return None
        levels = {**self._abstracts[num.abstract], **num.level_overrides}
        for ilvl, start in num.start_overrides.items():
            if ilvl in levels:
                levels[ilvl] = replace(levels[ilvl], start=start)
        return _List(num.abstract, levels, num.start_overrides)

    def _num_pr(self, paragraph: Paragraph) -> tuple[int | None, int | None, str | None]:
        """numId, ilvl and the style the paragraph's numbering came from."""
        p_pr = _child(paragraph._p, "w:pPr")
        num_pr = _child(p_pr, "w:numPr")
        num_id = _int(_attr(_child(num_pr, "w:numId")))
        ilvl = _int(_attr(_child(num_pr, "w:ilvl")))
        style_id = _attr(_child(p_pr, "w:pStyle")) or self._default_style
        source = style_id
        for chained_id, style in self._style_chain(style_id):
            if num_id is None and style.num_id is not None:
                num_id, source = style.num_id, chained_id
            if ilvl is None and style.ilvl is not None:
                ilvl = style.ilvl
            if num_id is not None and ilvl is not None:
                break
        return num_id, ilvl, source

    def label(self, paragraph: Paragraph) -> str | None:
        """The number Word shows before ``paragraph``; advances the list's counters.

        ``None`` for a paragraph without numbering, with bullets or with a list that the
        numbering part does not define.
        """
        num_id, ilvl, style_id = self._num_pr(paragraph)
        if not num_id:  # numId 0 switches numbering off
            return None
        resolved = self._list(num_id)
        if resolved is None:
            return None
        if ilvl is None:
            linked = [i for i, lv in sorted(resolved.levels.items()) if lv.style == style_id]
            ilvl = linked[0] if style_id and linked else 0
        level = resolved.levels.get(ilvl)
        if level is None or level.fmt == "bullet":
            return None
        counters = self._counters.setdefault(resolved.key, {})
        if num_id not in self._seen_nums:
            self._seen_nums.add(num_id)
            for overridden in resolved.start_overrides:
                counters.pop(overridden, None)
        current = counters.get(ilvl)
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in [lv for lv in counters if lv > ilvl]:
            deeper_level = resolved.levels.get(deeper)
            restart = deeper_level.restart if deeper_level is not None else None
            if restart is None or restart > deeper:
                restart = deeper
            if restart and ilvl < restart:
                del counters[deeper]
        if not level.text:
            return None

        def number(match: re.Match[str]) -> str:
            ref = int(match.group(1)) - 1
            ref_level = resolved.levels.get(ref, Level())
            value = counters.get(ref, ref_level.start)
            if ref_level.fmt == "bullet":
                return ""
            return format_number(value, "decimal" if level.legal else ref_level.fmt)

        shown = _LEVEL_REF.sub(number, level.text).strip()
        if not shown:
            return None
        return shown + ("" if level.suffix == "nothing" else " ")

    def text(self, paragraph: Paragraph) -> str:
        """The paragraph's text with its automatic number in front, as Word displays it.

        An empty numbered paragraph still counts (Word shows its number) but stays empty,
        so that a stray list paragraph does not become an item of its own.
        """
        label = self.label(paragraph)
        text = paragraph.text
        if label is None or not text.strip():
            return text
        return label + text


def _on_attr(element: Any, name: str) -> bool:
    return _attr(element, name) in ("1", "true", "on")
