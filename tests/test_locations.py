"""Paths as Windows sees them, checked here with PureWindowsPath; and the same helpers on a
real folder whose name has '#', '%', '?' and Chinese in it.

The expected URIs are written out by hand from SQLite's URI rules (https://sqlite.org/uri.html):
an empty authority, the path percent-encoded as UTF-8, and on Windows "/C:/…" for a drive
and "//server/share/…" (four slashes after "file:") for a UNC share.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import unquote, urlsplit

import pytest

from desktop import locations
from desktop.locations import (
    DRIVE_REMOTE,
    is_network_path,
    is_unc,
    mount_type,
    sqlite_uri,
    windows_long_path,
)

W = PureWindowsPath
LONG_PACKAGE = "示例市某某县_2027_浙政发〔2026〕16号_v12.zip"
# a desktop folder of county packages, deep enough to pass Windows' old 260-character limit
DEEP = (
    r"C:\Users\张三\Desktop\2027年各县上报材料（第一季度）\已收到的上报包\按县区整理"
    + r"\某某县发展和改革局报送材料汇总" * 12
)


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        (
            r"C:\清单台账\ledger.sqlite3",
            "file:///C:/%E6%B8%85%E5%8D%95%E5%8F%B0%E8%B4%A6/ledger.sqlite3?mode=ro",
        ),
        (r"D:\数据#1\ledger.sqlite3", "file:///D:/%E6%95%B0%E6%8D%AE%231/ledger.sqlite3?mode=ro"),
        (r"E:\100%41\a b.sqlite3", "file:///E:/100%2541/a%20b.sqlite3?mode=ro"),
        (
            r"\\fileserver\发改局\台账\ledger.sqlite3",
            "file:////fileserver/%E5%8F%91%E6%94%B9%E5%B1%80/%E5%8F%B0%E8%B4%A6/ledger.sqlite3?mode=ro",
        ),
        (r"\\?\C:\x\ledger.sqlite3", "file:///C:/x/ledger.sqlite3?mode=ro"),
        (r"\\?\UNC\server\share\ledger.sqlite3", "file:////server/share/ledger.sqlite3?mode=ro"),
        (r"Z:\ledger.sqlite3", "file:///Z:/ledger.sqlite3?mode=ro"),
    ],
)
def test_sqlite_uri_for_windows_paths(path: str, uri: str) -> None:
    assert sqlite_uri(W(path)) == uri


def test_a_unc_path_never_puts_the_server_in_the_authority() -> None:
    # Path.as_uri() gives file://server/share/…, which SQLite refuses: "invalid uri authority"
    assert W(r"\\server\share\ledger.sqlite3").as_uri().startswith("file://server/")
    parts = urlsplit(sqlite_uri(W(r"\\server\share\ledger.sqlite3")))
    assert parts.netloc == "" and unquote(parts.path) == "//server/share/ledger.sqlite3"


@pytest.mark.parametrize("name", ["a#b", "a?b", "100%", "100%41", "清单 台账", "a&mode=rw"])
def test_every_character_survives_the_round_trip(name: str) -> None:
    path = W("C:\\") / name / "ledger.sqlite3"
    parts = urlsplit(sqlite_uri(path, "rw"))
    assert parts.query == "mode=rw"  # nothing of the name leaked into the query
    assert parts.fragment == ""
    assert unquote(parts.path) == "/" + path.as_posix()


def test_posix_paths() -> None:
    path = PurePosixPath("/media/张三/U盘 #2/100%/ledger.sqlite3")
    uri = sqlite_uri(path, "rwc")
    assert uri == (
        "file:///media/%E5%BC%A0%E4%B8%89/U%E7%9B%98%20%232/100%25/ledger.sqlite3?mode=rwc"
    )
    with pytest.raises(ValueError):
        sqlite_uri(PurePosixPath("relative/ledger.sqlite3"))


def test_long_windows_paths() -> None:
    folder = W(DEEP)
    target = folder / LONG_PACKAGE
    assert len(str(target)) > 260
    long_form = windows_long_path(target)
    assert long_form == "\\\\?\\" + str(target)  # nothing cut, the prefix in front
    assert windows_long_path(W(r"C:\short\a.zip")) == r"C:\short\a.zip"
    unc = W(r"\\server\share") / DEEP[3:] / LONG_PACKAGE
    assert (
        windows_long_path(unc)
        == "\\\\?\\UNC\\server\\share\\" + str(unc)[len("\\\\server\\share\\") :]
    )
    assert windows_long_path(W(long_form)) == long_form  # already long: left alone
    # SQLite takes the long form, after the slash it drops, through its long-path layer
    database = folder / "某某县清单台账数据（请勿删除）" / "ledger.sqlite3"
    parts = urlsplit(sqlite_uri(database))
    assert parts.query == "mode=ro&vfs=win32-longpath"
    assert unquote(parts.path) == "/" + windows_long_path(database)


def test_os_path_only_changes_windows() -> None:
    deep = DEEP + "\\" + LONG_PACKAGE
    assert locations.os_path(deep, platform="win32").startswith("\\\\?\\C:\\Users\\")
    assert (
        locations.os_path("/home/张三/" + "长" * 300, platform="linux")
        == "/home/张三/" + "长" * 300
    )


def test_network_paths_on_windows() -> None:
    drives = {"C:\\": 3, "Z:\\": DRIVE_REMOTE, "E:\\": 2}  # fixed, mapped network drive, USB
    seen: list[str] = []

    def drive_type(root: str) -> int:
        seen.append(root)
        return drives[root]

    assert is_network_path(W(r"\\server\share\office"), drive_type=drive_type)
    assert is_network_path(W(r"\\?\UNC\server\share\office"), drive_type=drive_type)
    assert is_network_path(W(r"Z:\台账\office"), drive_type=drive_type)
    assert not is_network_path(
        W(r"C:\Users\张三\AppData\Local\PolicyLedger"), drive_type=drive_type
    )
    assert not is_network_path(W(r"E:\U盘备份"), drive_type=drive_type)
    assert not is_network_path(W(r"\\?\C:\x"), drive_type=drive_type)
    assert seen == ["Z:\\", "C:\\", "E:\\", "C:\\"]  # a UNC path needs no question
    assert is_unc(W(r"\\server\share\x")) and not is_unc(W(r"C:\x"))


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
server:/export/home /home nfs4 rw,relatime 0 0
//fs/发改局 /mnt/share\\040office cifs rw 0 0
/dev/sdb1 /mnt/share\\040office/usb vfat rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "fs_type", "network"),
    [
        ("/home/张三/PolicyLedger", "nfs4", True),
        ("/mnt/share office/台账", "cifs", True),
        ("/mnt/share office/usb/台账", "vfat", False),  # the deeper mount wins
        ("/mnt/share officer", "ext4", False),  # a name that only starts like the mount
        ("/tmp/x", "tmpfs", False),
        ("/var/lib/x", "ext4", False),
    ],
)
def test_network_mounts_on_linux(path: str, fs_type: str, network: bool) -> None:
    assert mount_type(PurePosixPath(path), MOUNTS) == fs_type
    assert is_network_path(PurePosixPath(path), mounts=MOUNTS) is network


@pytest.mark.posix_only  # a symbolic link needs a privilege on Windows
def test_absolute_does_not_resolve_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "drive").symlink_to(real)  # stands for a mapped drive letter
    monkeypatch.chdir(tmp_path)
    assert locations.absolute("drive/../drive/office") == tmp_path / "drive" / "office"
    assert (tmp_path / "drive" / "office").resolve() == real / "office"


@pytest.mark.parametrize("name", ["清单#台账", "100%41 数据", "问?号", "a&mode=rw"])
def test_a_data_folder_with_any_name_opens_backs_up_and_opens_again(
    tmp_path: Path, name: str
) -> None:
    from desktop.db.backup import ro_uri
    from desktop.services.context import open_office

    root = tmp_path / name / "office"
    services = open_office(root)
    try:
        backup = services.backups.backup_automatic()
    finally:
        services.close()
    assert backup.path.parent == root / "backups"
    services = open_office(root)  # the start-up check reads through the same URI
    services.close()
    # the database is where the name says, not in a folder of a decoded or cut name
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    conn = sqlite3.connect(ro_uri(root / "ledger.sqlite3"), uri=True)
    assert conn.execute("SELECT count(*) FROM notice").fetchone() == (1,)
    conn.close()
