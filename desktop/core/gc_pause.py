"""Holding off Python's cycle collector during bulk work.

Reading a large list or laying out and drawing a ledger makes a few hundred thousand small
lists, tuples and strings that stay alive until the work is done and hold no reference
cycles (reference counting frees them meanwhile). Each full collection while they are
built walks them all again, and every other object of the program with them: it doubled
the time to read 20,000 rows and was a quarter of a large ledger's time.

``no_cycle_collection`` is one shared pause: nested and concurrent uses (a list read in the
background while the window reads another, a ledger written meanwhile) are counted, and
the collector runs again, as it was before the first, when the last one ends.
"""

from __future__ import annotations

import gc
import threading


class _CycleCollectionPause:
    """Python's cycle collector held off while bulk work runs (see the module)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holds = 0
        self._was_enabled = False

    def __enter__(self) -> None:
        with self._lock:
            if self._holds == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._holds += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._holds -= 1
            if self._holds == 0 and self._was_enabled:
                gc.enable()


no_cycle_collection = _CycleCollectionPause()


def paused_gc() -> _CycleCollectionPause:
    """``with paused_gc():`` — the shared pause (``no_cycle_collection``)."""
    return no_cycle_collection
