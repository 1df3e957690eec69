"""Field checks of ``data.json`` that a crafted package once slipped past."""

from __future__ import annotations

import json
from typing import Any

import pytest

from desktop.core.exchange_files import data_from_json, data_to_json
from desktop.errors import PackageError

from .exchange_samples import sample_data


def doc() -> dict[str, Any]:
    # through a JSON round trip, as the reader gets it from the file
    return json.loads(json.dumps(data_to_json(sample_data())))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # valid JSON escapes of lone surrogates: no text SQLite can store (the import crashed)
        (lambda d: d["tasks"][0].update(content="\ud800坏"), "“工作任务/具体举措”含有不可见"),
        (lambda d: d["tasks"][0].update(lead_units=["\udcff局"]), "“牵头单位”含有不可见"),
        (lambda d: d["check"].update(summary="\udfff"), "check.summary"),
        # date.fromisoformat accepts ISO week dates of the same length
        (lambda d: d["tasks"][0].update(deadline="2027-W52-1"), "tasks[0].deadline 应为日期"),
        (lambda d: d["tasks"][0].update(deadline="2027-12-31\n"), "tasks[0].deadline"),
        # Decimal accepts all of these; none is decimal text as the format writes it
        (lambda d: d["tasks"][0].update(target_value=" 12 "), "“目标值”应为数字"),
        (lambda d: d["tasks"][0].update(target_value="1_000"), "“目标值”应为数字"),
        (lambda d: d["tasks"][0].update(target_value="١٢"), "“目标值”应为数字"),
        (lambda d: d["tasks"][0].update(target_value="1e999999999"), "“目标值”应为数字"),
    ],
)
def test_crafted_values_are_refused(change: Any, message: str) -> None:
    d = doc()
    change(d)
    with pytest.raises(PackageError) as err:
        data_from_json(d)
    assert message in str(err.value)


@pytest.mark.parametrize("value", ["2.5", "-3", "100", "0.125", "1E+3", "1E-7", "12."])
def test_decimal_text_as_written_is_accepted(value: str) -> None:
    d = doc()
    d["tasks"][0]["target_value"] = value
    assert data_from_json(d).tasks[0].target_value == value


def test_units_named_twice_are_stored_once() -> None:
    d = doc()
    d["tasks"][0].update(lead_units=["县科技局", "县科技局"], co_units=["县经信局"] * 2)
    task = data_from_json(d).tasks[0]
    assert task.lead_units == ("县科技局",)
    assert task.co_units == ("县经信局",)
