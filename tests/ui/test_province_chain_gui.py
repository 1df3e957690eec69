"""County → city → province through the screens: a city imports its counties, sees what its
package would carry and sends it; its 首页 shows its counties; the province imports two
cities' packages and reads who reported, the coverage by city and the tasks behind a cell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.services.context import Services
from desktop.ui import dialogs
from desktop.ui.exchange.measure_tasks import MeasureTasksDialog
from desktop.ui.overview_page import OverviewPage
from tests.services.chain_support import YEAR, Chain, ok

from .test_exchange_page import WAIT, page_of


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    """Five counties' packages; 绍兴市 has already sent its counties'."""
    c = Chain(tmp_path_factory.mktemp("gui-chain"))
    for seed, name in enumerate(("吴兴区", "南浔区", "德清县", "越城区", "柯桥区"), 1):
        c.county(name, seed)
        c.export_county(name)
    shaoxing = c.city("绍兴市")
    ok(shaoxing, "package", "import", str(c.county_files["越城区"]), str(c.county_files["柯桥区"]))
    c.export_city("绍兴市")
    return c


@pytest.fixture
def huzhou(chain: Chain, tmp_path: Path) -> Iterator[Services]:
    data = tmp_path / "湖州市"
    ok(data, "office", "set", "--locality", "湖州市", "--level", "市级", "--parent", "浙江省",
       "--code", "330500", "--operator", "王五")  # fmt: skip
    ok(data, "office", "lower", "--builtin")
    from desktop.services.context import open_office

    services = open_office(data)
    yield services
    services.close()


def test_the_city_imports_its_counties_and_sends_them_up(
    qtbot: Any, huzhou: Services, chain: Chain, answered: Any, monkeypatch: Any, tmp_path: Path,
    shots: Path,
) -> None:  # fmt: skip
    page = page_of(qtbot, huzhou)
    tab = page.aggregate
    assert tab is not None
    files = [chain.county_files[n] for n in ("吴兴区", "南浔区", "德清县")]
    monkeypatch.setattr(dialogs, "ask_open_paths", lambda *a, **k: files)
    tab.import_button.click()
    qtbot.waitUntil(lambda: not tab.busy.busy, timeout=WAIT)
    states = {
        tab.reports.data(tab.reports.index(r, 0)): tab.reports.data(tab.reports.index(r, 1))
        for r in range(tab.reports.rowCount())
    }
    assert states == {
        "吴兴区": "已上报", "南浔区": "已上报", "德清县": "已上报", "长兴县": "未上报",
        "安吉县": "未上报",
    }  # fmt: skip
    assert "未上报 2 个：长兴县、安吉县" in tab.summary.text()
    assert page.grab().save(str(shots / "city_reporting.png"))

    # 向上级上报: no own list — the counties' lists go up as they came
    submit = page.submit
    assert submit is not None
    page.activated()
    page.tabs.setCurrentWidget(submit)
    assert submit.list_box.currentText() == f"{YEAR}年 浙政发〔2026〕16号 无本级清单＋下级清单 3 份"
    assert submit.plan_label.isVisible() and "尚未上报的下级地区：长兴县、安吉县" in (
        submit.plan_label.text()
    )
    assert not submit.own_only.isVisible() and submit.export_button.isEnabled()
    assert page.grab().save(str(shots / "city_submit_plan.png"))
    usb = tmp_path / "U盘"
    usb.mkdir()
    answered["path"] = usb
    submit.export_button.click()
    qtbot.waitUntil(lambda: not submit.busy.busy, timeout=WAIT)
    (package,) = usb.glob("*.zip")
    assert package.name == f"湖州市_{YEAR}_浙政发〔2026〕16号_含下级.zip"
    kind, title, text = answered["messages"][-1]
    assert (kind, title) == ("info", "上报包已导出") and "下级清单 3 份" in text
    assert (
        f"第 1 个汇总上报包，已用本单位密钥签名，密钥指纹：\n{huzhou.office.key_fingerprint()}"
        in (text.replace("\u00a0", " "))
    )
    assert submit.history.rowCount() == 1
    assert submit.history.data(submit.history.index(0, 2)) == "下级3份"
    chain.city_files["湖州市"] = package

    # 首页: no own list, the counties' reporting is the page
    home = OverviewPage(huzhou.overview)
    qtbot.addWidget(home)
    home.resize(1130, 700)
    home.show()
    qtbot.waitUntil(lambda: home.lower_levels is not None, timeout=WAIT)
    assert home.lower_group.isVisible() and home.empty.isVisible()
    assert home.lower_model.rowCount() == 5
    assert "应报 5 个，已报 3 个" in home.lower_summary.text()
    assert home.grab().save(str(shots / "city_home.png"))


def test_the_province_reads_every_county_by_city(
    qtbot: Any, chain: Chain, answered: Any, monkeypatch: Any, tmp_path: Path, shots: Path
) -> None:
    if "湖州市" not in chain.city_files:  # run alone: the city's package made here
        huzhou = chain.city("湖州市")
        ok(huzhou, "package", "import", *(str(chain.county_files[n]) for n in ("吴兴区", "南浔区")))
        chain.export_city("湖州市")
    data = tmp_path / "浙江省"
    ok(data, "office", "set", "--locality", "浙江省", "--level", "省级", "--code", "330000")
    ok(data, "office", "lower", "--builtin")
    from desktop.services.context import open_office

    services = open_office(data)
    try:
        page = page_of(qtbot, services)
        tab = page.aggregate
        assert tab is not None and page.submit is None
        files = [chain.city_files["湖州市"], chain.city_files["绍兴市"]]
        monkeypatch.setattr(dialogs, "ask_open_paths", lambda *a, **k: files)
        tab.import_button.click()
        qtbot.waitUntil(lambda: not tab.busy.busy, timeout=WAIT)
        kind, title, text = answered["messages"][-1]
        assert kind == "info"
        assert title == "导入完成" and "（经湖州市报来）" in text
        # every county's key pinned at first sight, through its city, told once each
        assert text.count("首次收到吴兴区的签名密钥") == 1 and "首次收到湖州市的签名密钥" in text
        names = [tab.reports.data(tab.reports.index(r, 0)) for r in range(tab.reports.rowCount())]
        assert names.index("湖州市") < names.index("　吴兴区") < names.index("绍兴市")
        assert "设区市：应报 11 个，已报 2 个" in tab.summary.text()
        assert "县（市、区）：应报 90 个" in tab.summary.text()
        assert page.grab().save(str(shots / "province_reporting.png"))

        # coverage: one column per city, the counties within; a cell opens its tasks
        tab.tabs.setCurrentIndex(1)
        assert tab.coverage.grouped and tab.scope_box.isVisible()
        horizontal = tab.coverage_view.horizontalHeader().orientation()
        assert tab.coverage.headerData(1, horizontal) == "杭州市"
        column = next(
            c for c in range(1, tab.coverage.columnCount())
            if tab.coverage.headerData(c, horizontal) == "湖州市"
        )  # fmt: skip
        assert tab.coverage.data(tab.coverage.index(0, column)).endswith("/6")
        assert page.grab().save(str(shots / "province_coverage.png"))
        opened: list[MeasureTasksDialog] = []
        monkeypatch.setattr(dialogs, "run_dialog", lambda d: opened.append(d) or True)
        tab._open_cell(tab.coverage.index(0, column))
        (dialog,) = opened
        localities = {dialog.model.row_at(r).locality for r in range(dialog.model.rowCount())}
        assert localities and localities <= {"湖州市", "吴兴区", "南浔区", "德清县"}
        dialog.resize(1100, 500)
        assert dialog.grab().save(str(shots / "province_cell_tasks.png"))
        tab._open_group(column)
        assert not tab.coverage.grouped
        assert [tab.coverage.headerData(c, horizontal) for c in range(1, 4)] == [
            "湖州市本级",
            "吴兴区",
            "南浔区",
        ]
        assert page.grab().save(str(shots / "province_coverage_city.png"))

        # the combined ledger's default name carries the province, and the city chosen
        captured: dict[str, str] = {}
        monkeypatch.setattr(
            dialogs, "ask_save_path", lambda p, t, f, start="": captured.update(name=start)
        )
        tab.export_combined("pdf", "湖州市")
        assert captured["name"].startswith(f"浙江省_湖州市_{YEAR}年重点工作任务清单汇总")
        assert tab.pdf_button.menu() is not None
    finally:
        services.close()
