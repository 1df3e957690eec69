"""Parse a notice: text in, ``ParsedNotice`` out.

The stages are: rewrite task tables whose cells were kept apart (``tables``), normalise
the text (``text``), join page-break fragments and build the outline tree from the
paragraphs read as token streams (``outline``), read the metadata (``metadata``), find
the responsible-unit notes of every item and the document-wide rules (``unit_notes``),
take the notes out of every item and, when the body names no unit, read the attached
task tables instead (``items``), set the closing matter apart (``closing``), decide which
items are measures and which are sections, collect quantitative targets
(``targets``), and state for every measure the evidence for its units and a confidence
(``evidence``). Everything the parser is unsure of is reported as a warning in Chinese,
on the measure it concerns or on the document.

Two document-level readings decide what is not a measure and what every measure carries:

- a closing section — a top-level section after the last one that names any responsible
  unit, whose title is a typical closing heading (组织实施, 保障措施, 加强组织领导 …) and
  whose text names no responsible units — is a guarantee clause, not a measure (a
  document warning says so); a heading without notes anywhere else stays a measure with
  a warning;
- remarks such as 以上措施均需各设区市人民政府、赣江新区管委会落实 (in the preamble, a
  note, the text of a section, a paragraph between measures or the closing matter) add
  their collectives to ``generic_for_all`` and to the ``generic`` of every measure they
  cover: 以上 those before the remark, 以下 those after it, 各项 all of them.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from dataclasses import dataclass, replace

from desktop.core.notice.closing import (
    closing_articles,
    closing_items,
    closing_sections,
)
from desktop.core.notice.evidence import evidence_of
from desktop.core.notice.files import read_notice_file
from desktop.core.notice.items import Item, attachment_outline, merge_enumerations, prepare
from desktop.core.notice.metadata import read_metadata
from desktop.core.notice.model import ParsedMeasure, ParsedNotice, ParsedSection, ParsedTarget
from desktop.core.notice.numbering import is_heading_rest
from desktop.core.notice.ordinals import split_ordinal_parts
from desktop.core.notice.outline import Node, build_outline
from desktop.core.notice.paragraphs import join_fragments
from desktop.core.notice.tables import rewrite_tables
from desktop.core.notice.targets import find_targets
from desktop.core.notice.text import CJK, normalise_lines
from desktop.core.notice.unit_notes import (
    Remark,
    find_doc_rules,
    resolve,
)
from desktop.errors import NoticeFormatError

# a notice of 10,000 measures is about 700,000 characters; parsing is linear in the text
MAX_CHARS = 1_000_000
_GOAL_RE = re.compile(r"总体要求|指导思想|基本原则|主要目标|发展目标|工作目标|总体目标|总体思路")
_LEAD_PHRASE = re.compile(r"^([^。：，；]{1,30}?)[。：]")
_CJK_CHAR = re.compile(f"[{CJK}]")
_LEFT_IN_TEXT = re.compile(r"责任单位|牵头单位")


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


def _mark_headings(measures: list[tuple[ParsedMeasure, Item]]) -> None:
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
class _Placed:
    """A remark and where it stands: the index of the item it is in or next to."""

    remark: Remark
    at: float

    def covers(self, index: int) -> bool:
        scope = self.remark.scope
        if scope == "below":
            return index >= self.at
        if scope == "above":
            return index <= self.at
        return True


@dataclass
class _DocRules:
    """What the document says for all its measures."""

    lead_rule: str | None
    remarks: list[_Placed]
    understood: set[str]  # paragraphs outside the items that were read as remarks

    @property
    def generic_for_all(self) -> list[str]:
        names: list[str] = []
        for placed in self.remarks:
            names += [n for n in placed.remark.names if n not in names]
        return names

    def generic_at(self, index: int) -> list[str]:
        names: list[str] = []
        for placed in self.remarks:
            if placed.covers(index):
                names += [n for n in placed.remark.names if n not in names]
        return names


def _doc_rules(
    head: list[str], back: list[str], items: list[Item], measure_flags: list[bool]
) -> _DocRules:
    """The first-listed-leads rule and the remarks extending measures, wherever stated.

    Remarks are read in the preamble and the closing matter (for all measures), in the
    notes of measures, in the text of items that are not measures (sections, the goal and
    closing sections) and in paragraphs left between items.
    """
    rules: list[str] = []
    later_rules: list[str] = []
    placed: list[_Placed] = []
    understood: set[str] = set()

    def free(texts: list[str], at: float, *, strict: bool, everywhere: bool = False) -> None:
        for text in texts:
            parse = find_doc_rules(text, strict=strict)
            if parse.rule:
                (rules if not strict else later_rules).append(parse.rule)
            for remark in parse.remarks:
                placed.append(_Placed(replace(remark, scope="all") if everywhere else remark, at))
                understood.add(text)

    free([*head], -math.inf, strict=False, everywhere=True)
    for index, item in enumerate(items):
        free(item.node.leading, index - 0.5, strict=True)
        if measure_flags[index]:
            for parse in item.parses:
                placed += [_Placed(remark, index) for remark in parse.remarks]
        else:
            free(item.paras, index, strict=True)
    free(back, math.inf, strict=False, everywhere=True)
    rules += [p.rule for i in items for p in i.parses if p.rule] + later_rules
    return _DocRules(rules[0] if rules else None, placed, understood)


def _measure(
    item: Item, title: str, body: str, section_code: str | None, rules: _DocRules, index: int
) -> ParsedMeasure:
    resolution = resolve(item.parses, first_listed_leads=rules.lead_rule is not None)
    generic = resolution.generic + [
        g
        for g in rules.generic_at(index)
        if g not in resolution.generic and g not in resolution.units
    ]
    warnings = list(resolution.warnings)
    if _LEFT_IN_TEXT.search(body):
        warnings.append("正文中仍有“责任单位/牵头单位”字样，注释可能未被完整识别")
    if not body:
        warnings.append("条目没有正文")
    added = [g for g in generic if g not in resolution.generic]
    evidence, confidence = evidence_of(item.notes, resolution, added, warnings)
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
        evidence=evidence,
        confidence=confidence,
    )


@dataclass
class _Kind:
    """What an item is: a measure, a section, or both (a heading with its own note)."""

    title: str
    body: str
    goal: bool
    is_measure: bool
    is_section: bool


def _kind(item: Item, closing: bool) -> _Kind:
    node = item.node
    title, body = _title_and_text(item.paras)
    if not title and node.children and not item.notes and len(item.paras) == 1:
        words = item.paras[0]  # 一、发展民生事业，解决急难愁盼: a heading with a comma
        if len(words) <= 30 and not any(c in words for c in "。；：！？"):
            title, body = words, ""
    goal = not item.notes and _in_goal_section(node, title)
    is_measure = not closing and (
        bool(item.notes) or (not node.children and not goal and (node.level > 1 or bool(body)))
    )
    is_section = bool(node.children) or not is_measure or node.level == 1
    return _Kind(title, body, goal, is_measure, is_section)


def parse_notice_text(text: str) -> ParsedNotice:
    """Parse the decoded text of a notice. Raises ``NoticeFormatError`` for non-notices."""
    if len(text) > MAX_CHARS:
        raise NoticeFormatError(
            f"文字过多：共 {len(text) // 10_000} 万字，超过一份通知的读取限制"
            f"（{MAX_CHARS // 10_000} 万字），已拒绝导入"
        )
    lines = normalise_lines(rewrite_tables(text))
    if not lines:
        raise NoticeFormatError("文件为空：没有任何文字")
    source = "\n".join(line.text for line in lines)
    _check_plausible(source)
    outline = build_outline(join_fragments(lines))
    split_ordinal_parts(outline.walk())
    items = merge_enumerations([prepare(node) for node in outline.walk()])
    outline, items = attachment_outline(outline, items)
    if not items:
        raise NoticeFormatError(
            "未找到任何条目：文中没有“一、”“（一）”“1.”这样的编号条目，不是可识别的通知文本"
        )
    closing, closing_warnings = closing_sections(outline.roots, items)
    articles, article_warnings = closing_articles(items, closing)
    closing |= articles
    closing_warnings += article_warnings
    trailing, trailing_warnings = closing_items(items, closing)
    closing |= trailing
    closing_warnings += trailing_warnings
    # a closing article is back matter: 本措施自…起施行 gives the effective date
    article_texts = ["".join(item.paras) for item in items if id(item.node) in articles]
    meta = read_metadata(outline.head, article_texts + outline.back)
    kinds = [_kind(item, id(item.node) in closing) for item in items]
    rules = _doc_rules(
        [p.text for p in outline.head], outline.back, items, [k.is_measure for k in kinds]
    )

    sections: list[ParsedSection] = []
    measures: list[tuple[ParsedMeasure, Item]] = []
    headline: list[ParsedTarget] = [t for p in meta.preamble for t in find_targets(p)]
    for index, (item, kind) in enumerate(zip(items, kinds, strict=True)):
        node = item.node
        if id(node) in articles:  # back matter, numbered like the articles before it
            continue
        parent_code = node.parent.code if node.parent else None
        if kind.is_section:
            sections.append(
                ParsedSection(node.code, node.number, kind.title, node.level, parent_code)
            )
        if kind.goal:
            headline += find_targets("\n".join(item.paras))
        if kind.is_measure:
            section_code = node.code if kind.is_section else parent_code
            measure = _measure(item, kind.title, kind.body, section_code, rules, index)
            measures.append((measure, item))
    if not measures:
        raise NoticeFormatError("未找到任何条目：文中的编号标题下没有可识别的工作内容")
    _mark_headings(measures)

    warnings = list(meta.warnings) + outline.warnings + closing_warnings
    warnings += [
        f"有段落未归入任何条目：{p[:24]}…" for p in outline.orphans if p not in rules.understood
    ]
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
