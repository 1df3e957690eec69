"""The backup page says when old backups could not be deleted (the backup itself is good)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from desktop.core import file_retry
from desktop.services.context import Services
from desktop.services.safety.backups import BackupService
from tests.services.test_backup_retry import Clock, held, old_automatic_backups


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_retry.time, "sleep", lambda _s: None)


def test_the_backup_page_says_what_the_prune_left(
    qtbot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.backup_page import BackupPanel

    clock = Clock(datetime(2026, 1, 1, 17, 0))
    backups = BackupService(services.data_dir, clock=clock)
    old = old_automatic_backups(services, clock, 20)
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self in old[:2]:
            raise held(self)
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    backups.backup_automatic()
    panel = BackupPanel(backups, services.restoring)
    qtbot.addWidget(panel)
    assert not panel.status.isHidden()
    assert "有 2 份按保留规则应删除的旧备份暂时无法删除" in panel.status.text()
