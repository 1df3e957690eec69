"""Changing a notice's measures by hand, and telling what a re-import would change.

The import screen and the 修正条目 dialog both let the user correct what the parser
understood of a measure: its text, its responsible units in order, which of them lead,
whether responsibility is joint, the generic collectives and the targets. This module
checks such a correction (``MeasureCorrection``) with clear Chinese messages, applies it to
a ``ParsedMeasure`` held in memory, and compares a freshly parsed notice with the one
already saved under the same document number (``ImportComparison``) so the user knows
what replacing it would do before confirming.

Qt-free: used by ``desktop.services.notices.service`` and by the screens, which only pass data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from desktop.core.notice import ParsedMeasure, ParsedTarget
from desktop.errors import ValidationError

MAX_UNIT_NAME = 120
MAX_TARGET_VALUE = 40


def measure_label(number: str, title: str, is_heading: bool) -> str:
    """Short label of a measure: "1. 研发设计方面", "（一）加快推进数智化发展", "四、完善…"."""
    if number.startswith("（"):
        sep = ""
    elif is_heading:
        sep = "、"
    else:
        sep = ". "
    return f"{number}{sep}{title}".strip() if number else title.strip()


# ----------------------------------------------------------------- a correction


@dataclass(frozen=True)
class MeasureCorrection:
    """What the user says a measure is, after looking at the parser's result."""

    title: str
    text: str
    units: tuple[str, ...]
    lead_units: tuple[str, ...]
    joint: bool = False
    generic: tuple[str, ...] = ()
    targets: tuple[ParsedTarget, ...] = ()


def _names(values: Iterable[str]) -> list[str]:
    return [v.strip() for v in values if v and v.strip()]


def checked_correction(c: MeasureCorrection) -> MeasureCorrection:
    """The correction with names trimmed and rules applied, or a ``ValidationError``.

    Rules: the measure has a title or text; unit names are unique and not too long; when
    units are named, at least one leads unless responsibility is joint, in which case every
    named unit leads (按职责分工负责: no single lead); lead units are among the units.
    """
    title, text = c.title.strip(), c.text.strip()
    if not title and not text:
        raise ValidationError("条目的标题和正文不能都为空。")
    units = _names(c.units)
    seen: set[str] = set()
    for name in units:
        if name in seen:
            raise ValidationError(f"责任单位“{name}”重复了，请删去重复的一行。")
        if len(name) > MAX_UNIT_NAME:
            raise ValidationError(f"单位名称“{name[:20]}…”太长（不超过 {MAX_UNIT_NAME} 字）。")
        seen.add(name)
    leads = [u for u in _names(c.lead_units) if u in seen]
    if c.joint:
        leads = list(units)
    elif units and not leads:
        raise ValidationError(
            "请至少勾选一个牵头单位；如各单位按职责分工共同负责，请勾选“共同负责”。"
        )
    generic: list[str] = []
    for g in _names(c.generic):
        if g in seen:
            raise ValidationError(f"“{g}”已经是责任单位，不必再列为泛指单位。")
        if g not in generic:
            generic.append(g)
    for t in c.targets:
        if not t.subject.strip():
            raise ValidationError("每个目标指标都要写明指标内容（如“科技服务业创新发展集聚区”）。")
    return MeasureCorrection(
        title=title,
        text=text,
        units=tuple(units),
        lead_units=tuple(u for u in units if u in leads),
        joint=c.joint and bool(units),
        generic=tuple(generic),
        targets=tuple(c.targets),
    )


def target_from_input(
    subject: str,
    value: str,
    unit: str,
    qualifier: str,
    year: str,
    phrase: str = "",
) -> ParsedTarget:
    """A target typed by the user (every field as text), checked; raises ``ValidationError``."""
    subject = subject.strip()
    shown = subject or "（未填指标）"
    value_text = value.strip().replace("，", "").replace(",", "")
    number: Decimal | None = None
    if value_text:
        try:
            number = Decimal(value_text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(
                f"目标“{shown}”的数值“{value.strip()}”不是数字，请填写阿拉伯数字（如 10 或 2.5）。"
            )
        if number < 0:
            raise ValidationError(f"目标“{shown}”的数值不能为负数。")
        if len(value_text) > MAX_TARGET_VALUE:
            raise ValidationError(f"目标“{shown}”的数值太长。")
    year_text = year.strip().removesuffix("年")
    year_number: int | None = None
    if year_text:
        if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
            raise ValidationError(f"目标“{shown}”的年份“{year.strip()}”不合理，请填写四位年份。")
        year_number = int(year_text)
    unit, qual = unit.strip(), qualifier.strip() or None
    if not phrase.strip():
        shown_value = f"{value_text}{unit}" if value_text else unit
        when = f"到{year_number}年" if year_number else ""
        phrase = f"{when}{subject}{qual or ''}{shown_value}"
    return ParsedTarget(
        subject=subject,
        value=number,
        unit=unit,
        qualifier=qual,
        year=year_number,
        phrase=phrase.strip(),
    )


_DATE = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*$")


def date_from_input(label: str, text: str) -> date | None:
    """A date typed as 2026-05-30, 2026/5/30 or 2026年5月30日; empty means none."""
    if not text.strip():
        return None
    m = _DATE.match(text)
    try:
        if m is None:
            raise ValueError(text)
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValidationError(
            f"{label}“{text.strip()}”不是有效日期，请按 2026-05-30 或 2026年5月30日 的格式填写。"
        ) from None


def decimal_text(value: Decimal | None) -> str:
    """An exact decimal as the user types it: 10, 2.5 (never 1E+1)."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def correction_of(m: ParsedMeasure) -> MeasureCorrection:
    return MeasureCorrection(
        title=m.title,
        text=m.text,
        units=tuple(m.units),
        lead_units=tuple(m.lead_units),
        joint=m.joint,
        generic=tuple(m.generic),
        targets=tuple(replace(t) for t in m.targets),
    )


def apply_to_parsed(m: ParsedMeasure, c: MeasureCorrection) -> None:
    """Write a checked correction into a parsed measure held in memory (import screen).

    The parser's doubts about the measure are dropped: the user has looked at it and said
    what it is. Aliases stay for units that are still named.
    """
    c = checked_correction(c)
    m.title, m.text = c.title, c.text
    m.units = list(c.units)
    m.lead_units = list(c.lead_units)
    m.joint = c.joint
    m.generic = list(c.generic)
    m.targets = [replace(t) for t in c.targets]
    m.aliases = {k: v for k, v in m.aliases.items() if k in c.units}
    m.warnings = []


# ----------------------------------------------------------------- comparing with the saved notice


@dataclass(frozen=True)
class MeasureState:
    """What of a measure matters when comparing two versions of a notice."""

    code: str
    label: str
    title: str
    text: str
    units: tuple[str, ...]
    lead_units: tuple[str, ...]
    joint: bool
    generic: tuple[str, ...]
    targets: tuple[tuple[str, str, str, str, str], ...]


def target_key(
    subject: str, value: str | None, unit: str, qualifier: str | None, year: int | None
) -> tuple[str, str, str, str, str]:
    return (subject, value or "", unit, qualifier or "", str(year or ""))


def state_of_parsed(m: ParsedMeasure) -> MeasureState:
    return MeasureState(
        code=m.code,
        label=measure_label(m.number, m.title, m.is_heading),
        title=m.title,
        text=m.text,
        units=tuple(m.units),
        lead_units=tuple(m.lead_units),
        joint=m.joint,
        generic=tuple(m.generic),
        targets=tuple(
            target_key(t.subject, decimal_text(t.value) or None, t.unit, t.qualifier, t.year)
            for t in m.targets
        ),
    )


@dataclass(frozen=True)
class ImportComparison:
    """What replacing a saved notice with a newly parsed text would change."""

    notice_id: int
    doc_number: str
    title: str
    imported_at: str
    added: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]  # measures deleted by the replacement
    kept: tuple[str, ...]  # gone from the new text but kept because work lists use them
    lists: int  # work lists (own and imported) based on the notice
    linked_tasks: int  # tasks linked to its measures

    def summary(self) -> str:
        """One Chinese paragraph for the confirmation and the result message."""
        parts = [f"新增 {len(self.added)} 条", f"修改 {len(self.changed)} 条"]
        parts.append(f"未变 {self.unchanged} 条")
        if self.removed:
            parts.append(f"删除 {len(self.removed)} 条")
        text = "，".join(parts) + "。"
        if self.kept:
            text += (
                f"另有 {len(self.kept)} 条在新文本中已没有，但本级清单仍在使用，将保留并标注"
                f"（{'、'.join(self.kept[:3])}{'等' if len(self.kept) > 3 else ''}）。"
            )
        return text


def compare_states(
    old: dict[str, MeasureState], new: list[MeasureState], used_codes: set[str]
) -> tuple[list[str], list[str], int, list[str], list[str]]:
    """added, changed, unchanged count, removed, kept (labels), matching by outline code."""
    added: list[str] = []
    changed: list[str] = []
    unchanged = 0
    for state in new:
        before = old.get(state.code)
        if before is None:
            added.append(state.label)
        elif replace(before, label=state.label) != state:
            changed.append(state.label)
        else:
            unchanged += 1
    new_codes = {s.code for s in new}
    gone = [s for code, s in old.items() if code not in new_codes]
    removed = [s.label for s in gone if s.code not in used_codes]
    kept = [s.label for s in gone if s.code in used_codes]
    return added, changed, unchanged, removed, kept
