"""Logins for tests: sessions the core under test accepts, as a console gets them at its login.

``TEST_KEYS`` is the secret the tests' cores are built with (``sessions=TEST_KEYS``), so a session can
be made before the core exists (module constants). ``signed`` signs one of the small plant's users
(``tests/support/plant.py``) as the database has them; ``login`` goes through the real password check.
"""

from __future__ import annotations

from cockpit.auth import login as real_login
from cockpit.roles import Actor
from cockpit.sessions import LoginSession, SessionKeys
from connectors.database import Database
from tests.support.plant import PASSWORD, USERS

TEST_KEYS = SessionKeys(b"the tests' own session secret, never a plant's")


def signed(username: str, keys: SessionKeys = TEST_KEYS) -> LoginSession:
    """A session for ``username`` of the small plant, as its login would have signed it."""
    role, level = USERS[username]
    return keys.issue(Actor(username, role, username, level))


def login(
    db: Database, username: str, keys: SessionKeys = TEST_KEYS, password: str = PASSWORD
) -> LoginSession:
    """A real login (the password checked against the database), signed with ``keys``."""
    return real_login(db, keys, username, password)
