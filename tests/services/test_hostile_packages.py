"""Hostile packages through ``package import``, as a user would run it: exit 2, one Chinese
line, the database unchanged, peak memory within the budget. Each file is crafted here."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests import hostile
from tests.hostile import MB, MEMORY_BUDGET, dump, explain, is_one_chinese_line

from .exchange_support import city, county_package, members, sign_as_forger, write_zip

pytestmark = pytest.mark.posix_only  # peak memory through resource.getrusage


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return county_package(tmp_path_factory.mktemp("county"), tasks=20)


@pytest.fixture
def upper(tmp_path: Path) -> Path:
    services = city(tmp_path / "city")
    services.close()
    return tmp_path / "city"


def _with_data(package: Path, dest: Path, body: bytes) -> Path:
    """The package with ``body`` as its data.json and a manifest that vouches for it (sizes
    and checksums right, signed by a key the city has not seen, which it pins like any
    other): only reading the data can refuse it."""
    folder, files = members(package)
    manifest = json.loads(files["manifest.json"])
    for entry in manifest["files"]:
        if entry["name"] == "data.json":
            entry["size"] = len(body)
            entry["sha256"] = hashlib.sha256(body).hexdigest()
    files["manifest.json"], files["manifest.sig"] = sign_as_forger(manifest)
    files["data.json"] = body
    return write_zip(dest, {f"{folder}/{name}": b for name, b in files.items()})


def _numbers(count: int) -> bytes:
    return b'{"tasks": [' + b",".join(b"%d" % (i * 13) for i in range(count)) + b"]}"


def _import(tmp_path: Path, upper: Path, path: Path) -> hostile.Run:
    before = dump(upper / "ledger.sqlite3")
    run = hostile.run_measured(tmp_path, "--data-dir", str(upper), "package", "import", str(path))
    assert dump(upper / "ledger.sqlite3") == before
    return run


def test_a_json_flood_is_refused_before_it_is_parsed(
    upper: Path, package: Path, tmp_path: Path
) -> None:
    flood = _with_data(package, tmp_path / "flood.zip", _numbers(8_000_000))  # 70 MB, 8M items
    run = _import(tmp_path, upper, flood)
    assert is_one_chinese_line(run), explain(run)
    assert "数据项" in run.err and "data.json" in run.err
    assert 0 < run.peak < MEMORY_BUDGET, f"{run.peak // MB} MB"


def test_a_member_over_the_cap_and_a_zip_bomb(upper: Path, package: Path, tmp_path: Path) -> None:
    folder, files = members(package)
    big = {f"{folder}/{n}": b for n, b in files.items()}
    big[f"{folder}/data.json"] = _numbers(14_000_000)  # about 110 MB, past the 96 MB cap
    run = _import(tmp_path, upper, write_zip(tmp_path / "big.zip", big))
    assert is_one_chinese_line(run) and "解压后超过 96 MB" in run.err, explain(run)
    assert 0 < run.peak < MEMORY_BUDGET, f"{run.peak // MB} MB"

    bomb = {f"{folder}/{n}": b for n, b in files.items()}
    bomb[f"{folder}/data.json"] = bytes(90 * MB)
    run = _import(tmp_path, upper, write_zip(tmp_path / "bomb.zip", bomb))
    assert is_one_chinese_line(run) and "压缩炸弹" in run.err, explain(run)
    assert 0 < run.peak < MEMORY_BUDGET, f"{run.peak // MB} MB"


def test_deep_nesting_is_damage_not_a_bug(upper: Path, package: Path, tmp_path: Path) -> None:
    deep = _with_data(package, tmp_path / "deep.zip", b"[" * 200_000 + b"]" * 200_000)
    run = _import(tmp_path, upper, deep)
    assert is_one_chinese_line(run) and "不是有效的 JSON" in run.err, explain(run)
