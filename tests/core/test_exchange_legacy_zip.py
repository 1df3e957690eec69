"""A package re-zipped by an old tool on a Chinese Windows: names in GBK, no UTF-8 flag.

Explorer's "发送到 → 压缩文件夹" on Windows 7, old WinRAR and 360压缩 write file names in the
ANSI code page (936) and leave the zip's UTF-8 flag (bit 11) clear. Such a zip is crafted
here byte by byte: written with ASCII stand-in names of the same length (which zipfile
stores without the flag), whose bytes are then swapped for the GBK bytes of the real names.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from desktop.core.exchange_files import read_package
from desktop.errors import PackageError
from tests.core.exchange_samples import sample_package


def legacy_zip(members: list[tuple[str, bytes]], encoding: str = "gbk") -> bytes:
    """A zip of ``members`` whose names are stored in ``encoding`` without the UTF-8 flag."""
    raw_names = [name.encode(encoding) for name, _ in members]
    stand_ins = [f"{i:03d}".encode().ljust(len(raw), b"~") for i, raw in enumerate(raw_names)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for stand_in, (_, body) in zip(stand_ins, members, strict=True):
            archive.writestr(stand_in.decode("ascii"), body)
    data = out.getvalue()
    for stand_in, raw in zip(stand_ins, raw_names, strict=True):
        assert data.count(stand_in) == 2  # the local header and the central directory
        data = data.replace(stand_in, raw)
    return data


def members_of(package: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return [(i.filename, archive.read(i)) for i in archive.infolist()]


def test_the_crafted_zip_is_what_old_tools_write() -> None:
    data = legacy_zip([("示例县_2027/示例县清单.pdf", b"%PDF")])
    (info,) = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert not info.flag_bits & 0x800
    assert info.filename != "示例县_2027/示例县清单.pdf"  # what zipfile alone makes of it
    assert info.filename.encode("cp437") == "示例县_2027/示例县清单.pdf".encode("gbk")


def test_a_package_rezipped_with_gbk_names_is_read() -> None:
    original = sample_package()
    expected = read_package(original)
    package = read_package(legacy_zip(members_of(original)))
    assert package.folder == expected.folder == "示例县_2027_浙政发〔2026〕16号_v2"
    assert package.manifest == expected.manifest and package.data == expected.data


def test_utf8_names_without_the_flag_are_read_too() -> None:
    original = sample_package()
    package = read_package(legacy_zip(members_of(original), encoding="utf-8"))
    assert package.data == read_package(original).data


def test_a_changed_file_is_still_refused() -> None:
    members = members_of(sample_package())
    changed = []
    for name, body in members:
        if name.endswith("/data.json"):
            data = json.loads(body)
            data["tasks"][0]["content"] = "被改动过的任务内容"
            body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        changed.append((name, body))
    with pytest.raises(PackageError, match="校验值不符"):
        read_package(legacy_zip(changed))


def test_a_file_added_under_a_gbk_name_is_refused() -> None:
    members = members_of(sample_package())
    folder = members[0][0].split("/")[0]
    with pytest.raises(PackageError, match="不在清单文件所列之内"):
        read_package(legacy_zip([*members, (f"{folder}/补充说明.txt", "补充".encode())]))


def test_a_gbk_name_whose_second_byte_is_a_backslash() -> None:
    # 誠 is D5 5C in GBK: its second byte is "\" — part of the character, not a separator
    assert "誠".encode("gbk")[1:] == b"\\"
    members = members_of(sample_package())
    folder = members[0][0].split("/")[0]
    with pytest.raises(PackageError, match=r"“.*誠信承诺.pdf”不在清单文件所列之内"):
        read_package(legacy_zip([*members, (f"{folder}/誠信承诺.pdf", b"%PDF")]))


def test_a_real_backslash_in_a_legacy_name_is_refused() -> None:
    members = members_of(sample_package())
    name, body = members[1]
    crafted = [*members[:1], (name.replace("/", "\\"), body), *members[2:]]
    with pytest.raises(PackageError, match="反斜杠"):
        read_package(legacy_zip(crafted))
