"""One transaction around several service calls, for actions made of many steps.

Each service method is one transaction of its own. A few actions of the program are made
of several of them — generating the example office (``demo``) saves the office, creates a
list, fills it, freezes a period, closes tasks out and checks the list — and must still
be all or nothing: a crash or power cut half-way must not leave half an example behind.

``one_transaction(services)`` opens one connection in a transaction and yields a second set
of services built over a session factory of their own, bound to that connection; every
``sessions.begin()`` inside becomes a savepoint of it (SQLAlchemy's "join an external
transaction" recipe). Leaving the block commits everything at once; an exception rolls
everything back. The shared session factory is never reconfigured: screens or background
jobs using the ordinary services meanwhile are not drawn into the transaction (they wait
for it, as for any writer). The yielded services are for the block only; a backup taken
inside it would wait for the transaction, so none of the steps may take one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import sessionmaker

from desktop.services.context import Services, build_services


@contextmanager
def one_transaction(services: Services) -> Iterator[Services]:
    """Services whose every session joins one transaction, committed when the block ends."""
    shared = services.sessions
    with services.engine.connect() as conn, conn.begin():
        bound = sessionmaker(
            class_=shared.class_,
            **{**shared.kw, "bind": conn, "join_transaction_mode": "create_savepoint"},
        )
        yield build_services(services.data_dir, services.engine, bound)
