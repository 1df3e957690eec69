"""Where a path points, as Windows and Linux see it: SQLite URIs, long paths, network drives.

Pure functions over ``PurePath`` where they can be, so the Windows cases (a UNC share, a
mapped drive, ``#`` or ``%`` in a folder name, Chinese, paths over 260 characters) are
tested on any machine with ``PureWindowsPath``; what needs the running system (the type of
a drive, the mount table) is passed in, and read from the system only by default.

- ``absolute()`` never resolves links: on Windows ``Path.resolve()`` turns a mapped drive
  ``Z:\\`` into its UNC path ``\\\\server\\share``, which then reaches places that only
  took drive letters.
- ``sqlite_uri()`` writes a ``file:`` URI SQLite accepts for every absolute path. Python's
  ``Path.as_uri()`` puts a UNC server into the URI's authority (``file://server/share``),
  which SQLite refuses ("invalid uri authority"); an f-string ``file:{path}`` breaks on
  ``#``, ``?`` and ``%``.
- ``os_path()`` gives Python's file functions a ``\\\\?\\`` path when a Windows path is too
  long for the old 260-character limit (the default on Windows 10 and 11 unless long paths
  are switched on by policy).
- ``is_network_path()`` tells a network drive, where SQLite's write-ahead log is not safe.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from urllib.parse import quote

# Windows' MAX_PATH counts the terminating NUL: a path of 260 characters is already too long
WINDOWS_MAX_PATH = 259
_EXTENDED = "\\\\?\\"
_EXTENDED_UNC = "\\\\?\\UNC\\"
# GetDriveTypeW's DRIVE_REMOTE
DRIVE_REMOTE = 4
# file system types of network mounts in /proc/self/mounts
NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "ceph",
        "glusterfs",
        "lustre",
        "9p",
        "davfs",
        "fuse.davfs2",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.glusterfs",
    }
)


def absolute(path: str | os.PathLike[str]) -> Path:
    """``path`` made absolute (``~`` expanded, ``..`` removed) without resolving links or
    mapped drives."""
    return Path(os.path.abspath(os.path.expanduser(os.fspath(path))))


def _windows_plain(path: PureWindowsPath) -> PureWindowsPath:
    """``path`` without the ``\\\\?\\`` prefix: ``C:\\…`` or ``\\\\server\\share\\…``."""
    text = str(path)
    if text.startswith(_EXTENDED_UNC):
        return PureWindowsPath("\\\\" + text[len(_EXTENDED_UNC) :])
    if text.startswith(_EXTENDED):
        return PureWindowsPath(text[len(_EXTENDED) :])
    return path


def is_unc(path: PurePath) -> bool:
    """True for a Windows path on a share named by server (``\\\\server\\share\\…``)."""
    if not isinstance(path, PureWindowsPath):
        return False
    plain = _windows_plain(path)
    return plain.drive.startswith("\\\\")


def sqlite_uri(path: PurePath, mode: str = "ro") -> str:
    """A ``file:`` URI for the absolute ``path`` with ``?mode=…`` (``ro``, ``rw``, ``rwc``).

    Every character but letters, digits, ``/``, ``:`` and ``-._~`` is percent-encoded
    (UTF-8), so ``#``, ``?``, ``%``, spaces and Chinese survive. A UNC path keeps its two
    leading slashes inside the path (``file:////server/share/…``), the form SQLite passes on
    to Windows as ``\\\\server\\share\\…``. A Windows path longer than the old limit goes
    in its ``\\\\?\\`` form through SQLite's ``win32-longpath`` file layer.
    """
    if not path.is_absolute():
        raise ValueError(f"not an absolute path: {path}")
    query = f"mode={mode}"
    if isinstance(path, PureWindowsPath):
        plain = _windows_plain(path)
        if _utf16_length(str(plain)) > WINDOWS_MAX_PATH:
            # the \\?\ form, backslashes and all (it takes no forward slashes), after the
            # slash SQLite drops; the long-path file layer allows its length
            text = "/" + windows_long_path(plain)
            query += "&vfs=win32-longpath"
        else:
            text = plain.as_posix()  # C:/x/y or //server/share/x
            if not text.startswith("/"):
                text = "/" + text  # /C:/x/y: SQLite drops the slash before a drive letter
    else:
        text = path.as_posix()
    return "file://" + quote(text, safe="/:") + "?" + query


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2  # Windows counts UTF-16 units


def windows_long_path(path: PureWindowsPath) -> str:
    """The path Windows' file functions take for ``path`` whatever its length: unchanged up
    to the old limit, with the ``\\\\?\\`` (or ``\\\\?\\UNC\\``) prefix beyond it."""
    text = str(path)
    if _utf16_length(text) <= WINDOWS_MAX_PATH or text.startswith(_EXTENDED):
        return text
    if not path.is_absolute():
        return text
    if text.startswith("\\\\"):
        return _EXTENDED_UNC + text[2:]
    return _EXTENDED + text


def os_path(path: str | os.PathLike[str], *, platform: str = sys.platform) -> str:
    """``path`` as this system's file functions should be given it (see ``windows_long_path``)."""
    text = os.fspath(path)
    if platform != "win32":
        return text
    return windows_long_path(PureWindowsPath(text))


# ------------------------------------------------------------------ network drives


def _windows_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def _read_mounts() -> str:
    try:
        return Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _unescape_mount(field: str) -> str:
    """/proc/self/mounts writes a space as ``\\040`` (and tab, newline, backslash so too)."""
    out, i = [], 0
    while i < len(field):
        digits = field[i + 1 : i + 4]
        if field[i] == "\\" and len(digits) == 3 and digits.isdigit():
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mount_type(path: PurePosixPath, mounts: str) -> str | None:
    """The file system type of the mount holding the absolute ``path`` (``mounts`` in the
    format of /proc/self/mounts), None when no mount point covers it."""
    best: tuple[int, str] | None = None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = PurePosixPath(_unescape_mount(fields[1]))
        if (path == point or point in path.parents) and (
            best is None or len(point.parts) >= best[0]
        ):
            best = (len(point.parts), fields[2])
    return best[1] if best else None


def is_network_path(
    path: PurePath,
    *,
    drive_type: Callable[[str], int] | None = None,
    mounts: str | None = None,
) -> bool:
    """True when the absolute ``path`` lies on a network share or network drive.

    Windows: a UNC path, or a drive letter whose type is ``DRIVE_REMOTE`` (a mapped drive).
    Linux: a mount of a network file system type (NFS, SMB/CIFS, sshfs …).
    """
    if isinstance(path, PureWindowsPath):
        if is_unc(path):
            return True
        drive = _windows_plain(path).drive
        if not drive:
            return False
        get_type = drive_type if drive_type is not None else _windows_drive_type
        try:
            return get_type(drive + "\\") == DRIVE_REMOTE
        except OSError:
            return False
    fs_type = mount_type(
        PurePosixPath(path.as_posix()), mounts if mounts is not None else _read_mounts()
    )
    return fs_type is not None and fs_type in NETWORK_FILE_SYSTEMS


def on_network_drive(path: str | os.PathLike[str]) -> bool:
    """``is_network_path`` for a path of the running system."""
    full = absolute(path)
    pure: PurePath = PureWindowsPath(full) if sys.platform == "win32" else PurePosixPath(full)
    if sys.platform not in ("win32", "linux"):
        return False
    return is_network_path(pure)
