"""Every modal question and message of the program, in one place.

This module is the only code that calls ``exec()`` on a dialog or opens a ``QFileDialog``;
tests replace these functions (monkeypatch) instead of patching Qt classes piece by piece.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.forms import ok_cancel, wrapped

if TYPE_CHECKING:  # the print module loads only when the user prints
    from PySide6.QtPrintSupport import QPrinter


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def warning(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def error(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
    if detail:
        box.setDetailedText(detail)
    box.exec()


def confirm(
    parent: QWidget | None, title: str, text: str, *, ok: str = "确定", warn: bool = False
) -> bool:
    """确定/取消 (``ok`` names the action); ``warn`` shows the warning sign instead of the
    question mark, for a go-ahead the user should think twice about."""
    icon = QMessageBox.Icon.Warning if warn else QMessageBox.Icon.Question
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(ok, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.exec()
    return box.clickedButton() is yes


def ask_choice(parent: QWidget | None, title: str, text: str, choices: list[str]) -> int | None:
    """One of ``choices`` as buttons (the first the default), or None when closed."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    buttons = [box.addButton(c, QMessageBox.ButtonRole.AcceptRole) for c in choices]
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    if buttons:
        box.setDefaultButton(buttons[0])
    box.exec()
    clicked = box.clickedButton()
    return next((i for i, b in enumerate(buttons) if b is clicked), None)


def ask_save_changes(parent: QWidget | None, what: str) -> str:
    """'save', 'discard' or 'cancel' for unsaved edits of ``what``."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "尚未保存",
        f"{what}有尚未保存的修改。是否保存？",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("不保存", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return "save"
    if clicked is discard:
        return "discard"
    return "cancel"


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getMultiLineText(parent, title, label, text)
    return value if ok else None


# the folder the last file dialog ended in; a save name given without a folder goes there.
# Kept for the next start in the desk's settings file when the window names one.
_last_folder: Path | None = None
_settings_file: Path | None = None
_SETTINGS_KEY = "dialogs/last_folder"


def remember_folders_in(settings_file: Path) -> None:
    """Keep the last folder used in ``settings_file`` (an INI file beside the database:
    the desk's habits, not the office's data) and start from the one kept there."""
    global _settings_file, _last_folder
    from PySide6.QtCore import QSettings

    _settings_file = settings_file
    kept = QSettings(str(settings_file), QSettings.Format.IniFormat).value(_SETTINGS_KEY)
    if isinstance(kept, str) and kept:
        _last_folder = Path(kept)


def documents_folder() -> Path:
    """The user's documents folder when it exists, else the home folder.

    A file dialog given a folder that does not exist opens in the program's working folder
    (on Windows where the program is installed), so a missing 文档 is never passed on.
    """
    from PySide6.QtCore import QStandardPaths

    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if docs and Path(docs).is_dir():
        return Path(docs)
    return Path.home()


def last_folder() -> Path:
    """Where the next file dialog opens: the last folder used while it still exists (a USB
    stick may be gone), else the user's documents."""
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    return documents_folder()


def _start(start: str) -> str:
    """Where a file dialog opens: the caller's path, else the last folder used, else the
    user's documents (never the program's own folder, which on Windows is where it is
    installed)."""
    given = Path(start) if start else None
    if given is not None and given.is_absolute() and given.parent.is_dir():
        return start
    if given is not None and given.is_absolute():
        given = Path(given.name)  # its folder is gone: the same name in a folder that exists
    folder = last_folder()
    return str(folder / given) if given is not None else str(folder)


def _remember(path: str) -> Path | None:
    global _last_folder
    if not path:
        return None
    chosen = Path(path)
    _last_folder = chosen if chosen.is_dir() else chosen.parent
    if _settings_file is not None:
        from PySide6.QtCore import QSettings

        settings = QSettings(str(_settings_file), QSettings.Format.IniFormat)
        settings.setValue(_SETTINGS_KEY, str(_last_folder))
        settings.sync()
    return chosen


class RequiredTextDialog(QDialog):
    """A question that needs a written answer (a reason, an explanation).

    The text wraps at the box's width, however long the line; 确定 with nothing written
    keeps the dialog open with a note under the box, so what the user typed so far and
    the dialog itself are never lost to a warning.
    """

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        label: str,
        text: str = "",
        *,
        ok: str = "确定",
        missing: str = "请填写内容后再点“确定”。",
        field: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._missing_text = missing
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(label))
        self.box = QPlainTextEdit()
        self.box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.box.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.box.setTabChangesFocus(True)
        self.box.setMinimumHeight(120)
        self.box.setPlainText(text)
        if field is None:
            layout.addWidget(self.box, 1)
        else:  # held to the field's limit, with a counter
            from desktop.ui.limits import LimitedText

            self.limit = LimitedText(self.box, field)
            layout.addWidget(self.limit.widget, 1)
        self.missing = wrapped()
        self.missing.setObjectName("errorBanner")
        self.missing.hide()
        layout.addWidget(self.missing)
        layout.addWidget(ok_cancel(self, ok, on_ok=self._ok))
        self.box.textChanged.connect(self.missing.hide)
        self.box.setFocus()

    def value(self) -> str:
        return self.box.toPlainText().strip()

    def _ok(self) -> None:
        if self.value():
            self.accept()
            return
        self.missing.setText(self._missing_text)
        self.missing.show()
        self.box.setFocus()


def ask_required_text(
    parent: QWidget | None,
    title: str,
    label: str,
    text: str = "",
    *,
    ok: str = "确定",
    missing: str = "请填写内容后再点“确定”。",
    field: str | None = None,
) -> str | None:
    """A written answer that may not be empty (stripped), or None when cancelled; ``field``
    names the schema field whose limit it is held to."""
    dialog = RequiredTextDialog(parent, title, label, text, ok=ok, missing=missing, field=field)
    return dialog.value() if run_dialog(dialog) else None


def ask_open_path(parent: QWidget | None, title: str, filters: str, start: str = "") -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, _start(start), filters)
    return _remember(path)


def ask_open_paths(parent: QWidget | None, title: str, filters: str, start: str = "") -> list[Path]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, _start(start), filters)
    if paths:
        _remember(paths[0])
    return [Path(p) for p in paths]


def ask_save_path(parent: QWidget | None, title: str, filters: str, start: str = "") -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, _start(start), filters)
    return _remember(path)


def ask_folder(parent: QWidget | None, title: str, start: str = "") -> Path | None:
    path = QFileDialog.getExistingDirectory(parent, title, _start(start))
    return _remember(path)


def ask_printer(
    parent: QWidget | None, printer: QPrinter, *, pages: int = 0, current_page: bool = False
) -> bool:
    """The system's print dialog for ``printer``; True when the user chose to print.

    ``pages`` bounds the page range the user may type; ``current_page`` offers
    “当前页”. The chosen printer, range and copies are left on ``printer``.
    """
    from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog

    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印台账")
    option = QAbstractPrintDialog.PrintDialogOption
    dialog.setOption(option.PrintPageRange, True)
    dialog.setOption(option.PrintCurrentPage, current_page)
    dialog.setOption(option.PrintToFile, True)
    if pages > 0:
        dialog.setMinMax(1, pages)
    return dialog.exec() == QDialog.DialogCode.Accepted


def run_dialog(dialog: QDialog) -> bool:
    """Show a program dialog modally; True when the user accepted it.

    The dialog is deleted when control returns to the event loop, so read its values right
    after: a dialog parented to a screen would otherwise live, hidden, as long as the screen.
    """
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
