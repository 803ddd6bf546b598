"""A register database for the plant-register tests: the first administrator and one user per role."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from cockpit.users import UserAdmin, create_first_admin
from connectors.database import Database
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


@contextmanager
def register_db(url: str) -> Iterator[Database]:
    """``boss`` (administrator) and ``op``, ``lead``, ``ic``, ``safety`` on a fresh database at ``url``."""
    database = open_fresh(url)
    create_first_admin(database, "boss", PW + "!")
    users = UserAdmin(database, TEST_KEYS)
    for name, role in ROLES:
        users.create(as_user(database, "boss"), name, display_name="", role=role, password=PW)
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
