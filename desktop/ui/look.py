"""The program's look on every system: the Fusion style, a light palette, windows that fit.

Without a style of our own, Windows 11 draws with its own style (``windows11``), which the
style sheet (``resources/style.qss``) was never made for, and in dark mode Qt gives light
text that meets the style sheet's white tables and fields. Fusion looks the same on
Windows, UOS and Kylin, and the palette below is the one the style sheet's colours were
chosen with; the light colour scheme is asked for explicitly so that a dark Windows does
not switch it back.

Offices run 1366×768 laptops at 125–150 % scaling: 1093×614 or 911×512 pixels for Qt,
less the task bar. Dialogs open at their preferred size only where that fits
(``fit_to_screen``).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

STYLE = "Fusion"
FRAME_WIDTH = 16
FRAME_HEIGHT = 40

# (role, colour for active/inactive, colour when disabled or None for the same)
_ROLES: list[tuple[QPalette.ColorRole, str, str | None]] = [
    (QPalette.ColorRole.Window, "#f4f6f9", None),
    (QPalette.ColorRole.WindowText, "#102a43", "#9aa5b1"),
    (QPalette.ColorRole.Base, "#ffffff", "#f0f2f5"),
    (QPalette.ColorRole.AlternateBase, "#f7f9fc", None),
    (QPalette.ColorRole.Text, "#102a43", "#9aa5b1"),
    (QPalette.ColorRole.PlaceholderText, "#7b8794", None),
    (QPalette.ColorRole.Button, "#ffffff", "#f0f2f5"),
    (QPalette.ColorRole.ButtonText, "#102a43", "#9aa5b1"),
    (QPalette.ColorRole.BrightText, "#ffffff", None),
    (QPalette.ColorRole.Highlight, "#2d5286", "#c3ccd8"),
    (QPalette.ColorRole.HighlightedText, "#ffffff", "#ffffff"),
    (QPalette.ColorRole.ToolTipBase, "#fffbea", None),
    (QPalette.ColorRole.ToolTipText, "#243b53", None),
    (QPalette.ColorRole.Link, "#1f5fae", None),
    (QPalette.ColorRole.LinkVisited, "#5a3d91", None),
    (QPalette.ColorRole.Light, "#ffffff", None),
    (QPalette.ColorRole.Midlight, "#e9eef5", None),
    (QPalette.ColorRole.Mid, "#c3ccd8", None),
    (QPalette.ColorRole.Dark, "#8a96a6", None),
    (QPalette.ColorRole.Shadow, "#5b6573", None),
]


def light_palette() -> QPalette:
    """The palette the style sheet was made with: dark text on light ground everywhere."""
    palette = QPalette()
    for role, colour, disabled in _ROLES:
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, role, QColor(colour))
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled or colour))
    return palette


def apply_look(app: QApplication) -> None:
    """Fusion, the light colour scheme and the light palette, before any window is built."""
    app.styleHints().setColorScheme(Qt.ColorScheme.Light)
    style = QStyleFactory.create(STYLE)
    if style is not None:
        app.setStyle(style)
    app.setPalette(light_palette())


def available_area(widget: QWidget | None = None) -> QRect:
    """The part of the screen windows may use (without the task bar), in Qt's pixels."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)


def client_area(area: QRect) -> QRect:
    """What is left of the screen ``area`` inside a window's frame and title bar (the
    widget's own size excludes them: about 8 pixels a side and 32 for the title)."""
    return QRect(area.x(), area.y(), area.width() - FRAME_WIDTH, area.height() - FRAME_HEIGHT)


def fitted_size(wanted: QSize, area: QRect, minimum: QSize | None = None) -> QSize:
    """``wanted``, shrunk to fit inside a window frame on the screen ``area``, but never
    below ``minimum``."""
    inside = client_area(area)
    width = min(wanted.width(), inside.width())
    height = min(wanted.height(), inside.height())
    if minimum is not None:
        width, height = max(width, minimum.width()), max(height, minimum.height())
    return QSize(width, height)


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Size a dialog ``width``×``height`` where the screen allows, smaller where it does not."""
    area = available_area(widget.parentWidget() or widget)
    widget.resize(fitted_size(QSize(width, height), area, widget.minimumSizeHint()))
