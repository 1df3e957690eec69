"""Benchmark: the PDF ledger of a large work list, against LibreOffice printing our Excel.

    .venv/bin/python benchmarks/bench_ledger.py [--rows 5000] [--runs 3] [--paper A4]

Builds a synthetic list (text drawn from the built-in notice, so the vocabulary is that
of a real list), times ``write_ledger_pdf`` (median of ``--runs``, after one cold run that
also loads the fonts), writes the same list with ``write_ledger_xlsx`` and times
``soffice --headless --convert-to pdf`` on that workbook (median of ``--runs``, after an
untimed warm-up that creates LibreOffice's profile). Prints the figures and the ratio.
Goal: under 5 s and at least 5x faster than LibreOffice. Never fails on a timing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from desktop.core.reports import find_cjk_fonts, write_ledger_pdf, write_ledger_xlsx

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "resources" / "notices" / "zjzf-2026-16.txt"
sys.path.insert(0, str(ROOT))  # the sample generator lives with the tests, not in the product
from tests.core.ledger_samples import clauses_of, sample_document  # noqa: E402


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def soffice_convert(soffice: str, profile: Path, src: Path, outdir: Path) -> None:
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--paper", default="A4", choices=["A4", "A3"])
    parser.add_argument("--keep", type=Path, help="folder to keep the files in")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = clauses_of(NOTICE.read_text("utf-8")) if NOTICE.exists() else []
    doc = sample_document(args.rows, corpus=corpus, paper=args.paper)
    chars = sum(
        len(r.content + r.target + r.progress + r.lead_units + r.co_units + r.deadline)
        for p in doc.parts
        for s in p.sections
        for g in s.groups
        for r in g.rows
    )
    fonts = find_cjk_fonts()
    print(f"rows {args.rows}, {chars} characters, fonts: {fonts.describe()}")

    ours_pdf = work / "ledger.pdf"
    cold = timed(lambda: write_ledger_pdf(doc, ours_pdf, fonts=fonts))
    ours = [timed(lambda: write_ledger_pdf(doc, ours_pdf, fonts=fonts)) for _ in range(args.runs)]
    ours_median = statistics.median(ours)
    print(
        f"ours:        {ours_median:6.3f} s median of {args.runs} "
        f"({', '.join(f'{t:.3f}' for t in ours)}; cold first run {cold:.3f} s), "
        f"{pdf_pages(ours_pdf)} pages, {ours_pdf.stat().st_size / 1e6:.1f} MB"
    )
    print(f"goal < 5 s:  {'met' if ours_median < 5 else 'NOT met'}")

    xlsx = work / "ledger.xlsx"
    print(f"xlsx export: {timed(lambda: write_ledger_xlsx(doc, xlsx)):6.3f} s")

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice: not installed (apt-get install libreoffice-calc); no comparison")
        return 0
    profile = work / "lo-profile"
    outdir = work / "lo"
    warm = work / "warm.xlsx"
    write_ledger_xlsx(sample_document(5), warm)
    soffice_convert(soffice, profile, warm, outdir)  # creates the profile; not timed
    lo = [timed(lambda: soffice_convert(soffice, profile, xlsx, outdir)) for _ in range(args.runs)]
    lo_median = statistics.median(lo)
    lo_pdf = outdir / "ledger.pdf"
    print(
        f"LibreOffice: {lo_median:6.3f} s median of {args.runs} "
        f"({', '.join(f'{t:.3f}' for t in lo)}), {pdf_pages(lo_pdf)} pages"
    )
    ratio = lo_median / ours_median
    print(
        f"ratio:       {ratio:.1f}x faster than LibreOffice "
        f"(goal 5x: {'met' if ratio >= 5 else 'NOT met'})"
    )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
