"""Checking the office database (the 系统 area and ``db check``); backups live in ``backups``."""

from __future__ import annotations

from desktop.db.engine import make_engine, make_session_factory
from desktop.db.integrity import check_database
from desktop.db.migrate import HEAD_REVISION
from desktop.paths import DataDir
from desktop.services.audit.log import verify_chain

SCHEMA_REVISION = HEAD_REVISION


class MaintenanceService:
    def __init__(self, data_dir: DataDir) -> None:
        self._data_dir = data_dir

    def check(self) -> list[str]:
        """Problems of the database (Chinese), empty when sound; includes the audit chain.

        The thorough check: SQLite's full ``integrity_check``, dangling foreign keys, the
        schema revision, the search index and the audit log's hash chain.
        """
        problems = check_database(self._data_dir.db_path)
        if problems:
            return problems
        engine = make_engine(self._data_dir.db_path)
        try:
            with make_session_factory(engine)() as session:
                broken = verify_chain(session)
        finally:
            engine.dispose()
        return [f"审计记录链断裂：{broken.message}"] if broken else []
