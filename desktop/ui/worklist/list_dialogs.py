"""The small dialogs of the list screen: 新建清单, 拆分任务 and the question before 删除清单.

They only collect input; the page calls the service with it. They are shown through
``dialogs.run_dialog`` like every modal window of the program.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.draft import split_sentences
from desktop.core.worklist import CADENCES
from desktop.services.notices.service import NoticeSummary
from desktop.services.worklist.delete import ListDeletion
from desktop.ui.forms import hint, ok_cancel, wrapped, year_spin
from desktop.ui.look import fit_to_screen


class NewListDialog(QDialog):
    """新建清单: which notice, which year, how often progress is reported."""

    def __init__(
        self,
        notices: Sequence[NoticeSummary],
        years: Mapping[int, int],
        locality: str,
        parent: QWidget | None = None,
    ) -> None:
        """``years``: the year offered for each notice (``WorkListLifecycle.suggested_year``)."""
        super().__init__(parent)
        self._years = years
        self.setWindowTitle("新建年度清单")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped(
                f"为{locality or '本级'}新建一份年度重点工作清单。"
                "每个年度、每份上级文件只能有一份清单。"
            )
        )
        form = QFormLayout()
        self.notice = QComboBox()
        for n in notices:
            self.notice.addItem(f"{n.doc_number}　{n.title}", n.id)
            self.notice.setItemData(self.notice.count() - 1, n.title, 3)  # tooltip
        first = notices[0].id if notices else None
        self.year = year_spin(years.get(first, 0) if first is not None else 0)
        self.notice.currentIndexChanged.connect(self._notice_changed)
        self.cadence = QComboBox()
        for key, label in CADENCES.items():
            self.cadence.addItem(label, key)
        self.due_day = QSpinBox()
        self.due_day.setRange(1, 31)
        self.due_day.setValue(25)
        self.due_day.setPrefix("每期 ")
        self.due_day.setSuffix(" 日前")
        form.addRow("上级文件", self.notice)
        form.addRow("年度", self.year)
        form.addRow("进展填报周期", self.cadence)
        form.addRow("填报截止日", self.due_day)
        layout.addLayout(form)
        layout.addWidget(hint("新建后可点击“生成初稿”，按上级文件的条目自动拟出本级任务。"))
        layout.addWidget(ok_cancel(self, "新建"))

    def _notice_changed(self, _index: int) -> None:
        year = self._years.get(self.notice.currentData())
        if year is not None:
            self.year.setValue(year)

    def values(self) -> tuple[int | None, int, str, int]:
        """(notice id, year, cadence, due day)."""
        return (
            self.notice.currentData(),
            self.year.value(),
            self.cadence.currentData(),
            self.due_day.value(),
        )


class SplitDialog(QDialog):
    """拆分任务: one line per part; the other fields are copied to every part."""

    def __init__(self, number: str, content: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("拆分任务")
        fit_to_screen(self, 560, 360)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped(
                f"把任务 {number or '（未编号）'} 拆成几项：每行一项。单位、时限、目标等其他内容会"
                "复制到每一项，拆分后可逐项修改。"
            )
        )
        self.parts_edit = QPlainTextEdit()
        sentences = split_sentences(content)
        self.parts_edit.setPlainText("\n".join(sentences) if len(sentences) > 1 else content)
        layout.addWidget(self.parts_edit, 1)
        layout.addWidget(ok_cancel(self, "拆分"))

    def parts(self) -> list[str]:
        return [line.strip() for line in self.parts_edit.toPlainText().splitlines() if line.strip()]


def deletion_question(plan: ListDeletion) -> str:
    """删除清单: what goes, asked before anything is deleted."""
    lines = [
        f"删除清单“{plan.name}”？",
        "",
        f"将删除：{plan.versions_text}",
        f"共 {plan.tasks} 项任务"
        + (f"、{plan.progress} 条进展记录" if plan.progress else "")
        + "，以及不适用理由和提醒说明。",
    ]
    if plan.submitted_at:
        lines.append(
            f"这份清单已于 {plan.submitted_at[:10]} 上报上级；上级已收到的上报包不受影响。"
        )
    lines += ["", "删除前会自动备份数据库；如删错，可在“系统 → 备份与恢复”中恢复。"]
    return "\n".join(lines)
