"""The command line for accounts: ``db init`` (the first administrator) and ``user …`` (administrators' work).

Passwords are asked on the terminal with getpass (twice for a new one), or read from standard input
with ``--password-stdin``, one per line: for ``db init`` the new administrator's; for ``user`` first the
acting administrator's (``--as NAME``), then, for ``add`` and ``reset-password``, the new one. They are
never options: command lines end up in shell histories and process lists.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from cockpit.cli import database_url
from cockpit.config import Config
from cockpit.sessions import LoginSession, SessionKeys, SessionRefused
from cockpit.users import (
    PASSWORD_MIN,
    UserAdmin,
    UserRecord,
    authenticate_admin,
    check_password,
    count_users,
    create_first_admin,
)
from connectors.database import Database, PasswordRefused, open_database
from models.errors import UserError
from models.records import ApprovalLevel, Role

if TYPE_CHECKING:
    from connectors.secrets import KeyringUnavailable

ROLE_NAMES = [r.value.replace("_", "-") for r in Role]


class _Passwords:
    """Where passwords come from: the terminal (asked, with getpass) or standard input (one per line)."""

    def __init__(self, from_stdin: bool) -> None:
        if not from_stdin and not sys.stdin.isatty():
            raise UserError("no terminal to ask the password on: pipe it in with --password-stdin")
        self._lines: Iterator[str] | None = iter(sys.stdin) if from_stdin else None

    def existing(self, prompt: str) -> str:
        if self._lines is None:
            return getpass.getpass(prompt)
        return self._next()

    def new(self, username: str) -> str:
        if self._lines is not None:
            password = self._next()
            check_password(password, username)
            return password
        print(f"password policy: at least {PASSWORD_MIN} characters, not the user name", file=sys.stderr)
        password = getpass.getpass(f"new password for {username}: ")
        check_password(password, username)
        if getpass.getpass(f"new password for {username} again: ") != password:
            raise UserError("the two passwords differ: nothing was changed")
        return password

    def _next(self) -> str:
        assert self._lines is not None
        line = next(self._lines, None)
        if line is None:
            raise UserError("standard input ended before the password: give one password per line")
        return line.rstrip("\r\n")


def _refuse_missing_sqlite_folder(url: str) -> None:
    """``db init`` starts a plant's database: a typo in the path must not create a folder somewhere."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # open_database says what is wrong with the URL
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return
    folder = Path(database).expanduser().parent
    if not folder.is_dir():
        raise UserError(
            f"the folder {folder} for the database file does not exist; create it first or fix the path"
        )


def _open(url: str) -> Database:
    """Open and migrate; a PostgreSQL user's password comes from the keyring, as the window's does.

    A console without a keyring (a server's shell) may still reach a server that needs no password:
    the keyring is named only when the database then cannot be opened.
    """
    password: str | None = None
    keyring_problem: KeyringUnavailable | None = None
    try:
        parsed = make_url(url)
    except ArgumentError:
        parsed = None  # open_database says what is wrong with the URL
    if (
        parsed is not None
        and parsed.get_backend_name() != "sqlite"
        and parsed.username
        and parsed.password is None
    ):
        from connectors.secrets import KeyringUnavailable, get_secret

        try:
            password = get_secret("db", parsed.username)
        except KeyringUnavailable as exc:
            keyring_problem = exc
    try:
        return open_database(url, upgrade=True, password=password)
    except PasswordRefused as exc:
        if keyring_problem is None:
            raise
        raise UserError(
            f"{exc} (no password was given: the system keyring is unavailable here; "
            "`secret set db USER` needs one)"
        ) from None


def cmd_db_init(args: argparse.Namespace, config: Config) -> int:
    url = database_url(config)
    _refuse_missing_sqlite_folder(url)
    db = _open(url)
    try:
        existing = count_users(db)
        if existing:
            raise UserError(
                f"the database {db.url} already has {existing} user(s): db init only sets up an empty one; "
                "add users with `user add --as ADMIN`"
            )
        passwords = _Passwords(args.password_stdin)
        name = args.admin
        if not name:
            if not sys.stdin.isatty():
                raise UserError("give the first administrator's user name with --admin NAME")
            name = input("the first administrator's user name: ")
        password = passwords.new(name.strip())
        admin = create_first_admin(db, name, password, display_name=args.display_name or "")
    finally:
        db.dispose()
    print(f"database {db.url}: at the newest revision; administrator {admin.username} created")
    print(f"next: log in as {admin.username}, or add users with `user add NAME --as {admin.username}`")
    return 0


def _level(args: argparse.Namespace) -> ApprovalLevel | None:
    return ApprovalLevel(args.level.replace("-", "_")) if args.level else None


def _row(u: UserRecord) -> str:
    level = u.approval_level.value if u.approval_level else "-"
    worker = f"{u.worker_id} ({u.worker_name})" if u.worker_id else "-"
    state = "active" if u.active else "DISABLED"
    return f"{u.username:<20} {u.role.value:<19} {level:<18} {state:<8} {worker}  {u.display_name}"


def _act(admin: UserAdmin, acting: LoginSession, args: argparse.Namespace, passwords: _Passwords) -> str:
    """Carry out one action; returns the line to print."""
    name = (args.username or "").strip()
    if not name:
        raise UserError(f"user {args.action} needs the user name: user {args.action} NAME --as ADMIN")
    role = Role(args.role.replace("-", "_")) if args.role else None
    if args.action == "add":
        if role is None:
            raise UserError(f"user add needs --role ({', '.join(ROLE_NAMES)})")
        new = admin.create(
            acting,
            name,
            display_name=args.name,
            role=role,
            password=passwords.new(name),
            approval_level=_level(args),
            worker_id=args.worker or None,
        )
        return f"user {new.username} added ({new.role.value})"
    if args.action == "set-role":
        if role is None:
            raise UserError(f"user set-role needs --role ({', '.join(ROLE_NAMES)})")
        changed = admin.set_role(acting, name, role, _level(args))
        return f"user {changed.username}: role {changed.role.value}"
    if args.action == "reset-password":
        admin.reset_password(acting, name, passwords.new(name))
        return f"user {name}: password reset"
    if args.action == "disable":
        return f"user {admin.disable(acting, name).username}: disabled (kept for the audit log)"
    if args.action == "enable":
        return f"user {admin.enable(acting, name).username}: enabled"
    bound = admin.bind_worker(acting, name, args.worker)
    return (
        f"user {bound.username}: bound to worker {bound.worker_id}"
        if bound.worker_id
        else f"user {name}: unbound"
    )


def cmd_user(args: argparse.Namespace, config: Config) -> int:
    db = _open(database_url(config))
    try:
        passwords = _Passwords(args.password_stdin)
        keys = SessionKeys()  # this command's own: the session it signs is judged by its UserAdmin alone
        acting = authenticate_admin(db, keys, args.acting, passwords.existing(f"password of {args.acting}: "))
        admin = UserAdmin(db, keys)
        if args.action == "list":
            for user in admin.users(acting):
                print(_row(user))
            return 0
        print(_act(admin, acting, args, passwords))
    except SessionRefused as exc:  # the administrator changed between the command's login and its act
        raise UserError(str(exc)) from None
    finally:
        db.dispose()
    return 0
