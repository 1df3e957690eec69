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
