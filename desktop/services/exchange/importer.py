"""Storing a checked package from the level below: does it belong here, and what does it change?

``PackageImporter.store`` receives a package that ``read_package`` found sound as a file,
and decides in one transaction whether it belongs to this office and how it relates to the
versions already held (see ``desktop.services.exchange.service``). Every refusal is a
``PackageError`` raised before the first write, so a refused package changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.exchange_files import Manifest, Package
from desktop.core.names import one_line
from desktop.db.models import Measure, Notice, PackageImport, WorkList
from desktop.errors import PackageError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text
from desktop.services.exchange.codec import clear_list, fill_list, store_content
from desktop.services.exchange.files import keep_file, release_older
from desktop.services.exchange.identity import (
    Carried,
    Sender,
    check_carried,
    check_sender,
    held_versions,
)
from desktop.services.exchange.trust import (
    Trust,
    check_order,
    check_sender_key,
    exchange_notes,
    record_key,
)
from desktop.services.office.service import get_office
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
    via: str = ""  # the lower office whose combined package carried the list
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
        if self.via:
            what = f"{what}（经{self.via}报来）"
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


@dataclass(frozen=True)
class Step:
    """What storing one checked package will do (``PackageImporter.check``)."""

    package: Package
    carried: Carried | None
    notice_id: int
    code_ids: dict[str, int]
    versions: list[WorkList]
    newest: WorkList | None
    action: str  # new | update | unchanged
    trust: Trust
    notes: tuple[str, ...] = ()
    last: PackageImport | None = None


class PackageImporter:
    def __init__(
        self, sessions: sessionmaker[Session], backup_before: Callable[[str], BackupInfo]
    ) -> None:
        self._sessions = sessions
        self._backup_before = backup_before
        self.backup: Path | None = None
        self._codes: dict[int, dict[str, int]] = {}  # notice id → measure code → id

    def start_batch(self) -> None:
        """The next write takes a fresh backup (one per batch of imports)."""
        self.backup = None
        self._codes = {}

    def store(
        self,
        session: Session,
        package: Package,
        path: Path,
        body: bytes,
        *,
        carried: Carried | None = None,
        accept_key: str | None = None,
    ) -> ImportResult:
        """Store one package in ``session``'s transaction (the caller commits); every
        refusal is raised before the first write. ``body`` is the package's file as it
        arrived (kept, to be passed upward unchanged); ``carried`` says which combined
        package of a lower office brought it, when one did; ``accept_key``: the fingerprint
        of a new key of the sender that the user has compared and accepts."""
        step = self.check(session, package, carried, accept_key)
        return self.apply(session, step, path, body)

    def check(
        self,
        session: Session,
        package: Package,
        carried: Carried | None,
        accept_key: str | None = None,
    ) -> Step:
        """Whether ``package`` belongs here and what storing it would do; raises
        ``PackageError`` and writes nothing when it is refused. The package's key is checked
        against the one pinned for its locality — a county's part of a city's package
        against the county's own key (``trust``), never only the city's."""
        m, data = package.manifest, package.data
        office = get_office(session)
        if carried is None or carried.own:
            check_sender(session, office, Sender.of(m))
        else:
            check_carried(session, office, carried, Sender.of(m))
        notice = session.execute(
            select(Notice).where(Notice.doc_number == m.notice_doc_number)
        ).scalar_one_or_none()
        if notice is None:
            raise PackageError(
                f"本级没有上报包所依据的上级文件“{m.notice_doc_number}”，无法导入。",
                hint="请先在“上级文件”中导入该文件，再导入上报包。",
            )
        code_ids = self._codes.get(notice.id)
        if code_ids is None:  # read once per batch: every list of a batch shares its notice
            code_ids = self._codes[notice.id] = dict(
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
        trust = check_sender_key(session, m.locality, m, accept_key)
        versions = held_versions(session, m.locality, m.locality_code, m.year, notice.id)
        newest = max(versions, key=lambda w: w.version, default=None)
        if newest is not None and newest.version > m.list_version:
            raise PackageError(
                f"已导入{m.locality} {m.year}年清单第{newest.version}版，"
                f"这个上报包{_carried_text(carried)}是较旧的第{m.list_version}版，未导入。",
                hint="如需查看旧版本，请在历史中查看；如有疑问请与报送单位核对。",
            )
        step = Step(package, carried, notice.id, code_ids, versions, newest, "new", trust)
        notes = list(trust.notes)
        if newest is not None and newest.version == m.list_version:
            last = _last_import(session, newest.id)
            if last is not None and _data_sha(last.manifest) == package.data_sha256:
                return replace(step, action="unchanged", last=last, notes=tuple(notes))
            if last is not None:
                # by the sender's count of its exports, never by a clock
                notes += check_order(m.locality, m, last.manifest)
            notes += exchange_notes(session, m.locality, package)
            return replace(step, action="update", notes=tuple(notes))
        _unique_name(session, m.locality, m.locality_code, m.year, notice.id)
        notes += exchange_notes(session, m.locality, package)
        return replace(step, notes=tuple(notes))

    def apply(self, session: Session, step: Step, path: Path, body: bytes) -> ImportResult:
        """Store what ``check`` decided (the first write takes the batch's backup)."""
        package, carried, newest = step.package, step.carried, step.newest
        m, data = package.manifest, package.data
        via = carried.sender if carried is not None and not carried.own else None

        def result(outcome: str, list_id: int, previous: int | None = None) -> ImportResult:
            return ImportResult(
                path=path,
                outcome=outcome,
                locality=m.locality,
                year=m.year,
                doc_number=m.notice_doc_number,
                version=m.list_version,
                tasks=len(data.tasks),
                list_id=list_id,
                previous_version=previous,
                via=via.name if via is not None else "",
                signer=step.trust.fingerprint,
                notes=step.notes,
                new_key=step.trust.pinned,
            )

        stamp = now_text()
        previous: int | None = None
        operator = get_office(session).operator
        if step.action == "unchanged":
            assert newest is not None and step.last is not None
            record_key(session, m.locality, m, step.trust, operator)
            _follow_sender(newest, m, via)
            if step.last.file_id is None:  # imported before packages were kept
                step.last.file_id = keep_file(session, body)
            return result("unchanged", newest.id)
        self.ensure_backup()
        record_key(session, m.locality, m, step.trust, operator)
        if step.action == "update":
            assert newest is not None
            wl = newest
            clear_list(session, wl.id)
            session.expire(wl)
            fill_list(wl, data, step.notice_id, stamp)
            wl.is_current = True
            outcome = "updated"
        else:
            for w in step.versions:
                w.is_current = False
            wl = WorkList(locality=m.locality, year=m.year, notice_id=step.notice_id)
            fill_list(wl, data, step.notice_id, stamp)
            wl.is_current = True
            wl.previous_version_id = newest.id if newest is not None else None
            session.add(wl)
            session.flush()
            outcome = "replaced" if newest is not None else "imported"
            previous = newest.version if newest is not None else None
        _follow_sender(wl, m, via)
        store_content(session, wl.id, data, step.code_ids, stamp)
        file_name = _path_text(path)
        record = PackageImport(
            work_list_id=wl.id,
            at=stamp,
            locality=m.locality,
            year=m.year,
            version=m.list_version,
            file_name=file_name,
            sha256=package.sha256 if carried is None else carried.sha256,
            manifest=package.manifest_json,
            outcome=outcome,
            file_id=keep_file(session, body),
            bundle_id=carried.bundle_id if carried is not None else None,
            part=carried.part if carried is not None else "",
            signer=step.trust.fingerprint,
            notes=list(step.notes),
        )
        session.add(record)
        session.flush()
        release_older(session, wl.id, record.id)
        signed = f"签名密钥 {step.trust.fingerprint}" if step.trust.fingerprint else "未签名"
        audit.record(
            session,
            operator=operator,
            action="import",
            entity="work_list",
            entity_id=wl.id,
            summary=(
                f"导入{m.display}{_carried_text(carried)}（{OUTCOMES[outcome]}，{signed}）："
                f"{one_line(Path(file_name).name, 120)}"
            ),
            after={
                "file": file_name,
                "sha256": package.sha256,
                "tasks": len(data.tasks),
                "signer": step.trust.fingerprint,
                "notes": list(step.notes),
                **({"bundle": carried.bundle_id, "part": carried.part} if carried else {}),
            },
        )
        return result(outcome, wl.id, previous)

    def ensure_backup(self) -> None:
        """One backup per batch of imports, before its first write (kept and pruned with
        the office's other 导入前 backups)."""
        if self.backup is None:
            self.backup = self._backup_before("导入").path


def _carried_text(carried: Carried | None) -> str:
    if carried is None or carried.own:
        return ""
    return f"（{carried.sender.name}报来的汇总上报包中）"


def _follow_sender(wl: WorkList, m: Manifest, via: Sender | None) -> None:
    """The held list takes the sender's current name and code (keyed by code, the name is
    what is displayed) and the office that carried it."""
    wl.locality, wl.locality_code = m.locality, m.locality_code
    wl.level, wl.parent = m.level, m.parent
    wl.via = via.name if via is not None else ""
    wl.via_code = via.code if via is not None else ""


def _unique_name(session: Session, name: str, code: str, year: int, notice_id: int) -> None:
    """Two localities of the same name (with different codes) cannot both be held: the
    lists are stored by name too. Refused with both codes named (never seen in Zhejiang)."""
    other = session.execute(
        select(WorkList.locality_code)
        .where(
            WorkList.locality == name,
            WorkList.year == year,
            WorkList.notice_id == notice_id,
            WorkList.own.is_(False),
            WorkList.locality_code != code,
            WorkList.locality_code != "",
        )
        .limit(1)
    ).scalar_one_or_none()
    if other is not None:
        raise PackageError(
            f"本级已有另一个同名地区“{name}”（代码 {other}）的清单，"
            f"代码为 {code or '（无）'} 的这份未导入。",
            hint="请与报送单位核对其行政区划代码。",
        )


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
