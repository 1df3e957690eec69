"""SM2/SM3 as the office signs: the standards' examples, and agreement with a second
implementation (gmalg, pure Python) on the recommended curve."""

from __future__ import annotations

import hashlib

import pytest
from gmalg import ellipticcurve as ec
from gmalg import sm2 as ref_sm2
from gmalg import sm3 as ref_sm3

from desktop.core import signing

# GB/T 32918.2 (GM/T 0003.2) Annex A, example 1: the 256-bit prime-field example curve
ANNEX = {
    "p": 0x8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3,
    "a": 0x787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498,
    "b": 0x63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A,
    "gx": 0x421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D,
    "gy": 0x0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2,
    "n": 0x8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7,
    "d": 0x128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263,
    "px": 0x0AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A,
    "py": 0x7C0240F88F1CD4E16352A73C17B7F16F07353E53A176D684A9FE0C6BB798E857,
    "za": "f4a38489e32b45b6f876e3ac2168ca392362dc8f23459c1d1146fc3dbfb7bc9a",
    "k": 0x6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F,
    "r": 0x40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1,
    "s": 0x6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7,
}
# the recommended curve (GB/T 32918.5), from Bouncy Castle's SM2 signer test
RECOMMENDED = {
    "uid": b"sm2test@example.com",
    "msg": b"hi chappy",
    "d": 0x110E7973206F68C19EE5F7328C036F26911C8C73B4E4F36AE3291097F8984FFC,
    "k": 0x3174C6FFC3C279D2422F3FC0A9F3E574674A4490FE45A5325CAF7D3EC4C8F96C,
    "r": 0x05890B9077B92E47B17A1FF42A814280E556AFD92B4A98B9670BF8B1A274C2FA,
    "s": 0xE3ABBB8DB2B6ECD9B24ECCEA7F679FB9A4B1DB52F4AA985E443AD73237FA1993,
}


def test_sm3_of_the_standard_examples() -> None:
    # GB/T 32905-2016 Annex A
    assert signing.sm3(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert signing.sm3(b"abcd" * 16).hex() == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )


def test_annex_example_on_its_own_curve() -> None:
    """The reference implementation reproduces Z_A, r and s of the standard's example, so the
    cross-checks below compare our signatures with a correct SM2."""
    curve = ec.ECDLP(ANNEX["p"], ANNEX["a"], ANNEX["b"], (ANNEX["gx"], ANNEX["gy"]), ANNEX["n"])
    core = ref_sm2.SM2Core(curve, ref_sm3.SM3(), lambda bits: ANNEX["k"])
    public = (ANNEX["px"], ANNEX["py"])
    assert core.generate_pk(ANNEX["d"]) == public
    assert core.entity_info(b"ALICE123@YAHOO.COM", public).hex() == ANNEX["za"]
    message = b"message digest"
    r, s = core.sign(message, ANNEX["d"], b"ALICE123@YAHOO.COM", public)
    assert (r, s) == (ANNEX["r"], ANNEX["s"])
    assert core.verify(message, r, s, b"ALICE123@YAHOO.COM", public)
    assert not core.verify(b"message digesT", r, s, b"ALICE123@YAHOO.COM", public)


def test_recommended_curve_vector_through_our_library() -> None:
    from gmalglib.sm2 import SM2

    private = RECOMMENDED["d"].to_bytes(32, "big")
    # the library draws k as little-endian limbs; fixed here to the vector's k
    fixed = SM2(
        sk=private, uid=RECOMMENDED["uid"], rnd_fn=lambda n: RECOMMENDED["k"].to_bytes(n, "little")
    )
    expected = RECOMMENDED["r"].to_bytes(32, "big") + RECOMMENDED["s"].to_bytes(32, "big")
    assert bytes(fixed.sign(RECOMMENDED["msg"])) == expected
    checker = SM2(pk=signing.public_key(private), uid=RECOMMENDED["uid"])
    assert checker.verify(RECOMMENDED["msg"], expected)


def _reference() -> ref_sm2.SM2Core:
    return ref_sm2.SM2Core(ref_sm2._ecdlp, ref_sm3.SM3())


def _point(public: bytes) -> tuple[int, int]:
    return int.from_bytes(public[1:33], "big"), int.from_bytes(public[33:], "big")


@pytest.mark.parametrize("message", [b"", b"x", "清单台账 manifest".encode() * 40])
def test_our_signatures_verify_with_the_reference_and_back(message: bytes) -> None:
    key = signing.generate_key()
    signature = signing.sign(key.private, message)
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    ref = _reference()
    assert ref.verify(message, r, s, signing.SIGNER_ID, _point(key.public))
    # and a signature the reference makes verifies with ours
    r2, s2 = ref.sign(message, int.from_bytes(key.private, "big"), signing.SIGNER_ID)
    assert signing.verify(key.public, message, r2.to_bytes(32, "big") + s2.to_bytes(32, "big"))


def test_a_changed_message_key_or_signature_does_not_verify() -> None:
    key, other = signing.generate_key(), signing.generate_key()
    signature = signing.sign(key.private, b"manifest")
    assert signing.verify(key.public, b"manifest", signature)
    assert not signing.verify(key.public, b"manifesT", signature)
    assert not signing.verify(other.public, b"manifest", signature)
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    assert not signing.verify(key.public, b"manifest", flipped)
    # damaged input never raises
    assert not signing.verify(b"\x04" + b"\x01" * 64, b"manifest", signature)
    assert not signing.verify(key.public, b"manifest", signature[:-1])
    assert not signing.verify(b"", b"manifest", b"")


def test_the_public_key_follows_from_the_private_one() -> None:
    key = signing.generate_key()
    assert signing.public_key(key.private) == key.public
    with pytest.raises(ValueError):
        signing.public_key(b"\x00" * 32)


def test_fingerprint_groups_and_comparison() -> None:
    key = signing.generate_key()
    shown = signing.fingerprint(key.public)
    groups = shown.split(" ")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert shown.replace(" ", "") == hashlib.new("sm3", key.public).hexdigest().upper()[:32]
    assert signing.same_fingerprint(shown.lower().replace(" ", "-"), shown)
    assert not signing.same_fingerprint(shown[:-1] + ("0" if shown[-1] != "0" else "1"), shown)
    assert not signing.same_fingerprint("", "")
