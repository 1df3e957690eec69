"""What ``db check`` proves about the audit log beyond its hash chain.

- :func:`head_signature_problem`: the head (last entry, hash, count) is signed with the
  office's key, so cutting entries off and editing the head by SQL is found — the hash
  alone could be copied from the new last row.
- :func:`row_state_problems`: each entry's stored row states still hash to what the entry
  recorded, and every task, milestone and progress row equals the state its last audited
  change left (a row edited, added or deleted outside the program is named: table, row and,
  where the per-field hints tell, the field). A task's position is compared once the
  audited shifts of its list since that change are taken back (``row_audit.unshift``).
- :func:`record_baseline`: rows that predate row states (a database upgraded from an
  earlier version) get theirs recorded once, in one audited transaction.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterator
from itertools import groupby

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from desktop.core import signing
from desktop.core.vocabulary import LABELS
from desktop.db.models import AuditEntry, AuditRow, OfficeKey, Setting
from desktop.db.row_audit import (
    SHIFT,
    TABLES,
    TASK,
    differing_fields,
    field_names,
    parse_shift,
    row_digest_input,
    row_values,
    state,
    unshift,
)
from desktop.services.audit import log as audit
from desktop.services.clock import now_text

BASELINE_KEY = audit.ROWS_BASELINE_KEY
TABLE_WORDS = {1: "任务", 2: "节点", 3: "进展"}
MAX_NAMED = 20


def record_baseline(sessions: sessionmaker[Session]) -> None:
    """Record the state of every existing row once (a no-op after the first time)."""
    with sessions() as session:
        if session.get(Setting, BASELINE_KEY) is not None:
            return
    with sessions.begin() as session:
        if session.get(Setting, BASELINE_KEY) is not None:
            return
        total = 0
        for code, table in TABLES.items():
            session.execute(
                text(f"INSERT OR IGNORE INTO temp.row_touch SELECT {code}, id FROM main.{table}")
            )
            total += session.execute(text(f"SELECT count(*) FROM main.{table}")).scalar_one()
        if total:
            audit.record(
                session,
                operator="",
                action="record",
                entity="rows",
                summary=f"记录已有数据的状态（{total} 行），此后在程序之外的改动可由数据库检查发现",
            )
        session.add(Setting(key=BASELINE_KEY, value=f'"{now_text()}"'))


def head_signature_problem(session: Session) -> str | None:
    """None when the head is signed by the office key (or the log is still empty)."""
    head = audit.read_head(session)
    key = session.execute(select(OfficeKey).order_by(OfficeKey.id.desc()).limit(1)).scalar()
    if head is None:
        return None  # verify_chain says whether an empty log is believable
    if key is None:
        return "审计记录链头应有本单位密钥的签名，但数据库中没有本单位密钥"
    if not head.signature:
        return "审计记录链头没有签名（链头可能被人为改写）"
    if head.key != key.fingerprint:
        return f"审计记录链头的签名密钥（{head.key or '无'}）不是本单位密钥（{key.fingerprint}）"
    message = audit.head_message(head.id, head.hash, head.count)
    try:
        signature = bytes.fromhex(head.signature)
    except ValueError:
        signature = b""
    if not signing.verify(bytes.fromhex(key.public_key), message, signature):
        return "审计记录链头的签名无效：最新的审计记录被删除或链头被人为改写"
    return None


def row_state_problems(session: Session) -> list[str]:
    """Rows that differ from their last audited state, and row states that were altered."""
    problems = list(_altered_states(session))
    if problems:
        return problems
    conn = session.connection()
    last: dict[tuple[int, int], tuple[int, bytes, bytes]] = {}
    shifts = _Shifts()
    for audit_id, code, row_id, digest, hints in session.execute(
        select(
            AuditRow.audit_id, AuditRow.tbl, AuditRow.row_id, AuditRow.digest, AuditRow.hints
        ).order_by(AuditRow.id)
    ).yield_per(20_000):
        if code == SHIFT:
            shifts.add(row_id, audit_id, hints)
        else:
            last[(code, row_id)] = (audit_id, digest, hints)
    found: list[str] = []
    for code in TABLES:
        names = field_names(conn, code)
        place = names.index("position") if code == TASK else -1
        owner = names.index("work_list_id") if code == TASK else -1
        for row_id, values in row_values(conn, code):
            stored = last.pop((code, row_id), None)
            if stored is None or not stored[1]:
                found.append(f"{_row(code, row_id)}不是程序写入的（在程序之外新增）")
                continue
            if place >= 0:  # where the task stood when its state was stored
                values[place] = shifts.taken_back(values[owner], stored[0], values[place])
            current = state(code, row_id, values)
            if stored[1] != current.digest:
                fields = differing_fields(names, stored[2], current.hints)
                what = "、".join(_field_word(f) for f in fields) if fields else "内容"
                found.append(f"{_row(code, row_id)}的{what}在程序之外被改动过")
    found.extend(shifts.problems)
    for (code, row_id), (_, digest, _) in last.items():
        if digest:
            found.append(f"{_row(code, row_id)}在程序之外被删除")
    if len(found) > MAX_NAMED:
        found = [*found[:MAX_NAMED], f"另有 {len(found) - MAX_NAMED} 处"]
    return found


class _Shifts:
    """The audited shifts of positions, by list, in the order they were made."""

    def __init__(self) -> None:
        self._at: dict[int, list[int]] = {}  # list id → audit ids of its shifts
        self._moves: dict[int, list[tuple[int, int]]] = {}  # list id → (after, step)
        self.problems: list[str] = []

    def add(self, list_id: int, audit_id: int, hints: bytes) -> None:
        move = parse_shift(hints)
        if move is None:  # an entry's digest covers it: only a forged one gets here
            self.problems.append(f"第 {audit_id} 条审计记录所记的任务顺序无法读取")
            return
        self._at.setdefault(list_id, []).append(audit_id)
        self._moves.setdefault(list_id, []).append(move)

    def taken_back(self, list_text: str, audit_id: int, position_text: str) -> str:
        """A task's position (as text) before the shifts of its list made after entry
        ``audit_id``; as it is when there were none, or when the text is not a number; a
        text no position reads when no task older than the shifts can stand there."""
        try:
            at = self._at[int(list_text)]
            position = int(position_text)
        except (KeyError, ValueError):
            return position_text
        since = bisect_right(at, audit_id)
        if since == len(at):
            return position_text
        before = unshift(position, self._moves[int(list_text)][since:])
        return str(before) if before is not None else f"?{position_text}"


def _altered_states(session: Session) -> Iterator[str]:
    rows = session.execute(
        select(
            AuditRow.audit_id, AuditRow.tbl, AuditRow.row_id, AuditRow.digest, AuditRow.hints
        ).order_by(AuditRow.audit_id, AuditRow.id)
    ).yield_per(20_000)
    recorded = dict(
        session.execute(
            select(AuditEntry.id, AuditEntry.rows_digest).where(AuditEntry.rows_digest != "")
        ).all()
    )
    for audit_id, group in groupby(rows, key=lambda r: r[0]):
        digest = hashlib.sha256()
        for _, code, row_id, row_digest, hints in group:
            digest.update(row_digest_input(code, row_id, row_digest, hints))
        if recorded.pop(audit_id, None) != digest.hexdigest():
            yield f"第 {audit_id} 条审计记录所记的数据状态被改动过"
    for audit_id in recorded:
        yield f"第 {audit_id} 条审计记录所记的数据状态被删除"


def _row(code: int, row_id: int) -> str:
    return f"{TABLE_WORDS[code]}表（{TABLES[code]}）第 {row_id} 行"


def _field_word(name: str) -> str:
    word = LABELS.get(name)
    return f"“{word}”（{name}）" if word else f"“{name}”"
