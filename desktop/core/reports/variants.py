"""The ledger variants, made from a whole-list :class:`LedgerDocument`.

- the whole list: the document as built;
- one ledger per lead unit: :func:`by_lead_unit` (one part per unit; write it as one file
  with ``write_ledger_pdf`` or as a folder of files with ``write_ledger_pdfs_per_part``);
- the progress ledger of a period: :func:`for_period`;
- the lagging tasks: :func:`lagging_only`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from .model import LedgerDocument, LedgerPart, LedgerRow, LedgerSection

# the variants a user can ask for (台账打印, ``ledger pdf --variant``), in the order offered
VARIANTS = {
    "all": "全部任务",
    "by-unit": "按牵头单位分册",
    "progress": "某期进展台账",
    "lagging": "滞后任务清单",
}

UNIT_HEADING = "牵头单位："
LAGGING_SUBTITLE = "（滞后任务）"
_UNIT_SPLIT = re.compile(r"[、，,；;/\s]+")


def split_units(text: str) -> list[str]:
    """``"县科技局、县经信局"`` → ``["县科技局", "县经信局"]``."""
    return [u for u in _UNIT_SPLIT.split(text.strip()) if u]


def _filter_part(part: LedgerPart, keep: Callable[[LedgerRow], bool], heading: str) -> LedgerPart:
    sections = []
    for section in part.sections:
        groups = []
        for group in section.groups:
            rows = [r for r in group.rows if keep(r)]
            if rows:
                groups.append(replace(group, rows=rows, not_applicable=None))
        if groups:
            sections.append(LedgerSection(section.title, groups))
    return LedgerPart(heading, sections)


def lead_units(doc: LedgerDocument) -> list[str]:
    """Every lead unit of the document, in order of first appearance."""
    seen: dict[str, None] = {}
    for part in doc.parts:
        for section in part.sections:
            for group in section.groups:
                for row in group.rows:
                    for unit in split_units(row.lead_units):
                        seen.setdefault(unit)
    return list(seen)


def by_lead_unit(doc: LedgerDocument, units: Sequence[str] | None = None) -> LedgerDocument:
    """One part per lead unit, each with the tasks that unit leads (jointly led tasks
    appear under each of their leads). ``units`` chooses and orders the units."""
    chosen = list(units) if units is not None else lead_units(doc)
    whole = LedgerPart("", [s for p in doc.parts for s in p.sections])
    parts = [_filter_part(whole, _leads(unit), UNIT_HEADING + unit) for unit in chosen]
    return replace(doc, parts=parts or [LedgerPart()])


def _leads(unit: str) -> Callable[[LedgerRow], bool]:
    return lambda row: unit in split_units(row.lead_units)


def lagging_only(doc: LedgerDocument, subtitle: str = LAGGING_SUBTITLE) -> LedgerDocument:
    """Only the tasks whose status is 滞后 (measures without one are left out)."""
    parts = [_filter_part(p, lambda r: r.status == "lagging", p.heading) for p in doc.parts]
    return replace(doc, parts=parts, subtitle=subtitle, show_progress=True)


def for_period(doc: LedgerDocument, period: str, as_of: str = "") -> LedgerDocument:
    """The progress ledger of a reporting period, e.g. ``period="2027年第二季度"``.

    The rows must already carry that period's progress and status.
    """
    return replace(doc, subtitle=f"（{period}进展）", as_of=as_of or doc.as_of, show_progress=True)


def whole_list(doc: LedgerDocument) -> LedgerDocument:
    """The whole list; the progress columns print only where progress exists."""
    return doc
