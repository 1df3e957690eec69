"""The package format without a database: build → read, and damage of every kind."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.exchange_files import (
    Limits,
    data_from_json,
    data_to_json,
    package_stem,
    read_package,
)
from desktop.errors import PackageError

from .exchange_samples import sample_data, sample_package

STEM = "示例县_2027_浙政发〔2026〕16号_v2"


def unpack(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        return {n: z.read(n) for n in z.namelist()}


def pack(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in files.items():
            z.writestr(name, body)
    return out.getvalue()


def resign(files: dict[str, bytes]) -> dict[str, bytes]:
    """Recompute the manifest's checksums after the data was changed on purpose."""
    key = f"{STEM}/manifest.json"
    manifest = json.loads(files[key])
    for entry in manifest["files"]:
        body = files[f"{STEM}/{entry['name']}"]
        entry["size"], entry["sha256"] = len(body), hashlib.sha256(body).hexdigest()
    files[key] = json.dumps(manifest, ensure_ascii=False).encode()
    return files


def test_build_and_read_round_trip() -> None:
    raw = sample_package()
    package = read_package(raw)
    assert package.folder == STEM == package_stem("示例县", 2027, "浙政发〔2026〕16号", 2)
    assert package.data == sample_data()
    m = package.manifest
    assert (m.locality, m.parent, m.level, m.year, m.list_version) == (
        "示例县",
        "示例市",
        "县级",
        2027,
        2,
    )
    assert (m.period_key, m.tasks, m.operator) == ("2027-Q1", 3, "周静")
    assert [f.role for f in m.files] == ["data", "xlsx", "pdf"]
    assert package.sha256 == hashlib.sha256(raw).hexdigest() and package.size == len(raw)
    names = list(unpack(raw))
    assert names[0] == f"{STEM}/manifest.json" and all(n.startswith(STEM + "/") for n in names)


def test_data_json_is_deterministic() -> None:
    assert sample_package() == sample_package()
    assert data_from_json(data_to_json(sample_data(5))) == sample_data(5)


def test_tampered_data_fails_its_checksum() -> None:
    files = unpack(sample_package())
    key = f"{STEM}/data.json"
    files[key] = files[key].replace("示例县".encode(), "篡改县".encode(), 1)
    with pytest.raises(PackageError, match="校验值不符"):
        read_package(pack(files))


def test_manifest_and_data_must_agree() -> None:
    files = unpack(sample_package())
    key = f"{STEM}/data.json"
    data = json.loads(files[key])
    data["work_list"]["locality"] = "篡改县"
    files[key] = json.dumps(data, ensure_ascii=False).encode()
    with pytest.raises(PackageError, match="不一致（地区：示例县 与 篡改县）"):
        read_package(pack(resign(files)))


def test_declared_period_must_exist() -> None:
    files = unpack(sample_package())
    key = f"{STEM}/manifest.json"
    manifest = json.loads(files[key])
    manifest["period"]["key"] = "2027-Q4"
    files[key] = json.dumps(manifest).encode()
    with pytest.raises(PackageError, match="2027-Q4"):
        read_package(pack(files))


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("tasks", 0, "milestones", 0, "percent"), 101, "应在 0 到 100 之间"),
        (("tasks", 0, "milestones", 1, "due_on"), "2027-03-31", "同一日期有多个节点"),
        (("tasks", 0, "start_on"), "2028-01-01", "“开始日期”晚于“完成时限”"),
        (("tasks", 0, "target_value"), "两亿", "“目标值”应为数字"),
        (("tasks", 0, "origin"), "hacked", "应为 draft、manual、carry、import 之一"),
        (("tasks", 0, "lead_units"), ["县科技局", ""], "应为非空的文本"),
        (("tasks", 0, "lead_units"), ["县科技局\n县经信局"], "“牵头单位”只能写一行"),
        (("tasks", 0, "milestones", 0, "label"), "节" * 21, "“节点名称”不能超过 20 个字"),
        (("tasks", 0, "content"), "好😀", "“工作任务/具体举措”中的“😀”台账字体无法打印"),
        (("progress", 0, "text"), "进" * 2001, "的进展中“进展情况”不能超过 2000 个字"),
        (("tasks", 0, "content"), "含\x07控制字符", "控制字符"),
        (("work_list", "level"), "乡级", "应为 县级、市级、省级 之一"),
        (("work_list", "due_day"), True, "应为整数"),
        (("periods", 0, "start"), "2027-05-01", "晚于结束日期"),
        (("progress", 0, "period"), "2027-Q9", "指向不存在的填报周期"),
        (("check", "notes"), "none", "应为列表"),
    ],
)
def test_data_fields_are_checked(path: tuple[Any, ...], value: object, message: str) -> None:
    data = data_to_json(sample_data())
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(PackageError, match=message):
        data_from_json(data)


def test_duplicate_progress_is_refused() -> None:
    data = data_to_json(sample_data())
    data["progress"].append(dict(data["progress"][0]))
    with pytest.raises(PackageError, match="重复"):
        data_from_json(data)


def test_small_limits_refuse_large_members() -> None:
    raw = sample_package(40)
    with pytest.raises(PackageError, match="解压后超过 1 KB"):
        read_package(raw, Limits(member_bytes=1000))
    with pytest.raises(PackageError, match="过大"):
        read_package(raw, Limits(package_bytes=100))
    with pytest.raises(PackageError, match="个文件"):
        read_package(raw, Limits(members=2))
    with pytest.raises(PackageError, match="解压后总计超过"):
        read_package(raw, Limits(total_bytes=2000))


# --------------------------------------------------------------------------- random damage

SOUND = sample_package()
SOUND_FILES = unpack(SOUND)


def outcome(raw: bytes) -> str:
    """'refused' or 'sound' — anything else (another exception) fails the test."""
    try:
        read_package(raw)
    except PackageError as err:
        assert str(err).strip() and "Traceback" not in str(err)
        return "refused"
    return "sound"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_bit_flips_and_truncation_of_the_zip(data: st.DataObject) -> None:
    raw = bytearray(SOUND)
    flips = data.draw(st.lists(st.integers(0, len(raw) * 8 - 1), min_size=1, max_size=8))
    for bit in flips:
        raw[bit // 8] ^= 1 << (bit % 8)
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    outcome(bytes(raw))


def _mutations() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**40), 2**40),
        st.floats(allow_nan=True),
        st.text(max_size=12),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    )


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:2]):
            out += _paths(v, (*prefix, i))
    return out


DATA_JSON = json.loads(SOUND_FILES[f"{STEM}/data.json"])
MANIFEST_JSON = json.loads(SOUND_FILES[f"{STEM}/manifest.json"])
DATA_PATHS = _paths(DATA_JSON)
MANIFEST_PATHS = _paths(MANIFEST_JSON)


def _damage(doc: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    doc = json.loads(json.dumps(doc))
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    if action == "delete":
        if isinstance(parent, dict):
            del parent[key]
        else:
            parent.pop(key)
    else:
        parent[key] = value
    return doc


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.sampled_from(["data", "manifest"]),
    index=st.integers(0, 10**6),
    action=st.sampled_from(["delete", "replace"]),
    value=_mutations(),
    signed=st.booleans(),
)
def test_key_deletion_and_type_changes(
    which: str, index: int, action: str, value: Any, signed: bool
) -> None:
    files = dict(SOUND_FILES)
    if which == "data":
        path = DATA_PATHS[index % len(DATA_PATHS)]
        body = _damage(DATA_JSON, path, action, value)
        files[f"{STEM}/data.json"] = json.dumps(body, ensure_ascii=False).encode()
        if signed:
            files = resign(files)
    else:
        path = MANIFEST_PATHS[index % len(MANIFEST_PATHS)]
        body = _damage(MANIFEST_JSON, path, action, value)
        files[f"{STEM}/manifest.json"] = json.dumps(body, ensure_ascii=False).encode()
    result = outcome(pack(files))
    if not signed and which == "data":
        assert result == "refused"  # a stale checksum always gives the damage away


@settings(max_examples=80, deadline=None)
@given(cut=st.integers(0, 4000), which=st.sampled_from(["data.json", "manifest.json"]))
def test_truncated_json(cut: int, which: str) -> None:
    files = dict(SOUND_FILES)
    key = f"{STEM}/{which}"
    files[key] = files[key][: cut % max(1, len(files[key]))]
    if which == "data.json":
        files = resign(files)
    assert outcome(pack(files)) == "refused"


def test_a_package_that_breaks_the_schema_says_what_is_wrong() -> None:
    data = data_to_json(sample_data())
    data["tasks"][1]["milestones"][0]["label"] = "一季度" * 7  # 21 characters
    with pytest.raises(PackageError) as err:
        data_from_json(data)
    text = str(err.value)
    assert "编号为“2”的任务的“节点名称”不能超过 20 个字（现有 21 个字）" in text
    assert "传递" not in text and "损坏" not in text  # not blamed on the transport


def test_reopened_thresholds_and_figures_travel() -> None:
    from dataclasses import replace
    from datetime import date

    from desktop.core.exchange_files import PackageFigures, TaskFigure

    base = sample_data()
    data = replace(
        base,
        work_list=replace(base.work_list, thresholds=(("ahead_by", 15), ("red_behind", 40))),
        progress=tuple(replace(p, reopened=True) for p in base.progress),
        figures=PackageFigures(
            date(2027, 6, 30),
            "2027-Q2",
            tuple(
                TaskFigure(t.uid, "lagging" if i else None, 40 if i else None, bool(i))
                for i, t in enumerate(base.tasks)
            ),
        ),
    )
    back = data_from_json(json.loads(json.dumps(data_to_json(data))))
    assert back.progress == data.progress and back.figures == data.figures
    # every threshold, the ones not sent taking the defaults
    assert dict(back.work_list.thresholds) == {
        "yellow_behind": 10,
        "red_behind": 40,
        "ahead_by": 15,
        "due_soon_days": 15,
    }
    # a package from before these keys still reads
    old = data_to_json(base)
    assert "figures" not in old and "status_thresholds" not in old["work_list"]
    assert data_from_json(old).figures is None
