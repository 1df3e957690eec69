"""A file held for a moment by a virus scanner, OneDrive or WPS: tried again, then said.

Windows reports such a file with ``winerror`` 5 (access denied), 32 (used by another
process) or 33 (locked). Those errors are made here as Windows makes them and injected
where the program moves, replaces or deletes files: report output, backups, restore and
the pruning of old backups.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.core import file_retry
from desktop.core.file_retry import briefly_held, retry_if_held

# the pauses between tries, growing: a few seconds in all
PAUSES = (0.05, 0.1, 0.2, 0.4, 0.8, 1.5)


def held(winerror: int, filename: str = "台账.pdf") -> PermissionError:
    """The exception Windows raises for a file another program holds open."""
    err = PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。", filename)
    err.winerror = winerror  # type: ignore[attr-defined]  # set by CPython on Windows only
    return err


def failing(times: int, error: Callable[[], OSError], then: object = "ok") -> Callable[[], object]:
    calls = {"n": 0}

    def action() -> object:
        calls["n"] += 1
        if calls["n"] <= times:
            raise error()
        return then

    action.calls = calls  # type: ignore[attr-defined]
    return action


@pytest.mark.parametrize("winerror", [5, 32, 33])
def test_a_briefly_held_file_is_tried_again(winerror: int) -> None:
    slept: list[float] = []
    action = failing(3, lambda: held(winerror))
    assert retry_if_held(action, sleep=slept.append) == "ok"
    assert action.calls["n"] == 4  # type: ignore[attr-defined]
    assert slept == list(PAUSES[:3])
    assert slept == sorted(slept) and sum(PAUSES) < 4  # growing pauses, a few seconds in all


def test_a_file_held_for_good_is_said_after_the_last_try() -> None:
    slept: list[float] = []
    action = failing(100, lambda: held(32))
    with pytest.raises(PermissionError) as caught:
        retry_if_held(action, sleep=slept.append)
    assert getattr(caught.value, "winerror", None) == 32
    assert action.calls["n"] == len(PAUSES) + 1  # type: ignore[attr-defined]
    assert slept == list(PAUSES)


@pytest.mark.parametrize(
    "error",
    [
        lambda: FileNotFoundError(errno.ENOENT, "找不到", "a.pdf"),
        lambda: OSError(errno.ENOSPC, "磁盘已满", "a.pdf"),
        lambda: PermissionError(errno.EACCES, "Permission denied", "a.pdf"),  # Linux: no winerror
        lambda: held(2),  # ERROR_FILE_NOT_FOUND
    ],
)
def test_other_errors_are_not_retried(error: Callable[[], OSError]) -> None:
    slept: list[float] = []
    action = failing(1, error)
    with pytest.raises(OSError):
        retry_if_held(action, sleep=slept.append)
    assert slept == [] and action.calls["n"] == 1  # type: ignore[attr-defined]
    assert not briefly_held(error())


@pytest.fixture
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(file_retry.time, "sleep", slept.append)
    return slept


def _replace_held(monkeypatch: pytest.MonkeyPatch, times: int, winerror: int = 32) -> list[str]:
    """os.replace as a scanner makes it fail ``times`` times; returns the targets it moved."""
    real = os.replace
    done: list[str] = []
    left = {"n": times}

    def replace(src: str, dst: str) -> None:
        if left["n"] > 0:
            left["n"] -= 1
            raise held(winerror, str(dst))
        real(src, dst)
        done.append(str(dst))

    monkeypatch.setattr(file_retry.os, "replace", replace)
    return done


def test_a_ledger_is_written_while_a_scanner_looks_at_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_waiting: list[float]
) -> None:
    from desktop.core.reports.fileio import atomic_output

    moved = _replace_held(monkeypatch, 2)
    target = tmp_path / "某某县2027年重点工作台账.pdf"
    with atomic_output(target) as stream:
        stream.write(b"%PDF-1.7 ...")
    assert target.read_bytes() == b"%PDF-1.7 ..."
    assert moved == [str(target)] and len(no_waiting) == 2
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


def test_a_ledger_open_in_wps_is_said_and_nothing_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_waiting: list[float]
) -> None:
    from desktop.core.reports.fileio import atomic_output
    from desktop.errors import UserError

    _replace_held(monkeypatch, 100)
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"the old one")
    with pytest.raises(UserError, match="正被其他程序"), atomic_output(target) as stream:
        stream.write(b"the new one")
    assert target.read_bytes() == b"the old one"
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]


def test_per_unit_pdfs_wait_for_the_scanner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_waiting: list[float]
) -> None:
    from desktop.core.reports import find_cjk_fonts, write_ledger_pdfs_per_part
    from tests.core.ledger_samples import sample_document

    # the fonts (and their cached metrics, also written by os.replace) ready beforehand
    find_cjk_fonts().register()
    moved = _replace_held(monkeypatch, 1, winerror=5)
    whole = sample_document(6)
    doc = replace(
        whole, parts=[replace(whole.parts[0], heading=h) for h in ("县发改局", "县科技局")]
    )
    paths = write_ledger_pdfs_per_part(doc, tmp_path / "分册")
    assert len(paths) == 2 and all(p.stat().st_size > 1000 for p in paths)
    assert sorted(moved) == sorted(str(p) for p in paths) and no_waiting == [PAUSES[0]]
