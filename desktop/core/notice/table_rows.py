"""One row of a task table as text: its pieces given to the columns.

A row that is not written with its cells apart — cells apart by single spaces, a task
cell wrapped onto the next line, an empty cell that left nothing behind, or the text
layer of a ruled PDF table with every cell on lines of its own, wrapped at its column's
width — is a run of pieces (what stands between spaces, tabs and line breaks). They are
given to the columns in order at the least cost (dynamic programming over pieces and
columns): the task takes any text, a unit column only a list of names that are certainly
units (``unit_names``), the deadline column only a deadline, a remark column anything.
What costs: two units run together in one name, an empty lead cell, a name without its
level (旅游厅), a unit or the start of a list left at the end of the task, a task cut
after 、, and — in PDF text — lines of a cell that do not fit its column's printed width.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from dataclasses import dataclass, field

from desktop.core.notice.text import normalise_fragment
from desktop.core.notice.unit_names import unit_list

UNIT_COLUMNS = ("牵头单位", "责任单位", "配合单位")
EMPTY_CELLS = frozenset(("/", "-", "—", "——", "－", "无", "\\"))
_ANY_SEP = re.compile(r"[\s\u3000|｜]+")

_DEADLINE = re.compile(
    r"(?:(?:19|20)\d{2}|\d{1,2}|[年月日号底末前后起止内初中旬第一二三四季度周每]|上半年|下半年|长期|持续|常态化"
    r"|逐年|逐步|及时|按|计划|分阶段|推进|坚持|实施|开展|完成|落实|执行|以前|之前|[—–\-~～至到、，])+"
)
_DEADLINE_WORD = re.compile(r"\d|长期|持续|常态|每|逐年|年内|年底|及时")
# a row of more pieces than this is not a table row (a paragraph caught after the table)
_MAX_PIECES = 60
# what a remark column may take; and how many readings of a cell as a list of units one
# notice's tables may try: a real row takes some twenty, so rows made to be expensive
# (hundreds of one-character pieces) stop being read long before parsing slows down
_MAX_REMARK_PIECES = 16
_UNIT_READINGS = 600_000
# a unit or deadline cell spans at most this many pieces
_MAX_CELL_PIECES = 40
_MAX_DEADLINE_PIECES = 4
# a person column holds a name or two (李志强 / 省政府副秘书长 刘文博)
_MAX_PERSON_PIECES = 3
# an official's title standing before a name
_OFFICIAL = re.compile(r"^[\u4e00-\u9fff]{0,8}(?:长|书记|主任|主席|巡视员|秘书长)$")


def _join(pieces: list[str]) -> str:
    """Pieces of one cell as its text: nothing between Chinese, a space between Latin."""
    out = ""
    for piece in pieces:
        if out and out[-1].isascii() and out[-1].isalnum() and piece[0].isascii():
            out += " "
        out += piece
    return out


def _unit_cell(
    pieces: list[str], i: int, j: int, line_starts: set[int]
) -> tuple[str, tuple[bool, float, bool]]:
    """Pieces ``i…j`` of a unit column as its text and its reading as a list of units.

    A cell may list one unit per line, without 、 (市公安局 / 市卫生健康委): where its
    lines read as a list of units with 、 between them no worse than run together, they
    are that list — never one name glued from two. A name wrapped onto the next line
    (市住房城乡建设 / 局, 各市（地） / 人民政府) stays one name.
    """
    glued = _join(pieces[i:j])
    reading = unit_list(glued)
    cuts = [k for k in range(i + 1, j) if k in line_starts]
    if not cuts:
        return glued, reading
    bounds = [i, *cuts, j]
    lines = [_join(pieces[a:b]) for a, b in itertools.pairwise(bounds)]
    apart = "、".join(lines)
    other = unit_list(apart)
    # every line a unit of its own: 各市（地） / 人民政府 is one collective wrapped
    whole = all(unit_list(line)[0] for line in lines)
    if whole and other[0] and (not reading[0] or other[1] <= reading[1]):
        return apart, other
    if not reading[2] and other[2]:
        return glued, (reading[0], reading[1], True)  # the lines may still become a list
    return glued, reading


def _is_deadline(text: str) -> bool:
    return _DEADLINE.fullmatch(text) is not None and _DEADLINE_WORD.search(text) is not None


def _task_end_cost(last: str) -> float:
    """What it costs to end the task cell with the piece ``last``."""
    if last[-1] in "、，（“":  # a task cut in the middle of a list
        return 2.0
    if _OFFICIAL.match(last):  # the title before a name in a person column: 副市长 王某
        return 0.3
    valid, _glued, closed_ok = unit_list(last)
    if valid:  # a unit left at the end of the task
        return 0.3
    if closed_ok and ("、" in last or "，" in last):
        return 0.5  # units begun at the end of the task: 省委金融办、人
    return 0.0


def _width(text: str) -> float:
    """The printed width of a line, a Chinese character counting 1 and a digit ½."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


@dataclass
class Row:
    """A row being read: its number, its columns and its lines (normalised, and as
    printed), cut into pieces at spaces, tabs and line breaks."""

    number: str
    columns: list[str]
    lines: list[str]
    raw: list[str]
    pieces: list[str] = field(default_factory=list)
    # the printed width of each piece that was a line of its own, None for one that
    # shared its line with others
    widths: list[float | None] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)  # pieces up to the end of each line
    # the pieces a tab stands before on their line: a cell starts there, no unit cell
    # runs across it
    tabs: set[int] = field(default_factory=set)
    spans: list[tuple[int, int]] | None = None  # the pieces of each column, once read
    used: int = 0  # the lines the row took (the rest followed the table)

    def cut(self) -> None:
        raw = self.raw[len(self.raw) - len(self.lines) :]
        for line, printed in zip(self.lines, raw, strict=True):
            found = [p for p in _ANY_SEP.split(line) if p]
            self._tabs(found, printed)
            self.pieces += found
            self.widths += [_width(found[0])] if len(found) == 1 else [None] * len(found)
            self.ends.append(len(self.pieces))

    def _tabs(self, found: list[str], printed: str) -> None:
        """Note where tabs stand between the pieces ``found`` on the printed line (the
        first line of a row also holds its number before them)."""
        counts = [
            sum(1 for p in _ANY_SEP.split(normalise_fragment(part)) if p)
            for part in printed.split("\t")
        ]
        while counts and sum(counts) > len(found):
            counts.pop(0)
        if len(counts) < 2 or sum(counts) != len(found):
            return
        at = len(self.pieces)
        for count in counts[:-1]:
            at += count
            self.tabs.add(at)

    def line_starts(self) -> set[int]:
        """The pieces that begin a line of the row (but its first)."""
        return set(self.ends[:-1])

    def cells(self) -> list[str]:
        assert self.spans is not None
        starts = self.line_starts()
        return [
            _unit_cell(self.pieces, i, j, starts)[0]
            if role in UNIT_COLUMNS
            else _join(self.pieces[i:j])
            for (i, j), role in zip(self.spans, self.columns, strict=True)
        ]

    def misfits(self, full: list[float | None]) -> bool:
        """Whether a line of the row is wider than its column, or a line but a cell's
        last stops well short of it (the row was cut in the wrong place)."""
        assert self.spans is not None
        for (i, j), width in zip(self.spans, full, strict=True):
            if width is None or any(w is None for w in self.widths[i:j]):
                continue
            lines = [w for w in self.widths[i:j] if w is not None]
            if any(w > width + 1.0 for w in lines) or any(w < width - 1.5 for w in lines[:-1]):
                return True
        return False


class _Spans:
    """The ways one column can take pieces ``i…j`` of a row, each with its cost.

    In the text of a ruled PDF table each cell is wrapped at its column's width: a cell's
    lines but its last are as wide as the column, and none is wider. ``full`` holds each
    column's width where the table has shown it (None where not yet known: then a cell
    whose middle line stops short of its widest line is suspect).
    """

    def __init__(self, row: Row, full: list[float | None], budget: Budget) -> None:
        self.pieces = row.pieces[: row.ends[-1]] if row.ends else []
        self.widths = row.widths
        self.full = full
        self.budget = budget
        self.unit_cache: dict[int, list[tuple[int, float]]] = {}
        self.line_starts = row.line_starts()
        self.tabs = row.tabs
        self.ends: list[float] | None = None

    def ragged(self, c: int, i: int, j: int) -> float:
        """What it costs that lines ``i…j`` do not fit column ``c`` as wrapped text does."""
        widths = self.widths[i:j]
        if not widths or any(w is None for w in widths):
            return 0.0
        lines = [w for w in widths if w is not None]
        full = self.full[c]
        cost = 0.0 if full is None else 1.0 * sum(1 for w in lines if w > full + 1.0)
        if full is None and len(lines) >= 2:
            full = max(lines)
        if full is not None:
            cost += 0.4 * sum(1 for w in lines[:-1] if w < full - 1.5)
        return cost

    def text(self, c: int, i: int, n: int) -> list[tuple[int, float]]:
        if self.ends is None:  # what ending the task at each piece costs
            self.ends = [_task_end_cost(piece) for piece in self.pieces]
        # the longest task first
        return [(j, self.ends[j - 1] + self.ragged(c, i, j)) for j in range(n, i, -1)]

    def units(self, c: int, i: int, n: int, empty: float) -> list[tuple[int, float]]:
        if i not in self.unit_cache:
            found: list[tuple[int, float]] = []
            for j in range(i + 1, min(n, i + _MAX_CELL_PIECES) + 1):
                if j - 1 in self.tabs and j - 1 > i:
                    break  # a tab ends the cell
                content = _join(self.pieces[i:j])
                if content in EMPTY_CELLS:
                    found.append((j, 0.0))
                    continue
                self.budget.readings -= 1
                _text, (valid, doubt, closed_ok) = _unit_cell(self.pieces, i, j, self.line_starts)
                if not closed_ok:
                    break
                if valid:
                    found.append((j, doubt))
            self.unit_cache[i] = found
        return [(i, empty)] + [(j, cost + self.ragged(c, i, j)) for j, cost in self.unit_cache[i]]

    def person(self, i: int, n: int) -> list[tuple[int, float]]:
        """A person column (牵头省领导): nothing, or a few short names that are no units."""
        out = [(i, 0.1)]
        for j in range(i + 1, min(n, i + _MAX_PERSON_PIECES) + 1):
            piece = self.pieces[j - 1]
            if (
                len(piece) > 16
                or any(c in piece for c in "。；，")
                or any(c.isdigit() for c in piece)
                or unit_list(piece)[0]
            ):
                break
            out.append((j, 0.0))
        return out[::-1]  # the most pieces first: a name is no start of the next cell

    def deadline(self, c: int, i: int, n: int) -> list[tuple[int, float]]:
        out = [(i, 0.2)]
        for j in range(i + 1, min(n, i + _MAX_DEADLINE_PIECES) + 1):
            if _is_deadline(_join(self.pieces[i:j])):
                out.append((j, self.ragged(c, i, j)))
        return out


def _assign(spans: _Spans, n: int, columns: list[str]) -> list[tuple[int, int]] | None:
    """The pieces each column takes, in order, at the least cost; None if none fits."""
    count = len(columns)
    first_unit = next((c for c, role in enumerate(columns) if role in UNIT_COLUMNS), -1)
    best = [[math.inf] * (n + 1) for _ in range(count + 1)]
    step = [[0] * (n + 1) for _ in range(count + 1)]
    best[count][n] = 0.0
    for c in range(count - 1, -1, -1):
        role = columns[c]
        for i in range(n, -1, -1) if c else (0,):
            if role == "text":
                options = spans.text(c, i, n)
            elif role in UNIT_COLUMNS:
                # the first unit column (牵头单位) is rarely empty, a later one often is
                options = spans.units(c, i, n, 0.5 if c == first_unit else 0.1)
            elif role == "time":
                options = spans.deadline(c, i, n)
            elif role == "person":
                options = spans.person(i, n)
            else:  # a remark column takes anything, or nothing
                options = [(j, 0.0) for j in range(min(n, i + _MAX_REMARK_PIECES), i - 1, -1)]
            for j, cost in options:
                total = cost + best[c + 1][j]
                if total < best[c][i]:
                    best[c][i], step[c][i] = total, j
    if best[0][0] == math.inf:
        return None
    out: list[tuple[int, int]] = []
    i = 0
    for c in range(count):
        out.append((i, step[c][i]))
        i = step[c][i]
    return out


@dataclass
class Budget:
    """The readings of cells left to one notice's tables."""

    readings: int = _UNIT_READINGS


def read_row(row: Row, full: list[float | None], budget: Budget) -> bool:
    """Give the row's pieces to its columns (``row.spans``); False if they fit none.

    Lines caught after the last row (a note, a signature) that fit no column are left
    out of the row, up to a few of them (``row.used``).
    """
    if not row.ends or row.ends[-1] > _MAX_PIECES or budget.readings <= 0:
        return False
    columns = row.columns
    for k in range(len(row.lines), max(0, len(row.lines) - 4), -1):
        n = row.ends[k - 1]
        if n == 0:
            break
        spans = _assign(_Spans(row, full, budget), n, columns)
        if spans is None:
            continue
        text = [j > i for (i, j), r in zip(spans, columns, strict=True) if r == "text"]
        filled = [j > i for (i, j), r in zip(spans, columns, strict=True) if r in UNIT_COLUMNS]
        if any(text) and any(filled):
            row.spans, row.used = spans, k
            return True
    return False


def column_widths(rows: list[Row], columns: list[str]) -> list[float | None]:
    """Each column's printed width, where the table shows it: the usual width of the
    lines of its wrapped cells but their last."""
    seen: list[list[float]] = [[] for _ in columns]
    for row in rows:
        if row.spans is None or row.columns != columns:
            continue
        for c, (i, j) in enumerate(row.spans):
            widths = row.widths[i:j]
            if len(widths) >= 2 and all(w is not None for w in widths):
                seen[c] += [w for w in widths[:-1] if w is not None]
    return [statistics.median(w) if len(w) >= 2 else None for w in seen]
