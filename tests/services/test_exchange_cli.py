"""``package export|import|show`` (CONTRACT.md), run in-process through the CLI's entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main

from .exchange_support import county


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def county_folder(tmp_path: Path) -> Path:
    county(tmp_path / "county", tasks=40).close()
    return tmp_path / "county"


def test_export_to_a_folder_then_import_and_show(
    capsys: pytest.CaptureFixture[str], county_folder: Path, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    code, out, err = run(
        capsys, county_folder, "package", "export", "--year", "2027", "--out", str(usb)
    )
    assert code == 0, err
    (package,) = usb.glob("*.zip")
    assert package.name == "示例县_2027_浙政发〔2026〕16号_v1.zip" and "第1版" in out

    city = tmp_path / "city"
    code, _, err = run(
        capsys,
        city,
        "office",
        "set",
        "--locality",
        "示例市",
        "--level",
        "市级",
        "--parent",
        "浙江省",
    )
    assert code == 0, err
    code, out, err = run(capsys, city, "package", "show", str(package), "--json")
    assert code == 0, err
    manifest = json.loads(out)
    assert manifest["locality"]["name"] == "示例县" and manifest["list_version"] == 1

    code, out, err = run(capsys, city, "package", "import", str(package))
    assert code == 0 and "已导入示例县 2027年清单第1版" in out, err
    code, out, err = run(capsys, city, "package", "import", str(package))
    assert code == 0 and "已导入过，未作改动" in out, err


def test_refusals_exit_2_with_one_chinese_line(
    capsys: pytest.CaptureFixture[str], county_folder: Path, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    code, out, err = run(capsys, county_folder, "package", "import", str(junk))
    assert code == 2 and out == ""
    assert (
        "不是 zip 压缩文件" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    )

    code, _, err = run(
        capsys, county_folder, "package", "export", "--year", "2031", "--out", "x.zip"
    )
    assert code == 2 and "2031" in err


def test_several_files_report_each(
    capsys: pytest.CaptureFixture[str], county_folder: Path, tmp_path: Path
) -> None:
    code, _, err = run(
        capsys,
        county_folder,
        "package",
        "export",
        "--year",
        "2027",
        "--out",
        str(tmp_path / "a.zip"),
    )
    assert code == 0, err
    city = tmp_path / "city"
    run(capsys, city, "office", "set", "--locality", "示例市", "--level", "市级")
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"")
    code, out, err = run(
        capsys, city, "package", "import", str(tmp_path / "a.zip"), str(junk), "--json"
    )
    assert code == 2
    outcomes = [r["outcome"] for r in json.loads(out)]
    assert outcomes == ["imported", "refused"] and "junk.zip" in err


@pytest.mark.parametrize("out", ["usb/", "usb", "stick/2027/"])
def test_export_to_a_folder_not_yet_there(
    capsys: pytest.CaptureFixture[str], county_folder: Path, tmp_path: Path, out: str
) -> None:
    """usb/ (or a name without .zip) is a folder, made when missing: never a file named usb."""
    target = tmp_path / out
    code, _, err = run(
        capsys,
        county_folder,
        "package",
        "export",
        "--year",
        "2027",
        "--out",
        str(target) + ("/" if out.endswith("/") else ""),
    )
    assert code == 0, err
    assert target.is_dir()
    (package,) = target.glob("*.zip")
    assert package.name.startswith("示例县_2027_")


@pytest.mark.parametrize(
    "args",
    [
        ["ledger", "pdf", "--year", "2027", "--out"],
        ["worklist", "export-xlsx", "--year", "2027", "--out"],
        ["worklist", "export-csv", "--year", "2027", "--out"],
    ],
)
def test_a_folder_is_no_file_name(
    capsys: pytest.CaptureFixture[str], county_folder: Path, tmp_path: Path, args: list[str]
) -> None:
    code, _, err = run(capsys, county_folder, *args, f"{tmp_path / 'out'}/")
    assert code == 2 and "是文件夹" in err
    assert not (tmp_path / "out").exists()
    (tmp_path / "there").mkdir()
    code, _, err = run(capsys, county_folder, *args, str(tmp_path / "there"))
    assert code == 2 and "请给出要写入的文件名" in err
    assert list((tmp_path / "there").iterdir()) == []
