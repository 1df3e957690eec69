"""``manifest.sig``: the sending office's signature of a package's ``manifest.json``.

The manifest lists every other file with its size and SHA-256, so signing its exact bytes
signs the whole package. The signature lives in its own file beside the manifest (not in
it), so a package keeps verifying wherever its bytes travel unchanged: a county's package
nested verbatim in its city's package still carries its own ``manifest.json`` and
``manifest.sig``, and the city's outer manifest is signed the same way by the city.

The manifest names the signer's public key and the algorithm (``signer``); the signature
file repeats both, so a reader sees at once which key and which algorithm to use, and a later
algorithm can be added without guessing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from desktop.core import signing
from desktop.errors import PackageError

SIGNATURE_FILE = "manifest.sig"
SIGNATURE_FORMAT = "policy-ledger-signature"
_TAMPERED = "请让报送单位重新导出上报包；如一再出现，请电话核对对方台账上的密钥指纹。"


@dataclass(frozen=True)
class Signer:
    """Who signed: the algorithm and the public key (``signer`` in the manifest)."""

    algorithm: str
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return signing.fingerprint(self.public_key)

    def to_json(self) -> dict[str, str]:
        return {
            "algorithm": self.algorithm,
            "signer_id": signing.SIGNER_ID.decode(),
            "public_key": self.public_key.hex(),
            "fingerprint": self.fingerprint,
        }


def signer_of(key: signing.KeyPair) -> Signer:
    return Signer(signing.ALGORITHM, key.public)


def signature_file(manifest_body: bytes, key: signing.KeyPair) -> bytes:
    """The bytes of ``manifest.sig`` for the manifest ``manifest_body``."""
    signature = signing.sign(key.private, manifest_body)
    body = {
        "format": SIGNATURE_FORMAT,
        "format_version": 1,
        "signed_file": "manifest.json",
        **signer_of(key).to_json(),
        "signature": signature.hex(),
    }
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


def read_signer(obj: object, locality: str) -> Signer:
    """The ``signer`` object of a manifest, or ``PackageError``."""
    if not isinstance(obj, dict):
        raise _bad(locality, "清单文件中的签名者信息不完整")
    algorithm = obj.get("algorithm")
    if algorithm != signing.ALGORITHM:
        raise PackageError(
            f"{locality}的上报包使用了本程序不认识的签名算法“{algorithm}”，未导入。",
            hint="请先把清单台账升级到最新版本再导入。",
        )
    key = _hex(obj.get("public_key"))
    if key is None or not signing.valid_public_key(key):
        raise _bad(locality, "清单文件中的签名公钥无效")
    return Signer(signing.ALGORITHM, key)


def check_signature(
    manifest_body: bytes, sig_body: bytes | None, signer: Signer, locality: str
) -> None:
    """Refuse unless ``sig_body`` is ``signer``'s valid signature of ``manifest_body``."""
    if sig_body is None:
        raise _bad(locality, f"缺少签名文件（{SIGNATURE_FILE}）")
    try:
        obj: Any = json.loads(sig_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise _bad(locality, "签名文件不是有效的 JSON") from err
    if not isinstance(obj, dict) or obj.get("format") != SIGNATURE_FORMAT:
        raise _bad(locality, "签名文件的格式不对")
    if obj.get("algorithm") != signer.algorithm or _hex(obj.get("public_key")) != signer.public_key:
        raise _bad(locality, "签名文件与清单文件所写的签名者不一致")
    signature = _hex(obj.get("signature"))
    if signature is None or not signing.verify(signer.public_key, manifest_body, signature):
        raise _bad(locality, "签名无效：清单文件在签名后被改动过")


def check_signed(
    manifest_body: bytes, sig_body: bytes | None, signer: Signer | None, locality: str
) -> None:
    """A manifest naming its signer must carry that signer's valid signature; one naming
    none (format 1, or a tool's package) must carry no signature file either."""
    if signer is not None:
        check_signature(manifest_body, sig_body, signer, locality)
    elif sig_body is not None:
        raise PackageError(
            f"{locality}的上报包中有签名文件（{SIGNATURE_FILE}），清单文件却没有写明签名者，"
            "已拒绝导入。",
            hint=_TAMPERED,
        )


def _hex(value: object) -> bytes | None:
    if not isinstance(value, str) or len(value) > 400:
        return None
    try:
        return bytes.fromhex(value)
    except ValueError:
        return None


def _bad(locality: str, why: str) -> PackageError:
    return PackageError(f"{locality}的上报包{why}，可能被改动过，已拒绝导入。", hint=_TAMPERED)
