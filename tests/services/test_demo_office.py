"""The demo command's office: the number of tasks asked for, the place it is told."""

from __future__ import annotations

import pytest

from desktop.errors import UserError
from desktop.services.context import Services
from desktop.services.demo.office import demo_office, run_demo


def test_fewer_tasks_than_measures_still_cover_every_measure(services: Services) -> None:
    result = run_demo(services, tasks=20)
    assert result.tasks == 20
    assert len(services.worklists.rows(result.list_id)) == 20
    check = services.list_checks.check(result.list_id)
    assert check.passed, check.issues  # every measure covered, no copied wording


def test_a_named_city_is_a_city_office() -> None:
    city = demo_office("湖州市")
    assert (city.level, city.parent, city.locality_code) == ("市级", "浙江省", "330500")
    county = demo_office("安吉县")
    assert (county.level, county.parent) == ("县级", "湖州市")
    given = demo_office("某某市", level="市级", parent="某某省", code="123456")
    assert (given.level, given.parent, given.locality_code) == ("市级", "某某省", "123456")
    sample = demo_office("示例县")
    assert (sample.level, sample.parent, sample.locality_code) == ("县级", "示例市", "330999")


def test_zero_tasks_is_refused(services: Services) -> None:
    with pytest.raises(UserError, match="至少为 1"):
        run_demo(services, tasks=0)
