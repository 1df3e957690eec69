"""文件信息: the document number, title, issuer and dates of a notice being imported.

The parser reads them from the head and the end of the notice; the user checks and
corrects them here before saving. ``applied_to`` returns a copy of the parsed notice with
the fields as typed, or raises ``ValidationError`` (no document number, a bad date).
"""

from __future__ import annotations

import html
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QLineEdit, QWidget

from desktop.core.notice import ParsedNotice
from desktop.errors import ValidationError
from desktop.services.notices.changes import date_from_input, decimal_text
from desktop.ui.forms import hint
from desktop.ui.notices.measure_form import split_names


def headline_text(parsed: ParsedNotice) -> str:
    parts = []
    for t in parsed.targets:
        value = f"{decimal_text(t.value)}{t.unit}" if t.value is not None else t.unit
        when = f"到{t.year}年" if t.year else ""
        qual = t.qualifier or ""
        if qual in ("突破", "达到", "超过", "不低于", "不少于"):
            parts.append(f"{when}{t.subject}{qual}{value}")
        else:
            parts.append(f"{when}{t.subject}{value}{qual}")
    return "；".join(parts)


class NoticeMetadataForm(QGroupBox):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("文件信息", parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 12, 8, 6)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        self.doc_number = QLineEdit()
        self.doc_number.setPlaceholderText("如：浙政发〔2026〕16号（必填）")
        self.notice_title = QLineEdit()
        self.issuer = QLineEdit()
        self.issuer.setPlaceholderText("如：浙江省人民政府")
        self.issued_on = QLineEdit()
        self.issued_on.setPlaceholderText("2026-05-30")
        self.effective_on = QLineEdit()
        self.effective_on.setPlaceholderText("可不填")
        for edit in (self.issued_on, self.effective_on):
            edit.setMinimumWidth(96)  # a whole date stays readable in a narrow column
        self.generic_for_all = QLineEdit()
        self.generic_for_all.setPlaceholderText("如：各设区市政府")
        self.generic_for_all.setToolTip("文件要求每个条目都要落实的单位，用顿号分隔")
        grid.addWidget(QLabel("文号 *"), 0, 0)
        grid.addWidget(self.doc_number, 0, 1, 1, 3)
        grid.addWidget(QLabel("标题"), 1, 0)
        grid.addWidget(self.notice_title, 1, 1, 1, 3)
        grid.addWidget(QLabel("发文机关"), 2, 0)
        grid.addWidget(self.issuer, 2, 1, 1, 3)
        grid.addWidget(QLabel("成文日期"), 3, 0)
        grid.addWidget(self.issued_on, 3, 1)
        grid.addWidget(QLabel("施行日期"), 3, 2)
        grid.addWidget(self.effective_on, 3, 3)
        grid.addWidget(QLabel("每项均需落实"), 4, 0)
        grid.addWidget(self.generic_for_all, 4, 1, 1, 3)
        self.headline = hint()
        grid.addWidget(self.headline, 5, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        for edit in (
            self.doc_number,
            self.notice_title,
            self.issuer,
            self.issued_on,
            self.effective_on,
            self.generic_for_all,
        ):
            edit.textEdited.connect(lambda *_: self.changed.emit())

    def set_parsed(self, parsed: ParsedNotice | None) -> None:
        self.doc_number.setText(parsed.doc_number or "" if parsed else "")
        self.issuer.setText(parsed.issuer or "" if parsed else "")
        self.notice_title.setText(parsed.title or "" if parsed else "")
        issued = parsed.issued_on if parsed else None
        effective = parsed.effective_on if parsed else None
        self.issued_on.setText(issued.isoformat() if issued else "")
        self.effective_on.setText(effective.isoformat() if effective else "")
        self.generic_for_all.setText("、".join(parsed.generic_for_all) if parsed else "")
        for edit in (
            self.doc_number,
            self.issuer,
            self.notice_title,
            self.generic_for_all,
            self.issued_on,
            self.effective_on,
        ):
            edit.setCursorPosition(0)  # show the start of a long title, not its end
        rule = parsed.lead_rule if parsed else ""
        goals = headline_text(parsed) if parsed else ""
        lines = []
        if goals:
            lines.append(f"<b>总体目标：</b>{html.escape(goals)}")
        if rule:
            lines.append(f"<b>牵头规则：</b>{html.escape(rule)}")
        self.headline.setText("<br/>".join(lines))
        self.headline.setVisible(bool(lines))

    def applied_to(self, parsed: ParsedNotice) -> ParsedNotice:
        doc_number = self.doc_number.text().strip()
        if not doc_number:
            raise ValidationError("请填写文号：程序靠文号识别同一份文件，重新导入时也以它为准。")
        if len(doc_number) > 80:
            raise ValidationError("文号太长，请检查是否误把标题填进了文号。")
        return replace(
            parsed,
            doc_number=doc_number,
            title=self.notice_title.text().strip(),
            issuer=self.issuer.text().strip(),
            issued_on=date_from_input("成文日期", self.issued_on.text()),
            effective_on=date_from_input("施行日期", self.effective_on.text()),
            generic_for_all=split_names(self.generic_for_all.text()),
        )
