"""The sender's audit history in a package (``audit.json``), and whether it continues.

Each package carries the head of the sender's audit log (in the manifest, so it is signed)
and, from the second package to the same level on, the entries written since the head of the
previous one (``audit.json``: id, time, operator, action, what, summary and both hashes).
The receiver keeps the head of the last package it took from that office and checks that
the new entries continue it: the entry after the old head must name the old head's hash as
its predecessor, every entry its predecessor's, and the last one must be the new head. A
sender whose earlier history was rewritten (or cut back, or restored from an old backup)
after it reported cannot show that, and is flagged (``审计记录与上次上报不连续``).

The check proves that the old head is still in the sender's chain; it does not prove that
the summaries are true (the sender's key vouches for them, see docs/SECURITY.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from desktop.errors import PackageError

from .fields import Reader

AUDIT_FILE = "audit.json"
AUDIT_FORMAT = "policy-ledger-audit"
MAX_ENTRIES = 200_000
DISCONTINUOUS = "审计记录与上次上报不连续"


@dataclass(frozen=True)
class Head:
    id: int
    hash: str
    count: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "hash": self.hash, "count": self.count}


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: str
    operator: str
    action: str
    entity: str
    summary: str
    prev_hash: str
    hash: str


def history_bytes(entries: list[HistoryEntry]) -> bytes:
    body = {
        "format": AUDIT_FORMAT,
        "format_version": 1,
        "entries": [
            {
                "id": e.id,
                "at": e.at,
                "operator": e.operator,
                "action": e.action,
                "entity": e.entity,
                "summary": e.summary,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in entries
        ],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def read_head(obj: object, where: str) -> Head | None:
    if obj is None:
        return None
    r = Reader(obj, where, "")
    return Head(r.integer("id", 0, 2**62), _hash(r, "hash"), r.integer("count", 0, 2**62))


def read_history(body: bytes) -> tuple[HistoryEntry, ...]:
    where = "审计记录文件（audit.json）"
    try:
        obj = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise PackageError(f"上报包的{where}不是有效的 JSON。") from err
    r = Reader(obj, where, "")
    if r.obj.get("format") != AUDIT_FORMAT:
        r.fail("format", "格式名称不符")
    out = []
    for e in r.objects("entries", max_items=MAX_ENTRIES):
        out.append(
            HistoryEntry(
                id=e.integer("id", 1, 2**62),
                at=e.text("at", max_len=40),
                operator=e.text("operator", max_len=60),
                action=e.text("action", max_len=40),
                entity=e.text("entity", max_len=40),
                summary=e.text("summary", max_len=2000),
                prev_hash=_hash(e, "prev_hash", empty=True),
                hash=_hash(e, "hash"),
            )
        )
    return tuple(out)


def _hash(r: Reader, key: str, *, empty: bool = False) -> str:
    value = r.text(key, max_len=64, required=not empty)
    if (value or not empty) and (len(value) != 64 or value.strip("0123456789abcdef")):
        r.fail(f"{r.path}.{key}" if r.path else key, "应为 64 位十六进制的散列值")
    return value


def continuity(old: Head | None, new: Head | None, entries: tuple[HistoryEntry, ...]) -> str | None:
    """None when the new history continues ``old`` (or there is nothing to compare), else
    what the receiver should flag (one line, Chinese)."""
    if old is None or new is None:
        return None
    if new.id == old.id:
        return None if new.hash == old.hash else f"{DISCONTINUOUS}：最新记录与上次上报时不同"
    if new.id < old.id or new.count < old.count:
        return f"{DISCONTINUOUS}：审计记录比上次上报时少（第 {old.id} 条之后的记录不见了）"
    previous = ""
    for i, e in enumerate(entries):
        if i and e.prev_hash != previous:
            return f"{DISCONTINUOUS}：随包的审计记录在第 {e.id} 条处断开"
        previous = e.hash
    if entries and entries[-1].hash != new.hash:
        return f"{DISCONTINUOUS}：随包的审计记录与其链头不符"
    by_id = {e.id: e for e in entries}
    following = by_id.get(old.id + 1)
    if following is not None:
        if following.prev_hash == old.hash:
            return None
        return f"{DISCONTINUOUS}：上次上报时的第 {old.id} 条记录之后的历史被改写过"
    same = by_id.get(old.id)
    if same is not None:
        return None if same.hash == old.hash else f"{DISCONTINUOUS}：第 {old.id} 条记录被改写过"
    return (
        "无法核对审计记录是否连续：中间有本级未导入的上报包"
        f"（本级所存为第 {old.id} 条，随包的记录从第 {entries[0].id if entries else new.id} 条起）"
    )
