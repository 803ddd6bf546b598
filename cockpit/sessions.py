"""Who may act on the core: a login's session, checked again against the database at every act.

Issue 19: the core used to take ``Actor("nobody", Role.SHIFT_LEAD)`` at its word, so an area resumed
and the audit said "nobody". Now:

* A login (``cockpit.auth.authenticate``) returns a ``LoginSession``: the user, role and approval level
  as the database had them, the time, a random id and an HMAC over all of them, keyed with the secret
  of the core that will judge the session (``SessionKeys``: one per runtime, handed to the field
  process through its pipe, never stored).
* The core turns a session into a ``VerifiedActor`` (``verify_session``): the MAC must match, and the
  user is read from the database again, so a user disabled, removed or given another role since the
  login is refused. Only this module mints a ``VerifiedActor``; the services that act (stop-work, the
  alarm acts) refuse anything else.
* The services that change records for a person (permits, registers, imports, site plans, users, the
  hand-over's signature) take a ``LoginSession`` per act and read its user with ``session_user`` in
  their own transaction; the audit entry names that user, never a name the caller stated.
* The core's own acts (an automatic stop) carry ``core_identity()``, minted here and never accepted
  from outside: the port takes only ``LoginSession`` s, and a ``VerifiedActor`` does not pickle.

A refusal is a ``SessionRefused`` with a code and parameters; the screens say it in their language
(``views/session_words.py``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from cockpit.roles import Actor
from connectors.database import Database
from models.records import Role
from models.schema import User

SESSION_MISSING = "session_missing"  # not a login's session at all (a hand-built Actor, None …)
SESSION_FORGED = "session_forged"  # the MAC does not match: made up, altered, or another core's
USER_UNKNOWN = "user_unknown"  # no such user in the database (removed since the login)
USER_INACTIVE = "user_inactive"  # disabled since the login
ROLE_CHANGED = "role_changed"  # role or approval level changed since the login: log in again
DATABASE_UNAVAILABLE = "database_unavailable"  # the user could not be read, and this act needs it
UNVERIFIED = "actor_unverified"  # a service that acts was handed an actor the core did not verify

CORE_SESSION = "core"  # the session id of the core's own identity


class SessionRefused(Exception):
    """An act refused for who asked, as a code with parameters (``str()`` is the English sentence)."""

    def __init__(self, code: str, **params: str) -> None:
        self.code = code
        self.params = params
        super().__init__(_SENTENCES[code].format(**params))

    def __reduce__(self) -> tuple[Any, ...]:  # crosses the field process's pipe with its code
        return (_refused, (self.code, self.params))


def _refused(code: str, params: dict[str, str]) -> SessionRefused:
    return SessionRefused(code, **params)


_SENTENCES = {
    SESSION_MISSING: "not carried out: the act carries no login session; log in again",
    SESSION_FORGED: "not carried out: the login session of {user} is not valid here; log in again",
    USER_UNKNOWN: "not carried out: the user {user} does not exist (any more)",
    USER_INACTIVE: "not carried out: the user {user} has been disabled",
    ROLE_CHANGED: "not carried out: the role of {user} changed since the login; log in again",
    DATABASE_UNAVAILABLE: "not carried out: the user {user} cannot be checked, the database is unreachable",
    UNVERIFIED: "not carried out: {user} is not a verified user of this cockpit",
}


@dataclass(frozen=True)
class LoginSession(Actor):
    """A login, as its console holds it: still an ``Actor`` for what the screens show and mirror."""

    issued_at: float = 0.0  # epoch seconds
    session_id: str = ""
    mac: str = ""


_MINT = object()  # only this module's functions hold it


@dataclass(frozen=True)
class VerifiedActor(Actor):
    """An actor the core checked: from a verified session, or the core itself. Never built elsewhere."""

    session_id: str = ""
    minted: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.minted is not _MINT:
            raise SessionRefused(SESSION_FORGED, user=self.username)

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError("a verified actor does not leave its process: send the login session")


def acting(actor: Actor, action: str) -> VerifiedActor:
    """What a service that acts for a person checks first: a verified actor whose role may ``action``
    (``PermissionRefused`` otherwise, as before)."""
    if not isinstance(actor, VerifiedActor):
        raise SessionRefused(UNVERIFIED, user=getattr(actor, "username", "?"))
    actor.require(action)
    return actor


def _message(s: LoginSession) -> bytes:
    level = str(s.approval_level) if s.approval_level is not None else ""
    parts = (s.username, str(s.role), level, s.display_name, repr(float(s.issued_at)), s.session_id)
    return "\x1f".join(str(p) for p in parts).encode()


class SessionKeys:
    """The secret a core judges sessions with (random per runtime unless given)."""

    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = secret if secret is not None else secrets.token_bytes(32)

    def _mac(self, s: LoginSession) -> str:
        return hmac.new(self.secret, _message(s), hashlib.sha256).hexdigest()

    def issue(self, actor: Actor) -> LoginSession:
        """Sign what the database said of the user at the login (``cockpit.auth`` calls this)."""
        bare = LoginSession(
            actor.username,
            actor.role,
            actor.display_name,
            actor.approval_level,
            issued_at=time.time(),
            session_id=secrets.token_hex(16),
        )
        return replace(bare, mac=self._mac(bare))

    def check(self, session: object) -> LoginSession:
        """The session if its MAC is this core's; no database (cheap: the first thing every act does)."""
        if not isinstance(session, LoginSession) or not session.session_id:
            raise SessionRefused(SESSION_MISSING)
        try:
            valid = hmac.compare_digest(self._mac(session), str(session.mac))
        except (TypeError, ValueError):  # fields of the wrong type: not a session this core signed
            valid = False
        if not valid:
            raise SessionRefused(SESSION_FORGED, user=str(session.username)[:80])
        return session

    def signed_actor(self, session: object) -> VerifiedActor:
        """The signed identity alone, for acts that go on while the database is away (a stop)."""
        s = self.check(session)
        return VerifiedActor(s.username, s.role, s.display_name, s.approval_level, s.session_id, _MINT)


def session_user(s: Session, keys: SessionKeys, session: object) -> User:
    """The acting user's row, read in the caller's transaction: the MAC must be this runtime's, the user
    must still exist, be active and hold the role and approval level the login signed; else
    ``SessionRefused``. Every service that changes a record for a person calls this first, so the audit
    entry it writes in the same transaction names the user the database vouched for."""
    login = keys.check(session)
    user = s.get(User, login.username)
    if user is None:
        raise SessionRefused(USER_UNKNOWN, user=login.username)
    if not user.active:
        raise SessionRefused(USER_INACTIVE, user=login.username)
    if Role(user.role) is not login.role or user.approval_level != login.approval_level:
        raise SessionRefused(ROLE_CHANGED, user=login.username)
    return user


def verify_session(db: Database, keys: SessionKeys, session: object) -> VerifiedActor:
    """The acting user as the database has them now; ``SessionRefused`` otherwise.

    Raises ``SQLAlchemyError`` when the database cannot be read (the caller decides whether the act may
    go on with ``keys.signed_actor``)."""
    s = keys.check(session)
    with db.session() as dbs:
        user = session_user(dbs, keys, s)
        return VerifiedActor(
            user.username, Role(user.role), user.display_name, user.approval_level, s.session_id, _MINT
        )


_CORE = VerifiedActor("cockpit", Role.ADMIN, "cockpit (automatic)", None, CORE_SESSION, _MINT)


def core_identity() -> VerifiedActor:
    """Who the core's own acts are by (automatic stop-work, time-outs)."""
    return _CORE
