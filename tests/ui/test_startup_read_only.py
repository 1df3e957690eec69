"""A database file that cannot be written is said at start, not at the first save."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.ui import dialogs
from desktop.ui import startup_checks as startup


def test_a_read_only_database_is_said_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "ledger.sqlite3"
    db.write_bytes(b"x")
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "warning", lambda _p, title, text: said.append((title, text)))
    assert startup.warn_read_only(None, db) is None  # writable: nothing to say
    assert said == []

    real_access = os.access
    # the test may run as root, whom a 0o444 file does not stop: ask as a user would
    monkeypatch.setattr(
        startup.os, "access", lambda p, m: False if Path(p) == db else real_access(p, m)
    )
    text = startup.warn_read_only(None, db)
    assert text is not None and said == [("数据库只能查看", text)]
    assert str(db) in text and "只读" in text and "无法保存" in text and "请" in text
    assert db.read_bytes() == b"x"
    assert startup.warn_read_only(None, tmp_path / "none.sqlite3") is None
