"""系统 → 备份与恢复: the backups list, what a backup holds, backing up, asking to restore."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop.app import make_application
from desktop.errors import DatabaseError
from desktop.services.context import Services
from desktop.ui.background import wait_for_background
from desktop.ui.backup_page import BackupPanel, BackupTableModel
from desktop.ui.system_page import SystemPage


def settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Let background jobs finish and deliver their results."""
    for _ in range(5):
        wait_for_background()
        QApplication.processEvents()
    qtbot.wait(10)


def test_model_over_backups(qtmodeltester, county: Services) -> None:
    county.backups.backup_now()
    county.backups.backup_automatic()
    model = BackupTableModel()
    model.set_rows(county.backups.list_backups())
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and model.columnCount() == 4
    kinds = {model.index(r, 1).data() for r in range(2)}
    assert kinds == {"手动备份", "自动备份"}
    assert model.index(0, 2).data().endswith("KB")


def test_system_page_lists_backups_and_shows_what_one_holds(
    qtbot, county: Services, shots: Path, answered
) -> None:
    make_application()  # the program's style sheet, as users see it
    notice = next(n for n in county.notices.list() if n.builtin)
    wl = county.list_lifecycle.create(notice.id, 2027)
    county.task_editing.generate_draft(wl.id)
    county.backups.backup_automatic()
    page = SystemPage(county.data_dir, county.maintenance, county.backups, county.restoring)
    qtbot.addWidget(page)
    page.resize(1100, 720)
    settle(qtbot)
    panel = page.backups
    assert panel.model.rowCount() == 1
    fields = panel.details.fields
    assert "某某县" in fields["office"].text() and "某某市" in fields["office"].text()
    assert fields["tasks"].text() == "38 项" and "2027" in fields["lists"].text()
    assert "生成初稿" in fields["last"].text() and "张三" in fields["last"].text()
    assert fields["state"].text() == "完好，可以恢复"
    assert panel.restore_button.isEnabled()
    assert page.grab().save(str(shots / "system.png"))


def test_backup_now_adds_a_row(qtbot, county: Services, answered) -> None:
    panel = BackupPanel(county.backups, county.restoring)
    qtbot.addWidget(panel)
    assert panel.model.rowCount() == 0
    assert "还没有备份" in panel.details.fields["state"].text()
    assert not panel.restore_button.isEnabled()
    panel.backup_now()
    settle(qtbot)
    assert panel.model.rowCount() == 1
    assert panel.model.backup(0).kind == "手动"
    assert "已备份" in panel.status.text()


def test_backup_to_a_usb_stick(qtbot, county: Services, answered, tmp_path: Path) -> None:
    panel = BackupPanel(county.backups, county.restoring)
    qtbot.addWidget(panel)
    answered["path"] = tmp_path / "U盘" / "年中备份"
    (tmp_path / "U盘").mkdir()
    panel.backup_to()
    settle(qtbot)
    assert (tmp_path / "U盘" / "年中备份.sqlite3").exists()
    kind, title, text = answered["messages"][-1]
    assert (kind, title) == ("info", "备份完成")
    assert "年中备份.sqlite3" in text and "校验完好" in text


def test_a_failed_backup_is_said(qtbot, county: Services, answered, monkeypatch) -> None:
    def full(_target: Path, **_options: object) -> None:
        raise DatabaseError("备份数据库失败：磁盘空间已满。")

    monkeypatch.setattr(county.backups, "backup_to", full)
    panel = BackupPanel(county.backups, county.restoring)
    qtbot.addWidget(panel)
    answered["path"] = Path("/nowhere/copy.sqlite3")
    panel.backup_to()
    settle(qtbot)
    kind, title, text = answered["messages"][-1]
    assert kind == "warning" and title == "备份未完成" and "磁盘空间已满" in text
    assert panel.backup_to_button.isEnabled()


def test_restore_asks_then_closes_the_window(qtbot, county: Services, answered) -> None:
    taken = county.backups.backup_now()
    closes: list[bool] = []

    def close_window() -> bool:
        closes.append(True)
        return True

    panel = BackupPanel(county.backups, county.restoring, close_window=close_window)
    qtbot.addWidget(panel)
    settle(qtbot)
    answered["confirm"] = False
    panel.restore_selected()
    assert closes == [] and county.restoring.take_scheduled_restore() is None
    answered["confirm"] = True
    panel.restore_selected()
    assert closes == [True]
    assert county.restoring.take_scheduled_restore() == taken.path


def test_restore_is_dropped_when_the_window_stays_open(qtbot, county: Services, answered) -> None:
    county.backups.backup_now()
    panel = BackupPanel(
        county.backups, county.restoring, close_window=lambda: False
    )  # 取消 on unsaved edits
    qtbot.addWidget(panel)
    settle(qtbot)
    panel.restore_selected()
    assert county.restoring.take_scheduled_restore() is None
    assert "已取消恢复" in panel.status.text()


def test_restore_from_a_bad_file_is_refused(
    qtbot, county: Services, answered, tmp_path: Path
) -> None:
    bad = tmp_path / "坏.sqlite3"
    bad.write_bytes(b"\x00" * 4096)
    panel = BackupPanel(county.backups, county.restoring, close_window=lambda: True)
    qtbot.addWidget(panel)
    answered["path"] = bad
    panel.restore_from_file()
    kind, title, text = answered["messages"][-1]
    assert kind == "warning" and "不能" in title and "不能使用" in text
    assert county.restoring.take_scheduled_restore() is None


def test_restore_from_another_file(qtbot, county: Services, answered, tmp_path: Path) -> None:
    copy = county.backups.backup_to(tmp_path / "copy.sqlite3")
    panel = BackupPanel(county.backups, county.restoring, close_window=lambda: True)
    qtbot.addWidget(panel)
    answered["path"] = copy.path
    panel.restore_from_file()
    assert county.restoring.take_scheduled_restore() == copy.path


def test_the_database_check_runs_in_the_background(qtbot, county: Services, answered) -> None:
    page = SystemPage(county.data_dir, county.maintenance, county.backups, county.restoring)
    qtbot.addWidget(page)
    page.check()
    assert not page.check_button.isEnabled()
    settle(qtbot)
    assert page.check_button.isEnabled()
    kind, _title, text = answered["messages"][-1]
    assert kind == "info" and "数据库完整" in text
