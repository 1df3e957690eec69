"""帮助 → 使用手册: the guide in the program, a section for every screen, F1 on a screen,
and a shortcut table that lists exactly the shortcuts the window has."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QWidget

from desktop.app import AREAS, build_main_window
from desktop.services.context import Services
from desktop.ui.manual import ManualWindow, listed_shortcuts, manual_file, manual_sections

TOPICS = {"start", "year", "city", "trouble", "shortcuts"}
PORTABLE = QKeySequence.SequenceFormat.PortableText


def _html() -> str:
    return manual_file().read_text(encoding="utf-8")


def _keys_of(widget: QWidget) -> set[str]:
    """Every shortcut a screen has: QShortcuts, actions and buttons with a key."""
    keys = {s.key().toString(PORTABLE) for s in widget.findChildren(QShortcut)}
    keys |= {a.shortcut().toString(PORTABLE) for a in widget.findChildren(QAction)}
    keys |= {b.shortcut().toString(PORTABLE) for b in widget.findChildren(QAbstractButton)}
    return {k for k in keys if k}


def test_every_screen_and_topic_has_a_section_with_its_picture() -> None:
    html = _html()
    sections = manual_sections(html)
    assert {key for key, _title in AREAS} | TOPICS <= sections
    pictures = re.findall(r'<img src="([^"]+)"', html)
    for key, title in AREAS:
        assert f"images/{key}.png" in pictures, key
        # the section says what the screen is called in the navigation
        start = html.index(f'<a name="{key}">')
        assert title in html[start : start + 200], key
    for picture in pictures:
        assert (manual_file().parent / picture).is_file(), picture


def test_the_shortcut_table_lists_exactly_the_windows_shortcuts(
    qtbot, county: Services, answered
) -> None:  # type: ignore[no-untyped-def]
    window = build_main_window(county)
    qtbot.addWidget(window)
    window.show()
    found: set[tuple[str, str]] = set()
    for key in window.area_keys():
        page = window.show_area(key)
        found |= {(key, k) for k in _keys_of(page)}
    menu_keys = {a.shortcut().toString(PORTABLE) for m in window.menuBar().actions() for a in
                 m.menu().actions()}  # fmt: skip
    found |= {("window", k) for k in menu_keys if k}
    listed = set(listed_shortcuts(_html()))
    assert listed == found
    assert ("window", "F1") in listed and ("worklists", "Ctrl+N") in listed
    assert ("progress", "Ctrl+Return") in listed  # 下一项, not found by looking alone
    for page in window.findChildren(QWidget):
        if hasattr(page, "cleanup") and hasattr(page, "preview"):
            page.cleanup()


def test_f1_opens_the_section_of_the_screen_on_show(
    qtbot, county: Services, answered, shots: Path
) -> None:  # type: ignore[no-untyped-def]
    window = build_main_window(county)
    qtbot.addWidget(window)
    window.resize(1100, 720)
    window.show()
    window.show_area("progress")
    help_menu = window.menuBar().actions()[-1].menu()
    manual_action = next(a for a in help_menu.actions() if a.text().startswith("使用手册"))
    assert manual_action.shortcut().toString(PORTABLE) == "F1"
    manual_action.trigger()
    manual = window.findChild(ManualWindow)
    assert manual is not None and manual.isVisible()
    qtbot.waitUntil(lambda: "进展填报" in manual.top_line())
    assert manual.grab().save(str(shots / "manual-progress.png"))
    window.show_area("ledgers")
    manual_action.trigger()
    qtbot.waitUntil(lambda: "台账打印" in manual.top_line())
    # 帮助 → 快捷键: the table of every shortcut
    next(a for a in help_menu.actions() if a.text().startswith("快捷键")).trigger()
    qtbot.waitUntil(lambda: manual.shows("14. 快捷键"))
    assert not manual.shows("1. 开始之前")
    # the pictures load: the document holds them at their size
    manual.show_section("worklists")
    image = manual.browser.document().resource(3, "images/worklists.png")  # ImageResource
    assert image is not None and not image.isNull()
    manual.close()
