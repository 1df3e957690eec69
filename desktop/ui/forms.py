"""Parts the program's small form dialogs build the same way: notes, a year box, 确定/取消.

The dialogs only collect input (``desktop.ui.dialogs.run_dialog`` shows them); these helpers
keep their wording and wiring alike: the OK button carries the action's own verb ("新建",
"销号"), the other one says 取消 unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QSpinBox

_OK = QDialogButtonBox.StandardButton.Ok
_CANCEL = QDialogButtonBox.StandardButton.Cancel


def wrapped(text: str = "") -> QLabel:
    """A label that wraps its text to the dialog's width (an intro, a summary, a banner)."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def hint(text: str = "") -> QLabel:
    """A wrapped note in grey (the style sheet's ``#hint``)."""
    label = wrapped(text)
    label.setObjectName("hint")
    return label


def year_spin(year: int) -> QSpinBox:
    """The year of a list: four digits, shown as "2027 年"."""
    box = QSpinBox()
    box.setRange(2000, 2100)
    box.setValue(year)
    box.setSuffix(" 年")
    return box


def ok_cancel(
    dialog: QDialog,
    ok: str,
    *,
    cancel: str = "取消",
    on_ok: Callable[[], None] | None = None,
) -> QDialogButtonBox:
    """OK and Cancel with the program's words; OK runs ``on_ok`` (else accepts the dialog)."""
    box = QDialogButtonBox(_OK | _CANCEL)
    box.button(_OK).setText(ok)
    box.button(_CANCEL).setText(cancel)
    box.accepted.connect(on_ok if on_ok is not None else dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def set_ok_enabled(box: QDialogButtonBox, enabled: bool) -> None:
    box.button(_OK).setEnabled(enabled)
