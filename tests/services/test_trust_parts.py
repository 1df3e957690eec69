"""``verify_part``: a county's package carried verbatim inside another keeps its own signature,
and is checked against the key pinned for that county."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core import signing
from desktop.errors import PackageError
from desktop.services.exchange.trust import KeyChangedError, verify_part

from .exchange_support import city, county, export, repack


@pytest.fixture(scope="module")
def county_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("part")
    services = county(root / "county", tasks=8)
    try:
        return export(services, root)
    finally:
        services.close()


def test_a_part_verifies_and_pins_then_a_swapped_part_is_refused(
    county_package: Path, tmp_path: Path
) -> None:
    province = city(tmp_path / "upper")
    try:
        raw = county_package.read_bytes()
        with province.sessions.begin() as session:
            package, trust = verify_part(session, raw)
            assert package.manifest.locality == "示例县" and trust.pinned
        with province.sessions.begin() as session:
            again = verify_part(session, raw)[1]
            assert not again.pinned and again.fingerprint == trust.fingerprint
        # the same county's part signed by another key: a part swapped on the way
        other = signing.generate_key()
        swapped = repack(county_package, tmp_path / "swapped.zip", key=other).read_bytes()
        with province.sessions.begin() as session, pytest.raises(KeyChangedError) as refused:
            verify_part(session, swapped)
        assert refused.value.old == trust.fingerprint and refused.value.new == other.fingerprint
        # and a part edited after signing fails its own signature, naming the county
        edited = repack(
            county_package,
            tmp_path / "edited.zip",
            data=lambda d: d["work_list"].update(explanation="改过"),
            keep_signature=True,
        ).read_bytes()
        with province.sessions.begin() as session, pytest.raises(PackageError) as bad:
            verify_part(session, edited)
        assert "示例县的上报包签名无效" in str(bad.value)
    finally:
        province.close()
