"""Trusting a package from the level below: whose key signed it, which export came later,
and whether the sender's history continues the one it reported before.

- **Keys** (``sender_key``). The first signed package of a locality pins its key; its
  fingerprint is shown so the user compares it with the one printed on that office's
  stamped paper ledger (or reads it out on the telephone). A later package signed by another
  key is refused — naming both fingerprints — unless the user accepts the new one by its
  fingerprint; the acceptance is recorded in the audit log. A package without a signature
  (made by an earlier version) is taken with the mark 未签名 only while no key is pinned for
  its locality: once one is, an unsigned package could be a signed one stripped of its
  signature, and is refused.
- **Order** (:func:`check_order`). Two exports of the same list version are ordered by the
  sender's own count of its exports (``export_sequence``); the times they carry are shown,
  never compared, so a wrong clock on either side blocks nothing.
- **Notes** (:func:`exchange_notes`): a time in the future (the sender's clock), an audit
  history that does not continue the last one (``审计记录与上次上报不连续``). They are shown
  and stored with the import; they do not refuse it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import signing
from desktop.core.exchange_files import BundleManifest, Manifest, Package
from desktop.core.exchange_files.history import Head, continuity, read_head
from desktop.core.names import one_line
from desktop.db.models import PackageImport, SenderKey
from desktop.errors import PackageError
from desktop.services import clock
from desktop.services.audit import log as audit
from desktop.services.clock import now_text

CLOCK_SLACK = timedelta(minutes=10)


class KeyChangedError(PackageError):
    """The package is signed by another key than the one pinned for its locality."""

    def __init__(self, locality: str, old: str, new: str) -> None:
        super().__init__(
            f"{locality}的上报包所用的签名密钥与此前记录的不同（原指纹 {old}，新指纹 {new}），"
            "未导入。",
            hint=(
                "如对方确实更换了密钥（例如重装了电脑），请核对其新盖章台账上的指纹（或电话核对）"
                "后接受新密钥；否则这个上报包可能是伪造的。"
            ),
        )
        self.locality, self.old, self.new = locality, old, new


@dataclass(frozen=True)
class Trust:
    """What the key check decided for one package (nothing is written until ``record_key``)."""

    fingerprint: str  # "" for an unsigned package
    pinned: bool  # this package's key is pinned with it (first signed package, or accepted)
    notes: tuple[str, ...]
    replaces: str = ""  # the fingerprint of the pinned key an accepted new key replaces


def pinned_key(session: Session, locality: str, code: str = "") -> SenderKey | None:
    """The key a locality's packages must be signed with now: found by its 行政区划代码
    where the package names one (a renamed county keeps its key), else by its name."""
    who = SenderKey.locality_code == code if code else SenderKey.locality == locality
    return session.execute(
        select(SenderKey)
        .where(who, SenderKey.active.is_(True))
        .order_by(SenderKey.id.desc())
        .limit(1)
    ).scalar()


def check_sender_key(
    session: Session, locality: str, m: Manifest | BundleManifest, accept_key: str | None
) -> Trust:
    """Check the package's key against the one pinned for ``locality`` (and its code);
    ``PackageError`` (``KeyChangedError``) when it must be refused. Writes nothing: the
    importer records a new key (``record_key``) with the rest of the import."""
    pin = pinned_key(session, locality, m.locality_code)
    shown = one_line(locality, 40)
    if m.signer is None:
        if pin is not None:
            raise PackageError(
                f"{shown}此前的上报包都有签名（指纹 {pin.fingerprint}），这个上报包却没有签名，"
                "可能被人改动后去掉了签名，未导入。",
                hint="请让报送单位用当前版本的清单台账重新导出。",
            )
        return Trust("", False, ("未签名：由早期版本导出，无法确认来源和是否被改动",))
    fingerprint = m.signer.fingerprint
    if pin is not None and pin.fingerprint == fingerprint:
        return Trust(fingerprint, False, ())
    if pin is not None:
        if accept_key is None or not signing.same_fingerprint(accept_key, fingerprint):
            raise KeyChangedError(shown, pin.fingerprint, fingerprint)
        return Trust(
            fingerprint,
            True,
            (f"已接受{shown}的新签名密钥，指纹 {fingerprint}",),
            replaces=pin.fingerprint,
        )
    return Trust(
        fingerprint,
        True,
        (
            f"首次收到{shown}的签名密钥，已记录其指纹：{fingerprint}。"
            "请与其盖章的纸质台账上打印的指纹核对（或电话核对）",
        ),
    )


def record_key(
    session: Session, locality: str, m: Manifest | BundleManifest, trust: Trust, operator: str
) -> None:
    """Pin the key ``check_sender_key`` found new (first sight, or accepted in place of the
    pinned one), with an audit entry; nothing when it is pinned already (a city's combined
    package and its own part are signed by one key)."""
    if not trust.pinned or m.signer is None:
        return
    pin = pinned_key(session, locality, m.locality_code)
    if pin is not None and pin.fingerprint == trust.fingerprint:
        return
    shown = one_line(locality, 40)
    if pin is not None:
        pin.active, pin.replaced_at = False, now_text()
    session.add(
        SenderKey(
            locality=locality,
            locality_code=m.locality_code,
            algorithm=m.signer.algorithm,
            public_key=m.signer.public_key.hex(),
            fingerprint=trust.fingerprint,
            pinned_at=now_text(),
            pinned_by=operator,
            active=True,
            replaced_at="",
        )
    )
    session.flush()
    if pin is not None:
        audit.record(
            session,
            operator=operator,
            action="accept_key",
            entity="sender_key",
            summary=(
                f"接受{shown}的新签名密钥：原指纹 {pin.fingerprint}，新指纹 {trust.fingerprint}"
            ),
            before={"fingerprint": pin.fingerprint},
            after={"fingerprint": trust.fingerprint},
        )
    else:
        audit.record(
            session,
            operator=operator,
            action="pin_key",
            entity="sender_key",
            summary=f"首次收到{shown}的签名密钥，记录其指纹 {trust.fingerprint}",
            after={"fingerprint": trust.fingerprint},
        )


def check_order(locality: str, m: Manifest, last: dict[str, object]) -> list[str]:
    """Whether a package of the same list version as the last one imported (``last``: its
    manifest) came later, by the sender's export sequence; ``PackageError`` when not."""
    before = last.get("export_sequence")
    known = isinstance(before, int) and not isinstance(before, bool) and before > 0
    what = f"{one_line(locality, 40)} {m.year}年清单第{m.list_version}版"
    if m.export_sequence and known:
        assert isinstance(before, int)
        if m.export_sequence > before:
            return []
        raise PackageError(
            f"{what}已导入过第 {before} 次导出的上报包，这个包是第 {m.export_sequence} 次导出的"
            "（更早或相同），未导入。",
            hint="请导入报送单位最新导出的上报包（导出序号由对方程序计数，与电脑时钟无关）。",
        )
    if known:
        raise PackageError(
            f"{what}已导入过带导出序号的上报包（第 {before} 次导出），这个包没有序号"
            "（由早期版本导出），无法判断先后，未导入。",
            hint="请让报送单位用当前版本的清单台账重新导出。",
        )
    return [f"{what}的上报包没有导出序号（由早期版本导出），无法判断先后，已按导入顺序更新"]


def exchange_notes(session: Session, locality: str, package: Package) -> list[str]:
    """What to tell about the package without refusing it: its clock, its audit history."""
    m = package.manifest
    notes = []
    exported = datetime.fromisoformat(m.exported_at)
    if exported > clock.now() + CLOCK_SLACK:
        notes.append(
            f"上报包的导出时间（{m.exported_at}）晚于本机当前时间：对方或本机电脑的时钟可能不准。"
            "导出时间只作显示，不影响先后判断"
        )
    problem = continuity(_last_head(session, locality), m.audit_head, package.history)
    if problem:
        notes.append(problem)
    return notes


def _last_head(session: Session, locality: str) -> Head | None:
    manifest = session.execute(
        select(PackageImport.manifest)
        .where(PackageImport.locality == locality)
        .order_by(PackageImport.id.desc())
        .limit(1)
    ).scalar()
    if not isinstance(manifest, dict):
        return None
    found = manifest.get("audit")
    if not isinstance(found, dict) or found.get("head") is None:
        return None
    try:
        return read_head(found.get("head"), "已导入的上报包")
    except PackageError:
        return None


def verify_part(
    session: Session, raw: bytes, *, accept_key: str | None = None, operator: str = ""
) -> tuple[Package, Trust]:
    """A lower office's package nested verbatim in another (a county's part of its city's
    package): read with every check of a package of its own — its own manifest, checksums and
    signature — and its key checked against the one pinned for that locality here (pinned on
    first sight, as for a package received directly). ``PackageError`` names the locality."""
    from desktop.core.exchange_files import read_package

    package = read_package(raw)
    m = package.manifest
    trust = check_sender_key(session, m.locality, m, accept_key)
    record_key(session, m.locality, m, trust, operator)
    return package, trust
