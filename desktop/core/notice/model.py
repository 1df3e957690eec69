"""The parsed notice as plain data: sections, measures, units and targets.

These dataclasses are what the rest of the program receives from the parser. They hold
no Qt and no database objects, so the importer screen, the command line and the tests all
see exactly the same result. ``ParsedNotice.to_json_dict`` produces the
``notice parse --json`` schema of ``CONTRACT.md`` (with a few extra keys).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


def decimal_to_json(value: Decimal | None) -> int | float | None:
    """An exact decimal as JSON: an int when it is integral, else a float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


@dataclass
class ParsedTarget:
    """A quantitative target such as 建设10个科技服务业创新发展集聚区."""

    subject: str
    value: Decimal | None
    unit: str
    qualifier: str | None
    year: int | None
    phrase: str

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "subject": self.subject,
            "value": decimal_to_json(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "phrase": self.phrase,
        }


@dataclass
class ParsedSection:
    """A heading that groups measures (一、 / （一） / 1. with children)."""

    code: str
    number: str
    title: str
    level: int
    parent_code: str | None

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "number": self.number,
            "title": self.title,
            "level": self.level,
            "parent_code": self.parent_code,
        }


@dataclass
class ParsedMeasure:
    """A numbered item of the notice that carries work and a responsible-units note."""

    code: str
    number: str
    title: str
    text: str
    section_code: str | None
    units: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    lead_units: list[str] = field(default_factory=list)
    joint: bool = False
    generic: list[str] = field(default_factory=list)
    targets: list[ParsedTarget] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    note: str = ""
    is_heading: bool = False
    # why the parser reads the units as it does, and how sure it is (0–1)
    evidence: list[str] = field(default_factory=list)
    confidence: float = 1.0

    @property
    def co_units(self) -> list[str]:
        """The named units that cooperate (配合单位): every unit that does not lead."""
        return [u for u in self.units if u not in self.lead_units]

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "units": list(self.units),
            "lead_units": list(self.lead_units),
            "joint": self.joint,
            "generic": list(self.generic),
            "targets": [t.to_json_dict() for t in self.targets],
            "section_code": self.section_code,
            "is_heading": self.is_heading,
            "aliases": dict(self.aliases),
            "note": self.note,
            "warnings": list(self.warnings),
            "evidence": list(self.evidence),
            "confidence": self.confidence,
        }


# doubts that no longer hold once the merged measure names units (and a lead)
_NO_UNITS = {"未找到责任单位", "仅有泛指单位，未找到具体责任单位", "未写明牵头单位"}


def _as_paragraph(m: ParsedMeasure) -> str:
    """A measure written back as the paragraph it came from: （二）推进乙。…"""
    if m.number.startswith("（"):
        number = m.number
    elif m.number.isdigit():
        number = f"{m.number}."
    else:
        number = f"{m.number}、" if m.number else ""
    if not m.title or m.text.startswith(m.title):
        return f"{number}{m.text}" if m.text else f"{number}{m.title}"
    stop = "" if m.title[-1] in "。；：！？" or not m.text else "。"
    return f"{number}{m.title}{stop}{m.text}"


@dataclass
class ParsedNotice:
    """Everything the parser understood of one notice, plus its doubts."""

    doc_number: str | None
    title: str | None
    issuer: str | None
    issued_on: date | None
    effective_on: date | None
    sections: list[ParsedSection]
    measures: list[ParsedMeasure]
    targets: list[ParsedTarget]
    generic_for_all: list[str]
    lead_rule: str | None
    warnings: list[str]
    source_text: str

    def remove_measure(self, index: int) -> ParsedMeasure:
        """Drop a measure the parser took for one by mistake (the import screen's 删除条目)."""
        return self.measures.pop(index)

    def merge_into_previous(self, index: int) -> ParsedMeasure:
        """Fold measure ``index`` into the one before it (与上一条合并); the merged measure.

        For a measure the parser split in two: the text follows the previous text with its
        number, the units, lead units, generic collectives, aliases and targets are joined
        in order, and the doubts the merge settles (no units, no text) are dropped.
        """
        if not 0 < index < len(self.measures):
            raise IndexError(index)
        prev, cur = self.measures[index - 1], self.measures.pop(index)
        prev.text = "\n".join(p for p in (prev.text, _as_paragraph(cur)) if p)
        if not prev.units:
            prev.units, prev.lead_units = list(cur.units), list(cur.lead_units)
            prev.joint = cur.joint
        elif cur.units:
            units = prev.units + [u for u in cur.units if u not in prev.units]
            leads = set(prev.lead_units) | set(cur.lead_units)
            prev.units = units
            prev.lead_units = [u for u in units if u in leads]
            # jointly responsible only when both measures were: two marked leads are not
            prev.joint = prev.joint and cur.joint and len(prev.lead_units) > 1
        prev.generic += [g for g in cur.generic if g not in prev.generic and g not in prev.units]
        prev.aliases = {**cur.aliases, **prev.aliases}
        prev.targets += cur.targets
        prev.note = "\n".join(n for n in (prev.note, cur.note) if n)
        settled = {"条目没有正文"} | (_NO_UNITS if prev.units else set())
        if not prev.lead_units:
            settled.discard("未写明牵头单位")
        warnings = [w for w in prev.warnings + cur.warnings if w not in settled]
        prev.warnings = list(dict.fromkeys(warnings))
        return prev

    def to_json_dict(self) -> dict[str, Any]:
        """The ``notice parse --json`` schema of CONTRACT.md, with extra keys added."""
        return {
            "doc_number": self.doc_number,
            "title": self.title,
            "issuer": self.issuer,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "effective_on": self.effective_on.isoformat() if self.effective_on else None,
            "sections": [s.to_json_dict() for s in self.sections],
            "measures": [m.to_json_dict() for m in self.measures],
            "targets": [t.to_json_dict() for t in self.targets],
            "generic_for_all": list(self.generic_for_all),
            "lead_rule": self.lead_rule,
            "warnings": list(self.warnings),
        }
