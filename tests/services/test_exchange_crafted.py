"""Crafted packages that once crashed the import instead of being refused or stored."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.errors import PackageError
from desktop.services.context import Services
from tests.needs import impossible_here

from .exchange_support import city, county_package, dump, members, sign_as_forger, write_zip


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return county_package(tmp_path_factory.mktemp("county"), tasks=12)


@pytest.fixture
def upper(tmp_path: Path) -> Iterator[Services]:
    services = city(tmp_path / "city")
    yield services
    services.close()


def test_lone_surrogate_in_data_is_refused_not_a_crash(
    upper: Services, package: Path, tmp_path: Path
) -> None:
    # "\ud800" is valid JSON (an escape) but no text SQLite can store: the import used to
    # fail with UnicodeEncodeError half-way, after taking a backup
    from desktop.core.exchange_files import sha256_hex

    folder, files = members(package)
    data = json.loads(files["data.json"])
    data["tasks"][0]["lead_units"] = ["\udcff局"]
    files["data.json"] = json.dumps(data).encode()  # ASCII escapes
    manifest = json.loads(files["manifest.json"])
    for entry in manifest["files"]:
        body = files[entry["name"]]
        entry["size"], entry["sha256"] = len(body), sha256_hex(body)
    files["manifest.json"], files["manifest.sig"] = sign_as_forger(manifest)
    bad = write_zip(tmp_path / "p.zip", {f"{folder}/{n}": b for n, b in files.items()})
    before = dump(upper)
    backups = set(upper.data_dir.backups.iterdir())
    with pytest.raises(PackageError, match="“牵头单位”含有不可见的控制字符"):
        upper.exchange.import_package(bad)
    assert dump(upper) == before
    assert set(upper.data_dir.backups.iterdir()) == backups


def test_file_name_that_is_not_utf8_imports(upper: Services, package: Path, tmp_path: Path) -> None:
    # a name written under another encoding (a GBK USB stick on Linux) reaches Python with
    # lone surrogates; storing it in package_import and the audit log used to crash
    odd = tmp_path / "示例县\udcff\udcfe.zip"
    try:
        shutil.copyfile(package, odd)
    except (OSError, UnicodeError):
        impossible_here("the file system refuses names that are not UTF-8 (Windows, macOS)")
    result = upper.exchange.import_package(odd)
    assert result.outcome == "imported"
    again = upper.exchange.import_package(odd)
    assert again.outcome == "unchanged"
