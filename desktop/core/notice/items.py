"""Items of a notice's outline with their notes, and the task tables attached below it.

An item is an outline node with its responsible-unit notes taken out of its paragraphs;
lists （1）（2）… whose last line alone carries the note fold into their item. When the body
names no unit at all, the measures are the rows of the task tables in its attachments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.notice.brackets import opening_of_final
from desktop.core.notice.outline import Node, Outline, build_outline
from desktop.core.notice.paragraphs import Para
from desktop.core.notice.unit_notes import NOTE_OPENERS, NoteParse, parse_note, split_notes

# where an attachment starts in the back matter: 附件 / 附件2 / 附件：…分工表
_ATTACHMENT_START = re.compile(r"^附件[一二三四五六七八九十\d]{0,2}(?:[：:]|$)")
_ATTACHMENT_LABEL = re.compile(r"^附件[一二三四五六七八九十\d]{1,2}")
_ATTACHMENT_TRIES = 4


@dataclass
class Item:
    """One outline node with its notes taken out of its paragraphs."""

    node: Node
    paras: list[str]
    notes: list[str]
    parses: list[NoteParse]
    merged: bool = False


def note_body(note: str) -> str:
    note = note.strip().rstrip("。；")
    if note.startswith(NOTE_OPENERS) and opening_of_final(note) == 0:
        return note[1:-1]
    return note


def prepare(node: Node) -> Item:
    paras: list[str] = []
    notes: list[str] = []
    for para in node.paras:
        text, found = split_notes(para)
        notes.extend(found)
        if text:
            paras.append(text)
    parses = [parse_note(note_body(n)) for n in notes]
    if node.notes:  # 牵头单位：… / 责任单位：… lines make one note together
        parses.append(parse_note("；".join(note_body(n) for n in node.notes)))
    return Item(node, paras, notes + node.notes, parses)


def body_as_preamble(outline: Outline) -> list[Para]:
    """The numbered body of a notice as plain paragraphs: 一、工作目标 / 到2028年，…"""
    paras: list[Para] = []
    for node in outline.walk():
        paras += [Para(text) for text in node.leading]
        mark = node.number if node.number.startswith(("（", "(")) else f"{node.number}、"
        texts = node.paras + node.notes
        paras += [Para(f"{mark}{texts[0]}" if i == 0 else text) for i, text in enumerate(texts)]
        if not texts:
            paras.append(Para(mark))
    return paras


def attachment_outline(outline: Outline, items: list[Item]) -> tuple[Outline, list[Item]]:
    """The outline of an attached task table when the body above it names no unit at all.

    A short body of principles (一、工作目标 二、重点任务…详见附件 三、保障措施) with the
    measures in 附件 重点任务分工表 is common: then the attachment's rows are the measures
    and the body is read as the preamble (its rules, such as 排在第一位的为牵头单位, still
    count). A body that names units keeps its own measures.
    """
    paras = outline.back_paras
    found: list[tuple[int, Outline, list[Item]]] = []
    after = 0  # attachment starts before this index were read with an earlier attachment
    starts = [i for i, p in enumerate(paras) if _ATTACHMENT_START.match(p.text)]
    for start in starts[:_ATTACHMENT_TRIES]:
        if start < after:
            continue
        sub = build_outline(paras[start + 1 :])
        sub_items = merge_enumerations([prepare(node) for node in sub.walk()])
        if any(item.notes for item in sub_items):
            found.append((start, sub, sub_items))
            after = len(paras) - len(sub.back_paras) if sub.back_paras else len(paras)
    if not found:
        return outline, items
    if any(item.notes for item in items):  # the body's own notes decide
        outline.warnings += [
            f"附件中另有 {len(sub_items)} 项列有责任单位的条目未导入，请核对附件"
            for _, _, sub_items in found
        ]
        return outline, items
    start, first, _ = found[0]
    roots: list[Node] = []
    merged_items: list[Item] = []
    warnings = [*outline.warnings, "正文未列责任单位，条目取自附件中的任务分工表"]
    orphans = list(outline.orphans)
    for k, (at, sub, sub_items) in enumerate(found):
        if k:  # a second table numbers from 1 again: its codes say which attachment
            label = _ATTACHMENT_LABEL.match(paras[at].text)
            prefix = label.group(0) if label else f"附件{k + 1}"
            for node in sub.walk():
                node.code = f"{prefix}.{node.code}"
        roots += sub.roots
        merged_items += sub_items
        warnings += sub.warnings
        orphans += sub.orphans
    last = found[-1][1]
    head = [*outline.head, *body_as_preamble(outline), *paras[: start + 1], *first.head]
    return Outline(head, roots, last.back, orphans, warnings, last.back_paras), merged_items


def merge_enumerations(items: list[Item]) -> list[Item]:
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
