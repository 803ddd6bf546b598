"""The claim on a stop's cause (``cockpit/db_records.StopClaims``), on both databases, made on the
calling thread (the core's cycle): of two consoles claiming one cause at once, one gets it and the
other is told it is taken; a claim after the server dropped the kept connection still gets an answer;
a database that hangs or a writer that holds the file never holds a claim past its bound."""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, make_url, select, text

from cockpit.db_records import StopClaims, stop_record
from cockpit.stopwork import CAUSE_NAMESPACE, cause_command_id
from connectors.database import BUSY_TIMEOUT_MS, Database, open_database
from models.schema import Command
from tests.support.fresh_db import open_fresh
from tests.support.tcp_proxy import TcpProxy


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
        with db.session() as s:  # the row as the record's writer would have written it
            row = s.get(Command, "cause-2")
            assert row is not None and row.permits == ["HW-1"] and row.kind.value == "stop"
            assert row.state.value == "sent" and row.issued_at is not None and row.auto is True
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
        pid = claims._rows._conn.get_backend_pid()  # type: ignore[union-attr]
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


def test_a_hung_server_holds_a_claim_no_longer_than_its_bound(pg_schema_url: str) -> None:
    """PostgreSQL behind a frozen link (its kernel acknowledges, nothing answers): the claim answers
    False ("send anyway") after its ``wait_s``; the next one answers at once, not after another wait;
    once the server answers again, the late claim's row is there and claims are made as before."""
    url = make_url(pg_schema_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    db = open_database(url.set(port=proxy.port).render_as_string(hide_password=False))
    claims = StopClaims(db, wait_s=0.3)
    try:
        assert claims.claim(body("before")) is True
        proxy.freeze()
        started = time.monotonic()
        assert claims.claim(body("frozen")) is False
        assert 0.25 <= time.monotonic() - started < 5
        started = time.monotonic()
        assert claims.claim(body("still-frozen")) is False
        assert time.monotonic() - started < 0.25  # not another wait behind the hanging one
        proxy.restore()
        deadline = time.monotonic() + 10
        answer = claims.claim(body("after"))
        while answer is False and time.monotonic() < deadline:  # the late answer is read first
            time.sleep(0.05)
            answer = claims.claim(body("after"))
        assert answer is True
        with db.session() as s:
            ids = set(s.scalars(select(Command.command_id)))
        assert ids == {"before", "frozen", "after"}  # the late claim was written; the one refused was not
    finally:
        claims.close()
        db.dispose()
        proxy.cut()


def test_a_connection_unanswered_past_its_abandon_time_is_replaced(pg_schema_url: str) -> None:
    """A claim left unanswered (here the server holds it behind another session's lock; a link cut
    without a reset does the same until the kernel gives up, a quarter of an hour): the next claims
    answer False at once, and past ``abandon_s`` its connection is closed and the claim after is
    made on a new one."""
    db = open_database(pg_schema_url)
    claims = StopClaims(db, wait_s=0.3)
    claims._rows.abandon_s = 0.6  # type: ignore[union-attr]
    locker = db.engine.connect()
    try:
        assert claims.claim(body("before")) is True
        locker.execute(text("LOCK TABLE commands IN ACCESS EXCLUSIVE MODE"))
        assert claims.claim(body("held")) is False
        stuck = claims._rows._conn
        started = time.monotonic()
        assert claims.claim(body("held-too")) is False
        assert time.monotonic() - started < 0.25  # at once: the first still hangs
        assert claims._rows._conn is stuck
        time.sleep(0.7)
        assert claims.claim(body("after-abandon")) is False  # a new connection, held by the lock too
        assert stuck is not None and stuck.closed
        assert claims._rows._conn is not stuck
        locker.rollback()
        deadline = time.monotonic() + 10
        while (answer := claims.claim(body("free"))) is False and time.monotonic() < deadline:
            time.sleep(0.05)
        assert answer is True
    finally:
        locker.close()
        claims.close()
        db.dispose()


def test_a_sqlite_claim_waits_no_longer_than_its_bound_for_a_writer_elsewhere(tmp_path: Path) -> None:
    """Another process's long write holds the file (a register import, a console's migration): the claim
    answers False ("send anyway") after its ``wait_s``, not after the database's 10 s busy timeout, and
    the next claim, the file free again, is made."""
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    claims = StopClaims(db, wait_s=0.3)
    other = sqlite3.connect(tmp_path / "plant.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # the write lock, held
        started = time.monotonic()
        assert claims.claim(body("held")) is False
        assert 0.25 <= time.monotonic() - started < 5  # its own bound, nowhere near BUSY_TIMEOUT_MS
        other.execute("ROLLBACK")
        assert claims.claim(body("free")) is True
        assert rows(db) == 1
        with db.engine.connect() as conn:  # the claim's short timeout stayed with the claim's connection
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
    finally:
        other.close()
        claims.close()
        db.dispose()


def test_closing_gives_the_connection_back(db: Database) -> None:
    claims = StopClaims(db, wait_s=5)
    assert claims.claim(body("cause-1")) is True
    assert claims._rows._conn is not None
    claims.close()
    assert claims._rows._conn is None
    assert db.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert claims.claim(body("cause-2")) is True  # a claim after close opens a connection again
    claims.close()


@given(site=st.text(max_size=12), area=st.text(max_size=12), cause=st.text(max_size=60))
@example(site="B", area="P1", cause="B/P1/PD-1/LEL:LEVEL@1765000000000")
@example(site="装置区", area="罐区 2", cause="W-7:GATE@0")
def test_a_cause_gives_every_console_the_uuid5_a_console_of_an_earlier_version_gives(
    site: str, area: str, cause: str
) -> None:
    """Two consoles claim a cause by its command id: one made by hand must be the standard uuid5, bit
    for bit, or a console on the previous release sends the same stop again under another id."""
    for kind in ("stop", "resume"):
        expected = str(uuid.uuid5(CAUSE_NAMESPACE, f"{kind}|{site}|{area}|{cause}"))
        assert cause_command_id(kind, site, area, cause) == expected
