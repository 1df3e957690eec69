"""The database schema: SQLAlchemy 2 typed models for the whole product.

One data folder is one office. Its database holds the notices it works from (a tree of
sections and measures with their responsible units and targets), the office's local units
and the provincial→local unit mapping, the work lists (its own and those imported from the
levels below), their tasks, milestones, reporting periods and progress, the history of
submissions and imports, an audit log chained by hashes, and settings.

Conventions:
- dates are ``Date``; instants are ISO-8601 text in local time with offset (``at`` columns);
- exact numbers (target values such as 2.5 万亿元) are decimal strings, never floats;
- list-like values that are only ever read whole (warnings, generic collectives) are JSON;
- names of units on tasks are text, because imported lists carry the names of the units of
  another locality that this office does not have in its own unit table.

Longer than 500 lines: every table is here, so the schema reads in one place and Alembic
(and the test that compares the migrated schema with the models) sees one metadata.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# --------------------------------------------------------------------------- notices


class Notice(Base):
    """A policy document from the level above (上级文件)."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_number: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    issuer: Mapped[str] = mapped_column(String(200), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    # the sentence stating who leads, e.g. 除特别注明外，排第一位的为牵头单位
    lead_rule: Mapped[str] = mapped_column(Text, default="")
    # generic collectives that a document-level remark extends to every measure
    generic_for_all: Mapped[list[str]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_name: Mapped[str] = mapped_column(String(260), default="")
    source_text: Mapped[str] = mapped_column(Text, default="")
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[str] = mapped_column(String(40), default="")

    sections: Mapped[list[NoticeSection]] = relationship(
        back_populates="notice", cascade="all, delete-orphan", order_by="NoticeSection.position"
    )
    measures: Mapped[list[Measure]] = relationship(
        back_populates="notice", cascade="all, delete-orphan", order_by="Measure.position"
    )
    # every target of the notice: headline targets have no measure
    targets: Mapped[list[Target]] = relationship(
        back_populates="notice", cascade="all, delete-orphan", order_by="Target.position"
    )

    @property
    def headline_targets(self) -> list[Target]:
        return [t for t in self.targets if t.measure_id is None and t.measure is None]


class NoticeSection(Base):
    """A heading of a notice (领域): 一、 → （一） → …; forms a tree through ``parent_id``."""

    __tablename__ = "notice_section"
    __table_args__ = (UniqueConstraint("notice_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("notice_section.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column(Integer, default=1)
    number: Mapped[str] = mapped_column(String(20), default="")
    code: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    notice: Mapped[Notice] = relationship(back_populates="sections")


class Measure(Base):
    """A numbered item of a notice that carries work (条目 / 举措)."""

    __tablename__ = "measure"
    __table_args__ = (UniqueConstraint("notice_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("notice_section.id", ondelete="SET NULL"), index=True
    )
    # path of outline numbers, stable across re-imports: "一.（一）.1", "三.（一）", "四"
    code: Mapped[str] = mapped_column(String(80))
    number: Mapped[str] = mapped_column(String(20), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    joint: Mapped[bool] = mapped_column(Boolean, default=False)
    is_heading: Mapped[bool] = mapped_column(Boolean, default=False)
    generic: Mapped[list[str]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)

    notice: Mapped[Notice] = relationship(back_populates="measures")
    section: Mapped[NoticeSection | None] = relationship()
    units: Mapped[list[MeasureUnit]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", order_by="MeasureUnit.position"
    )
    targets: Mapped[list[Target]] = relationship(
        back_populates="measure", order_by="Target.position"
    )


class MeasureUnit(Base):
    """A responsible unit named in a measure's note, in the order printed."""

    __tablename__ = "measure_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(120))
    alias: Mapped[str] = mapped_column(String(120), default="")
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)

    measure: Mapped[Measure] = relationship(back_populates="units")


class Target(Base):
    """A quantitative target: of a measure, or (``measure_id`` null) a headline target."""

    __tablename__ = "target"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    year: Mapped[int | None] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[str | None] = mapped_column(String(40))  # exact decimal as text
    unit: Mapped[str] = mapped_column(String(40), default="")
    qualifier: Mapped[str | None] = mapped_column(String(40))
    phrase: Mapped[str] = mapped_column(Text, default="")

    notice: Mapped[Notice] = relationship(back_populates="targets")
    measure: Mapped[Measure | None] = relationship(back_populates="targets")


# --------------------------------------------------------------------------- office and units


class Office(Base):
    """The office this data folder belongs to (one row, id 1)."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    locality: Mapped[str] = mapped_column(String(80), default="")
    locality_code: Mapped[str] = mapped_column(String(20), default="")
    level: Mapped[str] = mapped_column(String(10), default="县级")  # 县级 | 市级 | 省级
    parent: Mapped[str] = mapped_column(String(80), default="")
    reporting_office: Mapped[str] = mapped_column(String(200), default="")
    operator: Mapped[str] = mapped_column(String(60), default="")
    reviewer: Mapped[str] = mapped_column(String(60), default="")
    contact_phone: Mapped[str] = mapped_column(String(60), default="")
    configured: Mapped[bool] = mapped_column(Boolean, default=False)


class LocalUnit(Base):
    """A department of the office's own locality (县发改局 …)."""

    __tablename__ = "local_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    short_name: Mapped[str] = mapped_column(String(60), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class UnitMapping(Base):
    """Maps a provincial unit named in a notice to a local unit.

    ``source`` says where the entry came from: ``rule`` (proposed by the naming rules),
    ``default`` (the built-in exception table) or ``user`` (edited by the office).
    A null ``local_unit_id`` with ``ignored`` false means the unit is not mapped yet.
    """

    __tablename__ = "unit_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    provincial_name: Mapped[str] = mapped_column(String(120), unique=True)
    local_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("local_unit.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[str] = mapped_column(String(10), default="rule")
    ignored: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    local_unit: Mapped[LocalUnit | None] = relationship()


class Locality(Base):
    """A locality of a level below that is expected to report to this office.

    A province lists its cities and, under each (``parent``, the city's name), the counties
    whose lists come up through that city; a city lists its counties (``parent`` empty:
    they report to the office itself)."""

    __tablename__ = "locality"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    code: Mapped[str] = mapped_column(String(20), default="")
    level: Mapped[str] = mapped_column(String(10), default="县级")
    parent: Mapped[str] = mapped_column(String(80), default="", server_default="")
    expected: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


# --------------------------------------------------------------------------- work lists


class WorkList(Base):
    """A locality's annual key-work list for one notice, in one version.

    The office's own lists have ``own`` true; lists imported from the level below have it
    false and carry the package they came from. Each version is its own row: a submitted
    version is frozen, and editing it starts the next version as a copy. ``is_current``
    marks the version in use for its (locality, year, notice).
    """

    __tablename__ = "work_list"
    __table_args__ = (
        UniqueConstraint("locality", "year", "notice_id", "version", name="uq_work_list_version"),
        Index("ix_work_list_lookup", "locality", "year", "notice_id", "is_current"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="RESTRICT"), index=True)
    own: Mapped[bool] = mapped_column(Boolean, default=True)
    locality: Mapped[str] = mapped_column(String(80))
    locality_code: Mapped[str] = mapped_column(String(20), default="")
    level: Mapped[str] = mapped_column(String(10), default="县级")
    parent: Mapped[str] = mapped_column(String(80), default="")
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[str] = mapped_column(String(12), default="draft")  # draft|checked|submitted
    title: Mapped[str] = mapped_column(Text, default="")
    cadence: Mapped[str] = mapped_column(String(10), default="quarterly")  # quarterly|monthly
    due_day: Mapped[int] = mapped_column(Integer, default=25)
    # 上报说明: the office's written explanation sent with the list
    explanation: Mapped[str] = mapped_column(Text, default="")
    previous_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_list.id", ondelete="SET NULL")
    )
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_list.id", ondelete="SET NULL")
    )
    created_at: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[str] = mapped_column(String(40), default="")
    checked_at: Mapped[str] = mapped_column(String(40), default="")
    submitted_at: Mapped[str] = mapped_column(String(40), default="")
    submitted_by: Mapped[str] = mapped_column(String(60), default="")
    # an imported list: the sender's status thresholds (JSON); "" for the office's own lists
    thresholds: Mapped[str] = mapped_column(Text, default="", server_default="")
    # an imported list that came up inside a lower office's combined package (a county's list
    # in its city's package): that office's name and code; "" when sent directly
    via: Mapped[str] = mapped_column(String(80), default="", server_default="")
    via_code: Mapped[str] = mapped_column(String(20), default="", server_default="")

    notice: Mapped[Notice] = relationship()
    tasks: Mapped[list[Task]] = relationship(
        back_populates="work_list", cascade="all, delete-orphan", order_by="Task.position"
    )
    exclusions: Mapped[list[MeasureExclusion]] = relationship(
        back_populates="work_list", cascade="all, delete-orphan"
    )
    periods: Mapped[list[ReportingPeriod]] = relationship(
        back_populates="work_list", cascade="all, delete-orphan", order_by="ReportingPeriod.end"
    )
    check_notes: Mapped[list[CheckNote]] = relationship(
        back_populates="work_list", cascade="all, delete-orphan"
    )


class Task(Base):
    """A row of a work list (工作任务)."""

    __tablename__ = "task"
    __table_args__ = (
        UniqueConstraint("work_list_id", "uid"),
        Index("ix_task_list_position", "work_list_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_list_id: Mapped[int] = mapped_column(ForeignKey("work_list.id", ondelete="CASCADE"))
    # stable identity across versions, packages and Excel round trips
    uid: Mapped[str] = mapped_column(String(36))
    number: Mapped[str] = mapped_column(String(30), default="")  # 编号, text: "3-2"
    position: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[str] = mapped_column(Text, default="")  # 工作任务/具体举措
    target_text: Mapped[str] = mapped_column(Text, default="")
    target_value: Mapped[str | None] = mapped_column(String(40))  # exact decimal as text
    target_unit: Mapped[str] = mapped_column(String(40), default="")
    leader: Mapped[str] = mapped_column(String(60), default="")  # 责任领导
    person: Mapped[str] = mapped_column(String(60), default="")  # 责任人
    phone: Mapped[str] = mapped_column(String(60), default="")  # 联系电话
    start_on: Mapped[date | None] = mapped_column(Date)  # window start; null = 1 January
    deadline: Mapped[date | None] = mapped_column(Date)  # 完成时限
    remarks: Mapped[str] = mapped_column(Text, default="")  # 备注
    origin: Mapped[str] = mapped_column(String(10), default="manual")  # draft|manual|carry|import
    closed_on: Mapped[date | None] = mapped_column(Date)  # 销号
    closed_by: Mapped[str] = mapped_column(String(60), default="")
    close_evidence: Mapped[str] = mapped_column(Text, default="")
    carried_from_uid: Mapped[str] = mapped_column(String(36), default="")
    created_at: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[str] = mapped_column(String(40), default="")

    work_list: Mapped[WorkList] = relationship(back_populates="tasks")
    units: Mapped[list[TaskUnit]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskUnit.position"
    )
    measure_links: Mapped[list[TaskMeasure]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskMeasure.position"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="Milestone.due_on"
    )
    progress: Mapped[list[ProgressReport]] = relationship(
        back_populates="task", cascade="all, delete-orphan"
    )


class TaskUnit(Base):
    """A unit responsible for a task: ``role`` is ``lead`` (牵头) or ``co`` (配合)."""

    __tablename__ = "task_unit"
    __table_args__ = (Index("ix_task_unit_name_role", "name", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(4))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(120))

    task: Mapped[Task] = relationship(back_populates="units")


class TaskMeasure(Base):
    """Links a task to the measure(s) it serves (many-to-many)."""

    __tablename__ = "task_measure"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), primary_key=True
    )
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    task: Mapped[Task] = relationship(back_populates="measure_links")
    measure: Mapped[Measure] = relationship()


class MeasureExclusion(Base):
    """A measure the office marked 不适用 for a work list, with the required reason."""

    __tablename__ = "measure_exclusion"
    __table_args__ = (UniqueConstraint("work_list_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_list_id: Mapped[int] = mapped_column(ForeignKey("work_list.id", ondelete="CASCADE"))
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="RESTRICT"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40), default="")

    work_list: Mapped[WorkList] = relationship(back_populates="exclusions")
    measure: Mapped[Measure] = relationship()


class Milestone(Base):
    """Planned progress (节点 / 形象进度) of a task at a month or quarter end."""

    __tablename__ = "milestone"
    __table_args__ = (UniqueConstraint("task_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    due_on: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(20), default="")  # "一季度", "3月"
    description: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[int | None] = mapped_column(Integer)

    task: Mapped[Task] = relationship(back_populates="milestones")


class CheckNote(Base):
    """A warning of the pre-submission check that the office accepted, with its reason."""

    __tablename__ = "check_note"
    __table_args__ = (UniqueConstraint("work_list_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_list_id: Mapped[int] = mapped_column(ForeignKey("work_list.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(120))  # stable key of the warning
    message: Mapped[str] = mapped_column(Text, default="")
    explanation: Mapped[str] = mapped_column(Text)
    accepted_at: Mapped[str] = mapped_column(String(40), default="")
    accepted_by: Mapped[str] = mapped_column(String(60), default="")

    work_list: Mapped[WorkList] = relationship(back_populates="check_notes")


# --------------------------------------------------------------------------- progress


class ReportingPeriod(Base):
    """A month or quarter of a work list's year; freezing keeps its ledger reprintable."""

    __tablename__ = "reporting_period"
    __table_args__ = (UniqueConstraint("work_list_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_list_id: Mapped[int] = mapped_column(ForeignKey("work_list.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(10))  # "2027-Q1" | "2027-03"
    label: Mapped[str] = mapped_column(String(30), default="")  # "2027年第一季度"
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    frozen_at: Mapped[str] = mapped_column(String(40), default="")
    frozen_by: Mapped[str] = mapped_column(String(60), default="")
    # the ledger's data as it stood when the period was frozen (JSON of the ledger rows)
    snapshot: Mapped[str] = mapped_column(Text, default="")

    work_list: Mapped[WorkList] = relationship(back_populates="periods")


class ProgressReport(Base):
    """Progress of one task in one reporting period (进展情况)."""

    __tablename__ = "progress_report"
    __table_args__ = (UniqueConstraint("task_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(
        ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[int | None] = mapped_column(Integer)
    problems: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    lag_reason: Mapped[str] = mapped_column(Text, default="")
    completed_on: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[str] = mapped_column(String(40), default="")
    updated_by: Mapped[str] = mapped_column(String(60), default="")
    # the report reopens a task finished in an earlier period (completion is otherwise sticky)
    reopened: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    task: Mapped[Task] = relationship(back_populates="progress")
    period: Mapped[ReportingPeriod] = relationship()


# --------------------------------------------------------------------------- exchange


class Submission(Base):
    """A package this office exported upward (上报).

    ``work_list_id`` is the office's own list in it; a combined package sent without an own
    list has none, and names its year and notice itself. ``parts`` lists what a combined
    package carried (locality, code, version, SHA-256 of each part)."""

    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_list_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_list.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[str] = mapped_column(String(40))
    operator: Mapped[str] = mapped_column(String(60), default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    period_key: Mapped[str] = mapped_column(String(10), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    doc_number: Mapped[str] = mapped_column(String(80), default="", server_default="")
    parts: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list, server_default="[]")
    # a combined package's number among the office's combined packages of the year and notice
    bundle_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # the export's number among the list's exports (all versions): the receiver orders by it
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # the level it went to, and the last audit entry it carried (the next package to the same
    # level carries the entries after it)
    parent: Mapped[str] = mapped_column(String(80), default="", server_default="")
    audit_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PackageFile(Base):
    """A one-list package from below exactly as it arrived, byte for byte.

    A city passes its counties' packages upward unchanged inside its own (their manifests,
    checksums and signatures intact), so the province can check each county's data without
    trusting the city; and any office can check what it holds again later. The bytes live
    in the database, written in the same transaction as the import: a refused or cancelled
    import leaves none behind, a backup holds them with the lists they belong to, and no
    file beside the database can go missing. Identified by SHA-256, so a package arriving
    twice is stored once."""

    __tablename__ = "package_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class BundleImport(Base):
    """A combined package imported from the level below (a city's own list and its
    counties'): who sent it, when it was exported, and its outer manifest (the parts)."""

    __tablename__ = "bundle_import"
    __table_args__ = (Index("ix_bundle_import_sender", "locality_code", "locality", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(40))
    locality: Mapped[str] = mapped_column(String(80))
    locality_code: Mapped[str] = mapped_column(String(20), default="")
    level: Mapped[str] = mapped_column(String(10), default="市级")
    year: Mapped[int] = mapped_column(Integer)
    doc_number: Mapped[str] = mapped_column(String(80))
    exported_at: Mapped[str] = mapped_column(String(40), default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    manifest: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class PackageImport(Base):
    """A package imported from the level below, and the list version it brought."""

    __tablename__ = "package_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_list_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_list.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[str] = mapped_column(String(40))
    locality: Mapped[str] = mapped_column(String(80))
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    manifest: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    outcome: Mapped[str] = mapped_column(String(12), default="imported")  # imported|replaced
    # the list's own package as it arrived (kept for the latest import of each version)
    file_id: Mapped[int | None] = mapped_column(
        ForeignKey("package_file.id", ondelete="SET NULL"), index=True
    )
    # a list that came inside a combined package: that package, and the part's file name
    bundle_id: Mapped[int | None] = mapped_column(
        ForeignKey("bundle_import.id", ondelete="SET NULL"), index=True
    )
    part: Mapped[str] = mapped_column(Text, default="", server_default="")
    # the fingerprint of the key that signed it; "" for a package of an earlier version (未签名)
    signer: Mapped[str] = mapped_column(String(60), default="", server_default="")
    # what the receiver noticed and let through: a clock in the future, an audit history that
    # does not continue the one reported before … (one Chinese line each, JSON list)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")


# --------------------------------------------------------------------------- keys


class OfficeKey(Base):
    """The office's own key pair (SM2): it signs the packages it sends and its audit head.

    In the database, so that every backup carries it and a restore (on this PC or another)
    keeps the office's identity; the fingerprint on its paper ledgers stays valid."""

    __tablename__ = "office_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(20))
    private_key: Mapped[str] = mapped_column(String(200))  # hex
    public_key: Mapped[str] = mapped_column(String(200))  # hex, 04 || x || y
    fingerprint: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[str] = mapped_column(String(40), default="")


class SenderKey(Base):
    """The key of an office of the level below, pinned at its first signed package.

    ``active`` marks the key its packages must be signed with now; a key replaced with the
    user's consent stays, inactive, with when and by whom."""

    __tablename__ = "sender_key"
    __table_args__ = (Index("ix_sender_key_locality", "locality", "active"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    locality: Mapped[str] = mapped_column(String(80))
    locality_code: Mapped[str] = mapped_column(String(20), default="")
    algorithm: Mapped[str] = mapped_column(String(20))
    public_key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(60))
    pinned_at: Mapped[str] = mapped_column(String(40), default="")
    pinned_by: Mapped[str] = mapped_column(String(60), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    replaced_at: Mapped[str] = mapped_column(String(40), default="")


# --------------------------------------------------------------------------- audit, settings


class AuditEntry(Base):
    """One change, chained to the previous entry by hashes so a rewrite is detectable."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(40))
    operator: Mapped[str] = mapped_column(String(60), default="")
    action: Mapped[str] = mapped_column(String(40))  # create|update|delete|import|submit|…
    entity: Mapped[str] = mapped_column(String(40))  # notice|work_list|task|progress|…
    entity_id: Mapped[str] = mapped_column(String(40), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[str] = mapped_column(Text, default="")  # JSON text, hashed as stored
    after: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the row states this entry recorded (``audit_row``), hashed with the entry
    rows_digest: Mapped[str] = mapped_column(String(64), default="", server_default="")


class AuditRow(Base):
    """The state of a task, milestone or progress row after the change an entry records.

    ``digest`` covers every field of the row (for a task also its units and measures), so
    ``db check`` finds a row edited outside the program; ``hints`` holds one byte per field
    to name which field differs. ``digest`` empty: the row was deleted. ``tbl`` 4 is no
    row but a shift of positions (``row_audit.SHIFT``): the tasks of list ``row_id`` placed
    after ``after`` moved on by ``step``, ``hints`` holding ``after,step`` as text."""

    __tablename__ = "audit_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(
        ForeignKey("audit_log.id", ondelete="CASCADE"), index=True
    )
    tbl: Mapped[int] = mapped_column(Integer)  # 1 task, 2 milestone, 3 progress_report, 4 shift
    row_id: Mapped[int] = mapped_column(Integer)
    digest: Mapped[bytes] = mapped_column(LargeBinary)
    hints: Mapped[bytes] = mapped_column(LargeBinary)


class Setting(Base):
    """A key/value setting of the office (thresholds, last paths, window state …)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")  # JSON text
