"""Item numbers of a notice: 一、 （一） 1. 1、 （1） 1） ① 第一部分 第一条, and numbers glued to
their text in a flattened table (1推进…).

``match_item_at`` reads a number where a paragraph (or a place inside it) starts; ``GLUED``
finds every place inside a paragraph where a number may start, for the outline builder
to accept or refuse by the numbering it has seen so far.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from desktop.core.notice.text import chinese_number

_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ITEM_RES: list[tuple[int, re.Pattern[str]]] = [
    (2, re.compile(rf"（([{_CN}]{{1,3}})）[、，．.]?")),
    (1, re.compile(rf"([{_CN}]{{1,3}})[、．.]")),
    (4, re.compile(r"（(\d{1,3})）[、，．.]?")),
    (3, re.compile(r"(\d{1,3})(?:[、]|[.](?!\d))")),
    (4, re.compile(r"(\d{1,3})）[、，．.]?")),  # 1） as a list number
    (5, re.compile(rf"([{_CIRCLED}])[、，．.]?")),
    (0, re.compile(rf"第([{_CN}]{{1,3}})(?:部分|篇|章)[、，．.：]?")),
    (3, re.compile(rf"第([{_CN}]{{1,3}})条[、，．.：]?")),
]
# numbers printed as themselves in the outline code: 1）, 第一部分, 第二条
_VERBATIM = re.compile(r"^\d{1,3}）|^第")
# a number glued to its text with no punctuation (a table flattened to text: 1推进…)
_BARE_NUMBER = re.compile(
    r"(\d{1,3})(?=[\u4e00-\u9fff])(?![个家项年月日万亿元条座处所名次批号期届版级类倍台套户人千百多余])"
)
# every place an item number may start inside a paragraph
GLUED = re.compile(
    rf"（[{_CN}]{{1,3}}）|(?<![{_CN}第])[{_CN}]{{1,3}}、"
    rf"|(?<![\d.．第])\d{{1,3}}(?:[.、](?!\d))|（\d{{1,3}}）|[{_CIRCLED}]"
    rf"|(?<![\d.．第（])\d{{1,3}}）|第[{_CN}]{{1,3}}(?:条|部分|章|篇)"
)


def match_item(text: str) -> tuple[int, str, int, str] | None:
    """``(level, number, value, rest)`` when ``text`` starts a numbered item."""
    item = match_item_at(text, 0)
    if item is None:
        return None
    return item[0], item[1], item[2], text[item[3] :].strip()


def match_item_at(text: str, pos: int) -> tuple[int, str, int, int] | None:
    """``(level, number, value, end)`` when an item number starts at ``text[pos]``."""
    for level, pattern in _ITEM_RES:
        m = pattern.match(text, pos)
        if m:
            if level == 5:
                value: int | None = _CIRCLED.index(m.group(1)) + 1
            else:
                value = chinese_number(m.group(1))
            if value is None or value == 0:
                return None
            if _VERBATIM.match(m.group(0)):
                number = m.group(0).rstrip("、，．.：")
            else:
                number = f"（{m.group(1)}）" if level in (2, 4) else m.group(1)
            return level, number, value, m.end()
    return None


def match_bare_number(text: str, pos: int = 0) -> tuple[int, str, int, int] | None:
    """``1推进…``: an item number glued to its text without punctuation (level 3)."""
    m = _BARE_NUMBER.match(text, pos)
    if not m or int(m.group(1)) == 0:
        return None
    return 3, m.group(1), int(m.group(1)), m.end()


def is_heading_rest(rest: str) -> bool:
    """Text after an item number that is only a heading, not a sentence."""
    return len(rest) <= 40 and not any(c in rest for c in "。；，")


def heading_before_child(
    text: str, end: int, level: int, follows: Callable[[int, int], bool] | None = None
) -> bool:
    """``一、发展民生事业，解决急难愁盼（一）推进…``: a short heading, a comma in it, run
    straight into the first item below it (text copied without its line breaks). The item
    below is numbered 1, or as ``follows(level, value)`` allows (numbering that runs on
    through the sections: 二、…（七）)."""
    window = text[end : end + 40]
    for m in GLUED.finditer(window, 1):
        item = match_item_at(window, m.start())
        if item is None:
            continue
        piece = window[: m.start()]
        fits = item[2] == 1 or (follows is not None and follows(item[0], item[2]))
        return item[0] > level and fits and not any(c in piece for c in "。；：")
    return False


def is_heading_text(text: str) -> bool:
    """A numbered heading with no sentence of its own (一、分领域提升…)."""
    item = match_item(text)
    return item is not None and is_heading_rest(item[3])
