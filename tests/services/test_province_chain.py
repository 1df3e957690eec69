"""County → city → province, end to end through the command line.

Five counties (吴兴区, 南浔区, 德清县 of 湖州市; 越城区, 柯桥区 of 绍兴市) report to their cities;
湖州市 sends its own list with its counties', 绍兴市 sends its counties' without an own list;
the province imports both. Then 吴兴区 sends a second version, 南浔区 re-sends its first with
a later quarter's figures, 湖州市 deletes 德清县's list (a wrong import) and sends again. The
province must hold every county's list with the city it came through, see who is missing at
each level, count what the counties and cities count, and be able to check every county's
part against the county's own checksums and signature, with the county's key pinned.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.core.exchange_files import read_package, sha256_hex
from desktop.core.exchange_files.signature import signature_file
from desktop.db.models import SenderKey
from desktop.services.exchange.files import list_file
from desktop.services.exchange.trust import KeyChangedError

from .chain_support import CITIES, COUNTIES, YEAR, Chain, as_json, ok
from .exchange_support import dump, live_on, members, own_list_ready, repack, write_zip

DAY = date(YEAR, 12, 31)  # the tests' calendar


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    c = Chain(tmp_path_factory.mktemp("chain"))
    for seed, name in enumerate(COUNTIES, 1):
        c.county(name, seed)
        c.export_county(name)
    huzhou = c.city("湖州市")
    with_list = c.services("湖州市")
    try:
        own_list_ready(with_list)
    finally:
        with_list.close()
    ok(
        huzhou,
        "package",
        "import",
        *(str(c.county_files[n]) for n in ("吴兴区", "南浔区", "德清县")),
    )
    c.export_city("湖州市")
    shaoxing = c.city("绍兴市")
    ok(shaoxing, "package", "import", str(c.county_files["越城区"]), str(c.county_files["柯桥区"]))
    c.export_city("绍兴市")
    province = c.province()
    ok(province, "package", "import", str(c.city_files["湖州市"]), str(c.city_files["绍兴市"]))
    c.first = as_json(province, "worklist", "list")  # type: ignore[attr-defined]
    c.first_files = dict(c.county_files)  # type: ignore[attr-defined]

    # 吴兴区 sends a second version; 南浔区 re-sends its first with the third quarter's figures
    wuxing = c.services("吴兴区")
    try:
        wl = wuxing.worklists.find_own(YEAR)
        wuxing.list_lifecycle.new_version(wl.id)
    finally:
        wuxing.close()
    c.export_county("吴兴区")
    nanxun = c.services("南浔区")
    try:
        live_on(nanxun, date(YEAR, 9, 30))
    finally:
        nanxun.close()
    c.export_county("南浔区")
    ok(huzhou, "package", "import", str(c.county_files["吴兴区"]), str(c.county_files["南浔区"]))
    city = c.services("湖州市")
    try:
        deqing = next(s for s in city.worklists.lists(own=False) if s.locality == "德清县")
        city.list_lifecycle.delete_list(deqing.id)
    finally:
        city.close()
    c.export_city("湖州市")
    c.second = ok(province, "package", "import", str(c.city_files["湖州市"]), "--json")  # type: ignore[attr-defined]
    return c


def test_the_province_holds_every_county_with_the_city_it_came_through(chain: Chain) -> None:
    lists = as_json(chain.folder("浙江省"), "worklist", "list")
    table = {e["locality"]: e for e in lists}
    assert set(table) == {"湖州市", *COUNTIES}
    assert table["湖州市"] | {"tasks": 0} == {
        "locality": "湖州市", "year": YEAR, "notice": "浙政发〔2026〕16号", "tasks": 0,
        "version": 1, "own": False, "state": "submitted", "current": True,
        "level": "市级", "parent": "浙江省", "code": "330500", "via": None,
    }  # fmt: skip
    for name, (city, code) in COUNTIES.items():
        entry = table[name]
        assert (entry["level"], entry["parent"], entry["code"], entry["via"]) == (
            "县级",
            city,
            code,
            city,
        ), name
    # 绍兴市 sent no own list: nothing of its own is held, its counties are
    assert "绍兴市" not in {e["locality"] for e in chain.first}  # type: ignore[attr-defined]


def test_versions_replaced_and_a_county_re_sent(chain: Chain) -> None:
    results = {r["locality"]: r for r in __import__("json").loads(chain.second)}  # type: ignore[attr-defined]
    assert results["吴兴区"]["outcome"] == "replaced" and results["吴兴区"]["version"] == 2
    assert results["南浔区"]["outcome"] == "updated"
    assert results["湖州市"]["outcome"] == "unchanged"
    assert all(r["via"] == "湖州市" for n, r in results.items() if n != "湖州市")
    every = as_json(chain.folder("浙江省"), "worklist", "list", "--all-versions")
    wuxing = sorted((e["version"], e["current"]) for e in every if e["locality"] == "吴兴区")
    assert wuxing == [(1, False), (2, True)]


def test_a_county_the_city_no_longer_carries_is_kept_and_flagged(chain: Chain) -> None:
    services = chain.services("浙江省")
    try:
        choice = services.exchange.aggregate.choices()[0]
        view = services.exchange.aggregate.overview(choice.year, choice.notice_id)
    finally:
        services.close()
    rows = {r.locality: r for r in view.localities}
    assert rows["德清县"].list_id is not None and rows["德清县"].not_resent
    assert rows["德清县"].state_label == "未随湖州市重报"
    assert not rows["吴兴区"].not_resent and rows["吴兴区"].version == 2
    # who is missing, level by level (the province expects all of Zhejiang)
    levels = {s.level: s for s in view.levels}
    assert (levels["市级"].expected, levels["市级"].reported) == (11, 2)
    assert (levels["县级"].expected, levels["县级"].reported) == (90, 5)
    assert {"长兴县", "安吉县", "上虞区"} <= set(levels["县级"].missing)
    assert "杭州市" in levels["市级"].missing and "德清县" in levels["县级"].not_resent
    assert rows["绍兴市"].state_label == "已上报（无本级清单）"
    # cities first, each followed by its counties
    order = [(r.locality, r.group) for r in view.localities if r.reported]
    assert order == [
        ("湖州市", ""), ("吴兴区", "湖州市"), ("南浔区", "湖州市"), ("德清县", "湖州市"),
        ("绍兴市", ""), ("越城区", "绍兴市"), ("柯桥区", "绍兴市"),
    ]  # fmt: skip


def test_the_province_counts_what_the_counties_and_cities_count(chain: Chain) -> None:
    expected: Counter[str] = Counter()
    for name in (*COUNTIES, "湖州市"):
        if name == "德清县":
            continue  # counted below from the list the province still holds
        office = chain.services(name)
        try:
            wl = office.worklists.find_own(YEAR)
            expected.update(office.progress.figures(wl.id, DAY).counts())
        finally:
            office.close()
    deqing = chain.services("德清县")
    try:
        expected.update(deqing.progress.figures(deqing.worklists.find_own(YEAR).id, DAY).counts())
    finally:
        deqing.close()
    services = chain.services("浙江省")
    try:
        choice = services.exchange.aggregate.choices()[0]
        view = services.exchange.aggregate.overview(choice.year, choice.notice_id)
    finally:
        services.close()
    got: Counter[str] = Counter()
    for r in view.localities:
        got.update(dict(r.counts))
    assert +got == +Counter({k: v for k, v in expected.items() if k != "not_applicable"})


def test_each_county_part_is_verifiable_at_the_province(chain: Chain) -> None:
    services = chain.services("浙江省")
    try:
        lists = {s.locality: s for s in services.worklists.lists(own=False, current_only=True)}
        with services.sessions() as session:
            kept = {name: list_file(session, s.id) for name, s in lists.items()}
            pins = {k.locality: k.fingerprint for k in session.scalars(select(SenderKey))}
    finally:
        services.close()
    for name in COUNTIES:
        found = kept[name]
        assert found is not None, name
        body, digest = found
        # the county's own file, byte for byte, and sound by its own checksums
        sent = (chain.first_files if name == "德清县" else chain.county_files)[name]  # type: ignore[attr-defined]
        assert digest == sha256_hex(sent.read_bytes()) == sha256_hex(body), name
        package = read_package(body)
        assert package.manifest.locality == name and package.manifest.parent == COUNTIES[name][0]
        # signed by the county itself, and the county's key pinned at the province
        assert package.manifest.signer is not None
        assert package.manifest.signer.fingerprint == pins[name] == chain.key(name).fingerprint


def test_a_county_part_signed_by_another_key_is_refused_naming_the_county(
    chain: Chain, tmp_path: Path
) -> None:
    """The city (which holds its own key, not the county's) swaps 吴兴区's part for one signed
    by another key and signs its outer manifest anew: the province has 吴兴区's key pinned."""
    folder, files = members(chain.city_files["湖州市"])
    outer = json.loads(files["manifest.json"])
    entry = next(p for p in outer["parts"] if p["locality"]["name"] == "吴兴区")
    original = tmp_path / "part.zip"
    original.write_bytes(files[entry["name"]])
    swapped = repack(original, tmp_path / "swapped.zip").read_bytes()
    files[entry["name"]] = swapped
    entry["size"], entry["sha256"] = len(swapped), sha256_hex(swapped)
    outer["export_sequence"] += 1  # as a later package of the city
    files["manifest.json"] = json.dumps(outer, ensure_ascii=False).encode()
    files["manifest.sig"] = signature_file(files["manifest.json"], chain.key("湖州市"))
    bad = write_zip(tmp_path / "bad.zip", {f"{folder}/{n}": b for n, b in files.items()})
    services = chain.services("浙江省")
    try:
        before = dump(services)
        with pytest.raises(KeyChangedError) as err:
            services.exchange.import_packages([bad], stop_on_error=True)
        assert err.value.locality == "吴兴区" and err.value.old == chain.key("吴兴区").fingerprint
        assert "吴兴区的上报包所用的签名密钥与此前记录的不同" in str(err.value)
        assert dump(services) == before
    finally:
        services.close()


def test_the_combined_ledger_by_city(chain: Chain, tmp_path: Path) -> None:
    services = chain.services("浙江省")
    try:
        agg = services.exchange.aggregate
        choice = agg.choices()[0]
        doc = agg.combined_document(choice.year, choice.notice_id)
        headings = [p.heading.split("（第")[0] for p in doc.parts]
        assert headings[:1] == ["各地区进展汇总"]
        assert headings[1:] == [
            "湖州市（本级清单）", "湖州市 · 吴兴区", "湖州市 · 南浔区", "湖州市 · 德清县",
            "绍兴市 · 越城区", "绍兴市 · 柯桥区",
        ]  # fmt: skip
        one = agg.combined_document(choice.year, choice.notice_id, within="绍兴市")
        assert [p.heading.split("（第")[0] for p in one.parts[1:]] == [
            "绍兴市 · 越城区",
            "绍兴市 · 柯桥区",
        ]
        assert one.title.startswith("绍兴市")
        name = agg.ledger_name(choice.year, choice.notice_id, ".pdf", within="绍兴市")
        assert name.startswith("浙江省_绍兴市_2027") and name.endswith(".pdf")
        pages = agg.write_combined_pdf(choice.year, choice.notice_id, tmp_path / "省.pdf")
        assert pages >= 7
    finally:
        services.close()


def test_the_city_package_says_what_it_carries(chain: Chain) -> None:
    shown = as_json(chain.folder("浙江省"), "package", "show", str(chain.city_files["湖州市"]))
    assert shown["format_version"] == 2 and shown["contents"] == "lists"
    roles = [(p["role"], p["locality"]["name"], p["list_version"]) for p in shown["parts"]]
    # in the order of the city's list of counties (the built-in table's)
    assert roles == [("own", "湖州市", 1), ("lower", "吴兴区", 2), ("lower", "南浔区", 1)]
    absent = {a["name"] for a in shown["absent"]}
    assert absent == {"德清县", "长兴县", "安吉县"}
    assert shown["locality"] == {
        "name": "湖州市", "code": CITIES["湖州市"], "level": "市级", "parent": "浙江省",
        "reporting_office": "",
    }  # fmt: skip
