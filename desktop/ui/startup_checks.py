"""What the GUI does around the main window: open safely, back up, warn, restore.

- Opening: ``open_office`` (handed in by the composition root, which owns what it opens)
  checks the database before anything writes to it. A damaged
  database gets :class:`DamagedDatabaseDialog` — the newest good backup with 恢复 / 退出,
  or a backup file of the user's choosing — and nothing else happens to the file.
- After the window shows: the daily automatic backup (in the background, when due) and,
  once per start, a warning when no Chinese font for PDF ledgers is installed; when the
  start found the database's log damaged, what was lost and the newest backup to restore.
- After the window closes: the automatic backup on exit, or the restore the user asked
  for in 系统 (performed with every connection closed; the caller then reopens).

``desktop.app.run_gui`` strings these together; they live here so tests can drive each.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME
from desktop.services.safety.backups import (
    BackupContents,
    BackupService,
    DatabaseDamagedError,
    RestoreService,
    restore_data_folder,
)
from desktop.services.safety.wal_check import WalDamage
from desktop.ui import dialogs
from desktop.ui.background import run_in_background, wait_for_background
from desktop.ui.backup_page import BACKUP_FILTER
from desktop.ui.error_report import report_bug, show_error, user_message
from desktop.ui.forms import hint

log = logging.getLogger(__name__)

Opened = TypeVar("Opened")


class DamagedDatabaseDialog(QDialog):
    """The database is damaged: restore the newest good backup (or a chosen file), or quit."""

    def __init__(self, err: DatabaseDamagedError, backups: BackupService) -> None:
        super().__init__()
        self._backups = backups
        self.chosen: BackupContents | None = None
        state = "文件丢失" if err.lost else "结构被改动" if err.altered else "已损坏"
        self.setWindowTitle(f"{APP_NAME} — 数据库{state}")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        if err.lost:  # emptied or gone: “损坏扩大” would make no sense
            said = f"{err.problem}。\n程序没有在原处新建空的数据库，请从备份恢复。"
        elif err.altered:
            said = (
                f"数据库的结构被改动过（{err.problem}）。\n"
                "其中不属于本程序的触发器或视图会在保存时执行，为安全起见，程序没有写入它，"
                "也没有打开它。"
            )
        else:
            said = (
                f"数据库文件已损坏（{err.problem}）。\n"
                "为避免损坏扩大，程序没有写入它，也没有打开它。"
            )
        banner = QLabel(said)
        banner.setObjectName("errorBanner")
        banner.setWordWrap(True)
        layout.addWidget(banner)
        where = QLabel(f"数据库：{err.data_dir.db_path}")
        where.setObjectName("hint")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)

        box = QGroupBox("最近一份完好的备份")
        box_layout = QVBoxLayout(box)
        if err.backup is not None:
            info = err.backup.info
            text = (
                f"{info.kind_label}，{info.when_text}，{info.size_text}\n"
                + "\n".join(err.backup.holdings_lines())
                + f"\n文件：{info.path}"
            )
        else:
            text = "备份文件夹中没有完好的备份。如U盘或其他位置另有备份，请选择该文件恢复。"
        self.backup_label = QLabel(text)
        self.backup_label.setWordWrap(True)
        self.backup_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box_layout.addWidget(self.backup_label)
        layout.addWidget(box)
        kept = "" if err.lost else "恢复时，当前的数据库会先原样留存在备份文件夹中，不会被删除。"
        note = hint(kept + "备份之后录入的内容需要重新录入。")
        layout.addWidget(note)

        buttons = QHBoxLayout()
        self.restore_button = QPushButton("恢复")
        self.restore_button.setObjectName("primary")
        self.restore_button.setDefault(True)
        self.restore_button.setEnabled(err.backup is not None)
        self.restore_button.clicked.connect(lambda: self._choose(err.backup))
        self.other_button = QPushButton("选择其他备份文件…")
        self.other_button.clicked.connect(self.choose_file)
        self.quit_button = QPushButton("退出")
        self.quit_button.clicked.connect(self.reject)
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.quit_button)
        layout.addLayout(buttons)

    def _choose(self, contents: BackupContents | None) -> None:
        if contents is not None:
            self.chosen = contents
            self.accept()

    def choose_file(self) -> None:
        path = dialogs.ask_open_path(self, "选择备份文件", BACKUP_FILTER)
        if path is None:
            return
        try:
            contents = self._backups.peek(path)
        except Exception as err:
            show_error(self, err, title="无法读取备份")
            return
        if not contents.restorable:
            dialogs.warning(
                self,
                "不能从这份备份恢复",
                (contents.problem or "这份备份无法使用。")
                + "\n\n请选择另一份备份文件，或点“退出”。",
            )
            return
        self._choose(contents)


def _startup_failed(err: BaseException) -> None:
    message = user_message(err)
    if message is None:
        report_bug(None, type(err), err, err.__traceback__)
    else:
        dialogs.error(None, f"{APP_NAME}无法启动", message)


def open_office_interactively(root: Path, open_office: Callable[[Path], Opened]) -> Opened | None:
    """``open_office(root)``, after offering a restore if the database is damaged.

    None when the program cannot start (the user chose 退出, or the folder cannot be used;
    the reason has been shown).
    """
    while True:
        try:
            return open_office(root)
        except DatabaseDamagedError as err:
            dialog = DamagedDatabaseDialog(err, BackupService(err.data_dir))
            if not dialogs.run_dialog(dialog) or dialog.chosen is None:
                return None
            try:
                result = restore_data_folder(root, dialog.chosen.info.path)
            except Exception as failed:
                show_error(None, failed, title="恢复未完成")
                continue  # the dialog again: another backup, or 退出
            kept = result.damaged_copy or result.safety_backup
            # an emptied or missing file leaves nothing to keep
            where = f"\n\n损坏的数据库已留存为：\n{kept}" if kept is not None else ""
            dialogs.info(
                None,
                "已从备份恢复",
                "已从备份恢复：\n" + "\n".join(result.contents.holdings_lines()) + where,
            )
        except Exception as err:
            _startup_failed(err)
            return None


def after_start(
    window: QWidget,
    backups: BackupService,
    db_path: Path,
    *,
    check_fonts: bool = True,
    wal_damage: tuple[WalDamage | None, RestoreService] | None = None,
) -> None:
    """Once the window shows: the daily backup if due, the read-only warning, the font check,
    and (``wal_damage``: what the start found, and the restore service) the offer of the
    newest backup when the database's log was damaged."""

    def backed_up(info: object) -> None:
        if info is not None:
            log.info("每日自动备份完成")

    def backup_failed(err: BaseException) -> None:
        # no parent: the window may have been closed (and deleted) while the backup ran
        show_error(None, err, title="自动备份未完成")

    run_in_background(
        lambda _job: backups.backup_if_due(), on_done=backed_up, on_error=backup_failed
    )
    QTimer.singleShot(0, window, lambda: warn_read_only(window, db_path))
    if check_fonts:
        QTimer.singleShot(0, window, lambda: warn_missing_fonts(window))
    if wal_damage is not None and wal_damage[0] is not None:
        damage, restoring = wal_damage[0], wal_damage[1]
        QTimer.singleShot(
            0, window, lambda: offer_restore_after_wal_damage(window, damage, restoring)
        )


def offer_restore_after_wal_damage(
    window: QWidget, damage: WalDamage, restoring: RestoreService
) -> bool:
    """The log was damaged (changes since the last save may be lost): say so and offer the
    newest good backup; True when the user chose to restore it (the window then closes and
    the restore runs as one asked for in 系统)."""
    title = "上次的部分修改可能已丢失"
    text = damage.message()
    if damage.backup is None:
        dialogs.warning(window, title, text)
        return False
    question = (
        f"{text}\n\n备份之后录入的内容需要重新录入；当前的数据库会先另存为“恢复前”备份。"
        "\n现在从这份备份恢复吗？（主窗口会关闭，完成后自动重新打开）"
    )
    if not dialogs.confirm(window, title, question, ok="从备份恢复", warn=True):
        return False
    try:
        restoring.schedule_restore(damage.backup.info.path)
    except Exception as err:
        show_error(window, err, title="不能从这份备份恢复")
        return False
    window.close()
    return True


def warn_read_only(parent: QWidget | None, db_path: Path) -> str | None:
    """Say at once when the database file cannot be written (the 只读 attribute, a copy
    from a CD): SQLite opens it all the same and the user would learn only on saving the
    first edit. Returns what was said."""
    if not db_path.exists() or os.access(db_path, os.W_OK):
        return None
    text = (
        f"数据库文件是只读的：\n{db_path}\n\n"
        "可以查看，但任何修改都无法保存。请关闭程序，在该文件的“属性”中取消勾选“只读”"
        "（或把数据文件夹复制到可写的位置），再重新打开。"
    )
    dialogs.warning(parent, "数据库只能查看", text)
    return text


def warn_missing_fonts(parent: QWidget | None) -> str | None:
    """Say once, at start, that PDF ledgers need a Chinese font; returns what was said."""
    from desktop.core.reports import check_fonts

    message = check_fonts()
    if message is None:
        return None
    text = f"{message}\n\n在此之前可以照常录入、查看和导出 Excel，但无法生成 PDF 台账。"
    dialogs.warning(parent, "缺少中文字体", text)
    return text


def backup_on_exit(backups: BackupService) -> bool:
    """The automatic backup when the program closes; a failure is said, not hidden."""
    wait_for_background()
    try:
        backups.backup_automatic()
    except Exception as err:
        show_error(None, err, title="退出时的自动备份未完成")
        return False
    return True


def run_scheduled_restore(restoring: RestoreService, source: Path) -> bool:
    """Restore ``source`` into the closed program's data folder; True when it worked."""
    wait_for_background()
    try:
        result = restoring.restore(source)
    except Exception as err:
        show_error(None, err, title="恢复未完成")
        return False
    kept = result.safety_backup or result.damaged_copy
    dialogs.info(
        None,
        "已从备份恢复",
        "已从备份恢复：\n" + "\n".join(result.contents.holdings_lines()) + "\n\n"
        f"恢复前的数据库已另存为：\n{kept}\n需要时可以在“系统 → 备份与恢复”中恢复回来。"
        "\n\n点击“确定”后重新打开主窗口。",
    )
    return True
