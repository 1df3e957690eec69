"""A frozen period's progress ledger reprints as the same file, days later, byte for byte."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from desktop.core.reports import check_fonts
from desktop.services import clock
from desktop.services.context import Services
from desktop.services.demo.office import run_demo
from desktop.services.ledger.service import LedgerOptions
from tests.needs import missing


@pytest.fixture(autouse=True)
def _chinese_font() -> None:
    """Skipped without a Chinese font, a failure under CI (installer/dev.sh installs it)."""
    if check_fonts() is not None:
        missing("a Chinese font (Debian package fonts-wqy-zenhei)")


def test_a_frozen_period_reprints_the_same_file(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_demo(services, tasks=40)  # the demo freezes the first quarter
    frozen = [p for p in services.progress.periods(result.list_id) if p.frozen]
    assert frozen
    options = LedgerOptions(variant="progress", period_id=frozen[0].id)
    services.ledgers.write_pdf(result.list_id, tmp_path / "first.pdf", options)
    later = clock.now() + timedelta(days=40)
    monkeypatch.setattr(clock, "now", lambda: later)
    services.ledgers.write_pdf(result.list_id, tmp_path / "again.pdf", options)
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()
