"""删除清单 and the year offered for a new list (WorkListLifecycle.delete_list, suggested_year)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.errors import NotFoundError
from desktop.services import clock
from desktop.services.context import Services
from desktop.services.office.service import OfficeInfo

from .exchange_support import YEAR, city, county, export


def _builtin(services: Services) -> int:
    return next(n for n in services.notices.list() if n.builtin).id


def _fts_ok(services: Services) -> None:
    """FTS5's own check: the index holds exactly what its content view says (raises if not)."""
    with services.engine.begin() as conn:
        conn.execute(text("INSERT INTO task_fts(task_fts, rank) VALUES('integrity-check', 1)"))


def _count(services: Services, sql: str) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


@pytest.fixture
def office(services: Services) -> Services:
    services.office.save(
        OfficeInfo(locality="某某县", level="县级", parent="某某市", operator="张三")
    )
    return services


def test_deleting_an_own_list_removes_every_version_and_keeps_the_index_whole(
    tmp_path: Path,
) -> None:
    services = county(tmp_path / "county", tasks=40)
    try:
        wl = services.worklists.find_own(YEAR)
        other = services.list_lifecycle.create(_builtin(services), YEAR + 1)
        services.task_editing.generate_draft(other.id)
        (tmp_path / "out").mkdir()
        export(services, tmp_path / "out")  # version 1 reported upward …
        v2 = services.list_lifecycle.new_version(wl.id)  # … and a second version started
        assert services.worklists.search(v2.id, "孵化器")
        progress_before = _count(services, "SELECT count(*) FROM progress_report")
        assert progress_before > 0

        plan = services.list_lifecycle.deletion(v2.id)
        assert plan.own and [v for v, _ in plan.versions] == [1, 2]
        assert plan.versions_text == "第1版（已上报）、第2版（草稿）"
        assert plan.tasks == 80 and plan.progress > 0 and plan.submitted_at
        backups_before = set((services.data_dir.root / "backups").glob("*.sqlite3"))

        done = services.list_lifecycle.delete_list(v2.id)

        assert done.tasks == 80
        left = services.worklists.lists()
        assert [(s.year, s.id) for s in left] == [(YEAR + 1, other.id)]
        # the other list, its tasks and their search entries are untouched
        assert len(services.worklists.rows(other.id)) == 38
        assert services.worklists.search(other.id, "科技服务业")
        for table in ("task_unit", "task_measure", "milestone", "submission"):
            orphans = _count(
                services,
                f"SELECT count(*) FROM {table} WHERE "
                + (
                    "work_list_id NOT IN (SELECT id FROM work_list)"
                    if table == "submission"
                    else "task_id NOT IN (SELECT id FROM task)"
                ),
            )
            assert orphans == 0, table
        assert _count(services, "SELECT count(*) FROM progress_report") == 0
        assert _count(services, "SELECT count(*) FROM reporting_period") == 0
        assert _count(services, "SELECT count(*) FROM task_fts") == 38
        _fts_ok(services)
        # one audit entry names what went; a backup was taken just before
        sql = "SELECT summary FROM audit_log WHERE action = 'delete' AND entity = 'work_list'"
        with services.engine.connect() as conn:
            deleted = conn.execute(text(sql)).scalars().all()
        assert len(deleted) == 1 and "第1版、第2版" in deleted[0]
        assert "80 项任务" in deleted[0]
        assert services.audit_log.verify().whole
        assert done.backup is not None and done.backup.exists()
        assert done.backup.name.startswith("删除清单前")
        assert done.backup not in backups_before
        with pytest.raises(NotFoundError):
            services.worklists.get(wl.id)
    finally:
        services.close()


def test_a_deleted_list_frees_its_notice_and_its_year(office: Services) -> None:
    notice = _builtin(office)
    wl = office.list_lifecycle.create(notice, 2027)
    office.task_editing.generate_draft(wl.id)
    office.list_lifecycle.delete_list(wl.id)
    again = office.list_lifecycle.create(notice, 2027)  # the year is free again
    assert office.worklists.rows(again.id) == []
    _fts_ok(office)


def test_deleting_a_missing_list_says_so_and_takes_no_backup(office: Services) -> None:
    with pytest.raises(NotFoundError, match="找不到这份清单"):
        office.list_lifecycle.delete_list(9999)
    assert not list((office.data_dir.root / "backups").glob("删除清单前*"))


def test_deleting_an_imported_version_makes_the_previous_one_current(tmp_path: Path) -> None:
    lower = county(tmp_path / "county", tasks=20)
    upper = city(tmp_path / "city")
    try:
        (tmp_path / "v1").mkdir()
        upper.exchange.import_package(export(lower, tmp_path / "v1"))
        lower.list_lifecycle.new_version(lower.worklists.find_own(YEAR).id)
        (tmp_path / "v2").mkdir()
        second = upper.exchange.import_package(export(lower, tmp_path / "v2"))
        assert second.outcome == "replaced"

        plan = upper.list_lifecycle.deletion(second.list_id)
        assert not plan.own and plan.versions == ((2, "submitted"),)
        assert plan.restored_version == 1
        upper.list_lifecycle.delete_list(second.list_id)

        lists = upper.worklists.lists(own=False)
        assert [(s.version, s.is_current) for s in lists] == [(1, True)]
        _fts_ok(upper)
        # the wrongly imported package can be imported again
        again = upper.exchange.import_package(second.path)
        assert again.outcome == "replaced" and again.previous_version == 1
    finally:
        lower.close()
        upper.close()


def test_deleting_a_list_drops_the_progress_screens_safety_copy(office: Services) -> None:
    from desktop.services.progress import unsaved as progress_draft

    wl = office.list_lifecycle.create(_builtin(office), 2027)
    office.task_editing.generate_draft(wl.id)
    with office.sessions.begin() as session:
        progress_draft.keep(session, wl.id, 1, [])
    office.list_lifecycle.delete_list(wl.id)
    with office.sessions() as session:
        assert progress_draft.load(session, wl.id, 1) is None


def test_suggested_year_is_next_year_or_the_next_free_one(
    office: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 3, 9, 0).astimezone())
    notice = _builtin(office)
    assert office.list_lifecycle.suggested_year(notice) == 2027
    office.list_lifecycle.create(notice, 2027)
    office.list_lifecycle.create(notice, 2028)
    assert office.list_lifecycle.suggested_year(notice) == 2029
    # a list of an earlier year does not move the suggestion
    office.list_lifecycle.create(notice, 2026)
    assert office.list_lifecycle.suggested_year(notice) == 2029
