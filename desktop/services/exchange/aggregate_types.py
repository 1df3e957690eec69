"""The plain read models of the city's 汇总 view (``desktop.services.exchange.aggregate``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop.core.figures import BUCKET_LABELS, Coverage, measure_coverage

# the states a locality's tasks are counted under (不适用 is counted per measure instead)
STATUS_ORDER = ("done", "ahead", "on_track", "lagging", "not_started", "not_reported")
STATE_LABELS = BUCKET_LABELS


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
    period_label: str = ""  # the period the package says it reports
    current_period: str = ""  # the period holding ``as_of`` (本期)
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
    reported: bool = True  # False: the locality's list has not arrived


@dataclass(frozen=True)
class CoverageMatrix:
    """Measures (rows) × localities (columns): every locality expected to report, reported
    or not, and any other that reported (shown, never counted)."""

    measure_codes: tuple[str, ...]
    measure_labels: tuple[str, ...]
    localities: tuple[str, ...]
    cells: tuple[tuple[CoverageCell, ...], ...]  # [measure][locality]
    expected: tuple[bool, ...] = ()  # per locality: expected to report

    def is_expected(self, column: int) -> bool:
        return self.expected[column] if self.expected else True

    def uncovered(self, column: int) -> int:
        cells = [row[column] for row in self.cells]
        return sum(1 for c in cells if c.reported and not c.tasks and not c.not_applicable)

    def coverage(self, row: int) -> Coverage:
        """How measure ``row`` is covered over the expected localities (the one rule,
        ``desktop.core.figures.measure_coverage``)."""
        cells = self.cells[row]
        expected = [n for i, n in enumerate(self.localities) if self.is_expected(i)]
        return measure_coverage(
            expected,
            {n: c.tasks for n, c in zip(self.localities, cells, strict=True)},
            [n for n, c in zip(self.localities, cells, strict=True) if c.not_applicable],
            [n for n, c in zip(self.localities, cells, strict=True) if c.reported],
        )


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
    percent: int | None  # the latest known percent
    status: str  # done / ahead / on_track / lagging / not_started / not_applicable
    closed: bool = False
    not_reported: bool = False  # 本期未填报
