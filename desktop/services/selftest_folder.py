"""The self-test's look at the office's own data folder, read-only.

A self-test that only tries a temporary database says "自检通过" for an office whose
database is truncated, garbage or gone. This part checks the real folder first: the
database as the start-up would find it (damaged, emptied or deleted while backups exist,
its schema altered), then SQLite's full integrity check and the schema of its revision,
the audit log's hash chain, and every backup in ``backups/`` (each must open as a sound
database of this program). The office's data is only read (what is found goes to the
folder's log as well): a folder that does not exist is not created, and one another
program has open is left alone (said, not failed).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.db.integrity import check_database
from desktop.db.migrate import HEAD_REVISION, current_revision
from desktop.errors import DatabaseError, InstanceLockedError, readable
from desktop.instance_lock import InstanceLock
from desktop.logs import close_logging, setup_logging
from desktop.paths import DataDir

Report = Callable[[str], None]


def check_data_folder(root: Path, report: Report) -> bool:
    """Check the data folder ``root``, reporting each step; True when all passed."""
    data_dir = DataDir(root)
    if not root.is_dir() or not any(root.iterdir()):
        report(f"通过  本单位数据：数据文件夹还没有建立（{root}），无需检查")
        return True
    lock = InstanceLock(data_dir.lock_file)
    try:
        lock.acquire()
    except InstanceLockedError:
        report(f"跳过  本单位数据：清单台账正在使用这个数据文件夹（{root}），关闭程序后再自检")
        return True
    except OSError as err:
        report(f"失败  本单位数据：数据文件夹无法使用（{root}）：{err.strerror or err}")
        return False
    setup_logging(data_dir.log_file)
    try:
        return _check(data_dir, report)
    finally:
        close_logging(data_dir.log_file)
        lock.release()


def _check(data_dir: DataDir, report: Report) -> bool:
    from desktop.services.safety.backups import BackupService, DatabaseDamagedError, check_at_start

    ok = True
    db = data_dir.db_path
    try:
        check_at_start(data_dir)
    except DatabaseDamagedError as err:
        report(f"失败  本单位数据库：{readable(err.message)}")
        report(f"      {readable(err.hint or '')}")
        ok = False
    except DatabaseError as err:
        report(f"失败  本单位数据库：{readable(str(err))}")
        ok = False
    if ok and db.exists() and db.stat().st_size > 0:
        ok = _database(data_dir, report)
    elif ok:
        report("通过  本单位数据库：还没有数据库（尚未使用），无需检查")
    service = BackupService(data_dir)
    infos = service.list_backups()
    bad = []
    for info in infos:
        contents = service.peek(info.path)
        if not contents.restorable:
            bad.append(f"{info.path.name}（{contents.problem}）")
    if bad:
        report(f"失败  备份：{len(infos)} 份中有 {len(bad)} 份不能使用：{readable('；'.join(bad))}")
        ok = False
    elif infos:
        report(f"通过  备份：{len(infos)} 份都能打开，可以用来恢复")
    else:
        report("通过  备份：备份文件夹中还没有备份")
    return ok


def _database(data_dir: DataDir, report: Report) -> bool:
    db = data_dir.db_path
    problems = check_database(db, upgradable=True)
    if problems:
        report(f"失败  本单位数据库：{readable('；'.join(problems))}")
        return False
    revision = current_revision(db)
    note = "" if revision == HEAD_REVISION else f"（版本 {revision}，下次打开时升级）"
    report(f"通过  本单位数据库：完整性检查通过，结构与本程序一致{note}")
    if revision != HEAD_REVISION:
        report("跳过  审计记录链：数据库升级后再检查")
        return True
    from desktop.db.engine import make_engine, make_session_factory
    from desktop.services.audit.log import verify_chain

    engine = make_engine(db)
    try:
        with make_session_factory(engine)() as session:
            broken = verify_chain(session)
    finally:
        engine.dispose()
    if broken is not None:
        report(f"失败  审计记录链：{broken.message}")
        return False
    report("通过  审计记录链：完好")
    return True
