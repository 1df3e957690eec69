"""What the window says at start about an altered schema and a damaged log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from desktop.paths import DataDir
from desktop.services.context import open_office
from desktop.services.office.service import OfficeInfo
from desktop.services.safety.backups import BackupService, DatabaseDamagedError
from desktop.ui.startup_checks import DamagedDatabaseDialog, offer_restore_after_wal_damage
from tests.services.test_wal_damage import _crashed_copy, _flip_first_frame


@pytest.fixture
def office(data_root: Path) -> Path:
    services = open_office(data_root)
    try:
        services.office.save(OfficeInfo(locality="某某县", level="县级", parent="某某市"))
        services.backups.backup_automatic()
    finally:
        services.close()
    return data_root


def test_an_altered_schema_is_named_and_the_backup_offered(
    qtbot, office: Path, shots: Path
) -> None:
    conn = sqlite3.connect(office / "ledger.sqlite3")
    conn.execute(
        "CREATE TRIGGER rewrite AFTER INSERT ON audit_log "
        "BEGIN UPDATE progress_report SET percent = 100; END"
    )
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseDamagedError) as caught:
        open_office(office)
    dialog = DamagedDatabaseDialog(caught.value, BackupService(DataDir(office)))
    qtbot.addWidget(dialog)
    assert "结构被改动" in dialog.windowTitle()
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.backup_label)))
    assert "多出触发器 rewrite（在表 audit_log 上）" in texts and "已损坏" not in texts
    assert dialog.restore_button.isEnabled()
    dialog.grab().save(str(shots / "altered-schema.png"))


@pytest.mark.parametrize("restore", [True, False])
def test_a_damaged_log_offers_the_newest_backup(
    qtbot, answered, office: Path, tmp_path: Path, restore: bool
) -> None:
    root = _crashed_copy(office, tmp_path / "crashed")
    _flip_first_frame(root)
    services = open_office(root)
    try:
        damage = services.wal_damage
        assert damage is not None and damage.backup is not None
        window = QWidget()
        qtbot.addWidget(window)
        window.show()
        answered["confirm"] = restore
        assert offer_restore_after_wal_damage(window, damage, services.restoring) is restore
        scheduled = services.restoring.take_scheduled_restore()
        assert scheduled == (damage.backup.info.path if restore else None)
        assert window.isVisible() is not restore
    finally:
        services.close()
