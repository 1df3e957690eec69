"""The tree of a notice — sections (领域) → measures (条目) — as a small Qt item model.

A notice has about a hundred nodes, so the model holds plain ``TreeNode`` objects built
from either a parsed notice (import screen; a measure's key is its index in
``ParsedNotice.measures``) or a saved one (notice screen; the key is the measure's id).
Filtering rebuilds the visible nodes in Python and resets the model: instant at this size,
and simpler than a proxy model.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from desktop.core.notice import ParsedNotice
from desktop.services.notices.changes import measure_label
from desktop.services.notices.service import NoticeTree

Index = QModelIndex | QPersistentModelIndex
MATCH_BACKGROUND = QColor("#fff3bf")
UNCOVERED = QColor("#d9822b")  # orange: 未分解
MUTED = QColor("#7b8794")
KEY_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(eq=False)
class TreeNode:
    kind: str  # "section" | "measure"
    key: object  # section code, or the measure's key (index or id)
    code: str
    label: str
    units: str = ""
    warnings: tuple[str, ...] = ()
    coverage: int | None = None
    search_text: str = ""
    section_code: str | None = None
    excluded: bool = False  # marked 不适用 in the office's current list
    parent: TreeNode | None = None
    children: list[TreeNode] = field(default_factory=list)
    match: bool = False

    def measures(self) -> Iterable[TreeNode]:
        if self.kind == "measure":
            yield self
        for child in self.children:
            yield from child.measures()


def units_summary(
    units: Sequence[str], leads: Sequence[str], joint: bool, generic: Sequence[str]
) -> str:
    """省科技厅牵头，省经信厅配合 / 省A、省B共同负责 / 各设区市政府."""
    if not units:
        return "、".join(generic) if generic else "（未识别出责任单位）"
    if joint:
        return "、".join(units) + "共同负责"
    co = [u for u in units if u not in leads]
    text = "、".join(leads) + "牵头" if leads else "（未定牵头）"
    return f"{text}，{'、'.join(co)}配合" if co else text


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def ordinal(component: str) -> int:
    """Order of an outline number: 一 → 1, （十二） → 12, 3 → 3; unknown last."""
    bare = re.sub(r"[（）()、.．\s]", "", component)
    if bare.isdigit():
        return int(bare)
    if bare and all(ch in _CN_DIGITS or ch == "十" for ch in bare):
        if "十" not in bare:
            return _CN_DIGITS.get(bare, 10**6)
        tens, _, ones = bare.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0)
    return 10**6


def _sort(nodes: list[TreeNode]) -> None:
    nodes.sort(key=lambda n: ordinal(n.code.rsplit(".", 1)[-1]))
    for n in nodes:
        _sort(n.children)


def _assemble(
    sections: Sequence[tuple[str, str | None, str]], measures: Sequence[TreeNode]
) -> list[TreeNode]:
    """Roots from (code, parent code, label) sections and measure nodes.

    A measure whose code equals a section's code (a heading that carries its own note, such
    as 四、完善政策支持体系) takes that section's place in the tree.
    """
    nodes: dict[str, TreeNode] = {
        code: TreeNode("section", code, code, label) for code, _, label in sections
    }
    parent_of = {code: parent for code, parent, _ in sections}
    roots: list[TreeNode] = []

    def attach(node: TreeNode, parent_code: str | None) -> None:
        parent = nodes.get(parent_code or "")
        node.parent = parent
        (parent.children if parent else roots).append(node)

    for m in measures:
        if m.code in nodes and nodes[m.code].kind == "section":
            nodes[m.code] = m  # the heading is the measure
    for code, parent in parent_of.items():
        attach(nodes[code], parent)
    for m in measures:
        if m.parent is None and m not in roots:
            section = m.section_code if m.section_code != m.code else parent_of.get(m.code)
            attach(m, section)
    _sort(roots)
    return roots


def nodes_from_parsed(parsed: ParsedNotice) -> list[TreeNode]:
    measures = [
        TreeNode(
            "measure",
            i,
            m.code,
            measure_label(m.number, m.title, m.is_heading),
            units_summary(m.units, m.lead_units, m.joint, m.generic),
            tuple(m.warnings),
            search_text="\x1f".join([m.title, m.text, m.note, *m.units, *m.generic]),
            section_code=m.section_code,
        )
        for i, m in enumerate(parsed.measures)
    ]
    sections = [
        (s.code, s.parent_code, measure_label(s.number, s.title, True)) for s in parsed.sections
    ]
    return _assemble(sections, measures)


def nodes_from_tree(
    tree: NoticeTree,
    coverage: dict[int, int] | None,
    excluded: Collection[int] = (),
) -> list[TreeNode]:
    codes = {s.id: s.code for s in tree.sections}
    measures = [
        TreeNode(
            "measure",
            m.id,
            m.code,
            m.label,
            units_summary(m.units, m.lead_units, m.joint, m.generic),
            m.warnings,
            coverage=None if coverage is None else coverage.get(m.id, 0),
            search_text="\x1f".join([m.title, m.text, m.note, *m.units, *m.generic]),
            section_code=codes.get(m.section_id or -1),
            excluded=m.id in excluded,
        )
        for m in tree.measures
    ]
    sections = [(s.code, codes.get(s.parent_id or -1), s.label) for s in tree.sections]
    return _assemble(sections, measures)


def _filtered(nodes: list[TreeNode], query: str, parent: TreeNode | None) -> list[TreeNode]:
    out: list[TreeNode] = []
    for n in nodes:
        copy = TreeNode(
            n.kind,
            n.key,
            n.code,
            n.label,
            n.units,
            n.warnings,
            n.coverage,
            n.search_text,
            n.section_code,
            n.excluded,
            parent,
        )
        copy.match = n.kind == "measure" and query in n.search_text
        copy.children = _filtered(n.children, query, copy)
        if copy.match or copy.children:
            out.append(copy)
    return out


class NoticeTreeModel(QAbstractItemModel):
    """Columns: 条目, 责任单位, and with coverage 落实任务 (0 shown as 未分解 in orange)."""

    def __init__(self, *, with_coverage: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._with_coverage = with_coverage
        self._headers = ["条目", "责任单位"] + (["本级任务"] if with_coverage else [])
        self._all: list[TreeNode] = []
        self._roots: list[TreeNode] = []
        self._query = ""
        style = QApplication.style()
        self._warning_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self._bold = QFont()
        self._bold.setBold(True)

    # content ----------------------------------------------------------------------------

    def set_nodes(self, roots: list[TreeNode]) -> None:
        self._all = roots
        self._rebuild()

    def set_filter(self, query: str) -> None:
        self._query = query.strip()
        self._rebuild()

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._roots = _filtered(self._all, self._query, None) if self._query else self._all
        self.endResetModel()

    @property
    def query(self) -> str:
        return self._query

    def match_count(self) -> int:
        return sum(1 for r in self._roots for n in r.measures() if n.match)

    def matching_keys(self) -> list[object]:
        return [n.key for r in self._roots for n in r.measures() if n.match]

    def measure_count(self) -> int:
        return sum(1 for r in self._roots for _ in r.measures())

    def node(self, index: Index) -> TreeNode | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        return node if isinstance(node, TreeNode) else None

    def index_of(self, key: object) -> QModelIndex:
        """The index of the measure with ``key`` (an invalid index when filtered out)."""
        for root in self._roots:
            for n in root.measures():
                if n.key == key:
                    return self.createIndex(self._row(n), 0, n)
        return QModelIndex()

    def update_measure(self, key: object, label: str, units: str, warnings: Sequence[str]) -> None:
        """Refresh one measure row after an edit, without resetting the view."""
        for nodes in (self._all, self._roots):
            for root in nodes:
                for n in root.measures():
                    if n.key == key:
                        n.label, n.units, n.warnings = label, units, tuple(warnings)
        index = self.index_of(key)
        if index.isValid():
            last = self.index(index.row(), self.columnCount() - 1, index.parent())
            self.dataChanged.emit(index, last)

    # QAbstractItemModel -----------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(self._headers) or row < 0:
            return QModelIndex()
        parent_node = self.node(parent)
        children = parent_node.children if parent_node else self._roots
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = self.node(index)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(self._row(node.parent), 0, node.parent)

    def _row(self, node: TreeNode) -> int:
        siblings = node.parent.children if node.parent else self._roots
        return next((i for i, n in enumerate(siblings) if n is node), 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self.node(parent)
        return len(node.children) if node else len(self._roots)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = node.label if col == 0 else self._display(node, col)
            if node.warnings:
                tip += "\n" + "\n".join(f"⚠ {w}" for w in node.warnings)
            return tip
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and node.warnings:
            return self._warning_icon
        if role == Qt.ItemDataRole.FontRole and node.kind == "section":
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 2 and node.kind == "measure" and node.coverage == 0:
                return QBrush(MUTED if node.excluded else UNCOVERED)
            if col == 1 and node.kind == "section":
                return QBrush(MUTED)
        if role == Qt.ItemDataRole.BackgroundRole and node.match:
            return QBrush(MATCH_BACKGROUND)
        if role == KEY_ROLE:
            return node.key
        if role == KIND_ROLE:
            return node.kind
        return None

    def _display(self, node: TreeNode, col: int) -> str:
        if col == 0:
            return node.label
        if node.kind == "section":
            measures = list(node.measures())
            if col == 1:
                return f"{len(measures)} 条" if measures else ""
            done = sum(1 for m in measures if m.coverage or m.excluded)
            return f"已分解 {done}/{len(measures)}" if measures else ""
        if col == 1:
            return node.units
        if node.coverage is None:
            return ""
        if node.coverage:
            return f"{node.coverage} 项"
        return "不适用" if node.excluded else "未分解"

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
