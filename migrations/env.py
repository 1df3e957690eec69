"""Alembic environment for the office database.

The program runs migrations in code (``desktop.db.migrate``) and hands over an open
connection through ``config.attributes["connection"]``; no ``alembic.ini`` is needed.
Developers generating a revision may instead pass ``-x db=path/to/ledger.sqlite3``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from desktop.db.models import Base

target_metadata = Base.metadata

# full-text search tables are created by hand in the revisions (SQLAlchemy cannot model them)
FTS_PREFIX = "task_fts"


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    return not (type_ == "table" and name and name.startswith(FTS_PREFIX))


def run_migrations() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is None:
        url = f"sqlite:///{context.get_x_argument(as_dictionary=True).get('db', 'ledger.sqlite3')}"
        with create_engine(url).connect() as conn:
            _run(conn)
    else:
        _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
