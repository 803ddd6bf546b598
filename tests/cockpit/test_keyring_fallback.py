"""Without a usable keyring the cockpit still opens a PostgreSQL that asks no password, and names the
keyring only when the server asks for one: decided by the keyring's error type and the server's refusal
(``KeyringUnavailable``, ``PasswordRefused``), never by words in a message.

The keyrings are real backends set with ``keyring.set_keyring`` (keyring's own fail backend, a locked
one, the in-memory one); the server asking for a password is the real driver talking to
``tests/support/pg_password_server.py`` (the test PostgreSQL trusts local logins).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring
from PySide6.QtCore import QCoreApplication
from sqlalchemy import make_url

from cockpit.config import Config
from cockpit.notify.channels import SendFailed, _secret
from cockpit.notify.notifier import keyring_secrets
from cockpit.runtime import open_configured_database
from cockpit.user_cli import _open
from connectors.database import PasswordRefused
from connectors.secrets import KeyringUnavailable, set_secret
from models.errors import UserError
from tests.connectors.test_secrets import LockedKeyring
from tests.support.keyring_memory import MemoryKeyring
from tests.support.pg_password_server import PasswordServer

NO_KEYRING = (
    "No usable system keyring to keep the database password (no keyring backend is available): on Linux "
    "install and unlock a Secret Service such as gnome-keyring or KWallet (Windows Credential Manager is "
    "built in), then store it with `python main.py secret set db cockpit`"
)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[PasswordServer]:
    monkeypatch.setenv("PGPASSFILE", "/nonexistent/pgpass")  # no password from a file behind our back
    monkeypatch.delenv("PGPASSWORD", raising=False)
    s = PasswordServer()
    yield s
    s.close()


@pytest.fixture
def backend() -> Iterator[None]:
    """A test sets a backend of its own; the session's in-memory keyring comes back afterwards."""
    kept = keyring.get_keyring()
    yield
    keyring.set_keyring(kept)


def configured(url: str) -> Config:
    config = Config()
    config.database.url = url
    return config


def test_a_server_that_wants_a_password_names_the_missing_keyring(
    server: PasswordServer, backend: None
) -> None:
    keyring.set_keyring(NoKeyring())
    with pytest.raises(KeyringUnavailable) as info:
        open_configured_database(configured(f"postgresql+psycopg2://cockpit@127.0.0.1:{server.port}/plant"))
    assert str(info.value) == NO_KEYRING
    assert server.asked >= 1  # it tried without a password first


def test_a_locked_keyring_says_unlock_it(server: PasswordServer, backend: None) -> None:
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(KeyringUnavailable) as info:
        open_configured_database(configured(f"postgresql+psycopg2://cockpit@127.0.0.1:{server.port}/plant"))
    assert str(info.value) == (
        "The system keyring is locked; unlock it (log in to the desktop session) to use the database password"
    )


def test_a_wrong_stored_password_is_the_servers_refusal_not_the_keyrings(
    server: PasswordServer, backend: None
) -> None:
    keyring.set_keyring(MemoryKeyring())
    set_secret("db", "cockpit", "not-it")
    with pytest.raises(PasswordRefused) as info:
        open_configured_database(configured(f"postgresql+psycopg2://cockpit@127.0.0.1:{server.port}/plant"))
    assert str(info.value) == (
        f"PostgreSQL at 127.0.0.1:{server.port} refused user 'cockpit': wrong or missing password; "
        "store the right one with `python main.py secret set db cockpit` and try again"
    )
    assert "not-it" not in str(info.value)


def test_without_a_keyring_another_failure_is_said_as_it_is(pg_url: str, backend: None) -> None:
    """A user named "password" and a missing database: the old check read "password" in the message."""
    keyring.set_keyring(NoKeyring())
    url = make_url(pg_url).set(username="password", password=None, database="no_such_db_here")
    with pytest.raises(UserError) as info:
        open_configured_database(configured(url.render_as_string(False)))
    assert not isinstance(info.value, KeyringUnavailable)
    assert "keyring" not in str(info.value)


def test_the_command_line_adds_the_keyring_only_to_a_password_refusal(
    server: PasswordServer, backend: None
) -> None:
    keyring.set_keyring(NoKeyring())
    with pytest.raises(UserError) as info:
        _open(f"postgresql+psycopg2://cockpit@127.0.0.1:{server.port}/plant")
    message = str(info.value)
    assert "\n" not in message
    assert message.endswith(
        "(no password was given: the system keyring is unavailable here; `secret set db USER` needs one)"
    )


def test_the_notifier_says_a_locked_keyring_in_both_languages(qapp: QCoreApplication, backend: None) -> None:
    from tests.views.test_finding_words import GlossaryTranslator, chinese
    from views.diagnostics_view import notify_error_text

    keyring.set_keyring(LockedKeyring())
    with pytest.raises(SendFailed) as info:
        _secret(keyring_secrets, "mail")
    code = info.value.code
    assert code == "keyring_locked"
    assert notify_error_text(code) == "keyring locked (log in to unlock it) (keyring_locked)"
    translator = GlossaryTranslator(chinese())
    QCoreApplication.installTranslator(translator)
    try:
        assert notify_error_text(code) == "密钥环已锁定（登录桌面以解锁） (keyring_locked)"
    finally:
        QCoreApplication.removeTranslator(translator)


def test_serve_says_one_line_when_the_server_wants_a_password_and_no_keyring_is_there(
    server: PasswordServer, tmp_path: Path
) -> None:
    """What the user sees at start: one line on the terminal, exit 2, no traceback."""
    from tests.cockpit.test_first_contact import clean_env, errors, run

    env = clean_env(
        tmp_path, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", PGPASSFILE="/nonexistent/pgpass"
    )
    env.pop("PGPASSWORD", None)
    proc = run("serve", "--db", f"postgresql://cockpit@127.0.0.1:{server.port}/plant", env=env)
    (line,) = errors(proc)
    assert line == f"error: {NO_KEYRING}"
