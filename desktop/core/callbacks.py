"""The callbacks long work takes from its caller: progress reports and a cancel question.

One definition for every writer and service that reports steps (ledger PDF, packages, list
actions), so a screen's busy bar plugs into any of them the same way."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]  # (steps done, steps in all)
IsCancelled = Callable[[], bool]
