"""A long list action told in steps: progress for the screen's bar, and the user's 取消
looked at between the steps.

The action runs in one transaction; ``Steps`` raises :class:`Cancelled` when the user has
asked to stop, so the transaction rolls back and nothing of the action remains (a backup
taken before it stays, as any backup does).
"""

from __future__ import annotations

from desktop.core.callbacks import IsCancelled, Progress
from desktop.core.reports.model import Cancelled


class Steps:
    def __init__(
        self, total: int, progress: Progress | None = None, cancelled: IsCancelled | None = None
    ) -> None:
        self.total = total
        self._progress = progress
        self._cancelled = cancelled

    def __call__(self, done: int) -> None:
        """``done`` steps are behind: say so, then stop here if the user has cancelled.
        Called only where stopping still undoes everything (before the commit)."""
        self._report(done)
        if self._cancelled is not None and self._cancelled():
            raise Cancelled("已取消")

    def finished(self) -> None:
        """Committed: every step is done, and 取消 comes too late to undo anything."""
        self._report(self.total)

    def _report(self, done: int) -> None:
        if self._progress is not None:
            self._progress(min(done, self.total), self.total)
