"""Benchmark: what trust costs — signing and verifying, and the audit seal at commit.

    .venv/bin/python benchmarks/bench_trust.py [--counties 100] [--tasks 300]

Prints: SM2 sign / verify per operation; a city importing ``--counties`` signed packages of
``--tasks`` tasks (made as bench_exchange.py makes them, each signed with its own key), with
the time spent verifying signatures, checking keys and sealing the audit log (row states,
hashes, the signed head) measured inside the import; and ``db check`` of the city afterwards.
Never fails on a timing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

SPENT: dict[str, float] = {}


def timed_calls(module: Any, name: str, label: str) -> None:
    """Wrap ``module.name`` so the seconds spent in it add up under ``label``."""
    original = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label] = SPENT.get(label, 0.0) + time.perf_counter() - start

    setattr(module, name, wrapper)


def per_call(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1000


def make_packages(work: Path, counties: int, tasks: int) -> list[Path]:
    from desktop.core import signing
    from desktop.core.exchange_files import HumanCopy, build_package, package_stem, read_package
    from desktop.core.exchange_files.archive import read_members
    from desktop.services.context import open_office
    from desktop.services.demo.office import run_demo

    office = open_office(work / "county")
    try:
        run_demo(office, tasks=tasks)
        wl = office.worklists.find_own(2027)
        result = office.exchange.export(wl.id, work)
    finally:
        office.close()
    raw = result.path.read_bytes()
    package = read_package(raw)
    _, members = read_members(raw)
    copies = [
        HumanCopy(f.name, f.role, members[f.name])
        for f in package.manifest.files
        if f.role in ("xlsx", "pdf")
    ]
    out = work / "packages"
    out.mkdir()
    paths = []
    for i in range(counties):
        name = f"第{i + 1:03d}县"
        data = replace(package.data, work_list=replace(package.data.work_list, locality=name))
        manifest = replace(package.manifest, locality=name, locality_code=f"33{i:04d}")
        folder = package_stem(name, 2027, manifest.notice_doc_number, manifest.list_version)
        path = out / f"{folder}.zip"
        key = signing.generate_key()
        path.write_bytes(build_package(manifest, data, copies, folder, key=key))
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=300)
    args = parser.parse_args()
    from desktop.core import signing

    key = signing.generate_key()
    message = os.urandom(2500)
    signature = signing.sign(key.private, message)
    signed = per_call(lambda: signing.sign(key.private, message), 200)
    verified = per_call(lambda: signing.verify(key.public, message, signature), 200)
    print(f"SM2 sign   {signed:6.2f} ms per 2.5 KB message")
    print(f"SM2 verify {verified:6.2f} ms")

    work = Path(tempfile.mkdtemp(prefix="bench-trust-"))
    try:
        paths = make_packages(work, args.counties, args.tasks)
        from desktop.core.exchange_files import package as package_module
        from desktop.services.audit import seal as seal_module
        from desktop.services.exchange import importer as importer_module
        from desktop.services.office.service import OfficeInfo

        timed_calls(package_module, "check_signature", "verifying signatures")
        timed_calls(importer_module, "check_sender_key", "pinning keys")
        timed_calls(seal_module, "_store_rows", "row states (seal)")
        timed_calls(seal_module, "_chain", "hashing and signing the head (seal)")
        from desktop.services.context import open_office

        city = open_office(work / "city")
        try:
            city.office.save(OfficeInfo(locality="示例市", level="市级", parent="浙江省"))
            SPENT.clear()
            cpu, start = time.process_time(), time.perf_counter()
            batch = city.exchange.import_packages(paths)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            assert not batch.failures, batch.failures[:1]
            print(
                f"import of {len(paths)} signed packages ({args.tasks} tasks each): "
                f"{wall:.2f} s wall, {cpu:.2f} s CPU"
            )
            for label, seconds in SPENT.items():
                print(f"  of which {label:38s} {seconds:6.3f} s")
            start = time.perf_counter()
            problems = city.maintenance.check()
            print(
                f"db check of the city: {time.perf_counter() - start:.2f} s, {problems or 'sound'}"
            )
            size = city.data_dir.db_path.stat().st_size / 1e6
            print(f"city database: {size:.1f} MB")
        finally:
            city.close()
        if hasattr(os, "getloadavg"):
            print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
