"""Storing a checked package from the level below: does it belong here, and what does it change?

``PackageImporter.store`` receives a package that ``read_package`` found sound as a file,
and decides in one transaction whether it belongs to this office and how it relates to the
versions already held (see ``desktop.services.exchange.service``). Every refusal is a
``PackageError`` raised before the first write, so a refused package changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.exchange_files import Manifest, Package
from desktop.core.exchange_files.model import LEVELS
from desktop.core.names import normalise_name, one_line
from desktop.db.models import Locality, Measure, Notice, PackageImport, WorkList
from desktop.errors import PackageError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text
from desktop.services.exchange.codec import clear_list, fill_list, store_content
from desktop.services.exchange.trust import check_order, check_sender_key, exchange_notes
from desktop.services.office.service import OfficeInfo, get_office
from desktop.services.safety.backup_files import BackupInfo

OUTCOMES = {
    "imported": "新导入",
    "replaced": "新版本替换旧版本",
    "updated": "同版本更新",
    "unchanged": "已导入过",
}


@dataclass(frozen=True)
class ImportResult:
    path: Path
    outcome: str  # imported | replaced | updated | unchanged
    locality: str
    year: int
    doc_number: str
    version: int
    tasks: int
    list_id: int
    previous_version: int | None = None
    signer: str = ""  # the fingerprint of the key that signed it; "" when unsigned (未签名)
    notes: tuple[str, ...] = ()  # what the import noticed and let through (one line each)
    new_key: bool = False  # the sender's key was pinned with this package (compare it!)

    @property
    def changed(self) -> bool:
        return self.outcome != "unchanged"

    @property
    def report(self) -> str:
        """The message and, one per line, what the user should know about it."""
        return "\n".join([self.message, *self.notes])

    @property
    def message(self) -> str:
        what = f"{self.locality} {self.year}年清单第{self.version}版"
        if self.outcome == "unchanged":
            return f"{what}已导入过，未作改动。"
        if self.outcome == "replaced":
            return (
                f"已导入{what}（{self.tasks} 项任务），替换此前的第{self.previous_version}版"
                "（旧版本保留在历史中）。"
            )
        if self.outcome == "updated":
            return f"已用较新导出的上报包更新{what}（{self.tasks} 项任务，含最新进展）。"
        return f"已导入{what}（{self.tasks} 项任务）。"


class PackageImporter:
    def __init__(
        self, sessions: sessionmaker[Session], backup_before: Callable[[str], BackupInfo]
    ) -> None:
        self._sessions = sessions
        self._backup_before = backup_before
        self.backup: Path | None = None

    def start_batch(self) -> None:
        """The next write takes a fresh backup (one per batch of imports)."""
        self.backup = None

    def store(
        self, session: Session, package: Package, path: Path, accept_key: str | None = None
    ) -> ImportResult:
        """Store one package in ``session``'s transaction (the caller commits); every
        refusal is raised before the first write. ``accept_key``: the fingerprint of a new
        key of the sender that the user has compared and accepts."""
        m, data = package.manifest, package.data
        office = get_office(session)
        locality = _check_sender(session, office, m)
        notice = session.execute(
            select(Notice).where(Notice.doc_number == m.notice_doc_number)
        ).scalar_one_or_none()
        if notice is None:
            raise PackageError(
                f"本级没有上报包所依据的上级文件“{m.notice_doc_number}”，无法导入。",
                hint="请先在“上级文件”中导入该文件，再导入上报包。",
            )
        code_ids = dict(
            session.execute(
                select(Measure.code, Measure.id).where(Measure.notice_id == notice.id)
            ).all()
        )
        unknown = sorted(data.measure_codes() - code_ids.keys())
        if unknown:
            more = f"等 {len(unknown)} 个" if len(unknown) > 5 else ""
            raise PackageError(
                f"上报包引用了本级“{notice.doc_number}”中没有的条目："
                f"{'、'.join(unknown[:5])}{more}，未导入。",
                hint="双方使用的上级文件可能版本不同，请核对上级文件后再导入。",
            )
        trust = check_sender_key(session, locality, m, accept_key, office.operator)
        notes = list(trust.notes)
        versions = list(
            session.execute(
                select(WorkList).where(
                    WorkList.locality == locality,
                    WorkList.year == m.year,
                    WorkList.notice_id == notice.id,
                    WorkList.own.is_(False),
                )
            ).scalars()
        )
        newest = max(versions, key=lambda w: w.version, default=None)

        def result(outcome: str, list_id: int, previous: int | None = None) -> ImportResult:
            return ImportResult(
                path=path,
                outcome=outcome,
                locality=locality,
                year=m.year,
                doc_number=m.notice_doc_number,
                version=m.list_version,
                tasks=len(data.tasks),
                list_id=list_id,
                previous_version=previous,
                signer=trust.fingerprint,
                notes=tuple(notes),
                new_key=trust.pinned,
            )

        if newest is not None and newest.version > m.list_version:
            raise PackageError(
                f"已导入{locality} {m.year}年清单第{newest.version}版，"
                f"这个上报包是较旧的第{m.list_version}版，未导入。",
                hint="如需查看旧版本，请在历史中查看；如有疑问请与报送单位核对。",
            )
        notes += exchange_notes(session, locality, package)
        stamp = now_text()
        previous: int | None = None
        if newest is not None and newest.version == m.list_version:
            last = _last_import(session, newest.id)
            if last is not None and _data_sha(last.manifest) == package.data_sha256:
                return result("unchanged", newest.id)
            if last is not None:
                notes += check_order(locality, m, last.manifest)
            self._ensure_backup()
            wl = newest
            clear_list(session, wl.id)
            session.expire(wl)
            fill_list(wl, data, notice.id, stamp)
            wl.locality = locality
            wl.is_current = True
            outcome = "updated"
        else:
            self._ensure_backup()
            for w in versions:
                w.is_current = False
            wl = WorkList(locality=locality, year=m.year, notice_id=notice.id)
            fill_list(wl, data, notice.id, stamp)
            wl.locality = locality
            wl.is_current = True
            wl.previous_version_id = newest.id if newest is not None else None
            session.add(wl)
            session.flush()
            outcome = "replaced" if newest is not None else "imported"
            previous = newest.version if newest is not None else None
        store_content(session, wl.id, data, code_ids, stamp)
        file_name = _path_text(path)
        session.add(
            PackageImport(
                work_list_id=wl.id,
                at=stamp,
                locality=locality,
                year=m.year,
                version=m.list_version,
                file_name=file_name,
                sha256=package.sha256,
                manifest=package.manifest_json,
                outcome=outcome,
                signer=trust.fingerprint,
                notes=notes,
            )
        )
        signed = f"签名密钥 {trust.fingerprint}" if trust.fingerprint else "未签名"
        audit.record(
            session,
            operator=office.operator,
            action="import",
            entity="work_list",
            entity_id=wl.id,
            summary=(
                f"导入{locality} {m.year}年 {m.notice_doc_number} 第{m.list_version}版"
                f"（{OUTCOMES[outcome]}，{signed}）：{one_line(Path(file_name).name, 120)}"
            ),
            after={
                "file": file_name,
                "sha256": package.sha256,
                "tasks": len(data.tasks),
                "signer": trust.fingerprint,
                "notes": notes,
            },
        )
        return result(outcome, wl.id, previous)

    def _ensure_backup(self) -> None:
        """One backup per batch of imports, before its first write (kept and pruned with
        the office's other 导入前 backups)."""
        if self.backup is None:
            self.backup = self._backup_before("导入").path


def _check_sender(session: Session, office: OfficeInfo, m: Manifest) -> str:
    """The package must come from one of this office's lower localities; the sender's name
    in its one spelling (``core/names.py``: look-alike spellings are one locality)."""
    if not office.locality:
        raise PackageError(
            "本级还没有设置地区名称，无法判断上报包是否报给本级。",
            hint="请先在“单位设置”中填写本级地区。",
        )
    locality, parent = normalise_name(m.locality), normalise_name(m.parent)
    shown = one_line(m.locality, 40)
    if locality == normalise_name(office.locality):
        raise PackageError(f"这是本级（{office.locality}）自己的上报包，不能导入到本级。")
    if parent != normalise_name(office.locality):
        raise PackageError(
            f"这个上报包是{shown}报给“{one_line(m.parent, 40)}”的，"
            f"不是报给本级（{office.locality}）的，未导入。",
            hint="请确认文件没有拿错，或请报送单位核对其上级设置。",
        )
    if office.level in LEVELS and LEVELS.index(m.level) >= LEVELS.index(office.level):
        raise PackageError(
            f"上报包来自{m.level}的{shown}，本级是{office.level}，只能导入下级的上报包。"
        )
    expected = {normalise_name(n) for n in session.execute(select(Locality.name)).scalars()}
    if expected and locality not in expected:
        raise PackageError(
            f"{shown}不在本级的下级地区名单中，未导入。",
            hint="如确属本级下级，请先在“上报与汇总”的下级地区名单中添加它。",
        )
    return locality


def _path_text(path: Path) -> str:
    """The path as storable text: a name that is not valid UTF-8 (a USB stick written under
    another encoding) reaches Python with lone surrogates, which SQLite refuses."""
    return str(path).encode("utf-8", "replace").decode("utf-8")


def _last_import(session: Session, list_id: int) -> PackageImport | None:
    return session.execute(
        select(PackageImport)
        .where(PackageImport.work_list_id == list_id)
        .order_by(PackageImport.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _data_sha(manifest: dict[str, object]) -> str:
    files = manifest.get("files")
    if isinstance(files, list):
        for f in files:
            if isinstance(f, dict) and f.get("role") == "data":
                return str(f.get("sha256", ""))
    return ""
