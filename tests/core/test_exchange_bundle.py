"""The combined package (format 2): a city's own list and its counties' packages as received,
the outer manifest signed by the city, each part keeping its own signature."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace

import pytest

from desktop.core import signing
from desktop.core.exchange_files import (
    Bundle,
    BundleManifest,
    HumanCopy,
    Package,
    PartEntry,
    build_bundle,
    build_package,
    package_stem,
    part_name,
    read_package,
    read_upward,
    sha256_hex,
)
from desktop.errors import PackageError

from .exchange_samples import sample_data, sample_manifest, sample_package

COUNTY_KEY = signing.generate_key()
CITY_KEY = signing.generate_key()


def package_of(
    name: str, code: str, level: str, parent: str, key: signing.KeyPair | None = None
) -> bytes:
    data = sample_data()
    info = replace(data.work_list, locality=name, locality_code=code, level=level, parent=parent)
    data = replace(data, work_list=info)
    manifest = replace(
        sample_manifest(data), locality=name, locality_code=code, level=level, parent=parent
    )
    stem = package_stem(name, 2027, manifest.notice_doc_number, manifest.list_version)
    copies = [HumanCopy(f"{name}.xlsx", "xlsx", b"PK x"), HumanCopy(f"{name}.pdf", "pdf", b"%PDF")]
    return build_package(manifest, data, copies, stem, key=key)


def city_manifest() -> BundleManifest:
    data = sample_data()
    return BundleManifest(
        format_version=0, program_name="清单台账", program_version="0.1.0",
        database_revision="0004", locality="湖州市", locality_code="330500", level="市级",
        parent="浙江省", reporting_office="", year=2027,
        notice_doc_number=data.work_list.notice_doc_number,
        notice_title=data.work_list.notice_title, exported_at="2027-07-28T09:30:00+08:00",
        operator="王五", reviewer="", contact="", parts=(),
    )  # fmt: skip


def parts() -> list[tuple[PartEntry, bytes]]:
    taken: set[str] = set()
    own = package_of("湖州市", "330500", "市级", "浙江省")
    wuxing = package_of("吴兴区", "330502", "县级", "湖州市")
    nanxun = package_of("南浔区", "330503", "县级", "湖州市")

    def entry(role: str, name: str, code: str, level: str, parent: str) -> PartEntry:
        return PartEntry(part_name(f"{name}_2027", taken), role, name, code, level, parent, 2)

    return [
        (entry("own", "湖州市", "330500", "市级", "浙江省"), own),
        (entry("lower", "吴兴区", "330502", "县级", "湖州市"), wuxing),
        (entry("lower", "南浔区", "330503", "县级", "湖州市"), nanxun),
    ]


def members(raw: bytes) -> tuple[str, dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        folder = z.namelist()[0].split("/")[0]
        return folder, {n.split("/", 1)[1]: z.read(n) for n in z.namelist()}


def rezip(folder: str, files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in files.items():
            z.writestr(f"{folder}/{name}", body)
    return out.getvalue()


def test_parts_travel_byte_for_byte() -> None:
    given = parts()
    raw = build_bundle(city_manifest(), given, "湖州市_2027_含下级")
    found = read_upward(raw)
    assert isinstance(found, Bundle)
    assert found.manifest.format_version == 2 and found.manifest_json["contents"] == "lists"
    assert [p.body for p in found.parts] == [b for _, b in given]
    assert [p.entry.sha256 for p in found.parts] == [sha256_hex(b) for _, b in given]
    assert found.own is not None and found.own.package.manifest.locality == "湖州市"
    assert [p.package.manifest.locality for p in found.lower] == ["吴兴区", "南浔区"]
    with zipfile.ZipFile(io.BytesIO(raw)) as z:  # parts stored, the manifest deflated
        kinds = {i.filename.rsplit("/", 1)[1]: i.compress_type for i in z.infolist()}
    assert kinds["manifest.json"] == zipfile.ZIP_DEFLATED
    assert all(k == zipfile.ZIP_STORED for n, k in kinds.items() if n.endswith(".zip"))
    with pytest.raises(PackageError, match="含多份清单的汇总上报包"):
        read_package(raw)


def test_a_one_list_package_still_reads_and_one_of_format_1_too() -> None:
    raw = sample_package()
    found = read_upward(raw)
    assert isinstance(found, Package) and found.manifest.locality == "示例县"
    _, files = members(raw)
    assert json.loads(files["data.json"])["format_version"] == 2
    data = sample_data()
    old = replace(sample_manifest(data), format_version=1)
    copies = [HumanCopy("示例县.xlsx", "xlsx", b"PK x"), HumanCopy("示例县.pdf", "pdf", b"%PDF")]
    earlier = read_upward(build_package(old, data, copies, "示例县_2027_v1"))
    assert isinstance(earlier, Package) and earlier.manifest.format_version == 1
    assert not earlier.signed


def test_the_city_signs_the_outer_manifest_and_each_part_keeps_its_own_signature() -> None:
    given = parts()
    county = package_of("吴兴区", "330502", "县级", "湖州市", key=COUNTY_KEY)
    signed = [given[0], (given[1][0], county)]
    raw = build_bundle(city_manifest(), signed, "湖州市_含下级", key=CITY_KEY)
    found = read_upward(raw)
    assert isinstance(found, Bundle) and found.manifest.signer is not None
    assert found.manifest.signer.fingerprint == CITY_KEY.fingerprint
    (lower,) = found.lower
    assert lower.body == county  # verbatim: the county's own manifest.sig inside
    assert lower.package.manifest.signer is not None
    assert lower.package.manifest.signer.fingerprint == COUNTY_KEY.fingerprint
    folder, files = members(raw)
    assert "manifest.sig" in files
    # the city's list of parts edited after signing: the city's signature fails
    doc = json.loads(files["manifest.json"])
    doc["absent"] = []
    edited = dict(files, **{"manifest.json": json.dumps(doc, ensure_ascii=False).encode()})
    refused(rezip(folder, edited), "湖州市的上报包签名无效")
    # the signature taken away while the manifest still names its signer
    stripped = {n: b for n, b in files.items() if n != "manifest.sig"}
    refused(rezip(folder, stripped), "湖州市的上报包缺少签名文件（manifest.sig）")
    # a county's part changed inside, even by the city itself (the outer manifest made and
    # signed anew): the county's own checksums and signature still refuse it, naming it
    part = next(n for n in files if n.startswith("吴兴区"))
    inner_folder, inner = members(files[part])
    data = json.loads(inner["data.json"])
    data["work_list"]["explanation"] = "改过"
    inner["data.json"] = json.dumps(data, ensure_ascii=False).encode()
    changed = rezip(inner_folder, inner)
    with pytest.raises(PackageError, match="吴兴区的清单未通过校验"):
        read_upward(build_bundle(city_manifest(), [(given[1][0], changed)], "x", key=CITY_KEY))


def refused(raw: bytes, text: str) -> None:
    with pytest.raises(PackageError) as err:
        read_upward(raw)
    assert text in str(err.value), str(err.value)


def test_a_part_changed_or_missing_or_unlisted() -> None:
    folder, files = members(build_bundle(city_manifest(), parts(), "湖州市_含下级"))
    name = next(n for n in files if n.startswith("南浔区"))
    changed = dict(files, **{name: files[name] + b"x"})
    refused(rezip(folder, changed), "湖州市的上报包中南浔区的清单与汇总清单文件记录的校验值不符")
    missing = {n: b for n, b in files.items() if n != name}
    refused(rezip(folder, missing), "湖州市的上报包中南浔区的清单缺少")
    extra = dict(files, **{"其他.zip": b"PK"})
    refused(rezip(folder, extra), "“其他.zip”不在汇总清单文件所列之内")


def test_parts_must_be_what_they_say_and_below_the_sender() -> None:
    given = parts()
    wrong_parent = package_of("吴兴区", "330502", "县级", "绍兴市")
    bad = [given[0], (given[1][0], wrong_parent)]
    refused(build_bundle(city_manifest(), bad, "x"), "吴兴区的清单的上级是“绍兴市”，不是湖州市")
    other_city = package_of("越城区", "330602", "县级", "湖州市")
    entry = replace(given[1][0], locality="越城区", code="330602")
    refused(
        build_bundle(city_manifest(), [(entry, other_city)], "x"), "330602 不在湖州市（330500）之内"
    )
    same_level = package_of("绍兴市", "330600", "市级", "湖州市")
    entry = replace(given[1][0], locality="绍兴市", code="330600", level="市级")
    refused(build_bundle(city_manifest(), [(entry, same_level)], "x"), "不是湖州市（市级）的下级")
    liar = replace(given[1][0], locality="南浔区", code="330503")
    refused(build_bundle(city_manifest(), [(liar, given[1][1])], "x"), "与汇总清单文件不符")
    own = replace(given[0][0], role="own")
    county_as_own = (replace(own, locality="吴兴区", code="330502", level="县级",
                             parent="湖州市"), given[1][1])  # fmt: skip
    refused(build_bundle(city_manifest(), [county_as_own], "x"), "不是报送单位湖州市自己的")
    twice = [given[1], (replace(given[1][0], name="again.zip"), given[1][1])]
    refused(build_bundle(city_manifest(), twice, "x"), "吴兴区的清单出现了两次")


def test_a_newer_format_and_an_invisible_character() -> None:
    folder, files = members(build_bundle(city_manifest(), parts(), "湖州市_含下级"))
    doc = json.loads(files["manifest.json"])

    def with_manifest(changed: dict[str, object]) -> bytes:
        return rezip(folder, dict(files, **{"manifest.json": json.dumps(changed).encode()}))

    refused(with_manifest(dict(doc, format_version=3)), "比本程序支持的版本（2）新")
    doc["locality"]["name"] = "湖州\u200b市"
    refused(with_manifest(doc), "第 3 个字符是看不见的 U+200B（零宽空格）")
