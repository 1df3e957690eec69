"""The zip container: members outside the folder, links, encryption, bombs, lying headers."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from desktop.core.exchange_files.archive import Limits, read_members, write_members
from desktop.core.exchange_files.names import check_file_name, split_member
from desktop.errors import PackageError


def zip_of(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, body in entries:
            z.writestr(info, body)
    return out.getvalue()


def test_write_then_read() -> None:
    raw = write_members(
        "包", [("manifest.json", b"{}"), ("说明.pdf", b"%PDF")], (2027, 7, 1, 9, 0, 0)
    )
    folder, files = read_members(raw)
    assert folder == "包" and files == {"manifest.json": b"{}", "说明.pdf": b"%PDF"}
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        info = z.getinfo("包/说明.pdf")
        assert info.flag_bits & 0x800  # names in UTF-8
        assert info.date_time == (2027, 7, 1, 9, 0, 0)


def test_folder_entry_is_allowed() -> None:
    folder, files = read_members(zip_of([("p/", b""), ("p/a.json", b"1")]))
    assert folder == "p" and files == {"a.json": b"1"}


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("p/../../x", "“..”"),
        ("/p/x", "绝对路径"),
        ("p\\x", "反斜杠"),
        ("C:/p/x", "盘符"),
        ("c:x", "盘符"),
        ("p/./x", "“..”"),
        ("p//x", "子文件夹"),
        ("x", "不在上报包的文件夹中"),
        ("p/q/x", "子文件夹"),
        ("p/a\x01b", "控制字符"),
        ("p/con?.txt", "不允许的字符"),
    ],
)
def test_unsafe_member_names(name: str, why: str) -> None:
    with pytest.raises(PackageError, match=why):
        read_members(zip_of([("p/a.json", b"1"), (zipfile.ZipInfo(name), b"x")]))


def test_two_folders_and_duplicates() -> None:
    with pytest.raises(PackageError, match="多个文件夹"):
        read_members(zip_of([("p/a", b"1"), ("q/b", b"2")]))
    with pytest.raises(PackageError, match="重复出现"):
        read_members(zip_of([("p/a.json", b"1"), ("p/A.JSON", b"2")]))


def test_links_and_encryption() -> None:
    link = zipfile.ZipInfo("p/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with pytest.raises(PackageError, match="链接"):
        read_members(zip_of([(link, b"/etc/passwd")]))
    raw = bytearray(zip_of([("p/a.json", b"secret")]))
    # set the "encrypted" flag in the central directory entry
    at = raw.find(b"PK\x01\x02")
    raw[at + 8] |= 0x1
    with pytest.raises(PackageError, match="加密"):
        read_members(bytes(raw))


def test_unusual_compression_is_refused() -> None:
    info = zipfile.ZipInfo("p/a.json")
    info.compress_type = zipfile.ZIP_BZIP2
    with pytest.raises(PackageError, match="压缩方式"):
        read_members(zip_of([(info, b"x" * 100)]))


def test_zip_bomb_by_declared_size_and_ratio() -> None:
    raw = zip_of([("p/zeros", bytes(3 * 2**20))])
    with pytest.raises(PackageError, match="压缩比异常"):
        read_members(raw, Limits(ratio=100))
    with pytest.raises(PackageError, match="zeros 解压后超过 1 MB"):
        read_members(raw, Limits(member_bytes=2**20))
    # a small member may compress well: no refusal below the floor
    assert read_members(zip_of([("p/zeros", bytes(1000))]))[1]["zeros"] == bytes(1000)


def test_header_that_understates_the_size_is_caught_while_streaming() -> None:
    raw = bytearray(zip_of([("p/a.json", b"A" * 50_000)]))
    at = raw.find(b"PK\x01\x02")
    raw[at + 24 : at + 28] = (100).to_bytes(4, "little")  # uncompressed size in the directory
    with pytest.raises(PackageError, match=r"a\.json"):
        read_members(bytes(raw))


def test_not_a_zip_and_empty() -> None:
    for junk in (b"", b"PK\x03\x04junk", b"%PDF-1.4", bytes(range(256)) * 10):
        with pytest.raises(PackageError, match="不是 zip 压缩文件"):
            read_members(junk)
    with pytest.raises(PackageError, match="空的"):
        read_members(zip_of([("p/", b"")]))


def test_name_rules() -> None:
    assert split_member("包/manifest.json") == ("包", "manifest.json")
    assert split_member("包/") == ("包", "")
    assert check_file_name("示例县清单.xlsx") is None
    assert check_file_name("a/b") and check_file_name("..") and check_file_name("x.")
