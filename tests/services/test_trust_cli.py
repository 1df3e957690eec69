"""Trust between offices through the command line: forged packages, clocks, look-alike names,
tampered audit logs and rewritten histories, each with the database compared before and after.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from desktop.core import signing
from desktop.services.audit.log import entry_hash, hashed_fields, head_message
from desktop.services.context import open_office
from desktop.services.office.keys import load_key

from .exchange_support import county, dump, members, repack, write_zip

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def call(data: Path, *args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(data), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.fixture(scope="module")
def county_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("trust") / "county"
    county(root, tasks=12).close()
    return root


@pytest.fixture
def exported(run: Run, county_office: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the county office and its first package."""
    office = tmp_path / "county"
    _copy_office(county_office, office)
    code, _, err = run(office, "package", "export", "--year", "2027", "--out", str(tmp_path))
    assert code == 0, err
    (package,) = tmp_path.glob("*.zip")
    return office, package


def _copy_office(src: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    for name in ("ledger.sqlite3",):
        source = sqlite3.connect(src / name)
        target = sqlite3.connect(dest / name)
        source.backup(target)
        source.close()
        target.close()


def _city(run: Run, root: Path) -> Path:
    code, _, err = run(root, "office", "set", "--locality", "示例市", "--level", "市级")
    assert code == 0, err
    return root


def _db(root: Path) -> dict[str, list[tuple[Any, ...]]]:
    services = open_office(root)
    try:
        return dump(services)
    finally:
        services.close()


def _refused(run: Run, city: Path, package: Path, *extra: str) -> str:
    before = _db(city)
    code, out, err = run(city, "package", "import", str(package), *extra)
    assert code == 2 and out == "", (out, err)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _db(city) == before
    return err


def _key_of(office: Path) -> signing.KeyPair:
    services = open_office(office)
    try:
        with services.sessions() as session:
            key = load_key(session)
    finally:
        services.close()
    assert key is not None
    return key


def _fingerprint(run: Run, office: Path, package: Path) -> str:
    code, out, _ = run(office, "package", "show", str(package), "--json")
    assert code == 0
    return str(json.loads(out)["signer"]["fingerprint"])


# --------------------------------------------------------------------------- forged packages


def test_first_import_pins_the_key_and_prints_its_fingerprint(
    run: Run, exported: tuple[Path, Path], tmp_path: Path
) -> None:
    office, package = exported
    city = _city(run, tmp_path / "city")
    code, out, err = run(city, "package", "import", str(package))
    fingerprint = _key_of(office).fingerprint
    assert code == 0, err
    assert fingerprint in out and "纸质台账" in out
    code, out, _ = run(city, "package", "import", str(package), "--json")
    (entry,) = json.loads(out)
    assert entry["fingerprint"] == fingerprint and entry["signed"] and not entry["new_key"]


def test_edited_and_rechecksummed_package_fails_its_signature(
    run: Run, exported: tuple[Path, Path], tmp_path: Path
) -> None:
    _, package = exported
    city = _city(run, tmp_path / "city")

    def version_99(doc: dict[str, Any]) -> None:
        doc["work_list"]["version"] = 99

    forged = repack(
        package,
        tmp_path / "forged.zip",
        data=version_99,
        manifest=lambda m: m.update(list_version=99),
        keep_signature=True,
    )
    err = _refused(run, city, forged)
    assert "示例县的上报包签名无效" in err


def test_package_resigned_with_another_key_is_refused_until_accepted(
    run: Run, exported: tuple[Path, Path], tmp_path: Path
) -> None:
    office, package = exported
    city = _city(run, tmp_path / "city")
    assert run(city, "package", "import", str(package))[0] == 0
    other = signing.generate_key()

    def version_2(doc: dict[str, Any]) -> None:
        doc["work_list"]["version"] = 2

    forged = repack(
        package,
        tmp_path / "resigned.zip",
        data=version_2,
        manifest=lambda m: m.update(list_version=2, export_sequence=2),
        key=other,
    )
    err = _refused(run, city, forged)
    old = _key_of(office).fingerprint
    assert old in err and other.fingerprint in err and "不同" in err
    # a wrong fingerprint typed does not accept it
    _refused(run, city, forged, "--accept-new-key", old)
    code, out, err = run(
        city, "package", "import", str(forged), "--accept-new-key", other.fingerprint
    )
    assert code == 0 and "已接受示例县的新签名密钥" in out, err
    conn = sqlite3.connect(city / "ledger.sqlite3")
    summary = conn.execute("SELECT summary FROM audit_log WHERE action = 'accept_key'").fetchone()[
        0
    ]
    conn.close()
    assert old in summary and other.fingerprint in summary
    assert run(city, "db", "check")[0] == 0


def test_signature_stripped_after_the_key_was_pinned_is_refused(
    run: Run, exported: tuple[Path, Path], tmp_path: Path
) -> None:
    _, package = exported
    city = _city(run, tmp_path / "city")
    assert run(city, "package", "import", str(package))[0] == 0
    folder, files = members(package)
    files.pop("manifest.sig")
    doc = json.loads(files["manifest.json"])
    doc.update(format_version=1, list_version=2)
    for key in ("signer", "export_sequence", "audit"):
        doc.pop(key)
    body = json.loads(files["data.json"])
    body["work_list"]["version"] = 2
    files["data.json"] = json.dumps(body, ensure_ascii=False).encode()
    from desktop.core.exchange_files import sha256_hex

    for entry in doc["files"]:
        entry["size"], entry["sha256"] = len(files[entry["name"]]), sha256_hex(files[entry["name"]])
    files["manifest.json"] = json.dumps(doc, ensure_ascii=False).encode()
    stripped = write_zip(tmp_path / "stripped.zip", {f"{folder}/{n}": b for n, b in files.items()})
    err = _refused(run, city, stripped)
    assert "没有签名" in err


def test_unsigned_package_of_an_earlier_version_imports_marked(
    run: Run, exported: tuple[Path, Path], tmp_path: Path
) -> None:
    _, package = exported
    city = _city(run, tmp_path / "city")
    folder, files = members(package)
    files.pop("manifest.sig")
    doc = json.loads(files["manifest.json"])
    doc["format_version"] = 1
    for key in ("signer", "export_sequence", "audit"):
        doc.pop(key)
    files["manifest.json"] = json.dumps(doc, ensure_ascii=False).encode()
    old = write_zip(tmp_path / "old.zip", {f"{folder}/{n}": b for n, b in files.items()})
    code, out, err = run(city, "package", "import", str(old))
    assert code == 0 and "未签名" in out, err


def test_a_member_swapped_for_another_countys_is_refused(
    run: Run, exported: tuple[Path, Path], tmp_path: Path
) -> None:
    """A part taken from another package (its checksum recomputed, the signature kept)."""
    _, package = exported
    city = _city(run, tmp_path / "city")
    folder, files = members(package)
    other = json.loads(files["data.json"])
    other["tasks"] = other["tasks"][:3]
    files["data.json"] = json.dumps(other, ensure_ascii=False).encode()
    doc = json.loads(files["manifest.json"])
    from desktop.core.exchange_files import sha256_hex

    for entry in doc["files"]:
        if entry["role"] == "data":
            entry["size"], entry["sha256"] = len(files["data.json"]), sha256_hex(files["data.json"])
    doc["tasks"] = 3
    files["manifest.json"] = json.dumps(doc, ensure_ascii=False, indent=2).encode()
    swapped = write_zip(tmp_path / "swapped.zip", {f"{folder}/{n}": b for n, b in files.items()})
    assert "签名无效" in _refused(run, city, swapped)


# --------------------------------------------------------------------------- clocks


def _with_time(src: Path, dest: Path, when: str, key: signing.KeyPair, sequence: int) -> Path:
    return repack(
        src, dest, manifest=lambda m: m.update(exported_at=when, export_sequence=sequence), key=key
    )


def test_a_county_clock_in_the_future_never_blocks_the_next_genuine_package(
    run: Run, exported: tuple[Path, Path], tmp_path: Path
) -> None:
    office, package = exported
    city = _city(run, tmp_path / "city")
    key = _key_of(office)
    future = _with_time(package, tmp_path / "future.zip", "9999-12-31T23:59:59+08:00", key, 1)
    code, out, err = run(city, "package", "import", str(future))
    assert code == 0 and "晚于本机当前时间" in out, err
    # the county's next export (new progress; its clock put right) has the next sequence number
    _new_progress(run, office)
    genuine = _export_again(run, office, tmp_path / "next")
    code, out, err = run(city, "package", "import", str(genuine))
    assert code == 0 and "已用较新导出的上报包更新" in out, (out, err)
    assert "晚于本机当前时间" not in out


def test_a_time_without_a_zone_is_refused(
    run: Run, exported: tuple[Path, Path], tmp_path: Path
) -> None:
    office, package = exported
    city = _city(run, tmp_path / "city")
    naive = _with_time(package, tmp_path / "naive.zip", "2020-01-01T00:00:00", _key_of(office), 1)
    assert "没有时区" in _refused(run, city, naive)


def test_an_earlier_or_equal_export_is_refused_whatever_its_time(
    run: Run, exported: tuple[Path, Path], tmp_path: Path
) -> None:
    office, package = exported
    city = _city(run, tmp_path / "city")
    key = _key_of(office)
    second = repack(
        package,
        tmp_path / "second.zip",
        data=lambda d: d["work_list"].update(explanation="第二次导出"),
        manifest=lambda m: m.update(export_sequence=2),
        key=key,
    )
    assert run(city, "package", "import", str(second))[0] == 0
    # the first export, dated later than the second, is still the earlier one
    first = _with_time(package, tmp_path / "first.zip", "2099-01-01T00:00:00+08:00", key, 1)
    assert "第 2 次导出" in _refused(run, city, first)
    equal = repack(
        package,
        tmp_path / "equal.zip",
        data=lambda d: d["work_list"].update(explanation="另一份"),
        manifest=lambda m: m.update(export_sequence=2),
        key=key,
    )
    assert "更早或相同" in _refused(run, city, equal)


# --------------------------------------------------------------------------- names

INVISIBLE = {
    "零宽空格": "\u200b",
    "BOM": "\ufeff",
    "word joiner": "\u2060",
    "软连字符": "\u00ad",
    "异体字选择符": "\ufe0f",
    "RLO": "\u202e",
    "行分隔符": "\u2028",
}


@pytest.mark.parametrize("ch", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_a_name_with_an_invisible_character_is_refused_at_entry_and_import(
    run: Run, exported: tuple[Path, Path], tmp_path: Path, ch: str
) -> None:
    office, package = exported
    city = _city(run, tmp_path / "city")
    before = _db(city)
    code, _, err = run(city, "office", "set", "--locality", f"示{ch}例市", "--level", "市级")
    assert code == 2 and "第 2 个字符" in err and f"U+{ord(ch):04X}" in err
    assert _db(city) == before

    def rename(doc: dict[str, Any]) -> None:
        doc["work_list"]["locality"] = f"示{ch}例县"

    forged = repack(
        package,
        tmp_path / "lookalike.zip",
        data=rename,
        manifest=lambda m: m["locality"].update(name=f"示{ch}例县"),
        key=_key_of(office),
    )
    err = _refused(run, city, forged)
    assert "第 2 个字符" in err and f"U+{ord(ch):04X}" in err


LOOKALIKES = {
    "兼容汉字": "示\uf9b5县",
    "不换行空格": "示例\u00a0县",
    "全角空格": "示例\u3000县",
}


@pytest.mark.parametrize("name", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_a_lookalike_name_is_the_same_locality(
    run: Run, exported: tuple[Path, Path], tmp_path: Path, name: str
) -> None:
    office, package = exported
    city = _city(run, tmp_path / "city")
    assert run(city, "package", "import", str(package))[0] == 0

    def rename(doc: dict[str, Any]) -> None:
        doc["work_list"]["locality"] = name
        doc["work_list"]["version"] = 2

    variant = repack(
        package,
        tmp_path / "variant.zip",
        data=rename,
        manifest=lambda m: (
            m["locality"].update(name=name),
            m.update(list_version=2, export_sequence=2),
        ),
        key=_key_of(office),
    )
    code, out, err = run(city, "package", "import", str(variant))
    assert code == 0 and "替换此前的第1版" in out, err
    code, out, _ = run(city, "worklist", "list", "--json")
    localities = [e["locality"] for e in json.loads(out) if not e["own"]]
    assert localities == ["示例县"]


def test_full_width_letters_and_brackets_are_one_unit_name(run: Run, tmp_path: Path) -> None:
    from desktop.core.names import normalise_name

    assert normalise_name("ＡＢ县发改局(物价局)") == normalise_name("AB县发改局（物价局）")
    assert normalise_name("AB县发改局(物价局)") == "AB县发改局（物价局）"


def test_a_file_name_cannot_forge_a_line_in_the_audit_browser(
    run: Run, exported: tuple[Path, Path], tmp_path: Path
) -> None:
    _, package = exported
    city = _city(run, tmp_path / "city")
    odd = tmp_path / "示例县\n导入 某某县 第9版\u202e.zip"
    odd.write_bytes(package.read_bytes())
    assert run(city, "package", "import", str(odd))[0] == 0
    conn = sqlite3.connect(city / "ledger.sqlite3")
    summary = conn.execute(
        "SELECT summary FROM audit_log WHERE action='import' AND entity='work_list'"
    ).fetchone()[0]
    conn.close()
    assert "\n" not in summary and "\u202e" not in summary
    assert "⟨U+000A⟩" in summary and "⟨U+202E⟩" in summary


# --------------------------------------------------------------------------- audit tampering


def _sql(office: Path, *statements: str, params: tuple[Any, ...] = ()) -> None:
    conn = sqlite3.connect(office / "ledger.sqlite3")
    with conn:
        for statement in statements:
            conn.execute(statement, params if "?" in statement else ())
    conn.close()


def _check(run: Run, office: Path) -> str:
    code, out, err = run(office, "db", "check")
    assert code == 2 and out == "", (out, err)
    return err


def test_db_check_passes_on_an_office_the_program_wrote(
    run: Run, exported: tuple[Path, Path]
) -> None:
    office, _ = exported
    code, out, err = run(office, "db", "check")
    assert code == 0 and "有本单位签名" in out, err


def test_cutting_entries_and_copying_the_head_is_found(
    run: Run, exported: tuple[Path, Path]
) -> None:
    office, _ = exported
    conn = sqlite3.connect(office / "ledger.sqlite3")
    last_id, count = conn.execute("SELECT max(id), count(*) FROM audit_log").fetchone()
    new_last, new_hash = conn.execute(
        "SELECT id, hash FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT 1", (last_id - 1,)
    ).fetchone()
    head = json.loads(
        conn.execute("SELECT value FROM setting WHERE key='audit.head'").fetchone()[0]
    )
    head.update(id=new_last, hash=new_hash, count=count - (last_id - new_last))
    with conn:
        conn.execute("DELETE FROM audit_log WHERE id > ?", (new_last,))
        conn.execute("UPDATE setting SET value=? WHERE key='audit.head'", (json.dumps(head),))
    conn.close()
    assert "签名无效" in _check(run, office)


def test_rewriting_the_chain_with_the_programs_hashing_is_found(
    run: Run, exported: tuple[Path, Path]
) -> None:
    office, _ = exported
    _rewrite_history(office, key=None)
    assert "签名无效" in _check(run, office)


EDITS = [
    ("UPDATE task SET content='改过的任务' WHERE id=(SELECT min(id) FROM task)", "content"),
    ("UPDATE task SET deadline='2099-12-31' WHERE id=(SELECT max(id) FROM task)", "deadline"),
    (
        "UPDATE task_unit SET name='某某局' WHERE id=(SELECT min(id) FROM task_unit)",
        "lead_units",
    ),
    (
        "UPDATE progress_report SET percent=100 WHERE id=(SELECT min(id) FROM progress_report)",
        "percent",
    ),
    ("UPDATE milestone SET percent=7 WHERE id=(SELECT min(id) FROM milestone)", "percent"),
    ("DELETE FROM milestone WHERE id=(SELECT max(id) FROM milestone)", "被删除"),
    (
        "INSERT INTO task (work_list_id, uid, number, position, content, target_text,"
        " target_unit, leader, person, phone, remarks, origin, closed_by, close_evidence,"
        " carried_from_uid, created_at, updated_at) SELECT work_list_id, 'x-1', '99', 99,"
        " '补写', '', '', '', '', '', '', 'manual', '', '', '', '', '' FROM task LIMIT 1",
        "新增",
    ),
]
EDIT_IDS = ["task field", "deadline", "unit", "progress", "milestone", "deleted", "inserted"]


@pytest.mark.parametrize(("statement", "named"), EDITS, ids=EDIT_IDS)
def test_a_direct_edit_of_the_business_tables_is_named(
    run: Run, exported: tuple[Path, Path], statement: str, named: str
) -> None:
    office, _ = exported
    _sql(office, statement)
    err = _check(run, office)
    assert "数据与审计记录不符" in err and named in err


@pytest.mark.parametrize(("statement", "named"), EDITS, ids=EDIT_IDS)
def test_a_direct_edit_of_a_received_list_is_named(
    run: Run, exported: tuple[Path, Path], tmp_path: Path, statement: str, named: str
) -> None:
    """The rows of an imported list are noted set-based, not by a trigger per row: their
    states are sealed all the same, so an edit outside the program is found."""
    _, package = exported
    city = _city(run, tmp_path / "city")
    code, _, err = run(city, "package", "import", str(package))
    assert code == 0, err
    code, _, err = run(city, "db", "check")
    assert code == 0, err
    _sql(city, statement)
    err = _check(run, city)
    assert "数据与审计记录不符" in err and named in err


def test_an_edited_row_state_is_found(run: Run, exported: tuple[Path, Path]) -> None:
    office, _ = exported
    _sql(office, "UPDATE audit_row SET digest = X'00' WHERE id = (SELECT min(id) FROM audit_row)")
    assert "所记的数据状态被改动过" in _check(run, office)


# --------------------------------------------------------------------------- across offices


def _rewrite_history(office: Path, key: signing.KeyPair | None) -> None:
    """Edit an early entry and recompute the whole chain with the program's own hashing;
    with ``key`` the head is signed again (someone holding the office's key)."""
    conn = sqlite3.connect(office / "ledger.sqlite3")
    rows = conn.execute(
        "SELECT id, at, operator, action, entity, entity_id, summary, before, after, rows_digest"
        " FROM audit_log ORDER BY id"
    ).fetchall()
    prev, updates = "", []
    for i, (entry_id, *fields, rows_digest) in enumerate(rows):
        if i == 2:
            fields[5] = fields[5] + "（改写）"
        digest = entry_hash(prev, hashed_fields(list(fields), rows_digest))
        updates.append((fields[5], prev, digest, entry_id))
        prev = digest
    head = json.loads(
        conn.execute("SELECT value FROM setting WHERE key='audit.head'").fetchone()[0]
    )
    head["hash"] = prev
    if key is not None:
        head["signature"] = signing.sign(
            key.private, head_message(head["id"], prev, head["count"])
        ).hex()
    with conn:
        conn.executemany("UPDATE audit_log SET summary=?, prev_hash=?, hash=? WHERE id=?", updates)
        conn.execute("UPDATE setting SET value=? WHERE key='audit.head'", (json.dumps(head),))
    conn.close()


def _new_progress(run: Run, office: Path) -> None:
    code, out, err = run(office, "worklist", "show", "--year", "2027", "--json")
    assert code == 0, err
    first = json.loads(out)["tasks"][0]["code"]
    code, _, err = run(
        office, "progress", "set", "--year", "2027", "--task", first, "--period", "2027-Q2",
        "--text", "又有新进展", "--percent", "66",
    )  # fmt: skip
    assert code == 0, err


def _export_again(run: Run, office: Path, folder: Path) -> Path:
    folder.mkdir()
    code, _, err = run(office, "package", "export", "--year", "2027", "--out", str(folder))
    assert code == 0, err
    (package,) = folder.glob("*.zip")
    return package


def test_a_second_report_continues_the_first(
    run: Run, exported: tuple[Path, Path], tmp_path: Path
) -> None:
    office, package = exported
    city = _city(run, tmp_path / "city")
    assert run(city, "package", "import", str(package))[0] == 0
    _new_progress(run, office)
    second = _export_again(run, office, tmp_path / "q2")
    code, out, err = run(city, "package", "import", str(second))
    assert code == 0 and "更新" in out and "不连续" not in out and "无法核对" not in out, err


def test_history_rewritten_between_two_reports_is_flagged_at_the_city(
    run: Run, exported: tuple[Path, Path], tmp_path: Path
) -> None:
    office, package = exported
    city = _city(run, tmp_path / "city")
    assert run(city, "package", "import", str(package))[0] == 0
    # someone with the county's PC and key rewrites its past and re-signs: db check passes there
    _rewrite_history(office, key=_key_of(office))
    assert run(office, "db", "check")[0] == 0
    _new_progress(run, office)
    second = _export_again(run, office, tmp_path / "q2")
    code, out, err = run(city, "package", "import", str(second))
    assert code == 0 and "审计记录与上次上报不连续" in out, err
    conn = sqlite3.connect(city / "ledger.sqlite3")
    notes = [json.loads(n) for (n,) in conn.execute("SELECT notes FROM package_import")]
    conn.close()
    assert any("审计记录与上次上报不连续" in note for batch in notes for note in batch)
