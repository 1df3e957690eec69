"""Work ledgers (工作台账) of a work list: building the printed document and writing files.

Variants: the whole list (``all``), one part per lead unit (``by-unit``), the progress ledger
of a reporting period (``progress``), and the lagging tasks (``lagging``). A frozen period's
progress ledger is printed from the snapshot taken when it was frozen, so it reprints exactly.
The document itself is built by ``desktop.services.ledger.build``, which the read-only
``ledger pdf`` command also uses without the ORM.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from desktop.core.reports import LedgerDocument, SignOff
from desktop.db.models import ReportingPeriod, WorkList
from desktop.errors import NotFoundError
from desktop.services.ledger import build, heads
from desktop.services.ledger.build import LedgerOptions, compose_document, notice_topic
from desktop.services.ledger.columns import office_columns, save_office_columns
from desktop.services.ledger.heads import PeriodHead, list_head, period_head
from desktop.services.ledger.snapshot import document_from_json, document_to_json
from desktop.services.progress.status import default_period
from desktop.services.reading import session_read

__all__ = [
    "LedgerOptions",
    "LedgerService",
    "build_document",
    "document_from_json",
    "document_to_json",
    "notice_topic",
    "office_signoff",
]


def office_signoff(session: Session) -> SignOff:
    """The office's names and today's date, as a ledger's sign-off block prints them."""
    return heads.office_signoff(session_read(session))


def build_document(
    session: Session,
    wl: WorkList,
    variant: str,
    period: ReportingPeriod | None,
    columns: tuple[str, ...] | None = None,
) -> LedgerDocument:
    """The ledger of ``wl`` as it stands now (or at ``period``'s end), with the optional
    ``columns`` (None: the office's choice), in ``session``'s transaction."""
    read = session_read(session)
    head = list_head(read, wl.id)
    shown = period_head(read, wl.id, period.id) if period is not None else None
    return build.read_document(read, head, variant, shown, columns)


class LedgerService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # the office's ledger columns -------------------------------------------------------

    def columns(self) -> tuple[str, ...]:
        """The optional columns the office's ledgers print (none: the official layout)."""
        with self._sessions() as session:
            return office_columns(session)

    def set_columns(self, keys: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """Remember the office's optional columns for every ledger from now on."""
        with self._sessions.begin() as session:
            return save_office_columns(session, keys)

    # reading, for the 台账打印 screen ---------------------------------------------------

    def signoff_defaults(
        self, list_id: int | None = None, options: LedgerOptions | None = None
    ) -> SignOff:
        """The sign-off block a ledger gets when the user changes nothing: the office's
        names and today's date, written the way the ledger prints them; for the progress
        ledger of a frozen period, the names and date it was frozen with."""
        with self._sessions() as session:
            if list_id is not None and options is not None and options.variant == "progress":
                wl = session.get(WorkList, list_id)
                period = self._period(session, wl, options) if wl is not None else None
                if period is not None and period.snapshot:
                    frozen = document_from_json(period.snapshot).signoff
                    if frozen.date:
                        return frozen
            return office_signoff(session)

    def default_period_id(self, list_id: int) -> int:
        """The period a progress or lagging ledger shows when none is chosen
        (``default_period``: the same choice ``document`` and the progress screen make)."""
        with self._sessions.begin() as session:
            wl = session.get(WorkList, list_id)
            if wl is None:
                raise NotFoundError("找不到这份清单。")
            period = self._period(session, wl, LedgerOptions(variant="progress"))
            assert period is not None
            return period.id

    def document(self, list_id: int, options: LedgerOptions | None = None) -> LedgerDocument:
        options = options or LedgerOptions()
        build.check_options(options)
        with self._sessions.begin() as session:
            wl = session.get(WorkList, list_id)
            if wl is None:
                raise NotFoundError("找不到这份清单。")
            period = self._period(session, wl, options)  # the periods are made on first use
            read = session_read(session)
            shown: PeriodHead | None = None
            if period is not None:
                shown = period_head(read, wl.id, period.id)
            return compose_document(read, list_head(read, wl.id), options, shown)

    def write_pdf(
        self,
        list_id: int,
        out: Path,
        options: LedgerOptions | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        from desktop.core.reports import write_ledger_pdf

        doc = self.document(list_id, options)
        return write_ledger_pdf(doc, out, progress=progress, cancelled=cancelled)

    def write_pdf_per_unit(
        self,
        list_id: int,
        folder: Path,
        options: LedgerOptions | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Path]:
        from desktop.core.reports import write_ledger_pdfs_per_part

        opts = options or LedgerOptions()
        doc = self.document(list_id, LedgerOptions(**{**asdict(opts), "variant": "by-unit"}))
        return write_ledger_pdfs_per_part(doc, folder, progress=progress, cancelled=cancelled)

    def write_xlsx(
        self, list_id: int, out: Path, options: LedgerOptions | None = None
    ) -> list[str]:
        """Writes the Excel copy; returns the cells cut at Excel's 32,767-character limit."""
        from desktop.core.reports import write_ledger_xlsx

        return write_ledger_xlsx(self.document(list_id, options), out)

    def write_csv(self, list_id: int, out: Path, options: LedgerOptions | None = None) -> None:
        from desktop.core.reports import write_ledger_csv

        write_ledger_csv(self.document(list_id, options), out)

    def _period(
        self, session: Session, wl: WorkList, options: LedgerOptions
    ) -> ReportingPeriod | None:
        if options.period_id is not None:
            period = session.get(ReportingPeriod, options.period_id)
            if period is None or period.work_list_id != wl.id:
                raise NotFoundError("找不到这个填报周期。")
            return period
        if options.variant not in ("progress", "lagging"):
            return None
        return default_period(session, wl)
