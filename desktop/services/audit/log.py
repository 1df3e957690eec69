"""The audit log: who changed what, when, with before and after values, chained by hashes.

Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting
or inserting a row anywhere in the history breaks the chain from that row on, and
``verify_chain`` finds the first broken row. The chain's head (the newest entry's id and hash,
and the number of entries) is kept in a setting, signed with the office key; entries, their
row states and the signed head are written when the transaction that records them commits
(``desktop.services.audit.seal``), so cutting entries off the end and copying the new last
row into the head is found too (``desktop.services.audit.integrity``).

What it does not stop: someone holding the office's key can rewrite the entries, recompute
the chain and sign the head again; the upper level's copy of the head and the paper ledgers
are the anchors then (docs/SECURITY.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from desktop.core.names import one_line
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
    """Append one entry, inside the caller's transaction. Its hash, the states of the rows
    the transaction changed and the signed head are written when the transaction commits
    (``desktop.services.audit.seal``), so one change costs one signature however many entries
    it records."""
    entry = AuditEntry(
        at=now_text(),
        operator=one_line(operator, 60),
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        summary=one_line(summary),
        before=_dump(before),
        after=_dump(after),
        prev_hash="",
        hash="",
    )
    session.add(entry)
    session.flush()
    session.info.setdefault(PENDING, []).append(entry.id)
    return entry


PENDING = "audit.pending"


def hashed_fields(fields: list[str], rows_digest: str) -> list[str]:
    """What an entry's hash covers: its fields, and the digest of its row states when it has
    any (entries written before row states existed hash as they always did)."""
    return [*fields, rows_digest] if rows_digest else fields


def head_message(head_id: int, head_hash: str, count: int) -> bytes:
    """The bytes the office key signs for a head."""
    return f"policy-ledger-audit-head\n{head_id}\n{head_hash}\n{count}".encode()


@dataclass(frozen=True)
class Change:
    """One entry for ``record_many``: the arguments ``record`` takes."""

    action: str
    entity: str
    entity_id: object = ""
    summary: str = ""
    before: Any = None
    after: Any = None


def record_many(session: Session, operator: str, changes: Sequence[Change]) -> int:
    """Append ``changes`` in order, inside the caller's transaction, as ``record`` would one
    by one — but in a fixed number of statements: a department's workbook brings a thousand
    progress reports at once. Like ``record``'s, their hashes and the signed head are written
    when the transaction commits. Returns how many were written."""
    if not changes:
        return 0
    session.flush()  # the changes being recorded come first, as with ``record``
    last_before = session.execute(select(func.max(AuditEntry.id))).scalar() or 0
    at = now_text()
    who = one_line(operator, 60)
    rows = [
        {
            "at": at,
            "operator": who,
            "action": c.action,
            "entity": c.entity,
            "entity_id": str(c.entity_id),
            "summary": one_line(c.summary),
            "before": _dump(c.before),
            "after": _dump(c.after),
            "prev_hash": "",
            "hash": "",
        }
        for c in changes
    ]
    session.execute(insert(AuditEntry), rows)
    ids = session.execute(
        select(AuditEntry.id).where(AuditEntry.id > last_before).order_by(AuditEntry.id)
    ).scalars()
    session.info.setdefault(PENDING, []).extend(ids)
    return len(rows)


HEAD_KEY = "audit.head"
# set once the rows that predate row states have theirs (``integrity.record_baseline``)
ROWS_BASELINE_KEY = "audit.rows_baseline"


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
class SignedHead:
    """The head as stored: where the chain ends, and the office's signature of that."""

    id: int
    hash: str
    count: int
    key: str  # fingerprint of the signing key; "" for a head written before heads were signed
    signature: str  # hex


def read_head(session: Session) -> SignedHead | None:
    row = session.get(Setting, HEAD_KEY)
    return parse_head(row.value) if row is not None else None


def parse_head(value: str) -> SignedHead | None:
    """The head stored as ``value`` (the setting's text), or None when it cannot be read."""
    if not value:
        return None
    try:
        data = json.loads(value)
        return SignedHead(
            int(data["id"]),
            str(data["hash"]),
            int(data["count"]),
            str(data.get("key", "")),
            str(data.get("signature", "")),
        )
    except (ValueError, KeyError, TypeError):
        return None


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
        AuditEntry.rows_digest,
    )
    for entry_id, prev_hash, stored, *fields, rows_digest in session.execute(
        select(*columns).order_by(AuditEntry.id)
    ).yield_per(5000):
        if not stored:
            return ChainProblem(entry_id, f"第 {entry_id} 条审计记录没有封存（未经程序写入）")
        if prev_hash != prev:
            return ChainProblem(entry_id, f"第 {entry_id} 条审计记录之前的记录被删除或改动过")
        if entry_hash(prev, hashed_fields(fields, rows_digest)) != stored:
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


def _seal_on_commit(session: Session) -> None:
    from desktop.services.audit.seal import seal

    seal(session)


# every commit of every session seals what it recorded (``desktop.services.audit.seal``)
event.listen(Session, "before_commit", _seal_on_commit)
