"""One transaction around several service calls, for actions made of many steps.

Each service method is one transaction of its own. A few actions of the program are made
of several of them — generating the example office (``demo``) saves the office, creates a
list, fills it, freezes a period, closes tasks out and checks the list — and must still
be all or nothing: a crash or power cut half-way must not leave half an example behind.

``one_transaction`` binds the services' shared session factory to a single connection in
an open transaction for the duration of a ``with`` block; every ``sessions.begin()``
inside becomes a savepoint of it (SQLAlchemy's "join an external transaction" recipe).
Leaving the block commits everything at once; an exception rolls everything back.

The binding is shared by every service built on that factory, so it is only for code
that runs alone (the command line, a test), never while screens or background jobs use
the same services.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker


@contextmanager
def one_transaction(engine: Engine, sessions: sessionmaker[Session]) -> Iterator[None]:
    """Every session of ``sessions`` inside the block joins one transaction of ``engine``."""
    saved = dict(sessions.kw)
    with engine.connect() as conn, conn.begin():
        sessions.configure(bind=conn, join_transaction_mode="create_savepoint")
        try:
            yield
        finally:
            sessions.kw.clear()
            sessions.kw.update(saved)
