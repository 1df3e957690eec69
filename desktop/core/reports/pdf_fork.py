"""Part of a ledger's pages painted by a forked copy of the process, on a second core.

Painting and compressing the pages is half of a ledger's writing time, and every page
is painted from the finished layout alone, so on a platform with ``fork`` (the Linux
desktops) a copy of the process made after the layout paints and compresses the last
pages while this one paints the first, and hands back their compressed content streams
through a pipe. The copy shares everything the layout made (copy on write: nothing is
pickled), writes nothing but the pipe and leaves with ``os._exit``.

Whatever the copy does, the file is the same, byte for byte, as one process writes it:
the copy's pages are taken only when it painted them without measuring a character
the layout had not (a new character would take the next glyph number in the copy alone),
and otherwise — the copy failed, was killed, took far too long — this process paints
those pages itself. Cancelling kills the copy. Elsewhere (Windows, or a process with
other threads, which is not safe to fork: the window prints on a worker thread) the
pages are painted in one process.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable

# Fewer pages than this are painted in one process: the fork would cost what it saves.
MIN_PAGES = 64
# How long the copy may take beyond this process's own share before it is given up.
PATIENCE = 10.0
# Fork only when at least this share of the machine was idle while the ledger was laid
# out: on two processors, most of one (this process keeps the other busy).
IDLE_SHARE = 0.3
_SIZE = struct.Struct("<Q")
_CLAIM = struct.Struct("<i")  # a page claimed, in the memory both processes share
_END = b"END."


def available() -> bool:
    """Whether pages may be painted by a forked copy here: Linux, and this the process's
    only thread (forking a process with other threads may copy a lock another thread
    holds)."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
    )


def cpu_times() -> tuple[int, int] | None:
    """The machine's idle and total processor time so far (``/proc/stat``, in clock
    ticks of all processors); None where there is no such file."""
    try:
        with open("/proc/stat", "rb") as f:
            fields = f.readline().split()
    except OSError:
        return None
    if len(fields) < 6 or fields[0] != b"cpu":
        return None
    try:
        ticks = [int(v) for v in fields[1:]]
    except ValueError:
        return None
    return ticks[3] + ticks[4], sum(ticks[:8])  # idle and waiting; up to stolen time


def core_to_spare(since: tuple[int, int] | None) -> bool:
    """Whether the machine had about a processor idle since ``since`` (a
    :func:`cpu_times`): a copy painting meanwhile runs beside this process instead of
    taking turns with it, which costs more than it saves (copying the pages of memory
    both processes touch)."""
    now = cpu_times()
    return since is not None and now is not None and spare_share(since, now) >= IDLE_SHARE


def spare_share(since: tuple[int, int], now: tuple[int, int]) -> float:
    """The share of all processors' time that was idle between two :func:`cpu_times`."""
    total = now[1] - since[1]
    return (now[0] - since[0]) / total if total > 0 else 0.0


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _encode(items: list[bytes]) -> bytes:
    out = [_SIZE.pack(len(items))]
    for item in items:
        out.append(_SIZE.pack(len(item)))
        out.append(item)
    out.append(_END)
    return b"".join(out)


def _decode(data: bytes) -> list[bytes] | None:
    """The items of the copy's message; None unless it is whole."""
    try:
        view = memoryview(data)
        (count,), at = _SIZE.unpack_from(view, 0), _SIZE.size
        items = []
        for _ in range(count):
            (n,) = _SIZE.unpack_from(view, at)
            at += _SIZE.size
            if at + n > len(view):
                return None
            items.append(bytes(view[at : at + n]))
            at += n
    except struct.error:
        return None
    if bytes(view[at:]) != _END:
        return None
    return items


class ForkedPages:
    """A forked copy of this process painting pages from the last one down, while this
    process paints from the first one up, until they meet."""

    def __init__(self, pid: int, fd: int, claims: mmap.mmap) -> None:
        self._pid = pid
        self._fd = fd
        self._claims = claims

    @classmethod
    def start(
        cls, count: int, first: int, paint: Callable[[int], bytes], clean: Callable[[], bool]
    ) -> ForkedPages | None:
        """Forks a copy that paints pages ``count - 1``, ``count - 2`` … (``paint(i)``:
        the page's compressed stream) down to the page above the last one this process
        claims (:meth:`claim`; it has pages up to ``first - 1`` already), or to the first
        page after which ``clean()`` is false (the copy measured a character: that page
        and the pages below it are this process's). None when the process cannot fork."""
        if not available():
            return None
        claims = mmap.mmap(-1, 2 * _CLAIM.size)  # shared with the copy
        _CLAIM.pack_into(claims, 0, first - 1)  # this process's last page
        _CLAIM.pack_into(claims, _CLAIM.size, count)  # the copy's last claim
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # the copy: never returns
            status = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl+C ends it at once
                os.close(read_end)
                pages = []
                page = count - 1
                while True:
                    _CLAIM.pack_into(claims, _CLAIM.size, page)
                    if page <= _CLAIM.unpack_from(claims, 0)[0]:
                        break
                    data = paint(page)
                    if not clean():
                        break
                    pages.append(data)
                    page -= 1
                pages.append(_SIZE.pack(page + 1))
                pages.reverse()
                _write_all(write_end, _encode(pages))
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        return cls(pid, read_end, claims)

    def claim(self, page: int) -> bool:
        """Claims ``page`` for this process (pages are claimed in order); False when the
        copy has claimed it: this process stops there. Both may paint the page where they
        meet, or neither: :meth:`result` says which pages the copy painted."""
        _CLAIM.pack_into(self._claims, 0, page)
        return bool(page < _CLAIM.unpack_from(self._claims, _CLAIM.size)[0])

    def result(
        self, still_wanted: Callable[[], None], own_seconds: float
    ) -> tuple[int, list[bytes]] | None:
        """The first page the copy painted and the streams of its pages, in order, once
        it has sent them; None when it failed, sent less than a whole result or took
        ``PATIENCE`` seconds more than ``own_seconds``. ``still_wanted()`` is called while
        waiting and may raise (cancelling): the copy is then killed."""
        chunks: list[bytes] = []
        deadline = time.monotonic() + own_seconds + PATIENCE
        done = False
        try:
            while True:
                ready, _, _ = select.select([self._fd], [], [], 0.05)
                if ready:
                    data = os.read(self._fd, 1 << 20)
                    if not data:
                        break
                    chunks.append(data)
                    continue
                still_wanted()
                if time.monotonic() > deadline:
                    return None
            _, status = os.waitpid(self._pid, 0)
            done = True
            if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
                return None
        finally:
            self.close(kill=not done)
        items = _decode(b"".join(chunks))
        if not items or len(items[0]) != _SIZE.size:
            return None
        return _SIZE.unpack(items[0])[0], items[1:]

    def close(self, *, kill: bool = True) -> None:
        """Lets the copy go: killed (unless it has ended) and waited for."""
        if self._fd < 0:
            return
        os.close(self._fd)
        self._fd = -1
        self._claims.close()
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
