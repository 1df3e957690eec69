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
from dataclasses import dataclass

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
    parses: list[NoteParse]
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
    parses = [parse_note(_note_body(n)) for n in notes]
    if node.notes:  # 牵头单位：… / 责任单位：… lines make one note together
        parses.append(parse_note("；".join(_note_body(n) for n in node.notes)))
    return _Item(node, paras, notes + node.notes, parses)


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
        body = "\n".join([first[m.end() :].strip(), *rest]).strip()
        return m.group(1), body or first  # a one-sentence measure keeps its sentence as text
    return "", "\n".join(paras)


def _in_goal_section(node: Node | None, title: str) -> bool:
    if _GOAL_RE.search(title):
        return True
    while node is not None:
        if node.paras and _GOAL_RE.search(node.paras[0][:20]):
            return True
        node = node.parent
    return False


def _mark_headings(measures: list[tuple[ParsedMeasure, _Item]]) -> None:
    """Flag measures numbered above the usual measure level (三、（一）… and 四 in 浙政发16号)."""
    levels = Counter(item.node.level for _, item in measures)
    usual = max(levels, key=lambda level: (levels[level], level))
    for measure, item in measures:
        measure.is_heading = item.node.level < usual and not item.merged


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


@dataclass
class _DocRules:
    """What the document says for all its measures."""

    lead_rule: str | None
    generic_for_all: list[str]


def _doc_rules(head: list[str], back: list[str], items: list[_Item]) -> _DocRules:
    """The first-listed-leads rule and the remark extending every measure, wherever stated."""
    free = [find_doc_rules(text) for text in head + back]
    rules = [p.rule for p in free if p.rule] + [p.rule for i in items for p in i.parses if p.rule]
    generic: list[str] = []
    for parse in free:
        generic += [g for g in parse.remark_generic if g not in generic]
    return _DocRules(rules[0] if rules else None, generic)


def _measure(
    item: _Item, title: str, body: str, section_code: str | None, rules: _DocRules
) -> ParsedMeasure:
    resolution = resolve(item.parses, first_listed_leads=rules.lead_rule is not None)
    generic = resolution.generic + [g for g in rules.generic_for_all if g not in resolution.generic]
    warnings = list(resolution.warnings)
    if _LEFT_IN_TEXT.search(body):
        warnings.append("正文中仍有“责任单位/牵头单位”字样，注释可能未被完整识别")
    if not body:
        warnings.append("条目没有正文")
    return ParsedMeasure(
        code=item.node.code,
        number=item.node.number,
        title=title,
        text=body,
        section_code=section_code,
        units=resolution.units,
        aliases=resolution.aliases,
        lead_units=resolution.lead_units,
        joint=resolution.joint,
        generic=generic,
        targets=find_targets(body),
        warnings=warnings,
        note="\n".join(item.notes),
    )


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
    rules = _doc_rules([p.text for p in outline.head], outline.back, items)

    sections: list[ParsedSection] = []
    measures: list[tuple[ParsedMeasure, _Item]] = []
    headline: list[ParsedTarget] = [t for p in meta.preamble for t in find_targets(p)]
    for item in items:
        node = item.node
        title, body = _title_and_text(item.paras)
        parent_code = node.parent.code if node.parent else None
        goal = not item.notes and _in_goal_section(node, title)
        is_measure = bool(item.notes) or (
            not node.children and not goal and (node.level > 1 or body)
        )
        is_section = bool(node.children) or not is_measure or node.level == 1
        if is_section:
            sections.append(ParsedSection(node.code, node.number, title, node.level, parent_code))
        if goal:
            headline += find_targets("\n".join(item.paras))
        if is_measure:
            # a remark such as 以下均需各设区市政府落实 counts from the measure stating it on
            for parse in item.parses:
                rules.generic_for_all += [
                    g for g in parse.remark_generic if g not in rules.generic_for_all
                ]
            section_code = node.code if is_section else parent_code
            measures.append((_measure(item, title, body, section_code, rules), item))
    if not measures:
        raise NoticeFormatError("未找到任何条目：文中的编号标题下没有可识别的工作内容")
    _mark_headings(measures)

    warnings = list(meta.warnings) + outline.warnings
    warnings += [f"有段落未归入任何条目：{p[:24]}…" for p in outline.orphans]
    warnings += _similar_units([u for m, _ in measures for u in m.units])
    return ParsedNotice(
        doc_number=meta.doc_number,
        title=meta.title,
        issuer=meta.issuer,
        issued_on=meta.issued_on,
        effective_on=meta.effective_on,
        sections=sections,
        measures=[m for m, _ in measures],
        targets=headline,
        generic_for_all=rules.generic_for_all,
        lead_rule=rules.lead_rule,
        warnings=warnings,
        source_text=source,
    )


def parse_notice_file(path: str | os.PathLike[str]) -> ParsedNotice:
    """Read and parse a notice file (.txt or .docx)."""
    return parse_notice_text(read_notice_file(path))
