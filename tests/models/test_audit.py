"""The audit chain: intact when untouched, and every kind of tampering named by its first broken entry."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, make_url, text

from connectors.database import Database, open_database
from models.audit import GENESIS_HASH, append_audit, chain_head, verify_chain

T0 = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


@pytest.fixture
def pg_schema_url(pg_url: str) -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
        )
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'audit.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = open_database(url)
    try:
        yield database
    finally:
        database.dispose()


def _write(db: Database, count: int) -> None:
    with db.session() as session:
        for i in range(count):
            append_audit(
                session,
                actor="lead.wang",
                action="permit.approve",
                subject=f"HW-20261123-{i + 1:03d}",
                details={"level": "operating_unit", "note": "同意动火", "index": i, "at": T0},
                ts=T0 + timedelta(minutes=i),
            )


def test_untouched_chain_verifies(db: Database) -> None:
    with db.session() as session:
        assert verify_chain(session).ok
        assert chain_head(session) == GENESIS_HASH
    _write(db, 5)
    with db.session() as session:
        report = verify_chain(session)
        head = chain_head(session)
    assert report.ok, report.reason
    assert report.entries == 5
    assert report.first_broken_seq is None
    assert report.head_hash == head != GENESIS_HASH


def test_entries_link_and_keep_their_details(db: Database) -> None:
    _write(db, 3)
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT seq, prev_hash, hash, details FROM audit_log ORDER BY seq")).all()
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS_HASH
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    assert '"note":"同意动火"' in rows[0].details  # canonical, readable JSON


def test_edited_row_is_caught(db: Database) -> None:
    _write(db, 6)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'op.li' WHERE seq = 4"))
    with db.session() as session:
        report = verify_chain(session)
    assert not report.ok
    assert report.first_broken_seq == 4
    assert "4" in report.reason


def test_edited_details_are_caught(db: Database) -> None:
    _write(db, 3)
    with db.engine.begin() as conn:
        conn.execute(text("""UPDATE audit_log SET details = '{"level":"senior_leader"}' WHERE seq = 2"""))
    with db.session() as session:
        report = verify_chain(session)
    assert (report.ok, report.first_broken_seq) == (False, 2)


def test_deleted_row_is_caught_and_named(db: Database) -> None:
    _write(db, 6)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    with db.session() as session:
        report = verify_chain(session)
    assert not report.ok
    assert report.first_broken_seq == 3
    assert "missing" in report.reason


def test_deleted_and_renumbered_rows_are_caught(db: Database) -> None:
    """Closing the gap by renumbering the later rows still breaks the chain at the first moved row."""
    _write(db, 5)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))
        for seq in (3, 4, 5):
            conn.execute(
                text("UPDATE audit_log SET seq = :new WHERE seq = :old"), {"new": seq - 1, "old": seq}
            )
    with db.session() as session:
        report = verify_chain(session)
    assert (report.ok, report.first_broken_seq) == (False, 2)


def test_reordered_rows_are_caught(db: Database) -> None:
    _write(db, 5)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET seq = 100 WHERE seq = 2"))
        conn.execute(text("UPDATE audit_log SET seq = 2 WHERE seq = 3"))
        conn.execute(text("UPDATE audit_log SET seq = 3 WHERE seq = 100"))
    with db.session() as session:
        report = verify_chain(session)
    assert (report.ok, report.first_broken_seq) == (False, 2)


def test_rolled_back_action_leaves_no_entry(db: Database) -> None:
    _write(db, 2)
    with pytest.raises(RuntimeError), db.session() as session:
        append_audit(session, actor="op.li", action="stop-work", subject="CHEM1/U101", details={}, ts=T0)
        raise RuntimeError("the action failed")
    with db.session() as session:
        report = verify_chain(session)
    assert (report.ok, report.entries) == (True, 2)


def test_naive_time_is_refused(db: Database) -> None:
    with pytest.raises(ValueError), db.session() as session:
        append_audit(session, actor="a", action="b", subject="c", details={}, ts=datetime(2026, 1, 1))


def test_concurrent_consoles_do_not_fork_the_chain(db: Database) -> None:
    """Four writers at once (separate connections): every entry lands, in one unbroken chain."""
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def console(name: str) -> None:
        try:
            start.wait()
            for i in range(8):
                with db.session() as session:
                    append_audit(
                        session, actor=name, action="alarm.ack", subject=f"a{i}", details={"i": i}, ts=T0
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=console, args=(f"console-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with db.session() as session:
        report = verify_chain(session)
    assert report.ok, report.reason
    assert report.entries == 32
