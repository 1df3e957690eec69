"""Qt's own dialogs speak Chinese: its translation plus the strings it lacks."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel

from desktop.app import make_application


def test_standard_buttons_and_file_dialog_labels_are_chinese(qtbot) -> None:
    make_application()
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消"])
    dialog = QFileDialog(None, "选择文件")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert labels and not [t for t in labels if re.search("[A-Za-z]{3}", t)], labels
