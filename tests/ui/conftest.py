"""GUI test helpers: dialogs answered by the test, never by a modal window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.services.context import Services
from desktop.services.office.service import OfficeInfo


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, object]]:
    """Replace desktop.ui.dialogs so no modal dialog blocks; records what was shown."""
    from desktop.ui import dialogs

    shown: dict[str, object] = {"messages": [], "confirm": True, "text": None, "path": None}

    def record(kind: str):  # type: ignore[no-untyped-def]
        def show(parent, title, text, *a, **k):  # type: ignore[no-untyped-def]
            shown["messages"].append((kind, title, text))  # type: ignore[union-attr]

        return show

    monkeypatch.setattr(dialogs, "info", record("info"))
    monkeypatch.setattr(dialogs, "warning", record("warning"))
    monkeypatch.setattr(dialogs, "error", record("error"))
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: shown["confirm"])
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: shown["text"])
    monkeypatch.setattr(dialogs, "ask_required_text", lambda *a, **k: shown["text"])
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *a, **k: shown.get("save", "save"))
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: shown["path"])
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a, **k: shown["path"])
    monkeypatch.setattr(dialogs, "ask_folder", lambda *a, **k: shown["path"])
    monkeypatch.setattr(dialogs, "run_dialog", lambda d: shown.get("run_dialog", True))
    monkeypatch.setattr(dialogs, "ask_choice", lambda *a, **k: shown.get("choice", 0))
    yield shown


@pytest.fixture
def county(services: Services) -> Services:
    services.office.save(
        OfficeInfo(locality="某某县", level="县级", parent="某某市", operator="张三")
    )
    return services


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screen renders go (kept under the test's tmp folder)."""
    out = tmp_path / "shots"
    out.mkdir()
    return out
