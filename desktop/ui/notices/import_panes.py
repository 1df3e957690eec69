"""The panes of the import screen: the source text with the selected measure highlighted,
the list of the parser's warnings, and the measure editor with its apply/revert buttons.

They only show and collect; ``import_page.NoticeImportPage`` decides what happens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.notice import ParsedNotice
from desktop.services.notices.changes import measure_label
from desktop.ui.notices.measure_form import MeasureForm
from desktop.ui.notices.metadata_form import NoticeMetadataForm
from desktop.ui.notices.source_spans import Span, find_fragment

SPAN_COLOUR = QColor("#fff3bf")
SOURCE_PLACEHOLDER = "打开文件或粘贴文本后，通知原文显示在这里。"
MEASURE_ROLE = Qt.ItemDataRole.UserRole  # index of the measure a warning is about
TEXT_ROLE = Qt.ItemDataRole.UserRole + 1  # a document warning's text


class SourcePane(QWidget):
    """文件信息 above the notice's text; the text is editable only while pasting."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.metadata = NoticeMetadataForm()
        layout.addWidget(self.metadata)
        layout.addWidget(QLabel("原文"))
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setPlaceholderText(SOURCE_PLACEHOLDER)
        layout.addWidget(self.text)

    def clear(self) -> None:
        self.text.setReadOnly(True)
        self.text.setPlaceholderText(SOURCE_PLACEHOLDER)
        self.text.clear()
        self.metadata.set_parsed(None)

    def start_paste(self) -> None:
        self.text.clear()
        self.text.setReadOnly(False)
        self.text.setPlaceholderText("在此粘贴通知全文（Ctrl+V）")
        self.text.setFocus()

    def highlight(self, span: Span | None) -> None:
        """Mark ``span`` of the text and scroll it into the middle of the view."""
        if span is None:
            self.text.setExtraSelections([])
            return
        document = self.text.document()
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(SPAN_COLOUR)
        selection.format = fmt
        cursor = QTextCursor(document)
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        self.text.setExtraSelections([selection])
        # visit the end first so a long measure shows from its start
        for position in (span[1], span[0]):
            moved = QTextCursor(document)
            moved.setPosition(position)
            self.text.setTextCursor(moved)
        self.text.centerCursor()


CERTAIN = 0.9  # measures at or above this confidence and without warnings need no check


def uncertain_first(parsed: ParsedNotice) -> list[int]:
    """Indexes of the measures to check, the least certain first (document order on ties)."""
    doubtful = [i for i, m in enumerate(parsed.measures) if m.warnings or m.confidence < CERTAIN]
    return sorted(doubtful, key=lambda i: (parsed.measures[i].confidence, i))


class WarningsPane(QWidget):
    """The parser's doubts, document-wide and per measure; a click locates them."""

    measure_clicked = Signal(int)
    span_clicked = Signal(object)  # Span | None, in the source text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(QLabel("待核对（把握最小的在前，点击可定位）"))
        self.list = QListWidget()
        self.list.setWordWrap(True)
        layout.addWidget(self.list)
        self.list.itemClicked.connect(self._clicked)

    def fill(self, parsed: ParsedNotice | None) -> int:
        """Show the warnings of ``parsed``; the number of measures that have any."""
        self.list.clear()
        if parsed is None:
            return 0
        self._source = parsed.source_text
        for w in parsed.warnings:
            item = QListWidgetItem(f"⚠ 全文：{w}")
            item.setData(TEXT_ROLE, w)
            self.list.addItem(item)
        flagged = 0
        for i in uncertain_first(parsed):
            m = parsed.measures[i]
            flagged += 1
            label = measure_label(m.number, m.title, m.is_heading)
            doubts = m.warnings or [m.evidence[-1] if m.evidence else "请核对责任单位"]
            for w in doubts:
                item = QListWidgetItem(f"⚠ 把握 {m.confidence:.0%}｜{label}：{w}")
                item.setData(MEASURE_ROLE, i)
                item.setToolTip("\n".join(m.evidence))
                self.list.addItem(item)
        if self.list.count() == 0:
            self.list.addItem("没有解析提示。")
        return flagged

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _clicked(self, item: QListWidgetItem) -> None:
        measure = item.data(MEASURE_ROLE)
        if isinstance(measure, int):
            self.measure_clicked.emit(measure)
            return
        text = item.data(TEXT_ROLE)
        # document warnings quote the paragraph they are about after a colon, or in “…”
        if isinstance(text, str) and text.startswith("“") and "”" in text:
            self.span_clicked.emit(find_fragment(self._source, text[1 : text.index("”")]))
        elif isinstance(text, str) and "：" in text:
            self.span_clicked.emit(find_fragment(self._source, text.split("：", 1)[1]))


class EditorPane(QWidget):
    """The measure editor, scrolled when the window is short, with 撤销/应用 buttons and
    删除条目 / 与上一条合并 for items the parser took for measures by mistake."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel("修正所选条目"), 1)
        self.merge_button = QPushButton("与上一条合并")
        self.merge_button.setToolTip("把所选条目并入上一条（解析时被误拆成两条的条目）")
        self.delete_button = QPushButton("删除条目")
        self.delete_button.setToolTip(
            "从识别结果中删除所选条目（误识别为条目的段落），保存时不导入"
        )
        top.addWidget(self.merge_button)
        top.addWidget(self.delete_button)
        layout.addLayout(top)
        self.form = MeasureForm()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout.addWidget(scroll, 1)
        row = QHBoxLayout()
        hint = QLabel("切换条目或保存时，修改会自动应用。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        row.addWidget(hint, 1)
        self.revert_button = QPushButton("撤销修改")
        self.apply_button = QPushButton("应用修改")
        row.addWidget(self.revert_button)
        row.addWidget(self.apply_button)
        layout.addLayout(row)
