"""The notice as the list screen needs it: labels and section paths of measures, by id.

Measure numbers restart in every top-level section of a notice (一、1. … 二、1. …), so a
measure is shown with its section's number in front ("一（一）1. 研发设计方面") wherever it
appears out of its tree: in the table, the filters, the editor and the coverage panel.
Plain Python, built once per notice.
"""

from __future__ import annotations

from desktop.core.worklist import TargetRef
from desktop.services.notices.service import MeasureView, NoticeTree, SectionView


class NoticeIndex:
    def __init__(self, tree: NoticeTree) -> None:
        self.notice_id = tree.notice.id
        self.sections: list[SectionView] = list(tree.sections)
        self.measures: list[MeasureView] = list(tree.measures)
        by_id = {s.id: s for s in self.sections}
        self.section_label: dict[int, str] = {}
        self.section_title: dict[int, str] = {}
        self.section_chain: dict[int, tuple[int, ...]] = {}
        for s in self.sections:
            chain = [s.id]
            parent = by_id.get(s.parent_id) if s.parent_id is not None else None
            while parent is not None:
                chain.append(parent.id)
                parent = by_id.get(parent.parent_id) if parent.parent_id is not None else None
            self.section_chain[s.id] = tuple(chain)
            self.section_label[s.id] = self._section_text(s, by_id)
            self.section_title[s.id] = s.title
        self.measure_label: dict[int, str] = {}
        self.measure_full: dict[int, str] = {}
        self.measure_section: dict[int, int | None] = {}
        self.measure_position: dict[int, int] = {}
        self.measure_text: dict[int, str] = {}
        self.measure_targets: dict[int, frozenset[str]] = {}
        self._sections_of: dict[tuple[int, ...], frozenset[int]] = {}
        for position, m in enumerate(self.measures):
            self.measure_label[m.id] = m.label
            self.measure_section[m.id] = m.section_id
            self.measure_position[m.id] = position
            self.measure_text[m.id] = m.text
            self.measure_full[m.id] = self._measure_text(m, by_id)
            # the target texts the draft carries over (all joined, or one per sentence)
            texts = [
                TargetRef(t.subject, t.value, t.unit, t.qualifier, t.phrase).text()
                for t in m.targets
            ]
            self.measure_targets[m.id] = frozenset({"；".join(texts), *texts} - {""})

    @staticmethod
    def _section_text(s: SectionView, by_id: dict[int, SectionView]) -> str:
        parent = by_id.get(s.parent_id) if s.parent_id is not None else None
        if parent is None:
            return s.label
        return f"{parent.number}{s.number}{s.title}"

    @staticmethod
    def _measure_text(m: MeasureView, by_id: dict[int, SectionView]) -> str:
        if m.is_heading or m.section_id is None:
            top = by_id.get(m.section_id) if m.section_id is not None else None
            if top is not None and m.number.startswith("（"):
                return f"{top.number}{m.label}"
            return m.label
        section = by_id.get(m.section_id)
        top = section
        while top is not None and top.parent_id is not None:
            top = by_id.get(top.parent_id)
        prefix = top.number if top is not None else ""
        if section is not None and section is not top:
            prefix += section.number
        return f"{prefix}{m.label}"

    def sections_of(self, measure_ids: tuple[int, ...]) -> frozenset[int]:
        """Every section (with its ancestors) holding one of the measures.

        Remembered per combination: thousands of tasks share a handful of them.
        """
        found = self._sections_of.get(measure_ids)
        if found is None:
            out: set[int] = set()
            for mid in measure_ids:
                sid = self.measure_section.get(mid)
                if sid is not None:
                    out.update(self.section_chain.get(sid, (sid,)))
            found = self._sections_of[measure_ids] = frozenset(out)
        return found

    def section_of_first(self, measure_ids: tuple[int, ...]) -> int | None:
        return self.measure_section.get(measure_ids[0]) if measure_ids else None
