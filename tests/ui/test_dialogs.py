"""desktop.ui.dialogs: the one place that shows modal windows."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QWidget

from desktop.ui import dialogs
from desktop.ui.worklist.list_dialogs import SplitDialog


def _offscreen(dialog: SplitDialog) -> SplitDialog:
    # a fixed minimum keeps the layout from pushing size hints to the offscreen window
    # (the plugin warns, and warnings fail the tests)
    dialog.setMinimumSize(600, 400)
    return dialog


def test_a_dialog_shown_over_a_screen_does_not_outlive_its_use(qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = QWidget()
    qtbot.addWidget(screen)
    for _ in range(3):
        dialog = _offscreen(SplitDialog("3", "推进甲项目建设。完成乙项改造。", screen))
        QTimer.singleShot(0, dialog.accept)
        assert dialogs.run_dialog(dialog)
        # what the user typed is still there for the caller to read ...
        assert dialog.parts() == ["推进甲项目建设。", "完成乙项改造。"]
    # ... and the dialogs go once control is back in the event loop, instead of piling up
    # as hidden children of the screen for as long as it lives
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    assert screen.findChildren(QDialog) == []


def test_a_cancelled_dialog_goes_too(qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = QWidget()
    qtbot.addWidget(screen)
    dialog = _offscreen(SplitDialog("3", "推进甲项目建设。", screen))
    QTimer.singleShot(0, dialog.reject)
    assert not dialogs.run_dialog(dialog)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    assert screen.findChildren(QDialog) == []


def test_file_dialogs_start_in_documents_then_where_the_user_was(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from desktop.ui import dialogs

    monkeypatch.setattr(dialogs, "_last_folder", None)
    start = Path(dialogs._start("台账.pdf"))
    assert start.name == "台账.pdf" and start.parent != Path.cwd()
    assert dialogs._start(str(tmp_path / "a.pdf")) == str(tmp_path / "a.pdf")
    dialogs._remember(str(tmp_path / "chosen.xlsx"))
    assert dialogs._start("清单.xlsx") == str(tmp_path / "清单.xlsx")


def test_file_dialogs_never_start_in_a_folder_that_does_not_exist(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from PySide6.QtCore import QStandardPaths

    monkeypatch.setattr(dialogs, "_last_folder", None)
    monkeypatch.setattr(dialogs, "_settings_file", None)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    # a desk without a 文档 folder: the home folder, not the program's working folder
    monkeypatch.setattr(
        QStandardPaths, "writableLocation", staticmethod(lambda _kind: str(home / "文档"))
    )
    assert Path(dialogs._start("台账.pdf")) == home / "台账.pdf"
    (home / "文档").mkdir()
    assert Path(dialogs._start("台账.pdf")) == home / "文档" / "台账.pdf"
    # a remembered folder that has gone (a USB stick pulled out) is not used
    stick = tmp_path / "U盘"
    stick.mkdir()
    dialogs._remember(str(stick / "上报包.zip"))
    assert Path(dialogs._start("台账.pdf")) == stick / "台账.pdf"
    stick.rmdir()
    assert Path(dialogs._start("台账.pdf")) == home / "文档" / "台账.pdf"
    assert Path(dialogs._start(str(stick / "台账.pdf"))) == home / "文档" / "台账.pdf"


def test_the_last_folder_is_remembered_for_the_next_start(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    monkeypatch.setattr(dialogs, "_last_folder", None)
    monkeypatch.setattr(dialogs, "_settings_file", None)
    settings = tmp_path / "window.ini"
    dialogs.remember_folders_in(settings)
    reports = tmp_path / "报表"
    reports.mkdir()
    dialogs._remember(str(reports / "台账.xlsx"))
    # the program restarts: nothing in memory, the desk's settings file remains
    monkeypatch.setattr(dialogs, "_last_folder", None)
    dialogs.remember_folders_in(settings)
    assert Path(dialogs._start("清单.csv")) == reports / "清单.csv"


def test_a_required_text_stays_open_until_something_is_written(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QTextOption
    from PySide6.QtWidgets import QPlainTextEdit

    dialog = dialogs.RequiredTextDialog(
        None, "标为不适用", "请写明理由：", ok="标为不适用", missing="必须填写理由。"
    )
    qtbot.addWidget(dialog)
    dialog.setMinimumSize(520, 260)
    dialog.show()
    # a long reason wraps at the box's width instead of scrolling sideways
    assert dialog.box.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
    assert dialog.box.wordWrapMode() == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
    dialog.box.setPlainText("   ")
    dialog._ok()  # 确定 with nothing written: still open, told why, nothing lost
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.missing.isVisible() and dialog.missing.text() == "必须填写理由。"
    dialog.box.insertPlainText("本县不涉及该项工作")
    assert not dialog.missing.isVisible()  # the note goes as soon as something is typed
    dialog._ok()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value() == "本县不涉及该项工作"


def test_ask_required_text_returns_the_text_or_none(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def answer(dialog):  # type: ignore[no-untyped-def]
        dialog.box.setPlainText("  已与上级沟通  ")
        return True

    monkeypatch.setattr(dialogs, "run_dialog", answer)
    assert dialogs.ask_required_text(None, "接受提醒", "说明：") == "已与上级沟通"
    monkeypatch.setattr(dialogs, "run_dialog", lambda dialog: False)
    assert dialogs.ask_required_text(None, "接受提醒", "说明：", "原来的说明") is None
