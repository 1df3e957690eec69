"""The temporary folder holding a screen's generated preview PDFs.

Each preview is a new file (the one on show stays open in the viewer while the next is
written); an outdated one is deleted as soon as nothing reads it. The folder is removed
when the screen closes, and at the latest when the program exits.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any


class PreviewFiles:
    def __init__(self) -> None:
        self._folder: Path | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None
        self._serial = 0
        self.in_use: set[Path] = set()  # being printed: kept until the folder goes

    @property
    def folder(self) -> Path | None:
        """The folder (None before the first preview)."""
        return self._folder

    def new_path(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="policy-ledger-preview-"))
            # Removed at exit too, should the screen never be closed properly.
            self._finalizer = weakref.finalize(self, shutil.rmtree, self._folder, True)
        self._serial += 1
        return self._folder / f"预览-{self._serial}.pdf"

    def discard(self, path: Path) -> None:
        if path in self.in_use:
            return
        # Still open somewhere (Windows keeps open files): it goes with the folder.
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)

    def remove_all(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
        self._folder = None
        self._finalizer = None
        self.in_use.clear()
