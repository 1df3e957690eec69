"""Helpers for the hostile-input tests: a database's content as text, and a command run in a
subprocess whose peak memory is measured.

The hostile files themselves are crafted inside each test (never committed as binaries).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

MB = 1024 * 1024
# any hostile file is refused within this much memory (the whole process, Python included)
MEMORY_BUDGET = 500 * MB

# runs the command line (or a reader, see READ_WORKBOOK) and then writes the process's peak
# resident memory to the file named first. Linux: the high-water mark of this process's own
# memory (VmHWM); ``ru_maxrss`` would also count the test process's memory, which exec
# hands on to the child. Elsewhere ``ru_maxrss`` (the tests that measure are POSIX-only).
_MEASURE = """
import resource, sys
out = sys.argv.pop(1)
def main(args):
{body}
def peak():
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
try:
    code = main(sys.argv[1:])
finally:
    with open(out, "w", encoding="utf-8") as f:
        f.write(str(peak()))
sys.exit(code)
"""
COMMAND_LINE = """
    from desktop.cli import main as cli
    return cli(args)
"""
# the department workbook reader on its own, as the import screen calls it: a user error
# is one line on stderr and exit 2, like the command line
READ_WORKBOOK = """
    from pathlib import Path
    from desktop.core.exchange_files.dept_workbook_read import read_dept_workbook
    from desktop.errors import UserError
    try:
        read_dept_workbook(Path(args[0]))
    except UserError as err:
        print(str(err), file=sys.stderr)
        return 2
    return 0
"""


def dump(db: Path) -> str:
    """Every table's rows and the schema, as SQL text (read-only)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    peak: int  # bytes

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def run_measured(tmp_path: Path, *args: str, body: str = COMMAND_LINE, timeout: float = 120) -> Run:
    """The command line with ``args`` (or another ``body``) in a subprocess; its exit code,
    output and peak memory."""
    peak_file = tmp_path / f"peak-{os.getpid()}-{len(list(tmp_path.glob('peak-*')))}.txt"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE.format(body=body), str(peak_file), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
    peak = int(peak_file.read_text(encoding="utf-8")) if peak_file.exists() else -1
    return Run(proc.returncode, proc.stdout, proc.stderr, peak)


def is_one_chinese_line(run: Run) -> bool:
    """The contract for a user error: exit 2, one line on stderr, Chinese, no traceback."""
    return (
        run.code == 2
        and len(run.lines) == 1
        and "Traceback" not in run.err
        and any("\u4e00" <= ch <= "\u9fff" for ch in run.err)
    )


def explain(run: Run) -> str:
    return json.dumps({"code": run.code, "err": run.err[-2000:], "peak_mb": run.peak // MB})


# ------------------------------------------------------------------ crafted files


def plain_workbook() -> bytes:
    """A small, sound .xlsx with the department workbook's sheet (openpyxl, no styles)."""
    import io

    from openpyxl import Workbook

    from desktop.core.exchange_files.dept_workbook import ID_HEADER, SHEET

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([ID_HEADER, "编号", "工作任务"])
    for i in range(5):
        ws.append([f"uid-{i}", f"1-{i}", "推进研发设计服务"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rezip(
    raw: bytes, replace: dict[str, bytes | Callable[[], Iterator[bytes]]], *, level: int = 6
) -> bytes:
    """``raw`` (a zip) with the members in ``replace`` swapped for new bodies; a body may be
    a generator of chunks, written as a stream (a million rows without a million-row
    string)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        names = [info.filename for info in src.infolist()]
        for name in [*names, *(n for n in replace if n not in names)]:
            body = replace.get(name)
            if body is None:
                dst.writestr(src.getinfo(name), src.read(name), zipfile.ZIP_DEFLATED, level)
            elif isinstance(body, bytes):
                dst.writestr(name, body, zipfile.ZIP_DEFLATED, level)
            else:
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(info, "w", force_zip64=True) as stream:
                    for chunk in body():
                        stream.write(chunk)
    return out.getvalue()


SHEET_XML = "xl/worksheets/sheet1.xml"
SHARED_XML = "xl/sharedStrings.xml"
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def truncated_sheet(raw: bytes) -> bytes:
    import zipfile
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(raw)) as z:
        sheet = z.read(SHEET_XML)
    return rezip(raw, {SHEET_XML: sheet[: len(sheet) * 6 // 10]})


def xxe_sheet(raw: bytes) -> bytes:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + _SHEET_HEAD[len(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>') :]
        + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>'
        + b"</sheetData></worksheet>"
    )
    return rezip(raw, {SHEET_XML: body})


def billion_laughs(raw: bytes) -> bytes:
    entities = b'<!ENTITY l0 "ha">' + b"".join(
        b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10)
    )
    body = (
        b'<?xml version="1.0"?><!DOCTYPE sst [' + entities + b"]>"
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
        b"<si><t>&l9;</t></si></sst>"
    )
    return rezip(raw, {SHARED_XML: body})


def rows_sheet(rows: int) -> Callable[[], Iterator[bytes]]:
    """A sheet of ``rows`` rows, written as a stream of chunks."""

    def chunks() -> Iterator[bytes]:
        yield _SHEET_HEAD + b"<sheetData>"
        batch = []
        for r in range(1, rows + 1):
            batch.append(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r))
            if len(batch) == 10_000:
                yield b"".join(batch)
                batch = []
        yield b"".join(batch) + b"</sheetData></worksheet>"

    return chunks


def declared_dimension(raw: bytes, ref: str = "A1:XFD1048576") -> bytes:
    body = (
        _SHEET_HEAD
        + b'<dimension ref="%s"/>' % ref.encode()
        + b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    )
    return rezip(raw, {SHEET_XML: body})


def shared_strings_bomb(raw: bytes, megabytes: int = 1500) -> bytes:
    """A shared-strings table that inflates to ``megabytes`` (one string of repeated text)."""

    def chunks() -> Iterator[bytes]:
        yield (
            b'<?xml version="1.0"?>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
        )
        block = b"A" * MB
        for _ in range(megabytes):
            yield block
        yield b"</t></si></sst>"

    return rezip(raw, {SHARED_XML: chunks}, level=9)


def many_shared_strings(raw: bytes, count: int) -> bytes:
    def chunks() -> Iterator[bytes]:
        yield (
            b'<?xml version="1.0"?>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        )
        for start in range(0, count, 10_000):
            yield b"".join(
                b"<si><t>%d</t></si>" % i for i in range(start, min(start + 10_000, count))
            )
        yield b"</sst>"

    return rezip(raw, {SHARED_XML: chunks})


def understated_size(raw: bytes, member: str) -> bytes:
    """``member``'s size in the central directory (and local header) set to 100 bytes: a
    header that lies, so only reading under a cap finds out."""
    data = bytearray(raw)
    name = member.encode("utf-8")
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_len = int.from_bytes(data[at + 28 : at + 30], "little")
        if bytes(data[at + 46 : at + 46 + name_len]) == name:
            data[at + 24 : at + 28] = (100).to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)
