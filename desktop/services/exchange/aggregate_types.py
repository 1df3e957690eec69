"""The plain read models of the 汇总 views at every upper level
(``desktop.services.exchange.aggregate``): a city over its counties, a province over its
cities and, under each city, the counties whose lists came up through it."""

from __future__ import annotations

from collections.abc import Sequence
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
    # at a province, the city a county reports through ("" for a locality reporting to
    # this office directly)
    parent: str = ""


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
    level: str = "县级"
    # at a province: the city a county's list came up through ("" for the cities themselves
    # and for every locality at a city office)
    group: str = ""
    bundle: bool = False  # a combined package of this office arrived (a city's, at a province)
    not_resent: bool = False  # its list came through its city, whose latest package left it out
    overdue: str = ""  # a period whose due day has passed and which the list does not report
    # a county under a city from which nothing has come (counted, but shown within the city's
    # row, which says how many it holds: ``folded_below``)
    folded: bool = False
    folded_below: int = 0

    @property
    def reported(self) -> bool:
        return self.list_id is not None or self.bundle

    @property
    def late(self) -> bool:
        """Expected and nothing arrived (未上报)."""
        return self.expected and not self.reported

    @property
    def name(self) -> str:
        """The name shown in a table: a county under its city is indented."""
        return f"　{self.locality}" if self.group else self.locality

    @property
    def state_label(self) -> str:
        if self.reported:
            if self.list_id is None:
                return "已上报（无本级清单）"
            if self.not_resent:
                return f"未随{self.group}重报"
            return "已上报" if self.listed else "已上报（名单外）"
        if self.folded_below:
            return f"未上报（所辖 {self.folded_below} 个县市区均未报）"
        return "未上报" if self.expected else "无需上报"

    def count(self, status: str) -> int:
        return dict(self.counts).get(status, 0)


@dataclass(frozen=True)
class LevelSummary:
    """Who reported, at one level below the office (县级 at a city; 市级 and 县级 at a
    province): expected, reported, and by name those missing, overdue or not re-sent."""

    level: str
    expected: int
    reported: int  # of the expected
    missing: tuple[str, ...]
    overdue: tuple[str, ...] = ()
    not_resent: tuple[str, ...] = ()
    outside: int = 0  # reported though not on the office's list
    # of ``missing``: those under a city from which nothing has come (named by the city)
    missing_with_city: int = 0

    @property
    def title(self) -> str:
        return {"市级": "设区市", "县级": "县（市、区）", "省级": "省"}.get(self.level, self.level)

    @property
    def text(self) -> str:
        parts = [f"应报 {self.expected} 个，已报 {self.reported} 个"]
        if self.outside:
            parts.append(f"名单外已报 {self.outside} 个")
        if self.missing:
            named = self.missing[: len(self.missing) - self.missing_with_city]
            within = (
                f"（其中 {self.missing_with_city} 个所属设区市尚未上报）"
                if self.missing_with_city
                else ""
            )
            names = f"：{_names(named)}" if named else ""
            parts.append(f"未上报 {len(self.missing)} 个{within}{names}")
        else:
            parts.append("无未上报")
        if self.overdue:
            parts.append(f"逾期未报本期 {len(self.overdue)} 个：{_names(self.overdue)}")
        if self.not_resent:
            parts.append(f"未随所属市重报 {len(self.not_resent)} 个：{_names(self.not_resent)}")
        return "；".join(parts)


def _names(names: Sequence[str], most: int = 15) -> str:
    """At most ``most`` names, then 等 N 个."""
    if len(names) <= most:
        return "、".join(names)
    return "、".join(names[:most]) + f"等 {len(names)} 个"


@dataclass(frozen=True)
class CoverageCell:
    tasks: int = 0
    not_applicable: str | None = None  # the reason, when marked 不适用
    reported: bool = True  # False: the locality's list has not arrived


@dataclass(frozen=True)
class CoverageMatrix:
    """Measures (rows) × localities (columns): every locality expected to report, reported
    or not, and any other that reported (shown, never counted). At a province the columns
    are every city's own list and every county's, each column naming its city (``groups``);
    ``by_group`` folds them into one column per city, ``within`` keeps one city's."""

    measure_codes: tuple[str, ...]
    measure_labels: tuple[str, ...]
    localities: tuple[str, ...]
    cells: tuple[tuple[CoverageCell, ...], ...]  # [measure][locality]
    expected: tuple[bool, ...] = ()  # per locality: expected to report
    groups: tuple[str, ...] = ()  # per locality: its city at a province ("" otherwise)
    list_ids: tuple[int | None, ...] = ()  # per locality: its current list
    measure_ids: tuple[int, ...] = ()
    # per locality without a list: why (未上报; 无本级清单 for a city that sent its
    # counties' lists without its own)
    absent: tuple[str, ...] = ()

    def absent_word(self, column: int) -> str:
        return self.absent[column] if self.absent else "未上报"

    def is_expected(self, column: int) -> bool:
        return self.expected[column] if self.expected else True

    def group_of(self, column: int) -> str:
        return self.groups[column] if self.groups else ""

    @property
    def group_names(self) -> tuple[str, ...]:
        """The cities, in column order (empty at a city office)."""
        return tuple(dict.fromkeys(g for g in self.groups if g))

    def members(self, group: str) -> list[int]:
        return [i for i in range(len(self.localities)) if self.group_of(i) == group]

    def uncovered(self, column: int) -> int:
        cells = [row[column] for row in self.cells]
        return sum(1 for c in cells if c.reported and not c.tasks and not c.not_applicable)

    def coverage(self, row: int, columns: Sequence[int] | None = None) -> Coverage:
        """How measure ``row`` is covered over the expected localities among ``columns``
        (all by default) — the one rule, ``desktop.core.figures.measure_coverage``."""
        chosen = list(range(len(self.localities)) if columns is None else columns)
        cells = self.cells[row]
        return measure_coverage(
            [str(i) for i in chosen if self.is_expected(i)],
            {str(i): cells[i].tasks for i in chosen},
            [str(i) for i in chosen if cells[i].not_applicable],
            [str(i) for i in chosen if cells[i].reported],
        )

    def lists_in(self, columns: Sequence[int]) -> list[int]:
        """The lists behind ``columns`` (those that arrived)."""
        ids = self.list_ids or ()
        return [lid for i in columns if i < len(ids) and (lid := ids[i]) is not None]

    def within(self, group: str) -> CoverageMatrix:
        """The columns of one city (its own list and its counties)."""
        keep = self.members(group)
        return CoverageMatrix(
            self.measure_codes,
            self.measure_labels,
            tuple(self.localities[i] for i in keep),
            tuple(tuple(row[i] for i in keep) for row in self.cells),
            tuple(self.is_expected(i) for i in keep),
            tuple(self.group_of(i) for i in keep),
            tuple(self.list_ids[i] for i in keep) if self.list_ids else (),
            self.measure_ids,
            tuple(self.absent_word(i) for i in keep),
        )


@dataclass(frozen=True)
class Overview:
    year: int
    notice_id: int
    doc_number: str
    localities: tuple[LocalityStatus, ...]
    coverage: CoverageMatrix
    levels: tuple[LevelSummary, ...] = ()

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
    locality: str = ""  # whose list (the tasks of one measure across several lists)
