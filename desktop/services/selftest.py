"""The self-test: the office's own data folder, then a temporary office, every migration,
the built-in notice, a small ledger PDF.

Run by ``selftest`` on the command line and by CI on the frozen build. First the real data
folder is checked, only read (``desktop.services.selftest_folder``): the database's
integrity and schema, the audit chain, every backup; then the temporary round trip proves
the program, its migrations, its bundled resources and the PDF fonts all work on this
machine. Any failure fails the whole.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from desktop.db.integrity import check_database
from desktop.errors import readable

Step = Callable[[Path], str]


def run_selftest(report: Callable[[str], None] = print, data_root: Path | None = None) -> bool:
    """Run every step, reporting each; True only when all of them passed.

    ``data_root``: the office's data folder, checked first (never written to). The last
    step deletes the temporary folder: on Windows that fails while any file in it is still
    open (the database, the log, the lock), which the program must never leave so.
    """
    ok = True
    if data_root is not None:
        from desktop.services.selftest_folder import check_data_folder

        ok = check_data_folder(data_root, report)
    root = Path(tempfile.mkdtemp(prefix="policy-ledger-selftest-"))
    for name, step in STEPS:
        try:
            detail = step(root)
        except Exception as err:  # a self-test reports every failure, it does not stop
            report(f"失败  {name}：{readable(str(err))}")
            ok = False
            break
        report(f"通过  {name}：{detail}")
    try:
        shutil.rmtree(root)
    except OSError as err:
        report(f"失败  删除临时文件夹：{err}")
        shutil.rmtree(root, ignore_errors=True)
        return False
    report("通过  删除临时文件夹：没有文件仍被占用")
    return ok


def _migrations(root: Path) -> str:
    from desktop.services.context import open_office

    services = open_office(root / "data")
    try:
        notices = services.notices.list()
    finally:
        services.close()
    if not notices or notices[0].measures == 0:
        raise RuntimeError("内置上级文件没有加载")
    return f"数据库已建成，内置文件 {notices[0].doc_number} 共 {notices[0].measures} 条"


def _integrity(root: Path) -> str:
    problems = check_database(root / "data" / "ledger.sqlite3")
    if problems:
        raise RuntimeError("；".join(problems))
    return "完整性检查通过"


def _ledger_pdf(root: Path) -> str:
    from desktop.core.reports import (
        LedgerDocument,
        LedgerMeasureGroup,
        LedgerPart,
        LedgerRow,
        LedgerSection,
        write_ledger_pdf,
    )

    doc = LedgerDocument(
        title="自检县推进服务业扩能提质2027年重点工作任务清单",
        basis="浙政发〔2026〕16号",
        office="自检县发展和改革局",
        as_of="",
        parts=[
            LedgerPart(
                sections=[
                    LedgerSection(
                        title="一、分领域提升生产性服务业专业能力",
                        groups=[
                            LedgerMeasureGroup(
                                label="1. 研发设计方面",
                                rows=[
                                    LedgerRow(
                                        number="1",
                                        content="推动科研仪器向企业开放共享，建设研发公共服务平台。",
                                        target="建成1个集聚区",
                                        lead_units="县科技局",
                                        co_units="县经信局",
                                        deadline="2027年12月底",
                                    )
                                ],
                            )
                        ],
                    )
                ]
            )
        ],
    )
    out = root / "selftest.pdf"
    pages = write_ledger_pdf(doc, out)
    if pages < 1 or out.stat().st_size < 1000:
        raise RuntimeError("PDF 未生成")
    return f"台账 PDF {pages} 页，{out.stat().st_size // 1024} KB"


STEPS: list[tuple[str, Step]] = [
    ("数据库迁移", _migrations),
    ("数据库检查", _integrity),
    ("台账 PDF", _ledger_pdf),
]
