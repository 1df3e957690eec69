"""Which of the year's current lists (or notices) a command means: ``--notice`` or the only one.

Apart from ``desktop.core.worklist`` so that a command that prints a list (``ledger pdf``)
does not build that module's record classes to find it.
"""

from __future__ import annotations


def pick_own_list(
    year: int,
    doc_number: str | None,
    current: list[tuple[int, str]],
    *,
    none_found: str = "的工作清单。",
    hint: str = "请先在“年度清单”中新建，或运行 demo 生成示例。",
) -> int:
    """The one of the year's current lists (or notices), given as ``(id, doc_number)``, the
    command means: the one of notice ``doc_number`` when given, else the only one. None is
    said as ``本级还没有 {year} 年… {none_found}`` with ``hint``; several ask for --notice."""
    from desktop.errors import NotFoundError, UserError

    mine = [c for c in current if not doc_number or c[1] == doc_number]
    if not mine:
        which = f"、文件 {doc_number}" if doc_number else ""
        raise NotFoundError(f"本级还没有 {year} 年{which}{none_found}", hint=hint)
    if len(mine) > 1:
        docs = "、".join(doc for _, doc in mine)
        raise UserError(f"{year} 年有多份清单（{docs}），请用 --notice 指明文号。")
    return mine[0][0]
