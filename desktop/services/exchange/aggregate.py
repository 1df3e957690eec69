"""汇总: the city's view of the lists its lower localities reported.

The expected lower localities (the ``locality`` table), who reported which version when and
who is late, a coverage matrix (measures × localities), status counts per locality computed
the same way as everywhere else (``task_statuses``), a read-only drill-down into any
locality's tasks, and a combined ledger with one part per locality.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.dates import chinese_date
from desktop.core.names import normalise_name
from desktop.core.reports import LedgerDocument, LedgerMeasureGroup, LedgerPart, LedgerSection
from desktop.core.worklist import LEVELS
from desktop.db.models import (
    Locality,
    MeasureExclusion,
    Notice,
    PackageImport,
    ProgressReport,
    ReportingPeriod,
    Task,
    TaskMeasure,
    WorkList,
)
from desktop.errors import NotFoundError, ValidationError
from desktop.services.audit import log as audit
from desktop.services.clock import today
from desktop.services.exchange.aggregate_types import (
    STATE_LABELS,
    STATUS_ORDER,
    CoverageCell,
    CoverageMatrix,
    DrillRow,
    ListChoice,
    LocalityStatus,
    LowerLocality,
    Overview,
)
from desktop.services.ledger.columns import office_columns
from desktop.services.ledger.service import build_document, notice_topic, office_signoff
from desktop.services.notices.measure_refs import measure_refs
from desktop.services.office.service import get_office
from desktop.services.progress.figures import ListFigures, list_figures, lists_figures
from desktop.services.progress.service import default_as_of
from desktop.services.worklist.rows import task_rows

__all__ = [
    "STATUS_ORDER",
    "AggregateService",
    "CoverageCell",
    "CoverageMatrix",
    "DrillRow",
    "ListChoice",
    "LocalityStatus",
    "LowerLocality",
    "Overview",
]


class AggregateService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # the list of lower localities ------------------------------------------------------

    def localities(self) -> list[LowerLocality]:
        with self._sessions() as session:
            return [
                LowerLocality(r.name, r.code, r.level, r.expected)
                for r in session.execute(
                    select(Locality).order_by(Locality.position, Locality.id)
                ).scalars()
            ]

    def save_localities(self, items: Sequence[LowerLocality]) -> list[LowerLocality]:
        """Replace the list of lower localities (in this order) in one transaction."""
        cleaned: list[LowerLocality] = []
        seen: set[str] = set()
        for item in items:
            if not item.name.strip():
                raise ValidationError("下级地区名称不能为空。")
            # one spelling per locality: look-alike names are one (core/names.py)
            name = normalise_name(item.name.strip(), "下级地区名称")
            if name in seen:
                raise ValidationError(f"下级地区“{name}”重复了。")
            if item.level not in LEVELS:
                raise ValidationError(f"“{name}”的层级只能是 {'、'.join(LEVELS)} 之一。")
            if len(name) > 80 or len(item.code.strip()) > 20:
                raise ValidationError(f"“{name}”的名称或代码过长。")
            seen.add(name)
            cleaned.append(replace(item, name=name, code=item.code.strip()))
        with self._sessions.begin() as session:
            office = get_office(session)
            if normalise_name(office.locality) in seen:
                raise ValidationError(f"本级（{office.locality}）不能列为自己的下级。")
            before = [r.name for r in session.execute(select(Locality)).scalars()]
            session.execute(delete(Locality))
            session.add_all(
                Locality(name=i.name, code=i.code, level=i.level, expected=i.expected, position=n)
                for n, i in enumerate(cleaned)
            )
            audit.record(
                session,
                operator=office.operator,
                action="update",
                entity="locality",
                summary=f"修改下级地区名单（{len(cleaned)} 个）",
                before=before,
                after=[i.name for i in cleaned],
            )
        return self.localities()

    # what there is to aggregate --------------------------------------------------------

    def choices(self) -> list[ListChoice]:
        """The (year, notice) pairs with an own or an imported list, newest year first."""
        with self._sessions() as session:
            rows = session.execute(
                select(WorkList.year, Notice.id, Notice.doc_number)
                .join(Notice, Notice.id == WorkList.notice_id)
                .distinct()
                .order_by(WorkList.year.desc(), Notice.doc_number)
            ).all()
            return [ListChoice(y, n, d) for y, n, d in rows]

    def overview(self, year: int, notice_id: int) -> Overview:
        with self._sessions() as session:
            notice = session.get(Notice, notice_id)
            if notice is None:
                raise NotFoundError("找不到这份上级文件。")
            lists = _current_lists(session, year, notice_id)
            listed = list(
                session.execute(select(Locality).order_by(Locality.position, Locality.id)).scalars()
            )
            facts = _Facts(session, year, notice_id, list(lists.values()))
            statuses = [
                facts.status(lists.get(loc.name), loc.name, loc.code, loc.expected, True)
                for loc in listed
            ]
            names = {loc.name for loc in listed}
            # with no list kept, every package is welcome: “名单外” would only puzzle
            statuses += [
                facts.status(wl, wl.locality, wl.locality_code, False, not names)
                for name, wl in sorted(lists.items())
                if name not in names
            ]
            # the matrix has a column for every locality expected to report (reported or
            # not) and for every other one that did; coverage counts the expected ones
            shown = [s for s in statuses if s.expected or s.reported]
            coverage = _coverage(
                session, notice_id, [(s.locality, s.list_id, s.expected) for s in shown]
            )
            na = {
                name: sum(1 for row in coverage.cells if row[i].not_applicable)
                for i, name in enumerate(coverage.localities)
            }
            statuses = [replace(s, not_applicable=na.get(s.locality, 0)) for s in statuses]
            return Overview(year, notice_id, notice.doc_number, tuple(statuses), coverage)

    def drill_down(self, list_id: int) -> list[DrillRow]:
        with self._sessions() as session:
            wl = session.get(WorkList, list_id)
            if wl is None:
                raise NotFoundError("找不到这份清单。")
            labels = {m.id: m.label for m in measure_refs(session, wl.notice_id)}
            as_of = default_as_of(session, wl)
            figures = list_figures(session, list_id, as_of).tasks
            latest = _latest_progress(session, list_id, as_of)
            out = []
            for r in task_rows(session, list_id):
                f = figures[r.id]
                out.append(
                    DrillRow(
                        number=r.number,
                        measures="；".join(labels.get(m, "") for m in r.measure_ids),
                        content=r.content,
                        target=r.target_text,
                        lead_units=r.lead_text,
                        co_units=r.co_text,
                        deadline=r.deadline,
                        progress=latest.get(r.id, ""),
                        percent=f.percent,
                        status=f.status_value or "not_applicable",
                        closed=f.closed,
                        not_reported=f.not_reported,
                    )
                )
            return out

    # the combined ledger ---------------------------------------------------------------

    def combined_document(
        self, year: int, notice_id: int, *, include_own: bool = True
    ) -> LedgerDocument:
        """One part per reporting locality (the office's own list first), each a new page;
        pages numbered through the whole file, signed off with the city office's names."""
        with self._sessions() as session:
            notice = session.get(Notice, notice_id)
            if notice is None:
                raise NotFoundError("找不到这份上级文件。")
            office = get_office(session)
            lists = _current_lists(session, year, notice_id)
            order = {
                n: i
                for i, n in enumerate(
                    session.execute(select(Locality.name).order_by(Locality.position)).scalars()
                )
            }
            chosen = sorted(lists.values(), key=lambda w: (order.get(w.locality, 999), w.locality))
            if include_own:
                own = session.execute(
                    select(WorkList).where(
                        WorkList.own.is_(True),
                        WorkList.is_current.is_(True),
                        WorkList.year == year,
                        WorkList.notice_id == notice_id,
                    )
                ).scalar_one_or_none()
                chosen = ([own] if own is not None else []) + chosen
            if not chosen:
                raise ValidationError(f"{year}年 {notice.doc_number} 还没有可汇总的清单。")
            parts: list[LedgerPart] = [_summary_part(session, chosen)]
            for wl in chosen:
                doc = build_document(session, wl, "all", None)
                as_of = f"，{doc.as_of}" if doc.as_of else ""
                who = f"本级：{wl.locality}" if wl.own else wl.locality
                for part in doc.parts:
                    parts.append(replace(part, heading=f"{who}（第{wl.version}版{as_of}）"))
            where = office.locality or "本级"
            return LedgerDocument(
                title=f"{where}{notice_topic(notice.title)}{year}年重点工作任务清单汇总",
                basis=notice.doc_number,
                office=office.reporting_office or where,
                as_of=f"汇总日期：{chinese_date(today(session))}",
                parts=parts,
                signoff=office_signoff(session),
                show_progress=True,
                subtitle=f"（{len(chosen)} 份清单）",
                page_numbering="document",
                columns=office_columns(session),  # the office's ledger columns, as its own
            )

    def write_combined_pdf(
        self,
        year: int,
        notice_id: int,
        out: Path,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        from desktop.core.reports import write_ledger_pdf

        doc = self.combined_document(year, notice_id)
        return write_ledger_pdf(doc, out, progress=progress, cancelled=cancelled)

    def write_combined_xlsx(self, year: int, notice_id: int, out: Path) -> list[str]:
        """Writes the combined Excel; returns the cells cut at Excel's 32,767-character limit."""
        from desktop.core.reports import write_ledger_xlsx

        return write_ledger_xlsx(self.combined_document(year, notice_id), out)


# --------------------------------------------------------------------------- helpers


def _summary_part(session: Session, lists: Sequence[WorkList]) -> LedgerPart:
    """The combined ledger's first pages: each list's counts by state, 本期未填报 apart from
    滞后, on the day each list is read at (the one rule, ``progress.figures``)."""
    figures = lists_figures(session, lists)
    na = dict(
        session.execute(
            select(MeasureExclusion.work_list_id, func.count())
            .where(MeasureExclusion.work_list_id.in_([wl.id for wl in lists]))
            .group_by(MeasureExclusion.work_list_id)
        ).all()
    )
    groups = []
    totals: dict[str, int] = {s: 0 for s in STATUS_ORDER}
    for wl in lists:
        f = figures[wl.id]
        counts = f.counts()
        for s in STATUS_ORDER:
            totals[s] += counts[s]
        period = f"，本期为{f.period.label}" if f.period is not None else ""
        parts = "、".join(f"{STATE_LABELS[s]} {counts[s]}" for s in STATUS_ORDER)
        groups.append(
            LedgerMeasureGroup(
                label=f"本级：{wl.locality}" if wl.own else wl.locality,
                note=(
                    f"第{wl.version}版，截至{chinese_date(f.as_of)}"
                    f"{period}：任务 {len(f.tasks)} 项（{parts}）；"
                    f"标为不适用的条目 {na.get(wl.id, 0)} 个"
                ),
            )
        )
    all_parts = "、".join(f"{STATE_LABELS[s]} {totals[s]}" for s in STATUS_ORDER)
    groups.append(
        LedgerMeasureGroup(
            label="合计",
            note=f"{len(lists)} 份清单，任务 {sum(totals.values())} 项（{all_parts}）",
        )
    )
    return LedgerPart(
        heading="各地区进展汇总",
        sections=[
            LedgerSection(title="各地区任务状态（本期未填报单列，不计入滞后）", groups=groups)
        ],
    )


def _current_lists(session: Session, year: int, notice_id: int) -> dict[str, WorkList]:
    return {
        wl.locality: wl
        for wl in session.execute(
            select(WorkList).where(
                WorkList.own.is_(False),
                WorkList.is_current.is_(True),
                WorkList.year == year,
                WorkList.notice_id == notice_id,
            )
        ).scalars()
    }


class _Facts:
    """What the reporting table shows of each list, read for all lists at once."""

    def __init__(self, session: Session, year: int, notice_id: int, lists: list[WorkList]):
        ids = [wl.id for wl in lists]
        self.figures: dict[int, ListFigures] = lists_figures(session, lists)
        self.imports: dict[int, PackageImport] = {}
        for row in session.execute(
            select(PackageImport)
            .where(PackageImport.work_list_id.in_(ids))
            .order_by(PackageImport.id)
        ).scalars():
            if row.work_list_id is not None:
                self.imports[row.work_list_id] = row
        self.versions: dict[str, int] = dict(
            session.execute(
                select(WorkList.locality, func.count())
                .where(
                    WorkList.own.is_(False),
                    WorkList.year == year,
                    WorkList.notice_id == notice_id,
                )
                .group_by(WorkList.locality)
            ).all()
        )

    def status(
        self, wl: WorkList | None, name: str, code: str, expected: bool, listed: bool
    ) -> LocalityStatus:
        base = LocalityStatus(locality=name, code=code, expected=expected, listed=listed)
        if wl is None:
            return base
        last = self.imports.get(wl.id)
        manifest = last.manifest if last is not None else {}
        period = manifest.get("period")
        figures = self.figures[wl.id]
        counts = figures.counts()
        return replace(
            base,
            list_id=wl.id,
            version=wl.version,
            versions=self.versions.get(wl.locality, 1),
            tasks=len(figures.tasks),
            submitted_at=wl.submitted_at,
            exported_at=str(manifest.get("exported_at", "")),
            imported_at=last.at if last is not None else "",
            period_label=str(period.get("label", "")) if isinstance(period, dict) else "",
            current_period=figures.period.label if figures.period is not None else "",
            as_of=figures.as_of,
            counts=tuple((s, counts[s]) for s in STATUS_ORDER),
        )


def _coverage(
    session: Session, notice_id: int, columns: list[tuple[str, int | None, bool]]
) -> CoverageMatrix:
    """Measures × localities: (name, list id or None when not reported, expected)."""
    measures = measure_refs(session, notice_id)
    ids = [lid for _, lid, _ in columns if lid is not None]
    counts: dict[tuple[int, int], int] = {}
    reasons: dict[tuple[int, int], str] = {}
    if ids:
        for lid, mid, n in session.execute(
            select(Task.work_list_id, TaskMeasure.measure_id, func.count())
            .join(Task, Task.id == TaskMeasure.task_id)
            .where(Task.work_list_id.in_(ids))
            .group_by(Task.work_list_id, TaskMeasure.measure_id)
        ).all():
            counts[(lid, mid)] = n
        for lid, mid, reason in session.execute(
            select(
                MeasureExclusion.work_list_id, MeasureExclusion.measure_id, MeasureExclusion.reason
            ).where(MeasureExclusion.work_list_id.in_(ids))
        ).all():
            reasons[(lid, mid)] = reason
    cells = tuple(
        tuple(
            CoverageCell(counts.get((lid, m.id), 0), reasons.get((lid, m.id)))
            if lid is not None
            else CoverageCell(reported=False)
            for _, lid, _ in columns
        )
        for m in measures
    )
    return CoverageMatrix(
        measure_codes=tuple(m.code for m in measures),
        measure_labels=tuple(m.label for m in measures),
        localities=tuple(name for name, _, _ in columns),
        cells=cells,
        expected=tuple(expected for _, _, expected in columns),
    )


def _latest_progress(session: Session, list_id: int, as_of: date) -> dict[int, str]:
    """Per task, the text of its latest report up to ``as_of`` (the percent comes from the
    task's figures)."""
    best: dict[int, tuple[date, str]] = {}
    for tid, end, text in session.execute(
        select(ProgressReport.task_id, ReportingPeriod.end, ProgressReport.text)
        .join(ReportingPeriod, ReportingPeriod.id == ProgressReport.period_id)
        .join(Task, Task.id == ProgressReport.task_id)
        .where(Task.work_list_id == list_id, ReportingPeriod.start <= as_of)
    ).all():
        if text.strip() and (tid not in best or end > best[tid][0]):
            best[tid] = (end, text)
    return {tid: text for tid, (_, text) in best.items()}
