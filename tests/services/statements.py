"""Counting the SQL statements a service call sends, with an SQLAlchemy event.

Every statement the program sends goes through the engine's ``before_cursor_execute`` event
(an ``executemany`` is one statement); the count is the same on any machine, so tests can pin
how many statements an edit takes and that the number does not grow with the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


class StatementCount:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)


@contextmanager
def counting(engine: Engine) -> Iterator[StatementCount]:
    counter = StatementCount()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def statements_of(engine: Engine, action: Callable[[], object]) -> int:
    with counting(engine) as counter:
        action()
    return counter.count
