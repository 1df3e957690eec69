"""The outline of a notice: paragraphs, page-break joins and the tree 一、 → （一） → 1. → （1）.

Input is the list of normalised lines from ``text``. First, fragments that a page break
or a hard line wrap cut off are joined back (重大科学基础设 + 施 → 重大科学基础设施).
Then every paragraph is read as a stream of tokens — item numbers, notes (bracketed,
labelled or bare), the start of the back matter — and placed: the front matter and
preamble before the first numbered item, numbered items as nodes of a tree, notes
attached to the item they follow, and the closing paragraphs (施行 date, signature, 抄送,
印发) kept apart as back matter. An item number counts wherever it stands in a
paragraph when it continues the numbering after the end of a sentence, a note, a colon
or the heading being read (``…全覆盖。3. 孵化服务方面``, ``（一）强化科技服务1. 研发``),
so text copied without its line breaks and text hard-wrapped at any width give the
same tree as the printed paragraphs; line breaks only help where they exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.core.notice.brackets import opening_of_final, split_top
from desktop.core.notice.numbering import (
    GLUED,
    heading_before_child,
    is_heading_rest,
    match_bare_number,
    match_item,
    match_item_at,
)
from desktop.core.notice.paragraphs import BACK_RE, TERMINAL, Para, is_note_paragraph
from desktop.core.notice.text import DATE_RE, is_date_line
from desktop.core.notice.unit_notes import (
    NOTE_CLOSERS,
    NOTE_LINE_RE,
    NOTE_OPENERS,
    TRAILING_DEADLINE,
    bare_note_start,
    is_note_body,
    note_groups,
)

_AFTER_SENTENCE = "。！？）〕】；”"
# a note written without brackets, ending a row of a flattened table: …配合；各州（市）落实
_BARE_NOTE_END = re.compile(r"(?:牵头|配合|负责|落实|参与|协同|协助|实施)$")
_BARE_AFTER_NOTE = re.compile(r"(?<=[头合责实与同助施前底末成持进])\d{1,3}(?=[\u4e00-\u9fff])")
_CLOSING_RE = re.compile(
    r"^(?:各地各部门|各地、各部门|各级各部门|各地区各部门"
    r"|各有关部门|各地区、各部门)"
)
_CLOSING_AFTER_NOTE = re.compile(
    r"(?<=[）〕】])(?:各地各部门|各地、各部门|各级各部门|各地区各部门|各有关部门|各地区、各部门)"
)
_SIGNATURE_RE = re.compile(r"^[^。，；：]{2,30}(?:政府|办公厅|办公室|委员会|厅|局|委|部|院|会)$")


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
    # the paragraphs from where the back matter starts, as read (attachments included)
    back_paras: list[Para] = field(default_factory=list)

    def walk(self) -> list[Node]:
        """All nodes in document order."""
        out: list[Node] = []
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out


def ends_with_note(text: str) -> bool:
    """Whether a paragraph ends with a responsible-units note ``（…）``."""
    tail = text.rstrip("。；")
    start = opening_of_final(tail)
    if start < 0 or not tail.endswith(NOTE_CLOSERS):
        last = split_top(tail, "。！？")[-1]
        start = bare_note_start(last)
        return start > 0 or (start == 0 and last != tail)
    at_end = start == 0 or tail[start - 1] in TERMINAL
    return is_note_body(tail[start + 1 : -1], at_end=at_end)


_HEADING_WITH_NOTE = 300  # a heading and its note are never longer


def _without_final_note(text: str) -> str:
    """``扩大文旅消费（责任单位：A，B）`` → ``扩大文旅消费``: a paragraph without the note
    it ends with."""
    tail = text.rstrip("。；")
    start = opening_of_final(tail)
    if (
        start > 0
        and tail.endswith(NOTE_CLOSERS)
        and is_note_body(tail[start + 1 : -1], at_end=True)
    ):
        return tail[:start]
    return text


def _has_body(node: Node) -> bool:
    """Whether the item has text beyond its heading: a heading with its note after it
    (（二）扩大文旅消费（责任单位：A，B，C）) still waits for its body on the next line."""
    return any(
        len(p) > _HEADING_WITH_NOTE or not is_heading_rest(_without_final_note(p))
        for p in node.paras
    )


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
        self.bare = False  # items numbered 1推进… (a flattened table)
        self.codes: dict[str, int] = {}

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
        seen = self.codes.get(code, 0)
        self.codes[code] = seen + 1
        if seen:  # the same number twice under one heading: keep both, each with its own code
            code = f"{code}#{seen + 1}"
            self.codes[code] = 1
            self.warnings.append(
                f"编号重复：{number} 在同一标题下再次出现，第 {seen + 1} 次编为 {code}"
            )
        node = Node(level, number, value, code, parent, leading=leading)
        (parent.children if parent else self.roots).append(node)
        self.stack.append(node)
        self.current = node
        self.last[level] = value

    def glued_split(self, text: str, pos: int = 0) -> int:
        """Where an item glued into the paragraph after ``pos`` starts, or -1.

        The paragraph is read as a stream: an item number counts wherever it stands when it
        continues the numbering and follows the end of a sentence or a note (…。3. / …）3.),
        a colon (具体包括：（1）), the heading of the item being read (（一）强化科技服务1.),
        or a note written without brackets (…配合2推进…). So one-line web copy, hard-wrapped
        PDF text and Word paragraphs are cut at the same places.
        """
        node = self.current
        # the heading of the item being read, possibly begun on the line before
        heading = -1
        if node is not None and not node.notes:
            if not node.paras:
                heading = 0
            elif len(node.paras) == 1 and is_heading_rest(node.paras[0]):
                heading = len(node.paras[0])
        for m in GLUED.finditer(text, pos + 1):
            item = match_item_at(text, m.start())
            if not item or not self.expected(item[0], item[2]):
                continue
            # 一、/（一） glued on must be a heading (…。三、四季度继续推进，… is not), unless
            # it follows a note: 四、完善政策支持体系 run into its text after （责任单位：…）
            after = text[item[3] : item[3] + 64]
            if (
                item[0] <= 2
                and not is_heading_rest(re.split("[。：；]", after, maxsplit=1)[0])
                and not heading_before_child(text, item[3], item[0], self.expected)
                and not (m.start() - pos < 4000 and ends_with_note(text[pos : m.start()]))
            ):
                continue
            last = text[m.start() - 1]
            if last in _AFTER_SENTENCE or (last == "：" and item[0] >= 3):
                return m.start()
            if (
                heading >= 0
                and heading + m.start() - pos <= 40
                and (
                    is_heading_rest(text[pos : m.start()])
                    or (  # 发展民生事业，解决急难愁盼（一）…: a comma in the heading
                        node is not None
                        and item[0] > node.level
                        and not any(c in text[pos : m.start()] for c in "。；：")
                    )
                )
            ):
                return m.start()
            if self._after_bare_note(text, pos, m.start()):
                return m.start()
        return self._bare_split(text, pos)

    def _after_bare_note(self, text: str, pos: int, at: int) -> bool:
        """Text ending at ``at`` with a note that has no brackets (…省财政厅牵头；省科技厅
        配合) or with a labelled note run into the paragraph (…。牵头单位：A责任单位：B)."""
        start = max(pos, at - 240)
        tail = split_top(text[start:at], "。！？")[-1]
        deadline = TRAILING_DEADLINE.search(tail)
        if deadline and deadline.start() > 0:
            tail = tail[: deadline.start()]
        if not tail or ("：" not in tail and not _BARE_NOTE_END.search(tail)):
            return False
        return bare_note_start(tail) >= 0

    def _bare_split(self, text: str, pos: int) -> int:
        """Where a bare number (2推进…) starts after a note without brackets, or -1."""
        if not self.bare:
            return -1
        for m in _BARE_AFTER_NOTE.finditer(text, pos + 1):
            item = match_bare_number(text, m.start())
            if item and self.expected(3, item[2]) and self._after_bare_note(text, pos, m.start()):
                return m.start()
        return -1

    def _leading_note(self, text: str) -> int:
        """The length of the note a paragraph starts with (``（责任单位：…）``, a label
        run ``牵头单位：A责任单位：B`` up to the next item number), or 0."""
        if NOTE_LINE_RE.match(text):
            cut = self.glued_split(text, 0)
            return cut if cut > 0 else len(text)
        if is_note_paragraph(text):
            return len(text)
        if text.startswith(NOTE_OPENERS):
            spans = note_groups(text[:4000])
            if spans and spans[0][0] == 0:
                end = spans[0][1]
                while end < len(text) and text[end] in "。；":
                    end += 1
                if is_note_paragraph(text[:end]):
                    return end
        return 0

    def _item_at(self, text: str, pos: int) -> tuple[int, str, int, int] | None:
        item = match_item_at(text, pos)
        if item is None and (self.bare or not self.roots):
            bare = match_bare_number(text, pos)
            if bare is not None and self.expected(3, bare[2]):
                self.bare = True
                return bare
        return item

    def add(self, text: str) -> None:
        """Read one paragraph: item numbers, notes and text, wherever they stand in it."""
        pos = 0
        item = self._item_at(text, 0)
        if item is None and self.current is not None:
            end = self._leading_note(text)
            if end > 0:  # a note on its own line, or at the start of a run-on line
                self.current.notes.append(text[:end].strip())
                self.current.closed = _has_body(self.current)
                pos = end
                while pos < len(text) and text[pos] == " ":
                    pos += 1
                if pos >= len(text):
                    return
                item = self._item_at(text, pos)
        while True:
            if item is not None:
                level, number, value, pos = item
                self.open_item(level, number, value)
                while pos < len(text) and text[pos] == " ":
                    pos += 1
            cut = self.glued_split(text, pos) if pos < len(text) else -1
            segment = text[pos:cut] if cut > 0 else text[pos:]
            if segment.strip():
                self.add_content(segment.strip())
            if cut < 0:
                return
            pos = cut
            item = self._item_at(text, pos)

    def add_content(self, text: str) -> None:
        node = self.current
        if node is None:
            return
        closing = _CLOSING_AFTER_NOTE.search(text)
        if closing and ends_with_note(text[: closing.start()]):
            self.add_content(text[: closing.start()])
            self.add_content(text[closing.start() :])
            return
        if node.closed:
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


# where the back matter starts inside a paragraph: 本意见自…施行, （此件…）, 抄送：, or a
# signature with its date, after the end of a sentence or a note
_BACK_IN_TEXT = re.compile(
    r"(?<=[。！？）〕】])(?:"
    r"本(?:实施)?(?:意见|通知|办法|方案|规定|细则|措施|若干措施|规划|计划|决定|政策|条例|行动方案)"
    r"[^。]{0,30}?(?:自|于|由)[^。]{0,40}?(?:施行|实施|执行|生效|负责解释)"
    r"|（此件[^）]{0,12}）|抄送[：:]|抄报[：:]"
    rf"|[^。，；：！？）]{{2,30}}(?:政府|办公厅|办公室|委员会|厅|局|委)(?={DATE_RE.pattern}(?:印发)?(?:（|抄|$)))"
)
# where the numbered outline starts inside a front-matter paragraph: …现提出如下意见。一、…
_OUTLINE_START = re.compile(r"(?<=[。：！？])(?:一[、．.]|（一）|1[.、](?!\d)|（1）|①)")
# the header row of a table flattened to text: 序号重点任务责任单位完成时限
_TABLE_HEADER = re.compile(
    r"^序号(?:(?:重点|主要|工作|具体)?(?:任务|措施|举措|工作|内容|事项)(?:内容|名称|举措|措施)?"
    r"|牵头(?:单位|部门)|责任(?:单位|部门)|配合(?:单位|部门)|协同(?:单位|部门)"
    r"|完成(?:时限|时间)|时间节点|时限|备注|\s|[|｜])+"
)


def _back_cut(text: str) -> int:
    """Index in a paragraph where the back matter starts, 0 for a whole paragraph, or -1."""
    if BACK_RE.match(text) or is_date_line(text):
        return 0
    m = _BACK_IN_TEXT.search(text)
    return m.start() if m else -1


def _in_attachment_list(text: str, at: int) -> bool:
    """Whether ``text[at]`` stands in the covering letter's list of attachments
    (附件：1.…指标表2.…调度表), whose numbers are no measures."""
    start = text.rfind("附件", max(0, at - 160), at)
    return start >= 0 and not any(c in text[start:at] for c in "。；！？")


def _outline_cut(text: str) -> int:
    """Index in a front-matter paragraph where the numbered outline starts, or -1."""
    header = _TABLE_HEADER.match(text)
    if header and header.end() < len(text) and match_bare_number(text, header.end()):
        return header.end()
    for m in _OUTLINE_START.finditer(text):
        if _in_attachment_list(text, m.start()):
            continue
        item = match_item_at(text, m.start())
        if item is None or (
            item[0] <= 2
            and not is_heading_rest(
                re.split("[。：；]", text[item[3] : item[3] + 64], maxsplit=1)[0]
            )
            and not heading_before_child(text, item[3], item[0])
        ):
            return -1
        return m.start()
    return -1


# the covering letter's list of attachments: 附件：1.甲指标表 / 2.乙调度表
_ATTACHMENTS = re.compile(r"^附件[一二三四五六七八九十\d]{0,2}[：:]?")


def _attachment_entry(text: str, expected: int) -> bool:
    """A line that goes on with the list of attachments: the next number and a title."""
    item = match_item(text)
    if item is None:
        return False
    rest = item[3]
    return (
        item[2] == expected
        and is_heading_rest(rest)
        and not ends_with_note(rest)
        and "（" not in rest
    )


def build_outline(paras: list[Para]) -> Outline:
    """Place every paragraph into front matter, the item tree or back matter.

    A paragraph may hold the end of the front matter and the first items, or the last
    item and the back matter (text copied from a web page without its line breaks): it is
    cut where the outline or the back matter starts.
    """
    builder = _Builder()
    back: list[str] = []
    back_paras: list[Para] = []
    queue = list(reversed(paras))
    attachments = 0  # the number the covering letter's list of attachments goes on with
    while queue:
        para = queue.pop()
        if not builder.roots:
            listed = _ATTACHMENTS.match(para.text)
            if listed and "。" not in para.text:
                builder.head.append(para)
                titles = para.text[listed.end() :].strip()
                item = match_item(titles)
                attachments = item[2] + 1 if item else 0 if titles else 1
                continue
            if attachments and _attachment_entry(para.text, attachments):
                builder.head.append(para)
                attachments += 1
                continue
            attachments = 0
        starts = builder.roots or match_item(para.text) is not None
        if starts:
            cut = _back_cut(para.text)
            if cut == 0 and builder.roots:
                back_paras = [para, *reversed(queue)]
                back = builder.back_matter() + split_back([p.text for p in back_paras])
                break
            if cut > 0:
                queue += [Para(para.text[cut:]), Para(para.text[:cut], para.marked)]
                continue
        if not builder.roots and match_item(para.text) is None:
            cut = _outline_cut(para.text)
            if cut > 0:
                builder.head.append(Para(para.text[:cut], para.marked))
                queue.append(Para(para.text[cut:]))
                continue
            if cut == 0 or match_bare_number(para.text) is None or _TABLE_HEADER.match(para.text):
                builder.head.append(para)
                continue
        builder.add(para.text)
    else:
        back = builder.back_matter()
    return Outline(builder.head, builder.roots, back, builder.orphans, builder.warnings, back_paras)


_BACK_PIECES = re.compile(r"(?<=。)|(?=（此件)|(?=抄送[：:])|(?=抄报[：:])|(?<=日印发)")
_DATE_AT_END = re.compile(rf"{DATE_RE.pattern}(?:印发|发布|签发)?$")


def split_back(texts: list[str]) -> list[str]:
    """The back matter as one line per part: 施行 sentence, signature, date, 抄送, 印发."""
    out: list[str] = []
    for text in texts:
        for piece in _BACK_PIECES.split(text):
            piece = piece.strip()
            if not piece:
                continue
            m = _DATE_AT_END.search(piece)
            if m and m.start() > 0 and "。" not in piece and not piece[m.start() - 1].isdigit():
                out += [piece[: m.start()], piece[m.start() :]]
            else:
                out.append(piece)
    return out
