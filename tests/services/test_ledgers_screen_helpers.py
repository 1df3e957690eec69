"""The ledger service's read helpers for the 台账打印 screen, and cancelling per-unit PDFs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop.core.reports import Cancelled
from desktop.errors import NotFoundError
from desktop.services import clock
from desktop.services.context import Services
from desktop.services.demo.office import run_demo
from desktop.services.ledger.service import LedgerOptions


@pytest.fixture
def demo(services: Services) -> int:
    return run_demo(services, tasks=40).list_id


def test_signoff_defaults_are_the_office_names_and_today(services: Services, demo: int) -> None:
    with clock.as_of_day(date(2027, 7, 5)):  # the office's today, as --as-of sets it
        sign = services.ledgers.signoff_defaults()
        document = services.ledgers.document(demo)
    assert sign.filler == "周静" and sign.reviewer == "陈志强"
    assert sign.phone == "0571-88880000"
    assert sign.unit.startswith("示例县发展和改革局")
    assert sign.date == "2027年7月5日"
    # the same block the ledger gets when the screen passes nothing
    assert document.signoff == sign


def test_default_period_is_the_one_the_progress_ledger_uses(services: Services, demo: int) -> None:
    period_id = services.ledgers.default_period_id(demo)
    period = next(p for p in services.progress.periods(demo) if p.id == period_id)
    unchosen = services.ledgers.document(demo, LedgerOptions(variant="progress"))
    chosen = services.ledgers.document(demo, LedgerOptions(variant="progress", period_id=period_id))
    assert period.label in unchosen.subtitle
    assert unchosen.subtitle == chosen.subtitle and unchosen.as_of == chosen.as_of


def test_default_period_of_a_missing_list(services: Services) -> None:
    with pytest.raises(NotFoundError):
        services.ledgers.default_period_id(999)


def test_per_unit_pdfs_report_progress_and_cancel_whole(
    services: Services, demo: int, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    folder = tmp_path / "units"
    files = services.ledgers.write_pdf_per_unit(
        demo, folder, progress=lambda done, total: seen.append((done, total))
    )
    assert len(files) > 1 and all(f.exists() for f in files)
    # rows of every part: a task with two lead units is in both units' ledgers
    assert seen and seen[-1][0] == seen[-1][1] >= 40

    other = tmp_path / "cancelled"
    with pytest.raises(Cancelled):
        services.ledgers.write_pdf_per_unit(demo, other, cancelled=lambda: True)
    assert not other.exists() or not any(other.iterdir())
