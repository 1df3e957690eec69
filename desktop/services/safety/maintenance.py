"""Checking the office database (the 系统 area and ``db check``); backups live in ``backups``."""

from __future__ import annotations

from sqlalchemy.orm import Session

from desktop.db.engine import make_engine, make_session_factory
from desktop.db.integrity import check_database
from desktop.db.migrate import HEAD_REVISION
from desktop.paths import DataDir
from desktop.services.audit.integrity import head_signature_problem, row_state_problems
from desktop.services.audit.log import verify_chain

SCHEMA_REVISION = HEAD_REVISION


class MaintenanceService:
    def __init__(self, data_dir: DataDir) -> None:
        self._data_dir = data_dir

    def check(self) -> list[str]:
        """Problems of the database (Chinese), empty when sound; includes the audit chain.

        The thorough check: SQLite's full ``integrity_check``, dangling foreign keys, the
        schema revision, the search index, the audit log's hash chain, the office's signature
        of its head, and every business row against its last audited state.
        """
        problems = check_database(self._data_dir.db_path)
        if problems:
            return problems
        engine = make_engine(self._data_dir.db_path)
        try:
            with make_session_factory(engine)() as session:
                broken = verify_chain(session)
                if broken:
                    return [f"审计记录链断裂：{broken.message}"]
                return trust_problems(session)
        finally:
            engine.dispose()


def trust_problems(session: Session) -> list[str]:
    """The checks the office key and the row states make possible (``audit.integrity``):
    the head's signature, then every business row against its last audited state."""
    problem = head_signature_problem(session)
    if problem:
        return [problem]
    return [f"数据与审计记录不符：{p}" for p in row_state_problems(session)]
