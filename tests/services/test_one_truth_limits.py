"""The county cannot export what its city would refuse: one schema at entry, before export
and at import, in the same words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.core.schema import TEXT_LIMITS
from desktop.core.worklist import MilestoneRecord
from desktop.db.models import Task, WorkList
from desktop.errors import PackageError, ValidationError
from desktop.services.progress.types import ProgressEntry

from .exchange_support import YEAR, city, dump, office, own_list_ready, sign_as_forger

# characters an office types, a rare one of GBK among them
FILL = "推进服务业扩能提质堃喆，（完成1.5亿元）"


def full(key: str) -> str:
    most = TEXT_LIMITS[key]
    return (FILL * (most // len(FILL) + 1))[:most]


@pytest.fixture
def county(tmp_path: Path):  # type: ignore[no-untyped-def]
    services = office(tmp_path / "county", "示例县", "县级", "示例市")
    own_list_ready(services)
    yield services
    services.close()


def test_every_field_at_its_limit_travels(county, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wl = county.worklists.find_own(YEAR)
    first = county.worklists.rows(wl.id)[0]
    record = county.worklists.task(first.id)
    for key in ("content", "target_text", "target_unit", "leader", "person", "phone", "remarks"):
        setattr(record, key, full(key))
    record.number = "9" * TEXT_LIMITS["number"]
    record.target_value = "123456789012345.5"
    # a target names its value (校验 compares them): the text ends with it, still at the limit
    record.target_text = record.target_text[: -len(record.target_value)] + record.target_value
    record.lead_units = [full("lead_units")]
    record.co_units = [full("co_units")[:-1] + "办"]
    record.milestones = [
        MilestoneRecord(
            date(YEAR, m, 28), full("milestone_label"), full("milestone_description"), p
        )
        for m, p in ((3, 25), (6, 50), (9, 75))
    ]
    county.task_editing.save_task(wl.id, record)
    county.list_lifecycle.set_options(wl.id, explanation=full("explanation"))
    period = county.progress.periods(wl.id)[0]
    entry = ProgressEntry(
        first.id,
        text=full("progress"),
        percent=100,
        problems=full("problems"),
        next_steps=full("next_steps"),
        lag_reason=full("lag_reason"),
        completed_on=date(YEAR, 3, 20),
        evidence=full("evidence"),
    )
    assert county.progress.save(wl.id, period.id, [entry]) == 1
    for issue in county.list_checks.check(wl.id).open_warnings:
        county.list_checks.accept_warning(
            wl.id, issue.key, issue.message, full("check_explanation")
        )
    package = county.exchange.export(wl.id, tmp_path).path
    upper = city(tmp_path / "city")
    try:
        result = upper.exchange.import_package(package)
        imported = {r.number: r for r in upper.worklists.rows(result.list_id)}
        assert imported[record.number].content == record.content
    finally:
        upper.close()


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("milestone_label", "“节点名称”不能超过 20 个字（现有 21 个字）"),
        ("content", "“工作任务/具体举措”不能超过 2000 个字（现有 2001 个字）"),
    ],
)
def test_one_over_is_refused_in_the_importers_words(county, key: str, message: str) -> None:  # type: ignore[no-untyped-def]
    wl = county.worklists.find_own(YEAR)
    record = county.worklists.task(county.worklists.rows(wl.id)[0].id)
    over = full(key) + "字"
    if key == "milestone_label":
        record.milestones = [MilestoneRecord(date(YEAR, 3, 31), over, "", 25)]
    else:
        record.content = over
    with pytest.raises(ValidationError) as err:
        county.task_editing.save_task(wl.id, record)
    assert message in str(err.value)


def test_emoji_is_refused_at_entry(county) -> None:  # type: ignore[no-untyped-def]
    wl = county.worklists.find_own(YEAR)
    first = county.worklists.rows(wl.id)[0]
    period = county.progress.periods(wl.id)[0]
    with pytest.raises(ValidationError, match="“进展情况”中的“😀”台账字体无法打印"):
        county.progress.save(wl.id, period.id, [ProgressEntry(first.id, text="进展顺利😀")])


def test_what_older_versions_stored_is_cleaned_or_named_before_export(
    county, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    wl = county.worklists.find_own(YEAR)
    ids = [r.id for r in county.worklists.rows(wl.id)]
    with county.sessions.begin() as session:
        # control characters a notice .txt once carried in: taken out on the way out
        task = session.get(Task, ids[0])
        assert task is not None
        task.content = "推进\x07服务业\x1b发展\x00"
    package = county.exchange.export(wl.id, tmp_path / "ok.zip").path
    upper = city(tmp_path / "city")
    try:
        result = upper.exchange.import_package(package)
        rows = {r.uid: r for r in upper.worklists.rows(result.list_id)}
        assert rows[county.worklists.rows(wl.id)[0].uid].content == "推进服务业发展"
    finally:
        upper.close()
    # too long for the city: refused here, naming task and field, and nothing recorded
    new = county.list_lifecycle.new_version(wl.id)
    with county.sessions.begin() as session:
        first = (
            session.execute(select(Task).where(Task.work_list_id == new.id).order_by(Task.position))
            .scalars()
            .first()
        )
        assert first is not None
        first.content = "长" * (TEXT_LIMITS["content"] + 1)
        number = first.number
    before = dump(county)
    with pytest.raises(ValidationError) as err:
        county.exchange.export(new.id, tmp_path / "bad.zip")
    text = str(err.value)
    assert f"编号为“{number}”的任务的“工作任务/具体举措”不能超过 2000 个字" in text
    assert "传递" not in text
    assert dump(county) == before and not (tmp_path / "bad.zip").exists()
    with county.sessions() as session:
        assert session.get(WorkList, new.id).state != "submitted"  # type: ignore[union-attr]


def test_the_importer_refuses_what_entry_refuses(county, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The same sentence, had a package been made by something else."""
    import json
    import zipfile

    from desktop.core.exchange_files import sha256_hex

    wl = county.worklists.find_own(YEAR)
    package = county.exchange.export(wl.id, tmp_path / "p.zip").path
    with zipfile.ZipFile(package) as z:
        files = {n: z.read(n) for n in z.namelist()}
    name = next(n for n in files if n.endswith("data.json"))
    data = json.loads(files[name])
    data["tasks"][0]["milestones"][0]["label"] = full("milestone_label") + "字"
    files[name] = json.dumps(data, ensure_ascii=False).encode()
    manifest_name = next(n for n in files if n.endswith("manifest.json"))
    manifest = json.loads(files[manifest_name])
    for entry in manifest["files"]:
        body = files[f"{manifest_name.rsplit('/', 1)[0]}/{entry['name']}"]
        entry["size"], entry["sha256"] = len(body), sha256_hex(body)
    folder = manifest_name.rsplit("/", 1)[0]
    files[manifest_name], files[f"{folder}/manifest.sig"] = sign_as_forger(manifest)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as z:
        for n, body in files.items():
            z.writestr(n, body)
    upper = city(tmp_path / "city")
    try:
        with pytest.raises(PackageError) as err:
            upper.exchange.import_package(bad)
    finally:
        upper.close()
    assert "“节点名称”不能超过 20 个字（现有 21 个字）" in str(err.value)
    assert "传递" not in str(err.value)
