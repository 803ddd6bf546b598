"""Console accounts: the first administrator of a new database, and the administrators' work on users.

Who acts is always read from the database inside the action's own transaction (an active user whose
stored role is administrator), never taken from a role the caller states: a screen holds the name its
login gave it, the command line a name it has just checked the password of. Every change writes its
audit entry in the same transaction. Accounts are never deleted (the audit log and the permits name
them): they are disabled, and a disabled account cannot log in (``cockpit.auth``) or act.

Refusals are ``UserAdminError``: a ``UserError`` (one English line for the command line) that also
carries a code and its parameters, which the users screen says in the user's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cockpit.roles import Actor
from cockpit.sessions import LoginSession, SessionKeys, session_user
from connectors.database import Database
from models.audit import append_audit
from models.errors import UserError
from models.passwords import hash_password, verify_password
from models.records import ApprovalLevel, Role
from models.rules.approval import SIGNING_ROLES
from models.schema import User, Worker

PASSWORD_MIN = 10
"""The password policy: at least this many characters (a phrase is easier to remember than symbols)."""
PASSWORD_MAX = 256
USERNAME_MAX = 64
DISPLAY_NAME_MAX = 100
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
BOOTSTRAP_ACTOR = "cockpit"  # the audit actor of ``db init``: nobody is logged in yet


class Problem(StrEnum):
    """Why a user action was refused; the users screen translates each (``views/users_view.py``)."""

    NOT_ADMIN = "not_admin"
    WRONG_LOGIN = "wrong_login"
    USERS_EXIST = "users_exist"
    PASSWORD_SHORT = "password_short"
    PASSWORD_LONG = "password_long"
    PASSWORD_IS_NAME = "password_is_name"
    BAD_USERNAME = "bad_username"
    BAD_DISPLAY_NAME = "bad_display_name"
    USERNAME_TAKEN = "username_taken"
    UNKNOWN_USER = "unknown_user"
    UNKNOWN_WORKER = "unknown_worker"
    WORKER_TAKEN = "worker_taken"
    LEVEL_NOT_FOR_ROLE = "level_not_for_role"
    LAST_ADMIN = "last_admin"
    OWN_ACCOUNT = "own_account"


_MESSAGES: dict[Problem, str] = {
    Problem.NOT_ADMIN: "{actor} is not an active administrator: only administrators manage users",
    Problem.WRONG_LOGIN: "unknown user or wrong password",
    Problem.USERS_EXIST: "the database already has {count} user(s): db init only sets up an empty one; "
    "add users with `user add --as ADMIN`",
    Problem.PASSWORD_SHORT: "the password is too short: at least {min} characters",
    Problem.PASSWORD_LONG: "the password is too long: at most {max} characters",
    Problem.PASSWORD_IS_NAME: "the password must not be the user name",
    Problem.BAD_USERNAME: "the user name {username!r} is not allowed: letters, digits, '.', '_' and '-', "
    "at most {max} characters, starting with a letter or digit",
    Problem.BAD_DISPLAY_NAME: "the display name is too long: at most {max} characters",
    Problem.USERNAME_TAKEN: "the user {username} exists already (a disabled account keeps its name)",
    Problem.UNKNOWN_USER: "there is no user {username}",
    Problem.UNKNOWN_WORKER: "there is no worker {worker} in the workers register",
    Problem.WORKER_TAKEN: "the worker {worker} is bound to the user {other} already",
    Problem.LEVEL_NOT_FOR_ROLE: "the role {role} does not sign permits: it takes no approval level",
    Problem.LAST_ADMIN: "{username} is the last active administrator: make another one first",
    Problem.OWN_ACCOUNT: "administrators do not disable or demote their own account: ask another one",
}


class UserAdminError(UserError):
    """A refused user action: ``code`` and ``params`` for the screens, ``str()`` for the command line."""

    def __init__(self, code: Problem, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(_MESSAGES[code].format(**params))


@dataclass(frozen=True)
class UserRecord:
    username: str
    display_name: str
    role: Role
    approval_level: ApprovalLevel | None
    active: bool
    worker_id: str | None
    worker_name: str | None


def check_password(password: str, username: str = "") -> None:
    """The password policy; raises ``UserAdminError`` naming the rule broken."""
    if len(password) < PASSWORD_MIN:
        raise UserAdminError(Problem.PASSWORD_SHORT, min=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        raise UserAdminError(Problem.PASSWORD_LONG, max=PASSWORD_MAX)
    if username and password.strip().lower() == username.strip().lower():
        raise UserAdminError(Problem.PASSWORD_IS_NAME)


def check_username(username: str) -> str:
    name = username.strip()
    if len(name) > USERNAME_MAX or not _USERNAME.fullmatch(name):
        raise UserAdminError(Problem.BAD_USERNAME, username=name[:80], max=USERNAME_MAX)
    return name


def _display_name(display_name: str, username: str) -> str:
    name = " ".join(display_name.split()) or username
    if len(name) > DISPLAY_NAME_MAX:
        raise UserAdminError(Problem.BAD_DISPLAY_NAME, max=DISPLAY_NAME_MAX)
    return name


def _check_level(role: Role, level: ApprovalLevel | None) -> None:
    if level is not None and role not in SIGNING_ROLES:
        raise UserAdminError(Problem.LEVEL_NOT_FOR_ROLE, role=role.value)


def _record(user: User, worker_name: str | None) -> UserRecord:
    return UserRecord(
        user.username,
        user.display_name,
        Role(user.role),
        user.approval_level,
        user.active,
        user.worker_id,
        worker_name,
    )


def count_users(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(User)) or 0)


def create_first_admin(
    db: Database, username: str, password: str, *, display_name: str = "", now: datetime | None = None
) -> UserRecord:
    """The first administrator of an empty database (``db init``); refused once any user exists."""
    name = check_username(username)
    check_password(password, name)
    display = _display_name(display_name, name)
    ts = now or datetime.now(UTC)
    with db.session() as s:
        # The audit entry first: it takes the chain's lock (PostgreSQL advisory lock, SQLite's write
        # lock), so two `db init` at once are serialised and the second one sees the first's user.
        append_audit(
            s,
            actor=BOOTSTRAP_ACTOR,
            action="user.bootstrap_admin",
            subject=name,
            details={"display_name": display, "role": Role.ADMIN},
            ts=ts,
        )
        existing = int(s.scalar(select(func.count()).select_from(User)) or 0)
        if existing:
            raise UserAdminError(Problem.USERS_EXIST, count=existing)
        user = User(
            username=name,
            display_name=display,
            role=Role.ADMIN,
            approval_level=None,
            password_hash=hash_password(password),
            active=True,
        )
        s.add(user)
        s.flush()
        return _record(user, None)


def authenticate_admin(db: Database, keys: SessionKeys, username: str, password: str) -> LoginSession:
    """The command line's ``--as NAME``: once its password is right and it administers, a session signed
    with ``keys`` (the command's own), which ``UserAdmin`` judges again on every act."""
    with db.session() as s:
        user = s.get(User, username.strip())
        if user is None or not user.active or not verify_password(password, user.password_hash):
            raise UserAdminError(Problem.WRONG_LOGIN)
        if user.role != Role.ADMIN:
            raise UserAdminError(Problem.NOT_ADMIN, actor=user.username)
        who = Actor(user.username, Role(user.role), user.display_name, user.approval_level)
    return keys.issue(who)


class UserAdmin:
    """The administrators' actions on accounts; each one transaction with its audit entry.

    ``acting`` is the login's session (``cockpit.sessions``); the user and role that count are the ones
    stored now for the user it signs, read in the action's transaction.
    """

    def __init__(
        self, db: Database, keys: SessionKeys, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        self._db = db
        self._keys = keys
        self._clock = clock or (lambda: datetime.now(UTC))

    # ------------------------------------------------------------ reads

    def users(self, acting: object) -> list[UserRecord]:
        with self._db.session() as s:
            self._admin(s, acting)
            rows = s.execute(
                select(User, Worker.name)
                .join(Worker, Worker.id == User.worker_id, isouter=True)
                .order_by(User.active.desc(), User.username)
            ).all()
            return [_record(user, worker_name) for user, worker_name in rows]

    # ------------------------------------------------------------ changes

    def create(
        self,
        acting: object,
        username: str,
        *,
        display_name: str,
        role: Role,
        password: str,
        approval_level: ApprovalLevel | None = None,
        worker_id: str | None = None,
    ) -> UserRecord:
        name = check_username(username)
        display = _display_name(display_name, name)
        check_password(password, name)
        _check_level(role, approval_level)
        with self._db.session() as s:
            admin = self._admin(s, acting)
            if s.get(User, name) is not None:
                raise UserAdminError(Problem.USERNAME_TAKEN, username=name)
            worker_name = self._free_worker(s, worker_id, name) if worker_id else None
            user = User(
                username=name,
                display_name=display,
                role=role,
                approval_level=approval_level,
                password_hash=hash_password(password),
                active=True,
                worker_id=worker_id or None,
            )
            s.add(user)
            s.flush()
            details = {
                "display_name": display,
                "role": role,
                "approval_level": approval_level,
                "worker_id": worker_id or None,
            }
            self._audit(s, admin, "user.create", name, details)
            return _record(user, worker_name)

    def set_role(
        self, acting: object, username: str, role: Role, approval_level: ApprovalLevel | None
    ) -> UserRecord:
        _check_level(role, approval_level)
        with self._db.session() as s:
            admin = self._admin(s, acting)
            user = self._user(s, username)
            if user.role == Role.ADMIN and role != Role.ADMIN:
                self._keep_an_admin(s, admin, user)
            before = {"role": user.role, "approval_level": user.approval_level}
            user.role, user.approval_level = role, approval_level
            after = {"role": role, "approval_level": approval_level}
            self._audit(s, admin, "user.set_role", user.username, {"before": before, "after": after})
            return _record(user, self._worker_name(s, user))

    def reset_password(self, acting: object, username: str, password: str) -> None:
        with self._db.session() as s:
            admin = self._admin(s, acting)
            user = self._user(s, username)
            check_password(password, user.username)
            user.password_hash = hash_password(password)
            self._audit(s, admin, "user.reset_password", user.username, {})  # never the password

    def disable(self, acting: object, username: str) -> UserRecord:
        with self._db.session() as s:
            admin = self._admin(s, acting)
            user = self._user(s, username)
            if user.role == Role.ADMIN:
                self._keep_an_admin(s, admin, user)
            if user.active:
                user.active = False
                self._audit(s, admin, "user.disable", user.username, {})
            return _record(user, self._worker_name(s, user))

    def enable(self, acting: object, username: str) -> UserRecord:
        with self._db.session() as s:
            admin = self._admin(s, acting)
            user = self._user(s, username)
            if not user.active:
                user.active = True
                self._audit(s, admin, "user.enable", user.username, {})
            return _record(user, self._worker_name(s, user))

    def bind_worker(self, acting: object, username: str, worker_id: str | None) -> UserRecord:
        """Bind the account to a worker record (``None`` unbinds)."""
        with self._db.session() as s:
            admin = self._admin(s, acting)
            user = self._user(s, username)
            worker_id = (worker_id or "").strip() or None
            name = self._free_worker(s, worker_id, user.username) if worker_id else None
            before = user.worker_id
            user.worker_id = worker_id
            details = {"before": before, "after": worker_id}
            self._audit(s, admin, "user.bind_worker", user.username, details)
            return _record(user, name)

    # ------------------------------------------------------------ checks

    def _admin(self, s: Session, acting: object) -> User:
        user = session_user(s, self._keys, acting)
        if user.role != Role.ADMIN:
            raise UserAdminError(Problem.NOT_ADMIN, actor=user.username)
        return user

    def _user(self, s: Session, username: str) -> User:
        user = s.get(User, username.strip())
        if user is None:
            raise UserAdminError(Problem.UNKNOWN_USER, username=username.strip()[:80])
        return user

    def _keep_an_admin(self, s: Session, admin: User, user: User) -> None:
        """Nobody locks the plant out: never one's own account, never the last active administrator."""
        if user.username == admin.username:
            raise UserAdminError(Problem.OWN_ACCOUNT)
        others = s.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN, User.active, User.username != user.username)
        )
        if not others:
            raise UserAdminError(Problem.LAST_ADMIN, username=user.username)

    def _free_worker(self, s: Session, worker_id: str, username: str) -> str:
        worker = s.get(Worker, worker_id)
        if worker is None:
            raise UserAdminError(Problem.UNKNOWN_WORKER, worker=worker_id[:80])
        other = s.scalar(select(User.username).where(User.worker_id == worker_id, User.username != username))
        if other is not None:
            raise UserAdminError(Problem.WORKER_TAKEN, worker=worker_id, other=other)
        return worker.name

    def _worker_name(self, s: Session, user: User) -> str | None:
        if user.worker_id is None:
            return None
        worker = s.get(Worker, user.worker_id)
        return worker.name if worker is not None else None

    def _audit(self, s: Session, admin: User, action: str, subject: str, details: dict[str, Any]) -> None:
        append_audit(
            s, actor=admin.username, action=action, subject=subject, details=details, ts=self._clock()
        )
