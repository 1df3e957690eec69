"""Office keys, pinned keys of the level below, audited row states, export sequence numbers

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08

- ``office_key``: the office's SM2 key pair (it signs packages and the audit head);
  ``sender_key``: the keys of the offices below, pinned at their first signed package.
- ``audit_row``: the state of each task, milestone and progress row after each audited
  change (a digest and one byte per field); ``audit_log.rows_digest`` binds them to the entry.
- ``submission.sequence`` / ``parent`` / ``audit_id``: the export's number among the list's
  exports, where it went, and the last audit entry it carried.
- ``package_import.signer`` / ``notes``: the fingerprint that signed an imported package
  ("" for an unsigned one) and what the import noticed.

Only added tables and columns (``ALTER TABLE … ADD COLUMN``): the search triggers on ``task``
and the view over ``work_list`` stay as they are. The existing rows' states are recorded by
the program when it first opens the upgraded database (a signature needs the office key,
which the program makes), not here.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "office_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("algorithm", sa.String(length=20), nullable=False),
        sa.Column("private_key", sa.String(length=200), nullable=False),
        sa.Column("public_key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_key")),
    )
    op.create_table(
        "sender_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locality", sa.String(length=80), nullable=False),
        sa.Column("locality_code", sa.String(length=20), nullable=False),
        sa.Column("algorithm", sa.String(length=20), nullable=False),
        sa.Column("public_key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=60), nullable=False),
        sa.Column("pinned_at", sa.String(length=40), nullable=False),
        sa.Column("pinned_by", sa.String(length=60), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("replaced_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sender_key")),
    )
    op.create_index("ix_sender_key_locality", "sender_key", ["locality", "active"])
    op.create_table(
        "audit_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("tbl", sa.Integer(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.LargeBinary(), nullable=False),
        sa.Column("hints", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit_log.id"],
            name=op.f("fk_audit_row_audit_id_audit_log"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_row")),
    )
    op.create_index(op.f("ix_audit_row_audit_id"), "audit_row", ["audit_id"])
    op.create_index("ix_audit_row_row", "audit_row", ["tbl", "row_id"])
    op.add_column(
        "audit_log",
        sa.Column("rows_digest", sa.String(length=64), nullable=False, server_default=""),
    )
    op.add_column(
        "submission", sa.Column("sequence", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "submission",
        sa.Column("parent", sa.String(length=80), nullable=False, server_default=""),
    )
    op.add_column(
        "submission", sa.Column("audit_id", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "package_import",
        sa.Column("signer", sa.String(length=60), nullable=False, server_default=""),
    )
    op.add_column(
        "package_import", sa.Column("notes", sa.JSON(), nullable=False, server_default="[]")
    )


def downgrade() -> None:
    op.drop_column("package_import", "notes")
    op.drop_column("package_import", "signer")
    op.drop_column("submission", "audit_id")
    op.drop_column("submission", "parent")
    op.drop_column("submission", "sequence")
    op.drop_column("audit_log", "rows_digest")
    op.drop_index("ix_audit_row_row", table_name="audit_row")
    op.drop_index(op.f("ix_audit_row_audit_id"), table_name="audit_row")
    op.drop_table("audit_row")
    op.drop_index("ix_sender_key_locality", table_name="sender_key")
    op.drop_table("sender_key")
    op.drop_table("office_key")
