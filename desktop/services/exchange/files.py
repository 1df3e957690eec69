"""The packages from below kept byte for byte (``package_file``), for passing them upward.

A city carries each county's package to the province exactly as the county sent it, so it
keeps the bytes of every package it imports — in the database, in the import's own
transaction: a refused import leaves none behind, a backup holds them beside the lists they
belong to, and there is no folder of files that could lose one. A file is stored once by
its SHA-256 however often it arrives. Only the latest import of each list version keeps its
file; an earlier export of the same version that a later one replaced lets go of its bytes
(its record stays), and bytes no import refers to any more are deleted.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from desktop.core.exchange_files import sha256_hex
from desktop.db.models import PackageFile, PackageImport


def keep_file(session: Session, body: bytes) -> int:
    """The id of the stored copy of ``body`` (stored now if it is new)."""
    digest = sha256_hex(body)
    found = session.execute(
        select(PackageFile.id).where(PackageFile.sha256 == digest)
    ).scalar_one_or_none()
    if found is not None:
        return found
    row = PackageFile(sha256=digest, size=len(body), body=body)
    session.add(row)
    session.flush()
    return row.id


def list_file(session: Session, list_id: int) -> tuple[bytes, str] | None:
    """The package that brought list ``list_id`` as it arrived, and its SHA-256; None when
    the list was imported by a version of the program that did not keep packages."""
    row = session.execute(
        select(PackageFile.body, PackageFile.sha256)
        .join(PackageImport, PackageImport.file_id == PackageFile.id)
        .where(PackageImport.work_list_id == list_id)
        .order_by(PackageImport.id.desc())
        .limit(1)
    ).first()
    return (bytes(row[0]), row[1]) if row is not None else None


def lists_with_files(session: Session, list_ids: list[int]) -> set[int]:
    """Which of the lists have their package kept (without reading the bytes)."""
    if not list_ids:
        return set()
    return {
        list_id
        for list_id in session.execute(
            select(PackageImport.work_list_id).where(
                PackageImport.work_list_id.in_(list_ids), PackageImport.file_id.is_not(None)
            )
        ).scalars()
        if list_id is not None
    }


def release_older(session: Session, list_id: int, keep_import_id: int) -> None:
    """The imports of list ``list_id`` before ``keep_import_id`` let go of their files
    (a later export of the same version replaced them)."""
    released = [
        file_id
        for file_id in session.execute(
            select(PackageImport.file_id).where(
                PackageImport.work_list_id == list_id,
                PackageImport.id != keep_import_id,
                PackageImport.file_id.is_not(None),
            )
        ).scalars()
        if file_id is not None
    ]
    if not released:  # a list imported for the first time, or a new version
        return
    session.execute(
        update(PackageImport)
        .where(PackageImport.work_list_id == list_id, PackageImport.id != keep_import_id)
        .values(file_id=None)
    )
    used = select(PackageImport.file_id).where(PackageImport.file_id.in_(released))
    session.execute(
        delete(PackageFile).where(PackageFile.id.in_(released), PackageFile.id.not_in(used))
    )


def prune_files(session: Session) -> None:
    """Delete the stored packages no import refers to any more (their lists deleted)."""
    session.execute(
        update(PackageImport)
        .where(PackageImport.work_list_id.is_(None), PackageImport.file_id.is_not(None))
        .values(file_id=None)
    )
    used = select(PackageImport.file_id).where(PackageImport.file_id.is_not(None))
    session.execute(delete(PackageFile).where(PackageFile.id.not_in(used)))
