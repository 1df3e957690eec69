"""The same ledger gives the same file, byte for byte: in one run, in another process, and
whether the font's metrics were parsed or read from the cache (the frozen-period reprint
promise). The metrics cache follows the font file and never makes printing fail."""

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
from desktop.core.reports.font_cache import entry_path, load_ttfont
from tests.core.ledger_samples import sample_document
from tests.needs import missing


@pytest.fixture(autouse=True)
def _chinese_font() -> None:
    """Skipped without a Chinese font, a failure under CI (installer/dev.sh installs it)."""
    if check_fonts() is not None:
        missing("a Chinese font (Debian package fonts-wqy-zenhei)")


ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def fresh_fonts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Fonts registered anew in this test, with metrics cached in a folder of its own."""
    folder = tmp_path / "metrics"
    monkeypatch.setenv("POLICY_LEDGER_CACHE", str(folder))
    monkeypatch.setattr(fontmod, "_registered", {})
    return folder


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


def test_cached_metrics_give_the_same_file_as_parsing(fresh_fonts: Path, tmp_path: Path) -> None:
    parsed = _write(tmp_path / "parsed.pdf")
    entries = sorted(fresh_fonts.rglob("*.metrics"))
    assert entries, "the metrics were not cached"
    fontmod._registered.clear()
    cached = _write(tmp_path / "cached.pdf")
    face = fontmod._register(find_cjk_fonts().body).face
    assert type(face).__name__ == "CachedTTFontFace"
    assert cached == parsed


def test_a_changed_font_file_is_parsed_again(tmp_path: Path) -> None:
    source = find_cjk_fonts().body.path
    font = tmp_path / source.name
    font.write_bytes(source.read_bytes())
    before = entry_path(tmp_path / "metrics", font, 0)
    os.utime(font, ns=(1_000_000_000, 1_000_000_000))
    after = entry_path(tmp_path / "metrics", font, 0)
    assert before is not None and after is not None and before != after


def test_a_damaged_cache_entry_is_ignored(fresh_fonts: Path, tmp_path: Path) -> None:
    parsed = _write(tmp_path / "parsed.pdf")
    for entry in fresh_fonts.rglob("*.metrics"):
        entry.write_bytes(b"\x00not metrics" * 100)
    fontmod._registered.clear()
    assert _write(tmp_path / "again.pdf") == parsed


def test_an_unwritable_cache_folder_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_bytes(b"")
    face = find_cjk_fonts().body
    font = load_ttfont("PL-test-unwritable", face.path, face.index, blocker / "metrics")
    assert font.face.charToGlyph and not (blocker / "metrics").exists()
