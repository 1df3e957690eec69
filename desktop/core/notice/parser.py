"""Parse a notice: text in, ``ParsedNotice`` out.

The stages are: rewrite task tables whose cells were kept apart (``tables``), normalise
the text (``text``), join page-break fragments and build the outline tree from the
paragraphs read as token streams (``outline``), read the metadata (``metadata``), find
the responsible-unit notes of every item and the document-wide rules (``unit_notes``),
decide which items are measures and which are sections, collect quantitative targets
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

from desktop.core.notice.brackets import opening_of_final
from desktop.core.notice.evidence import evidence_of
from desktop.core.notice.files import read_notice_file
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
    NOTE_OPENERS,
    NoteParse,
    Remark,
    find_doc_rules,
    parse_note,
    resolve,
    split_notes,
)
from desktop.errors import NoticeFormatError

# a notice of 10,000 measures is about 700,000 characters; parsing is linear in the text
MAX_CHARS = 1_000_000
_GOAL_RE = re.compile(r"总体要求|指导思想|基本原则|主要目标|发展目标|工作目标|总体目标|总体思路")
_LEAD_PHRASE = re.compile(r"^([^。：，；]{1,30}?)[。：]")
_CJK_CHAR = re.compile(f"[{CJK}]")
_LEFT_IN_TEXT = re.compile(r"责任单位|牵头单位")
_CLOSING_CORE = (
    r"组织实施|组织保障|组织领导|组织推进|组织协调|实施保障|工作保障|保障措施|保障机制|支撑保障"
    r"|工作要求|实施要求|有关要求|相关要求|其他要求|其他事项|附则|党的领导"
    r"|贯彻落实|推进落实|督促落实|工作落实|责任落实|抓好落实|狠抓落实|落实机制|统筹协调|协调推进"
    r"|工作机制|推进机制|协调机制|督促检查|督导检查|监督检查|督查考核|考核评估|评估考核|督导评估"
    r"|跟踪评估|督促指导|保障|领导"
)
_CLOSING_TITLE = re.compile(
    r"^(?:进一步|切实|全面|认真|着力)?"
    r"(?:加强|强化|完善|健全|建立健全|落实|抓好|做好|狠抓|压实|夯实|严格|注重|确保|优化|坚持)?"
    rf"(?:{_CLOSING_CORE})(?:[和与及、]?(?:{_CLOSING_CORE}))*(?:措施|工作|机制|体系)?$"
)


# a closing article: 本措施自…起施行 / 有效期至… / 本办法由…负责解释 / 原…同时废止
_DOCUMENT = (
    r"本(?:实施|若干|行动|工作)?(?:意见|通知|办法|方案|规定|细则|措施|规划|计划|决定|政策|条例|规则"
    r"|政策措施|实施细则|实施方案|行动方案|工作方案|若干措施)"
)
_CLOSING_ARTICLE = re.compile(
    rf"^{_DOCUMENT}[^。]{{0,40}}?(?:施行|起实施|起执行|生效|有效期|负责解释|解释权)"
    rf"|^(?:{_DOCUMENT})?有效期(?:为|至|自|截至)"
    rf"|^[^。]{{0,40}}?(?:与{_DOCUMENT}不一致的|同时废止|停止执行)"
)


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
    if note.startswith(NOTE_OPENERS) and opening_of_final(note) == 0:
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
            and all(c.node.level >= 4 and not c.node.children for c in children)
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


def _heading_words(paras: list[str]) -> str:
    """The heading of an item: its first paragraph up to the first sentence break."""
    return re.split("[。：，；:]", paras[0], maxsplit=1)[0].strip() if paras else ""


def _label(node: Node, words: str) -> str:
    """三、组织实施 / （五）加强组织领导 / 9.强化保障."""
    if node.number.startswith("（"):
        return f"{node.number}{words}"
    return f"{node.number}{'、' if node.level == 1 else '.'}{words}"


def _subtree(node: Node) -> list[Node]:
    out = [node]
    for child in node.children:
        out += _subtree(child)
    return out


def _closing_sections(roots: list[Node], items: list[_Item]) -> tuple[set[int], list[str]]:
    """Trailing top-level sections that are guarantee clauses, not measures.

    A top-level section after the last one that holds any responsible-units note, whose
    title is a closing heading (组织实施, 保障措施, 加强组织领导 …) and which holds no note
    itself. Returns the ids of their nodes (children included) and a warning for each.
    """
    by_node = {id(item.node): item for item in items}

    def noted(root: Node) -> bool:
        return any(by_node[id(n)].notes for n in _subtree(root) if id(n) in by_node)

    flags = [noted(root) for root in roots]
    if not any(flags):
        return set(), []
    last = max(i for i, flag in enumerate(flags) if flag)
    ids: set[int] = set()
    warnings: list[str] = []
    for root in roots[last + 1 :]:
        item = by_node.get(id(root))
        words = _heading_words(item.paras) if item else ""
        if not words or len(words) > 20 or not _CLOSING_TITLE.match(words):
            continue
        ids.update(id(n) for n in _subtree(root))
        warnings.append(f"“{_label(root, words)}”未列责任单位，按保障条款处理，未作为条目")
    return ids, warnings


def _closing_articles(items: list[_Item], closing: set[int]) -> tuple[set[int], list[str]]:
    """Trailing items that only say when the document takes effect or who explains it.

    ``第十六条 本措施自2025年5月1日起施行，有效期至2027年12月31日。`` and
    ``第十七条 本措施由省经济和信息化厅负责解释。`` close a document of articles as 本意见自…
    施行 closes one of sections: items without a note and without children, after the last
    item with a note, whose first sentence is such a clause. Returns their ids and a warning
    for each.
    """
    ids: set[int] = set()
    warnings: list[str] = []
    for item in reversed(items):
        node = item.node
        if id(node) in closing:
            continue
        if item.notes or node.children or not item.paras:
            break
        first = re.split("[。；]", item.paras[0], maxsplit=1)[0]
        if not _CLOSING_ARTICLE.match(first):
            break
        ids.add(id(node))
        warnings.insert(0, f"“{node.number}”是施行、有效期或解释条款，未作为条目")
    return ids, warnings


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
    head: list[str], back: list[str], items: list[_Item], measure_flags: list[bool]
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
    item: _Item, title: str, body: str, section_code: str | None, rules: _DocRules, index: int
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


def _kind(item: _Item, closing: bool) -> _Kind:
    node = item.node
    title, body = _title_and_text(item.paras)
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
    items = _merge_enumerations([_prepare(node) for node in outline.walk()])
    if not items:
        raise NoticeFormatError(
            "未找到任何条目：文中没有“一、”“（一）”“1.”这样的编号条目，不是可识别的通知文本"
        )
    closing, closing_warnings = _closing_sections(outline.roots, items)
    articles, article_warnings = _closing_articles(items, closing)
    closing |= articles
    closing_warnings += article_warnings
    # a closing article is back matter: 本措施自…起施行 gives the effective date
    article_texts = ["".join(item.paras) for item in items if id(item.node) in articles]
    meta = read_metadata(outline.head, article_texts + outline.back)
    kinds = [_kind(item, id(item.node) in closing) for item in items]
    rules = _doc_rules(
        [p.text for p in outline.head], outline.back, items, [k.is_measure for k in kinds]
    )

    sections: list[ParsedSection] = []
    measures: list[tuple[ParsedMeasure, _Item]] = []
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
