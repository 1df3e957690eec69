"""The start-up check of the database, before migrations and before any write to it.

Three things are checked, read-only: SQLite's ``PRAGMA quick_check`` (every page and index
entry read), a database file gone or emptied beside backups, and the schema against what
the migrations build (``desktop.db.integrity``). A damaged database raises
:class:`DatabaseDamagedError`, naming the newest good backup.

Opening for reading only (``desktop.services.reader``: ``ledger pdf``) runs the quick check
in a thread of its own (:class:`QuickCheck`) while the folder is opened and the ledger read:
SQLite reads the file without Python's lock, so on two cores the check costs the command
next to nothing. Its verdict is awaited before anything is written — a migration, the PDF
— and before any error of the reading is said (a damaged file is said as damaged).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from desktop.db.integrity import altered_schema, startup_problem
from desktop.errors import DatabaseError
from desktop.paths import DataDir

if TYPE_CHECKING:
    from desktop.services.safety.backup_files import BackupContents

log = logging.getLogger(__name__)


class DatabaseDamagedError(DatabaseError):
    """The start-up check found the database damaged; nothing has been written to it."""

    def __init__(
        self,
        data_dir: DataDir,
        problem: str,
        backup: BackupContents | None,
        *,
        lost: bool = False,
        altered: bool = False,
    ) -> None:
        if lost:  # emptied or gone: there is nothing left to damage further
            message = f"{problem}。程序没有在原处新建空的数据库。"
        elif altered:  # sound to SQLite, but not the schema the program built
            message = (
                f"数据库的结构被改动过（{problem}）。其中不属于本程序的触发器或视图会在保存时"
                "执行，为安全起见，程序没有写入它。"
            )
        else:
            message = f"数据库文件已损坏（{problem}）。为避免损坏扩大，程序没有写入它。"
        if backup is not None:
            hint = (
                f"最近一份完好的备份是 {backup.info.path}（{backup.info.kind_label}，"
                f"{backup.info.when_text}，{backup.info.size_text}）。可运行 "
                f'policy-ledger --data-dir "{data_dir.root}" db restore --from '
                f'"{backup.info.path}" 从它恢复'
                + ("。" if lost else "（当前的损坏文件会先留存）。")
            )
        else:
            hint = (
                "备份文件夹中没有完好的备份。如U盘等处另有备份，可运行 "
                f'policy-ledger --data-dir "{data_dir.root}" db restore --from 备份文件 恢复。'
            )
        super().__init__(message, hint=hint)
        self.problem = problem
        self.backup = backup
        self.data_dir = data_dir
        self.lost = lost
        self.altered = altered


class QuickCheck:
    """``PRAGMA quick_check`` of a database, running in a thread from its creation.

    :meth:`verdict` waits for it: None when the file is sound, else what is wrong
    (``desktop.db.integrity.startup_problem``; its errors are raised there)."""

    def __init__(self, data_dir: DataDir) -> None:
        self._db = data_dir.db_path
        self._problem: str | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="quick_check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._problem = startup_problem(self._db)
        except BaseException as err:  # handed to the thread that waits for the verdict
            self._error = err

    def wait(self) -> None:
        """Wait for the check to end, its verdict left unasked."""
        self._thread.join()

    def verdict(self) -> str | None:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._problem


def check_at_start(data_dir: DataDir, quick: QuickCheck | None = None) -> None:
    """The start-up check; the file is only read.

    Raises :class:`DatabaseDamagedError` (naming the newest good backup) when the database
    is damaged. With ``quick`` (the quick check already running) the other two checks run
    meanwhile and its verdict is awaited only when they find something — the caller awaits
    it (:func:`confirm_sound`) before anything is written. Either way the error said is the
    same: the quick check's first, then a lost file, then an altered schema.
    """
    if quick is None:
        problem = startup_problem(data_dir.db_path)
        if problem is not None:
            _refuse(data_dir, problem)
    lost = _lost(data_dir)
    altered = altered_schema(data_dir.db_path) if lost is None else None
    if lost is None and altered is None:
        return
    if quick is not None:
        confirm_sound(data_dir, quick)
    _refuse(data_dir, lost or altered or "", lost=bool(lost), altered=bool(altered))


def confirm_sound(data_dir: DataDir, quick: QuickCheck) -> None:
    """Wait for ``quick``'s verdict; :class:`DatabaseDamagedError` when it found damage."""
    problem = quick.verdict()
    if problem is not None:
        _refuse(data_dir, problem)


def _refuse(data_dir: DataDir, problem: str, *, lost: bool = False, altered: bool = False) -> None:
    from desktop.services.safety.backups import RestoreService

    log.error("启动检查发现数据库损坏：%s", problem)
    raise DatabaseDamagedError(
        data_dir, problem, RestoreService(data_dir).newest_good(), lost=lost, altered=altered
    )


def _lost(data_dir: DataDir) -> str | None:
    """A database file gone or emptied (0 bytes) although the folder holds backups.

    SQLite takes either for a new database: without this check the program would start as
    on the first day, asking to set up the office, and the office's data would seem lost.
    A folder without backups has never held data: that is a first start indeed.
    """
    db = data_dir.db_path
    try:
        if db.exists() and db.stat().st_size > 0:
            return None
    except OSError:
        return None  # the open that follows says what is wrong with the folder
    from desktop.services.safety.backups import BackupService

    if not BackupService(data_dir).list_backups():
        return None
    if db.exists():
        return "数据库文件是空的（0 字节），其中的数据已经丢失，可能是断电或磁盘已满时被截断"
    return "数据库文件不见了，可能被删除、移走或被杀毒软件隔离"
