"""The log file: it rotates (1 MB × 5 kept), and a bug's traceback lands in it."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop import logs
from tests.needs import IMPOSSIBLE


@pytest.fixture
def isolated_logging() -> Iterator[None]:
    """Give the program's log handler back as it was (it is process-wide)."""
    root = logging.getLogger()
    handlers, level, configured = list(root.handlers), root.level, logs._configured
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)
    logs._configured = configured


def test_the_log_rotates_and_keeps_five(tmp_path: Path, isolated_logging: None) -> None:
    log_file = tmp_path / "logs" / "policy-ledger.log"
    logs.setup_logging(log_file)
    logger = logging.getLogger("policy_ledger.test")
    line = "某某县 2027 年清单：保存任务 " + "进" * 200
    for i in range(7_000):  # about 4.5 MB of text: the log turns over several times
        logger.info("%05d %s", i, line)
    names = {p.name for p in log_file.parent.iterdir()}
    assert "policy-ledger.log" in names and "policy-ledger.log.1" in names
    assert names <= {"policy-ledger.log", *(f"policy-ledger.log.{n}" for n in range(1, 6))}
    # the size check counts characters, the file bytes: a UTF-8 line may overshoot a little
    assert all(p.stat().st_size <= 1_000_000 + 2_000 for p in log_file.parent.iterdir())
    newest = log_file.read_text(encoding="utf-8")
    assert "06999" in newest  # the current file holds the latest lines
    # the oldest lines have gone: at most five old files are kept
    for _ in range(7_000):
        logger.info("%s", line)
    assert len(list(log_file.parent.iterdir())) == 6
    assert "00000 " not in "".join(p.read_text(encoding="utf-8") for p in log_file.parent.iterdir())


def test_setting_up_twice_adds_one_handler(tmp_path: Path, isolated_logging: None) -> None:
    log_file = tmp_path / "a.log"
    logs.setup_logging(log_file)
    logs.setup_logging(log_file)
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_policy_ledger", False)]
    assert len(ours) == 1
    logs.setup_logging(tmp_path / "b.log")  # another data folder: the handler moves
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_policy_ledger", False)]
    assert len(ours) == 1 and Path(ours[0].baseFilename).name == "b.log"  # type: ignore[attr-defined]


def test_a_bug_writes_its_traceback(tmp_path: Path, isolated_logging: None) -> None:
    log_file = tmp_path / "logs" / "policy-ledger.log"
    try:
        {}["missing"]  # the bug
    except KeyError:
        logs.log_bug(log_file, "worklist export-xlsx --year 2027")
    text = log_file.read_text(encoding="utf-8")
    assert "程序错误：worklist export-xlsx --year 2027" in text
    assert "Traceback" in text and "KeyError: 'missing'" in text


def _open_files_under(folder: Path) -> list[str]:
    """Files under ``folder`` this process holds open (Linux: /proc/self/fd)."""
    fds = Path("/proc/self/fd")
    found = []
    for fd in fds.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # the descriptor of the listing itself, closed meanwhile
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


def _windows_like_rmtree(
    path: str | os.PathLike[str], ignore_errors: bool = False, **handlers: Any
) -> None:
    """shutil.rmtree as Windows behaves: a folder holding an open file cannot be deleted.
    Patched into ``shutil`` itself, it serves every caller meanwhile (the schema cache
    cleans its folder with ``onerror``): an error handler given is told, as shutil does."""
    busy = _open_files_under(Path(path))
    if busy and not ignore_errors:
        error = PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", busy[0], 32)
        if "onexc" in handlers:
            handlers["onexc"](os.unlink, busy[0], error)
        elif "onerror" in handlers:
            handlers["onerror"](os.unlink, busy[0], (PermissionError, error, None))
        else:
            raise error
    _real_rmtree(path, ignore_errors=ignore_errors, **handlers)


_real_rmtree = shutil.rmtree
needs_proc = pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir(), reason=IMPOSSIBLE + "no /proc/self/fd (Windows, macOS)"
)


@needs_proc
def test_closing_an_office_leaves_no_file_of_it_open(
    tmp_path: Path, isolated_logging: None
) -> None:
    from desktop.services.context import open_office

    root = tmp_path / "office"
    services = open_office(root)
    logging.getLogger("policy_ledger.test").info("保存任务")  # the log file is open now
    services.notices.list()
    assert any(name.endswith("policy-ledger.log") for name in _open_files_under(root))
    services.close()
    assert _open_files_under(root) == []
    assert not [h for h in logging.getLogger().handlers if getattr(h, "_policy_ledger", False)]
    # a bug reported after closing still reaches the log
    try:
        raise KeyError("after close")
    except KeyError:
        logs.log_bug(root / "logs" / "policy-ledger.log", "after close")
    assert "after close" in (root / "logs" / "policy-ledger.log").read_text(encoding="utf-8")


@needs_proc
def test_the_selftest_deletes_its_folder_as_windows_would_allow(
    monkeypatch: pytest.MonkeyPatch, isolated_logging: None
) -> None:
    from desktop.services import selftest

    monkeypatch.setattr(selftest.shutil, "rmtree", _windows_like_rmtree)
    lines: list[str] = []
    assert selftest.run_selftest(lines.append), lines
    assert lines[-1].startswith("通过  删除临时文件夹")


@needs_proc
def test_the_selftest_fails_when_a_file_stays_open(
    monkeypatch: pytest.MonkeyPatch, isolated_logging: None
) -> None:
    from desktop.services import selftest

    held: list[object] = []

    def leave_a_file_open(root: Path) -> str:
        held.append((root / "held.txt").open("w", encoding="utf-8"))
        return "文件已打开"

    monkeypatch.setattr(selftest, "STEPS", [("打开文件", leave_a_file_open)])
    monkeypatch.setattr(selftest.shutil, "rmtree", _windows_like_rmtree)
    lines: list[str] = []
    try:
        assert not selftest.run_selftest(lines.append)
    finally:
        for handle in held:
            handle.close()  # type: ignore[attr-defined]
    assert lines[-1].startswith("失败  删除临时文件夹") and "held.txt" in lines[-1]
