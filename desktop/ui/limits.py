"""Entry fields that follow the field schema (``desktop.core.schema``): each shows its limit
and stops there, and a character the ledger could not print is refused as it is typed.

- A one-line field (``limit_line``) takes at most the field's number of characters (Qt's own
  maximum length) and says so in its tooltip.
- A text box (``LimitedText``) shows a counter under it (``12/2000``); typing or pasting past
  the limit keeps what fits and says the rest was not taken.
- Control characters are dropped silently; an emoji or a character outside the ledger's fonts
  is dropped with the schema's own sentence (in the text box's note, or as a tooltip beside
  a one-line field), the same words the service would refuse it with on 保存.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QToolTip, QVBoxLayout, QWidget

from desktop.core.schema import limit, strip_controls, text_problem, unprintable
from desktop.core.vocabulary import LABELS

__all__ = ["LimitedText", "limit_line", "refusal", "refuse_unprintable"]


def refusal(key: str, text: str) -> str:
    """Why ``text`` cannot go into field ``key`` as it stands (empty when it can)."""
    bad = unprintable(text)
    if not bad:
        return ""
    problem = text_problem(key, bad)
    return problem.message if problem is not None else ""


def _keep(text: str, bad: str) -> str:
    text = strip_controls(text)
    return "".join(ch for ch in text if ch not in bad) if bad else text


def limit_line(edit: QLineEdit, key: str) -> None:
    """Give a one-line field its limit, and refuse what the ledger could not print."""
    most = limit(key)
    edit.setMaxLength(most)
    tip = edit.toolTip()
    edit.setToolTip(f"{tip}（最多 {most} 个字）" if tip else f"{LABELS[key]}：最多 {most} 个字")
    refuse_unprintable(edit, key)


def refuse_unprintable(edit: QLineEdit, key: str) -> None:
    """Drop control characters as they come, and what the ledger could not print with the
    schema's sentence beside the field (a field of several names, each with its own limit
    that the service checks, takes this alone)."""

    def edited(text: str) -> None:
        bad = unprintable(text)
        kept = _keep(text, bad)
        if kept == text:
            return
        at = edit.cursorPosition() - (len(text) - len(kept))
        edit.setText(kept)
        edit.setCursorPosition(max(0, at))
        if bad:
            QToolTip.showText(edit.mapToGlobal(QPoint(0, edit.height())), refusal(key, bad), edit)

    edit.textEdited.connect(edited)


class LimitedText(QObject):
    """A text box held to field ``key``'s limit, with a counter; ``widget`` is the box with
    the counter under it, to put in a layout in the box's place."""

    def __init__(self, box: QPlainTextEdit, key: str, *, counter: bool = True) -> None:
        super().__init__(box)
        self.box = box
        self.key = key
        self.most = limit(key)
        self.note = ""
        self._busy = False
        self.counter = QLabel()
        self.counter.setObjectName("hint")
        self.counter.setWordWrap(True)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.counter.setVisible(counter)
        self.widget = QWidget()
        column = QVBoxLayout(self.widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(box)
        column.addWidget(self.counter)
        box.setToolTip(f"{LABELS[key]}：最多 {self.most} 个字")
        box.textChanged.connect(self._changed)
        self._show()

    def _changed(self) -> None:
        if self._busy:
            return
        text = self.box.toPlainText()
        bad = unprintable(text)
        kept = _keep(text, bad)
        note = refusal(self.key, bad) if bad else ""
        if len(kept) > self.most:
            note = f"“{LABELS[self.key]}”最多 {self.most} 个字，超出的部分未录入"
            kept = kept[: self.most]
        if kept != text:
            cursor = self.box.textCursor()
            at = min(cursor.position(), len(kept))
            self.box.blockSignals(True)
            self.box.setPlainText(kept)
            self.box.blockSignals(False)
            cursor = self.box.textCursor()
            cursor.setPosition(at, QTextCursor.MoveMode.MoveAnchor)
            self.box.setTextCursor(cursor)
            self._busy = True
            try:
                self.box.textChanged.emit()  # the form sees the text as kept
            finally:
                self._busy = False
        self.note = note
        self._show()

    def refresh(self) -> None:
        """Count again after the text was set with the box's signals blocked."""
        self.note = ""
        self._show()

    def _show(self) -> None:
        n = len(self.box.toPlainText())
        count = f"{n}/{self.most}"
        if self.note:
            self.counter.setText(f"{self.note}　{count}")
            self.counter.setStyleSheet("color: #b42318;")
            self.counter.setVisible(True)
        else:
            self.counter.setText(count)
            self.counter.setStyleSheet("color: #b42318;" if n >= self.most else "")
