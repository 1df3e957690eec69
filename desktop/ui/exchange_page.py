"""上报与汇总: report upward, collect the departments' progress, aggregate the lower levels.

What the office sees depends on where it stands: a county reports upward (上报) and
collects its departments' progress (部门填报); a city also aggregates its counties (汇总)
and reports its own list to the province; a province aggregates its cities. The same
screen serves every level.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop.services.exchange.service import ExchangeService
from desktop.services.office.service import OfficeService
from desktop.services.worklist.checks import WorkListChecks
from desktop.services.worklist.lifecycle import WorkListLifecycle
from desktop.services.worklist.queries import WorkListQueries
from desktop.ui.exchange.aggregate_tab import AggregateTab
from desktop.ui.exchange.dept_tab import DeptTab
from desktop.ui.exchange.submit_tab import SubmitTab
from desktop.ui.forms import hint


class ExchangePage(QWidget):
    open_task = Signal(int, int)  # list id, task id: an issue of the check, to be fixed

    def __init__(
        self,
        exchange: ExchangeService,
        worklists: WorkListQueries,
        office: OfficeService,
        *,
        lifecycle: WorkListLifecycle,
        checks: WorkListChecks,
    ) -> None:
        super().__init__()
        # the shared style sheet colours #primary buttons even when disabled
        self.setStyleSheet(
            "QPushButton#primary:disabled { background: #f0f2f5; color: #9aa5b1;"
            " border-color: #c3ccd8; }"
        )
        self._office = office
        info = office.get()
        layout = QVBoxLayout(self)
        title = QLabel("上报与汇总")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.role = hint(_role_text(info.locality, info.level, info.parent))
        layout.addWidget(self.role)

        self.tabs = QTabWidget()
        self.aggregate: AggregateTab | None = None
        self.submit: SubmitTab | None = None
        self.dept = DeptTab(exchange.departments, worklists)
        aggregates = info.level in ("市级", "省级") or bool(worklists.lists(own=False))
        if aggregates:
            self.aggregate = AggregateTab(exchange, info.level, lifecycle)
            self.tabs.addTab(self.aggregate, "汇总下级上报")
        if info.parent or info.level != "省级":
            self.submit = SubmitTab(exchange, worklists, checks)
            self.submit.exported.connect(lambda _: self.dept.refresh())
            self.submit.open_task.connect(self.open_task.emit)
            self.tabs.addTab(self.submit, "向上级上报")
        self.tabs.addTab(self.dept, "部门填报")
        layout.addWidget(self.tabs, 1)

    def activated(self) -> None:
        """Called by the main window when the area is shown: other screens may have changed
        the lists since."""
        info = self._office.get()
        self.role.setText(_role_text(info.locality, info.level, info.parent))
        for tab in (self.aggregate, self.submit, self.dept):
            if tab is not None and not tab.busy.busy:
                tab.refresh()


def _role_text(locality: str, level: str, parent: str) -> str:
    where = locality or "（未设置本级）"
    up = f"上级：{parent}" if parent else "未设置上级"
    if level == "县级":
        what = "在这里校验本级清单并导出上报包（U盘或邮件交给上级），也可按部门收集进展。"
    elif level == "市级":
        what = (
            "在这里导入各县（市、区）的上报包并汇总，再把本级清单连同各县报来的清单"
            "（保持原样）一并上报省里。"
        )
    else:
        what = "在这里导入各设区市的上报包（含其所辖县市区的清单）并汇总。"
    return f"本级：{where}（{level}，{up}）。{what}"
