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
        }


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
