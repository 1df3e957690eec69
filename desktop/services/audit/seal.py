"""Sealing a transaction's audit entries when it commits: row states, hashes, the signed head.

``record`` appends entries without hashes; just before the transaction (or savepoint)
commits, this hook:

1. makes the office's key pair if it has none yet (and records that);
2. takes the rows the transaction changed (noted by SQLite, ``desktop.db.row_audit``) and
   stores each one's state after the change (``audit_row``) with the transaction's last entry,
   and after them the shifts of positions it made (``row_audit.SHIFT``) — a change that
   recorded no entry gets one saying how many rows it wrote;
3. hashes the new entries onto the chain (an entry with row states hashes their digest too);
4. writes the head — last id, hash and count — signed with the office key.

So a change, its entries, its row states and the signed head are one commit: all or nothing.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import signing
from desktop.db.copy_states import finish_copies
from desktop.db.models import AuditEntry, Setting
from desktop.db.row_audit import (
    SHIFT,
    clear_touched,
    forget_presets,
    has_copies,
    has_notes,
    note_count,
    noted_shifts,
    row_digest_input,
    shift_hints,
    store_touched_states,
)
from desktop.services.audit.log import (
    HEAD_KEY,
    PENDING,
    _fields,
    entry_hash,
    hashed_fields,
    head_message,
    parse_head,
    record,
)
from desktop.services.office.keys import ensure_key


def seal(session: Session) -> None:
    """Seal what the committing transaction recorded (see the module's description)."""
    session.flush()
    pending_ids: list[int] = session.info.pop(PENDING, [])
    conn = session.connection()
    tracking = bool(conn.connection.info.get("row_tracking"))
    touched = tracking and has_notes(conn)
    copied = tracking and has_copies(conn)
    if not pending_ids and not touched:
        forget_presets(conn)  # a copy's states whose entry was rolled back: gone with it
        return
    key = ensure_key(session)
    pending_ids += session.info.pop(PENDING, [])
    entries = list(
        session.execute(
            select(AuditEntry).where(AuditEntry.id.in_(pending_ids)).order_by(AuditEntry.id)
        ).scalars()
    )
    if not entries and not touched:  # its entries were all rolled back with a savepoint
        forget_presets(conn)
        return
    if touched and not entries:
        count = note_count(conn)
        summary = f"记录 {count} 行数据的状态"
        entries = [record(session, operator="", action="record", entity="rows", summary=summary)]
        session.info.pop(PENDING, None)
    if entries and (touched or copied):
        shifts = noted_shifts(conn)
        entries[-1].rows_digest = _store_rows(conn, entries[-1].id, shifts)
        clear_touched(conn, bool(shifts))
    forget_presets(conn)
    _chain(session, entries, key)


def _store_rows(conn: Any, audit_id: int, shifts: list[tuple[int, int, int]]) -> str:
    """Store the state of every row noted in ``temp.row_touch`` with entry ``audit_id``, then
    the ``shifts`` (list, after, step) in the order they were made; the digest of them all —
    or nothing when nothing was stored (a copy of an empty list, or one a savepoint took
    back): an entry with a digest but no rows reads as rows deleted (``db check``)."""
    digest = hashlib.sha256()
    if not finish_copies(conn, audit_id, digest):  # a new version's copies, stored already
        store_touched_states(conn, audit_id, digest)
    out = []
    for list_id, after, step in shifts:
        hints = shift_hints(after, step)
        out.append((audit_id, SHIFT, list_id, b"", hints))
        digest.update(row_digest_input(SHIFT, list_id, b"", hints))
    if out:
        conn.exec_driver_sql(
            "INSERT INTO audit_row (audit_id, tbl, row_id, digest, hints) VALUES (?, ?, ?, ?, ?)",
            out,
        )
    return "" if digest.hexdigest() == _NOTHING else digest.hexdigest()


_NOTHING = hashlib.sha256().hexdigest()  # no state adds nothing to the digest


def _chain(session: Session, entries: list[AuditEntry], key: signing.KeyPair) -> None:
    with session.no_autoflush:  # the entries' new fields go out in one UPDATE each, at the end
        row = session.get(Setting, HEAD_KEY)
        head = parse_head(row.value) if row is not None else None
        prev = (
            session.execute(
                select(AuditEntry.hash)
                .where(AuditEntry.hash != "", AuditEntry.id < entries[0].id)
                .order_by(AuditEntry.id.desc())
                .limit(1)
            ).scalar()
            or ""
        )
        if head is not None and head.hash == prev:
            count = head.count
        else:  # a first entry, or a head that says something else (``db check`` names it)
            count = session.execute(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.hash != "")
            ).scalar_one()
    for entry in entries:
        entry.prev_hash = prev
        entry.hash = entry_hash(prev, hashed_fields(_fields(entry), entry.rows_digest))
        prev = entry.hash
        count += 1
    last = entries[-1]
    signature = signing.sign(key.private, head_message(last.id, last.hash, count))
    if row is None:
        row = Setting(key=HEAD_KEY)
        session.add(row)
    row.value = json.dumps(
        {
            "id": last.id,
            "hash": last.hash,
            "count": count,
            "algorithm": signing.ALGORITHM,
            "key": key.fingerprint,
            "signature": signature.hex(),
        }
    )
    session.flush()
