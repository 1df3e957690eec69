"""Benchmark: parsing a notice of 10,000 measures, as lines and as one line of web copy.

    .venv/bin/python benchmarks/bench_notice_parse.py [--measures 10000] [--runs 3]

The notice is built from varied measure shapes (bracketed notes with labels, 牵头/配合
markers, 按职责分工负责, notes on their own lines, notes without brackets) under
sections of 一、/（一）. Each shape is timed as text with line breaks, as one line (web
copy, every break removed) and hard-wrapped at 28 characters (PDF text); the same count
of measures is also timed as a 分工表 whose cells stand apart by single spaces, and as
the text layer of a ruled PDF table (one cell a line, wrapped at each column's width). A
doubling of the measure count is timed too, to show that parse time grows linearly.
Goal: under 10 s for 10,000 measures in every form. Never fails on a timing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.core.notice import parse_notice_text

CN = "一二三四五六七八九十"
NOTES = [
    "（责任单位：省发展改革委、省经信厅，各设区市政府）",
    "（牵头单位：省商务厅；配合单位：省财政厅、省市场监管局）",
    "（省科技厅牵头，省教育厅、省人力社保厅配合）",
    "（省民政厅、省卫生健康委按职责分工负责）",
    "\n牵头单位：省交通运输厅\n责任单位：省公安厅、省自然资源厅",
    "省农业农村厅牵头；省供销社配合",
]


def chinese(value: int) -> str:
    """1–99 in Chinese numerals: 七, 十二, 九十三."""
    tens, units = divmod(value, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN[tens - 1] + "十")
    return head + (CN[units - 1] if units else "")


def notice(measures: int) -> str:
    lines = [
        "某某省人民政府关于推进服务业高质量发展的实施意见",
        "某政发〔2026〕9号",
        "各市、县（市、区）人民政府，省政府直属各单位：",
        "为推进服务业高质量发展，现提出如下实施意见。除特别注明外，排第一位的为牵头单位。",
    ]
    total = 0
    for part in range(1, 100):  # 108 measures a part: up to 10,692 measures
        lines.append(f"{chinese(part)}、第{part}部分重点任务")
        number = 0  # numbering restarts in every part, as in long notices
        for section in range(1, 10):
            lines.append(f"（{CN[section - 1]}）推进第{section}类工作")
            for _ in range(12):
                number += 1
                total += 1
                note = NOTES[total % len(NOTES)]
                lines.append(
                    f"{number}. 推进第{number}项工作。建设服务平台，完善工作机制，"
                    f"培育一批示范项目，力争形成可复制经验。{note}"
                )
                if total >= measures:
                    lines += ["本意见自2026年7月1日起施行。", "某某省人民政府", "2026年6月1日"]
                    return "\n".join(lines)
    raise AssertionError("unreachable")


TABLE_HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
LEADS = ["省发展改革委", "省财政厅、省商务厅", "省工业和信息化厅", "省委金融办、人民银行某某省分行"]
COOPERATING = ["省有关部门，各市人民政府", "省自然资源厅、省生态环境厅、省能源局", "", "省科技厅"]
DEADLINES = ["2026年12月底", "持续推进", "2026年9月底", "每季度"]


def table_rows(measures: int) -> list[list[str]]:
    """A 分工表 of ``measures`` rows under sections of 125, numbered from 1 in each."""
    rows: list[list[str]] = []
    for total in range(measures):
        if total % 125 == 0:
            rows.append([f"{chinese(total // 125 + 1)}、第{total // 125 + 1}部分重点任务"])
        k = total % 4
        rows.append(
            [
                str(total % 125 + 1),
                f"推进第{total + 1}项重点工作，完善配套政策，年度完成投资{k + 2}亿元以上",
                LEADS[k],
                COOPERATING[k],
                DEADLINES[k],
            ]
        )
    return rows


def table_notice(measures: int, *, cell_lines: bool) -> str:
    """The table as text: cells apart by single spaces, or one cell a line wrapped at a
    ruled column's width (the text layer of a PDF table)."""
    lines = ["某某省人民政府办公厅关于印发重点任务分工方案的通知", "某政办发〔2026〕9号"]
    lines += TABLE_HEADER if cell_lines else [" ".join(TABLE_HEADER)]
    for row in table_rows(measures):
        if len(row) == 1 or not cell_lines:
            lines.append(" ".join(cell for cell in row if cell))
            continue
        lines.append(row[0])
        for cell, width in zip(row[1:], (14, 7, 9, 5), strict=True):
            lines += textwrap.wrap(cell, width)
    return "\n".join(lines)


def timed(text: str, runs: int) -> tuple[float, int]:
    times = []
    count = 0
    for _ in range(runs):
        start = time.perf_counter()
        count = len(parse_notice_text(text).measures)
        times.append(time.perf_counter() - start)
    return statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for n in (args.measures // 2, args.measures):
        text = notice(n)
        forms = {
            "lines": text,
            "one line": text.replace("\n", ""),
            "wrapped 28": "\n".join(
                "\n".join(textwrap.wrap(line, 28)) for line in text.split("\n")
            ),
            "table": table_notice(n, cell_lines=False),
            "table, PDF": table_notice(n, cell_lines=True),
        }
        for name, body in forms.items():
            seconds, count = timed(body, args.runs)
            goal = "ok" if seconds < 10 else "OVER GOAL"
            print(f"{n:>6} measures, {name:<10}: {seconds:6.2f} s, {count} parsed ({goal})")


if __name__ == "__main__":
    main()
