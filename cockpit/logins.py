"""Logging in for the login screen: the users to offer (demo only) and the password check."""

from __future__ import annotations

from cockpit.auth import LoginRefused, UserListing, authenticate, list_users
from cockpit.roles import Actor
from connectors.database import Database

__all__ = ["LoginRefused", "Logins", "UserListing"]


class Logins:
    """The accounts behind the login screen (the password check is scrypt: ~50 ms)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def users(self) -> list[UserListing]:
        return list_users(self._db)

    def authenticate(self, username: str, password: str) -> Actor:
        """The actor for a right password; raises ``LoginRefused`` otherwise."""
        return authenticate(self._db, username, password)
