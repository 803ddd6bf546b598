"""Who is at the console: a user of the users table, with a role (and an approval level)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from cockpit.roles import Actor
from cockpit.sessions import LoginSession, SessionKeys
from connectors.database import Database
from models.passwords import verify_password
from models.records import Role
from models.schema import User


class LoginRefused(Exception):
    """Wrong user name or password, or an inactive user: one message for all (no user probing)."""


@dataclass(frozen=True)
class UserListing:
    username: str
    display_name: str
    role: Role


def authenticate(db: Database, username: str, password: str) -> Actor:
    with db.session() as session:
        user = session.get(User, username.strip())
        if user is None or not user.active or not verify_password(password, user.password_hash):
            raise LoginRefused("unknown user or wrong password")
        return Actor(user.username, Role(user.role), user.display_name, user.approval_level)


def login(db: Database, keys: SessionKeys, username: str, password: str) -> LoginSession:
    """A console's login: the user as the database has them, signed for the core that judges its acts
    (``cockpit/sessions.py``); ``LoginRefused`` as ``authenticate``."""
    return keys.issue(authenticate(db, username, password))


def list_users(db: Database) -> list[UserListing]:
    """For the demo's login screen: the demo users and their roles."""
    with db.session() as session:
        return [
            UserListing(u.username, u.display_name, Role(u.role))
            for u in session.scalars(select(User).where(User.active).order_by(User.role, User.username))
        ]
