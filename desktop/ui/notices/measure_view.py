"""The read-only view of one saved measure on the notice screen.

Shows what a county office needs to decompose the measure: its full text, who leads
(牵头), who cooperates (配合), the generic collectives that also carry it (各设区市政府 …),
its targets, and how many tasks of the office's current work lists already cover it.
Rendered as rich text in a ``QTextBrowser`` so long texts wrap and can be selected/copied.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from desktop.services.notices.service import MeasureView, TargetView

ORANGE = "#d9822b"
MARK = "#fff3bf"


def highlighted(text: str, query: str) -> str:
    """``text`` as HTML with every occurrence of ``query`` marked."""
    if not query:
        return html.escape(text)
    parts = text.split(query)
    mark = f'<span style="background-color:{MARK};">{html.escape(query)}</span>'
    return mark.join(html.escape(p) for p in parts)


def _units_html(m: MeasureView, generic_for_all: Sequence[str], query: str) -> str:
    rows: list[str] = []
    if m.joint and m.units:
        names = "、".join(highlighted(u, query) for u in m.units)
        rows.append(f"<b>共同负责：</b>{names}（按职责分工负责，均视为牵头）")
    else:
        if m.lead_units:
            names = "、".join(f"<b>{highlighted(u, query)}</b>" for u in m.lead_units)
            rows.append(f"<b>牵头单位：</b>{names}")
        if m.co_units:
            rows.append("<b>配合单位：</b>" + "、".join(highlighted(u, query) for u in m.co_units))
    if not m.units:
        rows.append(f'<span style="color:{ORANGE};">文件未写明具体责任单位。</span>')
    generic = list(m.generic)
    if generic:
        extra = "（文件统一要求）" if set(generic) <= set(generic_for_all) else ""
        rows.append("<b>泛指单位：</b>" + "、".join(html.escape(g) for g in generic) + extra)
    aliases = [f"{html.escape(k)}〔{html.escape(v)}〕" for k, v in m.aliases.items()]
    if aliases:
        rows.append("<b>别称：</b>" + "、".join(aliases))
    return "<br/>".join(rows)


def targets_table(targets: Sequence[TargetView]) -> str:
    if not targets:
        return '<p style="color:#7b8794;">（未识别出量化目标）</p>'
    head = "".join(f"<th>{h}</th>" for h in ("指标", "数值", "单位", "修饰词", "年份"))
    body = ""
    for t in targets:
        cells = (t.subject, t.value or "—", t.unit, t.qualifier or "", str(t.year or ""))
        body += "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
    return (
        '<table border="1" cellspacing="0" cellpadding="4" style="border-color:#d5dde8;">'
        f"<tr>{head}</tr>{body}</table>"
    )


def coverage_html(count: int | None, not_applicable: str = "") -> str:
    if count is None:
        return ""
    if count == 0 and not_applicable:
        reason = html.escape(not_applicable)
        return f'<p style="color:#5b6573;"><b>不适用</b>：本级清单已标为不适用（{reason}）。</p>'
    if count == 0:
        text = "本级当前清单中还没有任务落实这一条目。"
        return f'<p style="color:{ORANGE};"><b>未分解</b>：{text}</p>'
    text = f"本级当前清单中有 {count} 项任务落实这一条目。"
    return f'<p style="color:#2f7d32;"><b>已分解</b>：{text}</p>'


def measure_html(
    m: MeasureView,
    *,
    path: str,
    coverage: int | None,
    not_applicable: str = "",
    generic_for_all: Sequence[str] = (),
    query: str = "",
) -> str:
    parts = [
        f'<p style="color:#5b6573;">{html.escape(path)}</p>' if path else "",
        f'<h3 style="color:#1f3a5f;">{highlighted(m.label, query)}</h3>',
        coverage_html(coverage, not_applicable),
        f"<p>{highlighted(m.text, query)}</p>",
        "<h4>责任单位</h4>",
        f"<p>{_units_html(m, generic_for_all, query)}</p>",
        "<h4>目标指标</h4>",
        targets_table(m.targets),
    ]
    if m.note:
        parts.append(f'<p style="color:#5b6573;">原文说明：{html.escape(m.note)}</p>')
    if m.warnings:
        items = "".join(f"<li>{html.escape(w)}</li>" for w in m.warnings)
        parts.append(f'<p style="color:{ORANGE};"><b>导入时的提示：</b></p><ul>{items}</ul>')
    return "".join(parts)


class MeasureDetail(QWidget):
    """The selected measure, and the 修正条目… button that opens the correction dialog."""

    correct_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._measure: MeasureView | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        layout.addWidget(self.browser, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.correct_button = QPushButton("修正条目…")
        self.correct_button.setToolTip("程序理解有误时，修正这一条目的正文、责任单位或目标")
        self.correct_button.clicked.connect(self._correct)
        row.addWidget(self.correct_button)
        layout.addLayout(row)
        self.show_message("在左侧选择一个条目，查看它的全文、责任单位和目标指标。")

    @property
    def measure(self) -> MeasureView | None:
        return self._measure

    def show_measure(
        self,
        m: MeasureView,
        *,
        path: str,
        coverage: int | None,
        not_applicable: str = "",
        generic_for_all: Sequence[str] = (),
        query: str = "",
    ) -> None:
        self._measure = m
        self.browser.setHtml(
            measure_html(
                m,
                path=path,
                coverage=coverage,
                not_applicable=not_applicable,
                generic_for_all=generic_for_all,
                query=query,
            )
        )
        self.correct_button.setEnabled(True)

    def show_html(self, body: str) -> None:
        self._measure = None
        self.browser.setHtml(body)
        self.correct_button.setEnabled(False)

    def show_message(self, text: str) -> None:
        self.show_html(f'<p style="color:#5b6573;">{html.escape(text)}</p>')

    def _correct(self) -> None:
        if self._measure is not None:
            self.correct_requested.emit(self._measure.id)
