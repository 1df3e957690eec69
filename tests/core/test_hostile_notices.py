"""Hostile notice files through ``notice import``, as a user would run it: exit 2, one
Chinese line, the database unchanged, peak memory within the budget. Crafted here."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import hostile
from tests.hostile import MB, MEMORY_BUDGET, dump, explain, is_one_chinese_line

pytestmark = pytest.mark.posix_only  # peak memory through resource.getrusage

DOCUMENT = "word/document.xml"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
    b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)


def _plain_docx() -> bytes:
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def _one_run(megabytes: int) -> Callable[[], Iterator[bytes]]:
    """document.xml holding one paragraph with one text run of ``megabytes``."""

    def chunks() -> Iterator[bytes]:
        yield _HEAD + b"<w:p><w:r><w:t>"
        block = "服务业扩能提质".encode() * (MB // 21)
        for _ in range(megabytes):
            yield block
        yield b"</w:t></w:r></w:p></w:body></w:document>"

    return chunks


def _xxe() -> bytes:
    return (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + _HEAD[_HEAD.index(b"<w:document") :]
        + b"<w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>"
    )


CASES: dict[str, tuple[str, Callable[[bytes], bytes], str]] = {
    "docx zip bomb": (
        "炸弹.docx",
        lambda docx: hostile.rezip(docx, {DOCUMENT: _one_run(300)}, level=9),
        "超出通知文件的读取限制",
    ),
    "docx header that lies": (
        "说谎.docx",
        lambda docx: hostile.understated_size(
            hostile.rezip(docx, {DOCUMENT: _one_run(40)}), DOCUMENT
        ),
        "document.xml",
    ),
    "docx external entity": (
        "实体.docx",
        lambda docx: hostile.rezip(docx, {DOCUMENT: _xxe()}),
        "DTD",
    ),
    "docx truncated": (
        "截断.docx",
        lambda docx: docx[: len(docx) * 6 // 10],
        "Word",
    ),
    "text past 50 MB": (
        "通知.txt",
        lambda _docx: "关于推进服务业扩能提质的实施意见。".encode() * (60 * MB // 51),
        "文件过大",
    ),
}


@pytest.fixture(scope="module")
def docx() -> bytes:
    return _plain_docx()


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from desktop.services.context import open_office

    root = tmp_path_factory.mktemp("office") / "data"
    open_office(root).close()
    return root


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_in_one_line_within_budget(
    docx: bytes, office: Path, tmp_path: Path, case: str
) -> None:
    name, craft, said = CASES[case]
    path = tmp_path / name
    path.write_bytes(craft(docx))
    before = dump(office / "ledger.sqlite3")
    run = hostile.run_measured(tmp_path, "--data-dir", str(office), "notice", "import", str(path))
    assert is_one_chinese_line(run), explain(run)
    assert said in run.err, explain(run)
    assert 0 < run.peak < MEMORY_BUDGET, f"{run.peak // MB} MB"
    assert dump(office / "ledger.sqlite3") == before
