"""The audit log: who changed what, when, with before and after values, chained by hashes.

Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting
or inserting a row anywhere in the history breaks the chain from that row on, and
``verify_chain`` finds the first broken row. The chain is written in the same transaction
as the change it records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.db.models import AuditEntry
from desktop.services.clock import now_text


def _dump(value: Any) -> str:
    if value is None or value == "":
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def entry_hash(prev_hash: str, fields: Iterable[str]) -> str:
    digest = hashlib.sha256(prev_hash.encode("utf-8"))
    for value in fields:
        digest.update(b"\x1f")
        digest.update(value.encode("utf-8"))
    return digest.hexdigest()


def _fields(e: AuditEntry) -> list[str]:
    return [e.at, e.operator, e.action, e.entity, e.entity_id, e.summary, e.before, e.after]


def record(
    session: Session,
    *,
    operator: str,
    action: str,
    entity: str,
    entity_id: object = "",
    summary: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction."""
    prev = session.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar_one_or_none()
    entry = AuditEntry(
        at=now_text(),
        operator=operator,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        summary=summary,
        before=_dump(before),
        after=_dump(after),
        prev_hash=prev or "",
    )
    entry.hash = entry_hash(entry.prev_hash, _fields(entry))
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    message: str


def verify_chain(session: Session) -> ChainProblem | None:
    """None when the chain is whole, else the first entry where it breaks."""
    prev = ""
    # plain column rows, not ORM objects: a year's log holds hundreds of thousands of entries
    columns = (
        AuditEntry.id,
        AuditEntry.prev_hash,
        AuditEntry.hash,
        AuditEntry.at,
        AuditEntry.operator,
        AuditEntry.action,
        AuditEntry.entity,
        AuditEntry.entity_id,
        AuditEntry.summary,
        AuditEntry.before,
        AuditEntry.after,
    )
    for entry_id, prev_hash, stored, *fields in session.execute(
        select(*columns).order_by(AuditEntry.id)
    ).yield_per(5000):
        if prev_hash != prev:
            return ChainProblem(entry_id, f"第 {entry_id} 条审计记录之前的记录被删除或改动过")
        if entry_hash(prev, fields) != stored:
            return ChainProblem(entry_id, f"第 {entry_id} 条审计记录的内容被改动过")
        prev = stored
    return None
