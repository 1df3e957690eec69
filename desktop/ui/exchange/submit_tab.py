"""上报: check the office's list, export its package to a folder (a USB stick), see the history.

An office with lower levels (a city) sees beforehand what its package would carry — its own
list, each county's latest list and version, the expected counties that have not reported —
and sends them together in one combined package, or its own list alone; it can send its
counties' lists without an own list.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.checks import CheckIssue, CheckResult
from desktop.services.exchange.service import ExchangeService, ExportResult
from desktop.services.exchange.upward import UpwardPlan, UpwardResult, UpwardTarget
from desktop.services.worklist.checks import WorkListChecks
from desktop.services.worklist.queries import WorkListQueries
from desktop.services.worklist.rows import WorkListSummary
from desktop.ui import dialogs
from desktop.ui.background import off_ui_thread
from desktop.ui.error_report import show_error
from desktop.ui.exchange.busy import BusyBar
from desktop.ui.exchange.models import issue_model, short_time, submission_model
from desktop.ui.exchange.widgets import set_banner, table_view, unbroken
from desktop.ui.forms import hint


class SubmitTab(QWidget):
    exported = Signal(object)  # ExportResult
    open_task = Signal(int, int)  # list id, task id: shown in 年度清单 to be fixed

    def __init__(
        self, exchange: ExchangeService, worklists: WorkListQueries, checks: WorkListChecks
    ) -> None:
        super().__init__()
        self._exchange = exchange
        self._worklists = worklists
        self._checks = checks
        self._accepted: dict[str, str] = {}
        self._result: CheckResult | None = None
        self._lists: list[WorkListSummary] = []
        self._targets: list[UpwardTarget] = []
        self._plan: UpwardPlan | None = None

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("上报："))
        self.list_box = QComboBox()
        self.list_box.setMinimumWidth(420)
        self.list_box.currentIndexChanged.connect(self._list_changed)
        top.addWidget(self.list_box)
        self.check_button = QPushButton("上报前校验")
        self.check_button.clicked.connect(self.run_check)
        self.export_button = QPushButton("导出上报包…")
        self.export_button.setObjectName("primary")
        self.export_button.clicked.connect(self.export)
        top.addWidget(self.check_button)
        top.addWidget(self.export_button)
        top.addStretch(1)
        layout.addLayout(top)

        self.own_only = QCheckBox("只报本级清单（不带下级报来的清单）")
        self.own_only.toggled.connect(lambda _on: self._show_plan())
        top.insertWidget(top.count() - 1, self.own_only)
        self.own_only.hide()

        self.state_label = hint()
        layout.addWidget(self.state_label)
        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        layout.addWidget(self.plan_label)
        self.plan_label.hide()
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        layout.addWidget(self.result_label)

        self.issues = issue_model(lambda: self._accepted)
        self.issue_view = table_view(self.issues)
        self.issue_view.setColumnWidth(0, 110)
        self.issue_view.setColumnWidth(1, 560)
        # several warnings (Shift/Ctrl-click, Ctrl+A) can share one explanation
        self.issue_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.issue_view.selectionModel().selectionChanged.connect(self._issue_selected)
        # a click selects; a double click opens the task in 年度清单, where it is fixed
        self.issue_view.doubleClicked.connect(self._open_issue)
        self.issue_box = QWidget()
        issue_layout = QVBoxLayout(self.issue_box)
        issue_layout.setContentsMargins(0, 0, 0, 0)
        issue_layout.addWidget(self.issue_view, 1)
        layout.addWidget(self.issue_box, 2)
        explain_row = QHBoxLayout()
        self.explain_button = QPushButton("为所选提醒填写说明…")
        self.explain_button.setToolTip("选中的各条提醒填写同一条说明（可按住 Ctrl 或 Shift 多选）")
        self.explain_button.setEnabled(False)
        self.explain_button.clicked.connect(self.explain_selected)
        self.explain_all_button = QPushButton("全部说明…")
        self.explain_all_button.setToolTip("为全部尚未说明的提醒填写同一条说明")
        self.explain_all_button.setEnabled(False)
        self.explain_all_button.clicked.connect(self.explain_all)
        explain_row.addWidget(self.explain_button)
        explain_row.addWidget(self.explain_all_button)
        explain_row.addWidget(
            hint(
                "错误必须在“年度清单”中改正（双击打开对应的任务）；提醒确需保留的，填写说明后"
                "随上报包一并报送。可按住 Ctrl 或 Shift 多选（Ctrl+A 全选），几条提醒共用一条说明。"
            ),
            1,
        )
        issue_layout.addLayout(explain_row)
        self.issue_box.hide()

        self.busy = BusyBar()
        layout.addWidget(self.busy)

        history = QGroupBox("上报记录")
        box = QVBoxLayout(history)
        self.history = submission_model()
        self.history_view = table_view(self.history)
        for col, width in enumerate((130, 200, 60, 130, 70, 150)):
            self.history_view.setColumnWidth(col, width)
        box.addWidget(self.history_view)
        layout.addWidget(history, 1)
        self.refresh()

    # data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.current_target()
        self._targets = self._exchange.upward.targets()
        own = {s.id: s for s in self._worklists.lists(own=True, current_only=True)}
        self._lists = [own[t.own_list_id] for t in self._targets if t.own_list_id in own]
        self.list_box.blockSignals(True)
        self.list_box.clear()
        for t in self._targets:
            self.list_box.addItem(_target_label(t, own.get(t.own_list_id or -1)))
        keep = next((i for i, t in enumerate(self._targets) if current and t.key == current.key), 0)
        self.list_box.setCurrentIndex(keep if self._targets else -1)
        self.list_box.blockSignals(False)
        self._list_changed()

    def current_target(self) -> UpwardTarget | None:
        i = self.list_box.currentIndex()
        return self._targets[i] if 0 <= i < len(self._targets) else None

    def current_list(self) -> WorkListSummary | None:
        target = self.current_target()
        if target is None or target.own_list_id is None:
            return None
        return next((s for s in self._lists if s.id == target.own_list_id), None)

    def _list_changed(self) -> None:
        target = self.current_target()
        wl = self.current_list()
        self.check_button.setEnabled(wl is not None)
        self.export_button.setEnabled(target is not None)
        self._result = None
        self.issues.set_rows([])
        self.issue_box.hide()
        self._issue_selected()
        set_banner(self.result_label, "", "banner")
        self._plan = None
        if target is not None and target.lower:
            try:
                self._plan = self._exchange.upward.plan(target.year, target.doc_number)
            except Exception as err:
                show_error(self, err)
        self.own_only.setVisible(self._plan is not None and wl is not None)
        self._show_plan()
        if target is None:
            set_banner(
                self.result_label,
                "本级还没有年度清单。请先在“年度清单”中新建并编制清单，再回到这里上报。",
                "banner",
            )
            self.state_label.clear()
            self.history.set_rows(self._exchange.submissions())
            return
        self.history.set_rows(self._exchange.submissions())
        if wl is None:
            self.state_label.setText(
                "本级没有这一年的清单：将只把下级报来的清单汇总上报（每份保持下级报来时的原样）。"
            )
            return
        self._accepted = self._checks.accepted_warnings(wl.id)
        history = self._exchange.submissions(wl.id)
        if wl.state == "submitted":
            last = short_time(history[0].at) if history else short_time(wl.submitted_at)
            self.state_label.setText(
                f"第{wl.version}版已于 {last} 上报，已冻结。再次导出将生成同一版本的上报包，"
                "带上最新的进展；如需修改清单，请在“年度清单”中开始新版本。"
            )
        else:
            self.state_label.setText(
                f"第{wl.version}版（{wl.state_label}），共 {wl.tasks} 项任务，尚未上报。"
                "导出上报包时先校验，校验通过后该版本冻结为“已上报”。"
            )

    def _combined(self) -> bool:
        """Whether the export carries the lower lists (a combined package)."""
        plan = self._plan
        own_alone = self.own_only.isVisible() and self.own_only.isChecked()
        return plan is not None and plan.combined and not own_alone

    def _show_plan(self) -> None:
        plan = self._plan
        if plan is None or (self.own_only.isVisible() and self.own_only.isChecked()):
            self.plan_label.hide()
            return
        lines = ["本次上报包将包含："] + [
            line if line.startswith("　") else f"· {line}" for line in plan.lines
        ]
        problem = bool(plan.missing or plan.unkept)
        set_banner(self.plan_label, "\n".join(lines), "errorBanner" if problem else "banner")

    # check -----------------------------------------------------------------------------

    def run_check(self) -> CheckResult | None:
        wl = self.current_list()
        if wl is None:
            return None
        exchange, list_id = self._exchange, wl.id
        self._banner("正在校验……", "banner")
        try:  # every task of the list is read and checked: seconds for a large list
            result = off_ui_thread(self, lambda: exchange.check(list_id))
        except Exception as err:
            show_error(self, err)
            return None
        self._accepted = self._checks.accepted_warnings(wl.id)
        self._result = result
        self.issues.set_rows(sorted(result.issues, key=lambda i: not i.is_error))  # list order
        self.issue_box.setVisible(bool(result.issues))
        self._issue_selected()
        if result.passed:
            self._banner(f"{result.summary()}，可以导出上报包。", "banner")
        else:
            self._banner(
                f"校验未通过：{len(result.errors)} 个错误，{len(result.open_warnings)} "
                "条提醒尚未说明。改正或说明后才能上报。",
                "errorBanner",
            )
        return result

    def _banner(self, text: str, name: str) -> None:
        set_banner(self.result_label, text, name)

    def _issue_selected(self) -> None:
        editable = self._can_edit()
        self.explain_button.setEnabled(editable and bool(self._selected_warnings()))
        open_warnings = self._result.open_warnings if self._result is not None else []
        self.explain_all_button.setEnabled(editable and bool(open_warnings))
        self.explain_all_button.setText(
            f"全部说明（{len(open_warnings)} 条）…" if open_warnings else "全部说明…"
        )

    def _open_issue(self, index: QModelIndex) -> None:
        wl = self.current_list()
        if wl is None or not index.isValid():
            return
        issue = self.issues.row_at(index.row())
        if issue.task_id is not None:
            self.open_task.emit(wl.id, issue.task_id)

    def _selected_warnings(self) -> list[CheckIssue]:
        rows = sorted({i.row() for i in self.issue_view.selectionModel().selectedRows()})
        return [i for i in (self.issues.row_at(r) for r in rows) if not i.is_error]

    def _can_edit(self) -> bool:
        wl = self.current_list()
        return wl is not None and wl.state != "submitted"

    def explain_selected(self) -> None:
        """为所选提醒填写说明: one explanation for every selected warning."""
        chosen = self._selected_warnings()
        if len(chosen) == 1:
            what = chosen[0].message
        else:
            what = f"所选的 {len(chosen)} 条提醒：\n" + _listing(chosen)
        known = {self._accepted.get(i.key, "") for i in chosen}
        self._explain(chosen, what, known.pop() if len(known) == 1 else "")

    def explain_all(self) -> None:
        """全部说明: one explanation for every warning not yet explained."""
        chosen = self._result.open_warnings if self._result is not None else []
        self._explain(chosen, f"全部 {len(chosen)} 条尚未说明的提醒：\n" + _listing(chosen), "")

    def _explain(self, chosen: list[CheckIssue], what: str, text: str) -> None:
        wl = self.current_list()
        if wl is None or not chosen or not self._can_edit():
            return
        answer = dialogs.ask_required_text(
            self,
            "填写提醒说明",
            f"{what}\n\n说明（同一条说明用于以上每条提醒，随上报包报送）：",
            text,
            ok="保存说明",
            missing="请写明说明，或点“取消”。",
            field="check_explanation",
        )
        if answer is None or not answer.strip():  # cancelled
            return
        try:
            self._checks.accept_warnings(wl.id, [(i.key, i.message) for i in chosen], answer)
        except Exception as err:
            show_error(self, err, title="无法保存说明")
            return
        self.run_check()

    # export ----------------------------------------------------------------------------

    def export(self) -> None:
        target = self.current_target()
        if target is None or self.busy.busy:
            return
        if self._combined():
            self._export_combined(target)
            return
        wl = self.current_list()
        if wl is None:
            return
        result = self.run_check()
        if result is None:
            return
        if not result.passed:
            dialogs.warning(
                self,
                "不能上报",
                "上报前校验未通过，未导出上报包。请按列表改正错误、为提醒填写说明后再上报。",
            )
            return
        try:
            coverage = self._exchange.reporting_period(wl.id)
        except Exception as err:
            show_error(self, err)
            return
        if wl.state == "submitted":
            question = (
                f"第{wl.version}版已经上报过。将按最新进展重新导出同一版本的上报包，清单内容不变。"
            )
        else:
            question = (
                f"导出后，第{wl.version}版清单将冻结为“已上报”，不能再修改；"
                "如需修改，需在“年度清单”中开始新版本。"
            )
        question = f"{coverage.text}\n\n{question}"
        title, ok = "导出上报包", "导出"
        if coverage.sparse:
            title, ok = "进展尚未填报齐全", "仍然导出"
            question += (
                f"\n\n只有 {coverage.filled}/{coverage.tasks} 项任务填报了{coverage.label}的进展，"
                "不到一半。上报包按这一周期报送，未填报的任务在上级看来没有本期进展。"
                "\n\n如需补填，请点“取消”，到“进展填报”中填写后再导出。仍要导出吗？"
            )
        else:
            question += "\n\n确定导出上报包吗？"
        if not dialogs.confirm(self, title, question, ok=ok, warn=coverage.sparse):
            return
        folder = dialogs.ask_folder(self, "选择保存上报包的位置（如U盘）")
        if folder is None:
            return
        self._start_export(wl.id, folder)

    def _export_combined(self, target: UpwardTarget) -> None:
        """One package: the own list (checked first) and each lower locality's as received."""
        plan = self._plan
        assert plan is not None
        wl = self.current_list()
        if wl is not None:
            result = self.run_check()
            if result is None:
                return
            if not result.passed:
                dialogs.warning(
                    self,
                    "不能上报",
                    "本级清单的上报前校验未通过，未导出上报包（汇总上报包中的本级清单"
                    "也要通过校验）。请按列表改正错误、为提醒填写说明后再上报。",
                )
                return
        lines = "\n".join(line if line.startswith("　") else f"· {line}" for line in plan.lines)
        frozen = (
            f"\n\n本级清单第{wl.version}版导出后冻结为“已上报”。"
            if wl is not None and wl.state != "submitted"
            else ""
        )
        question = (
            f"将导出一个汇总上报包，包含：\n{lines}{frozen}\n\n"
            "下级的清单按其报来时的原样（原文件、原校验码）一并报送。确定导出吗？"
        )
        warn = bool(plan.missing or plan.unkept)
        if not dialogs.confirm(self, "导出汇总上报包", question, ok="导出", warn=warn):
            return
        folder = dialogs.ask_folder(self, "选择保存上报包的位置（如U盘）")
        if folder is None:
            return
        year, doc = target.year, target.doc_number

        def work(job):  # type: ignore[no-untyped-def]
            return self._exchange.upward.export(
                year, doc, folder, progress=job.progress, cancelled=job.cancelled
            )

        self.busy.run("正在生成汇总上报包……", work, self._exported, title="上报包未导出")

    def _start_export(self, list_id: int, folder: Path) -> None:
        def work(job):  # type: ignore[no-untyped-def]
            return self._exchange.export(
                list_id, folder, progress=job.progress, cancelled=job.cancelled
            )

        self.busy.run(
            "正在生成上报包（清单数据、Excel 和 PDF）……", work, self._exported, title="上报包未导出"
        )

    def _exported(self, result: ExportResult | UpwardResult) -> None:
        self.refresh()
        detail = (
            result.coverage.text
            if isinstance(result, ExportResult)
            else "\n".join(result.plan.lines)
        )
        signed = (
            f"第 {result.sequence} 次导出，已用本单位密钥签名"
            if isinstance(result, ExportResult)
            else f"第 {result.sequence} 个汇总上报包，已用本单位密钥签名"
        )
        dialogs.info(
            self,
            "上报包已导出",
            f"{result.message}\n{detail}\n"
            f"{signed}，密钥指纹：\n"
            f"{unbroken(result.fingerprint)}\n\n"
            f"文件校验码（SHA-256）：\n{result.sha256}\n\n"
            "请把这个文件交给上级（U盘或邮件）。上级导入时会核对签名，"
            "首次导入时会与本单位盖章台账落款处的密钥指纹核对。",
        )
        self.exported.emit(result)


def _listing(issues: list[CheckIssue], limit: int = 6) -> str:
    """The first few messages, one per line, for the explanation dialog."""
    lines = [f"· {i.message}" for i in issues[:limit]]
    if len(issues) > limit:
        lines.append(f"……另有 {len(issues) - limit} 条")
    return "\n".join(lines)


def _target_label(t: UpwardTarget, own: WorkListSummary | None) -> str:
    """2027年 浙政发〔2026〕16号 第2版（已上报）＋下级清单 5 份."""
    what = f"第{own.version}版（{own.state_label}）" if own is not None else "无本级清单"
    lower = f"＋下级清单 {t.lower} 份" if t.lower else ""
    return f"{t.year}年 {t.doc_number} {what}{lower}"
