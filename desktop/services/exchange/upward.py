"""上报 from an office with lower levels: its own list and its lower localities', in one package.

A city reports to the province its own list (if it has one) and, for each county, the
latest version the county sent — the county's package file exactly as it arrived — in one
combined package (``desktop.core.exchange_files.bundle``). Before anything is written the
office sees what would go (``plan``): its own list, which counties in which versions, which
expected localities have not reported, and which lists it cannot pass on (imported by a
program that did not keep packages: to be imported again). It may send without an own list.

The export is one transaction, like the one-list export: the own list is checked, built and
read back, frozen and recorded; the combined package is read back whole as the province will
read it; the file is written last, so a failed write changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from desktop import APP_NAME, __version__
from desktop.core.callbacks import IsCancelled, Progress
from desktop.core.exchange_files import (
    Absent,
    BundleManifest,
    PartEntry,
    build_bundle,
    package_stem,
    part_name,
    sha256_hex,
)
from desktop.core.localities import lower_level
from desktop.core.own_list import pick_own_list
from desktop.core.reports.fileio import atomic_output, safe_filename
from desktop.db.migrate import HEAD_REVISION
from desktop.db.models import Locality, Notice, PackageImport, Submission, Task, WorkList
from desktop.errors import ValidationError
from desktop.services.clock import now_text
from desktop.services.exchange.files import list_file, lists_with_files
from desktop.services.exchange.identity import match_locality
from desktop.services.exchange.own_package import (
    build_own,
    record_submission,
    refuse_unreadable,
    require_parent,
)
from desktop.services.ledger.service import LedgerService
from desktop.services.office.keys import ensure_key
from desktop.services.office.service import get_office


@dataclass(frozen=True)
class OwnItem:
    list_id: int
    version: int
    state: str
    tasks: int

    @property
    def text(self) -> str:
        done = "已上报，将带最新进展重新导出" if self.state == "submitted" else "导出后冻结为已上报"
        return f"本级清单第{self.version}版（{self.tasks} 项任务，{done}）"


@dataclass(frozen=True)
class LowerItem:
    """A lower locality's current list, as it would travel."""

    list_id: int
    locality: str
    code: str
    version: int
    tasks: int
    exported_at: str
    period_label: str
    kept: bool  # its package is kept as received (else it cannot be passed on)

    @property
    def text(self) -> str:
        period = self.period_label or "尚无进展"
        return f"{self.locality} 第{self.version}版（{self.tasks} 项任务，{period}）"


@dataclass(frozen=True)
class UpwardPlan:
    """What an upward export of (year, notice) would carry, told before it is made."""

    year: int
    notice_id: int
    doc_number: str
    locality: str
    parent: str
    own: OwnItem | None
    lower: tuple[LowerItem, ...]  # carried
    unkept: tuple[LowerItem, ...]  # held, but without the package as received
    missing: tuple[tuple[str, str], ...]  # expected lower localities not reported (name, code)

    @property
    def combined(self) -> bool:
        """Whether the export is a combined package (there are lower lists to carry)."""
        return bool(self.lower)

    @property
    def lines(self) -> list[str]:
        """What goes, one line each (the lower lists one per line, indented)."""
        out = [self.own.text if self.own is not None else "本级清单：无（只报下级清单）"]
        if self.lower:
            out.append(f"下级清单 {len(self.lower)} 份：")
            out += [f"　　{i.text}" for i in self.lower]
        if self.unkept:
            names = "、".join(i.locality for i in self.unkept)
            out.append(f"不能随包报送（导入时未保存原包，请重新导入其上报包）：{names}")
        if self.missing:
            out.append("尚未上报的下级地区：" + "、".join(n for n, _ in self.missing))
        return out

    @property
    def file_name(self) -> str:
        own = f"_v{self.own.version}" if self.own is not None else ""
        kind = "_含下级" if self.combined else ""
        stem = f"{self.locality}_{self.year}_{self.doc_number}{own}{kind}"
        return safe_filename(stem, default="上报包", limit=120) + ".zip"


@dataclass(frozen=True)
class UpwardResult:
    path: Path
    sha256: str
    size: int
    plan: UpwardPlan
    first_submission: bool
    sequence: int = 0  # the combined package's number among the office's for the notice
    fingerprint: str = ""  # of the office key that signed it

    @property
    def signed_text(self) -> str:
        return f"第 {self.sequence} 个汇总上报包，已用本单位密钥签名（指纹 {self.fingerprint}）"

    @property
    def message(self) -> str:
        plan = self.plan
        own = f"本级清单第{plan.own.version}版" if plan.own is not None else "无本级清单"
        return f"已导出汇总上报包：{self.path}（{own}，下级清单 {len(plan.lower)} 份）"


@dataclass(frozen=True)
class UpwardTarget:
    """A year and notice the office can report upward: its own list, its lower lists."""

    year: int
    doc_number: str
    own_list_id: int | None
    lower: int  # current lists sent by the level below

    @property
    def key(self) -> tuple[int, str]:
        return (self.year, self.doc_number)


class UpwardExport:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._ledgers = LedgerService(sessions)

    def targets(self) -> list[UpwardTarget]:
        """Every (year, notice) with an own current list or lower lists, newest year first."""
        with self._sessions() as session:
            rows = session.execute(
                select(WorkList.year, Notice.doc_number, WorkList.own, WorkList.id, WorkList.via)
                .join(Notice, Notice.id == WorkList.notice_id)
                .where(WorkList.is_current.is_(True))
            ).all()
        found: dict[tuple[int, str], tuple[int | None, int]] = {}
        for year, doc, own, list_id, via in rows:
            own_id, lower = found.get((year, doc), (None, 0))
            if own:
                own_id = list_id
            elif not via:
                lower += 1
            found[(year, doc)] = (own_id, lower)
        return [
            UpwardTarget(year, doc, own_id, lower)
            for (year, doc), (own_id, lower) in sorted(
                found.items(), key=lambda kv: (-kv[0][0], kv[0][1])
            )
            if own_id is not None or lower
        ]

    def plan(self, year: int, doc_number: str | None = None) -> UpwardPlan:
        """What exporting ``year`` (and notice) upward would carry."""
        with self._sessions() as session:
            return _plan(session, year, _notice_id(session, year, doc_number))

    def export(
        self,
        year: int,
        doc_number: str | None,
        out: Path,
        *,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> UpwardResult:
        """Write the combined package for ``year`` to ``out`` (a file, or a folder where it
        is named after the office); the own list, if any, is frozen and the sending
        recorded, all in one transaction."""
        with self._sessions.begin() as session:
            plan = _plan(session, year, _notice_id(session, year, doc_number))
            if not plan.combined:
                raise ValidationError(
                    f"本级没有可随包报送的下级清单（{year}年 {plan.doc_number}），"
                    "请只导出本级清单。"
                )
            if out.is_dir():
                out = out / plan.file_name
            office = get_office(session)
            require_parent(office)
            now = now_text()
            own = None
            taken: set[str] = set()
            parts: list[tuple[PartEntry, bytes]] = []
            if plan.own is not None:
                wl = session.get(WorkList, plan.own.list_id)
                assert wl is not None
                own = build_own(
                    session, self._ledgers, wl, now, progress=progress, cancelled=cancelled
                )
                parts.append(
                    (
                        PartEntry(
                            part_name(own.stem, taken), "own", office.locality,
                            office.locality_code, office.level, office.parent, own.version,
                        ),
                        own.body,
                    )
                )  # fmt: skip
            for item in plan.lower:
                held = session.get(WorkList, item.list_id)
                found = list_file(session, item.list_id)
                assert held is not None and found is not None
                body = found[0]
                stem = package_stem(held.locality, year, plan.doc_number, held.version)
                parts.append(
                    (
                        PartEntry(
                            part_name(stem, taken), "lower", held.locality, held.locality_code,
                            held.level, held.parent, held.version,
                        ),
                        body,
                    )
                )  # fmt: skip
            notice = session.get(Notice, plan.notice_id)
            assert notice is not None
            manifest = BundleManifest(
                format_version=0,  # set by build_bundle
                program_name=APP_NAME,
                program_version=__version__,
                database_revision=HEAD_REVISION,
                locality=office.locality,
                locality_code=office.locality_code,
                level=office.level,
                parent=office.parent,
                reporting_office=office.reporting_office,
                year=year,
                notice_doc_number=notice.doc_number,
                notice_title=notice.title,
                exported_at=now,
                operator=office.operator,
                reviewer=office.reviewer,
                contact=office.contact_phone,
                parts=(),
                absent=tuple(Absent(n, c, "未上报") for n, c in plan.missing)
                + tuple(Absent(i.locality, i.code, "本级导入时未保存原包") for i in plan.unkept),
            )
            key = ensure_key(session)
            sequence = next_bundle_sequence(session, year, notice.doc_number)
            manifest = replace(manifest, export_sequence=sequence)
            body = build_bundle(manifest, parts, Path(plan.file_name).stem, key=key)
            refuse_unreadable(body, combined=True)
            digest = sha256_hex(body)
            record_submission(
                session,
                own,
                now=now,
                out=out,
                digest=digest,
                year=year,
                doc_number=notice.doc_number,
                parts=[
                    {
                        "role": e.role,
                        "locality": e.locality,
                        "code": e.code,
                        "version": e.list_version,
                        "sha256": sha256_hex(b),
                    }
                    for e, b in parts
                ],
                fingerprint=key.fingerprint,
                bundle_sequence=sequence,
            )
            # last, inside the transaction: a failed write rolls the freeze and record back
            with atomic_output(out) as stream:
                stream.write(body)
            return UpwardResult(
                out,
                digest,
                len(body),
                plan,
                own.first if own is not None else False,
                sequence,
                key.fingerprint,
            )


def next_bundle_sequence(session: Session, year: int, doc_number: str) -> int:
    """The number of this combined package among the office's combined packages of the
    year and notice: what the level above orders them by, whatever the clocks say."""
    last = session.execute(
        select(func.max(Submission.bundle_sequence)).where(
            Submission.year == year, Submission.doc_number == doc_number
        )
    ).scalar()
    return int(last or 0) + 1


# --------------------------------------------------------------------------- helpers


def _notice_id(session: Session, year: int, doc_number: str | None) -> int:
    """The notice of the year's lists (own or imported); ``doc_number`` chooses when there
    are several."""
    rows = session.execute(
        select(Notice.id, Notice.doc_number)
        .join(WorkList, WorkList.notice_id == Notice.id)
        .where(WorkList.year == year, WorkList.is_current.is_(True))
        .distinct()
    ).all()
    return pick_own_list(
        year,
        doc_number,
        [(int(i), doc) for i, doc in rows],
        none_found="的工作清单，也没有下级报来的清单。",
        hint="请先在“年度清单”中新建，或导入下级的上报包。",
    )


def _plan(session: Session, year: int, notice_id: int) -> UpwardPlan:
    office = get_office(session)
    notice = session.get(Notice, notice_id)
    assert notice is not None
    own_row = session.execute(
        select(WorkList).where(
            WorkList.own.is_(True),
            WorkList.is_current.is_(True),
            WorkList.year == year,
            WorkList.notice_id == notice_id,
        )
    ).scalar_one_or_none()
    own = None
    if own_row is not None:
        own = OwnItem(own_row.id, own_row.version, own_row.state, _task_count(session, own_row.id))
    # the lists sent directly by the level below (a county's list that reached a province
    # through its city is that city's to send, and the province sends nothing upward)
    held = list(
        session.execute(
            select(WorkList)
            .where(
                WorkList.own.is_(False),
                WorkList.is_current.is_(True),
                WorkList.year == year,
                WorkList.notice_id == notice_id,
                WorkList.via == "",
            )
            .order_by(WorkList.locality)
        ).scalars()
    )
    order = {
        (loc.code or loc.name): i
        for i, loc in enumerate(
            session.execute(select(Locality).order_by(Locality.position, Locality.id)).scalars()
        )
    }
    held.sort(key=lambda w: (order.get(w.locality_code or w.locality, 10**6), w.locality))
    kept = lists_with_files(session, [w.id for w in held])
    items = [_item(session, w, w.id in kept) for w in held]
    below = lower_level(office.level)
    expected = list(
        session.execute(
            select(Locality)
            .where(Locality.expected.is_(True), Locality.parent == "")
            .order_by(Locality.position, Locality.id)
        ).scalars()
    )
    missing = tuple(
        (loc.name, loc.code)
        for loc in expected
        if (below is None or loc.level == below)
        and match_locality(loc.name, loc.code, _Named.of(held)) is None
    )
    return UpwardPlan(
        year=year,
        notice_id=notice_id,
        doc_number=notice.doc_number,
        locality=office.locality,
        parent=office.parent,
        own=own,
        lower=tuple(i for i in items if i.kept),
        unkept=tuple(i for i in items if not i.kept),
        missing=missing,
    )


@dataclass(frozen=True)
class _Named:
    name: str
    code: str

    @staticmethod
    def of(lists: list[WorkList]) -> list[_Named]:
        return [_Named(w.locality, w.locality_code) for w in lists]


def _item(session: Session, wl: WorkList, kept: bool) -> LowerItem:
    last = session.execute(
        select(PackageImport.manifest)
        .where(PackageImport.work_list_id == wl.id)
        .order_by(PackageImport.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    manifest = last or {}
    period = manifest.get("period")
    return LowerItem(
        list_id=wl.id,
        locality=wl.locality,
        code=wl.locality_code,
        version=wl.version,
        tasks=_task_count(session, wl.id),
        exported_at=str(manifest.get("exported_at", "")),
        period_label=str(period.get("label", "")) if isinstance(period, dict) else "",
        kept=kept,
    )


def _task_count(session: Session, list_id: int) -> int:
    return int(
        session.execute(
            select(func.count()).select_from(Task).where(Task.work_list_id == list_id)
        ).scalar_one()
    )
