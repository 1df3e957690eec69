"""The combined package (format version 2): an office's own list and its lower localities'
packages, each exactly as it was received, in one file for the level above.

A city reports upward its own list and the latest list each county sent it. Each county's
part is the county's package file itself, byte for byte — its manifest, its checksums and
whatever else the county put in it travel untouched — so the province checks every
county's data against the county's own checksums, without having to trust the city's
copy. The city's own list is a part of the same kind, written as any one-list package.
An outer ``manifest.json`` names the sender and lists the parts with their sizes and
SHA-256, and the expected lower localities the package does not carry; the sender signs it
(``manifest.sig`` beside it, as in a one-list package), so the list of parts is the city's
word, and each county's part keeps the county's own signature.

``build_bundle`` writes one; ``read_upward`` reads any package from below — a one-list
package (``Package``) or a combined one (``Bundle``) — and, for a combined one, checks the
outer manifest, every part against it and every part completely by itself (``read_package``)
before anything is returned: one part in error refuses the whole file, naming its locality.
Whose keys signed the parts is checked against the pinned keys by the importing service
(``desktop.services.exchange.trust.verify_part``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from desktop.core import signing
from desktop.core.localities import may_report_under
from desktop.core.names import one_line, same_name
from desktop.errors import PackageError

from .archive import DEFAULT_LIMITS, Limits, write_members
from .fields import Reader
from .manifest import exported_at
from .model import (
    FORMAT_NAME,
    FORMAT_VERSION,
    LEVELS,
    MANIFEST_FILE,
    Package,
)
from .names import check_file_name, fold
from .package import (
    package_from,
    read_manifest_json,
    read_package,
    read_zip,
    sha256_hex,
)
from .signature import SIGNATURE_FILE, Signer, check_signed, read_signer, signature_file, signer_of

MAX_PARTS = 64
PART_ROLES = ("own", "lower")
_WHERE = "汇总清单文件（manifest.json）"
_HINT = "文件可能在传递中损坏或被改动过，请让报送单位重新导出上报包。"


@dataclass(frozen=True)
class PartEntry:
    """One part as the outer manifest lists it: a one-list package file."""

    name: str  # the part's file name in the combined package
    role: str  # own (the sender's list) | lower (a lower locality's, as received)
    locality: str
    code: str
    level: str
    parent: str
    list_version: int
    size: int = 0
    sha256: str = ""


@dataclass(frozen=True)
class Absent:
    """An expected lower locality whose list the package does not carry (told, not hidden)."""

    name: str
    code: str
    reason: str  # e.g. 未上报


@dataclass(frozen=True)
class BundleManifest:
    format_version: int
    program_name: str
    program_version: str
    database_revision: str
    locality: str
    locality_code: str
    level: str
    parent: str
    reporting_office: str
    year: int
    notice_doc_number: str
    notice_title: str
    exported_at: str
    operator: str
    reviewer: str
    contact: str
    parts: tuple[PartEntry, ...]
    absent: tuple[Absent, ...] = ()
    signer: Signer | None = None  # None: written without a key (only by tools)
    # the sender's count of its combined packages of this year and notice: the receiver
    # orders them by it, never by a clock (0: written by a tool without a count)
    export_sequence: int = 0

    @property
    def display(self) -> str:
        return f"{self.locality} {self.year}年 {self.notice_doc_number} 汇总上报包"


@dataclass(frozen=True)
class BundlePart:
    entry: PartEntry
    package: Package  # the part read and checked by itself
    body: bytes  # its bytes exactly as carried


@dataclass(frozen=True)
class Bundle:
    """A combined package that was read and found sound, every part checked."""

    folder: str
    manifest: BundleManifest
    manifest_json: dict[str, object]
    parts: tuple[BundlePart, ...]
    sha256: str
    size: int

    @property
    def own(self) -> BundlePart | None:
        return next((p for p in self.parts if p.entry.role == "own"), None)

    @property
    def lower(self) -> list[BundlePart]:
        return [p for p in self.parts if p.entry.role == "lower"]


# --------------------------------------------------------------------------- writing


def bundle_manifest_to_json(m: BundleManifest) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "format_version": m.format_version,
        "contents": "lists",
        "program": {"name": m.program_name, "version": m.program_version},
        "database_revision": m.database_revision,
        "locality": {
            "name": m.locality,
            "code": m.locality_code,
            "level": m.level,
            "parent": m.parent,
            "reporting_office": m.reporting_office,
        },
        "year": m.year,
        "notice": {"doc_number": m.notice_doc_number, "title": m.notice_title},
        "exported_at": m.exported_at,
        "people": {"operator": m.operator, "reviewer": m.reviewer, "contact": m.contact},
        "parts": [
            {
                "name": p.name,
                "role": p.role,
                "locality": {
                    "name": p.locality,
                    "code": p.code,
                    "level": p.level,
                    "parent": p.parent,
                },
                "list_version": p.list_version,
                "size": p.size,
                "sha256": p.sha256,
            }
            for p in m.parts
        ],
        "absent": [{"name": a.name, "code": a.code, "reason": a.reason} for a in m.absent],
        "export_sequence": m.export_sequence,
        "signer": m.signer.to_json() if m.signer else None,
    }


def build_bundle(
    manifest: BundleManifest,
    parts: list[tuple[PartEntry, bytes]],
    folder: str,
    *,
    key: signing.KeyPair | None = None,
) -> bytes:
    """The zip of a combined package; each part's size and SHA-256 are filled in here from
    its bytes, which go in stored (a package is already compressed) and unchanged. With
    ``key`` the outer manifest names its signer and ``manifest.sig`` signs it."""
    entries = tuple(replace(e, size=len(b), sha256=sha256_hex(b)) for e, b in parts)
    manifest = replace(
        manifest,
        format_version=FORMAT_VERSION,
        parts=entries,
        signer=signer_of(key) if key is not None else None,
    )
    body = json.dumps(bundle_manifest_to_json(manifest), ensure_ascii=False, indent=2).encode()
    when = datetime.fromisoformat(manifest.exported_at).timetuple()[:6]
    members = [(MANIFEST_FILE, body)]
    if key is not None:
        members.append((SIGNATURE_FILE, signature_file(body, key)))
    members += [(e.name, b) for e, b in parts]
    return write_members(folder, members, when, stored=lambda name: name.endswith(".zip"))


def part_name(stem: str, taken: set[str]) -> str:
    """A part's file name from its package's stem, unique within the package."""
    name, n = f"{stem}.zip", 2
    while fold(name) in taken:
        name, n = f"{stem}_{n}.zip", n + 1
    taken.add(fold(name))
    return name


# --------------------------------------------------------------------------- reading


def read_upward(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Package | Bundle:
    """Any package from below: a one-list package or a combined one, completely checked."""
    folder, members = read_zip(raw, replace(limits, members=MAX_PARTS + 2))
    budget = limits.budget()
    manifest_name, manifest_json = read_manifest_json(members, budget)
    if manifest_json.get("contents") != "lists":
        if len(members) > limits.members:
            raise PackageError(
                f"上报包中有 {len(members)} 个文件，远多于正常上报包，已拒绝导入。",
                hint="这不是清单台账导出的正常上报包，可能已损坏或被改动过。",
            )
        return package_from(folder, members, manifest_name, manifest_json, raw, budget)
    manifest = bundle_manifest_from_json(manifest_json)
    by_key = {fold(n): n for n in members if n != manifest_name}
    sig_name = by_key.pop(fold(SIGNATURE_FILE), None)
    check_signed(
        members[manifest_name],
        members[sig_name] if sig_name is not None else None,
        manifest.signer,
        one_line(manifest.locality, 40),
    )
    listed = {fold(p.name) for p in manifest.parts}
    for name in by_key.values():
        if fold(name) not in listed:
            raise PackageError(
                f"上报包中的文件“{name}”不在汇总清单文件所列之内，已拒绝导入。", hint=_HINT
            )
    parts = []
    for entry in manifest.parts:
        found = by_key.get(fold(entry.name))
        whose = f"{manifest.locality}的上报包中{_whose(entry)}"
        if found is None:
            raise PackageError(
                f"{whose}缺少（文件“{entry.name}”不在包中），已拒绝导入。", hint=_HINT
            )
        body = members[found]
        if len(body) != entry.size or sha256_hex(body) != entry.sha256:
            raise PackageError(
                f"{whose}与汇总清单文件记录的校验值不符（文件“{entry.name}”），已拒绝导入。",
                hint=_HINT,
            )
        try:
            package = read_package(body, limits)
        except PackageError as err:
            raise PackageError(f"{whose}未通过校验：{err.message}", hint=err.hint) from err
        _part_agrees(manifest, entry, package)
        parts.append(BundlePart(entry, package, body))
    seen: set[str] = set()
    for part in parts:
        key = part.entry.code or fold(part.entry.locality)
        if key in seen:
            raise PackageError(
                f"{manifest.locality}的上报包中{part.entry.locality}的清单出现了两次，已拒绝导入。",
                hint=_HINT,
            )
        seen.add(key)
    return Bundle(
        folder=folder,
        manifest=manifest,
        manifest_json=manifest_json,
        parts=tuple(parts),
        sha256=sha256_hex(raw),
        size=len(raw),
    )


def _whose(entry: PartEntry) -> str:
    return "本级清单" if entry.role == "own" else f"{entry.locality}的清单"


def bundle_manifest_from_json(obj: object) -> BundleManifest:
    r = Reader(obj, _WHERE, "")
    if r.obj.get("format") != FORMAT_NAME:
        raise PackageError("这个文件不是清单台账的上报包（清单文件中的格式名称不符）。")
    version = r.integer("format_version", 2, 10**6)  # combined packages began with 2
    if version > FORMAT_VERSION:
        raise PackageError(
            f"这个上报包的格式版本是 {version}，比本程序支持的版本（{FORMAT_VERSION}）新。",
            hint="请先把清单台账升级到最新版本再导入。",
        )
    program = r.child("program")
    sender = r.child("locality")
    notice = r.child("notice")
    people = r.child("people")
    level = sender.choice("level", LEVELS)
    parts = []
    for p in r.objects("parts", max_items=MAX_PARTS):
        where = p.child("locality")
        name = p.name("name", max_len=160)
        problem = check_file_name(name)
        if problem:
            p.fail(f"{p.path}.name", problem)
        parts.append(
            PartEntry(
                name=name,
                role=p.choice("role", PART_ROLES),
                locality=where.locality("name"),
                code=where.code("code"),
                level=where.choice("level", LEVELS),
                parent=where.locality("parent"),
                list_version=p.integer("list_version", 1, 100_000),
                size=p.integer("size", 0, 2**40),
                sha256=p.sha256("sha256"),
            )
        )
    if not parts:
        r.fail("parts", "为空：汇总上报包至少要有一份清单")
    if len({fold(p.name) for p in parts}) != len(parts):
        r.fail("parts", "中有重名的文件")
    if sum(1 for p in parts if p.role == "own") > 1:
        r.fail("parts", "中有多份本级清单")
    absent = (
        [
            Absent(a.locality("name"), a.code("code"), a.text("reason", max_len=60, required=False))
            for a in r.objects("absent", max_items=1000)
        ]
        if "absent" in r.obj
        else []
    )
    signer = r.obj.get("signer")
    locality = sender.locality("name")
    return BundleManifest(
        format_version=version,
        program_name=program.text("name", max_len=80),
        program_version=program.text("version", max_len=40),
        database_revision=r.text("database_revision", max_len=40),
        locality=locality,
        locality_code=sender.code("code"),
        level=level,
        parent=sender.locality("parent"),
        reporting_office=sender.text("reporting_office", max_len=200, required=False),
        year=r.integer("year", 2000, 2100),
        notice_doc_number=notice.name("doc_number", max_len=80),
        notice_title=notice.text("title", max_len=2000),
        exported_at=exported_at(r),
        operator=people.text("operator", max_len=60),
        reviewer=people.text("reviewer", max_len=60),
        contact=people.text("contact", max_len=60),
        parts=tuple(parts),
        absent=tuple(absent),
        signer=None if signer is None else read_signer(signer, one_line(locality, 40)),
        export_sequence=r.integer("export_sequence", 0, 10**9),
    )


def _part_agrees(m: BundleManifest, entry: PartEntry, package: Package) -> None:
    """Each part is what the outer manifest says it is, and belongs under the sender."""
    pm = package.manifest
    who = _whose(entry)

    def refuse(what: str) -> PackageError:
        return PackageError(f"{m.locality}的上报包中{who}{what}，已拒绝导入。", hint=_HINT)

    if not same_name(pm.locality, entry.locality) or pm.locality_code != entry.code:
        raise refuse(
            f"实为{pm.locality}（代码 {pm.locality_code or '无'}）的清单，与汇总清单文件不符"
        )
    if pm.level != entry.level or pm.list_version != entry.list_version:
        raise refuse("的层级或版本与汇总清单文件不符")
    if pm.year != m.year or pm.notice_doc_number != m.notice_doc_number:
        raise refuse(f"是{pm.year}年 {pm.notice_doc_number} 的清单，不属于这个汇总上报包")
    if entry.role == "own":
        if not same_name(pm.locality, m.locality) or pm.locality_code != m.locality_code:
            raise refuse(f"是{pm.locality}的清单，不是报送单位{m.locality}自己的")
        return
    if LEVELS.index(pm.level) >= LEVELS.index(m.level):
        raise refuse(f"来自{pm.level}的{pm.locality}，不是{m.locality}（{m.level}）的下级")
    if not same_name(pm.parent, m.locality):
        raise refuse(f"的上级是“{pm.parent}”，不是{m.locality}")
    if (
        pm.locality_code
        and m.locality_code
        and not may_report_under(pm.locality_code, m.locality_code)
    ):
        raise refuse(f"的行政区划代码 {pm.locality_code} 不在{m.locality}（{m.locality_code}）之内")
