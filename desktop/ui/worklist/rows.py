"""The rows of the list screen as plain Python: display strings, filters and sort keys.

Filtering and sorting 20,000 tasks here and resetting a plain model takes milliseconds; a
``QSortFilterProxyModel`` over the same rows took seconds. Every display string of a row is
computed once per load (``RowView.cells``), so the model's ``data()`` is a list lookup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from desktop.core.figures import TaskFigures
from desktop.core.status import Severity, Status, StatusResult
from desktop.core.vocabulary import LABELS, NOT_REPORTED_WORD, STATUS_WORDS
from desktop.services.worklist.task_rows import TaskRow, paused_gc
from desktop.ui.worklist.notice_index import NoticeIndex


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int
    shown: bool = True


# The table shares a 1280-pixel window with the editor: the columns shown at first are
# the ones needed to find a task; the rest are a click away (显示列).
COLUMNS: tuple[Column, ...] = (
    Column("number", LABELS["number"], 58),
    Column("section", LABELS["section"], 104),
    Column("measure", LABELS["measures"], 112),
    Column("content", LABELS["content"], 240),
    Column("target", LABELS["target_text"], 170, shown=False),
    Column("lead", LABELS["lead_units"], 88),
    Column("co", LABELS["co_units"], 150, shown=False),
    Column("leader", LABELS["leader"], 110, shown=False),
    Column("person", LABELS["person"], 80, shown=False),
    Column("deadline", LABELS["deadline"], 84),
    Column("milestones", LABELS["milestones"], 48, shown=False),
    Column("percent", LABELS["percent"], 64),
    Column("status", LABELS["status"], 118),
    Column("problems", "待补充", 130, shown=False),
)

COLUMN_KEYS = tuple(c.key for c in COLUMNS)
STATUS_COLUMN = COLUMN_KEYS.index("status")
CONTENT_COLUMN = COLUMN_KEYS.index("content")
SECTION_COLUMN = COLUMN_KEYS.index("section")
MEASURE_COLUMN = COLUMN_KEYS.index("measure")
PROBLEMS_COLUMN = COLUMN_KEYS.index("problems")
NUMBER_COLUMN = COLUMN_KEYS.index("number")
PERCENT_COLUMN = COLUMN_KEYS.index("percent")

# status filter choices beyond the five status words
DUE_SOON = "due_soon"
OVERDUE = "overdue"
NO_LEAD = ""  # lead-unit filter value for tasks without a lead unit

# worst first, for sorting by status
_STATUS_RANK = {
    Status.LAGGING: 0,
    Status.NOT_STARTED: 1,
    Status.ON_TRACK: 2,
    Status.AHEAD: 3,
    Status.DONE: 4,
}
_SEVERITY_RANK = {
    Severity.RED: 0,
    Severity.YELLOW: 1,
    Severity.BLUE: 2,
    Severity.NONE: 3,
    Severity.GREY: 4,
    Severity.GREEN: 5,
}
_DIGITS = re.compile(r"\d+")


class RowView:
    """A task row with its display strings, ready for the table."""

    __slots__ = ("cells", "figures", "row", "sections")

    def __init__(
        self,
        row: TaskRow,
        cells: list[str],
        sections: frozenset[int],
        figures: TaskFigures | None,
    ) -> None:
        self.row = row
        self.cells = cells
        self.sections = sections
        self.figures = figures

    @property
    def task_id(self) -> int:
        return self.row.id

    @property
    def status(self) -> StatusResult | None:
        """The 序时进度 status (severity, explanation), None while it is being computed."""
        return self.figures.result if self.figures is not None else None

    def with_figures(self, figures: TaskFigures | None) -> None:
        self.figures = figures
        self.cells[STATUS_COLUMN] = status_text(self.row, figures)
        self.cells[PERCENT_COLUMN] = percent_cell(figures)


def status_text(row: TaskRow, figures: TaskFigures | None) -> str:
    """The status cell: the status word (the same as every ledger and export prints),
    already closed out or not yet reported this period said after it."""
    if figures is None:
        return ""
    if figures.not_applicable:
        return STATUS_WORDS["not_applicable"]
    word = figures.result.label
    if figures.closed:
        return f"{word}（已销号）"
    return f"{word}（{NOT_REPORTED_WORD}）" if figures.not_reported else word


def percent_cell(figures: TaskFigures | None) -> str:
    if figures is None or figures.percent is None:
        return ""
    return f"{figures.percent}%"


def _measure_cells(index: NoticeIndex, mids: tuple[int, ...]) -> tuple[str, str]:
    """(section, measure) cell text for the measures of a task."""
    if not mids:
        return "", "（未关联条目）"
    first = mids[0]
    measure = index.measure_label.get(first, "（条目已删除）")
    if len(mids) > 1:
        measure += f" 等{len(mids)}项"
    section_id = index.measure_section.get(first)
    # the title only: the numbers are in the measure column, the path in the tooltip
    section = index.section_title.get(section_id, "") if section_id is not None else ""
    return section, measure


def build_view(
    row: TaskRow,
    index: NoticeIndex,
    figures: TaskFigures | None,
    cache: dict[tuple[int, ...], tuple[str, str]] | None = None,
) -> RowView:
    mids = row.measure_ids
    if cache is None:
        section, measure = _measure_cells(index, mids)
    else:
        found = cache.get(mids)
        if found is None:
            found = cache[mids] = _measure_cells(index, mids)
        section, measure = found
    deadline = row.deadline.isoformat() if row.deadline else ""
    content = row.content.replace("\n", " ")
    cells = [
        row.number,
        section,
        measure,
        content,
        row.target_text.replace("\n", " "),
        "、".join(row.lead_units),
        "、".join(row.co_units),
        row.leader,
        row.person,
        deadline,
        str(row.milestones) if row.milestones else "",
        percent_cell(figures),
        status_text(row, figures),
        "、".join(row.problems),
    ]
    return RowView(row, cells, index.sections_of(mids), figures)


def build_views(
    rows: Iterable[TaskRow], index: NoticeIndex, statuses: dict[int, TaskFigures]
) -> list[RowView]:
    with paused_gc():  # see paused_gc: a bulk of small objects that all stay alive
        cache: dict[tuple[int, ...], tuple[str, str]] = {}  # tasks share a few measure sets
        return [build_view(r, index, statuses.get(r.id), cache) for r in rows]


def patched_views(
    views: list[RowView],
    order: Sequence[tuple[int, str]],
    fresh: Iterable[TaskRow],
    index: NoticeIndex,
    figures: dict[int, TaskFigures],
) -> list[RowView] | None:
    """The screen's rows after an edit: in the list's new ``order`` (id, number), with the
    ``fresh`` rows (new or changed tasks) built anew and a number that changed put in; the
    views of tasks gone from ``order`` are dropped. Views that did not change are kept as
    they are, so an edit of a 20,000-task list costs a narrow query, not a reload.

    None when ``order`` holds a task neither shown nor fresh (added by someone else): the
    caller reloads the list.
    """
    by_id = {v.row.id: v for v in views}
    for row in fresh:
        by_id[row.id] = build_view(row, index, figures.get(row.id))
    out: list[RowView] = []
    for tid, number in order:
        view = by_id.get(tid)
        if view is None:
            return None
        if view.row.number != number:
            view = build_view(replace(view.row, number=number), index, view.figures)
        out.append(view)
    return out


@dataclass(frozen=True)
class FilterState:
    """What the filter row asks for; ``None`` means no restriction."""

    section_id: int | None = None
    measure_id: int | None = None
    lead_unit: str | None = None  # NO_LEAD: tasks without a lead unit
    status: str | None = None  # a Status value, DUE_SOON or OVERDUE
    problems_only: bool = False
    search_ids: frozenset[int] | None = None

    @property
    def active(self) -> bool:
        return self != FilterState()


def _status_matches(figures: TaskFigures | None, wanted: str) -> bool:
    """A status word matches the tasks counted under it (``TaskFigures.bucket``): 滞后 is the
    lagging tasks that reported, 本期未填报 those that still owe the period's report."""
    if figures is None:
        return False
    if wanted == DUE_SOON:
        return figures.result.due_soon and figures.status is not None
    if wanted == OVERDUE:
        return figures.result.overdue and figures.status is not None
    return figures.bucket == wanted


def apply_filters(views: Sequence[RowView], state: FilterState) -> list[RowView]:
    out: Iterable[RowView] = views
    if state.search_ids is not None:
        ids = state.search_ids
        out = [v for v in out if v.row.id in ids]
    if state.measure_id is not None:
        mid = state.measure_id
        out = [v for v in out if mid in v.row.measure_ids]
    if state.section_id is not None:
        sid = state.section_id
        out = [v for v in out if sid in v.sections]
    if state.lead_unit is not None:
        unit = state.lead_unit
        if unit == NO_LEAD:
            out = [v for v in out if not v.row.lead_units]
        else:
            out = [v for v in out if unit in v.row.lead_units]
    if state.problems_only:
        out = [v for v in out if v.row.problems]
    if state.status is not None:
        wanted = state.status
        out = [v for v in out if _status_matches(v.figures, wanted)]
    return list(out)


def _number_key(text: str) -> tuple[tuple[int, ...], str]:
    return tuple(int(d) for d in _DIGITS.findall(text)), text


def sort_views(
    views: Sequence[RowView], column: int, descending: bool, index: NoticeIndex
) -> list[RowView]:
    """Rows sorted by a column; ties keep list order (the sort is stable)."""
    key = COLUMN_KEYS[column]
    never = date.max
    if key == "number":
        result = sorted(views, key=lambda v: _number_key(v.row.number), reverse=descending)
    elif key in ("section", "measure"):
        pos = index.measure_position
        far = len(pos) + 1
        result = sorted(
            views,
            key=lambda v: pos.get(v.row.measure_ids[0], far) if v.row.measure_ids else far,
            reverse=descending,
        )
    elif key == "deadline":
        result = sorted(views, key=lambda v: v.row.deadline or never, reverse=descending)
    elif key == "milestones":
        result = sorted(views, key=lambda v: v.row.milestones, reverse=descending)
    elif key == "status":

        def rank(v: RowView) -> tuple[int, int, int]:
            f = v.figures
            if f is None or f.not_applicable:
                return (9, 9, 0)
            s = f.result
            return (_STATUS_RANK[s.status], _SEVERITY_RANK[s.severity], -s.behind)

        result = sorted(views, key=rank, reverse=descending)
    elif key == "percent":
        result = sorted(
            views,
            key=lambda v: (
                -1 if v.figures is None or v.figures.percent is None else v.figures.percent
            ),
            reverse=descending,
        )
    elif key == "problems":
        result = sorted(views, key=lambda v: -len(v.row.problems), reverse=descending)
    else:
        # empty cells last in both directions: people look for what is filled in
        col = column
        filled = sorted(
            (v for v in views if v.cells[col]), key=lambda v: v.cells[col], reverse=descending
        )
        result = filled + [v for v in views if not v.cells[col]]
    return result


def lead_units_in(views: Iterable[RowView]) -> list[str]:
    seen: dict[str, None] = {}
    for v in views:
        for u in v.row.lead_units:
            seen.setdefault(u, None)
    return list(seen)
