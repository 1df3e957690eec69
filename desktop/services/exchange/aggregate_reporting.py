"""Who reported: every expected lower locality at every level, and what arrived from each.

At a city the rows are its counties. At a province they are its cities and, under each
city, the counties expected under it (``locality.parent``) or whose lists came up through it
(``work_list.via``): the same reading serves both, since a city office simply holds no list
that came by way of another office. A locality is matched to what arrived by its code where
both have one, else by its normalised name.

For each row: the list's version, task count and status counts (``progress.figures``: the
one rule, 本期未填报 apart), the period its package reports, whether a period whose due day
has passed is missing from it (逾期), and — for a county that came through its city —
whether the city's latest package still carries it (未随市重报).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.names import normalise_name
from desktop.db.models import (
    BundleImport,
    Locality,
    Notice,
    PackageImport,
    ReportingPeriod,
    WorkList,
)
from desktop.errors import ValidationError
from desktop.services.clock import today
from desktop.services.exchange.aggregate_types import (
    STATUS_ORDER,
    LevelSummary,
    LocalityStatus,
)
from desktop.services.office.service import OfficeInfo, get_office
from desktop.services.progress.figures import ListFigures, lists_figures


def key_of(name: str, code: str) -> str:
    """A locality's identity: its code, else its normalised name."""
    if code:
        return code
    try:
        return normalise_name(name)
    except ValidationError:
        return name


@dataclass
class Holdings:
    """What an upper office holds for one year and notice, read once."""

    office: OfficeInfo
    own: WorkList | None
    lists: list[WorkList]  # the current lists of lower localities
    expected: list[Locality]
    figures: dict[int, ListFigures]
    imports: dict[int, PackageImport]  # the latest import of each list
    versions: dict[str, int]  # versions held per locality key
    bundles: dict[str, BundleImport]  # the latest combined package per sender key
    periods: dict[int, list[tuple[str, str, date, date | None]]]  # (key, label, end, due on)
    today: date


def read_holdings(session: Session, year: int, notice_id: int) -> Holdings:
    def current(own: bool) -> list[WorkList]:
        return list(
            session.execute(
                select(WorkList)
                .where(
                    WorkList.own.is_(own),
                    WorkList.is_current.is_(True),
                    WorkList.year == year,
                    WorkList.notice_id == notice_id,
                )
                .order_by(WorkList.locality)
            ).scalars()
        )

    lists = current(False)
    own = next(iter(current(True)), None)
    ids = [wl.id for wl in lists]
    imports: dict[int, PackageImport] = {}
    for row in session.execute(
        select(PackageImport).where(PackageImport.work_list_id.in_(ids)).order_by(PackageImport.id)
    ).scalars():
        if row.work_list_id is not None:
            imports[row.work_list_id] = row
    versions: dict[str, int] = defaultdict(int)
    for name, code, n in session.execute(
        select(WorkList.locality, WorkList.locality_code, func.count())
        .where(WorkList.own.is_(False), WorkList.year == year, WorkList.notice_id == notice_id)
        .group_by(WorkList.locality, WorkList.locality_code)
    ).all():
        versions[key_of(name, code)] += n
    notice = session.get(Notice, notice_id)
    bundles: dict[str, BundleImport] = {}
    for b in session.execute(
        select(BundleImport)
        .where(
            BundleImport.year == year,
            BundleImport.doc_number == (notice.doc_number if notice is not None else ""),
        )
        .order_by(BundleImport.id)
    ).scalars():
        bundles[key_of(b.locality, b.locality_code)] = b
    periods: dict[int, list[tuple[str, str, date, date | None]]] = defaultdict(list)
    for lid, key, label, end, due in session.execute(
        select(
            ReportingPeriod.work_list_id,
            ReportingPeriod.key,
            ReportingPeriod.label,
            ReportingPeriod.end,
            ReportingPeriod.due_on,
        ).where(ReportingPeriod.work_list_id.in_(ids))
    ).all():
        periods[lid].append((key, label, end, due))
    return Holdings(
        office=get_office(session),
        own=own,
        lists=lists,
        expected=list(
            session.execute(select(Locality).order_by(Locality.position, Locality.id)).scalars()
        ),
        figures=lists_figures(session, lists),
        imports=imports,
        versions=dict(versions),
        bundles=bundles,
        periods=dict(periods),
        today=today(session),
    )


@dataclass
class _Top:
    """A locality reporting to the office directly, and those below it that came through it."""

    name: str
    code: str
    level: str
    expected: bool
    listed: bool
    children: list[Locality]


def statuses(h: Holdings) -> list[LocalityStatus]:
    """Every row of the reporting table, a city followed by its counties at a province."""
    direct = [wl for wl in h.lists if not wl.via]
    carried = [wl for wl in h.lists if wl.via]
    tops: list[_Top] = []
    seen: dict[str, _Top] = {}
    for loc in h.expected:
        if not loc.parent:
            top = _Top(loc.name, loc.code, loc.level, loc.expected, True, [])
            tops.append(top)
            seen[key_of(loc.name, loc.code)] = top
    for loc in h.expected:
        if loc.parent:
            parent = _find_top(tops, loc.parent)
            if parent is None:
                parent = _Top(loc.parent, "", "市级", False, False, [])
                tops.append(parent)
                seen[key_of(loc.parent, "")] = parent
            parent.children.append(loc)
    any_list = bool(h.expected)
    extra: list[_Top] = []
    for wl in direct:
        if _match_top(tops, wl.locality, wl.locality_code) is None:
            extra.append(_Top(wl.locality, wl.locality_code, wl.level, False, not any_list, []))
    for b in h.bundles.values():
        if _match_top(tops + extra, b.locality, b.locality_code) is None:
            extra.append(_Top(b.locality, b.locality_code, b.level, False, not any_list, []))
    for wl in carried:
        if _match_top(tops + extra, wl.via, wl.via_code) is None:
            extra.append(_Top(wl.via, wl.via_code, "市级", False, not any_list, []))
    tops += sorted(extra, key=lambda t: t.name)

    out: list[LocalityStatus] = []
    for top in tops:
        own = _match_list(direct, top.name, top.code)
        bundle = _match_bundle(h, top.name, top.code)
        row = _status(h, own, top.name, top.code, top.level, top.expected, top.listed, "")
        out.append(replace(row, bundle=bundle is not None))
        below = [w for w in carried if _same(w.via, w.via_code, top.name, top.code)]
        parts = _bundle_parts(bundle)
        used: set[int] = set()
        # nothing at all from this city: its counties are counted, shown within its row
        silent = own is None and bundle is None and not below
        if silent and top.children:
            out[-1] = replace(out[-1], folded_below=len(top.children))
        for loc in top.children:
            found = _match_list(below, loc.name, loc.code)
            if found is not None:
                used.add(found.id)
            row = _status(
                h, found, loc.name, loc.code, loc.level, loc.expected, True, top.name, parts
            )
            out.append(replace(row, folded=silent))
        for wl in sorted(below, key=lambda w: w.locality):
            if wl.id not in used:
                out.append(
                    _status(
                        h, wl, wl.locality, wl.locality_code, wl.level, False, not top.children,
                        top.name, parts,
                    )
                )  # fmt: skip
    return out


def level_summaries(rows: list[LocalityStatus]) -> tuple[LevelSummary, ...]:
    """Who reported, level by level (the cities first at a province)."""
    out = []
    levels = list(dict.fromkeys(r.level for r in rows if not r.group)) + list(
        dict.fromkeys(r.level for r in rows if r.group)
    )
    for level in dict.fromkeys(levels):
        mine = [r for r in rows if r.level == level]
        expected = [r for r in mine if r.expected]
        missing = [r for r in expected if not r.reported]
        # those whose city sent nothing come last, so the others are the ones named
        missing.sort(key=lambda r: r.folded)
        out.append(
            LevelSummary(
                level=level,
                expected=len(expected),
                reported=sum(1 for r in expected if r.reported),
                missing=tuple(r.locality for r in missing),
                missing_with_city=sum(1 for r in missing if r.folded),
                overdue=tuple(r.locality for r in mine if r.list_id is not None and r.overdue),
                not_resent=tuple(r.locality for r in mine if r.not_resent),
                outside=sum(1 for r in mine if r.reported and not r.expected),
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------- helpers


def _same(name: str, code: str, other_name: str, other_code: str) -> bool:
    if code and other_code:
        return code == other_code
    return key_of(name, "") == key_of(other_name, "")


def _find_top(tops: list[_Top], name: str) -> _Top | None:
    return next((t for t in tops if key_of(t.name, "") == key_of(name, "")), None)


def _match_top(tops: list[_Top], name: str, code: str) -> _Top | None:
    return next((t for t in tops if _same(t.name, t.code, name, code)), None)


def _match_list(lists: list[WorkList], name: str, code: str) -> WorkList | None:
    return next((w for w in lists if _same(w.locality, w.locality_code, name, code)), None)


def _match_bundle(h: Holdings, name: str, code: str) -> BundleImport | None:
    return next(
        (b for b in h.bundles.values() if _same(b.locality, b.locality_code, name, code)), None
    )


def _bundle_parts(bundle: BundleImport | None) -> set[str] | None:
    """The localities the sender's latest combined package carried (None: no package)."""
    if bundle is None:
        return None
    out = set()
    parts = bundle.manifest.get("parts") if isinstance(bundle.manifest, dict) else None
    for part in parts if isinstance(parts, list) else []:
        where = part.get("locality", {}) if isinstance(part, dict) else {}
        if isinstance(where, dict):
            out.add(key_of(str(where.get("name", "")), str(where.get("code", ""))))
            out.add(key_of(str(where.get("name", "")), ""))
    return out


def _status(
    h: Holdings,
    wl: WorkList | None,
    name: str,
    code: str,
    level: str,
    expected: bool,
    listed: bool,
    group: str,
    parts: set[str] | None = None,
) -> LocalityStatus:
    base = LocalityStatus(
        locality=name, code=code, expected=expected, listed=listed, level=level, group=group
    )
    if wl is None:
        return base
    last = h.imports.get(wl.id)
    manifest = last.manifest if last is not None else {}
    period = manifest.get("period")
    figures = h.figures[wl.id]
    counts = figures.counts()
    reported_key = str(period.get("key", "")) if isinstance(period, dict) else ""
    return replace(
        base,
        locality=wl.locality,
        code=wl.locality_code or code,
        list_id=wl.id,
        version=wl.version,
        versions=h.versions.get(key_of(wl.locality, wl.locality_code), 1),
        tasks=len(figures.tasks),
        submitted_at=wl.submitted_at,
        exported_at=str(manifest.get("exported_at", "")),
        imported_at=last.at if last is not None else "",
        period_label=str(period.get("label", "")) if isinstance(period, dict) else "",
        current_period=figures.period.label if figures.period is not None else "",
        as_of=figures.as_of,
        counts=tuple((s, counts[s]) for s in STATUS_ORDER),
        not_resent=parts is not None
        and key_of(wl.locality, wl.locality_code) not in parts
        and key_of(wl.locality, "") not in parts,
        overdue=_overdue(h, wl.id, reported_key),
    )


def _overdue(h: Holdings, list_id: int, reported_key: str) -> str:
    """The label of the latest period whose due day has passed when the package reports an
    earlier one (or none); "" when the list is up to date."""
    periods = h.periods.get(list_id, [])
    due = [(end, label) for _, label, end, due_on in periods if due_on and due_on < h.today]
    if not due:
        return ""
    last_end, last_label = max(due)
    reported_end = next((end for key, _, end, _ in periods if key == reported_key), None)
    if reported_end is not None and reported_end >= last_end:
        return ""
    return last_label
