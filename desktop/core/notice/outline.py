"""The outline of a notice: paragraphs, page-break joins and the tree 一、 → （一） → 1. → （1）.

Input is the list of normalised lines from ``text``. First, fragments that a page break
or a hard line wrap cut off are joined back (重大科学基础设 + 施 → 重大科学基础设施).
Then every paragraph is placed: the front matter and preamble before the first numbered
item, numbered items as nodes of a tree (an item glued to the end of the previous one,
``…全覆盖。3. 孵化服务方面``, is split off when its number continues the sequence),
responsible-unit notes on a line of their own attached to the item they follow, and the
closing paragraphs (施行 date, signature, 抄送, 印发) kept apart as back matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.core.notice.brackets import opening_of_final
from desktop.core.notice.text import Line, chinese_number, is_date_line
from desktop.core.notice.unit_notes import NOTE_LINE_RE, is_note_body

_CN = "一二三四五六七八九十"
_ITEM_RES: list[tuple[int, re.Pattern[str]]] = [
    (2, re.compile(rf"^（([{_CN}]{{1,3}})）[、，．.]?")),
    (1, re.compile(rf"^([{_CN}]{{1,3}})[、．.]")),
    (4, re.compile(r"^（(\d{1,3})）")),
    (3, re.compile(r"^(\d{1,3})(?:[、]|[.](?!\d))")),
]
_GLUED = re.compile(
    rf"(?<=[。！？）])(?:（[{_CN}]{{1,3}}）|[{_CN}]{{1,3}}、"
    r"|\d{1,3}[.、](?!\d)|（\d{1,3}）)"
)
_TERMINAL = "。；！？：!?;:"
# Real paragraphs stay far below this; the bound keeps joining linear on unpunctuated junk.
_MAX_PARAGRAPH = 4000
_CLOSING_PUNCT = "。，、；：！？）》」”’"
_NOTE_HINT = re.compile(r"责任单位|牵头|配合|负责")
_BACK_RE = re.compile(
    r"^本(?:实施)?(?:意见|通知|办法|方案|规定|细则|措施|若干措施|规划|计划|决定|政策|条例|行动方案)"
    r"[^。]{0,30}?(?:自|于|由).{0,40}?(?:施行|实施|执行|生效|负责解释)"
    r"|^（此件[^）]*）$|^抄送|^抄报|^附件[:：]?\d*[:：]?[^。，；]{0,40}$"
    r"|^[^。，]{2,30}办公(?:厅|室)\d{4}年"
)
_CLOSING_RE = re.compile(
    r"^(?:各地各部门|各地、各部门|各级各部门|各地区各部门"
    r"|各有关部门|各地区、各部门)"
)
_SIGNATURE_RE = re.compile(r"^[^。，；：]{2,30}(?:政府|办公厅|办公室|委员会|厅|局|委|部|院|会)$")
# front-matter lines that stand alone however long:
# 广西壮族自治区人民政府办公厅文件, 桂政办发〔2026〕18号
_MASTHEAD_RE = re.compile(
    r"^[^。，；：]{2,30}文件$"
    r"|^[\u4e00-\u9fff]{1,12}\s*[〔\[【［（]\s*(?:19|20)\d{2}\s*[〕\]】］）]\s*第?\s*\d{1,4}\s*号$"
)
TITLE_END_RE = re.compile(
    r"(?:意见|通知|方案|办法|规定|细则|措施|规划|计划|决定|批复|纲要|条例|函|公告|通报)"
    r"(?:（(?:试行|暂行|修订|(?:19|20)\d{2}(?:年)?(?:[—–\-－~～至到](?:19|20)\d{2}年?)?)）)?$"
)


def is_title_text(text: str) -> bool:
    """A line that reads as a document title: 关于…的意见, or …行动方案（2026—2028年）."""
    if not TITLE_END_RE.search(text) or len(text) > 80:
        return False
    return "关于" in text or not any(c in text for c in "。，、；：！？")


@dataclass
class Para:
    """A paragraph after page-break joins."""

    text: str
    marked: bool = False


@dataclass
class Node:
    """A numbered item of the outline with its own paragraphs and notes."""

    level: int
    number: str
    value: int
    code: str
    parent: Node | None
    paras: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    closed: bool = False
    # paragraphs between the previous item's note and this item that belong to neither
    leading: list[str] = field(default_factory=list)


@dataclass
class Outline:
    """The notice split into front matter, the item tree and back matter."""

    head: list[Para]
    roots: list[Node]
    back: list[str]
    orphans: list[str]
    warnings: list[str]

    def walk(self) -> list[Node]:
        """All nodes in document order."""
        out: list[Node] = []
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out


def match_item(text: str) -> tuple[int, str, int, str] | None:
    """``(level, number, value, rest)`` when ``text`` starts a numbered item."""
    for level, pattern in _ITEM_RES:
        m = pattern.match(text)
        if m:
            value = chinese_number(m.group(1))
            if value is None or value == 0:
                return None
            number = f"（{m.group(1)}）" if level in (2, 4) else m.group(1)
            return level, number, value, text[m.end() :].strip()
    return None


def is_heading_rest(rest: str) -> bool:
    """Text after an item number that is only a heading, not a sentence."""
    return len(rest) <= 40 and not any(c in rest for c in "。；，")


def is_heading_text(text: str) -> bool:
    """A numbered heading with no sentence of its own (一、分领域提升…)."""
    item = match_item(text)
    return item is not None and is_heading_rest(item[3])


def is_note_paragraph(text: str) -> bool:
    """A paragraph that is only a responsible-units note (own-line or bracketed)."""
    if NOTE_LINE_RE.match(text):
        return True
    if text.startswith("（") and opening_of_final(text.rstrip("。")) == 0:
        inner = text.rstrip("。")[1:-1]
        return _NOTE_HINT.search(inner) is not None and is_note_body(inner, at_end=True)
    return False


def _ends_terminal(text: str) -> bool:
    last = text[-1]
    if last in _TERMINAL:
        return True
    if last in "”’" and len(text) > 1 and text[-2] in _TERMINAL:
        return True
    if last in "）〕】]":
        start = opening_of_final(text)
        if start == 0 or (start > 0 and text[start - 1] in _TERMINAL):
            return True
        return start > 0 and is_note_body(text[start + 1 : -1], at_end=True)
    return False


def _open_ended(text: str) -> bool:
    """A paragraph ending in 、，（ or an opening quote: certainly cut mid-sentence."""
    return text[-1] in "、，（“《"


def _unbalanced(text: str) -> bool:
    """A paragraph with a bracket or quotation left open: probably cut mid-note."""
    return text.count("（") > text.count("）") or text.count("“") > text.count("”")


def _is_fragment(para: Para) -> bool:
    text = para.text
    if para.marked:
        return False
    if _open_ended(text) or _unbalanced(text):
        return True
    if _ends_terminal(text) or is_date_line(text) or is_heading_text(text):
        return False
    if NOTE_LINE_RE.match(text) or is_title_text(text):
        return False
    if _MASTHEAD_RE.match(text):
        return False
    return len(text) >= 15 or any(c in text for c in "，、；：“”（）")


def _continues(para: Para, previous: Para) -> bool:
    text = para.text
    if para.marked:
        return False
    if _open_ended(previous.text):
        return True
    if match_item(text) or is_date_line(text) or _BACK_RE.match(text) or _MASTHEAD_RE.match(text):
        return False
    return _unbalanced(previous.text) or not is_note_paragraph(text)


def join_fragments(lines: list[Line]) -> list[Para]:
    """Join paragraphs cut by a page break or a hard line wrap."""
    paras: list[Para] = []
    for line in lines:
        para = Para(line.text, line.marked)
        if paras and not (paras[-1].marked or para.marked) and para.text[0] in _CLOSING_PUNCT:
            paras[-1] = Para(paras[-1].text + para.text)  # a line cannot start with 。，、）
        elif (
            paras
            and len(paras[-1].text) < _MAX_PARAGRAPH
            and _is_fragment(paras[-1])
            and _continues(para, paras[-1])
        ):
            paras[-1] = Para(paras[-1].text + para.text, paras[-1].marked)
        else:
            paras.append(para)
    return paras


def ends_with_note(text: str) -> bool:
    """Whether a paragraph ends with a responsible-units note ``（…）``."""
    tail = text.rstrip("。；")
    start = opening_of_final(tail)
    if start < 0 or not tail.endswith("）"):
        return False
    at_end = start == 0 or tail[start - 1] in _TERMINAL
    return is_note_body(tail[start + 1 : -1], at_end=at_end)


def _has_body(node: Node) -> bool:
    return any(not is_heading_rest(p) for p in node.paras)


class _Builder:
    """Places paragraphs into the outline, one at a time."""

    def __init__(self) -> None:
        self.head: list[Para] = []
        self.roots: list[Node] = []
        self.stack: list[Node] = []
        self.last: dict[int, int] = {}
        self.current: Node | None = None
        self.pending: list[str] = []
        self.orphans: list[str] = []
        self.warnings: list[str] = []

    def expected(self, level: int, value: int) -> bool:
        if value == self.last.get(level, 0) + 1:
            return True
        return value == 1 and (self.current is None or self.current.level < level)

    def open_item(self, level: int, number: str, value: int) -> None:
        previous = self.last.get(level, 0)
        if value not in (1, previous + 1):
            self.warnings.append(f"编号不连续：{number} 的前一条编号为 {previous or '无'}")
        self.orphans.extend(self.pending)
        leading, self.pending = self.pending, []
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        code = f"{parent.code}.{number}" if parent else number
        node = Node(level, number, value, code, parent, leading=leading)
        (parent.children if parent else self.roots).append(node)
        self.stack.append(node)
        self.current = node
        self.last[level] = value

    def glued_split(self, text: str) -> int:
        """Where an item glued to the end of a sentence starts, or -1."""
        for m in _GLUED.finditer(text):
            item = match_item(text[m.start() :])
            if not item or not self.expected(item[0], item[2]):
                continue
            # 一、/（一） glued on must be a heading (…。三、四季度继续推进，… is not)
            if item[0] <= 2 and not is_heading_rest(re.split("[。：]", item[3], maxsplit=1)[0]):
                continue
            return m.start()
        return -1

    def add(self, text: str) -> None:
        item = match_item(text)
        if item is not None:
            level, number, value, rest = item
            self.open_item(level, number, value)
            if rest:
                self.add_content(rest)
        elif self.current is not None and is_note_paragraph(text):
            self.current.notes.append(text)
            self.current.closed = _has_body(self.current)
        else:
            self.add_content(text)

    def add_content(self, text: str) -> None:
        node = self.current
        if node is None:
            return
        cut = self.glued_split(text)
        if cut > 0:
            self.add_content(text[:cut])
            self.add(text[cut:])
        elif node.closed:
            self.pending.append(text)
        else:
            node.paras.append(text)
            node.closed = ends_with_note(text) and _has_body(node)

    def back_matter(self) -> list[str]:
        back = self.pending
        node = self.current
        if node is not None and not node.closed:
            while len(node.paras) > 1 and (
                _CLOSING_RE.match(node.paras[-1]) or _SIGNATURE_RE.match(node.paras[-1])
            ):
                back.insert(0, node.paras.pop())
        return back


def build_outline(paras: list[Para]) -> Outline:
    """Place every paragraph into front matter, the item tree or back matter."""
    builder = _Builder()
    back: list[str] = []
    for i, para in enumerate(paras):
        if builder.roots and (_BACK_RE.match(para.text) or is_date_line(para.text)):
            back = builder.back_matter() + [p.text for p in paras[i:]]
            break
        if not builder.roots and match_item(para.text) is None:
            builder.head.append(para)
        else:
            builder.add(para.text)
    else:
        back = builder.back_matter()
    return Outline(builder.head, builder.roots, back, builder.orphans, builder.warnings)
