"""Pages painted by a forked copy of the process (``pdf_fork``, Linux): the file is the same,
byte for byte, as one process writes it, whatever the copy does."""

from __future__ import annotations

import dataclasses
import os
import random
import sys
from pathlib import Path

import pytest

from desktop.core.reports import (
    Cancelled,
    LedgerDocument,
    LedgerPart,
    SignOff,
    check_fonts,
    find_cjk_fonts,
    pdf_fork,
    write_ledger_pdf,
)
from desktop.core.reports.pdf_writer import lay_out
from tests.core.ledger_samples import sample_document, sample_row
from tests.needs import missing

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux")


@pytest.fixture(autouse=True)
def _chinese_font() -> None:
    if check_fonts() is not None:
        missing("a Chinese font (Debian package fonts-wqy-zenhei)")


class Forks:
    """Counts the copies started and the results taken from them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started = 0
        self.taken = 0
        self.first = -1  # the first page the copy painted
        start, result = pdf_fork.ForkedPages.start.__func__, pdf_fork.ForkedPages.result

        def counted_start(cls: type[pdf_fork.ForkedPages], *args):  # type: ignore[no-untyped-def]
            helper = start(cls, *args)
            self.started += helper is not None
            return helper

        def counted_result(helper: pdf_fork.ForkedPages, *args):  # type: ignore[no-untyped-def]
            pages = result(helper, *args)
            if pages is not None:
                self.taken += 1
                self.first = pages[0]
            return pages

        # whether the machine has a processor to spare decides when, not what, to fork
        monkeypatch.setattr(pdf_fork, "core_to_spare", lambda since: True)
        monkeypatch.setattr(pdf_fork.ForkedPages, "start", classmethod(counted_start))
        monkeypatch.setattr(pdf_fork.ForkedPages, "result", counted_result)


def one_process(doc: LedgerDocument, path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    with monkeypatch.context() as m:
        m.setattr(pdf_fork, "available", lambda: False)
        write_ledger_pdf(doc, path)
    return path.read_bytes()


def same_as_one_process(doc: LedgerDocument, folder: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether ``two.pdf`` in ``folder`` is the file one process writes of ``doc``."""
    return (folder / "two.pdf").read_bytes() == one_process(doc, folder / "one.pdf", monkeypatch)


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_a_long_ledger_is_painted_in_two_processes_into_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = sample_document(900, seed=11)
    forks = Forks(monkeypatch)
    seen: list[tuple[int, int]] = []
    pages = write_ledger_pdf(doc, tmp_path / "two.pdf", progress=lambda d, t: seen.append((d, t)))
    assert pages >= pdf_fork.MIN_PAGES
    assert (forks.started, forks.taken) == (1, 1)
    assert same_as_one_process(doc, tmp_path, monkeypatch)
    assert seen[-1] == (900, 900) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert no_children_left()


def without(text: str, digit: str) -> str:
    return text.replace(digit, "")


def seven_free_parts() -> LedgerDocument:
    """Forty short parts, then a long one: only the long part's footers (``第 7 页``, in
    the copy's pages) have a 7; nothing else in the ledger has one."""
    rng = random.Random(3)
    template = sample_document(1, year=2026)
    parts = []
    for p in range(41):
        section = dataclasses.replace(template.parts[0].sections[0], groups=[])
        group = dataclasses.replace(template.parts[0].sections[0].groups[0], rows=[])
        for i in range(220 if p == 40 else 12):
            row = sample_row(rng, f"{i + 1}")
            for f in dataclasses.fields(row):
                value = getattr(row, f.name)
                if isinstance(value, str):
                    setattr(row, f.name, without(value, "7"))
            if row.percent is not None and "7" in str(row.percent):
                row.percent = 80
            group.rows.append(row)
        section.groups.append(group)
        parts.append(LedgerPart(f"牵头单位：第{'一二三四五六八九十'[p % 9]}组{p // 9}", [section]))
    return dataclasses.replace(
        template, parts=parts, signoff=SignOff(unit="示例县发展和改革局", date="2026年6月5日")
    )


def test_the_copy_leaves_the_pages_from_where_it_would_measure_a_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A character new to the ledger gets the next glyph, so it must be measured in page
    order: the copy, painting from the end, stops at the first page it would measure one
    on (here 第 17 页 of the last part, the 7) and this process paints that page."""
    doc = seven_free_parts()
    laid = lay_out(doc, find_cjk_fonts())
    last_part = len(doc.parts) - 1
    (seventeen,) = [i for i, p in enumerate(laid.plans) if (p.part, p.number) == (last_part, 17)]
    forks = Forks(monkeypatch)
    write_ledger_pdf(doc, tmp_path / "two.pdf")
    assert (forks.started, forks.taken) == (1, 1)
    assert forks.first > seventeen
    assert same_as_one_process(doc, tmp_path, monkeypatch)


def test_when_the_copy_fails_this_process_paints_its_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = sample_document(900, seed=11)

    def broken(items: list[bytes]) -> bytes:
        raise MemoryError

    monkeypatch.setattr(pdf_fork, "_encode", broken)  # the copy fails sending its pages
    forks = Forks(monkeypatch)
    write_ledger_pdf(doc, tmp_path / "two.pdf")
    assert (forks.started, forks.taken) == (1, 0)
    assert same_as_one_process(doc, tmp_path, monkeypatch)
    assert no_children_left()


def test_a_copy_that_hangs_is_given_up_and_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = sample_document(900, seed=11)

    def hangs(items: list[bytes]) -> bytes:
        os.kill(os.getpid(), 19)  # SIGSTOP: the copy stops and never answers
        return b""

    monkeypatch.setattr(pdf_fork, "_encode", hangs)
    monkeypatch.setattr(pdf_fork, "PATIENCE", 0.5)
    write_ledger_pdf(doc, tmp_path / "two.pdf")
    assert same_as_one_process(doc, tmp_path, monkeypatch)
    assert no_children_left()


def test_cancelling_while_the_copy_works_kills_it_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = sample_document(900, seed=11)

    def slow(items: list[bytes]) -> bytes:
        os.kill(os.getpid(), 19)
        return b""

    monkeypatch.setattr(pdf_fork, "_encode", slow)
    forks = Forks(monkeypatch)
    asked: list[tuple[int, int]] = []
    target = tmp_path / "ledger.pdf"
    with pytest.raises(Cancelled):
        write_ledger_pdf(
            doc,
            target,
            progress=lambda d, t: asked.append((d, t)),
            cancelled=lambda: len(asked) > 20 and forks.started == 1,
        )
    assert forks.started == 1
    assert list(tmp_path.iterdir()) == []
    assert no_children_left()


def test_a_copy_is_made_only_when_a_processor_was_mostly_idle() -> None:
    assert pdf_fork.spare_share((100, 1000), (150, 1100)) == 0.5
    assert pdf_fork.spare_share((100, 1000), (100, 1100)) == 0.0
    assert pdf_fork.spare_share((100, 1000), (100, 1000)) == 0.0  # no time passed
    assert not pdf_fork.core_to_spare(None)
    times = pdf_fork.cpu_times()
    assert times is not None and 0 <= times[0] <= times[1]
