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
_SIZE = struct.Struct("<Q")
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
    """A forked copy of this process working on ``work()``: a list of page streams."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid = pid
        self._fd = fd
        self._started = time.monotonic()

    @classmethod
    def start(cls, work: Callable[[], list[bytes]]) -> ForkedPages | None:
        """Forks a copy that runs ``work()`` and sends back its result; None when the
        process cannot fork now."""
        if not available():
            return None
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
                message = _encode(work())
                _write_all(write_end, message)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        return cls(pid, read_end)

    def result(self, still_wanted: Callable[[], None], own_seconds: float) -> list[bytes] | None:
        """The copy's result, once it has sent it; None when it failed, sent less than a
        whole result or took ``PATIENCE`` seconds more than ``own_seconds``.
        ``still_wanted()`` is called while waiting and may raise (cancelling): the copy
        is then killed."""
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
        return _decode(b"".join(chunks))

    def close(self, *, kill: bool = True) -> None:
        """Lets the copy go: killed (unless it has ended) and waited for."""
        if self._fd < 0:
            return
        os.close(self._fd)
        self._fd = -1
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
