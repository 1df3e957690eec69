"""Full-text search indexes only the office's own lists; redundant indexes dropped

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

The trigram index serves searching and editing the office's own work lists. Lists imported
from the level below are read-only views there, and indexing them made importing a city's
hundred county packages a fifth slower. The index now takes its content from a view of the
tasks of own lists; its triggers add a task only when its list is the office's own and remove
or update a task only when it is indexed, so FTS5's integrity check still compares the index
with exactly what it should hold.

It also drops single-column indexes whose column already leads a unique constraint (every
insert paid for both); the constraint's index serves the same lookups. Plain index
operations, never a table rebuild, so the search triggers stay in place.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "number, content, target_text, remarks, leader, person"
NEW_VALUES = "new.number, new.content, new.target_text, new.remarks, new.leader, new.person"
OLD_VALUES = "old.number, old.content, old.target_text, old.remarks, old.leader, old.person"
INDEXED = "EXISTS (SELECT 1 FROM task_fts_docsize WHERE id = old.id)"

DROP_0001 = [
    "DROP TRIGGER IF EXISTS task_fts_au",
    "DROP TRIGGER IF EXISTS task_fts_ad",
    "DROP TRIGGER IF EXISTS task_fts_ai",
    "DROP TABLE IF EXISTS task_fts",
]

CREATE_0002 = [
    """CREATE VIEW task_search_source AS
        SELECT t.id AS id, t.number AS number, t.content AS content,
               t.target_text AS target_text, t.remarks AS remarks, t.leader AS leader,
               t.person AS person
        FROM task t JOIN work_list w ON w.id = t.work_list_id
        WHERE w.own""",
    f"CREATE VIRTUAL TABLE task_fts USING fts5({COLUMNS}, content='task_search_source', "
    "content_rowid='id', tokenize='trigram')",
    "INSERT INTO task_fts(task_fts) VALUES ('rebuild')",
    f"""CREATE TRIGGER task_fts_ai AFTER INSERT ON task
        WHEN (SELECT own FROM work_list WHERE id = new.work_list_id) BEGIN
        INSERT INTO task_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW_VALUES});
    END""",
    f"""CREATE TRIGGER task_fts_ad AFTER DELETE ON task WHEN {INDEXED} BEGIN
        INSERT INTO task_fts(task_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD_VALUES});
    END""",
    f"""CREATE TRIGGER task_fts_au AFTER UPDATE ON task WHEN {INDEXED} BEGIN
        INSERT INTO task_fts(task_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD_VALUES});
        INSERT INTO task_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW_VALUES});
    END""",
]

# revision 0001's index: every task, kept by unconditional triggers
CREATE_0001 = [
    f"CREATE VIRTUAL TABLE task_fts USING fts5({COLUMNS}, content='task', "
    "content_rowid='id', tokenize='trigram')",
    "INSERT INTO task_fts(task_fts) VALUES ('rebuild')",
    f"""CREATE TRIGGER task_fts_ai AFTER INSERT ON task BEGIN
        INSERT INTO task_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW_VALUES});
    END""",
    f"""CREATE TRIGGER task_fts_ad AFTER DELETE ON task BEGIN
        INSERT INTO task_fts(task_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD_VALUES});
    END""",
    f"""CREATE TRIGGER task_fts_au AFTER UPDATE ON task BEGIN
        INSERT INTO task_fts(task_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD_VALUES});
        INSERT INTO task_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW_VALUES});
    END""",
]


# (index, table, column): each column leads a unique constraint of its table
REDUNDANT = [
    ("ix_check_note_work_list_id", "check_note", "work_list_id"),
    ("ix_measure_notice_id", "measure", "notice_id"),
    ("ix_measure_exclusion_work_list_id", "measure_exclusion", "work_list_id"),
    ("ix_milestone_task_id", "milestone", "task_id"),
    ("ix_notice_section_notice_id", "notice_section", "notice_id"),
    ("ix_progress_report_task_id", "progress_report", "task_id"),
    ("ix_reporting_period_work_list_id", "reporting_period", "work_list_id"),
    ("ix_task_work_list_id", "task", "work_list_id"),
]


def upgrade() -> None:
    for statement in [*DROP_0001, *CREATE_0002]:
        op.execute(statement)
    for name, table, _column in REDUNDANT:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, column in REDUNDANT:
        op.create_index(name, table, [column], unique=False)
    for statement in [*DROP_0001, "DROP VIEW IF EXISTS task_search_source", *CREATE_0001]:
        op.execute(statement)
