"""Progress reports can reopen a finished task; imported lists keep the sender's thresholds

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

A task's completion is sticky: once a report gives a completion date (or 100%), later reports
without one do not undo it. Only a report marked ``reopened`` does, so the mark is stored
with the report (and travels in the package).

A list imported from the level below is read with the thresholds of the office that sent it,
so that a task reads the same status at the city as in the county's own ledger:
``work_list.thresholds`` holds them as JSON (empty for the office's own lists, which use the
office's setting).

Both are added columns (``ALTER TABLE … ADD COLUMN``), never a table rebuild, so the search
triggers on ``task`` and the view over ``work_list`` stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "progress_report",
        sa.Column("reopened", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "work_list", sa.Column("thresholds", sa.Text(), nullable=False, server_default="")
    )


def downgrade() -> None:
    # SQLite 3.35 and later drop a column in place
    op.drop_column("work_list", "thresholds")
    op.drop_column("progress_report", "reopened")
