"""The office's key pair (``office_key``): loading it, and making it the first time it is needed.

The key is made on the office's first change (``desktop.services.audit.seal``, which records
that in the audit log) and lives in the database, so every backup carries it and a restored
database — on this PC or another — goes on signing as the same office.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core import signing
from desktop.db.models import OfficeKey
from desktop.paths import DataDir


def load_key(session: Session) -> signing.KeyPair | None:
    row = session.execute(select(OfficeKey).order_by(OfficeKey.id.desc()).limit(1)).scalar()
    if row is None:
        return None
    return signing.KeyPair(bytes.fromhex(row.private_key), bytes.fromhex(row.public_key))


def create_key(session: Session, at: str) -> signing.KeyPair:
    key = signing.generate_key()
    session.add(
        OfficeKey(
            algorithm=signing.ALGORITHM,
            private_key=key.private.hex(),
            public_key=key.public.hex(),
            fingerprint=key.fingerprint,
            created_at=at,
        )
    )
    session.flush()
    return key


def office_fingerprint(session: Session) -> str:
    """The fingerprint of the office's key, "" before it has one."""
    found = session.execute(
        select(OfficeKey.fingerprint).order_by(OfficeKey.id.desc()).limit(1)
    ).scalar()
    return found or ""


def ensure_key(session: Session) -> signing.KeyPair:
    """The office's key pair, made (and recorded in the audit log) if it has none yet."""
    key = load_key(session)
    if key is not None:
        return key
    from desktop.services.audit import log as audit
    from desktop.services.clock import now_text

    key = create_key(session, now_text())
    audit.record(
        session,
        operator="",
        action="create",
        entity="office_key",
        summary=f"生成本单位签名密钥（{signing.ALGORITHM}），指纹 {key.fingerprint}",
        after={"fingerprint": key.fingerprint, "algorithm": signing.ALGORITHM},
    )
    return key


def carry_key(data_dir: DataDir, key: dict[str, str]) -> Path:
    """Keep the office key of a database about to be replaced by a backup that has none (one
    made before offices had keys), for :func:`adopt_carried_key` at the next start."""
    path = data_dir.carried_key_file
    path.write_text(json.dumps(key), encoding="utf-8")
    return path


def adopt_carried_key(sessions: sessionmaker[Session], data_dir: DataDir) -> str | None:
    """After a restore: give the restored database the office's own key if it has none, so the
    office keeps the fingerprint printed on its ledgers (recorded in the audit log). The
    fingerprint adopted, or None."""
    path = data_dir.carried_key_file
    if not path.exists():
        return None
    try:
        key = json.loads(path.read_text(encoding="utf-8"))
        private = bytes.fromhex(key["private_key"])
        public = signing.public_key(private)
    except (OSError, ValueError, KeyError, TypeError):
        path.unlink(missing_ok=True)
        return None
    adopted = None
    with sessions.begin() as session:
        if load_key(session) is None:
            from desktop.services.audit import log as audit

            fingerprint = signing.fingerprint(public)
            session.add(
                OfficeKey(
                    algorithm=signing.ALGORITHM,
                    private_key=private.hex(),
                    public_key=public.hex(),
                    fingerprint=fingerprint,
                    created_at=str(key.get("created_at", "")),
                )
            )
            session.flush()
            audit.record(
                session,
                operator="",
                action="adopt",
                entity="office_key",
                summary=f"恢复备份后沿用本单位原有的签名密钥，指纹 {fingerprint}",
                after={"fingerprint": fingerprint},
            )
            adopted = fingerprint
    path.unlink(missing_ok=True)
    return adopted
