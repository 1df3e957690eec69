"""The write-ahead log (``ledger.sqlite3-wal``): keeping it short, and noticing when it is damaged.

With WAL, a committed change first lives only in the ``-wal`` file; it reaches the database
file at the next checkpoint. SQLite replays the log at the next open only as far as its
frames carry the log's salts and a valid cumulative checksum, and only up to the last
complete commit: a frame damaged on the disk (a bit flipped, the file cut short) silently
drops every change after it. SQLite's behaviour — so the program keeps that window short
and notices when it was hit:

- **Short**: after each user action's transaction, once the connection is back in the pool
  (idle), ``PRAGMA wal_checkpoint(TRUNCATE)`` moves the log into the database file and
  empties it — on a thread of its own (``Checkpointer``), so the action is done for the user
  once its commit is on the disk, not once its pages have been copied a second time; with a
  zero busy timeout, so a checkpoint that would wait for a reader (a background job) does
  what it can and the next action's one does the rest. SQLite's own automatic checkpoint,
  which would do the same work inside the commit, is off. At exit the last connection's
  close checkpoints and deletes the log (and ``Services.close`` asks first, once the
  thread's checkpoint is done).
- **Noticed**: before anything opens the database at start, :func:`inspect_wal` reads the
  log itself (header, salts, cumulative checksums, frame by frame, as SQLite's
  documentation describes the format) and compares what SQLite will replay with what the
  file holds. Frames of the current log (same salts) past the first bad checksum that
  include a commit, a log whose header fails its checksum, or a frame cut off at the end
  mean changes that were committed, or being committed, are about to be dropped: the start
  says so, keeps the log aside, and offers the newest backup.

What remains possible (and is said in docs/ARCHITECTURE.md): a damaged log written after
the last backup loses those changes for good (the copy kept aside is evidence, not a
repair); damage in the database file itself is the start-up integrity check's to find.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

HEADER = 32
FRAME_HEADER = 24
_MAGIC = (0x377F0682, 0x377F0683)  # checksums little- / big-endian


@dataclass(frozen=True)
class WalState:
    """What the ``-wal`` file holds and how much of it SQLite will replay."""

    size: int
    page_size: int
    frames: int  # whole frames in the file
    valid: int  # frames of the unbroken chain from the start (salts and checksums right)
    replayed: int  # frames SQLite takes: the chain up to its last commit frame
    commits: int  # commits among the replayed frames
    lost_commits: int  # commit frames of this log past the break
    lost_frames: int  # frames of this log past the break
    torn: bool  # the file ends inside a frame of this log
    header_ok: bool

    def problem(self) -> str | None:
        """Why committed work may be lost, in Chinese; None when SQLite replays it all."""
        if not self.header_ok:  # SQLite takes none of it: only frames can hold changes
            if not self.frames:
                return None
            return f"数据库日志文件（-wal）的文件头已损坏，其中 {self.frames} 帧修改无法采用"
        if self.lost_commits:
            return (
                f"数据库日志文件（-wal）中第 {self.valid + 1} 帧起校验失败，其后 "
                f"{self.lost_frames} 帧（含 {self.lost_commits} 次已保存的修改）无法采用"
            )
        if self.torn:
            return "数据库日志文件（-wal）末尾不完整，最后一次保存的修改可能没有写完"
        return None


def wal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + "-wal")


def inspect_wal(db_path: Path) -> WalState | None:
    """The state of ``db_path``'s log, None when there is none (or it is empty). Read only."""
    path = wal_path(db_path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if not data:
        return None
    return read_wal(data)


def read_wal(data: bytes) -> WalState:
    """Walk the frames of a WAL file's bytes as SQLite's recovery does."""
    size = len(data)
    if size < HEADER:
        return WalState(size, 0, 0, 0, 0, 0, 0, 0, torn=False, header_ok=False)
    magic, version, page_size, _seq, salt1, salt2, c1, c2 = struct.unpack(">8I", data[:HEADER])
    big = magic == _MAGIC[1]
    frame = FRAME_HEADER + page_size
    sane = (
        magic in _MAGIC
        and version == 3007000
        and 512 <= page_size <= 65536
        and page_size & (page_size - 1) == 0
    )
    frames = (size - HEADER) // frame if sane else 0
    if not sane or _checksum(data[:24], (0, 0), big) != (c1, c2):
        whole = (size - HEADER) // (FRAME_HEADER + 4096)
        return WalState(size, page_size, max(frames, whole), 0, 0, 0, 0, 0, False, False)
    sums = (c1, c2)
    valid = replayed = commits = 0
    lost_frames = lost_commits = 0
    broken = False
    for i in range(frames):
        at = HEADER + i * frame
        pgno, commit, f_salt1, f_salt2, f_c1, f_c2 = struct.unpack(
            ">6I", data[at : at + FRAME_HEADER]
        )
        ours = (f_salt1, f_salt2) == (salt1, salt2)
        if not broken:
            if ours and pgno:
                sums = _checksum(data[at : at + 8], sums, big)
                sums = _checksum(data[at + FRAME_HEADER : at + frame], sums, big)
                if sums == (f_c1, f_c2):
                    valid += 1
                    if commit:
                        replayed, commits = valid, commits + 1
                    continue
            broken = True
        if ours:  # a frame of this log that SQLite will not take
            lost_frames += 1
            lost_commits += 1 if commit else 0
    return WalState(
        size,
        page_size,
        frames,
        valid,
        replayed,
        commits,
        lost_commits,
        lost_frames,
        _torn(data[HEADER + frames * frame :], (salt1, salt2)),
        header_ok=True,
    )


def _torn(tail: bytes, salts: tuple[int, int]) -> bool:
    """Whether the bytes after the last whole frame start a frame of this log (a frame
    header too short to show its salts counts: SQLite writes it in one piece)."""
    if not tail:
        return False
    if len(tail) < 16:
        return True
    return struct.unpack(">2I", tail[8:16]) == salts


def _checksum(data: bytes, start: tuple[int, int], big: bool) -> tuple[int, int]:
    """SQLite's WAL checksum: two 32-bit sums over pairs of words, carried frame to frame."""
    words = struct.unpack(f"{'>' if big else '<'}{len(data) // 4}I", data)
    s0, s1 = start
    it = iter(words)
    for x0, x1 in zip(it, it, strict=True):
        s0 = (s0 + x0 + s1) & 0xFFFFFFFF
        s1 = (s1 + x1 + s0) & 0xFFFFFFFF
    return s0, s1


# ------------------------------------------------------------------ keeping it short


def checkpoint(dbapi_conn: Any, busy_timeout_ms: int) -> bool:
    """Move the log into the database file and empty it, without waiting for a reader
    (the connection's busy timeout is put back to ``busy_timeout_ms``); True when it was
    done whole."""
    try:
        dbapi_conn.execute("PRAGMA busy_timeout=0")
        try:
            row = dbapi_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            dbapi_conn.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    except sqlite3.Error as err:  # locked by another connection, or read-only: later
        log.debug("检查点未完成：%s", err)
        return False
    return bool(row) and row[0] == 0


def keep_aside(db_path: Path, target: Path) -> Path | None:
    """Copy the damaged log to ``target`` before SQLite drops what it cannot replay."""
    import shutil

    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(wal_path(db_path), target)
        return target
    return None


class Checkpointer:
    """Checkpoints the log of the database ``db_path`` on a thread of its own, after an
    action that wrote (``request``), on a connection of its own opened for the purpose. One
    thread at a time: a request made while it works makes it go round once more, and the
    thread ends when there is nothing left to do. ``wait`` returns once it has.

    The pages are copied into the database file by a passive checkpoint, which never stands
    in a writer's way. The log is then emptied (``checkpoint``) only while no connection of
    the program is in use (``in_use``: how many are), and none is handed out meanwhile
    (``entering``, when one is): emptying it holds the write lock, and a transaction that
    began by reading and then writes would be refused it at once, not made to wait."""

    def __init__(self, db_path: Path, in_use: Callable[[], int]) -> None:
        self._path = db_path
        self._in_use = in_use
        self._lock = threading.Lock()
        self._gate = threading.Lock()
        self._again = False
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        with self._lock:
            self._again = True
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="wal-checkpoint", daemon=True
                )
                self._thread.start()

    def entering(self) -> None:
        """A connection is about to be used: after the log is emptied, if it is being."""
        with self._gate:
            pass

    def wait(self) -> None:
        """Until no checkpoint is running or asked for."""
        while True:
            with self._lock:
                thread = self._thread
            if thread is None:
                return
            thread.join()
            with self._lock:
                if self._thread is thread:  # ended without saying so: nothing runs
                    self._thread = None
                    return

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._again:
                    self._thread = None
                    return
                self._again = False
            try:
                self._checkpoint()
            except sqlite3.Error as err:  # the next action's checkpoint, or the exit's
                log.debug("检查点未完成：%s", err)
            except Exception:  # a bug: logged, and the thread goes on to the next request
                log.exception("检查点线程出错")

    def _checkpoint(self) -> None:
        from desktop.locations import sqlite_uri

        # rw: a database file gone meanwhile (moved, restored) is not made anew
        conn = sqlite3.connect(sqlite_uri(self._path, "rw"), uri=True, timeout=0)
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            # the connection that asked is handed back to the pool just after asking; one
            # still in use after that is another action's, which asks again when done
            for _ in range(_TRIES):
                with self._gate:
                    if not self._in_use():
                        checkpoint(conn, 0)
                        return
                time.sleep(_PAUSE)
        finally:
            conn.close()


_TRIES, _PAUSE = 20, 0.005  # seconds
