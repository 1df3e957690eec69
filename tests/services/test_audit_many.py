"""Many audit entries written at once make the same chain as one at a time."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

from sqlalchemy import select

from desktop.db.models import AuditEntry
from desktop.services.audit import log as audit
from desktop.services.context import Services
from tests.services.statements import statements_of


def _changes(n: int) -> list[audit.Change]:
    return [
        audit.Change("progress", "progress", k, f"进展：任务 {k}", None, {"percent": k})
        for k in range(n)
    ]


def test_entries_written_together_chain_like_single_ones(services: Services) -> None:
    with services.sessions.begin() as session:
        audit.record(session, operator="张三", action="update", entity="office", summary="前")
        audit.record_many(session, "张三", _changes(3))
        audit.record(session, operator="张三", action="update", entity="office", summary="后")
    with services.sessions() as session:
        assert audit.verify_chain(session) is None
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars().all()
        mine = [e for e in entries if e.operator == "张三"]
        assert [e.summary for e in mine] == [
            "前",
            "进展：任务 0",
            "进展：任务 1",
            "进展：任务 2",
            "后",
        ]
        for previous, entry in itertools.pairwise(mine):
            assert entry.prev_hash == previous.hash
        assert mine[2].after == '{"percent": 1}'


def test_a_tampered_entry_of_a_batch_breaks_the_chain(services: Services, data_root: Path) -> None:
    with services.sessions.begin() as session:
        audit.record_many(session, "李四", _changes(4))
    with services.sessions() as session:
        batch = (
            session.execute(
                select(AuditEntry.id).where(AuditEntry.operator == "李四").order_by(AuditEntry.id)
            )
            .scalars()
            .all()
        )
    conn = sqlite3.connect(data_root / "ledger.sqlite3")
    conn.execute("UPDATE audit_log SET summary = '改过' WHERE id = ?", (batch[2],))
    conn.commit()
    conn.close()
    with services.sessions() as session:
        problem = audit.verify_chain(session)
    assert problem is not None and problem.entry_id == batch[2]


def test_a_batch_costs_the_same_statements_whatever_its_size(services: Services) -> None:
    def write(n: int) -> None:
        with services.sessions.begin() as session:
            audit.record_many(session, "王五", _changes(n))

    assert statements_of(services.engine, lambda: write(5)) == statements_of(
        services.engine, lambda: write(500)
    )
