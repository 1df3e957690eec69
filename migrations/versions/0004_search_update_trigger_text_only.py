"""The search index is touched only when a task's searched text changes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

The update trigger of revision 0002 fired on every UPDATE of ``task``: moving one task in a list
of 20,000 rewrote the positions of many rows, and each of those rows was taken out of the
trigram index and put back although none of its text had changed (4,000 position updates:
about a second with the trigger, a twentieth of that without). The trigger now names the
columns the index holds (``AFTER UPDATE OF``), so positions, dates, states and closing
marks are written without re-indexing. Only the trigger changes; the index keeps its rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "number, content, target_text, remarks, leader, person"
NEW_VALUES = "new.number, new.content, new.target_text, new.remarks, new.leader, new.person"
OLD_VALUES = "old.number, old.content, old.target_text, old.remarks, old.leader, old.person"
INDEXED = "EXISTS (SELECT 1 FROM task_fts_docsize WHERE id = old.id)"


def _update_trigger(columns: str | None) -> str:
    event = f"UPDATE OF {columns}" if columns else "UPDATE"
    return f"""CREATE TRIGGER task_fts_au AFTER {event} ON task WHEN {INDEXED} BEGIN
        INSERT INTO task_fts(task_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD_VALUES});
        INSERT INTO task_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW_VALUES});
    END"""


def upgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS task_fts_au")
    op.execute(_update_trigger(COLUMNS))


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS task_fts_au")
    op.execute(_update_trigger(None))
