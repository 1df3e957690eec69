"""Guards against PySide6 6.12.0's reference leak on void calls (none_dealloc abort on 3.11).

That release drops a reference to ``None`` on every void Qt call and the interpreter aborts
after a few thousand calls. The pin in pyproject.toml avoids it; this test makes sure an
upgrade cannot bring it back unnoticed (the process would abort instead of passing).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def test_hundred_thousand_void_calls(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    for i in range(100_000):
        label.setText("进展")  # returns void
        label.resize(100 + i % 7, 20)
    assert label.text() == "进展"
