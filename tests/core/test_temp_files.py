"""Temporary report files are noted while written and swept at the next start; only ours."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from desktop.core import temp_files
from desktop.core.reports.fileio import atomic_output, temp_beside


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("POLICY_LEDGER_CACHE", str(cache))
    return cache


def _age(path: Path, seconds: float) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_a_finished_write_leaves_no_note_and_no_file(tmp_path: Path, own_cache: Path) -> None:
    with atomic_output(tmp_path / "清单.xlsx") as stream:
        stream.write(b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "清单.xlsx"]
    assert not list((own_cache / temp_files.NOTES).glob("*.txt"))
    with pytest.raises(RuntimeError), atomic_output(tmp_path / "失败.pdf") as stream:
        stream.write(b"half")
        raise RuntimeError("cancelled")
    assert not (tmp_path / "失败.pdf").exists()
    assert not list((own_cache / temp_files.NOTES).glob("*.txt"))


def test_only_old_noted_files_of_our_pattern_are_swept(tmp_path: Path, own_cache: Path) -> None:
    fresh = temp_beside(tmp_path / "台账.pdf")  # another program may be writing it now
    old = temp_beside(tmp_path / "台账2.pdf")
    _age(old, 2 * temp_files.STALE_AFTER_S)
    theirs = tmp_path / "报告.docx"
    theirs.write_bytes(b"someone's document")
    _age(theirs, 10 * temp_files.STALE_AFTER_S)
    temp_files.note(theirs)  # a note naming a file of another pattern is not obeyed
    (own_cache / temp_files.NOTES / "garbled.txt").write_bytes(b"\xff\xfe\x00")

    assert temp_files.sweep() == [old]
    assert fresh.exists() and theirs.exists() and not old.exists()
    notes = list((own_cache / temp_files.NOTES).glob("*.txt"))
    assert len(notes) == 1 and notes[0].read_text(encoding="utf-8") == str(fresh)

    fresh.unlink()  # finished by its program after all: the note just goes
    assert temp_files.sweep() == []
    assert not list((own_cache / temp_files.NOTES).glob("*.txt"))


def test_folders_left_in_the_temporary_folder_are_swept_once_a_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(system_tmp))
    old = system_tmp / "policy-ledger-preview-abc"
    old.mkdir()
    (old / "预览-1.pdf").write_bytes(b"%PDF")
    _age(old, 2 * 86400)
    fresh = system_tmp / "policy-ledger-preview-def"  # a running program's previews
    fresh.mkdir()
    other = system_tmp / "someone-else"
    other.mkdir()
    _age(other, 10 * 86400)
    assert temp_files.sweep() == [old]
    assert fresh.exists() and other.exists()
    again = system_tmp / "policy-ledger-selftest-xyz"
    again.mkdir()
    _age(again, 2 * 86400)
    assert temp_files.sweep() == []  # the next start the same day does not look
    # a day later both have waited long enough
    later = temp_files.sweep(now=time.time() + 86400 + 60)
    assert sorted(later) == [fresh, again]
