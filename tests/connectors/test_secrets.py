"""Passwords go to the system keyring or nowhere: never into a plain-text file."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from connectors.secrets import (
    SERVICE,
    KeyringUnavailable,
    delete_secret,
    get_secret,
    keyring_backend,
    set_secret,
)
from models.errors import UserError
from tests.support.keyring_memory import MemoryKeyring


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def use_backend() -> Iterator[None]:
    """Lets a test install a backend of its own; the session's in-memory one comes back afterwards."""
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


def test_round_trip_per_kind_and_account(memory_keyring: MemoryKeyring) -> None:
    assert get_secret("mqtt", "console") is None
    set_secret("mqtt", "console", "mqtt-pw-右")
    set_secret("db", "console", "db-pw")
    assert get_secret("mqtt", "console") == "mqtt-pw-右"
    assert get_secret("db", "console") == "db-pw"  # same account name, other kind: kept apart
    assert get_secret("mqtt", "other") is None
    set_secret("mqtt", "console", "rotated")
    assert get_secret("mqtt", "console") == "rotated"
    # Stored under the application's service name, where a user finds it in the keyring manager.
    assert memory_keyring.get_password(SERVICE, "mqtt:console") == "rotated"
    assert SERVICE == "hazwork-cockpit"


def test_delete(memory_keyring: MemoryKeyring) -> None:
    set_secret("db", "ops", "pw")
    assert delete_secret("db", "ops") is True
    assert get_secret("db", "ops") is None
    assert delete_secret("db", "ops") is False


def test_empty_password_or_account_is_a_user_error(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(UserError, match="empty"):
        set_secret("mqtt", "console", "")
    with pytest.raises(UserError, match="user name"):
        get_secret("mqtt", "")


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_no_backend_says_what_to_do_and_stores_nothing(use_backend: None, backend: KeyringBackend) -> None:
    keyring.set_keyring(backend)
    for call in (lambda: get_secret("mqtt", "console"), lambda: set_secret("mqtt", "console", "pw")):
        with pytest.raises(UserError) as info:
            call()
        message = str(info.value)
        assert "\n" not in message
        assert "gnome-keyring" in message
        assert "KWallet" in message
        assert "Credential Manager" in message
        assert "python main.py secret set mqtt console" in message
    with pytest.raises(UserError, match="secret set db ops"):
        set_secret("db", "ops", "pw")


def test_empty_chainer_is_no_backend(use_backend: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    keyring.set_keyring(chainer.ChainerBackend())
    with pytest.raises(UserError, match="No usable system keyring"):
        set_secret("mqtt", "console", "pw")


class PlaintextKeyring(KeyringBackend):
    """Stands in for keyrings.alt's file store: the kind of fallback that must never be used."""

    priority = 0.5

    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.stored.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.stored[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.stored.pop((service, username), None)


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_plain_text_store_is_refused(use_backend: None) -> None:
    plain = PlaintextKeyring()
    keyring.set_keyring(plain)
    with pytest.raises(UserError, match="file"):
        set_secret("mqtt", "console", "pw")
    assert plain.stored == {}


def test_chain_with_a_plain_text_store_uses_only_the_safe_one(
    use_backend: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    safe, plain = MemoryKeyring(), PlaintextKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [safe, plain])
    keyring.set_keyring(chainer.ChainerBackend())
    assert keyring_backend() is safe
    set_secret("mqtt", "console", "pw")
    assert get_secret("mqtt", "console") == "pw"
    assert plain.stored == {}


class LockedKeyring(KeyringBackend):
    """A Secret Service whose collection is locked: every read and write raises ``KeyringLocked``."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


class BrokenKeyring(KeyringBackend):
    """A backend that cannot start (no D-Bus session bus): ``InitError`` with a two-line message."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.InitError("Failed to create the collection: Prompt dismissed.\ndetail line")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.InitError("Failed to create the collection: Prompt dismissed.\ndetail line")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.InitError("Failed to create the collection: Prompt dismissed.\ndetail line")


@pytest.mark.parametrize(
    ("backend", "problem"),
    [(fail.Keyring(), "none"), (null.Keyring(), "none"), (PlaintextKeyring(), "plaintext")],
    ids=["fail", "null", "plaintext"],
)
def test_an_unusable_backend_is_told_by_what_it_is(
    use_backend: None, backend: KeyringBackend, problem: str
) -> None:
    keyring.set_keyring(backend)
    with pytest.raises(KeyringUnavailable) as info:
        get_secret("db", "ops")
    assert info.value.problem == problem
    assert "\n" not in str(info.value) and "secret set db ops" in str(info.value)


def test_a_locked_keyring_says_unlock_it_by_the_errors_type(use_backend: None) -> None:
    keyring.set_keyring(LockedKeyring())
    for call in (lambda: get_secret("db", "ops"), lambda: set_secret("db", "ops", "pw")):
        with pytest.raises(KeyringUnavailable) as info:
            call()
        assert info.value.problem == "locked"
        assert str(info.value) == (
            "The system keyring is locked; unlock it (log in to the desktop session) "
            "to use the database password"
        )


def test_a_failing_backend_is_one_line_with_its_first_line(use_backend: None) -> None:
    keyring.set_keyring(BrokenKeyring())
    with pytest.raises(KeyringUnavailable) as info:
        get_secret("notify", "mail")
    assert info.value.problem == "failed"
    message = str(info.value)
    assert "\n" not in message and "detail line" not in message
    assert message.startswith(
        "No usable system keyring to keep the notification channel password "
        "(Failed to create the collection: Prompt dismissed.)"
    )


def test_a_missing_user_name_is_not_a_missing_keyring(memory_keyring: MemoryKeyring) -> None:
    """Callers that go on without a keyring catch ``KeyringUnavailable`` only: this is another mistake."""
    with pytest.raises(UserError) as info:
        get_secret("db", "")
    assert not isinstance(info.value, KeyringUnavailable)
