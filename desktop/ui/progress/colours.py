"""The colours a computed status is shown in, on every screen (table cells, tiles, charts).

Red and yellow for lagging, blue for a deadline close by, green for done or ahead, grey for
not started. The word is always shown with the colour: colour alone fails on a projector
and for colour-blind readers.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from desktop.core.figures import NOT_REPORTED
from desktop.core.status import Severity, Status

# (background, text) per severity
SEVERITY_COLOURS: dict[Severity, tuple[str, str]] = {
    Severity.RED: ("#fadbd8", "#a61b1b"),
    Severity.YELLOW: ("#fff1c2", "#7a5a00"),
    Severity.BLUE: ("#dbe9fb", "#1d4f91"),
    Severity.GREEN: ("#d9f2e3", "#1e6b3a"),
    Severity.GREY: ("#eceff3", "#596775"),
}

# one strong colour per state a task is counted under, for number tiles and chart series
# (keys are the states' names; a ``Status`` is its own name)
STATUS_COLOURS: dict[str, str] = {
    Status.DONE: "#2e8b57",
    Status.AHEAD: "#3a7bd5",
    Status.ON_TRACK: "#7d8fa3",
    Status.LAGGING: "#d64541",
    Status.NOT_STARTED: "#e0a526",
    NOT_REPORTED: "#9c6b1f",
}

EDITED_BACKGROUND = "#fff8dc"  # a row with unsaved edits


def severity_background(severity: Severity) -> QColor | None:
    pair = SEVERITY_COLOURS.get(severity)
    return QColor(pair[0]) if pair else None


def severity_foreground(severity: Severity) -> QColor | None:
    pair = SEVERITY_COLOURS.get(severity)
    return QColor(pair[1]) if pair else None
