"""Finding where each measure stands in the notice's text, to highlight it beside the tree.

The parser joins page-break fragments and takes the responsible-units note out of the
text, so a measure's text is not a plain substring of the source. Both are compared with
all whitespace removed, and measures are looked for in document order, each after the end
of the one before, so that 1. in 一、 and 1. in 二、 are told apart. Plain Python, no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from desktop.core.notice import ParsedMeasure

Span = tuple[int, int]
_SPACE = re.compile(r"\s")
_PROBE = 16  # characters of a title or text looked for; long enough to be unique in order


class CompactText:
    """The source without whitespace, with a map back to positions in the source."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.positions = [i for i, ch in enumerate(source) if not ch.isspace()]
        self.text = "".join(source[i] for i in self.positions)

    def find(self, needle: str, start: int = 0) -> int:
        bare = _SPACE.sub("", needle)
        return self.text.find(bare, start) if bare else -1

    def span(self, start: int, end: int) -> Span:
        """Source positions of compact positions [start, end)."""
        end = max(start + 1, min(end, len(self.positions)))
        return self.positions[start], self.positions[end - 1] + 1

    def line_start(self, pos: int) -> int:
        """Where the source line of compact position ``pos`` starts."""
        return self.source.rfind("\n", 0, self.positions[pos]) + 1


def _probes(m: ParsedMeasure) -> list[str]:
    probes = [m.title[:_PROBE], m.text[:_PROBE]]
    return [_SPACE.sub("", p) for p in probes if _SPACE.sub("", p)]


def locate_measures(source: str, measures: Sequence[ParsedMeasure]) -> list[Span | None]:
    """For each measure, its (start, end) in ``source``, from its number to its note; None
    where it cannot be found (the user corrected the text beyond recognition)."""
    compact = CompactText(source)
    spans: list[Span | None] = []
    cursor = 0
    for m in measures:
        start = -1
        for probe in _probes(m):
            start = compact.find(probe, cursor)
            if start >= 0:
                break
        if start < 0:
            spans.append(None)
            continue
        end = _end_of(compact, m, start)
        first, last = compact.span(start, end)
        # take in the number printed before the title on the same line (1. / （一）)
        line = compact.line_start(start)
        if 0 <= first - line <= 8:
            first = line
        spans.append((first, last))
        cursor = end
    return spans


def _end_of(compact: CompactText, m: ParsedMeasure, start: int) -> int:
    note = _SPACE.sub("", m.note.split("\n", 1)[0])
    if note:
        at = compact.find(note, start)
        if at >= 0:
            return at + len(note)
        at = compact.find(note[:_PROBE], start)
        if at >= 0:
            return at + len(note)
    tail = _SPACE.sub("", m.text)[-_PROBE:]
    if tail:
        at = compact.find(tail, start)
        if at >= 0:
            return at + len(tail)
    return start + len(_SPACE.sub("", m.title + m.text))


def find_fragment(source: str, fragment: str) -> Span | None:
    """Where a quoted fragment of a warning (有段落未归入任何条目：…) stands in the source."""
    bare = fragment.rstrip("…").strip()
    if len(bare) < 4:
        return None
    compact = CompactText(source)
    at = compact.find(bare)
    if at < 0:
        return None
    return compact.span(at, at + len(_SPACE.sub("", bare)))
