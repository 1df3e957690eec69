"""Parts of one item written 一是…；二是…；三是…, each with its own note.

``（一）扩大消费。一是打造精品线路（A牵头，B配合）；二是举办消费季（C负责）。`` assigns
each part to its own units: the parts are measures of their own, numbered 一是, 二是 …
under the item, which becomes their section. Parts without a note each, or a note that
speaks for all of them at the end, leave the item one measure.
"""

from __future__ import annotations

import re

from desktop.core.notice.outline import Node
from desktop.core.notice.unit_notes import split_notes

_DIGITS = "一二三四五六七八九十"
# an ordinal part starts a paragraph, or follows the end of a sentence, a clause or a colon
_ORDINAL = re.compile(rf"(?:^|(?<=[。；;：:]))([{_DIGITS}])是(?=[^，,。；;])")
# at most this many parts: 十是 is the last a document writes
_MAX_PARTS = len(_DIGITS)


def _parts(text: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The lead-in and the parts (number, text) of a paragraph enumerated 一是 二是 …,
    or None when the paragraph is not such a list of parts each ending with its note."""
    starts: list[re.Match[str]] = []
    for m in _ORDINAL.finditer(text):  # 一是, 二是 … in order; any other 是 is the text's
        if len(starts) < _MAX_PARTS and m.group(1) == _DIGITS[len(starts)]:
            starts.append(m)
    if len(starts) < 2:
        return None
    parts: list[tuple[str, str]] = []
    for k, m in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(text)
        body = text[m.end() : end].strip()
        rest, notes = split_notes(body)
        rest = rest.rstrip("；;，, ")
        if not notes or not rest:
            return None
        # the part as a paragraph of its own: its sentence, then its notes
        ended = rest if rest.endswith(("。", "！", "？")) else f"{rest}。"
        parts.append((f"{m.group(1)}是", ended + "".join(notes)))
    return text[: starts[0].start()].strip(), parts


def split_ordinal_parts(nodes: list[Node]) -> None:
    """Give every item without children whose paragraph lists parts 一是…二是… with a
    note each a child per part (in place)."""
    for node in nodes:
        if node.children or node.notes:
            continue
        for at, para in enumerate(node.paras):
            found = _parts(para)
            if found is None:
                continue
            lead, parts = found
            after = node.paras[at + 1 :]
            if any(split_notes(p)[1] for p in after):  # a note after the parts: for all
                break
            node.paras = [*node.paras[:at], *([lead] if lead else []), *after]
            # a part stands at its item's level: it is a measure as the item's siblings are
            for value, (number, body) in enumerate(parts, start=1):
                code = f"{node.code}.{number}"
                node.children.append(Node(node.level, number, value, code, node, [body]))
            break
