"""Offices, packages and database dumps for the exchange tests (county → city → province)."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from desktop.core import signing
from desktop.core.exchange_files import sha256_hex
from desktop.core.exchange_files.signature import signature_file, signer_of
from desktop.core.worklist import MilestoneRecord
from desktop.services.context import Services, open_office
from desktop.services.office.service import OfficeInfo

YEAR = 2027


def county(
    root: Path,
    name: str = "示例县",
    *,
    parent: str = "示例市",
    tasks: int = 40,
    seed: int = 16,
) -> Services:
    """A county office with the demo list (tasks, milestones, progress, one 不适用)."""
    from desktop.services.demo.office import run_demo

    services = open_office(root)
    run_demo(services, locality=name, year=YEAR, tasks=tasks, seed=seed)
    if parent != "示例市":
        info = services.office.get()
        info.parent = parent
        services.office.save(info)
    return services


def live_on(services: Services, day: date) -> None:
    """Move the example office's own date (its periods open as the day comes)."""
    from desktop.services.clock import set_demo_date

    with services.sessions.begin() as session:
        set_demo_date(session, day)


def office(root: Path, name: str, level: str, parent: str = "") -> Services:
    services = open_office(root)
    services.office.save(OfficeInfo(locality=name, level=level, parent=parent, operator="李四"))
    return services


def city(root: Path, name: str = "示例市") -> Services:
    return office(root, name, "市级", "浙江省")


def own_list_ready(services: Services) -> int:
    """The office's own list for YEAR drafted and completed so that it passes the check."""
    notice = next(n for n in services.notices.list() if n.builtin)
    wl = services.list_lifecycle.create(notice.id, YEAR)
    services.task_editing.generate_draft(wl.id)
    for i, row in enumerate(services.worklists.rows(wl.id)):
        record = services.worklists.task(row.id)
        # the office's own text and target: the notice's words are the province's
        record.content = f"本级推进第{row.number}项工作"
        record.target_text = f"完成年度目标{i + 1}项"
        record.target_value, record.target_unit = None, ""
        record.deadline = date(YEAR, 12, 31)
        record.milestones = [
            MilestoneRecord(date(YEAR, 6, 30), "二季度", "过半", 50),
            MilestoneRecord(date(YEAR, 12, 31), "四季度", "完成", 100),
        ]
        services.task_editing.save_task(wl.id, record)
    result = services.list_checks.check(wl.id)
    for issue in result.open_warnings:
        services.list_checks.accept_warning(wl.id, issue.key, issue.message, "本级统筹推进")
    assert services.exchange.check(wl.id).passed
    return wl.id


def export(services: Services, folder: Path) -> Path:
    wl = services.worklists.find_own(YEAR)
    return services.exchange.export(wl.id, folder).path


# --------------------------------------------------------------------------- database views


def county_package(root: Path, tasks: int) -> Path:
    """A county office of ``tasks`` tasks under ``root``, its package exported there."""
    services = county(root / "office", tasks=tasks)
    try:
        return export(services, root)
    finally:
        services.close()


def dump(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read with plain sqlite3 (to compare before and after)."""
    conn = sqlite3.connect(services.data_dir.db_path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    finally:
        conn.close()


def content(services: Services, list_id: int) -> dict[str, Any]:
    """A list version's content as plain rows keyed by uid and code (ids left out)."""
    conn = sqlite3.connect(services.data_dir.db_path)
    q = conn.execute
    try:
        return {
            "tasks": q(
                "SELECT uid, number, position, content, target_text, target_value, target_unit,"
                " leader, person, phone, start_on, deadline, remarks, origin, closed_on,"
                " closed_by, close_evidence, carried_from_uid FROM task WHERE work_list_id=?"
                " ORDER BY position, uid",
                (list_id,),
            ).fetchall(),
            "units": q(
                "SELECT t.uid, u.role, u.position, u.name FROM task_unit u JOIN task t"
                " ON t.id=u.task_id WHERE t.work_list_id=? ORDER BY t.uid, u.position",
                (list_id,),
            ).fetchall(),
            "measures": q(
                "SELECT t.uid, m.code, tm.position FROM task_measure tm JOIN task t"
                " ON t.id=tm.task_id JOIN measure m ON m.id=tm.measure_id"
                " WHERE t.work_list_id=? ORDER BY t.uid, tm.position",
                (list_id,),
            ).fetchall(),
            "milestones": q(
                "SELECT t.uid, s.due_on, s.label, s.description, s.percent FROM milestone s"
                " JOIN task t ON t.id=s.task_id WHERE t.work_list_id=? ORDER BY t.uid, s.due_on",
                (list_id,),
            ).fetchall(),
            "periods": q(
                'SELECT key, label, start, "end", due_on FROM reporting_period'
                " WHERE work_list_id=? ORDER BY key",
                (list_id,),
            ).fetchall(),
            "progress": q(
                "SELECT t.uid, p.key, r.text, r.percent, r.problems, r.next_steps, r.lag_reason,"
                " r.completed_on, r.evidence FROM progress_report r JOIN task t ON t.id=r.task_id"
                " JOIN reporting_period p ON p.id=r.period_id WHERE t.work_list_id=?"
                " ORDER BY t.uid, p.key",
                (list_id,),
            ).fetchall(),
            "exclusions": q(
                "SELECT m.code, e.reason FROM measure_exclusion e JOIN measure m"
                " ON m.id=e.measure_id WHERE e.work_list_id=? ORDER BY m.code",
                (list_id,),
            ).fetchall(),
            "notes": q(
                "SELECT key, message, explanation FROM check_note WHERE work_list_id=?"
                " ORDER BY key",
                (list_id,),
            ).fetchall(),
        }
    finally:
        conn.close()


# --------------------------------------------------------------------------- crafting packages


def members(path: Path) -> tuple[str, dict[str, bytes]]:
    with zipfile.ZipFile(path) as z:
        folder = z.namelist()[0].split("/")[0]
        return folder, {n.split("/", 1)[1]: z.read(n) for n in z.namelist() if not n.endswith("/")}


FORGER = signing.generate_key()  # a key that is no office's


def repack(
    src: Path,
    dest: Path,
    *,
    data: Callable[[dict[str, Any]], None] | None = None,
    manifest: Callable[[dict[str, Any]], None] | None = None,
    resign: bool = True,
    key: signing.KeyPair | None = None,
    keep_signature: bool = False,
) -> Path:
    """A copy of a package with its data and/or manifest changed; ``resign`` recomputes the
    checksums (a forged but consistent package), otherwise they are left stale. A signed
    package is signed again with ``key`` (by default a key that is no office's, which a city
    that never saw the county's key pins like any other) unless ``keep_signature`` leaves the
    original signature file, which no longer matches."""
    folder, files = members(src)
    doc = json.loads(files["manifest.json"])
    if data is not None:
        body = json.loads(files["data.json"])
        data(body)
        files["data.json"] = json.dumps(body, ensure_ascii=False).encode()
    if resign:
        for entry in doc["files"]:
            body_bytes = files[entry["name"]]
            entry["size"], entry["sha256"] = len(body_bytes), sha256_hex(body_bytes)
    signed = "manifest.sig" in files and not keep_signature
    signer = key or FORGER
    if signed:
        doc["signer"] = signer_of(signer).to_json()
    if manifest is not None:
        manifest(doc)
    files["manifest.json"] = json.dumps(doc, ensure_ascii=False).encode()
    if signed:
        files["manifest.sig"] = signature_file(files["manifest.json"], signer)
    write_zip(dest, {f"{folder}/{name}": body for name, body in files.items()})
    return dest


def sign_as_forger(doc: dict[str, Any]) -> tuple[bytes, bytes]:
    """``manifest.json`` and ``manifest.sig`` for a hand-made manifest: signed by a key that
    is no office's (a city that never saw the county's key pins it like any other), so the
    checks after the signature are what a test reaches."""
    doc["signer"] = signer_of(FORGER).to_json()
    body = json.dumps(doc, ensure_ascii=False).encode()
    return body, signature_file(body, FORGER)


def write_zip(dest: Path, entries: dict[str, bytes]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in entries.items():
            z.writestr(name, body)
    dest.write_bytes(buffer.getvalue())
    return dest
