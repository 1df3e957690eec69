"""The log file: it rotates (1 MB × 5 kept), and a bug's traceback lands in it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import logs


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
