"""Notice imports preceded by a backup (导入前-…), as the composition root wires them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.core.notice import ParsedNotice
from desktop.services.notices.service import NoticeService, NoticeSummary

if TYPE_CHECKING:
    from desktop.services.safety.backups import BackupService


class NoticeServiceWithBackup(NoticeService):
    """Notice imports, each preceded by a backup (导入前-…), as the composition root wires it.

    The built-in notice loaded into a new database needs none; an import that would be
    refused anyway (the notice exists and replacing was not asked for) takes none either.
    """

    def __init__(self, *args: Any, backups: BackupService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._backups = backups

    def import_parsed(self, parsed: ParsedNotice, *args: Any, **kwargs: Any) -> NoticeSummary:
        doc_number = (parsed.doc_number or "").strip()
        will_write = bool(doc_number and parsed.measures) and not kwargs.get("builtin")
        if will_write and not kwargs.get("replace") and self.find_id(doc_number) is not None:
            will_write = False  # refused as NoticeExistsError below
        if will_write:
            self._backups.backup_before("导入")
        return super().import_parsed(parsed, *args, **kwargs)
