"""The plain read models of the city's 汇总 view (``desktop.services.exchange.aggregate``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

STATUS_ORDER = ("done", "ahead", "on_track", "lagging", "not_started")


@dataclass(frozen=True)
class LowerLocality:
    """A locality expected to report to this office (editable list)."""

    name: str
    code: str = ""
    level: str = "县级"
    expected: bool = True


@dataclass(frozen=True)
class ListChoice:
    year: int
    notice_id: int
    doc_number: str

    @property
    def label(self) -> str:
        return f"{self.year}年 {self.doc_number}"


@dataclass(frozen=True)
class LocalityStatus:
    """One lower locality's reporting for a year and notice."""

    locality: str
    code: str
    expected: bool  # in the list of lower localities and required to report
    listed: bool  # in the list of lower localities at all
    list_id: int | None = None
    version: int = 0
    versions: int = 0
    tasks: int = 0
    submitted_at: str = ""
    exported_at: str = ""
    imported_at: str = ""
    period_label: str = ""
    as_of: date | None = None
    counts: tuple[tuple[str, int], ...] = ()
    not_applicable: int = 0

    @property
    def reported(self) -> bool:
        return self.list_id is not None

    @property
    def late(self) -> bool:
        return self.expected and not self.reported

    @property
    def state_label(self) -> str:
        if self.reported:
            return "已上报" if self.listed else "已上报（名单外）"
        return "未上报" if self.expected else "无需上报"

    def count(self, status: str) -> int:
        return dict(self.counts).get(status, 0)


@dataclass(frozen=True)
class CoverageCell:
    tasks: int = 0
    not_applicable: str | None = None  # the reason, when marked 不适用


@dataclass(frozen=True)
class CoverageMatrix:
    """Measures (rows) × reporting localities (columns)."""

    measure_codes: tuple[str, ...]
    measure_labels: tuple[str, ...]
    localities: tuple[str, ...]
    cells: tuple[tuple[CoverageCell, ...], ...]  # [measure][locality]

    def uncovered(self, column: int) -> int:
        cells = [row[column] for row in self.cells]
        return sum(1 for c in cells if not c.tasks and not c.not_applicable)


@dataclass(frozen=True)
class Overview:
    year: int
    notice_id: int
    doc_number: str
    localities: tuple[LocalityStatus, ...]
    coverage: CoverageMatrix

    @property
    def late(self) -> list[str]:
        return [s.locality for s in self.localities if s.late]

    @property
    def reported(self) -> int:
        return sum(1 for s in self.localities if s.reported)


@dataclass(frozen=True)
class DrillRow:
    """A task of a lower locality's list, as the read-only drill-down shows it."""

    number: str
    measures: str
    content: str
    target: str
    lead_units: str
    co_units: str
    deadline: date | None
    progress: str
    percent: int | None
    status: str  # Status value, or "closed"
