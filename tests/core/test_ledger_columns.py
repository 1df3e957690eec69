"""The ledger's columns: the official ten, the optional ones an office adds, and room for
the deadline ("2027年12月底" on one line)."""

from __future__ import annotations

import pytest

from desktop.core.reports.pdf_style import LedgerStyle, geometry
from desktop.core.reports.textwrap_cjk import CjkWrapper
from desktop.core.vocabulary import LEDGER_COLUMNS, OPTIONAL_LEDGER_COLUMNS, ledger_columns

EVERY = tuple(OPTIONAL_LEDGER_COLUMNS)


def wide_digits(ch: str) -> float:
    """A ledger face with wide figures (Noto/Source Han: about 0.6 em), CJK a full em."""
    return 600.0 if ch.isascii() else 1000.0


@pytest.mark.parametrize("optional", [(), ("leader",), ("schedule", "remarks"), EVERY])
def test_columns_keep_their_order_and_fill_the_width(optional: tuple[str, ...]) -> None:
    columns = ledger_columns(optional)
    keys = [c.key for c in columns]
    official = [c.key for c in LEDGER_COLUMNS]
    assert [k for k in keys if k in official] == official
    assert set(keys) - set(official) == set(optional)
    assert sum(c.share for c in columns) == pytest.approx(1.0)
    assert sum(c.plain_share for c in columns) == pytest.approx(1.0)
    if "leader" in optional:
        assert keys.index("leader") == keys.index("co_units") + 1
    if "schedule" in optional:
        assert keys.index("schedule") == keys.index("deadline") + 1
    if "remarks" in optional:
        assert keys[-1] == "remarks"


def test_the_default_is_the_official_layout() -> None:
    assert ledger_columns(()) == LEDGER_COLUMNS
    assert ledger_columns(("not-a-column",)) == LEDGER_COLUMNS


@pytest.mark.parametrize("paper", ["A4", "A3"])
@pytest.mark.parametrize("optional", [(), EVERY])
@pytest.mark.parametrize("progress", [True, False])
def test_a_month_end_deadline_fits_on_one_line(
    paper: str, optional: tuple[str, ...], progress: bool
) -> None:
    style = LedgerStyle()
    columns = ledger_columns(optional)
    shares = tuple(c.share if progress else c.plain_share for c in columns)
    geo = geometry(paper, style, shares)
    at = [c.key for c in columns].index("deadline")
    wrapper = CjkWrapper(wide_digits)
    for deadline in ("2027年12月底", "2027年10月底", "2026年11月底"):
        lines = wrapper.wrap(deadline, geo.inner(at, at, style.pad_x), style.body_size)
        assert lines == [deadline], (paper, optional, progress)
