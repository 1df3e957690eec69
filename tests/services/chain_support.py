"""County → city → province: offices set up and packages sent through the command line.

Five counties (three of 湖州市, two of 绍兴市), the two cities and the province, each in its
own data folder, as an office would do it: ``demo`` for a county's list, ``office set`` with
the 行政区划代码, ``office lower --builtin`` for the expected localities, ``package export``
and ``package import``.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.cli import main
from desktop.core import signing
from desktop.services.context import Services, open_office
from desktop.services.office.keys import load_key

YEAR = 2027
COUNTIES = {
    "吴兴区": ("湖州市", "330502"),
    "南浔区": ("湖州市", "330503"),
    "德清县": ("湖州市", "330521"),
    "越城区": ("绍兴市", "330602"),
    "柯桥区": ("绍兴市", "330603"),
}
CITIES = {"湖州市": "330500", "绍兴市": "330600"}


def cli(data: Path, *args: str) -> tuple[int, str, str]:
    """Run the command line in-process on data folder ``data``."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--data-dir", str(data), *args])
    return code, out.getvalue(), err.getvalue()


def ok(data: Path, *args: str) -> str:
    code, out, err = cli(data, *args)
    assert code == 0, f"{args}: {err}"
    return out


def as_json(data: Path, *args: str) -> Any:
    return json.loads(ok(data, *args, "--json"))


@dataclass
class Chain:
    root: Path
    county_files: dict[str, Path] = field(default_factory=dict)
    city_files: dict[str, Path] = field(default_factory=dict)

    def folder(self, name: str) -> Path:
        return self.root / name

    def county(self, name: str, seed: int) -> Path:
        """A county's office with its example list, reporting to its city."""
        data = self.folder(name)
        city, code = COUNTIES[name]
        ok(data, "demo", "--locality", name, "--tasks", "40", "--year", str(YEAR))
        ok(data, "office", "set", "--locality", name, "--level", "县级", "--parent", city,
           "--code", code)  # fmt: skip
        return data

    def export_county(self, name: str) -> Path:
        out = self.root / "usb" / name
        out.mkdir(parents=True, exist_ok=True)
        ok(self.folder(name), "package", "export", "--year", str(YEAR), "--out", str(out))
        self.county_files[name] = max(out.glob("*.zip"), key=lambda p: p.stat().st_mtime_ns)
        return self.county_files[name]

    def city(self, name: str) -> Path:
        data = self.folder(name)
        ok(data, "office", "set", "--locality", name, "--level", "市级", "--parent", "浙江省",
           "--code", CITIES[name], "--operator", "王五")  # fmt: skip
        ok(data, "office", "lower", "--builtin")
        return data

    def export_city(self, name: str, *extra: str) -> Path:
        out = self.root / "usb" / name
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.zip"):
            old.unlink()
        ok(self.folder(name), "package", "export", "--year", str(YEAR), "--out", str(out), *extra)
        (self.city_files[name],) = out.glob("*.zip")
        return self.city_files[name]

    def province(self) -> Path:
        data = self.folder("浙江省")
        ok(data, "office", "set", "--locality", "浙江省", "--level", "省级", "--code", "330000",
           "--operator", "赵六")  # fmt: skip
        ok(data, "office", "lower", "--builtin")
        return data

    def services(self, name: str) -> Services:
        return open_office(self.folder(name))

    def key(self, name: str) -> signing.KeyPair:
        """The office's signing key (what a city that changes a county's part re-signs with)."""
        services = self.services(name)
        try:
            with services.sessions() as session:
                key = load_key(session)
        finally:
            services.close()
        assert key is not None
        return key
