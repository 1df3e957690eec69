"""进展填报: the progress-entry screen, its table model, and its dialogs.

``ProgressPage`` is loaded when first asked for: the overview uses this package's status
colours at start-up and must not load the whole progress screen with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.ui.progress.page import ProgressPage

__all__ = ["ProgressPage"]


def __getattr__(name: str) -> Any:
    if name == "ProgressPage":
        from desktop.ui.progress.page import ProgressPage

        return ProgressPage
    raise AttributeError(name)
