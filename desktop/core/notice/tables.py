"""Task tables copied as text: a header row naming the columns, then the rows.

Many notices carry their measures in a table (序号 | 重点任务 | 牵头单位 | 配合单位 |
完成时限). Copied as text, a table comes in several shapes:

- its cells kept apart by tabs, runs of spaces or ``|`` (a Word or web table copied,
  Markdown), one row a line;
- its cells set apart by single spaces, a long task cell wrapped onto the next line, an
  empty cell leaving nothing behind;
- one cell a line, each cell itself wrapped at its column's width (the text layer of a
  ruled PDF table: ``省工业和信息化`` / ``厅``), the header repeated on every page.

The header is found in any of these shapes. A row whose cells all stand apart is read
cell by cell. Any other row runs from its number (the next of the table's count, or 1
after a section row 一、…) to the next row, section row, repeated header or the back
matter; its pieces (what stands between spaces, tabs and line breaks) are given to the
columns in order — the task takes any text, a unit column only a list of names that are
certainly units (``unit_names``), the deadline column only a deadline — and of the ways
to do so the one that breaks the fewest preferences wins: no two units run together in
one name, a lead cell filled, no unit left at the end of the task. Each row is
rewritten as the paragraph the parser reads everywhere else:
``3. 推进…。（牵头单位：A；配合单位：B、C）``; the deadline and remark columns are left
out. A table whose cells ran together (no separators at all) is read by the parser
itself: its numbers glued to the text and notes without brackets.
"""

from __future__ import annotations

import re

from desktop.core.notice.numbering import is_heading_rest, match_item
from desktop.core.notice.paragraphs import BACK_RE
from desktop.core.notice.table_rows import (
    EMPTY_CELLS,
    UNIT_COLUMNS,
    Budget,
    Row,
    column_widths,
    read_row,
)
from desktop.core.notice.text import is_date_line, is_page_number, normalise_fragment

_CELL_SEP = re.compile(r"[ \u3000]*(?:\t|[|｜])[ \u3000]*|[ \u3000]{2,}")
_ANY_SEP = re.compile(r"[\s\u3000|｜]+")
_MD_RULE_ROW = re.compile(r"^[\s|｜:：\-—]+$")
_TEXT_WORD = r"(?:任务|措施|举措|工作|内容|事项)"
_COLUMNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:序号|编号|序)$"), "number"),
    (re.compile(r"^牵头(?:责任)?(?:单位|部门)$"), "牵头单位"),
    (re.compile(r"^(?:主要)?责任(?:单位|部门|主体)$"), "责任单位"),
    (re.compile(r"^(?:配合|协同|参与|协办|共同)(?:责任)?(?:单位|部门)$"), "配合单位"),
    # the internal divisions of the issuing office: units only where no column names units
    (re.compile(r"^牵头(?:责任)?(?:处室|科室)$"), "division:牵头单位"),
    (re.compile(r"^(?:责任|承办)(?:处室|科室)$"), "division:责任单位"),
    (re.compile(r"^(?:配合|协同|参与|协办)(?:责任)?(?:处室|科室)$"), "division:配合单位"),
    (re.compile(r"^(?:完成)?(?:时限|时间|时间节点|期限)(?:要求)?$|^进度安排$"), "time"),
    # a person: 牵头省领导, 责任领导, 联系人 — a name is no unit
    (
        re.compile(
            r"^(?:牵头|责任|分管|联系|包抓|包联|挂钩|协调|督导)?(?:负责)?(?:省|市|县|区)?(?:级)?"
            r"(?:负责)?领导(?:同志)?$|^(?:责任人|联系人|联络员|联系电话|负责人)$"
        ),
        "person",
    ),
    (re.compile(r"^(?:备注|说明|目标|预期成效)$"), "skip"),
    (
        re.compile(
            rf"^(?:重点|主要|工作|具体|政策)?{_TEXT_WORD}(?:内容|名称|举措|措施|事项|任务)?"
            rf"(?:[及和与、]{_TEXT_WORD})?$"
        ),
        "text",
    ),
]
# a quick look before a line is split: can it hold a header cell at all?
_HEADER_HINT = re.compile(r"序号|编号|单位|部门|处室|任务|措施|举措|工作|内容|事项|时限|时间")
_TABLE_HINT = re.compile(r"(?:牵头|责任|配合|协同|参与|协办|共同)(?:责任)?(?:单位|部门|处室|主体)")
# where a row starts: its number alone, before a space or a tab, or glued to the task
_ROW_NUMBER = re.compile(
    r"^[|｜]?[ \u3000\t]*(\d{1,3})(?:[.、．](?!\d))?(?=[ \u3000\t|｜]|$|[\u4e00-\u9fff“《])"
)
_NOT_AFTER_NUMBER = "个家项年月日万亿元条座处所名次批号期届版级类倍台套户人千百多余%"
_TABLE_END = ("抄送", "抄报", "印发", "附件", "注：", "说明：")


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith(("|", "｜")):
        line = line[1:]
    if line.endswith(("|", "｜")):
        line = line[:-1]
    return [cell.strip() for cell in _CELL_SEP.split(line)]


def _role(cell: str) -> str | None:
    cell = cell.replace(" ", "")
    return next((r for pattern, r in _COLUMNS if pattern.match(cell)), None)


def _finish(roles: list[str]) -> list[str] | None:
    """The roles of a header's columns, its division columns (牵头处室) read as units only
    where no column names units; None when the header has no task or no unit column."""
    named = any(r in UNIT_COLUMNS for r in roles)
    roles = [
        ("skip" if named else r.removeprefix("division:")) if r.startswith("division:") else r
        for r in roles
    ]
    return roles if "text" in roles and any(r in UNIT_COLUMNS for r in roles) else None


def _header(cells: list[str]) -> list[str] | None:
    """The role of each column when ``cells`` is a task table's header row."""
    roles: list[str] = []
    for cell in cells:
        role = _role(cell)
        if role is None:
            return None
        roles.append(role)
    return _finish(roles)


def is_header_cell(text: str) -> bool:
    """A cell of a task table's header (序号, 重点任务, 牵头单位 …)."""
    return _role(text) is not None


def is_task_header(cells: list[str]) -> bool:
    """Whether the cells are the header row of a task table (序号 | 重点任务 | 牵头单位 …)."""
    return len(cells) >= 2 and _header(cells) is not None


def _header_at(lines: list[str], i: int) -> tuple[list[str], int] | None:
    """The roles of a header starting at ``lines[i]`` and the index after it, or None.

    A header stands on one line, its cells apart by tabs, pipes or spaces (even single
    ones), or one cell a line; a cell of a narrow column may wrap (完成时 / 限).
    """
    line = lines[i].strip()
    if not line or len(line) > 160:
        return None
    if not _HEADER_HINT.search(line) and (  # 序 / 号: a header cell wrapped in a narrow column
        len(line) > 2 or i + 1 >= len(lines) or not _HEADER_HINT.search(line + lines[i + 1])
    ):
        return None
    for cells in (_cells(line), [c for c in _ANY_SEP.split(line) if c]):
        if len(cells) >= 2:
            roles = _header(cells)
            if roles is not None:
                return roles, i + 1
    if _role(line) is None and (i + 1 >= len(lines) or _role(line + lines[i + 1].strip()) is None):
        return None
    found: list[str] = []
    j = i
    while j < len(lines) and len(found) < 12:
        cell = lines[j].strip()
        role = _role(cell) if cell else None
        step = 1
        if cell and len(cell) <= 4 and j + 1 < len(lines):  # 序 / 号, 完成时 / 限
            after = lines[j + 1].strip()
            joined = _role(cell + after)
            if joined is not None and _role(after) is None:
                role, step = joined, 2
        if role is None:
            break
        found.append(role)
        j += step
    roles = _finish(found) if len(found) >= 3 else None
    return (roles, j) if roles is not None else None


def _paragraph(number: str, cells: list[tuple[str, str]]) -> str:
    """``3.推进…。（牵头单位：A；配合单位：B）`` from the cells of a row and their roles;
    two task columns (重点任务 | 具体措施) give the title and the text."""
    texts: list[str] = []
    labels: list[str] = []
    for role, cell in cells:
        if role == "number":
            number = cell
        elif role == "text" and cell:
            texts.append(cell if cell[-1] in "。；！？" else f"{cell}。")
        elif role in UNIT_COLUMNS and cell and cell not in EMPTY_CELLS:
            labels.append(f"{role}：{cell}")
    if number.isdigit():
        number += "."
    note = f"（{'；'.join(labels)}）" if labels else ""
    return f"{number}{''.join(texts)}{note}"


def _is_section(text: str) -> bool:
    """A section row of a table: 一、强化重大项目支撑 / （二）扩大产业投资."""
    item = match_item(text)
    return item is not None and item[0] <= 2 and is_heading_rest(item[3])


def _ends_table(text: str) -> bool:
    return (
        BACK_RE.match(text) is not None
        or text.startswith(_TABLE_END)
        or (is_date_line(text) and text.endswith("印发"))
    )


class _Table:
    """Reads the rows of one task table and writes their paragraphs to ``out``.

    The rows are read twice: once to learn how wide each column is printed (from the
    wrapped cells of the text of a ruled PDF table), then the rows whose lines do not
    fit those widths again, knowing them.
    """

    def __init__(self, roles: list[str], out: list[str], budget: Budget) -> None:
        self.out = out
        self.budget = budget
        self.roles = roles
        self.columns = [r for r in roles if r != "number"]
        self.last = 0  # the number of the last row
        self.after_section = False
        self.row: Row | None = None
        self.items: list[str | Row] = []  # rows and the lines between them, in order

    def row_start(self, line: str) -> tuple[str, str] | None:
        if "number" not in self.roles:
            return None
        m = _ROW_NUMBER.match(line)
        if m is None:
            return None
        rest = line[m.end() :].lstrip(" \u3000\t|｜")
        if rest and rest[0] in _NOT_AFTER_NUMBER:
            return None
        value = int(m.group(1))
        if value == self.last + 1 or (value == 1 and self.after_section) or self.last == 0:
            return m.group(1), rest
        return None

    def close_row(self) -> None:
        if self.row is not None:
            self.row.cut()
            self.items.append(self.row)
            self.row = None

    def whole_row(self, line: str) -> bool:
        """A row on one line with every cell apart (tabs, pipes, runs of spaces)."""
        cells = _cells(line)
        if len(cells) > len(self.roles):
            cells = [cell for cell in cells if cell]
        if len(cells) != len(self.roles) or len(cells) < 2:
            return False
        self.close_row()
        self.items.append(_paragraph("", list(zip(self.roles, cells, strict=True))))
        number = cells[self.roles.index("number")] if "number" in self.roles else ""
        if number.isdigit():
            self.last = int(number)
        return True

    def read(self, lines: list[str], i: int) -> int:
        """Read rows from ``lines[i]`` on; the index where the table has ended."""
        while i < len(lines):
            raw = lines[i]
            line = raw.strip()
            if not line:
                i += 1
                continue
            text = normalise_fragment(line)
            header = _header_at(lines, i)
            if header is not None:  # the header again on a new page, or a new table
                self.close_row()
                self.roles, i = header
                self.columns = [r for r in self.roles if r != "number"]
                continue
            if _ends_table(text):
                break
            i += 1
            if _MD_RULE_ROW.match(line) or self.whole_row(line):
                continue
            start = self.row_start(line)
            if start is not None:
                self.close_row()
                number, rest = start
                first = [normalise_fragment(rest)] if rest else []
                self.row = Row(number, self.columns, first, [raw])
                self.last, self.after_section = int(number), False
            elif _is_section(text):
                self.close_row()
                self.items.append(raw)
                self.after_section = True
            elif is_page_number(text):
                continue
            elif self.row is not None:
                self.row.lines.append(text)
                self.row.raw.append(raw)
            elif len(text) > 30 or "。" in text:  # a paragraph after the table
                i -= 1
                break
            else:
                self.items.append(raw)
        self.close_row()
        self.write()
        return i

    def write(self) -> None:
        rows = [item for item in self.items if isinstance(item, Row)]
        for row in rows:
            read_row(row, [None] * len(row.columns), self.budget)
        widths: dict[tuple[str, ...], list[float | None]] = {}
        for row in rows:
            key = tuple(row.columns)
            if key not in widths:
                widths[key] = column_widths(rows, row.columns)
            full = widths[key]
            if any(w is not None for w in full) and (row.spans is None or row.misfits(full)):
                read_row(row, full, self.budget)
        for item in self.items:
            if isinstance(item, str):
                self.out.append(item)
            elif item.spans is None:
                self.out += item.raw
            else:
                cells = list(zip(item.columns, item.cells(), strict=True))
                self.out.append(_paragraph(item.number, cells))
                self.out += item.lines[item.used :]


def rewrite_tables(text: str) -> str:
    """Rewrite the rows of task tables as numbered paragraphs; other text unchanged."""
    if _TABLE_HINT.search(text) is None:
        return text
    lines = text.split("\n")
    out: list[str] = []
    budget = Budget()
    i = 0
    while i < len(lines):
        header = _header_at(lines, i)
        if header is None:
            out.append(lines[i])
            i += 1
            continue
        roles, i = header
        i = _Table(roles, out, budget).read(lines, i)
    return "\n".join(out)
