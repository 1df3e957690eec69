"""帮助 → 使用手册: the user guide shipped in ``resources/manual``, read inside the program.

The guide is one HTML page with a section per screen, named by the screen's area key
(``<a name="worklists">``), and sections for the year's workflow, the city's work, backups,
troubles and the shortcuts. F1 opens it at the section of the screen on show. Its pictures
are screenshots of the real screens, made from the demo office by
``installer/make_manual_images.py``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.paths import resource_path
from desktop.ui.look import fit_to_screen

SHORTCUTS = "shortcuts"


def manual_file() -> Path:
    return resource_path("manual", "index.html")


def manual_sections(html: str) -> set[str]:
    """The anchors (``<a name="…">``) of the guide: one per screen and topic."""
    return set(re.findall(r'<a name="([^"]+)"', html))


class _ShortcutRows(HTMLParser):
    """Reads the shortcut table: (screen, key) for each ``<kbd>`` in a ``data-screen`` row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self._screen: str | None = None
        self._in_kbd = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._screen = dict(attrs).get("data-screen")
        elif tag == "kbd" and self._screen:
            self._in_kbd = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "kbd":
            self._in_kbd = False
        elif tag == "tr":
            self._screen = None

    def handle_data(self, data: str) -> None:
        if self._in_kbd and self._screen:
            self.rows.append((self._screen, data.strip()))


def listed_shortcuts(html: str) -> list[tuple[str, str]]:
    """(screen key or ``window``, key sequence in Qt's portable text) of the 快捷键 table."""
    parser = _ShortcutRows()
    parser.feed(html)
    return [
        (screen, QKeySequence(text).toString(QKeySequence.SequenceFormat.PortableText))
        for screen, text in parser.rows
    ]


class ManualWindow(QDialog):
    """The guide in a window of its own, beside the program (not modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("清单台账 使用手册")
        self.setMinimumSize(520, 400)  # readable; the layout never has to ask for more
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        path = manual_file()
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(path)))
        back = QPushButton("后退")
        back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(back.setEnabled)
        back.setEnabled(False)
        contents = QPushButton("目录")
        contents.clicked.connect(lambda: self.show_section(""))
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addWidget(contents)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        fit_to_screen(self, 900, 760)

    def show_section(self, section: str) -> None:
        """Scroll to ``section`` (a screen's area key or a topic); "" for the top."""
        if section:
            self.browser.scrollToAnchor(section)
        else:
            self.browser.verticalScrollBar().setValue(0)
        self.show()
        self.activateWindow()  # brings it in front of the main window

    def top_line(self) -> str:
        """The text at the top of the view (what the reader sees first)."""
        return (
            self.browser.cursorForPosition(self.browser.viewport().rect().topLeft()).block().text()
        )

    def shows(self, text: str) -> bool:
        """Whether ``text`` is in view."""
        found = self.browser.document().find(text)
        if found.isNull():
            return False
        return self.browser.viewport().rect().intersects(self.browser.cursorRect(found))
