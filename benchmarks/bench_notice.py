"""Benchmark: parsing the built-in notice, and reading remarks in repetitive text.

    .venv/bin/python benchmarks/bench_notice.py [--rounds 20]

Times parsing 浙政发〔2026〕16号 from its text (best and median of ``--rounds``; a
parse well under 50 ms keeps the import dialog's preview immediate), and the remark
reader on long repetitive phrases of the kind that make a careless regular expression
backtrack for seconds (each takes a few milliseconds at most). Prints the figures; never
fails on a timing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from desktop.core.notice import parse_notice_text
from desktop.core.notice.unit_notes import find_doc_rules, match_remark
from desktop.paths import resource_path

REPETITIVE_REMARKS = (
    "以上" + "措施" * 70 + "均需各设区市政府",
    "以下" + "均" * 150,
    "各项" + "任务" * 75,
)


def measure(label: str, fn: Callable[[], object], rounds: int) -> None:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    best, median = min(times) * 1000, statistics.median(times) * 1000
    print(f"  {label:<44} best {best:8.2f} ms   median {median:8.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    source = resource_path("notices", "zjzf-2026-16.txt").read_text(encoding="utf-8")
    print(f"notice parsing, {args.rounds} rounds")
    measure("parse the built-in notice", lambda: parse_notice_text(source), args.rounds)
    for text in REPETITIVE_REMARKS:
        label = f"remark reading, {len(text)} characters: {text[:4]}…"
        measure(
            label,
            lambda t=text: (match_remark(t), find_doc_rules(f"{t}，不再列出。", strict=True)),
            200,
        )


if __name__ == "__main__":
    main()
