"""The province chain: packages kept as received, combined packages, lists by way of a city

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08

A city sends its own list and its counties' lists upward in one combined package, each
county's part exactly as the county sent it. So the city keeps every package it imports,
byte for byte (``package_file``: the bytes, by SHA-256), and each import says which file
brought it (``package_import.file_id``), and — at the province — which combined package
(``bundle_import``) and which part of it (``package_import.bundle_id``, ``part``). A list
that came up inside a city's package names that city (``work_list.via``, ``via_code``).

The province keeps cities and, under each, the counties it expects (``locality.parent``).
A combined package sent without an own list is recorded as a submission without a list:
``submission.work_list_id`` becomes nullable and the row names its year, notice and parts,
and a combined package's number among the office's combined packages of that year and notice
(``bundle_sequence``: the province orders them by it, never by a clock).

``work_list`` gains columns with ``ALTER TABLE … ADD COLUMN`` only: rebuilding it would
break the search view over it. ``package_import`` and ``submission`` are rebuilt in batch
mode (no view or trigger refers to them).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "package_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_file")),
        sa.UniqueConstraint("sha256", name=op.f("uq_package_file_sha256")),
    )
    op.create_table(
        "bundle_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("locality", sa.String(length=80), nullable=False),
        sa.Column("locality_code", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("doc_number", sa.String(length=80), nullable=False),
        sa.Column("exported_at", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("manifest", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_import")),
    )
    op.create_index(
        "ix_bundle_import_sender",
        "bundle_import",
        ["locality_code", "locality", "year"],
        unique=False,
    )
    with op.batch_alter_table("package_import", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("bundle_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("part", sa.Text(), server_default="", nullable=False))
        batch_op.create_index(batch_op.f("ix_package_import_file_id"), ["file_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_package_import_bundle_id"), ["bundle_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_package_import_file_id_package_file"),
            "package_file",
            ["file_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_package_import_bundle_id_bundle_import"),
            "bundle_import",
            ["bundle_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.alter_column("work_list_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("year", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("doc_number", sa.String(length=80), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("parts", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(
            sa.Column("bundle_sequence", sa.Integer(), server_default="0", nullable=False)
        )
    op.add_column(
        "locality", sa.Column("parent", sa.String(length=80), server_default="", nullable=False)
    )
    op.add_column(
        "work_list", sa.Column("via", sa.String(length=80), server_default="", nullable=False)
    )
    op.add_column(
        "work_list",
        sa.Column("via_code", sa.String(length=20), server_default="", nullable=False),
    )


def downgrade() -> None:
    # SQLite 3.35 and later drop a column in place (work_list keeps its view)
    op.drop_column("work_list", "via_code")
    op.drop_column("work_list", "via")
    op.drop_column("locality", "parent")
    # a submission without an own list cannot be kept under the older schema
    op.execute("DELETE FROM submission WHERE work_list_id IS NULL")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_column("bundle_sequence")
        batch_op.drop_column("parts")
        batch_op.drop_column("doc_number")
        batch_op.drop_column("year")
        batch_op.alter_column("work_list_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("package_import", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_package_import_bundle_id_bundle_import"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_package_import_file_id_package_file"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_package_import_bundle_id"))
        batch_op.drop_index(batch_op.f("ix_package_import_file_id"))
        batch_op.drop_column("part")
        batch_op.drop_column("bundle_id")
        batch_op.drop_column("file_id")
    op.drop_index("ix_bundle_import_sender", table_name="bundle_import")
    op.drop_table("bundle_import")
    op.drop_table("package_file")
