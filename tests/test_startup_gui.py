"""The GUI's start and end: damaged database → restore or quit, fonts, backups, restart.

Dialogs are answered by the test (``desktop.ui.dialogs`` replaced), never by a person.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from desktop.errors import DatabaseError
from desktop.services.context import Services, open_office
from desktop.services.office.service import OfficeInfo
from desktop.ui import dialogs
from desktop.ui import startup_checks as startup
from desktop.ui.main_window import MainWindow

Messages = list[tuple[str, str, str]]


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Messages:
    messages: Messages = []

    def record(kind: str) -> Callable[..., None]:
        def show(_parent: object, title: str, text: str, *_a: object, **_k: object) -> None:
            messages.append((kind, title, text))

        return show

    for kind in ("info", "warning", "error"):
        monkeypatch.setattr(dialogs, kind, record(kind))
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    return messages


def _office(root: Path, locality: str = "某某县") -> Path:
    services = open_office(root)
    try:
        services.office.save(OfficeInfo(locality=locality, level="县级", parent="某某市"))
        return services.backups.backup_automatic().path
    finally:
        services.close()


def _damage(root: Path) -> bytes:
    db = root / "ledger.sqlite3"
    with open(db, "r+b") as f:
        f.truncate(db.stat().st_size // 2)
    return db.read_bytes()


def test_damaged_start_restores_the_offered_backup(
    qtbot, data_root: Path, shown: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _office(data_root)
    _damage(data_root)
    seen: list[startup.DamagedDatabaseDialog] = []

    def answer(dialog: QDialog) -> bool:
        assert isinstance(dialog, startup.DamagedDatabaseDialog)
        seen.append(dialog)
        assert dialog.restore_button.isEnabled() and str(good) in dialog.backup_label.text()
        dialog.restore_button.click()  # 恢复
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", answer)
    services = startup.open_office_interactively(data_root, open_office)
    assert services is not None and len(seen) == 1
    try:
        assert services.office.get().locality == "某某县"
        kind, title, text = shown[-1]
        assert kind == "info" and "已从备份恢复" in title and "损坏-" in text
        assert any(p.name.startswith("损坏-") for p in services.data_dir.backups.iterdir())
    finally:
        services.close()


def test_an_emptied_database_is_restored_without_naming_a_kept_copy(
    qtbot, data_root: Path, shown: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 0-byte database leaves nothing to keep: the message must not say “留存为：None”."""
    _office(data_root)
    for extra in data_root.glob("ledger.sqlite3-*"):
        extra.unlink()
    (data_root / "ledger.sqlite3").write_bytes(b"")

    def answer(dialog: QDialog) -> bool:
        assert isinstance(dialog, startup.DamagedDatabaseDialog)
        assert "文件丢失" in dialog.windowTitle()
        said = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert "0 字节" in said and "损坏扩大" not in said and "损坏-" not in said
        dialog.restore_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", answer)
    services = startup.open_office_interactively(data_root, open_office)
    assert services is not None
    try:
        assert services.office.get().locality == "某某县"
        kind, title, text = shown[-1]
        assert kind == "info" and "已从备份恢复" in title
        assert "None" not in text and "留存" not in text
    finally:
        services.close()


def test_damaged_start_quit_leaves_the_file_alone(
    qtbot, data_root: Path, shown: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    _office(data_root)
    damaged = _damage(data_root)
    monkeypatch.setattr(dialogs, "run_dialog", lambda dialog: False)  # 退出
    assert startup.open_office_interactively(data_root, open_office) is None
    assert (data_root / "ledger.sqlite3").read_bytes() == damaged


def test_damaged_start_without_backup_offers_a_file(
    qtbot, data_root: Path, shown: Messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    services = open_office(data_root)
    try:
        services.office.save(OfficeInfo(locality="某某县", level="县级"))
        usb = services.backups.backup_to(tmp_path / "usb.sqlite3").path
    finally:
        services.close()
    _damage(data_root)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: usb)

    def answer(dialog: QDialog) -> bool:
        assert isinstance(dialog, startup.DamagedDatabaseDialog)
        assert not dialog.restore_button.isEnabled()
        assert "没有完好的备份" in dialog.backup_label.text()
        dialog.other_button.click()  # 选择其他备份文件…
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", answer)
    services = startup.open_office_interactively(data_root, open_office)
    assert services is not None
    try:
        assert services.office.get().locality == "某某县"
    finally:
        services.close()


def test_a_wrong_file_chosen_at_a_damaged_start_says_what_to_do(
    qtbot, data_root: Path, shown: Messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _office(data_root)
    damaged = _damage(data_root)
    package = tmp_path / "甲县_2027_v1.zip"
    package.write_bytes(b"PK\x03\x04" + b"\0" * 200)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: package)

    def answer(dialog: QDialog) -> bool:
        dialog.other_button.click()
        assert dialog.result() != QDialog.DialogCode.Accepted  # still open: choose again
        return False  # then 退出

    monkeypatch.setattr(dialogs, "run_dialog", answer)
    assert startup.open_office_interactively(data_root, open_office) is None
    kind, title, text = shown[-1]
    assert kind == "warning" and "不能从这份备份恢复" in title
    assert "不是数据库" in text and "请选择另一份备份文件" in text
    assert (data_root / "ledger.sqlite3").read_bytes() == damaged


def test_a_folder_that_cannot_be_opened_is_said(qtbot, tmp_path: Path, shown: Messages) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    assert startup.open_office_interactively(not_a_folder, open_office) is None
    kind, title, text = shown[-1]
    assert kind == "error" and "无法启动" in title and "数据文件夹" in text


def test_missing_fonts_are_said_once(
    qtbot, shown: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop.core.reports as reports

    monkeypatch.setattr(reports, "check_fonts", lambda: "没有找到可用的中文字体。请安装宋体。")
    text = startup.warn_missing_fonts(None)
    assert text is not None and shown == [("warning", "缺少中文字体", text)]
    assert "PDF" in text and "宋体" in text
    monkeypatch.setattr(reports, "check_fonts", lambda: None)
    assert startup.warn_missing_fonts(None) is None and len(shown) == 1


def test_backup_on_exit_and_its_failure(
    qtbot, services: Services, shown: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert startup.backup_on_exit(services.backups)
    assert [b.kind for b in services.backups.list_backups()] == ["自动"]

    def full() -> None:
        raise DatabaseError("备份数据库失败：磁盘空间已满。")

    monkeypatch.setattr(services.backups, "backup_automatic", full)
    assert not startup.backup_on_exit(services.backups)
    kind, title, text = shown[-1]
    assert kind == "warning" and "自动备份未完成" in title and "磁盘空间已满" in text


def test_run_gui_restores_and_reopens(
    qtbot, data_root: Path, shown: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole loop: window → restore in 系统 → window closes → restored → new window."""
    import desktop.app as app_module

    monkeypatch.setattr(app_module, "install_excepthook", lambda: None)
    good = _office(data_root)
    services = open_office(data_root)
    services.office.save(OfficeInfo(locality="改名县", level="县级", parent="某某市"))
    services.close()
    seen: list[str] = []
    handled: set[int] = set()

    def drive() -> None:
        for widget in QApplication.topLevelWidgets():
            ready = isinstance(widget, MainWindow) and widget.isVisible() and widget.is_ready()
            if ready and id(widget) not in handled:
                handled.add(id(widget))
                seen.append(widget._office_label.text())
                if len(seen) == 1:
                    panel = widget.show_area("system").backups  # type: ignore[attr-defined]
                    rows = range(panel.model.rowCount())
                    row = next(r for r in rows if panel.model.backup(r).path == good)
                    panel.table.selectRow(row)
                    panel.restore_selected()  # confirmed; closes the window
                else:
                    widget.close()
                return

    timer = QTimer()
    timer.timeout.connect(drive)
    timer.start(50)
    try:
        code = app_module.run_gui(str(data_root))
    finally:
        timer.stop()
    assert code == 0
    assert len(seen) == 2 and "改名县" in seen[0] and "某某县" in seen[1]
    assert any("已从备份恢复" in title for _k, title, _t in shown)
    backups = {p.name.split("-")[0] for p in (data_root / "backups").glob("*.sqlite3")}
    assert {"自动", "恢复前"} <= backups  # the exit backup and the one before the restore
    reopened = open_office(data_root)
    try:
        assert reopened.office.get().locality == "某某县"
    finally:
        reopened.close()
