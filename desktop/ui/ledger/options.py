"""The choices of the 台账打印 screen: which ledger, which period, which paper, who signs.

A plain form: it is handed the lists, periods and sign-off defaults by the screen and
gives back ``LedgerOptions``. It emits ``changed`` whenever something that alters the
printed ledger changes, and ``list_changed`` when another work list is chosen (its
periods must then be loaded).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.reports import SignOff
from desktop.core.reports.fileio import safe_filename
from desktop.core.reports.variants import VARIANTS
from desktop.core.vocabulary import LABELS, OPTIONAL_LEDGER_COLUMNS
from desktop.errors import UserError
from desktop.services.ledger.service import LedgerOptions, LedgerService
from desktop.services.progress.service import PeriodView
from desktop.services.worklist.rows import WorkListSummary
from desktop.ui.error_report import show_error
from desktop.ui.forms import hint
from desktop.ui.list_choice import working_list

VARIANT_HINTS = {
    "all": "按省级条目分组，列出清单的全部工作任务及最新进展。",
    "by-unit": "每个牵头单位单独成册、单独编页；可用“按单位分别保存…”每个单位存一个文件。",
    "progress": "所选周期的进展及滞后原因、下步打算，截至期末（未结束的截至今天）；"
    "已冻结的按冻结时原样重印。",
    "lagging": "截至所选周期期末（未结束的截至今天）落后于序时进度的任务，及其滞后原因和下步打算。",
}
PERIOD_VARIANTS = ("progress", "lagging")
PAPERS = (("A4", "A4 横向"), ("A3", "A3 横向"))
LOWER_MARK = "【下级】"


def keep_columns(parent: QWidget, ledgers: LedgerService, keys: tuple[str, ...]) -> None:
    """The office's choice of optional columns holds for its ledgers from now on."""
    try:
        ledgers.set_columns(keys)
    except (UserError, OSError) as err:
        show_error(parent, err, title="未能保存台账列")


def list_label(summary: WorkListSummary) -> str:
    """How a work list reads in the chooser; lists of lower levels are marked 下级."""
    text = summary.display
    return f"{LOWER_MARK}{text}" if not summary.own else text


def period_label(period: PeriodView) -> str:
    return f"{period.label}（已冻结）" if period.frozen else period.label


COLUMNS_NOTE = (
    "标准格式只有上级规定的列。勾选的列加在本单位的所有台账上（PDF、打印、Excel、CSV），"
    "下次打开仍然有效。"
)


class LedgerOptionsPanel(QWidget):
    changed = Signal()
    list_changed = Signal()
    columns_changed = Signal(tuple)  # the user ticked or cleared an optional column

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lists: list[WorkListSummary] = []
        self._periods: list[PeriodView] = []
        self._defaults = SignOff()
        self._edited: set[str] = set()

        self.list_box = QComboBox()
        self.list_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.list_box.setMinimumContentsLength(24)
        self.list_box.setPlaceholderText("（暂无清单）")
        self.list_box.setToolTip("本级清单在前；从下级上报包导入的清单标有“下级”")

        self.variant_box = QComboBox()
        for key, label in VARIANTS.items():
            self.variant_box.addItem(label, key)
        self.variant_hint = hint()
        self.period_box = QComboBox()
        self.period_box.setToolTip("“某期进展台账”和“滞后任务清单”按所选周期期末统计")
        self.paper_box = QComboBox()
        for key, label in PAPERS:
            self.paper_box.addItem(label, key)

        content = QGroupBox("台账内容")
        form = QFormLayout(content)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("台账类型", self.variant_box)
        form.addRow("", self.variant_hint)
        form.addRow("填报周期", self.period_box)
        form.addRow("纸张", self.paper_box)

        self.filler_edit = QLineEdit()
        self.reviewer_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("留空则打印后手写")
        self._fields = {
            "filler": self.filler_edit,
            "reviewer": self.reviewer_edit,
            "phone": self.phone_edit,
            "date": self.date_edit,
        }
        signoff = QGroupBox("签署栏")
        sign_form = QFormLayout(signoff)
        sign_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        sign_form.addRow("填报人", self.filler_edit)
        sign_form.addRow("审核人", self.reviewer_edit)
        sign_form.addRow("联系电话", self.phone_edit)
        sign_form.addRow("填报日期", self.date_edit)
        note = hint("默认取自“单位设置”，在此修改只用于本次打印。")
        self.reset_button = QPushButton("恢复默认")
        self.reset_button.setToolTip("恢复为“单位设置”中的人员、电话和今天的日期")
        self.reset_button.clicked.connect(self.reset_signoff)
        sign_form.addRow(note)
        sign_form.addRow("", self.reset_button)

        columns = QGroupBox("台账列")
        columns_layout = QVBoxLayout(columns)
        columns_layout.addWidget(hint(COLUMNS_NOTE))
        self.column_boxes: dict[str, QCheckBox] = {}
        for key in OPTIONAL_LEDGER_COLUMNS:
            box = QCheckBox(f"加印“{LABELS[key]}”")
            box.toggled.connect(self._columns_toggled)
            self.column_boxes[key] = box
            columns_layout.addWidget(box)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(content)
        layout.addWidget(columns)
        layout.addWidget(signoff)

        self.list_box.currentIndexChanged.connect(self._list_chosen)
        self.variant_box.currentIndexChanged.connect(self._variant_chosen)
        self.period_box.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.paper_box.currentIndexChanged.connect(lambda _i: self.changed.emit())
        for key, edit in self._fields.items():
            edit.textEdited.connect(lambda _t, key=key: self._field_edited(key))
        self._variant_chosen()

    # lists and periods ------------------------------------------------------------------

    def set_lists(self, lists: list[WorkListSummary]) -> None:
        """Offer ``lists`` (own ones first), keeping the chosen one when it is still there."""
        keep = self.list_id()
        self._lists = sorted(lists, key=lambda s: (not s.own, -s.year, s.locality, s.doc_number))
        self.list_box.blockSignals(True)
        self.list_box.clear()
        for summary in self._lists:
            self.list_box.addItem(list_label(summary), summary.id)
        index = self.list_box.findData(keep) if keep is not None else -1
        if index < 0:  # first shown, or the list is gone: the one being worked on
            own = [s for s in self._lists if s.own]
            index = self.list_box.findData(working_list(own or self._lists))
        self.list_box.setCurrentIndex(index if index >= 0 else (0 if self._lists else -1))
        self.list_box.blockSignals(False)
        self.list_box.setEnabled(bool(self._lists))
        if self.list_id() != keep:
            self._list_chosen()

    def list_id(self) -> int | None:
        data = self.list_box.currentData()
        return int(data) if data is not None else None

    def current_list(self) -> WorkListSummary | None:
        chosen = self.list_id()
        return next((s for s in self._lists if s.id == chosen), None)

    def set_periods(self, periods: list[PeriodView], default_id: int | None) -> None:
        """The chosen list's periods; keeps the chosen period by key, else ``default_id``."""
        keep = self.current_period()
        self._periods = list(periods)
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for period in self._periods:
            self.period_box.addItem(period_label(period), period.id)
        wanted = next((p.id for p in self._periods if keep and p.key == keep.key), default_id)
        index = self.period_box.findData(wanted) if wanted is not None else -1
        self.period_box.setCurrentIndex(index if index >= 0 else len(self._periods) - 1)
        self.period_box.blockSignals(False)
        self._variant_chosen()

    def current_period(self) -> PeriodView | None:
        chosen = self.period_box.currentData()
        return next((p for p in self._periods if p.id == chosen), None)

    def variant(self) -> str:
        return str(self.variant_box.currentData())

    def set_variant(self, key: str) -> None:
        self.variant_box.setCurrentIndex(self.variant_box.findData(key))

    def set_period(self, period_id: int) -> None:
        self.period_box.setCurrentIndex(self.period_box.findData(period_id))

    def set_paper(self, paper: str) -> None:
        self.paper_box.setCurrentIndex(self.paper_box.findData(paper))

    def uses_period(self) -> bool:
        return self.variant() in PERIOD_VARIANTS

    def file_stem(self) -> str:
        """A file name (without suffix) saying what the ledger is, safe on Windows."""
        summary = self.current_list()
        if summary is None:
            return "工作台账"
        name = f"{summary.locality}{summary.year}年重点工作台账"
        period = self.current_period() if self.uses_period() else None
        variant = self.variant()
        if variant == "by-unit":
            name += "（按牵头单位）"
        elif variant == "progress":
            name += f"（{period.label}进展）" if period else "（进展）"
        elif variant == "lagging":
            name += f"（滞后任务·{period.label}）" if period else "（滞后任务）"
        return safe_filename(name)

    # sign-off ---------------------------------------------------------------------------

    def set_signoff_defaults(self, defaults: SignOff) -> None:
        """The office's names and today's date; fields the user has typed in are kept."""
        self._defaults = defaults
        for key, edit in self._fields.items():
            if key not in self._edited:
                edit.setText(getattr(defaults, key))

    def reset_signoff(self) -> None:
        self._edited.clear()
        self.set_signoff_defaults(self._defaults)
        self.changed.emit()

    def set_signoff(self, **values: str) -> None:
        """Fill sign-off fields as if typed (filler=, reviewer=, phone=, date=)."""
        for key, value in values.items():
            self._fields[key].setText(value)
            self._edited.add(key)
        self.changed.emit()

    def signoff(self) -> SignOff:
        return SignOff(
            unit=self._defaults.unit,
            filler=self.filler_edit.text().strip(),
            reviewer=self.reviewer_edit.text().strip(),
            phone=self.phone_edit.text().strip(),
            date=self.date_edit.text().strip(),
            key_fingerprint=self._defaults.key_fingerprint,
        )

    # optional columns -------------------------------------------------------------------

    def set_columns(self, keys: tuple[str, ...]) -> None:
        """Tick the office's columns (as kept), without telling anyone."""
        for key, box in self.column_boxes.items():
            box.blockSignals(True)
            box.setChecked(key in keys)
            box.blockSignals(False)

    def columns(self) -> tuple[str, ...]:
        return tuple(k for k, box in self.column_boxes.items() if box.isChecked())

    def _columns_toggled(self, _checked: bool) -> None:
        self.columns_changed.emit(self.columns())
        self.changed.emit()

    # the result -------------------------------------------------------------------------

    def options(self) -> LedgerOptions:
        period = self.current_period() if self.uses_period() else None
        sign = self.signoff()
        return LedgerOptions(
            variant=self.variant(),
            period_id=period.id if period is not None else None,
            paper=str(self.paper_box.currentData()),
            filler=sign.filler,
            reviewer=sign.reviewer,
            phone=sign.phone,
            sign_date=sign.date,
            columns=self.columns(),
        )

    # reactions --------------------------------------------------------------------------

    def _list_chosen(self, _index: int = -1) -> None:
        self._periods = []
        self.period_box.blockSignals(True)
        self.period_box.clear()
        self.period_box.blockSignals(False)
        self.list_changed.emit()
        self.changed.emit()

    def _variant_chosen(self, _index: int = -1) -> None:
        key = self.variant()
        self.variant_hint.setText(VARIANT_HINTS.get(key, ""))
        self.period_box.setEnabled(self.uses_period() and bool(self._periods))
        if _index >= 0:
            self.changed.emit()

    def _field_edited(self, key: str) -> None:
        self._edited.add(key)
        self.changed.emit()
