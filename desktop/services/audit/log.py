"""The audit log: who changed what, when, with before and after values, chained by hashes.

Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting
or inserting a row anywhere in the history breaks the chain from that row on, and
``verify_chain`` finds the first broken row. The chain's head (the newest entry's id and hash,
and the number of entries) is kept in a setting written in the same transaction, so cutting
entries off the end, or emptying the log, is found too. The chain is written in the same
transaction as the change it records.

What it does not stop: someone who rewrites the entries and the head together with this
program's own hashing can forge a consistent history; the chain makes a careless or hurried
edit visible, it is not a signature.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.db.models import AuditEntry, Notice, Setting
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
    head = session.get(Setting, HEAD_KEY)
    count = (
        (_head(head)[2] + 1)
        if head is not None and prev is not None
        else (session.execute(select(func.count()).select_from(AuditEntry)).scalar_one())
    )
    if head is None:
        head = Setting(key=HEAD_KEY)
        session.add(head)
    head.value = json.dumps({"id": entry.id, "hash": entry.hash, "count": count})
    return entry


HEAD_KEY = "audit.head"


def _head(row: Setting | None) -> tuple[int, str, int]:
    """(id, hash, count) of the chain's head as last written, or (0, "", 0)."""
    if row is None or not row.value:
        return 0, "", 0
    try:
        data = json.loads(row.value)
        return int(data["id"]), str(data["hash"]), int(data["count"])
    except (ValueError, KeyError, TypeError):
        return -1, "", -1


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    message: str


def verify_chain(session: Session) -> ChainProblem | None:
    """None when the chain is whole, else the first entry where it breaks."""
    prev = ""
    last_id = count = 0
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
        prev, last_id, count = stored, entry_id, count + 1
    head_row = session.get(Setting, HEAD_KEY)
    if head_row is None:
        if count:
            return ChainProblem(last_id, "审计记录链的链头记录丢失")
        if session.execute(select(Notice.id).limit(1)).first() is not None:
            return ChainProblem(0, "审计记录被清空过")
        return None
    head_id, head_hash, head_count = _head(head_row)
    if head_id < 0:
        return ChainProblem(0, "审计记录链的链头记录被改动过")
    if (last_id, prev, count) != (head_id, head_hash, head_count):
        if count < head_count or last_id < head_id:
            return ChainProblem(last_id, "最新的审计记录被删除过")
        return ChainProblem(last_id, "审计记录链的链头与记录不符，记录被改动或补写过")
    return None
