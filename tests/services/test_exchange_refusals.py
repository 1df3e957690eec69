"""Every package the city must refuse: a clear Chinese message and not one row changed."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.errors import PackageError
from desktop.services.context import Services
from desktop.services.exchange.aggregate import LowerLocality

from .exchange_support import (
    city,
    county_package,
    dump,
    members,
    office,
    repack,
    write_zip,
)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return county_package(tmp_path_factory.mktemp("county"), tasks=30)


@pytest.fixture
def upper(tmp_path: Path) -> Iterator[Services]:
    services = city(tmp_path / "city")
    yield services
    services.close()


def refused(services: Services, path: Path, *expected: str) -> str:
    before = dump(services)
    backups = set(services.data_dir.backups.iterdir())
    with pytest.raises(PackageError) as err:
        services.exchange.import_package(path)
    message = str(err.value)
    for text in expected:
        assert text in message, message
    assert dump(services) == before, "a refused package changed the database"
    assert set(services.data_dir.backups.iterdir()) == backups
    return message


# --------------------------------------------------------------------------- the container


def test_not_a_zip(upper: Services, tmp_path: Path) -> None:
    bad = tmp_path / "x.zip"
    bad.write_bytes(b"PK\x03\x04 this is not a zip file at all")
    refused(upper, bad, "不是 zip 压缩文件")


def test_missing_file_and_folder(upper: Services, tmp_path: Path) -> None:
    refused(upper, tmp_path / "nowhere.zip", "找不到文件")
    refused(upper, tmp_path, "是文件夹")


def test_truncated_zip(upper: Services, package: Path, tmp_path: Path) -> None:
    bad = tmp_path / "cut.zip"
    bad.write_bytes(package.read_bytes()[: package.stat().st_size // 2])
    refused(upper, bad, "上报包")


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../evil.txt", "“..”"),
        ("pkg/../../evil.txt", "“..”"),
        ("/etc/passwd", "绝对路径"),
        ("pkg\\..\\evil.txt", "反斜杠"),
        ("C:/evil.txt", "盘符"),
        ("pkg/sub/evil.txt", "子文件夹"),
        ("evil.txt", "不在上报包的文件夹中"),
        ("other/evil.txt", "多个文件夹"),
    ],
)
def test_member_outside_the_package_folder(
    upper: Services, package: Path, tmp_path: Path, name: str, why: str
) -> None:
    folder, files = members(package)
    entries = {f"{folder}/{n}": b for n, b in files.items()}
    entries[name] = b"x"
    refused(upper, write_zip(tmp_path / "p.zip", entries), why)


def test_zip_bomb_by_ratio(upper: Services, package: Path, tmp_path: Path) -> None:
    folder, files = members(package)
    entries = {f"{folder}/{n}": b for n, b in files.items()}
    entries[f"{folder}/bomb.bin"] = bytes(20 * 2**20)  # 20 MB of zeros: ratio ~1000:1
    refused(upper, write_zip(tmp_path / "bomb.zip", entries), "压缩比异常")


def test_member_that_lies_about_its_size(upper: Services, package: Path, tmp_path: Path) -> None:
    """The central directory says 10 bytes; the stream inflates to far more."""
    raw = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as z:
        info = next(i for i in z.infolist() if i.filename.endswith("data.json"))
    # patch the uncompressed size in the central directory entry of data.json
    at = _central_entry(raw, info.filename.encode())
    raw[at + 24 : at + 28] = (10).to_bytes(4, "little")
    bad = tmp_path / "liar.zip"
    bad.write_bytes(bytes(raw))
    refused(upper, bad, "data.json")


def _central_entry(raw: bytearray, name: bytes) -> int:
    at = 0
    while True:
        at = raw.find(b"PK\x01\x02", at)
        assert at >= 0
        length = int.from_bytes(raw[at + 28 : at + 30], "little")
        if raw[at + 46 : at + 46 + length] == name:
            return at
        at += 4


# --------------------------------------------------------------------------- contents


def test_checksum_mismatch(upper: Services, package: Path, tmp_path: Path) -> None:
    bad = repack(
        package,
        tmp_path / "t.zip",
        data=lambda d: d["tasks"][0].update(content="篡改的内容"),
        resign=False,
    )
    refused(upper, bad, "校验值不符")


def test_unlisted_extra_file(upper: Services, package: Path, tmp_path: Path) -> None:
    folder, files = members(package)
    entries = {f"{folder}/{n}": b for n, b in files.items()}
    entries[f"{folder}/说明.txt"] = "多出来的文件".encode()
    refused(upper, write_zip(tmp_path / "p.zip", entries), "不在清单文件所列之内")


@pytest.mark.parametrize("gone", ["manifest.json", "data.json", "pdf"])
def test_missing_member(upper: Services, package: Path, tmp_path: Path, gone: str) -> None:
    folder, files = members(package)
    entries = {f"{folder}/{n}": b for n, b in files.items() if not n.endswith(gone)}
    refused(
        upper,
        write_zip(tmp_path / "p.zip", entries),
        "缺少" if gone != "manifest.json" else "没有清单文件",
    )


def test_malformed_json(upper: Services, package: Path, tmp_path: Path) -> None:
    folder, files = members(package)
    files["manifest.json"] = b"{not json"
    entries = {f"{folder}/{n}": b for n, b in files.items()}
    refused(upper, write_zip(tmp_path / "p.zip", entries), "不是有效的 JSON")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["tasks"][0].pop("uid"), "tasks[0].uid 缺失"),
        (lambda d: d["tasks"][0].update(deadline="2027-13-40"), "tasks[0].deadline 应为日期"),
        (lambda d: d["tasks"][1].update(uid=d["tasks"][0]["uid"]), "重复"),
        (lambda d: d["progress"][0].update(percent=150), "应在 0 到 100 之间"),
        (lambda d: d["progress"][0].update(task="no-such-task"), "指向不存在的任务"),
        (lambda d: d["work_list"].update(year="2027"), "work_list.year 应为整数"),
        (lambda d: d.update(tasks={}), "tasks 应为列表"),
        (lambda d: d["exclusions"][0].update(reason=" "), "不适用必须有理由"),
    ],
)
def test_schema_errors_in_data(
    upper: Services, package: Path, tmp_path: Path, change: Any, expected: str
) -> None:
    bad = repack(package, tmp_path / "p.zip", data=change)
    refused(upper, bad, "数据文件", expected)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda m: m.update(format="something-else"), "不是清单台账的上报包"),
        (lambda m: m.update(format_version=3), "比本程序支持的版本（2）新"),
        (lambda m: m.update(format_version="一"), "无法识别"),
        (lambda m: m["locality"].pop("parent"), "locality.parent 缺失"),
        (lambda m: m.update(tasks=9999), "不一致"),
        (lambda m: m.update(list_version=0), "list_version 应在"),
    ],
)
def test_manifest_errors(
    upper: Services, package: Path, tmp_path: Path, change: Any, expected: str
) -> None:
    refused(upper, repack(package, tmp_path / "p.zip", manifest=change), expected)


# --------------------------------------------------------------------------- belonging


def test_notice_the_city_does_not_have(upper: Services, package: Path, tmp_path: Path) -> None:
    def other_notice(d: dict[str, Any]) -> None:
        d["work_list"]["notice"]["doc_number"] = "浙政发〔2099〕1号"

    bad = repack(
        package,
        tmp_path / "p.zip",
        data=other_notice,
        manifest=lambda m: m["notice"].update(doc_number="浙政发〔2099〕1号"),
    )
    refused(upper, bad, "本级没有上报包所依据的上级文件“浙政发〔2099〕1号”")


def test_unknown_measure_code(upper: Services, package: Path, tmp_path: Path) -> None:
    bad = repack(
        package, tmp_path / "p.zip", data=lambda d: d["tasks"][0].update(measures=["九.（九）.99"])
    )
    refused(upper, bad, "没有的条目", "九.（九）.99")


def test_parent_is_not_this_office(tmp_path: Path, package: Path) -> None:
    other = city(tmp_path / "other", "另一市")
    try:
        refused(other, package, "报给“示例市”的", "不是报给本级（另一市）")
    finally:
        other.close()


def test_own_locality_and_level(tmp_path: Path, package: Path) -> None:
    same = office(tmp_path / "same", "示例县", "市级", "示例市")
    peer = office(tmp_path / "peer", "示例市", "县级", "浙江省")
    try:
        refused(same, package, "本级（示例县）自己的上报包")
        refused(peer, package, "只能导入下级的上报包")
    finally:
        same.close()
        peer.close()


def test_expected_localities_list(upper: Services, package: Path) -> None:
    upper.exchange.aggregate.save_localities([LowerLocality("甲县"), LowerLocality("乙县")])
    refused(upper, package, "示例县不在本级的下级地区名单中")
    upper.exchange.aggregate.save_localities([LowerLocality("甲县"), LowerLocality("示例县")])
    assert upper.exchange.import_package(package).outcome == "imported"


def test_empty_expected_list_accepts_any_child(upper: Services, package: Path) -> None:
    assert upper.exchange.aggregate.localities() == []
    assert upper.exchange.import_package(package).outcome == "imported"


def test_city_without_locality(tmp_path: Path, package: Path) -> None:
    from desktop.services.context import open_office

    blank = open_office(tmp_path / "blank")
    try:
        refused(blank, package, "本级还没有设置地区名称")
    finally:
        blank.close()


# --------------------------------------------------------------------------- random damage


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    services = city(tmp_path_factory.mktemp("fuzz") / "city")
    yield services
    services.close()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    where=st.sampled_from(["tasks", "progress", "periods", "exclusions", "work_list", "check"]),
    index=st.integers(0, 10**6),
    value=st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 10**9),
        st.text(max_size=6),
        st.sampled_from(["2027-02-30", "一.（一）.1", "", "2027-Q1", "县级", "x" * 200]),
        st.lists(st.text(max_size=3), max_size=2),
    ),
    delete=st.booleans(),
)
def test_signed_but_damaged_data_is_refused_cleanly_or_imported(
    target: Services,
    package: Path,
    tmp_path_factory: pytest.TempPathFactory,
    where: str,
    index: int,
    value: Any,
    delete: bool,
) -> None:
    """Damage that keeps every checksum valid (a forged package): the import either refuses
    with a PackageError and changes nothing, or stores a sound list — never anything else."""

    def damage(d: dict[str, Any]) -> None:
        part = d[where]
        if isinstance(part, list):
            if not part:
                return
            part = part[index % len(part)]
        keys = sorted(part)
        key = keys[index % len(keys)]
        if delete:
            del part[key]
        else:
            part[key] = value

    bad = repack(package, tmp_path_factory.mktemp("p") / "p.zip", data=damage)
    before = dump(target)
    try:
        target.exchange.import_package(bad)
    except PackageError as err:
        assert str(err).strip()
        assert dump(target) == before
