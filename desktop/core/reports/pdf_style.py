"""Sizes and positions of the official ledger look: paper, margins, fonts, columns."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.vocabulary import LEDGER_COLUMNS

MM = 72.0 / 25.4

PAPER_SIZES: dict[str, tuple[float, float]] = {
    # landscape: (width, height) in points
    "A4": (297 * MM, 210 * MM),
    "A3": (420 * MM, 297 * MM),
}

# Shares of the printable width, one per column of ``desktop.core.vocabulary.LEDGER_COLUMNS``
# (编号 · 省级条目 · 工作任务 · 目标 · 牵头 · 配合 · 时限 · 进展 · 完成百分比 · 状态).
# 编号 holds six half-width characters on one line at A4 ("3-2-10", "37-11": 27 pt at
# 9 pt type in a 宋体/明体 face, 29 pt of room).
COLUMN_SHARES: tuple[float, ...] = tuple(c.plain_share for c in LEDGER_COLUMNS)
# When progress has been reported, 进展情况 holds the progress, problems and next steps and
# is the longest cell of a row; it takes room from 工作任务, 目标 and 配合 so that rows are not
# drawn tall by one narrow column.
PROGRESS_COLUMN_SHARES: tuple[float, ...] = tuple(c.share for c in LEDGER_COLUMNS)

# Column alignment: 0 left, 1 centred, 2 centred when one line else left.
COLUMN_ALIGN: tuple[int, ...] = tuple(c.align for c in LEDGER_COLUMNS)


@dataclass(frozen=True)
class LedgerStyle:
    """Type sizes and spacing, in points."""

    margin: float = 15 * MM
    body_size: float = 9.0
    leading: float = 12.0
    pad_x: float = 2.5
    pad_y: float = 3.0
    header_size: float = 9.5
    header_leading: float = 12.5
    section_size: float = 10.0
    section_leading: float = 13.0
    title_size: float = 19.0
    subtitle_size: float = 13.0
    heading_size: float = 14.0
    meta_size: float = 10.5
    footer_size: float = 9.0
    footer_gap: float = 500.0  # thousandths of an em: a half-width space
    signoff_size: float = 11.0
    grid_width: float = 0.5
    frame_width: float = 0.9


@dataclass(frozen=True)
class Geometry:
    """The page and the x positions of the column boundaries."""

    page_width: float
    page_height: float
    left: float
    right: float
    top: float
    bottom: float
    xs: tuple[float, ...]

    @property
    def width(self) -> float:
        return self.right - self.left

    def inner(self, first: int, last: int, pad: float) -> float:
        """Text width of columns ``first..last`` merged."""
        return self.xs[last + 1] - self.xs[first] - 2 * pad


def geometry(paper: str, style: LedgerStyle, shares: tuple[float, ...] = COLUMN_SHARES) -> Geometry:
    """The landscape page for ``paper`` ("A4" or "A3"), columns split by ``shares``."""
    try:
        width, height = PAPER_SIZES[paper.upper()]
    except KeyError:
        raise ValueError(f"unknown paper size {paper!r}") from None
    left = style.margin
    right = width - style.margin
    xs = [left]
    for share in shares[:-1]:
        xs.append(xs[-1] + share * (right - left))
    xs.append(right)
    return Geometry(width, height, left, right, height - style.margin, style.margin, tuple(xs))
