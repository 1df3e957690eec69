"""Small widget helpers shared by the tabs of the 上报与汇总 screen."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView


def table_view(model: QAbstractItemModel, *, stretch_last: bool = True) -> QTableView:
    """A read-only, row-selecting table over ``model``."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    return view


def set_banner(label: QLabel, text: str, name: str) -> None:
    """Show ``text`` in ``label`` styled as a notice (``banner``) or a problem (``errorBanner``)."""
    label.setText(text)
    label.setVisible(bool(text))
    label.setObjectName(name)
    label.style().unpolish(label)
    label.style().polish(label)


def unbroken(fingerprint: str) -> str:
    """A key's fingerprint kept on one line in a message (no-break spaces between its
    groups), so the groups compared with the paper ledger are never split across lines."""
    return fingerprint.replace(" ", "\u00a0")
