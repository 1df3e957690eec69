"""A city's combined package that must be refused at the province — as a whole, in one line
naming the county or the reason, with the database exactly as it was before."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core import signing
from desktop.core.exchange_files import sha256_hex
from desktop.core.exchange_files.signature import signature_file
from desktop.errors import PackageError
from desktop.services.context import Services, open_office

from .chain_support import YEAR, Chain, ok
from .exchange_support import dump, members, own_list_ready, sign_as_forger, write_zip

Change = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    """湖州市's combined package with 吴兴区 and 南浔区, and a province that took nothing yet."""
    c = Chain(tmp_path_factory.mktemp("refusals"))
    for seed, name in enumerate(("吴兴区", "南浔区"), 1):
        c.county(name, seed)
        c.export_county(name)
    huzhou = c.city("湖州市")
    ok(huzhou, "package", "import", str(c.county_files["吴兴区"]), str(c.county_files["南浔区"]))
    c.export_city("湖州市")
    c.province()
    return c


@pytest.fixture
def province(sent: Chain) -> Iterator[Services]:
    services = sent.services("浙江省")
    yield services
    services.close()


def refused(services: Services, path: Path, *expected: str) -> str:
    before = dump(services)
    backups = set(services.data_dir.backups.iterdir())
    with pytest.raises(PackageError) as err:
        services.exchange.import_packages([path], stop_on_error=True)
    message = str(err.value)
    for text in expected:
        assert text in message, message
    assert "\n" not in err.value.message
    assert dump(services) == before, "a refused package changed the database"
    assert set(services.data_dir.backups.iterdir()) == backups
    return message


def zip_bytes(folder: str, files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in files.items():
            z.writestr(f"{folder}/{name}", body)
    return buffer.getvalue()


def change_part(
    src: Path,
    dest: Path,
    locality: str,
    city_key: signing.KeyPair,
    *,
    data: Change | None = None,
    manifest: Change | None = None,
    inner_checksums: bool = True,
) -> Path:
    """A copy of the combined package with one county's part changed by the city itself:
    the outer manifest's checksum of the part recomputed and signed again with the city's
    key; the part's own checksums only when ``inner_checksums``, and then signed again too,
    by a key that is no office's (a consistent forgery the province has never seen, so the
    checks after the signature are what the test reaches)."""
    folder, files = members(src)
    outer = json.loads(files["manifest.json"])
    entry = next(p for p in outer["parts"] if p["locality"]["name"] == locality)
    inner_folder, inner = members_of(files[entry["name"]])
    inner_manifest = json.loads(inner["manifest.json"])
    if data is not None:
        body = json.loads(inner["data.json"])
        data(body)
        inner["data.json"] = json.dumps(body, ensure_ascii=False).encode()
    if manifest is not None:
        manifest(inner_manifest)
    if inner_checksums:
        for f in inner_manifest["files"]:
            f["size"], f["sha256"] = len(inner[f["name"]]), sha256_hex(inner[f["name"]])
        inner["manifest.json"], inner["manifest.sig"] = sign_as_forger(inner_manifest)
    part = zip_bytes(inner_folder, inner)
    files[entry["name"]] = part
    entry["size"], entry["sha256"] = len(part), sha256_hex(part)
    return write_signed(dest, folder, files, outer, city_key)


def write_signed(
    dest: Path, folder: str, files: dict[str, bytes], outer: dict[str, Any], key: signing.KeyPair
) -> Path:
    """The combined package with its outer manifest ``outer`` signed by ``key``."""
    files["manifest.json"] = json.dumps(outer, ensure_ascii=False).encode()
    files["manifest.sig"] = signature_file(files["manifest.json"], key)
    return write_zip(dest, {f"{folder}/{n}": b for n, b in files.items()})


def members_of(body: bytes) -> tuple[str, dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        folder = z.namelist()[0].split("/")[0]
        return folder, {n.split("/", 1)[1]: z.read(n) for n in z.namelist() if not n.endswith("/")}


def test_a_county_part_failing_its_own_checksum(
    sent: Chain, province: Services, tmp_path: Path
) -> None:
    def tamper(d: dict[str, Any]) -> None:
        d["tasks"][0]["content"] = "改过的任务内容"

    bad = change_part(
        sent.city_files["湖州市"],
        tmp_path / "x.zip",
        "南浔区",
        sent.key("湖州市"),
        data=tamper,
        inner_checksums=False,
    )
    refused(province, bad, "湖州市的上报包中南浔区的清单未通过校验", "data.json", "校验值不符")


def test_a_county_part_changed_outside_the_outer_checksum(
    sent: Chain, province: Services, tmp_path: Path
) -> None:
    folder, files = members(sent.city_files["湖州市"])
    outer = json.loads(files["manifest.json"])
    entry = next(p for p in outer["parts"] if p["locality"]["name"] == "吴兴区")
    files[entry["name"]] = files[entry["name"]][:-10] + b"0123456789"
    bad = write_zip(tmp_path / "x.zip", {f"{folder}/{n}": b for n, b in files.items()})
    refused(province, bad, "湖州市的上报包中吴兴区的清单与汇总清单文件记录的校验值不符")


def test_a_county_part_whose_parent_is_another_city(
    sent: Chain, province: Services, tmp_path: Path
) -> None:
    def parent(d: dict[str, Any]) -> None:
        (d["work_list"] if "work_list" in d else d["locality"])["parent"] = "绍兴市"

    bad = change_part(
        sent.city_files["湖州市"],
        tmp_path / "x.zip",
        "吴兴区",
        sent.key("湖州市"),
        data=parent,
        manifest=parent,
    )
    refused(province, bad, "湖州市的上报包中吴兴区的清单的上级是“绍兴市”，不是湖州市")


def test_a_county_code_outside_its_city(sent: Chain, province: Services, tmp_path: Path) -> None:
    def code(d: dict[str, Any]) -> None:
        if "work_list" in d:
            d["work_list"]["locality_code"] = "330602"
        else:
            d["locality"]["code"] = "330602"

    key = sent.key("湖州市")
    folder, files = members(
        change_part(
            sent.city_files["湖州市"], tmp_path / "y.zip", "吴兴区", key, data=code, manifest=code
        )
    )
    outer = json.loads(files["manifest.json"])
    next(p for p in outer["parts"] if p["locality"]["name"] == "吴兴区")["locality"]["code"] = (
        "330602"
    )
    bad = write_signed(tmp_path / "x.zip", folder, files, outer, key)
    refused(province, bad, "330602 不在湖州市（330500）之内")


def test_a_county_package_brought_straight_to_the_province(sent: Chain, province: Services) -> None:
    refused(province, sent.county_files["吴兴区"], "吴兴区报给“湖州市”的", "不是报给本级（浙江省）")


def test_a_city_of_another_province(sent: Chain, province: Services, tmp_path: Path) -> None:
    data = sent.folder("苏州市")
    ok(data, "office", "set", "--locality", "苏州市", "--level", "市级", "--parent", "浙江省",
       "--code", "320500", "--operator", "钱七")  # fmt: skip
    office = sent.services("苏州市")
    try:
        own_list_ready(office)
    finally:
        office.close()
    out = tmp_path / "usb"
    ok(data, "package", "export", "--year", str(YEAR), "--out", str(out))
    (package,) = out.glob("*.zip")
    refused(province, package, "苏州市的行政区划代码 320500 不在浙江省（330000）之内")
    ok(data, "office", "set", "--locality", "苏州市", "--level", "市级", "--parent", "江苏省")
    ok(data, "package", "export", "--year", str(YEAR), "--out", str(out / "again"))
    (package,) = (out / "again").glob("*.zip")
    refused(province, package, "是苏州市报给“江苏省”的")


def test_a_package_of_the_wrong_level(sent: Chain, tmp_path: Path) -> None:
    """At the city, a package that says it comes from a city."""
    city = sent.services("湖州市")
    try:

        def level(d: dict[str, Any]) -> None:
            where = d["work_list"] if "work_list" in d else d["locality"]
            where["level"] = "市级"
            where[("locality_code" if "work_list" in d else "code")] = ""

        from .exchange_support import repack

        bad = repack(sent.county_files["南浔区"], tmp_path / "x.zip", data=level, manifest=level)
        refused(city, bad, "上报包来自市级的南浔区，本级是市级")
    finally:
        city.close()


def test_an_older_city_package_after_a_newer_one(sent: Chain, tmp_path: Path) -> None:
    province = sent.services("浙江省")
    try:
        first = sent.city_files["湖州市"]
        keep = tmp_path / first.name
        keep.write_bytes(first.read_bytes())
        sent.export_city("湖州市")
        province.exchange.import_packages([sent.city_files["湖州市"]], stop_on_error=True)
        refused(province, keep, "已导入湖州市 2027年 浙政发〔2026〕16号的第 2 个汇总上报包")
        again = province.exchange.import_packages([sent.city_files["湖州市"]], stop_on_error=True)
        assert {r.outcome for r in again.results} == {"unchanged"}
    finally:
        province.close()


def test_a_county_the_province_does_not_expect_under_its_city(sent: Chain, tmp_path: Path) -> None:
    """The province lists 湖州市's counties without 南浔区: the whole package is refused."""
    data = tmp_path / "浙江省"
    ok(data, "office", "set", "--locality", "浙江省", "--level", "省级", "--code", "330000")
    ok(data, "office", "lower", "--builtin")
    province = open_office(data)
    try:
        expected = province.exchange.aggregate.localities()
        province.exchange.aggregate.save_localities([e for e in expected if e.name != "南浔区"])
        refused(
            province,
            sent.city_files["湖州市"],
            "湖州市的上报包中的南浔区不在本级为湖州市列出的下级地区名单中，整个上报包未导入",
        )
    finally:
        province.close()
