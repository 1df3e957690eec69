"""Line breaking for Chinese text over cached glyph widths.

A ledger of thousands of rows wraps hundreds of thousands of lines, so this is built
for speed: widths come from a dict (one font lookup per distinct character, ever), a
paragraph's running widths from ``itertools.accumulate`` and each break point from
``bisect``; only the few characters around a break are looked at in Python.

Rules: a line may break between any two Chinese characters; Latin words and numbers
(``2027``, ``GDP``, ``3.5%``) stay together unless longer than a line; no line starts
with closing punctuation (，。、；：？！）」』》 …) and none ends with an opening one
(（「『《 …) — basic 避头尾, done by moving a character down to the next line rather than
letting punctuation hang past the cell edge. Hard line breaks in the text are kept.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate

NO_LINE_START = frozenset("，。、；：？！）」』》】〕〉〗｝”’…‥·・%‰,.;:?!)]}")
NO_LINE_END = frozenset("（「『《【〔〈〖｛“‘([{")
WORD_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.%‰_-/:'&@#+０１２３４５６７８９"
)
ELLIPSIS = "…"
# a break before or after one of these may move (see _adjust)
_MAY_MOVE_NEXT = NO_LINE_START | WORD_CHARS
_MAY_MOVE_PREV = NO_LINE_END | WORD_CHARS

# Control characters and invisible marks that would print as boxes.
_JUNK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\u2060\ufeff]")
_EPS = 1e-6


def clean_text(text: str) -> str:
    """Normalises line ends and tabs, removes invisible junk, trims the ends."""
    if not text:
        return ""
    if text.isprintable():  # no line end, tab, no-break space or invisible mark in it
        return text.strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = text.replace("\u00a0", " ")
    return _JUNK.sub("", text).strip()


class CjkWrapper:
    """Wraps text for one font chain; widths in thousandths of an em.

    ``measure(ch)`` returns the width of a character not seen before (and may register
    it with the PDF encoder); results are cached in :attr:`widths`.
    """

    def __init__(self, measure: Callable[[str], float]) -> None:
        self.widths: dict[str, float] = {}
        self._measure = measure
        self._cache: dict[tuple[str, float], list[str]] = {}

    def learn(self, text: str) -> None:
        """Makes sure every character of ``text`` has a cached width.

        In order of first appearance, never in a set's order: measuring gives a character
        its glyph number in the PDF, and a set's order changes from one run to the next
        (string hashing is randomised), which would change the file's bytes."""
        widths = self.widths
        for ch in dict.fromkeys(text):
            if ch not in widths:
                widths[ch] = self._measure(ch)

    def learn_in_order(self, chars: Iterable[str]) -> None:
        """Measures ``chars`` in the order given (the PDF encoder numbers them so)."""
        widths = self.widths
        for ch in chars:
            if ch not in widths:
                widths[ch] = self._measure(ch)

    def width(self, text: str, size: float) -> float:
        """The width of one line of text in points."""
        try:
            return sum(map(self.widths.__getitem__, text)) * size / 1000.0
        except KeyError:
            self.learn(text)
            return sum(map(self.widths.__getitem__, text)) * size / 1000.0

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        """The lines of ``text`` (already cleaned) in a column ``width`` points wide."""
        if not text:
            return []
        avail = width * 1000.0 / size
        key = (text, avail)
        # Units, dates and statuses repeat from row to row, and so do whole tasks (a
        # county's list repeats the province's wording): wrapped once per width. The
        # lines are shared, never changed by their users.
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        lines: list[str] = []
        if "\n" in text:
            for para in text.split("\n"):
                if para.strip():
                    self._wrap_para(para.rstrip(" "), avail, lines)
                elif lines and lines[-1]:
                    lines.append("")
        else:
            self._wrap_para(text, avail, lines)
        self._cache[key] = lines
        return lines

    def truncate(self, line: str, width: float, size: float) -> str:
        """``line`` cut to fit ``width`` with an ellipsis at the end."""
        avail = width * 1000.0 / size
        self.learn(line + ELLIPSIS)
        widths = self.widths
        room = avail - widths[ELLIPSIS]
        used = 0.0
        for i, ch in enumerate(line):
            used += widths[ch]
            if used > room + _EPS:
                return line[:i] + ELLIPSIS
        return line + ELLIPSIS

    def _wrap_para(self, para: str, avail: float, out: list[str]) -> None:
        widths = self.widths
        try:
            cum = list(accumulate(map(widths.__getitem__, para)))
        except KeyError:
            self.learn(para)
            cum = list(accumulate(map(widths.__getitem__, para)))
        n = len(para)
        if cum[-1] <= avail + _EPS:
            out.append(para)
            return
        start = 0
        base = 0.0
        while True:
            end = bisect_right(cum, base + avail + _EPS, start)
            if end >= n:
                out.append(para[start:])
                return
            if end <= start:
                end = start + 1
            elif para[end] in _MAY_MOVE_NEXT or para[end - 1] in _MAY_MOVE_PREV:
                end = _adjust(para, start, end)  # between two Chinese characters: stays
            line = para[start:end]
            out.append(line.rstrip(" ") if line[-1] == " " else line)
            while end < n and para[end] == " ":
                end += 1
            if end >= n:
                return
            start = end
            base = cum[start - 1]


def _adjust(para: str, start: int, end: int) -> int:
    """Moves a break point ``end`` back so that words stay whole and 避头尾 holds."""
    first = end
    for _ in range(8):
        nxt = para[end]
        prev = para[end - 1]
        if nxt in WORD_CHARS and prev in WORD_CHARS:
            k = end - 1
            while k > start and para[k - 1] in WORD_CHARS:
                k -= 1
            if k > start:
                end = k
                continue
            return end  # a word longer than the line: break inside it
        if nxt in NO_LINE_START or prev in NO_LINE_END:
            if end - 1 > start:
                end -= 1
                continue
            return first
        return end
    return first
