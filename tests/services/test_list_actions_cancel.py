"""取消 of the long list actions (new version, 删除清单): progress in steps, and a cancel
before the commit leaves the database as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.core.reports import Cancelled
from desktop.services.context import Services

from .exchange_support import YEAR, county, export

TABLES = ("work_list", "task", "task_unit", "task_measure", "milestone", "reporting_period",
          "progress_report", "task_fts", "audit_log")  # fmt: skip


def _counts(services: Services) -> dict[str, int]:
    with services.engine.connect() as conn:
        return {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in TABLES
        }


class CancelAt:
    """Records the progress reports and asks to stop once ``at`` steps are done."""

    def __init__(self, at: int | None) -> None:
        self.at = at
        self.reports: list[tuple[int, int]] = []

    def progress(self, done: int, total: int) -> None:
        self.reports.append((done, total))

    def cancelled(self) -> bool:
        return self.at is not None and bool(self.reports) and self.reports[-1][0] >= self.at


@pytest.fixture
def submitted(tmp_path: Path):  # type: ignore[no-untyped-def]
    services = county(tmp_path / "county", tasks=30)
    (tmp_path / "out").mkdir()
    export(services, tmp_path / "out")  # version 1 reported upward: a new version may start
    yield services
    services.close()


def test_a_new_version_reports_its_steps(submitted: Services) -> None:
    wl = submitted.worklists.find_own(YEAR)
    watch = CancelAt(None)
    new = submitted.list_lifecycle.new_version(
        wl.id, progress=watch.progress, cancelled=watch.cancelled
    )
    assert new.version == 2 and new.tasks == wl.tasks
    done = [d for d, _ in watch.reports]
    total = watch.reports[-1][1]
    assert done == list(range(total + 1)) and total > 2


@pytest.mark.parametrize("at", [0, 3, 8])
def test_a_cancelled_new_version_leaves_nothing_behind(submitted: Services, at: int) -> None:
    wl = submitted.worklists.find_own(YEAR)
    before = _counts(submitted)
    watch = CancelAt(at)
    with pytest.raises(Cancelled):
        submitted.list_lifecycle.new_version(
            wl.id, progress=watch.progress, cancelled=watch.cancelled
        )
    assert _counts(submitted) == before
    again = submitted.worklists.get(wl.id)
    assert again.is_current and again.state == "submitted"
    # and it can be started afterwards, once
    assert submitted.list_lifecycle.new_version(wl.id).version == 2


@pytest.mark.parametrize("at", [1, 2])
def test_a_cancelled_deletion_keeps_the_list_and_its_backup(submitted: Services, at: int) -> None:
    wl = submitted.worklists.find_own(YEAR)
    rows = submitted.worklists.rows(wl.id)
    before = _counts(submitted)
    watch = CancelAt(at)
    with pytest.raises(Cancelled):
        submitted.list_lifecycle.delete_list(
            wl.id, progress=watch.progress, cancelled=watch.cancelled
        )
    assert _counts(submitted) == before
    assert submitted.worklists.rows(wl.id) == rows
    assert submitted.worklists.search(wl.id, "科技服务业")
    # the backup taken before the deletion stays, as any backup does
    assert list((submitted.data_dir.root / "backups").glob("删除清单前*"))
    assert submitted.audit_log.verify().whole


def test_a_deletion_reports_three_steps(submitted: Services) -> None:
    wl = submitted.worklists.find_own(YEAR)
    watch = CancelAt(None)
    submitted.list_lifecycle.delete_list(wl.id, progress=watch.progress, cancelled=watch.cancelled)
    assert watch.reports == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert not submitted.worklists.lists(own=True)
