"""The office key across restores: a backup carries the key; a backup made before offices had
keys keeps the key of the office it is restored into (its paper ledgers carry that one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.services.context import open_office

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "db"


def _fingerprint(root: Path) -> str:
    services = open_office(root)
    try:
        return services.office.key_fingerprint()
    finally:
        services.close()


def _cli(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> str:
    code = main(["--data-dir", str(root), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_a_backup_restored_on_another_pc_signs_as_the_same_office(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    office = tmp_path / "office"
    _cli(capsys, office, "office", "set", "--locality", "示例县", "--level", "县级")
    own = _fingerprint(office)
    _cli(capsys, office, "db", "backup", "--out", str(tmp_path / "copy.sqlite3"))
    other_pc = tmp_path / "other"
    _cli(capsys, other_pc, "office", "set", "--locality", "别的县", "--level", "县级")
    assert _fingerprint(other_pc) != own
    _cli(capsys, other_pc, "db", "restore", "--from", str(tmp_path / "copy.sqlite3"))
    assert _fingerprint(other_pc) == own
    assert "数据库检查通过" in _cli(capsys, other_pc, "db", "check")


def test_a_backup_from_before_keys_keeps_the_offices_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    office = tmp_path / "office"
    _cli(capsys, office, "office", "set", "--locality", "示例县", "--level", "县级")
    own = _fingerprint(office)
    old = tmp_path / "rev_0003.sqlite3"
    shutil.copy(FIXTURES / "rev_0003.sqlite3", old)
    _cli(capsys, office, "db", "restore", "--from", str(old))
    assert _fingerprint(office) == own
    assert not (office / "office-key-carried.json").exists()
