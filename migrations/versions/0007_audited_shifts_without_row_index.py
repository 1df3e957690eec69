"""Audited shifts of positions; the unused index on row states dropped

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Making room in a list (a split, a task added after another, an undone delete) is now
audited as one shift — the list, after which place, by how many — stored in ``audit_row``
with ``tbl`` 4, instead of the state of every task it moved; ``db check`` takes the shifts
back before it compares a task's position. A program that does not know shifts would name
every moved task as edited outside the program, so the database moves to a revision such a
program refuses.

``ix_audit_row_row`` (table and row of each state) is dropped: nothing reads states by row
(``db check`` reads them all in order), and a new version of a 20,000-task list stores
130,000 states at once — the index cost a tenth of a second and a quarter of the space.
No data changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_audit_row_row", table_name="audit_row")


def downgrade() -> None:
    op.create_index("ix_audit_row_row", "audit_row", ["tbl", "row_id"])
