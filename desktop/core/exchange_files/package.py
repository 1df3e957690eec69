"""Building a package from its parts, and reading one back with every check.

``build_package`` takes the list's data, the human-readable copies and the sender's
details and returns the zip's bytes; ``read_package`` takes the bytes of a file a user
chose and returns a :class:`Package` only if everything in it is sound — otherwise it
raises ``PackageError`` with a Chinese message saying what is wrong.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, replace
from datetime import datetime

from desktop.core import signing
from desktop.core.names import one_line
from desktop.core.read_budget import ReadBudget, check_json_items
from desktop.errors import PackageError

from .archive import DEFAULT_LIMITS, Limits, read_members, write_members
from .data import data_bytes, data_from_json
from .history import AUDIT_FILE, HistoryEntry, history_bytes, read_history
from .manifest import manifest_from_json, manifest_to_json
from .model import DATA_FILE, MANIFEST_FILE, FileEntry, Manifest, Package, PackageData
from .names import fold
from .signature import SIGNATURE_FILE, check_signed, signature_file, signer_of

_TAMPERED_HINT = "文件可能在传递中损坏或被改动过，请让报送单位重新导出上报包。"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class HumanCopy:
    """A file for people who do not run the program (the list as Excel or PDF)."""

    name: str
    role: str  # xlsx | pdf
    body: bytes


def build_package(
    manifest: Manifest,
    data: PackageData,
    copies: list[HumanCopy],
    folder: str,
    *,
    key: signing.KeyPair | None = None,
    history: list[HistoryEntry] | None = None,
) -> bytes:
    """The zip of a package. ``manifest.files`` is filled in here from the actual bytes; with
    ``key`` the manifest names its signer and ``manifest.sig`` signs it (format 2), and
    ``history`` (the sender's audit entries since its previous package) goes into
    ``audit.json``."""
    body = data_bytes(data)
    files = [(DATA_FILE, "data", body)] + [(c.name, c.role, c.body) for c in copies]
    if history is not None:
        files.append((AUDIT_FILE, "audit", history_bytes(history)))
    entries = tuple(FileEntry(n, role, len(b), sha256_hex(b)) for n, role, b in files)
    manifest = replace(
        manifest,
        files=entries,
        tasks=len(data.tasks),
        signer=signer_of(key) if key is not None else None,
    )
    manifest_body = json.dumps(manifest_to_json(manifest), ensure_ascii=False, indent=2).encode()
    when = datetime.fromisoformat(manifest.exported_at).timetuple()[:6]
    members = [(MANIFEST_FILE, manifest_body)]
    if key is not None:
        members.append((SIGNATURE_FILE, signature_file(manifest_body, key)))
    members += [(n, b) for n, _, b in files]
    return write_members(folder, members, when)


def read_package(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Package:
    """The one-list package in ``raw``, checked from the zip headers down to every JSON
    field (a combined package is read by ``bundle.read_upward``)."""
    folder, members = read_zip(raw, limits)
    budget = limits.budget()
    manifest_name, manifest_json = read_manifest_json(members, budget)
    if manifest_json.get("contents") == "lists":
        raise PackageError(
            "这是含多份清单的汇总上报包，不是一份清单的上报包。",
            hint="请在上级的“汇总下级上报”中导入它。",
        )
    return package_from(folder, members, manifest_name, manifest_json, raw, budget)


def read_zip(raw: bytes, limits: Limits) -> tuple[str, dict[str, bytes]]:
    """The package folder and its files (every zip check passed)."""
    try:
        return read_members(raw, limits)
    except PackageError as err:
        # an Excel workbook or another zip chosen by mistake would otherwise be refused
        # for its subfolders, as if a package had been damaged or tampered with
        if _zip_without_manifest(raw):
            raise _not_a_package() from err
        raise


def read_manifest_json(
    members: dict[str, bytes], budget: ReadBudget
) -> tuple[str, dict[str, object]]:
    """The manifest's member name and its JSON object (not yet checked field by field)."""
    by_key = {fold(name): name for name in members}
    manifest_name = by_key.get(fold(MANIFEST_FILE))
    if manifest_name is None:
        raise _not_a_package()
    return manifest_name, _json(members[manifest_name], "清单文件（manifest.json）", budget)


def package_from(
    folder: str,
    members: dict[str, bytes],
    manifest_name: str,
    manifest_json: dict[str, object],
    raw: bytes,
    budget: ReadBudget,
) -> Package:
    """A one-list package from its checked zip members and its manifest's JSON: its
    signature, then every file against the manifest, then the data itself."""
    manifest_body = members[manifest_name]
    members = {n: b for n, b in members.items() if n != manifest_name}
    by_key = {fold(name): name for name in members}
    manifest = manifest_from_json(manifest_json)
    sig_name = by_key.get(fold(SIGNATURE_FILE))
    sig_body = members.pop(sig_name) if sig_name is not None else None
    check_signed(manifest_body, sig_body, manifest.signer, one_line(manifest.locality, 40))
    listed = {fold(f.name) for f in manifest.files}
    for name in members:
        if fold(name) not in listed:
            raise PackageError(
                f"上报包中的文件“{name}”不在清单文件所列之内，已拒绝导入。", hint=_TAMPERED_HINT
            )
    for entry in manifest.files:
        found = by_key.get(fold(entry.name))
        if found is None or found == sig_name:
            raise PackageError(f"上报包中缺少文件“{entry.name}”。", hint=_TAMPERED_HINT)
        body = members[found]
        if len(body) != entry.size or sha256_hex(body) != entry.sha256:
            raise PackageError(
                f"上报包中的文件“{entry.name}”与清单文件记录的校验值不符，已拒绝导入。",
                hint=_TAMPERED_HINT,
            )
    data_entry = manifest.file("data")
    if fold(data_entry.name) != fold(DATA_FILE):
        raise PackageError(f"上报包的数据文件应名为 {DATA_FILE}。", hint=_TAMPERED_HINT)
    data_body = members[by_key[fold(data_entry.name)]]
    data = data_from_json(_json(data_body, "数据文件（data.json）", budget))
    _agree(manifest, data)
    audit_entry = manifest.optional_file("audit")
    history: tuple[HistoryEntry, ...] = ()
    if audit_entry is not None:
        audit_body = members[by_key[fold(audit_entry.name)]]
        check_json_items(audit_body, "审计记录文件（audit.json）", budget)
        history = read_history(audit_body)
    return Package(
        folder=folder,
        manifest=manifest,
        manifest_json=manifest_json,
        data=data,
        data_sha256=data_entry.sha256,
        sha256=sha256_hex(raw),
        size=len(raw),
        history=history,
    )


def _not_a_package() -> PackageError:
    return PackageError(
        "这个文件不是清单台账的上报包：里面没有清单文件（manifest.json），"
        "可能选错了文件（例如 Excel 表格或别的压缩包）。",
        hint="请选择下级用清单台账导出的上报包（.zip，文件名形如“某某县_2027_文号_v1.zip”）。",
    )


def _zip_without_manifest(raw: bytes) -> bool:
    """True for a readable zip none of whose member names ends in ``manifest.json``
    (only the names in the central directory are looked at; nothing is unpacked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = archive.namelist()
    except Exception:
        return False  # not a zip at all: read_members has said so
    target = fold(MANIFEST_FILE)
    return not any(fold(n.replace("\\", "/").rsplit("/", 1)[-1]) == target for n in names)


def _json(body: bytes, what: str, budget: ReadBudget) -> dict[str, object]:
    check_json_items(body, what, budget)  # before json builds millions of objects
    try:
        text = body.decode("utf-8")
        value = json.loads(text, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise PackageError(f"上报包的{what}不是有效的 JSON。", hint=_TAMPERED_HINT) from err
    if not isinstance(value, dict):
        raise PackageError(f"上报包的{what}内容结构不对。", hint=_TAMPERED_HINT)
    return value


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")  # NaN / Infinity are not valid JSON


def _agree(m: Manifest, d: PackageData) -> None:
    """The manifest and the data must describe the same list version."""
    wl = d.work_list
    pairs = (
        ("地区", m.locality, wl.locality),
        ("上级", m.parent, wl.parent),
        ("层级", m.level, wl.level),
        ("年度", m.year, wl.year),
        ("文号", m.notice_doc_number, wl.notice_doc_number),
        ("版本", m.list_version, wl.version),
        ("任务数", m.tasks, len(d.tasks)),
    )
    for label, said, found in pairs:
        if said != found:
            raise PackageError(
                f"上报包的清单文件与数据文件不一致（{label}：{said} 与 {found}），已拒绝导入。",
                hint=_TAMPERED_HINT,
            )
    if m.period_key and m.period_key not in {p.key for p in d.periods}:
        raise PackageError(
            f"上报包声明的填报周期“{m.period_key}”在数据中不存在。", hint=_TAMPERED_HINT
        )
