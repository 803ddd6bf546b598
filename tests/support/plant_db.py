"""A register database for the plant-register tests: the first administrator and one user per role."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from unittest import mock

from cockpit.users import UserAdmin, create_first_admin
from connectors.database import Database
from models.passwords import hash_password
from models.records import Role
from tests.support.fresh_db import open_fresh
from tests.support.sessions import TEST_KEYS, as_user

PW = "a good long password"
ROLES = (
    ("op", Role.OPERATOR),
    ("lead", Role.SHIFT_LEAD),
    ("ic", Role.INCIDENT_COMMANDER),
    ("safety", Role.SAFETY_MANAGER),
)


@cache
def _hashed_once(password: str) -> str:
    return hash_password(password)


@contextmanager
def users_hashed_once() -> Iterator[None]:
    """While a fixture builds its users through the services (checks, audit entries and all), each
    password is hashed once a run: scrypt costs 40-50 ms a hash, and a fixture's three to five users
    were most of its setup. Every login still goes through the real verify; what a test itself does
    hashes as the program does."""
    with mock.patch("cockpit.users.hash_password", _hashed_once):
        yield


def fresh_with_users(url: str, roles: Iterable[tuple[str, Role]] = ROLES) -> Database:
    """A fresh database at ``url`` with ``boss`` (administrator, password ``PW + "!"``) and ``roles``
    (password ``PW``), made through the services; the caller disposes of it."""
    database = open_fresh(url)
    with users_hashed_once():
        create_first_admin(database, "boss", PW + "!")
        users = UserAdmin(database, TEST_KEYS)
        for name, role in roles:
            users.create(as_user(database, "boss"), name, display_name="", role=role, password=PW)
    return database


@contextmanager
def register_db(url: str) -> Iterator[Database]:
    """``boss`` (administrator) and ``op``, ``lead``, ``ic``, ``safety`` on a fresh database at ``url``."""
    database = fresh_with_users(url)
    try:
        yield database
    finally:
        database.dispose()


def png_bytes(width: int, height: int, rgb: tuple[int, int, int] = (235, 238, 242)) -> bytes:
    """A real PNG of one colour (no Qt needed)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )
