"""The packages a city keeps as received: one copy per file, the latest export of each version
only, gone with their list; a list whose package was not kept is named, never sent."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop.core.exchange_files import sha256_hex

from .exchange_support import YEAR, city, county, export, live_on


def files(data: Path) -> list[tuple[int, str]]:
    conn = sqlite3.connect(data / "ledger.sqlite3")
    try:
        return conn.execute("SELECT id, sha256 FROM package_file ORDER BY id").fetchall()
    finally:
        conn.close()


def test_kept_once_replaced_by_a_later_export_and_gone_with_the_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.services import clock

    office = county(tmp_path / "county", "甲县", tasks=30)
    try:
        first = export(office, tmp_path)
        live_on(office, date(YEAR, 9, 30))
        moment = clock.now() + timedelta(days=1)  # exported a day later
        monkeypatch.setattr(clock, "now", lambda: moment)
        (tmp_path / "later").mkdir()
        later = export(office, tmp_path / "later")
    finally:
        office.close()
    upper = city(tmp_path / "city")
    try:
        root = upper.data_dir.root
        upper.exchange.import_packages([first])
        assert [d for _, d in files(root)] == [sha256_hex(first.read_bytes())]
        again = upper.exchange.import_packages([first])
        assert not again.failures, again.failures
        assert again.results[0].outcome == "unchanged" and len(files(root)) == 1
        updated = upper.exchange.import_packages([later])
        assert not updated.failures, updated.failures
        assert updated.results[0].outcome == "updated"
        # the earlier export of the same version lets go of its bytes; the later one is kept
        assert [d for _, d in files(root)] == [sha256_hex(later.read_bytes())]
        plan = upper.exchange.upward.plan(YEAR)
        assert [i.locality for i in plan.lower] == ["甲县"] and not plan.unkept
        (held,) = upper.worklists.lists(own=False)
        upper.list_lifecycle.delete_list(held.id)
        assert files(root) == []
    finally:
        upper.close()


def test_a_list_imported_without_its_package_is_named_not_sent(tmp_path: Path) -> None:
    office = county(tmp_path / "county", "乙县", tasks=30)
    try:
        package = export(office, tmp_path)
    finally:
        office.close()
    upper = city(tmp_path / "city")
    try:
        upper.exchange.import_packages([package])
        # as a list imported by a program that did not keep packages
        conn = sqlite3.connect(upper.data_dir.db_path)
        with conn:
            conn.execute("UPDATE package_import SET file_id = NULL")
            conn.execute("DELETE FROM package_file")
        conn.close()
        plan = upper.exchange.upward.plan(YEAR)
        assert plan.lower == () and [i.locality for i in plan.unkept] == ["乙县"]
        assert not plan.combined
        assert any("请重新导入其上报包" in line for line in plan.lines)
        # importing the same package again keeps it, and it can go upward
        again = upper.exchange.import_packages([package])
        assert again.results[0].outcome == "unchanged"
        assert [i.locality for i in upper.exchange.upward.plan(YEAR).lower] == ["乙县"]
    finally:
        upper.close()
