"""Bracket-aware splitting for Chinese text.

Unit lists such as ``省科技厅、各县（市、区）政府`` must be split at ``、`` only where no
bracket is open, and a note ``（责任单位：…）`` must be found as one balanced group even
when it contains brackets itself. These helpers do that for the full-width brackets,
the hexagonal 〔〕 of document numbers, 【】, [] and Chinese quotation marks.
"""

from __future__ import annotations

from collections.abc import Iterator

OPEN = "（〔【[“‘《"
CLOSE = "）〕】]”’》"
_PAIR = dict(zip(CLOSE, OPEN, strict=True))


def split_top(text: str, seps: str) -> list[str]:
    """Split ``text`` at any character of ``seps`` that stands outside all brackets."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in seps:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def groups(text: str, opener: str = "（", closer: str = "）") -> Iterator[tuple[int, int]]:
    """Spans ``(start, end)`` of the outermost balanced ``opener … closer`` groups."""
    depth = 0
    start = -1
    for i, ch in enumerate(text):
        if ch == opener:
            if depth == 0:
                start = i
            depth += 1
        elif ch == closer and depth:
            depth -= 1
            if depth == 0:
                yield start, i + 1


def opening_of_final(text: str) -> int:
    """Index of the bracket that opens the group closing at the end of ``text``, or -1."""
    if not text or text[-1] not in _PAIR:
        return -1
    closer = text[-1]
    opener = _PAIR[closer]
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch == closer:
            depth += 1
        elif ch == opener:
            depth -= 1
            if depth == 0:
                return i
    return -1
