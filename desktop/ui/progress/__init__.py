"""进展填报: the progress-entry screen, its table model, and its dialogs."""

from desktop.ui.progress.page import ProgressPage

__all__ = ["ProgressPage"]
