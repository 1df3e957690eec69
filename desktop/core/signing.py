"""The office's signature: SM2 over SM3 (GB/T 32918.2, GB/T 32905), and key fingerprints.

Every office holds one key pair. It signs what leaves the office (a package's manifest,
``docs/package-format.md``) and the head of its own audit log; the level above keeps the
public key of each office below and checks every later package against it. The
fingerprint is what people compare: it is printed on every stamped paper ledger and shown
in 单位设置, in short groups that can be read out over the telephone.

The algorithms come from ``gmalglib`` (C; its pure-Python sibling ``gmalg`` cross-checks it
in the tests, where the GB/T 32918.2 example is run on its own curve). Both sides name the
algorithm (:data:`ALGORITHM`) next to every signature, so it can change without guessing.
The signer's identifier is the standard default ``1234567812345678`` (GB/T 35276), so any
SM2 tool verifies our signatures with a public key alone.

Qt-free and database-free; the library is imported when a key is first used.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

ALGORITHM = "SM2-SM3"
SIGNER_ID = b"1234567812345678"
PRIVATE_BYTES = 32
PUBLIC_BYTES = 65  # 04 || x || y
SIGNATURE_BYTES = 64  # r || s
FINGERPRINT_GROUPS = 8  # of four hexadecimal digits: 128 bits of SM3 of the public key


@dataclass(frozen=True)
class KeyPair:
    private: bytes
    public: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)


def sm3(data: bytes) -> bytes:
    """The SM3 digest of ``data``: OpenSSL's through ``hashlib`` where Python's OpenSSL has it
    (every current build), else the library's own."""
    try:
        return hashlib.new("sm3", data).digest()
    except ValueError:  # an OpenSSL built without SM3
        from gmalglib.sm3 import SM3

        return bytes(SM3(data).digest())


def generate_key() -> KeyPair:
    from gmalglib.sm2 import SM2

    private, public = SM2().generate_keypair()
    return KeyPair(bytes(private), bytes(public))


def public_key(private: bytes) -> bytes:
    """The public key (uncompressed) of ``private``; ``ValueError`` if it is no SM2 key."""
    from gmalglib.sm2 import SM2

    if len(private) != PRIVATE_BYTES or not SM2.is_sk_valid(private):
        raise ValueError("not an SM2 private key")
    return bytes(SM2.get_pk(private))


def valid_public_key(public: bytes) -> bool:
    """Whether ``public`` is an uncompressed point on the SM2 curve."""
    from gmalglib.sm2 import SM2

    return len(public) == PUBLIC_BYTES and public[:1] == b"\x04" and SM2.is_pk_valid(public)


def sign(private: bytes, message: bytes) -> bytes:
    """The SM2 signature ``r || s`` of ``message`` (hashed with SM3 after the signer's Z)."""
    from gmalglib.sm2 import SM2

    return bytes(SM2(sk=private, uid=SIGNER_ID).sign(message))


def verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is ``public``'s signature of ``message``; never raises on bad
    input (a damaged key or signature simply does not verify)."""
    if len(signature) != SIGNATURE_BYTES or not valid_public_key(public):
        return False
    from gmalglib.sm2 import SM2

    try:
        return bool(SM2(pk=public, uid=SIGNER_ID).verify(message, signature))
    except ValueError:
        return False


def fingerprint(public: bytes) -> str:
    """``9F3A 1C07 …``: eight groups of four hexadecimal digits (SM3 of the public key)."""
    digits = sm3(public).hex().upper()[: 4 * FINGERPRINT_GROUPS]
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def same_fingerprint(typed: str, actual: str) -> bool:
    """Whether a fingerprint a person typed (any spacing, dashes or case) is ``actual``."""
    return _compact(typed) == _compact(actual) and bool(_compact(actual))


def _compact(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch in "0123456789ABCDEF")
