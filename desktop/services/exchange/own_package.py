"""The office's own list as a package: checked, built, read back, then frozen and recorded.

Both exports use it: the one-list package (``ExchangeService.export``) and the combined
package of an office with lower levels (``UpwardExport``), whose own part is exactly the
package the office would have sent alone. Everything happens in the caller's transaction;
the caller writes the file last, so a failed write rolls the freeze and the record back.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop import APP_NAME, __version__
from desktop.core.callbacks import IsCancelled, Progress
from desktop.core.checks import CheckResult
from desktop.core.exchange_files import (
    FORMAT_VERSION,
    HumanCopy,
    Manifest,
    build_package,
    package_stem,
    read_package,
    read_upward,
    sha256_hex,
)
from desktop.core.exchange_files.data import without_controls
from desktop.core.exchange_files.figures import package_figures
from desktop.core.reports.fileio import safe_filename
from desktop.db.migrate import HEAD_REVISION
from desktop.db.models import (
    ProgressReport,
    ReportingPeriod,
    Submission,
    Task,
    WorkList,
)
from desktop.errors import NotFoundError, PackageError, ValidationError
from desktop.services.audit import log as audit
from desktop.services.exchange.codec import package_data
from desktop.services.exchange.sender import audit_history, next_sequence
from desktop.services.exchange.types import ExportBlocked, PeriodCoverage
from desktop.services.ledger.service import LedgerService
from desktop.services.office.keys import ensure_key
from desktop.services.office.service import OfficeInfo, get_office
from desktop.services.progress.status import default_as_of
from desktop.services.worklist.checks import check_list as list_check


@dataclass(frozen=True)
class OwnPackage:
    """The office's list built as a package, not yet frozen, recorded or written."""

    list_id: int
    version: int
    tasks: int
    body: bytes
    stem: str  # the package's folder and file name (without .zip)
    period: tuple[str, str] | None  # the period it reports (key, label)
    check: CheckResult
    first: bool  # the version was not submitted before
    sequence: int  # the export's number among the list's exports (every version)
    fingerprint: str  # of the office key that signed it
    audit_id: int  # the last audit entry it carries (0: none)


def own_current(session: Session, list_id: int) -> WorkList:
    wl = session.get(WorkList, list_id)
    if wl is None:
        raise NotFoundError("找不到这份清单，它可能已被删除。")
    if not wl.own:
        raise ValidationError("这是下级上报的清单，只有本级清单才能上报。")
    if not wl.is_current:
        raise ValidationError(f"第{wl.version}版不是当前版本，只能上报当前版本的清单。")
    return wl


def require_parent(office: OfficeInfo) -> None:
    if not office.parent:
        raise ValidationError(
            "还没有填写上级地区，上报包要写明报给谁。",
            hint="请先在“单位设置”中填写上级（例如“某某市”）。",
        )


def build_own(
    session: Session,
    ledgers: LedgerService,
    wl: WorkList,
    now: str,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> OwnPackage:
    """Check list ``wl`` (hard errors and unexplained warnings block) and build its package
    as the level above will read it; nothing is frozen or recorded yet."""
    from desktop.core.reports import write_ledger_pdf, write_ledger_xlsx

    result = check_list(session, wl)
    if not result.passed:
        raise ExportBlocked(result)
    office = get_office(session)
    require_parent(office)
    first = wl.state != "submitted"
    # the package carries the office as it is set now (name, code, level, parent), and the
    # list follows it
    wl.locality, wl.locality_code = office.locality, office.locality_code
    wl.parent, wl.level = office.parent, office.level
    data = package_data(
        session,
        wl,
        result,
        state="submitted",
        submitted_at=now if first else wl.submitted_at,
        submitted_by=office.operator if first else wl.submitted_by,
    )
    data = without_controls(data)
    data = replace(data, figures=package_figures(data, default_as_of(session, wl)))
    period = reporting_period(session, wl.id)
    doc = ledgers.document(wl.id)
    xlsx, pdf = io.BytesIO(), io.BytesIO()
    write_ledger_xlsx(doc, xlsx)
    write_ledger_pdf(doc, pdf, progress=progress, cancelled=cancelled)
    key = ensure_key(session)
    sequence = next_sequence(session, wl)
    head, since, history = audit_history(session, office.parent)
    stem = package_stem(wl.locality, wl.year, data.work_list.notice_doc_number, wl.version)
    title = safe_filename(doc.title, default="工作任务清单")
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        program_name=APP_NAME,
        program_version=__version__,
        database_revision=HEAD_REVISION,
        locality=office.locality,
        locality_code=office.locality_code,
        level=office.level,
        parent=office.parent,
        reporting_office=office.reporting_office,
        year=wl.year,
        notice_doc_number=data.work_list.notice_doc_number,
        notice_title=data.work_list.notice_title,
        list_version=wl.version,
        period_key=period[0] if period else "",
        period_label=period[1] if period else "",
        exported_at=now,
        operator=office.operator,
        reviewer=office.reviewer,
        contact=office.contact_phone,
        tasks=len(data.tasks),
        files=(),
        export_sequence=sequence,
        audit_head=head,
        audit_since=since,
    )
    body = build_package(
        manifest,
        data,
        [
            HumanCopy(f"{title}.xlsx", "xlsx", xlsx.getvalue()),
            HumanCopy(f"{title}.pdf", "pdf", pdf.getvalue()),
        ],
        stem,
        key=key,
        history=history,
    )
    refuse_unreadable(body)
    return OwnPackage(
        wl.id,
        wl.version,
        len(data.tasks),
        body,
        stem,
        period,
        result,
        first,
        sequence,
        key.fingerprint,
        head.id if head else 0,
    )


def record_submission(
    session: Session,
    own: OwnPackage | None,
    *,
    now: str,
    out: Path,
    digest: str,
    year: int,
    doc_number: str,
    parts: Sequence[dict[str, object]] = (),
    fingerprint: str = "",
    bundle_sequence: int = 0,
) -> None:
    """Freeze the own list (已上报) and record what was sent, in the caller's transaction:
    the own list's export sequence, a combined package's own (``bundle_sequence``), the key
    it was signed with (``fingerprint`` when there is no own list), where it went and the
    last audit entry it carried."""
    office = get_office(session)
    wl = session.get(WorkList, own.list_id) if own is not None else None
    if own is not None and wl is not None and own.first:
        wl.state, wl.submitted_at, wl.submitted_by = "submitted", now, office.operator
        if not wl.checked_at:
            wl.checked_at = now
    period = own.period if own is not None else None
    session.add(
        Submission(
            work_list_id=wl.id if wl is not None else None,
            at=now,
            operator=office.operator,
            file_name=str(out),
            sha256=digest,
            period_key=period[0] if period else "",
            year=year,
            doc_number=doc_number,
            parts=list(parts),
            sequence=own.sequence if own is not None else 0,
            parent=office.parent,
            audit_id=own.audit_id if own is not None else 0,
            bundle_sequence=bundle_sequence,
        )
    )
    what = f"{year}年清单第{wl.version}版" if wl is not None else f"{year}年 {doc_number}"
    if own is not None:
        what = f"{what}（第 {own.sequence} 次导出）"
    if bundle_sequence:
        what = f"{what}（第 {bundle_sequence} 个汇总上报包）"
    key = own.fingerprint if own is not None else fingerprint
    carried = (
        f"（含下级清单 {sum(1 for p in parts if p.get('role') == 'lower')} 份）" if parts else ""
    )
    audit.record(
        session,
        operator=office.operator,
        action="submit",
        entity="work_list" if wl is not None else "bundle",
        entity_id=wl.id if wl is not None else "",
        summary=f"上报{what}{carried}：{out.name}",
        after={
            "file": str(out),
            "sha256": digest,
            "period": period[0] if period else "",
            "sequence": own.sequence if own is not None else 0,
            **({"bundle_sequence": bundle_sequence} if bundle_sequence else {}),
            "key": key,
            **({"parts": list(parts)} if parts else {}),
        },
    )
    session.flush()


def refuse_unreadable(body: bytes, *, combined: bool = False) -> None:
    """Read the package just built as the level above will (every field by the same schema),
    so that nothing leaves that its city would refuse; refused here, the export changes
    nothing (no version frozen, no submission recorded)."""
    try:
        if combined:
            read_upward(body)
        else:
            read_package(body)
    except PackageError as err:
        message = err.message.replace("上报包中", "清单中", 1)
        raise ValidationError(
            f"上报包未生成：{message}", hint="请在“年度清单”或“进展填报”中改正后再上报。"
        ) from err


def check_list(session: Session, wl: WorkList) -> CheckResult:
    """The same check as the list screen's 校验 (``services.worklist.checks``)."""
    return list_check(session, wl)


def reporting_period(session: Session, list_id: int) -> tuple[str, str] | None:
    """The latest period with reported progress: the "截至" of the package."""
    row = session.execute(
        select(ReportingPeriod.key, ReportingPeriod.label)
        .join(ProgressReport, ProgressReport.period_id == ReportingPeriod.id)
        .where(ReportingPeriod.work_list_id == list_id)
        .group_by(ReportingPeriod.id)
        .having(func.count() > 0)
        .order_by(ReportingPeriod.end.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def coverage(session: Session, list_id: int, period: tuple[str, str] | None) -> PeriodCoverage:
    tasks = session.execute(
        select(func.count()).select_from(Task).where(Task.work_list_id == list_id)
    ).scalar_one()
    if period is None:
        return PeriodCoverage("", "", 0, tasks)
    filled = session.execute(
        select(func.count(func.distinct(ProgressReport.task_id)))
        .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
        .where(ReportingPeriod.work_list_id == list_id, ReportingPeriod.key == period[0])
    ).scalar_one()
    return PeriodCoverage(period[0], period[1], filled, tasks)


def digest_of(body: bytes) -> str:
    return sha256_hex(body)
