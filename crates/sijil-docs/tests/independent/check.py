#!/usr/bin/env python3
"""Independent checks of what sijil-docs writes, with other people's implementations.

Usage: check.py DIR

DIR holds files written by the Rust test `tests/independent.rs`:

* credentials.json: ID-card credentials (Base45 text), each with the issuer's public key and
  the claims it must carry. Each is decoded with `base45`, `zlib` and `cbor2`, its COSE_Sign1
  signature verified with `pycose`, and its claims compared. A copy with one character changed
  must fail.
* mrz.json: machine-readable zones, each checked with the `mrz` package (check digits,
  composite, field syntax) and its fields compared.

Needs: pip install pycose cbor2 base45 mrz. Exits non-zero on the first failure.
"""

import json
import sys
import zlib
from pathlib import Path

import base45
import cbor2
from mrz.checker.td1 import TD1CodeChecker
from mrz.checker.td3 import TD3CodeChecker
from pycose.headers import KID, Algorithm
from pycose.keys.curves import Ed25519
from pycose.keys.okp import OKPKey
from pycose.messages import Sign1Message

FAILURES = []


def fail(what, why):
    FAILURES.append(f"{what}: {why}")


def decode(text):
    """Base45 -> zlib -> COSE_Sign1 (pycose)."""
    return Sign1Message.decode(zlib.decompress(base45.b45decode(text)))


def check_credential(c):
    name = c["name"]
    key = OKPKey(crv=Ed25519, x=bytes.fromhex(c["public_key_hex"]))
    msg = decode(c["text"])
    msg.key = key
    if not msg.verify_signature():
        return fail(name, "signature does not verify")
    alg = msg.phdr.get(Algorithm)
    if getattr(alg, "identifier", alg) != -8:
        fail(name, f"algorithm is {alg!r}, not EdDSA (-8)")
    if msg.phdr.get(KID) != c["kid"].encode():
        fail(name, f"kid is {msg.phdr.get(KID)!r}")
    cwt = cbor2.loads(msg.payload)
    want = c["expect"]
    ident = cwt.get(169, {})
    ext = cwt.get(-65537, {})
    got = {
        "iss": cwt.get(1),
        "exp": cwt.get(4),
        "nbf": cwt.get(5),
        "iat": cwt.get(6),
        "cti_hex": cwt.get(7, b"").hex(),
        "national_number": ident.get(1),
        "language": ident.get(3),
        "full_name": ident.get(4),
        "first": ident.get(5),
        "father": ident.get(6),
        "family": ident.get(7),
        "dob": ident.get(8),
        "gender": ident.get(9),
        "nationality": ident.get(13),
        "latin": ident.get(19),
        "document_number": ext.get(1),
        "mother": ext.get(2),
        "birth_place": ext.get(3),
        "registry": ext.get(4),
    }
    for field, value in want.items():
        if got.get(field) != value:
            fail(name, f"{field} is {got.get(field)!r}, expected {value!r}")

    # Tampering: change one character in the middle of the text.
    t = c["text"]
    i = len(t) // 2
    swapped = t[:i] + ("0" if t[i] != "0" else "1") + t[i + 1 :]
    try:
        bad = decode(swapped)
        bad.key = key
        if bad.verify_signature():
            fail(name, "a changed character still verifies")
    except Exception:
        pass  # refused before the signature: also a detection


def check_mrz(m):
    name = m["name"]
    checker = TD3CodeChecker if m["format"] == "TD3" else TD1CodeChecker
    result = checker(m["text"])
    if not bool(result):
        return fail(name, f"mrz checker refuses it: {result.report.errors} {result.report.warnings}")
    fields = result.fields()
    for field, value in m["expect"].items():
        got = getattr(fields, field)
        if got != value:
            fail(name, f"{field} is {got!r}, expected {value!r}")


def main():
    folder = Path(sys.argv[1])
    creds = json.loads((folder / "credentials.json").read_text())
    zones = json.loads((folder / "mrz.json").read_text())
    for c in creds:
        check_credential(c)
    for m in zones:
        check_mrz(m)
    if FAILURES:
        print("\n".join(FAILURES))
        print(f"{len(FAILURES)} independent check(s) failed")
        sys.exit(1)
    print(f"independent checks: {len(creds)} credentials and {len(zones)} zones verified")


if __name__ == "__main__":
    main()
