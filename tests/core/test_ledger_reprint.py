"""The same ledger gives the same file, byte for byte: in one run and in another process
(the frozen-period reprint promise). A parsed face is kept while its font file is
unchanged, and read again when the file changes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.core.reports import check_fonts, find_cjk_fonts, write_ledger_pdf
from desktop.core.reports import fonts as fontmod
from tests.core.ledger_samples import sample_document
from tests.needs import missing


@pytest.fixture(autouse=True)
def _chinese_font() -> None:
    """Skipped without a Chinese font, a failure under CI (installer/dev.sh installs it)."""
    if check_fonts() is not None:
        missing("a Chinese font (Debian package fonts-wqy-zenhei)")


ROOT = Path(__file__).resolve().parent.parent.parent


def _write(path: Path) -> bytes:
    write_ledger_pdf(sample_document(120), path)
    return path.read_bytes()


def test_the_same_ledger_twice_in_one_run_is_the_same_file(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.pdf")
    second = _write(tmp_path / "b.pdf")
    assert first == second


def test_another_process_writes_the_same_file(tmp_path: Path) -> None:
    here = _write(tmp_path / "here.pdf")
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from desktop.core.reports import write_ledger_pdf
        from tests.core.ledger_samples import sample_document
        write_ledger_pdf(sample_document(120), {str(tmp_path / "there.pdf")!r})
        """
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, timeout=300)
    assert (tmp_path / "there.pdf").read_bytes() == here


def test_the_file_is_dated_by_the_ledger_not_by_the_clock(tmp_path: Path) -> None:
    path = tmp_path / "dated.pdf"
    write_ledger_pdf(sample_document(20), path)  # signed 2027年7月5日
    created = PdfReader(path).metadata.creation_date
    assert created is not None and created.replace(tzinfo=None) == datetime(2027, 7, 5)


def test_a_face_is_read_again_when_its_file_changes(tmp_path: Path) -> None:
    source = find_cjk_fonts().body
    copy = tmp_path / source.path.name
    copy.write_bytes(source.path.read_bytes())
    face = fontmod.FontFace(copy, source.index, source.family, source.style)
    os.utime(copy, ns=(1_000_000_000, 1_000_000_000))
    first = fontmod.load_face(face)
    assert fontmod.load_face(face) is first  # kept while the file is the same
    os.utime(copy, ns=(2_000_000_000, 2_000_000_000))
    again = fontmod.load_face(face)
    assert again is not first
    assert again.char_to_glyph == first.char_to_glyph
