"""Logins for tests: sessions the core under test accepts, as a console gets them at its login.

``TEST_KEYS`` is the secret the tests' cores are built with (``sessions=TEST_KEYS``), so a session can
be made before the core exists (module constants). ``signed`` signs one of the small plant's users
(``tests/support/plant.py``) as the database has them; ``login`` goes through the real password check;
``as_user`` signs any user of a test's database as it stores them now, which is what a login with the
right password would have signed (the services under test read the user again on every act).
"""

from __future__ import annotations

from cockpit.auth import login as real_login
from cockpit.permit_service import PermitService
from cockpit.roles import Actor
from cockpit.sessions import LoginSession, SessionKeys
from connectors.database import Database
from models.records import Role
from models.schema import User
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


def as_user(db: Database, username: str, keys: SessionKeys = TEST_KEYS) -> LoginSession:
    """A session for ``username`` as ``db`` stores the user now. A name the database lacks gets a session
    signed for an operator of that name: the services refuse it as unknown, as they must."""
    with db.session() as s:
        user = s.get(User, username)
        if user is None:
            return keys.issue(Actor(username, Role.OPERATOR, username))
        return keys.issue(Actor(user.username, Role(user.role), user.display_name, user.approval_level))


def permit_login(service: PermitService, username: str, keys: SessionKeys = TEST_KEYS) -> LoginSession:
    """``as_user`` where a test holds the permit service and not its database."""
    with service.signing._db.session() as s:
        user = s.get(User, username)
        if user is None:
            return keys.issue(Actor(username, Role.OPERATOR, username))
        return keys.issue(Actor(user.username, Role(user.role), user.display_name, user.approval_level))
