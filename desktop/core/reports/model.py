"""The ledger as plain data: what the PDF, Excel and CSV writers print.

Services build a :class:`LedgerDocument` from the database (a work list, its measures,
its tasks and, for a reporting period, their progress); the writers in this package turn
it into files. Nothing here knows about the database or Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.core.vocabulary import (
    LEDGER_COLUMNS,
    NOT_REPORTED_WORD,
    STATUS_WORDS,
    Column,
    ledger_columns,
)

STATUS_LABELS: dict[str, str] = {
    **STATUS_WORDS,
    "closed": "已销号",  # ledgers frozen before 已销号 became a note under 已完成
    "": "",
}

# RGB in 0..1. Colour alone does not survive a black-and-white printer, so the status
# column always prints the word; lagging also gets a marker and bold type.
STATUS_COLOURS: dict[str, tuple[float, float, float]] = {
    "done": (0.0, 0.50, 0.13),
    "ahead": (0.0, 0.32, 0.80),
    "on_track": (0.20, 0.20, 0.20),
    "lagging": (0.85, 0.0, 0.0),
    "not_started": (0.80, 0.42, 0.0),
    "not_applicable": (0.45, 0.45, 0.45),
    "not_reported": (0.60, 0.38, 0.0),
    "closed": (0.0, 0.45, 0.25),
    "": (0.0, 0.0, 0.0),
}

STATUS_MARKERS: dict[str, str] = {"lagging": "▲"}

STATUS_BOLD: frozenset[str] = frozenset({"lagging"})

# Column headings, in print order (``desktop.core.vocabulary.LEDGER_COLUMNS``).
COLUMNS: tuple[str, ...] = tuple(c.label for c in LEDGER_COLUMNS)
NCOL = len(COLUMNS)
CLOSED_NOTE = "已销号"


def status_text(status: str) -> str:
    """The word printed in the 状态 column, with its marker (``"▲滞后"``)."""
    label = STATUS_LABELS.get(status, status)
    return STATUS_MARKERS.get(status, "") + label if label else ""


def status_lines(row: LedgerRow) -> list[str]:
    """The 状态 cell of a row: the status word, then 已销号 and 本期未填报 where they apply."""
    lines = [status_text(row.status)] if row.status else []
    if row.closed:
        lines.append(CLOSED_NOTE)
    if row.not_reported:
        lines.append(NOT_REPORTED_WORD)
    return lines


class Cancelled(Exception):
    """The user cancelled a running export; no output file was left behind."""


@dataclass
class LedgerRow:
    """One task of the work list as printed."""

    number: str
    content: str
    target: str
    lead_units: str
    co_units: str
    deadline: str
    progress: str = ""
    status: str = ""  # done / ahead / on_track / lagging / not_started (desktop.core.figures)
    task_uid: str = ""
    percent: int | None = None  # the latest known percent
    closed: bool = False  # closed out (销号) by the ledger's day
    not_reported: bool = False  # 本期未填报
    # the optional columns (filled only when the office prints them)
    leader: str = ""
    person: str = ""
    schedule: str = ""  # the milestones, one a line: "2027年3月底：完成方案（30%）"
    remarks: str = ""


# the text columns of a row, by column key (编号 … 进展情况 and the optional ones)
ROW_TEXT: dict[str, str] = {
    "number": "number",
    "content": "content",
    "target_text": "target",
    "lead_units": "lead_units",
    "co_units": "co_units",
    "deadline": "deadline",
    "progress": "progress",
    "leader": "leader",
    "person": "person",
    "schedule": "schedule",
    "remarks": "remarks",
}


@dataclass
class LedgerMeasureGroup:
    """The local tasks of one provincial measure; the label spans their rows."""

    label: str
    detail: str = ""
    not_applicable: str | None = None
    rows: list[LedgerRow] = field(default_factory=list)
    # a line of text across the task columns instead of rows (the combined ledger's summary
    # of one locality)
    note: str | None = None


@dataclass
class LedgerSection:
    """A field (领域) heading printed as a full-width band row."""

    title: str
    groups: list[LedgerMeasureGroup] = field(default_factory=list)


@dataclass
class SignOff:
    """The sign-off block at the end of each ledger."""

    unit: str = ""
    filler: str = ""
    reviewer: str = ""
    phone: str = ""
    date: str = ""
    # the office's signing key (``desktop.core.signing``): the stamped paper vouches for it,
    # so the level above can compare it with the key of the packages it receives
    key_fingerprint: str = ""

    @property
    def key_line(self) -> str:
        if not self.key_fingerprint:
            return ""
        return f"本单位上报包签名密钥指纹（SM2）：{self.key_fingerprint}"


@dataclass
class LedgerPart:
    """A ledger of its own: starts on a new page and, unless the document numbers its
    pages straight through, has its own page numbers."""

    heading: str = ""
    sections: list[LedgerSection] = field(default_factory=list)


@dataclass
class LedgerDocument:
    """Everything a ledger file prints."""

    title: str
    basis: str
    office: str
    as_of: str
    parts: list[LedgerPart]
    signoff: SignOff = field(default_factory=SignOff)
    paper: str = "A4"
    show_progress: bool = True
    subtitle: str = ""
    # "part": each part numbers its pages 第 1 页 共 N 页 (the by-unit ledger, whose parts
    # are handed to the units); "document": one count through the whole file (the city's
    # combined ledger, printed and bound as one)
    page_numbering: str = "part"
    # the optional columns the office chose (责任领导, 责任人, 节点/序时安排, 备注), by key;
    # none: the official layout
    columns: tuple[str, ...] = ()

    def ledger_columns(self) -> tuple[Column, ...]:
        """The columns this ledger prints, in order (PDF, Excel, CSV and print alike)."""
        return ledger_columns(self.columns)

    def row_count(self) -> int:
        """Task rows over all parts (the unit of progress reports)."""
        return sum(len(g.rows) for p in self.parts for s in p.sections for g in s.groups)
