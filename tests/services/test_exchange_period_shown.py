"""The period an upward package reports, and how many tasks have progress for it, are shown
before (GUI) and after (CLI) exporting; the rule choosing the period is unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.services.context import Services
from desktop.services.progress.types import ProgressEntry

from .exchange_support import YEAR, county, live_on


def _sparse_q3(services: Services) -> int:
    """Progress for the third quarter on one task only: the export reports that quarter."""
    live_on(services, date(YEAR, 8, 15))
    wl = services.worklists.find_own(YEAR)
    q3 = next(p for p in services.progress.periods(wl.id) if p.key == f"{YEAR}-Q3")
    first = services.worklists.rows(wl.id)[0]
    services.progress.save(wl.id, q3.id, [ProgressEntry(first.id, text="三季度推进中", percent=70)])
    return wl.id


def test_reporting_period_counts_the_tasks_with_progress(tmp_path: Path) -> None:
    services = county(tmp_path / "county", tasks=40)
    try:
        wl = services.worklists.find_own(YEAR)
        full = services.exchange.reporting_period(wl.id)
        assert full.key == f"{YEAR}-Q2" and full.tasks == 40
        assert full.filled > 20 and not full.sparse
        assert full.text == f"报送周期：{YEAR}年第二季度（已填报 {full.filled}/40 项）"

        _sparse_q3(services)
        sparse = services.exchange.reporting_period(wl.id)
        assert (sparse.key, sparse.filled, sparse.tasks) == (f"{YEAR}-Q3", 1, 40)
        assert sparse.sparse
        assert sparse.text == f"报送周期：{YEAR}年第三季度（已填报 1/40 项）"
        (tmp_path / "usb").mkdir()
        result = services.exchange.export(wl.id, tmp_path / "usb")
        assert result.coverage == sparse  # what was shown is what the package reports
    finally:
        services.close()


def test_a_list_without_progress_reports_no_period_and_is_not_sparse(
    services: Services,
) -> None:
    from desktop.services.office.service import OfficeInfo

    services.office.save(OfficeInfo(locality="某某县", level="县级", parent="某某市"))
    notice = next(n for n in services.notices.list() if n.builtin)
    wl = services.list_lifecycle.create(notice.id, YEAR)
    services.task_editing.generate_draft(wl.id)
    coverage = services.exchange.reporting_period(wl.id)
    assert coverage.key == "" and not coverage.sparse  # a first submission: the list alone
    assert coverage.text == "报送周期：无（还没有填报任何进展，上报包只含清单）"


def test_cli_export_names_the_period_and_warns_when_few_are_filled(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    services = county(tmp_path / "county", tasks=40)
    try:
        _sparse_q3(services)
    finally:
        services.close()
    usb = tmp_path / "usb"
    usb.mkdir()
    data = str(tmp_path / "county")
    code = main(["--data-dir", data, "package", "export", "--year", str(YEAR), "--out", str(usb)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"报送周期：{YEAR}年第三季度（已填报 1/40 项）" in out
    assert "只有 1/40 项任务填报了" in err
