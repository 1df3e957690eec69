"""``manifest.json``: writing it, and reading an untrusted one field by field."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from desktop.core.names import one_line
from desktop.errors import PackageError

from .fields import Reader
from .history import read_head
from .model import FORMAT_NAME, FORMAT_VERSION, LEVELS, OPTIONAL_ROLES, ROLES, FileEntry, Manifest
from .names import check_file_name
from .signature import read_signer

_WHERE = "清单文件（manifest.json）"


def manifest_to_json(m: Manifest) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "format_version": m.format_version,
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
        "list_version": m.list_version,
        "period": {"key": m.period_key, "label": m.period_label} if m.period_key else None,
        "exported_at": m.exported_at,
        "people": {"operator": m.operator, "reviewer": m.reviewer, "contact": m.contact},
        "tasks": m.tasks,
        "files": [
            {"name": f.name, "role": f.role, "size": f.size, "sha256": f.sha256} for f in m.files
        ],
        "export_sequence": m.export_sequence,
        "signer": m.signer.to_json() if m.signer else None,
        "audit": {
            "head": m.audit_head.to_json() if m.audit_head else None,
            "since": m.audit_since.to_json() if m.audit_since else None,
        },
    }


def manifest_from_json(obj: object) -> Manifest:
    """The manifest, or ``PackageError`` naming the first thing wrong with it."""
    r = Reader(obj, _WHERE, "")
    if r.obj.get("format") != FORMAT_NAME:
        raise PackageError(
            "这个文件不是清单台账的上报包（清单文件中的格式名称不符）。",
            hint="请确认选择的是下级用清单台账导出的上报包（.zip）。",
        )
    version = r.obj.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise PackageError(
            f"上报包的格式版本“{version}”无法识别。",
            hint="请让报送单位用正式发布的清单台账重新导出。",
        )
    if version > FORMAT_VERSION:
        raise PackageError(
            f"这个上报包的格式版本是 {version}，比本程序支持的版本（{FORMAT_VERSION}）新。",
            hint="请先把清单台账升级到最新版本再导入。",
        )
    program = r.child("program")
    where = r.child("locality")
    notice = r.child("notice")
    period = r.optional_child("period")
    people = r.child("people")
    files = []
    for f in r.objects("files", max_items=16):
        name = f.name("name", max_len=120)
        problem = check_file_name(name)
        if problem:
            f.fail(f"{f.path}.name", problem)
        files.append(
            FileEntry(
                name=name,
                role=f.choice("role", ROLES + OPTIONAL_ROLES),
                size=f.integer("size", 0, 2**40),
                sha256=f.sha256("sha256"),
            )
        )
    for role in ROLES:
        count = sum(1 for f in files if f.role == role)
        if count != 1:
            r.fail("files", f"应恰好含一个“{role}”文件，实有 {count} 个")
    for role in OPTIONAL_ROLES:
        count = sum(1 for f in files if f.role == role)
        if count > 1:
            r.fail("files", f"最多含一个“{role}”文件，实有 {count} 个")
    if len({f.name.lower() for f in files}) != len(files):
        r.fail("files", "中有重名的文件")
    manifest = Manifest(
        format_version=version,
        program_name=program.text("name", max_len=80),
        program_version=program.text("version", max_len=40),
        database_revision=r.text("database_revision", max_len=40),
        locality=where.locality("name"),
        locality_code=where.code("code"),
        level=where.choice("level", LEVELS),
        parent=where.locality("parent"),
        reporting_office=where.text("reporting_office", max_len=200, required=False),
        year=r.integer("year", 2000, 2100),
        notice_doc_number=notice.name("doc_number", max_len=80),
        notice_title=notice.text("title", max_len=2000),
        list_version=r.integer("list_version", 1, 100_000),
        period_key=period.text("key", max_len=10) if period else "",
        period_label=period.text("label", max_len=30) if period else "",
        exported_at=exported_at(r),
        operator=people.text("operator", max_len=60),
        reviewer=people.text("reviewer", max_len=60),
        contact=people.text("contact", max_len=60),
        tasks=r.integer("tasks", 0, 10**6),
        files=tuple(files),
    )
    if version < 2:
        return manifest
    locality = one_line(manifest.locality, 40)
    audit = r.child("audit")
    signer = r.obj.get("signer")
    return replace(
        manifest,
        # 0: a package made without a count (only by tools, never by an export)
        export_sequence=r.integer("export_sequence", 0, 10**9),
        signer=None if signer is None else read_signer(signer, locality),
        audit_head=read_head(audit.obj.get("head"), _WHERE),
        audit_since=read_head(audit.obj.get("since"), _WHERE),
    )


def exported_at(r: Reader) -> str:
    """The export time, which must say its time zone: it is shown to people (never compared
    for ordering), and a time without a zone cannot be placed on the receiver's clock."""
    value = r.instant("exported_at")
    if datetime.fromisoformat(value).tzinfo is None:
        r.fail("exported_at", f"没有时区（“{value}”），无法确定是何时导出的")
    return value
