"""单位设置 of a city: its 行政区划代码 offered from the built-in table, checked against its
level, and its counties offered as the expected lower localities once it is saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.services.context import Services
from desktop.ui.settings_page import SettingsPage


def _page(qtbot: Any, services: Services) -> SettingsPage:
    page = SettingsPage(services.office, services.units, services.exchange.aggregate)
    qtbot.addWidget(page)
    page.setMinimumSize(960, 600)  # keeps the offscreen plugin from warning on show
    page.resize(1130, 740)
    page.show()
    return page


def test_a_city_takes_its_code_and_its_counties(
    qtbot: Any, services: Services, answered: Any, shots: Path
) -> None:
    page = _page(qtbot, services)
    form = page.form
    form.locality.setText("湖州市")
    form.level.setCurrentText("市级")
    form.parent_locality.setText("浙江省")
    assert form.fill_code.isVisible() and form.code_hint.text() == "代码表：330500"
    assert page.grab().save(str(shots / "settings_code_offered.png"))
    form.fill_code.click()
    assert form.code.text() == "330500" and not form.fill_code.isVisible()
    assert page.save()
    assert services.office.get().locality_code == "330500"
    # the expected counties were offered and taken (the test answers 确定)
    lower = services.exchange.aggregate.localities()
    assert [(x.name, x.code) for x in lower] == [
        ("吴兴区", "330502"), ("南浔区", "330503"), ("德清县", "330521"),
        ("长兴县", "330522"), ("安吉县", "330523"),
    ]  # fmt: skip
    # a second save offers nothing: the list is no longer empty
    answered["confirm"] = False
    assert page.save() and len(services.exchange.aggregate.localities()) == 5


def test_a_code_of_another_level_is_refused(qtbot: Any, services: Services, answered: Any) -> None:
    page = _page(qtbot, services)
    page.form.locality.setText("湖州市")
    page.form.level.setCurrentText("市级")
    page.form.code.setText("330502")
    assert not page.save()
    kind, title, text = answered["messages"][-1]
    assert (kind, title) == ("warning", "无法保存") and "不是市级地区的代码" in text
    page.form.locality.setText("湖州\u200b市")
    page.form.code.setText("330500")
    assert not page.save()
    assert "第 3 个字符是看不见的 U+200B（零宽空格）" in answered["messages"][-1][2]
    assert not services.office.get().configured
