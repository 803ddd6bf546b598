"""The claim on a stop's cause (``cockpit/db_records.StopClaims``), on both databases: of two consoles
claiming one cause at once, one gets it and the other is told it is taken; a claim after the server
dropped the claim thread's kept connection still gets an answer; closing gives the connection back."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from cockpit.db_records import StopClaims, stop_record
from connectors.database import BUSY_TIMEOUT_MS, Database, open_database
from models.schema import Command
from tests.support.fresh_db import open_fresh


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = open_fresh(url)
    try:
        yield database
    finally:
        database.dispose()


def body(command_id: str) -> dict[str, Any]:
    return stop_record(
        command_id=command_id,
        site="S1",
        area="A1",
        permits=["HW-1"],
        reason="LEL 40 %LEL HIHI",
        alarm_id="S1/A1/GD-1/LEL:LEVEL",
        issued_by="cockpit",
        auto=True,
        ts=datetime.now(UTC),
        claimed=True,
        console="c1",
    )


def rows(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Command)) or 0)


def test_of_two_consoles_claiming_one_cause_one_gets_it(db: Database) -> None:
    one, two = StopClaims(db, wait_s=5), StopClaims(db, wait_s=5)
    answers: list[bool | None] = []
    start = threading.Barrier(2)

    def claim(claims: StopClaims) -> None:
        start.wait()
        answers.append(claims.claim(body("cause-1")))

    threads = [threading.Thread(target=claim, args=(c,)) for c in (one, two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    try:
        assert sorted(answers, key=str) == [None, True]  # None: "another console holds the cause"
        assert rows(db) == 1
        assert one.claim(body("cause-2")) is True  # the kept connection serves the next claim
        assert two.claim(body("cause-2")) is None
        assert rows(db) == 2
    finally:
        one.close()
        two.close()


def test_a_claim_after_the_server_dropped_its_connection_is_answered(pg_schema_url: str) -> None:
    """PostgreSQL ends the kept connection (a restart, an administrator): the claim is made again on a
    new one, not given up (a stop sent unclaimed could go out from a second console too)."""
    db = open_database(pg_schema_url)
    claims = StopClaims(db, wait_s=5)
    try:
        assert claims.claim(body("before")) is True
        conn = claims._conn
        assert conn is not None
        pid = conn.connection.dbapi_connection.get_backend_pid()  # type: ignore[union-attr]
        admin = create_engine(db.engine.url)
        with admin.begin() as c:
            assert c.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
        admin.dispose()
        assert claims.claim(body("after")) is True  # on a new connection, not "sent unclaimed"
        assert claims.claim(body("after")) is None  # and the row is there
        assert rows(db) == 2
    finally:
        claims.close()
        db.dispose()


def test_closing_gives_the_connection_back(db: Database) -> None:
    claims = StopClaims(db, wait_s=5)
    assert claims.claim(body("cause-1")) is True
    thread = claims._thread
    assert (thread is None) is (db.dialect == "sqlite")  # SQLite claims on the calling thread
    claims.close()
    if thread is not None:
        thread.join(5)
        assert not thread.is_alive()
    assert claims._conn is None
    assert db.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_a_sqlite_claim_waits_no_longer_than_its_bound_for_a_writer_elsewhere(tmp_path: Path) -> None:
    """Another process's long write holds the file (a register import, a console's migration): the claim,
    made on the core's own thread, answers False ("send anyway") after its ``wait_s``, not after the
    database's 10 s busy timeout, and the next claim, the file free again, is made."""
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    claims = StopClaims(db, wait_s=0.3)
    other = sqlite3.connect(tmp_path / "plant.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # the write lock, held
        started = time.monotonic()
        assert claims.claim(body("held")) is False
        waited = time.monotonic() - started
        assert 0.25 <= waited < 5, waited  # its own bound, nowhere near BUSY_TIMEOUT_MS
        other.execute("ROLLBACK")
        assert claims.claim(body("free")) is True
        assert rows(db) == 1
        with db.engine.connect() as conn:  # the claim's short timeout stayed with the claim's connection
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
    finally:
        other.close()
        claims.close()
        db.dispose()
