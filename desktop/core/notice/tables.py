"""Task tables copied as text: a header row and rows whose cells are kept apart.

Many notices carry their measures in a table (序号 | 重点任务 | 牵头单位 | 配合单位 |
完成时限). Copied from a web page or a Word table the cells stay apart — by tabs, by
runs of spaces, or by ``|`` in Markdown — and the header names what each column holds.
Such a row is rewritten as the paragraph the parser reads everywhere else:
``3. 推进…。（牵头单位：A；配合单位：B、C）``; the deadline and remark columns are left
out. A table whose cells were run together (the separators lost) is read by the
parser itself: its numbers glued to the text and notes without brackets.
"""

from __future__ import annotations

import re

_CELL_SEP = re.compile(r"[ \u3000]*(?:\t|[|｜])[ \u3000]*|[ \u3000]{2,}")
_MD_RULE_ROW = re.compile(r"^[\s|｜:：\-—]+$")
_COLUMNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:序号|编号|序)$"), "number"),
    (re.compile(r"^牵头(?:责任)?(?:单位|部门|处室)$"), "牵头单位"),
    (re.compile(r"^(?:主要)?责任(?:单位|部门|处室|主体)$"), "责任单位"),
    (re.compile(r"^(?:配合|协同|参与|协办|共同)(?:责任)?(?:单位|部门|处室)$"), "配合单位"),
    (re.compile(r"^(?:完成)?(?:时限|时间|时间节点|期限)(?:要求)?$|^进度安排$"), "skip"),
    (re.compile(r"^(?:备注|说明|责任领导|牵头领导|联系人|目标|预期成效)$"), "skip"),
    (
        re.compile(
            r"^(?:重点|主要|工作|具体|政策)?(?:任务|措施|举措|工作|内容|事项)"
            r"(?:内容|名称|举措|措施|事项)?$"
        ),
        "text",
    ),
]
_UNIT_COLUMNS = ("牵头单位", "责任单位", "配合单位")


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith(("|", "｜")):
        line = line[1:]
    if line.endswith(("|", "｜")):
        line = line[:-1]
    return [cell.strip() for cell in _CELL_SEP.split(line)]


def _header(cells: list[str]) -> list[str] | None:
    """The role of each column when ``cells`` is a task table's header row."""
    roles: list[str] = []
    for cell in cells:
        role = next((r for pattern, r in _COLUMNS if pattern.match(cell.replace(" ", ""))), None)
        if role is None:
            return None
        roles.append(role)
    if "text" not in roles or not any(r in _UNIT_COLUMNS for r in roles):
        return None
    return roles


def is_task_header(cells: list[str]) -> bool:
    """Whether the cells are the header row of a task table (序号 | 重点任务 | 牵头单位 …)."""
    return len(cells) >= 2 and _header(cells) is not None


def _row(cells: list[str], roles: list[str]) -> str:
    number = text = ""
    labels: list[str] = []
    for cell, role in zip(cells, roles, strict=True):
        if role == "number":
            number = cell
        elif role == "text":
            text = cell
        elif role in _UNIT_COLUMNS and cell and cell not in ("/", "-", "—", "无"):
            labels.append(f"{role}：{cell}")
    if number.isdigit():
        number += "."
    if text and text[-1] not in "。；！？":
        text += "。"
    note = f"（{'；'.join(labels)}）" if labels else ""
    return f"{number}{text}{note}"


def rewrite_tables(text: str) -> str:
    """Rewrite the rows of task tables whose cells are kept apart; other text unchanged."""
    if "\t" not in text and "|" not in text and "｜" not in text and "  " not in text:
        return text
    out: list[str] = []
    roles: list[str] | None = None
    for line in text.split("\n"):
        cells = _cells(line) if line.strip() else []
        if len(cells) >= 2:
            header = _header(cells)
            if header is not None:
                roles = header
                continue
            if roles is not None and _MD_RULE_ROW.match(line):
                continue
            if roles is not None and len(cells) != len(roles):
                cells = [cell for cell in cells if cell] if len(cells) > len(roles) else cells
            if roles is not None and len(cells) == len(roles):
                out.append(_row(cells, roles))
                continue
        if line.strip():
            roles = None if len(cells) >= 2 else roles
        out.append(line)
    return "\n".join(out)
