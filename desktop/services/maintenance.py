"""Checking and backing up the office database (the 系统 area and the ``db`` commands)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from desktop.db.backup import backup_database
from desktop.db.engine import make_engine, make_session_factory
from desktop.db.integrity import check_database
from desktop.db.migrate import HEAD_REVISION
from desktop.paths import DataDir
from desktop.services.audit import verify_chain

SCHEMA_REVISION = HEAD_REVISION


class MaintenanceService:
    def __init__(self, data_dir: DataDir) -> None:
        self._data_dir = data_dir

    def check(self) -> list[str]:
        """Problems of the database (Chinese), empty when sound; includes the audit chain."""
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

    def suggested_backup_name(self) -> str:
        return f"清单台账备份-{datetime.now():%Y%m%d-%H%M}.sqlite3"

    def backup_to(self, target: Path) -> Path:
        return backup_database(self._data_dir.db_path, target)
