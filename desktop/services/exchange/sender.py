"""What an export carries besides the list: its number among the list's exports, and the
office's audit history since its previous package to the same level (docs/SECURITY.md)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.exchange_files.history import Head, HistoryEntry
from desktop.db.models import AuditEntry, Submission, WorkList
from desktop.services.audit.log import read_head


def next_sequence(session: Session, wl: WorkList) -> int:
    """The number of this export among all exports of the list (every version): what the
    level above orders packages by, whatever the two computers' clocks say."""
    last = session.execute(
        select(func.max(Submission.sequence))
        .join(WorkList, WorkList.id == Submission.work_list_id)
        .where(
            WorkList.own.is_(True),
            WorkList.year == wl.year,
            WorkList.notice_id == wl.notice_id,
        )
    ).scalar()
    return int(last or 0) + 1


def audit_history(
    session: Session, parent: str
) -> tuple[Head | None, Head | None, list[HistoryEntry] | None]:
    """The office's audit head now, the head its previous package to ``parent`` carried, and
    the entries between them (none for a first package to ``parent``)."""
    current = read_head(session)
    if current is None:
        return None, None, None
    head = Head(current.id, current.hash, current.count)
    previous = session.execute(
        select(Submission.audit_id)
        .where(Submission.parent == parent, Submission.audit_id > 0)
        .order_by(Submission.id.desc())
        .limit(1)
    ).scalar()
    if not previous or previous > head.id:
        return head, None, None
    found = session.execute(select(AuditEntry.hash).where(AuditEntry.id == previous)).scalar()
    count = session.execute(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.id <= previous)
    ).scalar_one()
    rows = session.execute(
        select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.operator,
            AuditEntry.action,
            AuditEntry.entity,
            AuditEntry.summary,
            AuditEntry.prev_hash,
            AuditEntry.hash,
        )
        .where(AuditEntry.id > previous, AuditEntry.id <= head.id)
        .order_by(AuditEntry.id)
    ).all()
    return head, Head(previous, found or "", count), [HistoryEntry(*row) for row in rows]
