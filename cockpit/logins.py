"""Logging in for the login screen: the users to offer (demo only) and the password check."""

from __future__ import annotations

from cockpit.auth import LoginRefused, UserListing, list_users, login
from cockpit.sessions import LoginSession, SessionKeys
from connectors.database import Database

__all__ = ["LoginRefused", "Logins", "UserListing"]


class Logins:
    """The accounts behind the login screen (the password check is scrypt: ~50 ms)."""

    def __init__(self, db: Database, sessions: SessionKeys | None = None) -> None:
        self._db = db
        self._sessions = sessions or SessionKeys()  # the runtime's: its core judges the sessions

    def users(self) -> list[UserListing]:
        return list_users(self._db)

    def authenticate(self, username: str, password: str) -> LoginSession:
        """The login's session for a right password (an ``Actor`` too); raises ``LoginRefused`` otherwise."""
        return login(self._db, self._sessions, username, password)
