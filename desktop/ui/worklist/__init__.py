"""年度清单: the screen where the office breaks a notice into its own annual tasks."""

from __future__ import annotations

from desktop.ui.worklist.page import WorkListPage

__all__ = ["WorkListPage"]
