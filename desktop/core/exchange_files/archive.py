"""The zip container of a package: reading an untrusted one safely, and writing ours.

Reading refuses, before anything is unpacked: a file that is not a zip; a member outside
the package's one folder (``../``, an absolute path, a backslash, a drive letter), in a
subfolder, a link, encrypted, or compressed with an unusual method; duplicate names; too
many members; members whose declared size or compression ratio is that of a zip bomb.
Each member is then read as a stream with a hard cap, so a header that lies about its size
cannot make us inflate more than the cap. The sizes, ratios and streaming are the read
budget every reader shares (``desktop.core.read_budget``); the names are the package's own.

Names without the zip's UTF-8 flag are read as UTF-8 if they are valid UTF-8, else as
GBK: a package re-zipped by an old tool on a Chinese Windows (the Explorer of Windows 7,
old WinRAR or 360压缩) has its Chinese file names in the code page 936, which Python's
zipfile would otherwise turn into nonsense (code page 437) and the manifest check would
refuse as a file not listed. The names are only decoded; the checks of every name and
every file's checksum are the same as for any package.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from desktop.core.read_budget import ReadBudget, check_archive, read_member
from desktop.errors import PackageError

from .names import fold, member_name, split_member


@dataclass(frozen=True)
class Limits:
    """What a sound package stays far below, and what keeps a crafted one under 500 MB of
    memory: a 20,000-task list is an 8.5 MB package whose data.json is 43 MB and 1.4
    million JSON items (173 MB once parsed)."""

    package_bytes: int = 128 * 2**20
    members: int = 16
    member_bytes: int = 96 * 2**20
    total_bytes: int = 160 * 2**20
    # ratios this high are only reached by crafted or degenerate data; small members are
    # let through whatever their ratio, since they cannot hurt
    ratio: int = 200
    ratio_floor: int = 2**20
    json_items: int = 3_000_000

    def budget(self) -> ReadBudget:
        return ReadBudget(
            "",
            kind="上报包",
            error=PackageError,
            hint=_BAD_HINT,
            seconds=60.0,  # a hundred county packages are read one after another
            members=self.members,
            member_bytes=self.member_bytes,
            total_bytes=self.total_bytes,
            ratio=self.ratio,
            ratio_floor=self.ratio_floor,
            elements=self.json_items,
        )


DEFAULT_LIMITS = Limits()

_NOT_ZIP = "这个文件不是有效的上报包：它不是 zip 压缩文件，或者文件已损坏。"
_NOT_ZIP_HINT = "请确认选择的是下级用清单台账导出的上报包（.zip），必要时让对方重新导出。"
_BAD = "上报包中的文件“{name}”{why}，已拒绝导入。"
_BAD_HINT = "这不是清单台账导出的正常上报包，可能已损坏或被改动过。"


def _refuse(name: str, why: str) -> PackageError:
    return PackageError(_BAD.format(name=name, why=why), hint=_BAD_HINT)


def read_members(data: bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[str, dict[str, bytes]]:
    """The package folder's name and its files' bytes (by file name), all checks passed."""
    if len(data) > limits.package_bytes:
        size, limit = len(data) // 2**20, limits.package_bytes // 2**20
        raise PackageError(f"上报包过大（{size} MB），超过允许的 {limit} MB。", hint=_BAD_HINT)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        for info in infos:
            info.filename = member_name(info)
    except Exception as err:
        # zipfile parses bytes from anywhere: whatever it trips over (BadZipFile, a bad
        # UTF-8 name, a struct error in a damaged header) means the file is not a sound zip
        raise PackageError(_NOT_ZIP, hint=_NOT_ZIP_HINT) from err
    budget = limits.budget()
    with archive:
        files = _plan(infos, limits)
        check_archive(archive, budget)
        folder = files[0][0] if files else ""
        out: dict[str, bytes] = {}
        for _, file, info in files:
            out[file] = read_member(archive, info, budget)
    if not out:
        raise PackageError("上报包是空的，里面没有任何文件。", hint=_NOT_ZIP_HINT)
    return folder, out


def _plan(infos: list[zipfile.ZipInfo], limits: Limits) -> list[tuple[str, str, zipfile.ZipInfo]]:
    """Check every member's header; the files to read as (folder, name, info)."""
    if len(infos) > limits.members:
        raise PackageError(
            f"上报包中有 {len(infos)} 个文件，远多于正常上报包，已拒绝导入。", hint=_BAD_HINT
        )
    folders: set[str] = set()
    seen: set[str] = set()
    files = []
    for info in infos:
        name = info.filename
        try:
            folder, file = split_member(name)
        except ValueError as err:
            raise _refuse(name, str(err)) from None
        folders.add(folder)
        if len(folders) > 1:
            raise _refuse(name, "不在上报包的文件夹中（包中有多个文件夹）")
        key = fold(name.rstrip("/"))
        if key in seen:
            raise _refuse(name, "重复出现")
        seen.add(key)
        mode = info.external_attr >> 16
        if info.flag_bits & 0x1:
            raise _refuse(name, "被加密")
        if stat.S_ISLNK(mode):
            raise _refuse(name, "是一个链接")
        if not file:
            continue  # the folder's own entry
        if info.is_dir():
            raise _refuse(name, "是文件夹")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(name, "使用了不支持的压缩方式")
        files.append((folder, file, info))
    return files


def write_members(
    folder: str,
    files: list[tuple[str, bytes]],
    when: tuple[int, ...],
    *,
    stored: Callable[[str], bool] | None = None,
) -> bytes:
    """A zip of ``files`` in ``folder/``, with names in UTF-8; deflated, except the members
    ``stored`` names (packages inside a combined package: already compressed)."""
    out = io.BytesIO()
    stamp = tuple(when[:6])
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files:
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)  # type: ignore[arg-type]
            keep = stored is not None and stored(name)
            info.compress_type = zipfile.ZIP_STORED if keep else zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            if keep:
                archive.writestr(info, body)
            else:
                archive.writestr(info, body, compresslevel=6)
    return out.getvalue()
