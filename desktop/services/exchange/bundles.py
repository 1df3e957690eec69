"""Importing a combined package: a city's own list and its counties' lists, all or nothing.

The package was read and every part checked by itself (``read_upward``). Here, in the
caller's savepoint: the city must be one of this office's lower localities (as for any
package); a package from that city exported earlier than one already imported is refused
(the same one again changes nothing); then each part is stored as if it had come alone —
a newer version replaces, a later export of the same version updates, the same data again
changes nothing, an older version refuses the whole package — the county's lists marked as
having come by way of the city, and every part's bytes kept. A county the city no longer
carries keeps its list; the views flag it as not re-sent (``resent``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.exchange_files import Bundle, BundlePart
from desktop.db.models import BundleImport
from desktop.errors import PackageError
from desktop.services.audit import log as audit
from desktop.services.clock import now_text
from desktop.services.exchange.identity import Carried, Sender, check_sender
from desktop.services.exchange.importer import ImportResult, PackageImporter
from desktop.services.office.service import get_office


def store_bundle(
    session: Session, importer: PackageImporter, bundle: Bundle, path: Path
) -> list[ImportResult]:
    """Store every part of ``bundle`` (the caller's savepoint makes it all or nothing)."""
    m = bundle.manifest
    sender = Sender(m.locality, m.locality_code, m.level, m.parent)
    office = get_office(session)
    check_sender(session, office, sender)
    last = latest_bundle(session, sender.name, sender.code, m.year, m.notice_doc_number)
    again = last is not None and last.sha256 == bundle.sha256
    if last is not None and not again and not _later(m.exported_at, last.exported_at):
        raise PackageError(
            f"已导入{m.locality}更晚导出的汇总上报包（{last.exported_at[:16].replace('T', ' ')}），"
            "这个包导出得更早，未导入。",
            hint="请导入报送单位最新导出的上报包。",
        )
    # every part is checked before the first write: one refused part refuses the package
    # before anything (not even the backup) is written
    steps = [
        importer.check(session, part.package, _carried(sender, 0, part, bundle))
        for part in bundle.parts
    ]
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
        after={"file": row.file_name, "sha256": bundle.sha256, "parts": len(bundle.parts)},
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


def _later(new: str, old: str) -> bool:
    try:
        return datetime.fromisoformat(new) > datetime.fromisoformat(old)
    except ValueError:
        return True


def _carried(sender: Sender, bundle_id: int, part: BundlePart, bundle: Bundle) -> Carried:
    return Carried(sender, bundle_id, part.entry.name, bundle.sha256, part.entry.role == "own")
