"""Names inside and of a package: safe member paths, and a file name a person recognises."""

from __future__ import annotations

import re
import unicodedata
import zipfile

from desktop.core.reports.fileio import safe_filename

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WINDOWS_BAD = re.compile(r'[<>:"|?*]')


def check_file_name(name: str) -> str | None:
    """None when ``name`` is a plain file name safe on every system, else why not (Chinese)."""
    if not name or name in (".", ".."):
        return "不是有效的文件名"
    if "\\" in name:
        return "含有反斜杠（\\），可能指向包外的位置"
    if "/" in name:
        return "不能含有子文件夹"
    if _DRIVE.match(name):
        return "含有盘符，可能指向包外的位置"
    if _CONTROL.search(name) or _WINDOWS_BAD.search(name):
        return "含有文件名中不允许的字符"
    if name != name.strip() or name.endswith("."):
        return "首尾有空格或以句点结尾"
    return None


def split_member(name: str) -> tuple[str, str]:
    """``folder/file`` of a member, or ``PackageError``-worthy problems as ``ValueError``.

    Every member of a package lives directly in one folder. Anything that could land outside
    that folder when unpacked by a careless tool — ``../``, an absolute path, a backslash, a
    drive letter — is refused rather than "cleaned", because a sound package never has it.
    """
    if "\\" in name:
        raise ValueError("路径中含有反斜杠（\\）")
    if name.startswith("/"):
        raise ValueError("是绝对路径")
    if _DRIVE.match(name):
        raise ValueError("路径中含有盘符")
    if _CONTROL.search(name):
        raise ValueError("路径中含有控制字符")
    parts = name.split("/")
    if any(p in ("..", ".") for p in parts):
        raise ValueError("路径中含有“..”或“.”，指向包外的位置")
    if len(parts) == 2 and parts[1] == "":
        folder, file = parts[0], ""
    elif len(parts) == 2:
        folder, file = parts
    else:
        raise ValueError("不在上报包的文件夹中" if len(parts) == 1 else "位于子文件夹中")
    problem = check_file_name(folder)
    if problem:
        raise ValueError(f"文件夹名{problem}")
    if file:
        problem = check_file_name(file)
        if problem:
            raise ValueError(f"文件名{problem}")
    return folder, file


_UTF8_FLAG = 0x800


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its writer meant it (see ``archive``: names without the UTF-8
    flag are UTF-8 when they decode as such, else GBK; anything else stays as read)."""
    name = info.filename
    if info.flag_bits & _UTF8_FLAG or name.isascii():
        return name
    try:
        raw = info.orig_filename.encode("cp437")
    except UnicodeEncodeError:  # not what zipfile read as code page 437
        return name
    # decoded from the raw bytes: a GBK character's second byte may be 0x5C, which
    # zipfile on Windows would have turned from "\\" into "/" in ``filename``
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def fold(name: str) -> str:
    """The key two names collide under on Windows and macOS (case and Unicode form)."""
    return unicodedata.normalize("NFC", name).casefold()


def package_stem(locality: str, year: int, doc_number: str, version: int) -> str:
    """``示例县_2027_浙政发〔2026〕16号_v3``: the package's folder and file name."""
    return safe_filename(f"{locality}_{year}_{doc_number}_v{version}", default="上报包", limit=120)
