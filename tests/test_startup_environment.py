"""A read-only data folder and a full disk: a clear Chinese message, and the data unchanged.

Where the machine allows it (root with mount permission, as in CI containers) these use a
real read-only bind mount and a real 2 MB tmpfs; elsewhere a read-only folder is made with
``chmod`` (which does not bind root, so that case is skipped with the reason), and the full
disk is injected as SQLite reports it. The injected variant always runs.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from desktop.core.env_errors import environment_error
from desktop.errors import UserError
from desktop.services.context import Services, open_office
from desktop.services.office.service import OfficeInfo
from tests.needs import impossible_here

# (A folder turning read-only while the program has it open cannot be staged here: the
# kernel refuses to remount a folder read-only while files in it are open for writing.
# The message SQLite then gives, "attempt to write a readonly database", is mapped and
# tested in tests/core/test_env_errors.py.)


def _counts(db: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("SELECT count(*) FROM task").fetchone()[0],
            conn.execute("SELECT count(*) FROM audit_log").fetchone()[0],
            conn.execute("SELECT count(*) FROM work_list").fetchone()[0],
        )
    finally:
        conn.close()


def _county(root: Path) -> tuple[Services, int]:
    services = open_office(root)
    services.office.save(OfficeInfo(locality="某某县", level="县级", parent="某某市"))
    notice = next(n for n in services.notices.list() if n.builtin)
    return services, services.list_lifecycle.create(notice.id, 2027).id


@contextmanager
def mounted(*args: str) -> Iterator[None]:
    """``mount ARGS``, unmounted afterwards; the test is skipped where mounting is not allowed."""
    target = args[-1]
    result = subprocess.run(["mount", *args], capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:
        reason = result.stderr.strip() or "not permitted"
        impossible_here(f"mounting is not allowed on this machine ({reason})")
    try:
        yield
    finally:
        _release_log_files(Path(target))
        if subprocess.run(["umount", target], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", target], capture_output=True)


def _release_log_files(under: Path) -> None:
    """The data folder's log file stays open (it is the process's log): close it first."""
    import logging

    from desktop import logs

    root = logging.getLogger()
    for handler in list(root.handlers):
        name = getattr(handler, "baseFilename", "")
        if name and Path(name).is_relative_to(under):
            root.removeHandler(handler)
            handler.close()
            logs._configured = None


def test_full_disk_during_a_draft_is_said_and_changes_nothing(data_root: Path) -> None:
    services, list_id = _county(data_root)
    try:
        before = _counts(services.data_dir.db_path)

        def disk_fills_up(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
            # half-way: the tasks are written (one executemany), their units not yet
            if statement.startswith("INSERT INTO task_unit "):
                raise sqlite3.OperationalError("database or disk is full")

        event.listen(services.engine, "before_cursor_execute", disk_fills_up)
        with pytest.raises(Exception) as caught:
            services.task_editing.generate_draft(list_id)
        event.remove(services.engine, "before_cursor_execute", disk_fills_up)
        problem = environment_error(caught.value, where=data_root)
        assert problem is not None and getattr(problem, "kind", None) == "disk_full"
        assert "磁盘空间已满" in str(problem) and "没有完成" in str(problem)
        assert _counts(services.data_dir.db_path) == before
        assert services.worklists.rows(list_id) == []
        # with space again, the same action works
        assert services.task_editing.generate_draft(list_id).tasks == 38
    finally:
        services.close()


@pytest.mark.posix_only  # mount
def test_a_real_full_disk(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    with mounted("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)):
        root = disk / "office"
        services, list_id = _county(root)
        try:
            before = _counts(services.data_dir.db_path)
            free = shutil.disk_usage(disk).free
            filler = disk / "filler.bin"
            filler.write_bytes(b"\0" * max(free - 24 * 1024, 0))
            with pytest.raises(Exception) as caught:
                services.task_editing.generate_draft(list_id, per_sentence=True)
            problem = environment_error(caught.value)
            assert problem is not None and "磁盘空间已满" in str(problem)
            with pytest.raises(UserError, match="磁盘空间已满"):
                services.backups.backup_automatic()
            assert not list(services.data_dir.backups.glob("*.part"))
            assert _counts(services.data_dir.db_path) == before
            filler.unlink()
            assert services.task_editing.generate_draft(list_id, per_sentence=True).tasks > 38
        finally:
            services.close()
        conn = sqlite3.connect(root / "ledger.sqlite3")
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()


def _make_read_only(folder: Path) -> Iterator[None]:
    if os.geteuid() != 0:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            for path in [folder, *folder.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)
        return
    # chmod does not stop root: a read-only bind mount of the folder over itself does
    with mounted("--bind", "-o", "ro", str(folder), str(folder)):
        yield


@pytest.mark.posix_only  # geteuid, chmod, mount
def test_a_read_only_data_folder_is_said_and_left_alone(data_root: Path) -> None:
    services, _ = _county(data_root)
    services.close()
    db = data_root / "ledger.sqlite3"
    before = db.read_bytes()
    with contextmanager(_make_read_only)(data_root):
        with pytest.raises(UserError) as caught:
            open_office(data_root)
        message = str(caught.value)
        assert "只读" in message or "无法打开数据库" in message
        assert "Traceback" not in message and "Read-only" not in message
    assert db.read_bytes() == before
