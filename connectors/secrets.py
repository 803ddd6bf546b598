"""Passwords for the broker, the database and the notifier's channels, kept in the system keyring only.

A control-room PC is shared by shifts: a password in a plain-text file is a password for everyone. So
there is no file fallback at all: without a usable keyring the user is told how to get one.
"""

from __future__ import annotations

from typing import Literal

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from models.errors import UserError

SERVICE = "hazwork-cockpit"
SecretKind = Literal["mqtt", "db", "notify", "badge"]
_KINDS = ("mqtt", "db", "notify", "badge")
# notify: a notification channel's SMTP password or robot key, under the channel's name
# (and its robot's signing secret under ``CHANNEL.sign``): cockpit/notify/
# badge: the plant's key for the QR codes of badges and printed permits (cockpit/safety_codes.py)
_LABELS = {"mqtt": "MQTT broker", "db": "database", "notify": "notification channel", "badge": "badge key"}


def _key(kind: SecretKind, account: str) -> str:
    if kind not in _KINDS:
        raise ValueError(f"unknown secret kind {kind!r}")
    if not account:
        raise UserError(
            f"No {_LABELS[kind]} user name is set; set it in the settings before storing a password"
        )
    return f"{kind}:{account}"


KeyringProblem = Literal["none", "plaintext", "locked", "failed"]


class KeyringUnavailable(UserError):
    """No keyring this program may ask here; ``problem`` says why, by what the backend is or the type
    of its error (keyring.errors.*), never by the words of a message:

    - ``none``: keyring found no backend (its fail or null backend, an empty chain);
    - ``plaintext``: the only backend would keep the password in a file (keyrings.alt's);
    - ``locked``: the backend raised ``KeyringLocked``;
    - ``failed``: the backend raised another ``KeyringError`` (``InitError``: no D-Bus session …).

    A caller that can go on without a password (a server that asks none) catches this type only:
    any other ``UserError`` (no user name set, a refused store) is not a missing keyring.
    """

    def __init__(self, message: str, problem: KeyringProblem) -> None:
        super().__init__(message)
        self.problem: KeyringProblem = problem


def _no_backend_error(
    kind: SecretKind, account: str, detail: str, problem: KeyringProblem = "none"
) -> KeyringUnavailable:
    return KeyringUnavailable(
        f"No usable system keyring to keep the {_LABELS[kind]} password ({detail}): on Linux install and "
        "unlock a Secret Service such as gnome-keyring or KWallet (Windows Credential Manager is built in), "
        f"then store it with `python main.py secret set {kind} {account or '<user>'}`",
        problem,
    )


def _failed(kind: SecretKind, account: str, exc: keyring.errors.KeyringError) -> KeyringUnavailable:
    """A backend's own error, by its type: locked, or failing (its first line, never a traceback)."""
    if isinstance(exc, keyring.errors.KeyringLocked):
        return KeyringUnavailable(
            f"The system keyring is locked; unlock it (log in to the desktop session) to use the "
            f"{_LABELS[kind]} password",
            "locked",
        )
    detail = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
    return _no_backend_error(kind, account, detail, "failed")


def _leaves(backend: KeyringBackend) -> list[KeyringBackend]:
    """The real backends behind a chainer (the chainer itself stores nothing)."""
    inner = getattr(backend, "backends", None)
    if isinstance(inner, list | tuple):
        leaves: list[KeyringBackend] = []
        for item in inner:
            leaves.extend(_leaves(item))
        return leaves
    return [backend]


def _unusable(backend: KeyringBackend) -> tuple[KeyringProblem, str] | None:
    """Why a backend cannot be trusted with a password, or None when it can (by what the backend is)."""
    module = type(backend).__module__
    name = type(backend).__name__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return "none", "no keyring backend is available"
    if module.startswith("keyrings.alt") and ("plaintext" in name.lower() or "file" in module):
        return "plaintext", f"{name} would store it in a file"
    return None


def keyring_backend(kind: SecretKind = "mqtt", account: str = "") -> KeyringBackend:
    """The keyring in use, or ``KeyringUnavailable`` saying how to get one; never a plain-text store."""
    backend = keyring.get_keyring()
    leaves = _leaves(backend)
    if not leaves:
        raise _no_backend_error(kind, account, "no keyring backend is available")
    reasons = [_unusable(leaf) for leaf in leaves]
    safe = [leaf for leaf, reason in zip(leaves, reasons, strict=True) if reason is None]
    if not safe:
        problem, detail = reasons[0] or ("none", "")
        raise _no_backend_error(kind, account, detail, problem)
    if len(safe) < len(leaves):
        # A chainer would fall through to the plain-text store when the safe one fails: skip the chain.
        return safe[0]
    return backend


def get_secret(kind: SecretKind, account: str) -> str | None:
    """The stored password for ``account``, or None when none was stored."""
    key = _key(kind, account)
    backend = keyring_backend(kind, account)
    try:
        return backend.get_password(SERVICE, key)
    except keyring.errors.KeyringError as exc:
        raise _failed(kind, account, exc) from None


def set_secret(kind: SecretKind, account: str, secret: str) -> None:
    """Store (or replace) the password for ``account`` in the system keyring."""
    key = _key(kind, account)
    if not secret:
        raise UserError(f"The {_LABELS[kind]} password is empty; type the password to store")
    backend = keyring_backend(kind, account)
    try:
        backend.set_password(SERVICE, key, secret)
    except keyring.errors.PasswordSetError as exc:
        raise UserError(f"The system keyring refused to store the {_LABELS[kind]} password: {exc}") from None
    except keyring.errors.KeyringError as exc:
        raise _failed(kind, account, exc) from None


def delete_secret(kind: SecretKind, account: str) -> bool:
    """Forget the password for ``account``; False when there was none."""
    key = _key(kind, account)
    backend = keyring_backend(kind, account)
    try:
        if backend.get_password(SERVICE, key) is None:
            return False
        backend.delete_password(SERVICE, key)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as exc:
        raise _failed(kind, account, exc) from None
    return True
