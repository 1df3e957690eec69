"""上报 → 导入 → 再上报: county → city → province with the data equal at every step."""

from __future__ import annotations

import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop.errors import PackageError, UserError
from desktop.services import clock
from desktop.services.exchange.service import ExportBlocked

from .exchange_support import (
    YEAR,
    city,
    content,
    county,
    dump,
    export,
    live_on,
    office,
    own_list_ready,
)


def test_county_city_province_round_trip(tmp_path: Path) -> None:
    lower = county(tmp_path / "county", tasks=60)
    upper = city(tmp_path / "city")
    top = office(tmp_path / "province", "浙江省", "省级")
    try:
        county_list = lower.worklists.find_own(YEAR)
        package = export(lower, tmp_path)
        assert package.name == "示例县_2027_浙政发〔2026〕16号_v1.zip"

        result = upper.exchange.import_package(package)
        assert result.outcome == "imported" and result.tasks == 60
        imported = upper.worklists.get(result.list_id)
        assert (imported.own, imported.locality, imported.level, imported.parent) == (
            False,
            "示例县",
            "县级",
            "示例市",
        )
        assert imported.state == "submitted" and imported.version == 1
        expected = content(lower, county_list.id)
        got = content(upper, result.list_id)
        assert got == expected
        assert expected["exclusions"] == [("一.（六）.17", expected["exclusions"][0][1])]
        assert len(expected["progress"]) > 60 and len(expected["milestones"]) > 60

        # the city's own list travels up the same way
        city_list = own_list_ready(upper)
        city_package = export(upper, tmp_path)
        to_province = top.exchange.import_package(city_package)
        assert to_province.locality == "示例市"
        assert content(top, to_province.list_id) == content(upper, city_list)
        assert top.worklists.get(to_province.list_id).level == "市级"
    finally:
        for s in (lower, upper, top):
            s.close()


def test_export_freezes_records_and_carries_explanations(tmp_path: Path) -> None:
    services = county(tmp_path / "c")
    try:
        wl = services.worklists.find_own(YEAR)
        result = services.exchange.export(wl.id, tmp_path / "out.zip")
        assert result.first_submission and result.period_key == "2027-Q2"
        assert services.worklists.get(wl.id).state == "submitted"
        history = services.exchange.submissions(wl.id)
        assert len(history) == 1 and history[0].sha256 == result.sha256
        assert history[0].file_name == str(tmp_path / "out.zip") and history[0].operator == "周静"
        with zipfile.ZipFile(result.path) as z:
            names = z.namelist()
            assert all(n.startswith("示例县_2027_浙政发〔2026〕16号_v1/") for n in names)
            data = json.loads(z.read(next(n for n in names if n.endswith("data.json"))))
            manifest = json.loads(z.read(next(n for n in names if n.endswith("manifest.json"))))
        assert manifest["locality"] == {
            "name": "示例县",
            "code": "330999",
            "level": "县级",
            "parent": "示例市",
            "reporting_office": "示例县发展和改革局（示例县服务业发展领导小组办公室）",
        }
        assert manifest["people"] == {
            "operator": "周静",
            "reviewer": "陈志强",
            "contact": "0571-88880000",
        }
        assert {f["role"] for f in manifest["files"]} == {"data", "xlsx", "pdf"}
        assert data["work_list"]["state"] == "submitted"
        assert data["check"]["notes"][0]["explanation"] == "示例数据，仅供试用"

        again = services.exchange.export(wl.id, tmp_path)
        assert not again.first_submission and "重新导出" in again.message
        assert again.path.name == "示例县_2027_浙政发〔2026〕16号_v1.zip"
        assert len(services.exchange.submissions(wl.id)) == 2
    finally:
        services.close()


def test_export_blocked_by_check_changes_nothing(tmp_path: Path) -> None:
    services = office(tmp_path / "c", "某某县", "县级", "某某市")
    try:
        notice = next(n for n in services.notices.list() if n.builtin)
        wl = services.list_lifecycle.create(notice.id, YEAR)
        services.task_editing.generate_draft(wl.id)
        before = dump(services)
        with pytest.raises(ExportBlocked) as err:
            services.exchange.export(wl.id, tmp_path / "x.zip")
        assert "上报前校验未通过" in str(err.value) and "没有目标指标" in str(err.value)
        assert not (tmp_path / "x.zip").exists()
        assert dump(services) == before
    finally:
        services.close()


def test_export_needs_a_parent(tmp_path: Path) -> None:
    services = county(tmp_path / "c")
    try:
        info = services.office.get()
        info.parent = ""
        services.office.save(info)
        wl = services.worklists.find_own(YEAR)
        with pytest.raises(UserError, match="上级地区"):
            services.exchange.export(wl.id, tmp_path / "x.zip")
        assert services.worklists.get(wl.id).state != "submitted"
    finally:
        services.close()


def test_failed_write_leaves_the_version_unfrozen(tmp_path: Path) -> None:
    services = county(tmp_path / "c")
    try:
        wl = services.worklists.find_own(YEAR)
        before = dump(services)
        with pytest.raises(UserError, match="无法写入"):
            services.exchange.export(wl.id, tmp_path / "missing-folder" / "x.zip")
        assert dump(services) == before
        assert not list((tmp_path / "c").glob("**/*.tmp"))
    finally:
        services.close()


def test_versions_newer_replaces_same_is_unchanged_older_refused(tmp_path: Path) -> None:
    lower = county(tmp_path / "county")
    upper = city(tmp_path / "city")
    try:
        (tmp_path / "v1").mkdir()
        v1 = export(lower, tmp_path / "v1")
        first = upper.exchange.import_package(v1)
        before = dump(upper)
        again = upper.exchange.import_package(v1)
        assert again.outcome == "unchanged" and "已导入过，未作改动" in again.message
        assert dump(upper) == before

        wl = lower.worklists.find_own(YEAR)
        v2_list = lower.list_lifecycle.new_version(wl.id)
        record = lower.worklists.task(lower.worklists.rows(v2_list.id)[0].id)
        record.content = "第二版改写的任务内容"
        lower.task_editing.save_task(v2_list.id, record)
        (tmp_path / "v2").mkdir()
        v2 = export(lower, tmp_path / "v2")
        assert v2.name.endswith("_v2.zip")
        second = upper.exchange.import_package(v2)
        assert second.outcome == "replaced" and second.previous_version == 1
        lists = upper.worklists.lists(own=False)
        assert [(s.version, s.is_current) for s in lists] == [(1, False), (2, True)]
        assert content(upper, second.list_id) == content(lower, v2_list.id)
        assert content(upper, first.list_id)["tasks"] != content(upper, second.list_id)["tasks"]

        before = dump(upper)
        with pytest.raises(PackageError, match="较旧的第1版"):
            upper.exchange.import_package(v1)
        assert dump(upper) == before
    finally:
        lower.close()
        upper.close()


def test_later_export_of_the_same_version_updates_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lower = county(tmp_path / "county")
    upper = city(tmp_path / "city")
    try:
        (tmp_path / "q2").mkdir()
        early = export(lower, tmp_path / "q2")
        first = upper.exchange.import_package(early)
        wl = lower.worklists.find_own(YEAR)
        live_on(lower, date(YEAR, 8, 15))  # the county's day moves into the third quarter
        q3 = next(p for p in lower.progress.periods(wl.id) if p.key == "2027-Q3")
        task_id = lower.worklists.rows(wl.id)[0].id
        from desktop.services.progress.service import ProgressEntry

        lower.progress.save(wl.id, q3.id, [ProgressEntry(task_id, "三季度已完成验收", 90)])
        later = clock.now() + timedelta(days=80)
        monkeypatch.setattr(clock, "now", lambda: later)
        (tmp_path / "q3").mkdir()
        late = export(lower, tmp_path / "q3")
        updated = upper.exchange.import_package(late)
        assert updated.outcome == "updated" and updated.list_id == first.list_id
        assert content(upper, first.list_id) == content(lower, wl.id)
        before = dump(upper)
        # ordered by the county's export count, never by the times the packages carry
        with pytest.raises(PackageError, match=r"第 2 次导出.*第 1 次导出的（更早或相同）"):
            upper.exchange.import_package(early)
        assert dump(upper) == before
    finally:
        lower.close()
        upper.close()


def test_batch_import_reports_each_file_and_backs_up_once(tmp_path: Path) -> None:
    upper = city(tmp_path / "city")
    packages = []
    try:
        for i, name in enumerate(("甲县", "乙县", "丙县")):
            lower = county(tmp_path / name, name, tasks=20, seed=i)
            try:
                (tmp_path / f"p{i}").mkdir()
                packages.append(export(lower, tmp_path / f"p{i}"))
            finally:
                lower.close()
        junk = tmp_path / "junk.zip"
        junk.write_bytes(b"not a zip")
        seen: list[tuple[int, int]] = []
        batch = upper.exchange.import_packages(
            [*packages, junk], progress=lambda d, t: seen.append((d, t))
        )
        assert [r.locality for r in batch.results] == ["甲县", "乙县", "丙县"]
        assert [p for p, _ in batch.failures] == [junk] and "不是 zip" in batch.failures[0][1]
        assert seen[-1] == (4, 4)
        assert batch.backup is not None and batch.backup.name.startswith("导入前-")
        assert len(list(upper.data_dir.backups.glob("导入前-*.sqlite3"))) == 1
    finally:
        upper.close()


def test_a_package_failing_midway_leaves_no_trace_in_a_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each package of a batch is its own savepoint: a failure after some rows were written
    takes back exactly that package's rows."""
    import desktop.services.exchange.importer as importer

    upper = city(tmp_path / "city")
    packages = []
    try:
        for i, name in enumerate(("甲县", "乙县", "丙县")):
            lower = county(tmp_path / name, name, tasks=20, seed=i)
            try:
                (tmp_path / f"p{i}").mkdir()
                packages.append(export(lower, tmp_path / f"p{i}"))
            finally:
                lower.close()
        real = importer.store_content

        def flaky(session, list_id, data, code_ids, now):  # type: ignore[no-untyped-def]
            real(session, list_id, data, code_ids, now)
            if data.work_list.locality == "乙县":
                raise PackageError("乙县的上报包写到一半出了问题。")

        monkeypatch.setattr(importer, "store_content", flaky)
        batch = upper.exchange.import_packages(packages)
        assert [r.locality for r in batch.results] == ["甲县", "丙县"]
        assert batch.failures[0][1] == "乙县的上报包写到一半出了问题。"
        lists = upper.worklists.lists(own=False)
        assert sorted(s.locality for s in lists) == ["丙县", "甲县"]
        rows = dump(upper)
        assert len(rows["task"]) == sum(r.tasks for r in batch.results)
        assert len(rows["package_import"]) == 2
        assert not any("乙县" in str(r) for r in rows["work_list"] + rows["audit_log"])
        from desktop.services.safety.maintenance import MaintenanceService

        assert MaintenanceService(upper.data_dir).check() == []  # the audit chain is whole
    finally:
        upper.close()
