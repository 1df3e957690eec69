"""Reading the write-ahead log as SQLite's recovery does, checked against SQLite itself."""

from __future__ import annotations

import shutil
import sqlite3
import struct
import sys
from pathlib import Path

import pytest

from desktop.db.wal import Checkpointer, inspect_wal, read_wal, wal_path

# SQLite's write-ahead log format: a 32-byte file header, a 24-byte header per frame
HEADER = 32
FRAME_HEADER = 24


def _crash_copy(tmp_path: Path, *, transactions: int = 2, uncommitted: bool = False) -> Path:
    """A database whose last ``transactions`` commits live only in its log, as a program
    killed before any checkpoint leaves it (the files copied while the writer is open)."""
    live = tmp_path / "live.sqlite3"
    conn = sqlite3.connect(live, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the table is in the database file
    for n in range(transactions):
        conn.execute("INSERT INTO t (text) VALUES (?)", (f"修改 {n + 1}" * 200,))
    if uncommitted:  # a transaction being written when the program died
        conn.execute("PRAGMA cache_size=2")
        conn.execute("BEGIN")
        for _ in range(200):
            conn.execute("INSERT INTO t (text) VALUES (?)", ("未提交" * 300,))
    crashed = tmp_path / "crashed" / "ledger.sqlite3"
    crashed.parent.mkdir()
    shutil.copy(live, crashed)
    shutil.copy(wal_path(live), wal_path(crashed))
    if uncommitted:
        conn.execute("ROLLBACK")
    conn.close()
    return crashed


def _sqlite_replays(db: Path) -> tuple[int, list[str]]:
    """What SQLite takes from the log (the wal-index's mxFrame) and the rows it then shows."""
    conn = sqlite3.connect(db)
    try:
        rows = [r[0][:4] for r in conn.execute("SELECT text FROM t ORDER BY id")]
        shm = db.with_name(db.name + "-shm").read_bytes()
        order = "<" if sys.byteorder == "little" else ">"
        (mx_frame,) = struct.unpack(f"{order}I", shm[16:20])
        return mx_frame, rows
    finally:
        conn.close()


def _flip(db: Path, at: int) -> None:
    with open(wal_path(db), "r+b") as f:
        f.seek(at)
        byte = f.read(1)[0]
        f.seek(at)
        f.write(bytes([byte ^ 0x01]))


def _frame_size(db: Path) -> int:
    (page_size,) = struct.unpack(">I", wal_path(db).read_bytes()[8:12])
    return FRAME_HEADER + page_size


def test_a_sound_log_is_replayed_whole(tmp_path: Path) -> None:
    db = _crash_copy(tmp_path)
    state = inspect_wal(db)
    assert state is not None and state.problem() is None
    assert state.commits == 2 and state.replayed == state.valid == state.frames
    mx_frame, rows = _sqlite_replays(db)
    assert mx_frame == state.replayed and rows == ["修改 1", "修改 2"]


def test_an_uncommitted_tail_is_no_problem(tmp_path: Path) -> None:
    db = _crash_copy(tmp_path, uncommitted=True)
    state = inspect_wal(db)
    assert state is not None and state.problem() is None
    assert state.replayed < state.valid  # frames of the unfinished transaction are there
    mx_frame, rows = _sqlite_replays(db)
    assert mx_frame == state.replayed and rows == ["修改 1", "修改 2"]


@pytest.mark.parametrize("transaction", [1, 2])
def test_a_flipped_bit_is_found_where_sqlite_stops(tmp_path: Path, transaction: int) -> None:
    db = _crash_copy(tmp_path)
    sound = inspect_wal(db)
    assert sound is not None
    # the first frame of the chosen transaction: one frame each here
    frame = _frame_size(db)
    first = sound.replayed - sound.commits + transaction - 1
    _flip(db, HEADER + first * frame + FRAME_HEADER + 100)
    state = inspect_wal(db)
    assert state is not None and state.valid == first
    assert state.lost_commits == 3 - transaction
    assert "校验失败" in (state.problem() or "")
    mx_frame, rows = _sqlite_replays(db)
    assert mx_frame == state.replayed  # the same count SQLite arrived at
    assert rows == ["修改 1", "修改 2"][: transaction - 1]  # and the commits are gone


def test_a_log_cut_short_is_found(tmp_path: Path) -> None:
    db = _crash_copy(tmp_path)
    wal = wal_path(db)
    data = wal.read_bytes()
    wal.write_bytes(data[: len(data) - _frame_size(db) // 2])
    state = inspect_wal(db)
    assert state is not None and state.torn and "末尾不完整" in (state.problem() or "")
    mx_frame, rows = _sqlite_replays(db)
    assert mx_frame == state.replayed and rows == ["修改 1"]


def test_a_damaged_header_loses_every_frame(tmp_path: Path) -> None:
    db = _crash_copy(tmp_path)
    _flip(db, 20)  # salt-2: the header's checksum no longer matches
    state = inspect_wal(db)
    assert state is not None and not state.header_ok and "文件头已损坏" in (state.problem() or "")
    mx_frame, rows = _sqlite_replays(db)
    assert mx_frame == 0 and rows == []


def test_no_log_and_garbage_are_told_apart() -> None:
    assert read_wal(b"").problem() is None
    assert read_wal(b"\x00" * 10).problem() is None  # too short to hold anything
    assert read_wal(b"junk" * 5000).problem() is not None


@pytest.mark.parametrize(("in_use", "emptied"), [((1, 1, 0), True), ((1,) * 100, False)])
def test_the_log_is_emptied_once_no_connection_is_in_use(
    tmp_path: Path, in_use: tuple[int, ...], emptied: bool
) -> None:
    """The connection that asked for the checkpoint is handed back just after asking: the
    checkpointer waits a little for it; one in use for longer is another action's, which
    asks again when done — meanwhile the log keeps its frames, all copied."""
    db = tmp_path / "ledger.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE t(x)")
    conn.execute("INSERT INTO t VALUES (1)")
    assert wal_path(db).stat().st_size > 0
    answers = iter(in_use)
    checkpointer = Checkpointer(db, lambda: next(answers, 0))
    checkpointer.request()
    checkpointer.wait()
    assert (wal_path(db).stat().st_size == 0) is emptied
    if not emptied:  # copied all the same: the database file alone holds the row
        frames = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert frames[1] == frames[2]
    conn.close()


def test_a_checkpoint_thread_that_fails_unexpectedly_ends_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An error that is not SQLite's (a bug, a patched connect) ends the thread: ``wait``
    returns instead of waiting for ever, the traceback is in the log, and the next request
    checkpoints again."""
    import threading

    db = tmp_path / "ledger.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE t(x)")
    checkpointer = Checkpointer(db, lambda: 0)
    monkeypatch.setattr(Checkpointer, "_checkpoint", lambda self: {}["missing"])
    checkpointer.request()
    waiting = threading.Thread(target=checkpointer.wait, daemon=True)
    waiting.start()
    waiting.join(10)
    assert not waiting.is_alive()
    assert "检查点线程出错" in caplog.text and "KeyError" in caplog.text
    monkeypatch.undo()
    conn.execute("INSERT INTO t VALUES (1)")
    checkpointer.request()
    checkpointer.wait()
    assert wal_path(db).stat().st_size == 0
    conn.close()
