"""The side panel of the progress screen: the current task, its status and its history.

What the office needs beside the row it is typing: the full task text, the 序时进度 it is
measured against, what was reported last time, and every earlier report — including last
year's, for a task carried over.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from desktop.core.dates import chinese_date
from desktop.core.status import StatusResult
from desktop.services.progress.service import HistoryItem, ProgressRow
from desktop.ui.progress.colours import SEVERITY_COLOURS


class TaskPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setMinimumWidth(240)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        heading = QLabel("任务详情")
        heading.setStyleSheet("font-weight: bold; color: #243b53;")
        layout.addWidget(heading)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(self.details.textFormat().RichText)
        self.details.setObjectName("taskDetails")
        layout.addWidget(self.details)
        history_heading = QLabel("历次进展")
        history_heading.setStyleSheet("font-weight: bold; color: #243b53; margin-top: 6px;")
        layout.addWidget(history_heading)
        self.history = QTextBrowser()
        self.history.setOpenLinks(False)
        layout.addWidget(self.history, 1)
        self.show_task(None, None, [])

    def show_task(
        self, row: ProgressRow | None, status: StatusResult | None, history: list[HistoryItem]
    ) -> None:
        if row is None or status is None:
            self.details.setText('<span style="color:#5b6573">请在左侧表格中选择一项任务。</span>')
            self.history.setHtml("")
            return
        self.update_status(row, status)
        self.history.setHtml(_history_html(history))

    def update_status(self, row: ProgressRow, status: StatusResult) -> None:
        """The task's details with ``status`` (which changes as the entry is typed)."""
        bg, fg = SEVERITY_COLOURS.get(status.severity, ("#eef2f7", "#243b53"))
        label = "已销号" if status.explanation == "已销号" else status.label
        deadline = chinese_date(row.deadline) if row.deadline else "未定"
        self.details.setText(
            f"<p style='margin:0'><b>{escape(row.number)}</b> {escape(row.content)}</p>"
            f"<p style='margin:4px 0 0 0'>牵头单位：{escape(row.lead_units or '未定')}<br>"
            f"完成时限：{deadline}</p>"
            f"<p style='margin:6px 0 0 0'><span style='background:{bg}; color:{fg};"
            f" font-weight:bold'>&nbsp;{label}&nbsp;</span> {escape(status.explanation)}</p>"
        )


def _history_html(items: list[HistoryItem]) -> str:
    if not items:
        return "<p style='color:#5b6573'>还没有填报过进展。</p>"
    parts = []
    for item in reversed(items):  # newest first: what the office compares with
        percent = f"（完成{item.percent}%）" if item.percent is not None else ""
        carried = "<span style='color:#8a6d00'>［上年］</span>" if item.carried else ""
        lines = [f"<b>{escape(item.period_label)}</b>{carried}{percent}"]
        if item.text:
            lines.append(escape(item.text))
        for name, value in (
            ("存在问题", item.problems),
            ("滞后原因", item.lag_reason),
            ("下步打算", item.next_steps),
        ):
            if value:
                lines.append(f"<span style='color:#5b6573'>{name}：</span>{escape(value)}")
        if item.completed_on:
            lines.append(
                f"<span style='color:#1e6b3a'>完成日期：{chinese_date(item.completed_on)}</span>"
            )
        if item.updated_by:
            lines.append(
                f"<span style='color:#8895a7; font-size:9pt'>{escape(item.updated_by)} "
                f"{escape(item.updated_at[:16].replace('T', ' '))}</span>"
            )
        parts.append("<p style='margin:0 0 8px 0'>" + "<br>".join(lines) + "</p>")
    return "".join(parts)
