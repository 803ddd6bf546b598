"""Password hashing for console users, with nothing but the standard library.

scrypt is memory-hard, so a stolen database (a shared PostgreSQL, a copied SQLite file) does not give
the passwords away cheaply. The stored string names its algorithm and parameters
(``scrypt$n$r$p$salt$hash``, salt and hash in base64), so the cost can be raised later and old hashes
still verify.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

SCHEME = "scrypt"
N = 2**14
R = 8
P = 1
SALT_BYTES = 16
HASH_BYTES = 32
_MAXMEM = 64 * 1024 * 1024


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _derive(password: str, salt: bytes, *, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=length)


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """Hash ``password`` with a fresh random salt (``salt`` only for reproducible tests and seeds)."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = _derive(password, salt, n=N, r=R, p=P, length=HASH_BYTES)
    return f"{SCHEME}${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` matches; a malformed or foreign hash string is simply a mismatch."""
    try:
        scheme, n_s, r_s, p_s, salt_s, hash_s = encoded.split("$")
        if scheme != SCHEME:
            return False
        n, r, p = int(n_s), int(r_s), int(p_s)
        salt = base64.b64decode(salt_s, validate=True)
        expected = base64.b64decode(hash_s, validate=True)
        if not expected or n > 2**20 or r > 32 or p > 16:  # refuse absurd costs from a tampered row
            return False
        actual = _derive(password, salt, n=n, r=r, p=p, length=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(encoded: str) -> bool:
    """True when the hash was made with other parameters than today's (rehash at the next login)."""
    parts = encoded.split("$")
    return len(parts) != 6 or parts[0] != SCHEME or parts[1:4] != [str(N), str(R), str(P)]
