"""Importing a combined package: a city's own list and its counties' lists, all or nothing.

The package was read and every part checked by itself (``read_upward``): the outer manifest
against the city's signature, each part against its own. Here, in the caller's savepoint:
the city must be one of this office's lower localities (as for any package) and its key the
one pinned for it (its own list is signed with the same key); a combined package the city
counted before one already imported is refused (the same one again changes nothing); then
each part is stored as if it had come alone — its key checked against the key pinned for
its own locality (a county's part against the county's, never only the city's),
a newer version replaces, a later export of the same version updates, the same data again
changes nothing, an older version refuses the whole package — the county's lists marked as
having come by way of the city, and every part's bytes kept. A county the city no longer
carries keeps its list; the views flag it as not re-sent (``resent``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.exchange_files import Bundle, BundleManifest, BundlePart
from desktop.core.exchange_files.signature import Signer
from desktop.core.names import one_line
from desktop.db.models import BundleImport
from desktop.errors import PackageError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text
from desktop.services.exchange.identity import Carried, Sender, check_sender
from desktop.services.exchange.importer import ImportResult, PackageImporter
from desktop.services.exchange.trust import check_sender_key, record_key
from desktop.services.office.service import get_office


def store_bundle(
    session: Session,
    importer: PackageImporter,
    bundle: Bundle,
    path: Path,
    accept_key: str | None = None,
) -> list[ImportResult]:
    """Store every part of ``bundle`` (the caller's savepoint makes it all or nothing).
    ``accept_key``: the fingerprint of a changed key (the city's or a county's) that the
    user has compared and accepts."""
    m = bundle.manifest
    sender = Sender(m.locality, m.locality_code, m.level, m.parent)
    office = get_office(session)
    check_sender(session, office, sender)
    trust = check_sender_key(session, m.locality, m, accept_key)
    own = bundle.own
    if own is not None and _fingerprint(own.package.manifest.signer) != trust.fingerprint:
        raise PackageError(
            f"{one_line(m.locality, 40)}的汇总上报包与其中的本级清单不是用同一个密钥签名的，"
            "可能被人调换过，已拒绝导入。",
            hint="请让报送单位重新导出上报包。",
        )
    last = latest_bundle(session, sender.name, sender.code, m.year, m.notice_doc_number)
    again = last is not None and last.sha256 == bundle.sha256
    notes = list(trust.notes)
    if last is not None and not again:
        notes += _check_order(m, last.manifest)
    # every part is checked before the first write: one refused part refuses the package
    # before anything (not even the backup) is written
    steps = [
        importer.check(session, part.package, _carried(sender, 0, part, bundle), accept_key)
        for part in bundle.parts
    ]
    record_key(session, m.locality, m, trust, office.operator)
    if again:
        assert last is not None
        row = last  # the same file again: each part finds its data unchanged
    else:
        importer.ensure_backup()
        row = BundleImport(
            at=now_text(),
            locality=m.locality,
            locality_code=m.locality_code,
            level=m.level,
            year=m.year,
            doc_number=m.notice_doc_number,
            exported_at=m.exported_at,
            file_name=str(path).encode("utf-8", "replace").decode("utf-8"),
            sha256=bundle.sha256,
            manifest=bundle.manifest_json,
        )
        session.add(row)
        session.flush()
    results = []
    for part, step in zip(bundle.parts, steps, strict=True):
        step = replace(step, carried=_carried(sender, row.id, part, bundle))
        results.append(importer.apply(session, step, path, part.body))
    # what concerns the combined package itself goes with its first list's result
    told = [n for n in notes if n not in results[0].notes]
    results[0] = replace(results[0], notes=tuple(told) + results[0].notes)
    if again:
        return results
    audit.record(
        session,
        operator=office.operator,
        action="import",
        entity="bundle",
        entity_id=row.id,
        summary=(
            f"导入{m.display}：{len(bundle.parts)} 份清单"
            f"（{'、'.join(p.entry.locality for p in bundle.parts)}）"
        ),
        after={
            "file": row.file_name,
            "sha256": bundle.sha256,
            "parts": len(bundle.parts),
            "sequence": m.export_sequence,
            "signer": trust.fingerprint,
            "notes": notes,
        },
    )
    return results


def latest_bundle(
    session: Session, name: str, code: str, year: int, doc_number: str
) -> BundleImport | None:
    """The last combined package imported from this sender for this year and notice."""
    who = BundleImport.locality_code == code if code else BundleImport.locality == name
    return session.execute(
        select(BundleImport)
        .where(who, BundleImport.year == year, BundleImport.doc_number == doc_number)
        .order_by(BundleImport.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _check_order(m: BundleManifest, last: dict[str, object]) -> list[str]:
    """Whether this combined package came after the last one imported from the same city,
    by the city's count of its combined packages (the times they carry are shown, never
    compared); ``PackageError`` when it did not."""
    before = last.get("export_sequence")
    known = isinstance(before, int) and not isinstance(before, bool) and before > 0
    who = f"{one_line(m.locality, 40)} {m.year}年 {m.notice_doc_number}"
    if m.export_sequence and known:
        assert isinstance(before, int)
        if m.export_sequence > before:
            return []
        raise PackageError(
            f"已导入{who}的第 {before} 个汇总上报包，这个包是第 {m.export_sequence} 个"
            "（更早或相同），未导入。",
            hint="请导入报送单位最新导出的上报包（序号由对方程序计数，与电脑时钟无关）。",
        )
    return [f"{who}的汇总上报包没有序号，无法判断先后，已按导入顺序更新"]


def _fingerprint(signer: Signer | None) -> str:
    return signer.fingerprint if signer is not None else ""


def _carried(sender: Sender, bundle_id: int, part: BundlePart, bundle: Bundle) -> Carried:
    return Carried(sender, bundle_id, part.entry.name, bundle.sha256, part.entry.role == "own")
