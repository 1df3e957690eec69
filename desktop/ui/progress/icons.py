"""Small icons drawn in code, so they show on every desktop (an emoji padlock does not)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap


@cache
def lock_icon() -> QIcon:
    """A padlock: marks a frozen reporting period."""
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor("#8a6d00")
    painter.setPen(QPen(colour, 3.5))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawArc(QRectF(9, 3, 14, 18), 0, 180 * 16)  # the shackle
    painter.drawLine(9, 12, 9, 15)
    painter.drawLine(23, 12, 23, 15)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(5, 14, 22, 16), 3, 3)  # the body
    painter.setBrush(QColor("white"))
    painter.drawEllipse(QRectF(14, 18.5, 4, 4))
    painter.drawRect(QRectF(15.2, 21, 1.6, 5))
    painter.end()
    return QIcon(pixmap)
