"""The upward package as plain data: what a list version carries from one level to the next.

A package (``docs/package-format.md``) is a zip holding one folder with ``manifest.json``
(who sends what, and each file's size and SHA-256), ``data.json`` (the list itself) and the
same list as Excel and PDF for people who do not run the program. These dataclasses are
the package's content after it has been read and checked; the services fill them from the
database when exporting and write them into the database when importing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop.core.worklist import LEVELS as LEVELS  # the package names the sender's level

from .history import Head, HistoryEntry
from .signature import Signer

FORMAT_NAME = "policy-ledger-package"
# 2: a one-list package is signed (``manifest.sig`` beside ``manifest.json``) and carries the
# export's sequence number and the sender's audit head; and the combined package (``bundle``)
# carries an office's own list and its lower localities' packages exactly as received, under
# an outer manifest signed the same way. Version 1 (unsigned, one list) still imports.
FORMAT_VERSION = 2
DATA_FORMAT_NAME = "policy-ledger-data"

MANIFEST_FILE = "manifest.json"
DATA_FILE = "data.json"
ROLES = ("data", "xlsx", "pdf")
OPTIONAL_ROLES = ("audit",)  # the sender's audit entries since its previous package
LIST_STATES = ("draft", "checked", "submitted")
CADENCES = ("quarterly", "monthly")
ORIGINS = ("draft", "manual", "carry", "import")

# Sanity limits of the data; a real list is far below them.
MAX_TASKS = 100_000
MAX_MILESTONES = 24
MAX_PERIODS = 24
MAX_LINKS = 50


@dataclass(frozen=True)
class FileEntry:
    """One file of the package as the manifest lists it."""

    name: str
    role: str  # data | xlsx | pdf
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """``manifest.json``: format, sender, list version, period, people, files."""

    format_version: int
    program_name: str
    program_version: str
    database_revision: str
    locality: str
    locality_code: str
    level: str
    parent: str
    reporting_office: str
    year: int
    notice_doc_number: str
    notice_title: str
    list_version: int
    period_key: str
    period_label: str
    exported_at: str
    operator: str
    reviewer: str
    contact: str
    tasks: int
    files: tuple[FileEntry, ...]
    # the sender's count of this list's exports (every version): the receiver orders by
    # (list_version, export_sequence), never by a clock; 0 in a package of format 1
    export_sequence: int = 0
    signer: Signer | None = None  # None: a package of format 1 (未签名)
    audit_head: Head | None = None  # the sender's audit log when it exported
    audit_since: Head | None = None  # … when it last exported to the same level

    def file(self, role: str) -> FileEntry:
        return next(f for f in self.files if f.role == role)

    def optional_file(self, role: str) -> FileEntry | None:
        return next((f for f in self.files if f.role == role), None)

    @property
    def display(self) -> str:
        return f"{self.locality} {self.year}年 {self.notice_doc_number} 第{self.list_version}版"


@dataclass(frozen=True)
class ListInfo:
    """The work list's own fields."""

    locality: str
    locality_code: str
    level: str
    parent: str
    year: int
    version: int
    notice_doc_number: str
    notice_title: str
    title: str
    state: str
    cadence: str
    due_day: int
    explanation: str  # 上报说明
    created_at: str
    checked_at: str
    submitted_at: str
    submitted_by: str
    # the sender's status thresholds (``Thresholds.to_dict``): the receiver reads the list's
    # status by the same ones, so a task reads the same at both ends; empty: the defaults
    thresholds: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class PackageMilestone:
    due_on: date
    label: str = ""
    description: str = ""
    percent: int | None = None


@dataclass(frozen=True)
class PackageTask:
    uid: str
    number: str
    position: int
    content: str
    target_text: str
    target_value: str | None
    target_unit: str
    lead_units: tuple[str, ...]
    co_units: tuple[str, ...]
    leader: str
    person: str
    phone: str
    start_on: date | None
    deadline: date | None
    remarks: str
    origin: str
    closed_on: date | None
    closed_by: str
    close_evidence: str
    carried_from_uid: str
    measure_codes: tuple[str, ...]
    milestones: tuple[PackageMilestone, ...]


@dataclass(frozen=True)
class PackageExclusion:
    """A measure marked 不适用, with the required reason."""

    measure_code: str
    reason: str
    created_at: str = ""


@dataclass(frozen=True)
class PackagePeriod:
    key: str
    label: str
    start: date
    end: date
    due_on: date | None
    frozen_at: str = ""
    frozen_by: str = ""


@dataclass(frozen=True)
class PackageProgress:
    task_uid: str
    period_key: str
    text: str = ""
    percent: int | None = None
    problems: str = ""
    next_steps: str = ""
    lag_reason: str = ""
    completed_on: date | None = None
    evidence: str = ""
    updated_at: str = ""
    updated_by: str = ""
    reopened: bool = False  # the report reopens a task finished before


@dataclass(frozen=True)
class TaskFigure:
    """A task's figures as the sender computed them at export (``desktop.core.figures``)."""

    task_uid: str
    status: str | None  # done / ahead / on_track / lagging / not_started; None: 不适用
    percent: int | None
    reported_in_current_period: bool


@dataclass(frozen=True)
class PackageFigures:
    """The figures of every task on the day the package was exported: what the sender's
    screens and ledgers showed. The receiver computes its own by the same rule; these let
    anyone compare without running the program."""

    as_of: date
    period_key: str  # the period holding ``as_of`` ("" when none)
    tasks: tuple[TaskFigure, ...]


@dataclass(frozen=True)
class PackageCheckNote:
    """A warning the sender accepted, with its written explanation."""

    key: str
    message: str
    explanation: str
    accepted_at: str = ""
    accepted_by: str = ""


@dataclass(frozen=True)
class PackageWarning:
    """A warning of the check run at export, and the explanation it travels with."""

    key: str
    message: str
    explanation: str


@dataclass(frozen=True)
class PackageData:
    """``data.json``: the list, its tasks, marks, periods, progress and check explanations."""

    work_list: ListInfo
    tasks: tuple[PackageTask, ...]
    exclusions: tuple[PackageExclusion, ...]
    periods: tuple[PackagePeriod, ...]
    progress: tuple[PackageProgress, ...]
    check_notes: tuple[PackageCheckNote, ...]
    warnings: tuple[PackageWarning, ...]
    check_summary: str = ""
    figures: PackageFigures | None = None

    def measure_codes(self) -> set[str]:
        codes = {c for t in self.tasks for c in t.measure_codes}
        return codes | {e.measure_code for e in self.exclusions}


@dataclass(frozen=True)
class Package:
    """A package that was read and found sound: every checksum and field checked."""

    folder: str
    manifest: Manifest
    manifest_json: dict[str, object]
    data: PackageData
    data_sha256: str
    sha256: str  # of the whole zip file
    size: int
    history: tuple[HistoryEntry, ...] = ()  # the sender's audit entries since ``audit_since``

    @property
    def signed(self) -> bool:
        return self.manifest.signer is not None
