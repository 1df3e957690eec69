"""Closing matter that is no measure: guarantee sections, guarantee items, closing articles.

- a closing section — a top-level section after the last one that names any responsible
  unit, whose title is a typical closing heading (组织实施, 保障措施, 加强组织领导 …) and
  whose text names no responsible units — is a guarantee clause, not a measure;
- so are the trailing items of the last section after the last note whose heading is a
  closing one (（三）加强组织实施 after 加大资金支持（责任单位：…）);
- so are trailing articles that only say when the document takes effect or who explains it.
Each gets a document warning.
"""

from __future__ import annotations

import re

from desktop.core.notice.items import Item
from desktop.core.notice.outline import Node

_CLOSING_CORE = (
    r"组织实施|组织保障|组织领导|组织推进|组织协调|实施保障|工作保障|保障措施|保障机制|支撑保障"
    r"|工作要求|实施要求|有关要求|相关要求|其他要求|其他事项|附则|党的领导"
    r"|贯彻落实|推进落实|督促落实|工作落实|责任落实|抓好落实|狠抓落实|落实机制|统筹协调|协调推进"
    r"|工作机制|推进机制|协调机制|督促检查|督导检查|监督检查|督查考核|考核评估|评估考核|督导评估"
    r"|跟踪评估|督促指导|统筹推进|保障|领导"
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


def heading_words(paras: list[str]) -> str:
    """The heading of an item: its first paragraph up to the first sentence break."""
    return re.split("[。：，；:]", paras[0], maxsplit=1)[0].strip() if paras else ""


def label(node: Node, words: str) -> str:
    """三、组织实施 / （五）加强组织领导 / 9.强化保障."""
    if node.number.startswith("（"):
        return f"{node.number}{words}"
    return f"{node.number}{'、' if node.level == 1 else '.'}{words}"


def subtree(node: Node) -> list[Node]:
    out = [node]
    for child in node.children:
        out += subtree(child)
    return out


def closing_sections(roots: list[Node], items: list[Item]) -> tuple[set[int], list[str]]:
    """Trailing top-level sections that are guarantee clauses, not measures.

    A top-level section after the last one that holds any responsible-units note, whose
    title is a closing heading (组织实施, 保障措施, 加强组织领导 …) and which holds no note
    itself. Returns the ids of their nodes (children included) and a warning for each.
    """
    by_node = {id(item.node): item for item in items}

    def noted(root: Node) -> bool:
        return any(by_node[id(n)].notes for n in subtree(root) if id(n) in by_node)

    flags = [noted(root) for root in roots]
    if not any(flags):
        return set(), []
    last = max(i for i, flag in enumerate(flags) if flag)
    ids: set[int] = set()
    warnings: list[str] = []
    for root in roots[last + 1 :]:
        item = by_node.get(id(root))
        words = heading_words(item.paras) if item else ""
        if not words or len(words) > 20 or not _CLOSING_TITLE.match(words):
            continue
        ids.update(id(n) for n in subtree(root))
        warnings.append(f"“{label(root, words)}”未列责任单位，按保障条款处理，未作为条目")
    return ids, warnings


def closing_articles(items: list[Item], closing: set[int]) -> tuple[set[int], list[str]]:
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


def closing_items(items: list[Item], closing: set[int]) -> tuple[set[int], list[str]]:
    """Trailing items without a note whose heading is a closing one (（三）加强组织实施)
    inside a last section whose other items name units (三、保障措施 with 加大资金支持
    （责任单位：…）): guarantee clauses, not measures. Only after the last item with a note,
    and only in a notice that has notes."""
    if not any(item.notes for item in items):
        return set(), []
    ids: set[int] = set()
    warnings: list[str] = []
    for item in reversed(items):
        node = item.node
        if id(node) in closing or (node.children and all(id(c) in ids for c in node.children)):
            continue
        if item.notes or node.children or node.level < 2:
            break
        words = heading_words(item.paras)
        if not words or len(words) > 20 or not _CLOSING_TITLE.match(words):
            break
        ids.add(id(node))
        warnings.insert(0, f"“{label(node, words)}”未列责任单位，按保障条款处理，未作为条目")
    return ids, warnings
