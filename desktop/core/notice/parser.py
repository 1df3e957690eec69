"""Parse a notice: text in, ``ParsedNotice`` out.

The stages are: normalise the text (``text``), join page-break fragments and build the
outline tree (``outline``), read the metadata (``metadata``), find the responsible-unit
notes of every item and the document-wide rules (``units``), decide which items are
measures and which are sections, and collect quantitative targets (``targets``).
Everything the parser is unsure of is reported as a warning in Chinese, on the measure
it concerns or on the document.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field

from desktop.core.notice.brackets import opening_of_final
from desktop.core.notice.files import read_notice_file
from desktop.core.notice.metadata import read_metadata
from desktop.core.notice.model import ParsedMeasure, ParsedNotice, ParsedSection, ParsedTarget
from desktop.core.notice.outline import Node, build_outline, is_heading_rest, join_fragments
from desktop.core.notice.targets import find_targets
from desktop.core.notice.text import CJK, normalise_lines
from desktop.core.notice.units import NoteParse, find_doc_rules, parse_note, resolve, split_notes
from desktop.errors import NoticeFormatError

_GOAL_RE = re.compile(r"总体要求|指导思想|基本原则|主要目标|发展目标|工作目标|总体目标|总体思路")
_LEAD_PHRASE = re.compile(r"^([^。：，；]{1,30}?)[。：]")
_CJK_CHAR = re.compile(f"[{CJK}]")
_LEFT_IN_TEXT = re.compile(r"责任单位|牵头单位")


@dataclass
class _Item:
    """One outline node with its notes taken out of its paragraphs."""

    node: Node
    paras: list[str]
    notes: list[str]
    parses: list[NoteParse] = field(default_factory=list)
    merged: bool = False


def _note_body(note: str) -> str:
    note = note.strip().rstrip("。；")
    if note.startswith("（") and opening_of_final(note) == 0:
        return note[1:-1]
    return note


def _prepare(node: Node) -> _Item:
    paras: list[str] = []
    notes: list[str] = []
    for para in node.paras:
        text, found = split_notes(para)
        notes.extend(found)
        if text:
            paras.append(text)
    if node.notes:  # 牵头单位：… / 责任单位：… lines make one note together
        notes.append("；".join(n.strip().rstrip("。；") for n in node.notes))
    item = _Item(node, paras, notes)
    item.parses = [parse_note(_note_body(n)) for n in notes]
    return item


def _merge_enumerations(items: list[_Item]) -> list[_Item]:
    """Fold （1）（2）… lines into their item when only the last one carries the note.

    ``1. 推进X。具体包括：`` / ``（1）…；`` / ``（2）…。（责任单位：A）`` is one measure whose
    note speaks for the whole list, not two measures of which the first has no units.
    """
    by_node = {id(item.node): item for item in items}
    folded: set[int] = set()
    for item in items:
        children = [by_node[id(child)] for child in item.node.children]
        if (
            len(children) >= 2
            and not item.notes
            and all(c.node.level == 4 and not c.node.children for c in children)
            and children[-1].notes
            and not any(c.notes for c in children[:-1])
        ):
            item.paras += [c.node.number + "".join(c.paras) for c in children]
            item.notes, item.parses = children[-1].notes, children[-1].parses
            item.node.children = []
            item.merged = True
            folded.update(id(c.node) for c in children)
    return [item for item in items if id(item.node) not in folded]


def _title_and_text(paras: list[str]) -> tuple[str, str]:
    """Split an item's paragraphs into its title and its body text."""
    if not paras:
        return "", ""
    first, rest = paras[0], paras[1:]
    if is_heading_rest(first) and (rest or first[-1] not in "。；"):
        return first.rstrip("：:"), "\n".join(rest)
    m = _LEAD_PHRASE.match(first)
    if m and (m.group(1).endswith("方面") or len(m.group(1)) <= 20):
        body = first[m.end() :].strip()
        return m.group(1), "\n".join([body, *rest] if body else rest)
    return "", "\n".join(paras)


def _in_goal_section(node: Node | None, title: str) -> bool:
    if _GOAL_RE.search(title):
        return True
    while node is not None:
        if node.paras and _GOAL_RE.search(node.paras[0][:20]):
            return True
        node = node.parent
    return False


def _mark_headings(measures: list[ParsedMeasure], merged: list[_Item]) -> None:
    """Flag measures that sit above the usual measure level (三、（一）… and 四 in 浙政发16号)."""
    levels = Counter(m.code.count(".") for m in measures)
    usual = max(levels, key=lambda level: (levels[level], level))
    merged_codes = {item.node.code for item in merged}
    for measure in measures:
        measure.is_heading = measure.code.count(".") < usual and measure.code not in merged_codes


def _similar_units(units: list[str]) -> list[str]:
    """Warnings for names that differ by one character (省人社保厅 / 省人社厅)."""
    known = set(units)
    warnings: list[str] = []
    for unit in units:
        for i in range(len(unit)):
            shorter = unit[:i] + unit[i + 1 :]
            if len(shorter) >= 3 and shorter in known:
                note = f"单位名称可能不一致：{unit}／{shorter}"
                if note not in warnings:
                    warnings.append(note)
    return warnings


def _check_plausible(text: str) -> None:
    visible = sum(1 for ch in text if not ch.isspace())
    chinese = len(_CJK_CHAR.findall(text))
    if chinese < 10 or chinese * 5 < visible:
        raise NoticeFormatError("无法识别文件内容：其中几乎没有中文文字，不是可识别的通知文本")


def parse_notice_text(text: str) -> ParsedNotice:
    """Parse the decoded text of a notice. Raises ``NoticeFormatError`` for non-notices."""
    lines = normalise_lines(text)
    if not lines:
        raise NoticeFormatError("文件为空：没有任何文字")
    source = "\n".join(line.text for line in lines)
    _check_plausible(source)
    outline = build_outline(join_fragments(lines))
    items = _merge_enumerations([_prepare(node) for node in outline.walk()])
    if not items:
        raise NoticeFormatError(
            "未找到任何条目：文中没有“一、”“（一）”“1.”这样的编号条目，不是可识别的通知文本"
        )
    meta = read_metadata(outline.head, outline.back)

    # Document-wide rules: stated in a note, the preamble or the closing paragraphs.
    free = [find_doc_rules(p.text) for p in outline.head]
    free += [find_doc_rules(p) for p in outline.back]
    rules = [p.rule for p in free if p.rule] + [p.rule for i in items for p in i.parses if p.rule]
    lead_rule = rules[0] if rules else None
    generic_for_all: list[str] = []
    for parse in free:
        generic_for_all += [g for g in parse.remark_generic if g not in generic_for_all]

    sections: list[ParsedSection] = []
    measures: list[ParsedMeasure] = []
    headline: list[ParsedTarget] = [t for p in meta.preamble for t in find_targets(p)]
    remark_from: list[str] = []
    section_codes: set[str] = set()
    for item in items:
        node = item.node
        title, body = _title_and_text(item.paras)
        parent_code = node.parent.code if node.parent else None
        has_notes = bool(item.notes)
        goal = not has_notes and _in_goal_section(node, title)
        is_measure = has_notes or (not node.children and not goal and (node.level > 1 or body))
        if node.children or not is_measure or node.level == 1:
            sections.append(ParsedSection(node.code, node.number, title, node.level, parent_code))
            section_codes.add(node.code)
        if goal:
            headline += find_targets("\n".join(item.paras))
        if not is_measure:
            continue
        for parse in item.parses:
            remark_from += [g for g in parse.remark_generic if g not in remark_from]
        resolution = resolve(item.parses, first_listed_leads=lead_rule is not None)
        generic = list(resolution.generic)
        generic += [g for g in generic_for_all + remark_from if g not in generic]
        warnings = list(resolution.warnings)
        if _LEFT_IN_TEXT.search(body):
            warnings.append("正文中仍有“责任单位/牵头单位”字样，注释可能未被完整识别")
        if not body:
            warnings.append("条目没有正文")
        measures.append(
            ParsedMeasure(
                code=node.code,
                number=node.number,
                title=title,
                text=body,
                section_code=node.code if node.code in section_codes else parent_code,
                units=resolution.units,
                aliases=resolution.aliases,
                lead_units=resolution.lead_units,
                joint=resolution.joint,
                generic=generic,
                targets=find_targets(body),
                warnings=warnings,
                note="\n".join(item.notes),
                is_heading=False,
            )
        )
    if not measures:
        raise NoticeFormatError("未找到任何条目：文中的编号标题下没有可识别的工作内容")

    _mark_headings(measures, [i for i in items if i.merged])
    warnings = list(meta.warnings) + outline.warnings
    warnings += [f"有段落未归入任何条目：{p[:24]}…" for p in outline.orphans]
    warnings += _similar_units([u for m in measures for u in m.units])
    return ParsedNotice(
        doc_number=meta.doc_number,
        title=meta.title,
        issuer=meta.issuer,
        issued_on=meta.issued_on,
        effective_on=meta.effective_on,
        sections=sections,
        measures=measures,
        targets=headline,
        generic_for_all=generic_for_all + [g for g in remark_from if g not in generic_for_all],
        lead_rule=lead_rule,
        warnings=warnings,
        source_text=source,
    )


def parse_notice_file(path: str | os.PathLike[str]) -> ParsedNotice:
    """Read and parse a notice file (.txt or .docx)."""
    return parse_notice_text(read_notice_file(path))
