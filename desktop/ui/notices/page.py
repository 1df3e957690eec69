"""The 上级文件 area: the notice screen, with the import screen one click away.

Both screens live in one stacked widget so an import in progress stays where it is while
the user looks elsewhere in the program, and closing the program asks about it
(``may_close``). ``list_created`` tells the composition root a work list was created.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from desktop.services.notices.service import NoticeService
from desktop.services.office.service import OfficeService
from desktop.services.worklist.editing import TaskEditing
from desktop.services.worklist.lifecycle import WorkListLifecycle
from desktop.services.worklist.queries import WorkListQueries
from desktop.ui.notices.browser import NoticeBrowser
from desktop.ui.notices.import_page import NoticeImportPage

# the shared style sheet gives #primary buttons their colour even when disabled
DISABLED_PRIMARY = (
    "QPushButton#primary:disabled { background: #f0f2f5; color: #9aa5b1; border-color: #c3ccd8; }"
)


class NoticesPage(QStackedWidget):
    list_created = Signal(int)

    def __init__(
        self,
        notices: NoticeService,
        worklists: WorkListQueries,
        office: OfficeService | None = None,
        parent: QWidget | None = None,
        *,
        lifecycle: WorkListLifecycle,
        editing: TaskEditing,
    ) -> None:
        super().__init__(parent)
        self.setStyleSheet(DISABLED_PRIMARY)
        self.browser = NoticeBrowser(
            notices, worklists, office, lifecycle=lifecycle, editing=editing
        )
        self.importer = NoticeImportPage(notices)
        self.addWidget(self.browser)
        self.addWidget(self.importer)
        self.browser.import_requested.connect(self.show_import)
        self.browser.list_created.connect(self.list_created)
        self.importer.finished.connect(self._import_finished)

    def show_import(self) -> None:
        self.setCurrentWidget(self.importer)

    def _import_finished(self, notice_id: object) -> None:
        self.setCurrentWidget(self.browser)
        self.browser.reload(select_id=notice_id if isinstance(notice_id, int) else None)

    def activated(self) -> None:
        """The area is shown again: coverage may have changed in 年度清单."""
        if self.currentWidget() is self.browser:
            self.browser.reload()

    def may_close(self) -> bool:
        return self.importer.may_close()
