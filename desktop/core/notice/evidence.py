"""Why the parser reads a measure's units as it does, and how sure it is.

Every measure carries ``evidence`` — short Chinese sentences naming the note its units
come from, the rule that decided the lead units, and the document remark that added the
collectives — and a ``confidence`` between 0 and 1. The import screen lists the least
certain measures first, so the office checks those before saving.
"""

from __future__ import annotations

from desktop.core.notice.brackets import opening_of_final
from desktop.core.notice.unit_notes import NOTE_OPENERS, Resolution

_BASIS = {
    "marked": ("牵头单位由注释中的“牵头”字样确定", 1.0),
    "joint": ("注释写明“按职责分工负责”等：所列单位共同牵头", 0.95),
    "single": ("注释只列一个单位，由其牵头", 0.95),
    "rule": ("按文件“排第一位的为牵头单位”的说明，由第一个单位牵头", 0.95),
    "guess": ("文件未说明牵头规则，暂按排第一位的单位牵头", 0.6),
    "none": ("未找到可作牵头单位的具体单位", 0.2),
}


def _short(note: str) -> str:
    note = note.replace("\n", "；")
    return note if len(note) <= 48 else note[:46] + "…"


def _kind(note: str) -> str:
    stripped = note.rstrip("。；")
    if stripped.startswith(NOTE_OPENERS) and opening_of_final(stripped) == 0:
        return "括号注释"
    return "无括号注释（单独成行或表格文字）"


def evidence_of(
    notes: list[str], resolution: Resolution, remark_generic: list[str], warnings: list[str]
) -> tuple[list[str], float]:
    """The evidence sentences and the confidence of one measure."""
    lines = [f"{_kind(note)}：{_short(note)}" for note in notes]
    reason, confidence = _BASIS[resolution.basis]
    lines.append(reason)
    if remark_generic:
        lines.append(f"全文说明另加泛指单位：{'、'.join(remark_generic)}")
    if any(not note.rstrip("。；").startswith(NOTE_OPENERS) for note in notes):
        confidence *= 0.9
    if any(w.startswith("无法识别的责任单位") for w in warnings):
        confidence *= 0.6
    if any("注释可能未被完整识别" in w for w in warnings):
        confidence *= 0.7
    if any(w == "条目含多个责任单位注释，已合并" for w in warnings):
        confidence *= 0.9
    return lines, round(confidence, 2)
