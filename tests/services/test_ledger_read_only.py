"""The read-only ledger (``ledger pdf`` without the ORM) is the service's ledger.

``desktop.services.ledger.build`` builds a ledger over any ``Read``: a service's session or
a plain ``sqlite3`` connection (``desktop.services.reader``). Both must give the same
document for every variant and option, and the read-only path must say when it cannot
read without writing first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.reports import check_fonts
from desktop.services.audit.log import ROWS_BASELINE_KEY
from desktop.services.context import Services
from desktop.services.demo.office import run_demo
from desktop.services.ledger import build, heads
from desktop.services.ledger.service import LedgerOptions
from desktop.services.office.service import OfficeInfo
from desktop.services.reader import ROWS_BASELINE_KEY as READER_BASELINE_KEY
from desktop.services.reader import open_reader
from desktop.services.reading import Read, connection_read
from tests.needs import missing


@pytest.fixture
def plain(services: Services) -> Iterator[Read]:
    """A plain connection to the office's database, beside the services' own."""
    connection = sqlite3.connect(services.data_dir.db_path)
    try:
        yield connection_read(connection)
    finally:
        connection.close()


def test_every_variant_reads_the_same_without_the_orm(services: Services, plain: Read) -> None:
    result = run_demo(services, tasks=60)  # the demo freezes the first quarter
    periods = services.progress.periods(result.list_id)
    frozen = next(p for p in periods if p.frozen)
    running = next(p for p in periods if not p.frozen)
    cases = [
        LedgerOptions(),
        LedgerOptions(variant="by-unit"),
        LedgerOptions(variant="progress"),
        LedgerOptions(variant="lagging"),
        LedgerOptions(variant="progress", period_id=frozen.id),  # from its snapshot
        LedgerOptions(variant="progress", period_id=running.id),
        LedgerOptions(variant="lagging", period_id=frozen.id),
        LedgerOptions(paper="A3", columns=("leader", "person", "schedule", "remarks")),
        LedgerOptions(filler="李四", reviewer="王五", phone="123", sign_date="2027年9月1日"),
    ]
    for options in cases:
        expected = services.ledgers.document(result.list_id, options)
        got = build.ledger_document(plain, result.list_id, options)
        assert got == expected, options
    # the office's chosen columns, read from its setting in both
    services.ledgers.set_columns(("leader", "remarks"))
    expected = services.ledgers.document(result.list_id)
    assert expected.columns == ("leader", "remarks")
    assert build.ledger_document(plain, result.list_id, LedgerOptions()) == expected


def test_the_own_list_is_found_by_the_same_rule(services: Services, plain: Read) -> None:
    result = run_demo(services, tasks=10)
    summary = services.worklists.find_own(2027)
    assert heads.own_list_id(plain, 2027, None) == summary.id == result.list_id
    assert heads.own_list_id(plain, 2027, summary.doc_number) == summary.id
    for year, doc in ((2031, None), (2027, "浙政发〔1999〕1号")):
        with pytest.raises(Exception) as by_service:
            services.worklists.find_own(year, doc)
        with pytest.raises(Exception) as by_reader:
            heads.own_list_id(plain, year, doc)
        assert str(by_reader.value) == str(by_service.value)
        assert "还没有" in str(by_reader.value)


def test_a_list_without_its_periods_needs_the_full_open(services: Services, plain: Read) -> None:
    """Periods are made on first use; reading alone cannot make them, so the read-only path
    says so and the command opens the office (which makes them)."""
    services.office.save(OfficeInfo(locality="某某县", level="县级", parent="某某市"))
    notice = next(n for n in services.notices.list() if n.builtin)
    wl = services.list_lifecycle.create(notice.id, 2027)
    services.task_editing.generate_draft(wl.id)
    assert plain("SELECT count(*) FROM reporting_period WHERE work_list_id = ?", (wl.id,)) == [(0,)]
    # a ledger without a period reads as it is
    assert build.ledger_document(plain, wl.id, LedgerOptions()) == services.ledgers.document(wl.id)
    with pytest.raises(heads.NeedsWrite):
        build.ledger_document(plain, wl.id, LedgerOptions(variant="progress"))
    with pytest.raises(heads.NeedsWrite):
        heads.period_id_by_key(plain, wl.id, "2027-Q2")
    expected = services.ledgers.document(wl.id, LedgerOptions(variant="progress"))  # makes them
    assert build.ledger_document(plain, wl.id, LedgerOptions(variant="progress")) == expected
    q2 = heads.period_id_by_key(plain, wl.id, "2027-Q2")
    assert q2 == next(p.id for p in services.progress.periods(wl.id) if p.key == "2027-Q2")


def test_the_reader_opens_only_an_office_that_needs_no_writing(services: Services) -> None:
    root = services.data_dir.root
    run_demo(services, tasks=5)
    services.close()
    reader = open_reader(root)
    assert reader is not None
    with reader:
        assert reader.read("PRAGMA query_only", ()) == [(1,)]
        with pytest.raises(sqlite3.OperationalError):
            reader.read("DELETE FROM setting", ())
    # rows of an earlier version without their audited state: the full open records it
    with sqlite3.connect(services.data_dir.db_path) as connection:
        connection.execute("DELETE FROM setting WHERE key = ?", (ROWS_BASELINE_KEY,))
    connection.close()
    assert open_reader(root) is None
    # the lock was let go: the full open takes it
    from desktop.services.context import open_office

    again = open_office(root)
    again.close()
    reader = open_reader(root)
    assert reader is not None
    reader.close()


def test_the_reader_knows_the_audit_logs_baseline_key() -> None:
    assert READER_BASELINE_KEY == ROWS_BASELINE_KEY


def test_the_read_only_pdf_is_the_services_pdf(services: Services, tmp_path: Path) -> None:
    if check_fonts() is not None:
        missing("a Chinese font (Debian package fonts-wqy-zenhei)")
    from desktop.core.reports import write_ledger_pdf

    result = run_demo(services, tasks=30)
    for options in (LedgerOptions(), LedgerOptions(variant="progress")):
        services.ledgers.write_pdf(result.list_id, tmp_path / "service.pdf", options)
        connection = sqlite3.connect(services.data_dir.db_path)
        try:
            doc = build.ledger_document(connection_read(connection), result.list_id, options)
        finally:
            connection.close()
        write_ledger_pdf(doc, tmp_path / "reader.pdf")
        assert (tmp_path / "reader.pdf").read_bytes() == (tmp_path / "service.pdf").read_bytes()


def test_rows_read_in_one_step_are_the_rows_their_class_makes(
    services: Services, plain: Read
) -> None:
    """``read_task_rows`` makes its frozen rows without their ``__init__`` (one dictionary
    instead of 18 ``object.__setattr__`` calls): each must be what ``__init__`` makes, and
    counting milestones from rows handed over must count as reading them does."""
    import dataclasses
    from collections import Counter

    from desktop.services.worklist.task_rows import TaskRow, read_task_rows

    assert "__post_init__" not in vars(TaskRow) and "__slots__" not in vars(TaskRow)
    result = run_demo(services, tasks=40)
    rows = read_task_rows(plain, result.list_id)
    assert rows and any(r.milestones for r in rows)
    for row in rows:
        made = TaskRow(**{f.name: getattr(row, f.name) for f in dataclasses.fields(TaskRow)})
        assert row == made and vars(row) == vars(made) and hash(row) == hash(made)
        with pytest.raises(dataclasses.FrozenInstanceError):
            row.number = "x"  # type: ignore[misc]
    milestones = build.read_milestones(plain, result.list_id, described=False)
    counts = Counter(m[0] for m in milestones)
    assert read_task_rows(plain, result.list_id, milestone_counts=counts) == rows


@pytest.fixture
def closed_office(tmp_path: Path) -> Path:
    """A demo office of 30 tasks, closed again (the command takes the folder's lock)."""
    from desktop.services.context import open_office

    root = tmp_path / "office"
    office = open_office(root)
    try:
        run_demo(office, tasks=30)
    finally:
        office.close()
    return root


def test_the_command_reads_at_the_day_it_is_given(
    closed_office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``ledger pdf --as-of`` (a context variable, ``desktop.services.clock``) reaches the
    read-only path's document."""
    if check_fonts() is not None:
        missing("a Chinese font (Debian package fonts-wqy-zenhei)")
    from pypdf import PdfReader

    from desktop.cli import main

    texts = {}
    for day in ("2027-05-31", "2027-06-15"):
        out = tmp_path / f"{day}.pdf"
        args = ["--data-dir", str(closed_office), "ledger", "pdf", "--year", "2027"]
        code = main([*args, "--variant", "progress", "--as-of", day, "--out", str(out)])
        assert code == 0, capsys.readouterr().err
        texts[day] = PdfReader(out).pages[0].extract_text()
    assert "截至2027年5月31日" in texts["2027-05-31"]
    assert "截至2027年6月15日" in texts["2027-06-15"]


def test_the_command_without_a_chinese_font_says_so_and_writes_nothing(
    closed_office: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from desktop.cli import EXIT_USER_ERROR, main
    from desktop.core.reports import fonts

    monkeypatch.setenv("POLICY_LEDGER_FONT_DIRS", str(tmp_path / "no-fonts"))
    monkeypatch.setenv("POLICY_LEDGER_NO_SYSTEM_FONTS", "1")
    fonts.clear_cache()
    out = tmp_path / "x.pdf"
    try:
        args = ["--data-dir", str(closed_office), "ledger", "pdf", "--year", "2027"]
        code = main([*args, "--out", str(out)])
    finally:
        fonts.clear_cache()
    assert code == EXIT_USER_ERROR
    assert "中文字体" in capsys.readouterr().err
    assert not out.exists()
    # the folder was let go of: the next command opens it
    assert main(["--data-dir", str(closed_office), "office", "show", "--json"]) == 0
