"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 14:59:37.993909
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Full-text search over tasks (SQLite FTS5, trigram tokenizer: Chinese substrings of three or
# more characters). An external-content table kept in step with ``task`` by triggers. Any
# later revision that rebuilds ``task`` (batch mode) drops these triggers and must recreate
# them.
FTS_COLUMNS = "number, content, target_text, remarks, leader, person"
FTS_CREATE = [
    f"CREATE VIRTUAL TABLE task_fts USING fts5({FTS_COLUMNS}, content='task', "
    "content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER task_fts_ai AFTER INSERT ON task BEGIN
        INSERT INTO task_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.number, new.content, new.target_text, new.remarks, new.leader,
                new.person);
    END""",
    f"""CREATE TRIGGER task_fts_ad AFTER DELETE ON task BEGIN
        INSERT INTO task_fts(task_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.number, old.content, old.target_text, old.remarks,
                old.leader, old.person);
    END""",
    f"""CREATE TRIGGER task_fts_au AFTER UPDATE ON task BEGIN
        INSERT INTO task_fts(task_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.number, old.content, old.target_text, old.remarks,
                old.leader, old.person);
        INSERT INTO task_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.number, new.content, new.target_text, new.remarks, new.leader,
                new.person);
    END""",
]
FTS_DROP = [
    "DROP TRIGGER IF EXISTS task_fts_au",
    "DROP TRIGGER IF EXISTS task_fts_ad",
    "DROP TRIGGER IF EXISTS task_fts_ai",
    "DROP TABLE IF EXISTS task_fts",
]

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("operator", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "local_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("short_name", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_unit")),
        sa.UniqueConstraint("name", name=op.f("uq_local_unit_name")),
    )
    op.create_table(
        "locality",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("expected", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locality")),
        sa.UniqueConstraint("name", name=op.f("uq_locality_name")),
    )
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_number", sa.String(length=80), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("lead_rule", sa.Text(), nullable=False),
        sa.Column("generic_for_all", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("source_name", sa.String(length=260), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("imported_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
        sa.UniqueConstraint("doc_number", name=op.f("uq_notice_doc_number")),
    )
    op.create_table(
        "office",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locality", sa.String(length=80), nullable=False),
        sa.Column("locality_code", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("parent", sa.String(length=80), nullable=False),
        sa.Column("reporting_office", sa.String(length=200), nullable=False),
        sa.Column("operator", sa.String(length=60), nullable=False),
        sa.Column("reviewer", sa.String(length=60), nullable=False),
        sa.Column("contact_phone", sa.String(length=60), nullable=False),
        sa.Column("configured", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "notice_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notice.id"],
            name=op.f("fk_notice_section_notice_id_notice"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["notice_section.id"],
            name=op.f("fk_notice_section_parent_id_notice_section"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_section")),
        sa.UniqueConstraint("notice_id", "code", name=op.f("uq_notice_section_notice_id")),
    )
    with op.batch_alter_table("notice_section", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notice_section_notice_id"), ["notice_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_notice_section_parent_id"), ["parent_id"], unique=False
        )

    op.create_table(
        "unit_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provincial_name", sa.String(length=120), nullable=False),
        sa.Column("local_unit_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("ignored", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["local_unit_id"],
            ["local_unit.id"],
            name=op.f("fk_unit_mapping_local_unit_id_local_unit"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_mapping")),
        sa.UniqueConstraint("provincial_name", name=op.f("uq_unit_mapping_provincial_name")),
    )
    with op.batch_alter_table("unit_mapping", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unit_mapping_local_unit_id"), ["local_unit_id"], unique=False
        )

    op.create_table(
        "work_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("own", sa.Boolean(), nullable=False),
        sa.Column("locality", sa.String(length=80), nullable=False),
        sa.Column("locality_code", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("parent", sa.String(length=80), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("cadence", sa.String(length=10), nullable=False),
        sa.Column("due_day", sa.Integer(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("previous_version_id", sa.Integer(), nullable=True),
        sa.Column("carried_from_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.Column("checked_at", sa.String(length=40), nullable=False),
        sa.Column("submitted_at", sa.String(length=40), nullable=False),
        sa.Column("submitted_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["carried_from_id"],
            ["work_list.id"],
            name=op.f("fk_work_list_carried_from_id_work_list"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notice.id"],
            name=op.f("fk_work_list_notice_id_notice"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["previous_version_id"],
            ["work_list.id"],
            name=op.f("fk_work_list_previous_version_id_work_list"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_list")),
        sa.UniqueConstraint(
            "locality", "year", "notice_id", "version", name="uq_work_list_version"
        ),
    )
    with op.batch_alter_table("work_list", schema=None) as batch_op:
        batch_op.create_index(
            "ix_work_list_lookup", ["locality", "year", "notice_id", "is_current"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_work_list_notice_id"), ["notice_id"], unique=False)

    op.create_table(
        "check_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_list_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("accepted_at", sa.String(length=40), nullable=False),
        sa.Column("accepted_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["work_list_id"],
            ["work_list.id"],
            name=op.f("fk_check_note_work_list_id_work_list"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_note")),
        sa.UniqueConstraint("work_list_id", "key", name=op.f("uq_check_note_work_list_id")),
    )
    with op.batch_alter_table("check_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_check_note_work_list_id"), ["work_list_id"], unique=False
        )

    op.create_table(
        "measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("joint", sa.Boolean(), nullable=False),
        sa.Column("is_heading", sa.Boolean(), nullable=False),
        sa.Column("generic", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notice.id"],
            name=op.f("fk_measure_notice_id_notice"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["notice_section.id"],
            name=op.f("fk_measure_section_id_notice_section"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure")),
        sa.UniqueConstraint("notice_id", "code", name=op.f("uq_measure_notice_id")),
    )
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_notice_id"), ["notice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_measure_section_id"), ["section_id"], unique=False)

    op.create_table(
        "package_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_list_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("locality", sa.String(length=80), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("manifest", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["work_list_id"],
            ["work_list.id"],
            name=op.f("fk_package_import_work_list_id_work_list"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_import")),
    )
    with op.batch_alter_table("package_import", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_package_import_work_list_id"), ["work_list_id"], unique=False
        )

    op.create_table(
        "reporting_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_list_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=10), nullable=False),
        sa.Column("label", sa.String(length=30), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("frozen_at", sa.String(length=40), nullable=False),
        sa.Column("frozen_by", sa.String(length=60), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["work_list_id"],
            ["work_list.id"],
            name=op.f("fk_reporting_period_work_list_id_work_list"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_period")),
        sa.UniqueConstraint("work_list_id", "key", name=op.f("uq_reporting_period_work_list_id")),
    )
    with op.batch_alter_table("reporting_period", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reporting_period_work_list_id"), ["work_list_id"], unique=False
        )

    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_list_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("operator", sa.String(length=60), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("period_key", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["work_list_id"],
            ["work_list.id"],
            name=op.f("fk_submission_work_list_id_work_list"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_submission_work_list_id"), ["work_list_id"], unique=False
        )

    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_list_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("target_text", sa.Text(), nullable=False),
        sa.Column("target_value", sa.String(length=40), nullable=True),
        sa.Column("target_unit", sa.String(length=40), nullable=False),
        sa.Column("leader", sa.String(length=60), nullable=False),
        sa.Column("person", sa.String(length=60), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(length=60), nullable=False),
        sa.Column("close_evidence", sa.Text(), nullable=False),
        sa.Column("carried_from_uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["work_list_id"],
            ["work_list.id"],
            name=op.f("fk_task_work_list_id_work_list"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
        sa.UniqueConstraint("work_list_id", "uid", name=op.f("uq_task_work_list_id")),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index("ix_task_list_position", ["work_list_id", "position"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_work_list_id"), ["work_list_id"], unique=False)

    op.create_table(
        "measure_exclusion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_list_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measure.id"],
            name=op.f("fk_measure_exclusion_measure_id_measure"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["work_list_id"],
            ["work_list.id"],
            name=op.f("fk_measure_exclusion_work_list_id_work_list"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_exclusion")),
        sa.UniqueConstraint(
            "work_list_id", "measure_id", name=op.f("uq_measure_exclusion_work_list_id")
        ),
    )
    with op.batch_alter_table("measure_exclusion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measure_exclusion_measure_id"), ["measure_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_measure_exclusion_work_list_id"), ["work_list_id"], unique=False
        )

    op.create_table(
        "measure_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("alias", sa.String(length=120), nullable=False),
        sa.Column("is_lead", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measure.id"],
            name=op.f("fk_measure_unit_measure_id_measure"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_unit")),
    )
    with op.batch_alter_table("measure_unit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measure_unit_measure_id"), ["measure_id"], unique=False
        )

    op.create_table(
        "milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_milestone_task_id_task"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone")),
        sa.UniqueConstraint("task_id", "due_on", name=op.f("uq_milestone_task_id")),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestone_task_id"), ["task_id"], unique=False)

    op.create_table(
        "progress_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("lag_reason", sa.Text(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.Column("updated_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["reporting_period.id"],
            name=op.f("fk_progress_report_period_id_reporting_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
            name=op.f("fk_progress_report_task_id_task"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_report")),
        sa.UniqueConstraint("task_id", "period_id", name=op.f("uq_progress_report_task_id")),
    )
    with op.batch_alter_table("progress_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_progress_report_period_id"), ["period_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_progress_report_task_id"), ["task_id"], unique=False)

    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=True),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("qualifier", sa.String(length=40), nullable=True),
        sa.Column("phrase", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measure.id"],
            name=op.f("fk_target_measure_id_measure"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notice.id"],
            name=op.f("fk_target_notice_id_notice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
    )
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_measure_id"), ["measure_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_notice_id"), ["notice_id"], unique=False)

    op.create_table(
        "task_measure",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measure.id"],
            name=op.f("fk_task_measure_measure_id_measure"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_task_measure_task_id_task"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("task_id", "measure_id", name=op.f("pk_task_measure")),
    )
    with op.batch_alter_table("task_measure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_task_measure_measure_id"), ["measure_id"], unique=False
        )

    op.create_table(
        "task_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=4), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_task_unit_task_id_task"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_unit")),
    )
    with op.batch_alter_table("task_unit", schema=None) as batch_op:
        batch_op.create_index("ix_task_unit_name_role", ["name", "role"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_unit_task_id"), ["task_id"], unique=False)
    for statement in FTS_CREATE:
        op.execute(statement)


def downgrade() -> None:
    for statement in FTS_DROP:
        op.execute(statement)
    with op.batch_alter_table("task_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_unit_task_id"))
        batch_op.drop_index("ix_task_unit_name_role")

    op.drop_table("task_unit")
    with op.batch_alter_table("task_measure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_measure_measure_id"))

    op.drop_table("task_measure")
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_notice_id"))
        batch_op.drop_index(batch_op.f("ix_target_measure_id"))

    op.drop_table("target")
    with op.batch_alter_table("progress_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_progress_report_task_id"))
        batch_op.drop_index(batch_op.f("ix_progress_report_period_id"))

    op.drop_table("progress_report")
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_task_id"))

    op.drop_table("milestone")
    with op.batch_alter_table("measure_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_unit_measure_id"))

    op.drop_table("measure_unit")
    with op.batch_alter_table("measure_exclusion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_exclusion_work_list_id"))
        batch_op.drop_index(batch_op.f("ix_measure_exclusion_measure_id"))

    op.drop_table("measure_exclusion")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_work_list_id"))
        batch_op.drop_index("ix_task_list_position")

    op.drop_table("task")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_work_list_id"))

    op.drop_table("submission")
    with op.batch_alter_table("reporting_period", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporting_period_work_list_id"))

    op.drop_table("reporting_period")
    with op.batch_alter_table("package_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_package_import_work_list_id"))

    op.drop_table("package_import")
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_section_id"))
        batch_op.drop_index(batch_op.f("ix_measure_notice_id"))

    op.drop_table("measure")
    with op.batch_alter_table("check_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_note_work_list_id"))

    op.drop_table("check_note")
    with op.batch_alter_table("work_list", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_list_notice_id"))
        batch_op.drop_index("ix_work_list_lookup")

    op.drop_table("work_list")
    with op.batch_alter_table("unit_mapping", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_mapping_local_unit_id"))

    op.drop_table("unit_mapping")
    with op.batch_alter_table("notice_section", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_section_parent_id"))
        batch_op.drop_index(batch_op.f("ix_notice_section_notice_id"))

    op.drop_table("notice_section")
    op.drop_table("setting")
    op.drop_table("office")
    op.drop_table("notice")
    op.drop_table("locality")
    op.drop_table("local_unit")
    op.drop_table("audit_log")
