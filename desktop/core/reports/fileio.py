"""Writing report files whole or not at all, and naming them safely for Windows.

Every writer renders into a temporary file beside the target and moves it into place
with ``os.replace`` at the end, so a cancelled export, a crash or a full disk never
leaves a half-written ledger where the user expects a good one. The move is tried again
for a moment when a virus scanner or WPS holds a file (``desktop.core.file_retry``), and
paths beyond Windows' old 260-character limit are given in their long form
(``desktop.locations.os_path``). Environment failures
(no permission, the file open in WPS or a PDF reader, a full disk) become a
:class:`~desktop.errors.UserError` with a Chinese message.
"""

from __future__ import annotations

import errno
import io
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from desktop.core import temp_files
from desktop.core.file_retry import replace_file
from desktop.errors import UserError
from desktop.locations import os_path

OutTarget = str | os.PathLike[str] | BinaryIO

_WINDOWS_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}


def write_error(path: Path, exc: OSError) -> UserError:
    """The message for a file that cannot be written."""
    if isinstance(exc, PermissionError):
        return UserError(
            f"无法写入文件“{path}”：没有写入权限，或该文件正被其他程序（如WPS、PDF阅读器）打开。",
            hint="请关闭该文件或换一个保存位置后重试。",
        )
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return UserError(f"无法写入文件“{path}”：保存位置不存在。", hint="请换一个保存位置后重试。")
    if exc.errno == errno.ENOSPC:
        return UserError(
            f"无法写入文件“{path}”：磁盘空间不足。", hint="请清理磁盘或换一个保存位置。"
        )
    return UserError(f"无法写入文件“{path}”：{exc.strerror or exc}。")


_SQLITE = b"SQLite format 3\x00"
_WAL = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
# beside a database: its log (empty after each checkpoint), shared memory, rollback journal
_COMPANIONS = ("-wal", "-shm", "-journal")


def refuse_database_target(path: Path) -> None:
    """A report never replaces a database, its write-ahead log or the program's lock: a
    ledger saved as ``ledger.sqlite3`` (or over a backup) would destroy the office's data,
    and no save dialog's "replace?" makes that what the user meant."""
    head = _head(path)
    companion = path.name.endswith(_COMPANIONS) and _head(
        path.with_name(path.name.rsplit("-", 1)[0])
    ).startswith(_SQLITE)
    if head.startswith(_SQLITE) or head[:4] in _WAL or companion or path.name == "instance.lock":
        raise UserError(
            f"“{path.name}”是清单台账的数据库或备份（或其附属文件），导出的文件不会覆盖它。",
            hint="请另选一个文件名或保存位置。",
        )


def _head(path: Path) -> bytes:
    try:
        with open(os_path(path), "rb") as existing:
            return existing.read(16)
    except OSError:  # not there (the usual case), or not readable: writing will say so
        return b""


def temp_beside(path: Path) -> Path:
    """A new empty temporary file in the target's folder (same file system).

    Created with ``open(…, "xb")`` rather than ``mkstemp`` so that the finished file gets
    the usual permissions (umask), not mkstemp's owner-only mode. Noted first, so that the
    next start deletes it if this program is killed before it is moved into place
    (``desktop.core.temp_files``); :func:`done_with` drops the note.
    """
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        temp_files.note(tmp)
        try:
            with open(os_path(tmp), "xb"):
                return tmp
        except FileExistsError:
            temp_files.forget(tmp)
            continue
        except OSError:
            temp_files.forget(tmp)
            raise
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


def done_with(tmp: Path, *, delete: bool) -> None:
    """The temporary file has been moved into place (or is to be deleted): drop its note."""
    if delete:
        Path(os_path(tmp)).unlink(missing_ok=True)
    temp_files.forget(tmp)


@contextmanager
def atomic_output(out: OutTarget) -> Iterator[BinaryIO]:
    """A binary stream that becomes ``out`` only if the block finishes without error."""
    if not isinstance(out, str | os.PathLike):
        buffer = io.BytesIO()
        yield buffer
        out.write(buffer.getvalue())
        return
    path = Path(out)
    refuse_database_target(path)
    try:
        tmp = temp_beside(path)
    except OSError as exc:
        raise write_error(path, exc) from exc
    try:
        with open(os_path(tmp), "wb") as stream:
            yield stream
        replace_file(tmp, path)
        done_with(tmp, delete=False)
    except OSError as exc:
        done_with(tmp, delete=True)
        raise write_error(path, exc) from exc
    except BaseException:
        done_with(tmp, delete=True)
        raise


def safe_filename(name: str, *, default: str = "台账", limit: int = 80) -> str:
    """``name`` made legal as a file name on Windows (and everywhere else)."""
    # a leading dot would hide the file on Linux (and in some file managers elsewhere)
    name = _WINDOWS_BAD.sub("_", name).strip().strip(". ")
    name = name[:limit].rstrip(". ")
    if not name:
        return default
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    return name


def unique_names(names: list[str]) -> list[str]:
    """Distinct names, case-insensitively (Windows), by appending （2）, （3）…"""
    seen: set[str] = set()
    result = []
    for name in names:
        candidate, n = name, 1
        while candidate.lower() in seen:
            n += 1
            candidate = f"{name}（{n}）"
        seen.add(candidate.lower())
        result.append(candidate)
    return result
