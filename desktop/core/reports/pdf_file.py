"""The PDF file format, written directly: numbered objects, streams, the cross-reference
table and the trailer (ISO 32000-1, sections 7.3 and 7.5).

A ledger file is simple — a catalog, one page tree, a page and a content stream per
page, the embedded fonts and an information dictionary — so it is written here in a few
dozen lines instead of through a general object model: each object is formatted once,
as bytes, straight from the values it holds. Nothing depends on the clock or on chance:
the file identifier is a digest of the file's own bytes, so the same ledger gives the
same file.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from collections.abc import Iterable
from typing import BinaryIO

# Compression of page content and fonts: level 4 takes three quarters of the time of
# zlib's default (6) for a file 3 % larger, and level 1 a file 15 % larger for little
# less time; see ARCHITECTURE.md for the figures.
LEVEL = 4
# Fewer pending streams than this are compressed on the writing thread alone.
PARALLEL_MIN = 16
HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
# Characters a name writes as #xx: outside ``!`` … ``~``, the delimiters and ``#`` itself.
_NAME_PLAIN = frozenset(range(0x21, 0x7F)) - frozenset(b"()<>[]{}/%#")


def name(text: str | bytes) -> str:
    """A PDF name object (``/ABCDEF+SimSun``), escaped as the format requires."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return "/" + "".join(chr(b) if b in _NAME_PLAIN else f"#{b:02X}" for b in raw)


def text_string(text: str) -> str:
    """A text string as the format requires for any language: UTF-16BE with its byte
    order mark, in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def number(value: float) -> str:
    """A number as short as it stays exact to a hundred-thousandth."""
    if value == int(value):
        return str(int(value))
    return f"{value:.5f}".rstrip("0")


def array(values: Iterable[float]) -> str:
    return "[" + " ".join(map(number, values)) + "]"


class PdfFile:
    """Objects of one PDF file, numbered from 1 and kept as bytes until :meth:`write`."""

    def __init__(self) -> None:
        self._objects: list[bytes | None] = []
        # streams added with add_stream(later=True): compressed in bulk, in two threads
        self._pending: list[tuple[int, bytes, str]] = []
        self._helper: threading.Thread | None = None
        self._helper_error: BaseException | None = None

    def reserve(self) -> int:
        """A number for an object whose content is set later with :meth:`put`."""
        self._objects.append(None)
        return len(self._objects)

    def put(self, num: int, body: str) -> None:
        """Sets object ``num`` to ``body`` (a dictionary, array or other direct object)."""
        self._objects[num - 1] = b"%d 0 obj\n%s\nendobj\n" % (num, body.encode("latin-1"))

    def add(self, body: str) -> int:
        """A new object; its number."""
        num = self.reserve()
        self.put(num, body)
        return num

    def put_stream(self, num: int, data: bytes, extra: str = "", *, deflated: bool = False) -> None:
        """Sets object ``num`` to a Flate stream of ``data`` (compressed here unless
        ``deflated``); ``extra`` holds more dictionary entries."""
        if not deflated:
            data = zlib.compress(data, LEVEL)
        head = f"<< /Length {len(data)} /Filter /FlateDecode{extra} >>\nstream\n"
        self._objects[num - 1] = b"".join(
            (b"%d 0 obj\n" % num, head.encode("latin-1"), data, b"\nendstream\nendobj\n")
        )

    def add_stream(
        self, data: bytes, extra: str = "", *, deflated: bool = False, later: bool = False
    ) -> int:
        """A new stream object; its number. ``later``: compressed with the other
        pending streams by :meth:`deflate_in_background` and :meth:`write`."""
        num = self.reserve()
        if later and not deflated:
            self._pending.append((num, data, extra))
        else:
            self.put_stream(num, data, extra, deflated=deflated)
        return num

    def deflate_in_background(self) -> None:
        """Starts compressing the later half of the pending streams on a second thread
        while this one goes on (embedding the fonts); :meth:`write` does the first half
        and waits for the second. zlib lets go of the interpreter while it compresses, so
        where the machine has a second core free the halves take half the time; where
        it has not, they take what they took."""
        pending, self._pending = self._pending, []
        half = len(pending) // 2
        if half < PARALLEL_MIN:
            self._pending = pending
            return
        self._pending = pending[:half]
        self._helper = threading.Thread(
            target=self._deflate_guarded, args=(pending[half:],), name="pdf-deflate"
        )
        self._helper.start()

    def _deflate_guarded(self, pending: list[tuple[int, bytes, str]]) -> None:
        try:
            self._deflate(pending)
        except BaseException as exc:  # handed to the thread that writes the file
            self._helper_error = exc

    def _deflate(self, pending: list[tuple[int, bytes, str]]) -> None:
        for num, data, extra in pending:
            self.put_stream(num, zlib.compress(data, LEVEL), extra, deflated=True)

    def _finish_streams(self) -> None:
        pending, self._pending = self._pending, []
        try:
            self._deflate(pending)
        finally:
            if self._helper is not None:
                self._helper.join()
                self._helper = None
        if self._helper_error is not None:
            error, self._helper_error = self._helper_error, None
            raise error

    def write(self, out: BinaryIO, root: int, info: int) -> None:
        """Writes the file: header, objects, cross-reference table and trailer."""
        self._finish_streams()
        missing = [i + 1 for i, body in enumerate(self._objects) if body is None]
        if missing:
            raise ValueError(f"PDF objects never set: {missing[:5]}")
        chunks = [HEADER]
        offsets = []
        at = len(HEADER)
        for body in self._objects:
            assert body is not None
            offsets.append(at)
            chunks.append(body)
            at += len(body)
        size = len(self._objects) + 1
        xref = [b"xref\n0 %d\n0000000000 65535 f \n" % size]
        xref.extend(b"%010d 00000 n \n" % off for off in offsets)
        digest = hashlib.md5(usedforsecurity=False)
        for chunk in chunks:
            digest.update(chunk)
        file_id = digest.hexdigest().upper()
        trailer = (
            f"trailer\n<< /Size {size} /Root {root} 0 R /Info {info} 0 R "
            f"/ID [<{file_id}><{file_id}>] >>\nstartxref\n{at}\n%%EOF\n"
        )
        chunks.extend(xref)
        chunks.append(trailer.encode("latin-1"))
        out.write(b"".join(chunks))
