"""The codes printed as QR on a worker's badge and on a paper permit (issue 23 parts 5 and 7).

A badge says ``W1:<worker id>:<check>``, a permit ``P1:<permit id>:<check>``. The check is the first
ten Base32 characters (50 bits) of an HMAC-SHA256 over the kind and the ID, keyed with the plant's
badge key. Why keyed: a worker ID is printed on the badge in plain text and is easily guessed (W-0012,
W-0013 …); a plain ID, or an unkeyed hash of it, lets anyone print a badge for another worker. With the
key, a forger who holds any number of real badges still has to guess 50 bits for a worker whose badge
he has not seen, and every wrong guess is refused at the scanner. A permit's code is keyed the same way
so a copied paper permit with another number written on it is refused too (its QR shows the live state
of the permit it was printed for, never of another).

The key is the plant's, shared by every console that prints or scans: it lives in each console's keyring
(``python main.py secret set badge plant``), never in a file or the database. Changing it voids every
printed badge and permit (print them again): that is also how a lost batch of badges is withdrawn.

Scanners type the code as keys (a USB scanner is a keyboard) and end it with Enter. Some send it in the
wrong case (caps lock on the console): the prefix and the check are read in either case.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal

from models.errors import UserError

CodeKind = Literal["worker", "permit"]
WORKER: CodeKind = "worker"
PERMIT: CodeKind = "permit"
_PREFIX: dict[str, CodeKind] = {"W1": WORKER, "P1": PERMIT}
_PREFIX_OF: dict[CodeKind, str] = {WORKER: "W1", PERMIT: "P1"}
CHECK_LEN = 10  # Base32 characters: 50 bits
KEY_ACCOUNT = "plant"  # the keyring entry: secret kind "badge", account "plant"
MIN_KEY_LEN = 16

NOT_A_CODE = "not_a_code"  # not one of our codes at all (typed text, another system's QR)
FORGED = "forged"  # our format, but the check does not match: made up, altered, or another plant's
NO_KEY = "no_key"  # this console has no badge key: it can neither print nor check codes
UNKNOWN = "unknown"  # a valid code whose worker or permit is not on record (another database?)

_SENTENCES = {
    NOT_A_CODE: "{text!r} is not a badge or permit code",
    FORGED: "the {kind} code for {ident} is not valid here: forged, altered or from another plant",
    UNKNOWN: "the {kind} {ident} of this valid code is not on record here",
    NO_KEY: (
        "no badge key on this console: store the plant's key with `python main.py secret set badge plant`"
        " (the same key on every console)"
    ),
}


class CodeRefused(UserError):
    """A scanned text refused, as a code with parameters (``str()`` is the English sentence)."""

    def __init__(self, code: str, **params: str) -> None:
        self.code = code
        self.params = params
        super().__init__(_SENTENCES[code].format(**params))


@dataclass(frozen=True, slots=True)
class ScannedCode:
    kind: CodeKind
    ident: str


class CodeKeys:
    """The plant's badge key: makes and checks the codes."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_KEY_LEN:
            raise UserError(f"the badge key is too short: at least {MIN_KEY_LEN} characters")
        self._secret = secret

    def _check(self, kind: CodeKind, ident: str) -> str:
        mac = hmac.new(self._secret, f"{kind}\x1f{ident}".encode(), hashlib.sha256).digest()
        return base64.b32encode(mac).decode()[:CHECK_LEN]

    def code(self, kind: CodeKind, ident: str) -> str:
        if not ident or ":" in ident:
            raise ValueError(f"no code for the ID {ident!r}")
        return f"{_PREFIX_OF[kind]}:{ident}:{self._check(kind, ident)}"

    def worker_code(self, worker_id: str) -> str:
        return self.code(WORKER, worker_id)

    def permit_code(self, permit_id: str) -> str:
        return self.code(PERMIT, permit_id)

    def read(self, text: str) -> ScannedCode:
        """The worker or permit a scanned text names; ``CodeRefused`` for anything else."""
        parts = text.strip().split(":")
        kind = _PREFIX.get(parts[0].upper()) if len(parts) == 3 else None
        if kind is None or not parts[1] or len(parts[2]) != CHECK_LEN:
            raise CodeRefused(NOT_A_CODE, text=text.strip()[:60])
        ident, check = parts[1], parts[2].upper()
        if not hmac.compare_digest(check, self._check(kind, ident)):
            raise CodeRefused(FORGED, kind=kind, ident=ident)
        return ScannedCode(kind, ident)


def looks_like_code(text: str) -> bool:
    """True for a text in our codes' shape (a search box then treats it as a scan, not a search)."""
    parts = text.strip().split(":")
    return len(parts) == 3 and parts[0].upper() in _PREFIX


def keys_from_keyring() -> CodeKeys | None:
    """The badge key this console holds, or None (no key stored, or no keyring on this machine)."""
    from connectors.secrets import KeyringUnavailable, get_secret

    try:
        secret = get_secret("badge", KEY_ACCOUNT)
    except KeyringUnavailable:
        return None
    return CodeKeys(secret.encode()) if secret and len(secret) >= MIN_KEY_LEN else None


def require_keys(keys: CodeKeys | None) -> CodeKeys:
    if keys is None:
        raise CodeRefused(NO_KEY)
    return keys
