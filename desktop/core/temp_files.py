"""Temporary files a killed program would leave behind, and sweeping them up at the next start.

A report is written to a hidden temporary file beside its target and moved into place at
the end (``desktop.core.reports.fileio``), so nobody ever opens half a ledger. A program
killed in the middle (Task Manager, a power cut) cannot delete that file, and nothing else
would: the folder is the user's, anywhere. So each such file is noted, before it is written,
in the per-user cache folder (one small note per file, naming it), the note is dropped when
the file has been moved or deleted, and the next start deletes what a note still names — only
a file with our temporary name pattern, untouched for an hour (another copy of the program
may be writing it right now). The preview and self-test folders in the system's temporary
folder are swept the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from desktop.locations import os_path
from desktop.paths import cache_dir

log = logging.getLogger(__name__)

STALE_AFTER_S = 3600
NOTES = "unfinished"
# what temp_beside() creates: .台账.pdf.1a2b3c4d.tmp
OUR_TEMP = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp$")
TEMP_FOLDERS = ("policy-ledger-preview-", "policy-ledger-selftest-", "policy-ledger-schema-")


def _note_for(tmp: Path) -> Path:
    key = hashlib.sha256(str(tmp).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return cache_dir() / NOTES / f"{key}.txt"


def note(tmp: Path) -> None:
    """Remember ``tmp`` until :func:`forget`; a cache folder that cannot be written only
    means this one file would not be swept."""
    path = _note_for(tmp)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(str(tmp), encoding="utf-8")
    except OSError as err:
        log.info("临时文件记录无法写入：%s", err)


def forget(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        _note_for(tmp).unlink(missing_ok=True)


def sweep(*, now: float | None = None) -> list[Path]:
    """Delete the temporary files and folders a killed program left; returns them."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    folder = cache_dir() / NOTES
    try:
        notes = list(folder.glob("*.txt"))
    except OSError:
        notes = []
    for marker in notes:
        try:
            tmp = Path(marker.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            with contextlib.suppress(OSError):
                marker.unlink()
            continue
        state = _stale(tmp, now)
        if state is None:
            continue  # being written by a running program: kept, note and all
        if state:
            try:
                Path(os_path(tmp)).unlink()
                removed.append(tmp)
            except OSError as err:
                log.info("遗留的临时文件无法删除：%s（%s）", tmp, err)
                continue
        with contextlib.suppress(OSError):
            marker.unlink()
    removed.extend(_sweep_temp_folders_daily(now))
    if removed:
        log.info("已删除上次中断时遗留的临时文件 %d 个", len(removed))
    return removed


def _stale(tmp: Path, now: float) -> bool | None:
    """True: ours and old, delete it; False: gone already or not ours, just drop the note;
    None: fresh, leave it."""
    if not OUR_TEMP.match(tmp.name):
        return False
    try:
        mtime = Path(os_path(tmp)).stat().st_mtime
    except OSError:
        return False
    return True if now - mtime > STALE_AFTER_S else None


def _sweep_temp_folders_daily(now: float) -> list[Path]:
    """The system's temporary folder is looked through at most once a day: on an office PC
    it may hold tens of thousands of files, and a start should not list them every time."""
    stamp = cache_dir() / NOTES / "swept"
    try:
        if now - stamp.stat().st_mtime < 86400:
            return []
    except OSError:
        pass  # never swept (or no cache folder): sweep now
    removed = _sweep_temp_folders(now)
    with contextlib.suppress(OSError):
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_bytes(b"")
        os.utime(stamp, (now, now))
    return removed


def _sweep_temp_folders(now: float) -> list[Path]:
    removed = []
    try:
        entries = list(Path(tempfile.gettempdir()).iterdir())
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(TEMP_FOLDERS):
            continue
        try:
            if not entry.is_dir() or entry.is_symlink() or now - entry.stat().st_mtime <= 86400:
                continue
            if _foreign(entry):
                continue
            shutil.rmtree(entry)
            removed.append(entry)
        except OSError:
            continue
    return removed


def _foreign(entry: Path) -> bool:
    """Another account's folder (a shared /tmp) is not ours to delete."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return False  # Windows: the temporary folder is per user already
    return bool(entry.stat().st_uid != getuid())
