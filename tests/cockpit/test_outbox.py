"""Nothing the cockpit decides is lost to a database outage (issue 19, part 1), against real databases.

PostgreSQL is cut off the way a plant sees it: a TCP proxy in front of it stops listening and resets
every open connection, then listens again. SQLite and a closed port show the outbox file itself:
kept across a restart of its writer, written once, bounded, a torn last line cut off.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, make_url, select
from sqlalchemy.exc import OperationalError

from cockpit.alarm_journal import JOURNAL, write_journal
from cockpit.audit_head import AuditHeadKeeper, head_path, read_head
from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.db_records import AUDIT, STOP, WRITERS, audit_record, stop_record
from cockpit.outbox import Outbox, OutboxFull, OutboxPump, SerialWorker, outbox_path
from connectors.database import Database
from models.audit import verify_against_head, verify_chain
from models.records import PermitStatus
from models.schema import AlarmJournalEntry, AuditEntry, Command, GasTest, Permit, PermitEventRow
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, signed
from tests.support.tcp_proxy import TcpProxy

ALL_WRITERS = {**WRITERS, JOURNAL: write_journal}


def reading(lel: float, seq: int) -> bytes:
    body = {"ts": int(time.time() * 1000), "seq": seq, "readings": [{"ch": "LEL", "v": lel, "u": "%LEL"}]}
    return json.dumps(body).encode()


@pytest.fixture
def proxy(pg_schema_url: str) -> Iterator[tuple[TcpProxy, str]]:
    url = make_url(pg_schema_url)
    p = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    yield p, url.set(port=p.port).render_as_string(hide_password=False)
    p.cut()


@dataclass
class Outage:
    """PostgreSQL behind a proxy with the small plant, a field gateway watching the wire, the config."""

    tcp: TcpProxy
    db: Database
    field: PahoPeer
    config: Config


@pytest.fixture
def outage(proxy: tuple[TcpProxy, str], broker: MosquittoProcess) -> Iterator[Outage]:
    tcp, url = proxy
    db = open_fresh(url)
    build_small_plant(db, datetime.now(UTC))
    field = PahoPeer(broker.url, "gateway")
    for topic in ("plant/+/+/cmd/#", "plant/+/+/work-state", "plant/+/+/permit/+/state"):
        field.subscribe(topic)
    config = Config()
    config.mqtt.url = broker.url
    yield Outage(tcp, db, field, config)
    field.close()
    db.dispose()


def journal_body(alarm: str, ts: datetime, to_state: str) -> dict:  # type: ignore[type-arg]
    return {
        "entries": [
            {
                "alarm_id": alarm,
                "ts": ts.isoformat(),
                "site_id": "S1",
                "area_id": "A1",
                "source": "S1/A1/GD-1/LEL",
                "condition": "HIHI",
                "priority": 1,
                "from_state": "normal",
                "to_state": to_state,
                "value": 31.0,
                "unit": "%LEL",
                "who": "",
                "note": "",
                "console": "c1",
            }
        ]
    }


def unreachable_database() -> Database:
    """A PostgreSQL URL on a port where nothing listens: every session fails to connect."""
    engine = create_engine(
        "postgresql+psycopg2://postgres@127.0.0.1:1/test", connect_args={"connect_timeout": 2}
    )
    return Database(engine)


# --- the whole loop against PostgreSQL behind a proxy -------------------------------------------------


@pytest.mark.broker
def test_a_stop_during_an_outage_goes_out_once_with_its_permits_and_is_recorded_once_after(
    outage: Outage, tmp_path: Path
) -> None:
    tcp, db, field, config = outage.tcp, outage.db, outage.field, outage.config
    core = CockpitCore(config, db, console="c1", data_dir=tmp_path / "data", sessions=TEST_KEYS)
    core.start()
    try:
        assert wait_until(lambda: core.connector.link_state.connected, 10)
        field.publish("plant/S1/A1/sensor/GD-1", reading(3.0, 1))
        assert wait_until(lambda: core.state.stats.messages_in >= 1, 10)
        tcp.cut()
        for seq, lel in enumerate((31.0, 33.0, 35.0), start=2):
            field.publish("plant/S1/A1/sensor/GD-1", reading(lel, seq))
        assert wait_until(lambda: field.received("plant/S1/A1/cmd/stop-work"), 10)
        assert wait_until(lambda: core.state.db_waiting >= 2, 10)  # the stop and the journal wait
        assert core.health_payload()["db_waiting"] >= 2 or wait_until(
            lambda: core.health_payload()["db_waiting"] >= 2, 10
        )
        time.sleep(1.0)  # further readings and retries during the outage must not send it again
        stops = [json.loads(m.payload) for m in field.received("plant/S1/A1/cmd/stop-work")]
        assert len(stops) == 1
        assert stops[0]["permits"] == ["HW-1"]  # from the permit cache: no database needed
        assert len(field.received("plant/S1/A1/work-state")) == 1
        permit_states = [json.loads(m.payload) for m in field.received("plant/S1/A1/permit/HW-1/state")]
        assert [s["status"] for s in permit_states] == ["active", "suspended"]  # at start (§6), by the stop

        tcp.restore()
        assert wait_until(lambda: core.state.db_waiting == 0, 60)
        command_id = stops[0]["command_id"]
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Command)) == 1
            assert s.get(Command, command_id) is not None
            assert s.get(Permit, "HW-1").status is PermitStatus.SUSPENDED
            events = s.scalars(select(PermitEventRow.type).where(PermitEventRow.permit_id == "HW-1")).all()
            assert events.count("suspended") == 1
            actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
            assert actions.count("stop_work.issued") == 1 and actions.count("permit.suspended") == 1
            assert verify_chain(s).ok
            journal = s.scalars(
                select(AlarmJournalEntry).where(AlarmJournalEntry.alarm_id == "S1/A1/GD-1/LEL:LEVEL")
            ).all()
            assert [(j.condition, j.to_state) for j in journal] == [("HIHI", "unack")]
        kept = read_head(head_path(tmp_path / "data"))
        assert kept is not None
        with db.session() as s:
            assert verify_against_head(s, kept.hash, kept.seq).ok
        assert len(field.received("plant/S1/A1/cmd/stop-work")) == 1
    finally:
        core.stop()


@pytest.mark.broker
def test_a_stop_kept_in_the_outbox_is_written_by_the_next_start_and_not_sent_again(
    outage: Outage, tmp_path: Path
) -> None:
    tcp, db, field, config = outage.tcp, outage.db, outage.field, outage.config
    first = CockpitCore(config, db, console="c1", data_dir=tmp_path / "data", sessions=TEST_KEYS)
    first.start()
    try:
        assert wait_until(lambda: first.connector.link_state.connected, 10)
        tcp.cut()
        view = first.stop_work(first_actor(), "S1", "A1", "smoke seen").result(10)
        assert view is not None and view.permits == ["HW-1"]
        assert wait_until(lambda: first.outbox.waiting >= 1, 10)
    finally:
        first.stop()  # the process ends while the database is away
    tcp.restore()
    second = CockpitCore(config, db, console="c1", data_dir=tmp_path / "data", sessions=TEST_KEYS)
    second.start()  # writes what waited before it loads anything
    try:
        assert second.outbox.waiting == 0
        with db.session() as s:
            assert s.get(Command, view.command_id) is not None
            assert s.get(Permit, "HW-1").status is PermitStatus.SUSPENDED
            assert verify_chain(s).ok
        assert second.call(lambda: second.stopwork.work_state("S1", "A1")).result(5) == "stopped"
        assert second.stop_work(first_actor(), "S1", "A1", "again").result(10) is not None  # a new cause
        assert wait_until(lambda: len(field.received("plant/S1/A1/cmd/stop-work")) == 2, 10)
        ids = [json.loads(m.payload)["command_id"] for m in field.received("plant/S1/A1/cmd/stop-work")]
        assert ids[0] == view.command_id and ids[1] != view.command_id
    finally:
        second.stop()


@pytest.mark.broker
def test_a_hung_database_does_not_hold_a_stop_back(outage: Outage, tmp_path: Path) -> None:
    """A server that stops answering (its kernel still acknowledges: no socket error ever comes): the stop
    goes out while the database hangs, and is on record once it answers again."""
    tcp, db, field, config = outage.tcp, outage.db, outage.field, outage.config
    core = CockpitCore(config, db, console="c1", data_dir=tmp_path / "data", sessions=TEST_KEYS)
    core.start()
    try:
        assert wait_until(lambda: core.connector.link_state.connected, 10)
        tcp.freeze()
        view = core.stop_work(first_actor(), "S1", "A1", "smoke seen").result(30)
        assert view is not None and view.permits == ["HW-1"]
        assert wait_until(lambda: len(field.received("plant/S1/A1/cmd/stop-work")) == 1, 10)
        second = core.stop_work(first_actor(), "S1", "A2", "smoke seen").result(30)  # not behind the first
        assert second is not None
        assert wait_until(lambda: len(field.received("plant/S1/A2/cmd/stop-work")) == 1, 10)
        tcp.restore()

        def on_record() -> bool:
            with db.session() as s:
                actions = s.scalars(select(AuditEntry.action)).all()
                return (
                    s.get(Command, view.command_id) is not None
                    and s.get(Command, second.command_id) is not None
                    and s.get(Permit, "HW-1").status is PermitStatus.SUSPENDED
                    and actions.count("stop_work.issued") == 2
                )

        assert wait_until(on_record, 60)
        with db.session() as s:
            assert s.scalars(select(AuditEntry.action)).all().count("permit.suspended") == 1
            assert verify_chain(s).ok
        assert len(field.received("plant/S1/A1/cmd/stop-work")) == 1
    finally:
        core.stop()


@pytest.mark.broker
def test_a_console_closed_while_the_database_hangs_keeps_everything_for_its_next_start(
    outage: Outage, tmp_path: Path
) -> None:
    """Records handed to a hung database worker are in the file within the pump's ``hang_s``, not only in
    memory: closing the console during the hang takes at most its ``stop_wait_s`` and loses nothing; the
    next start writes each record once. Both are set shorter here than the program's 2 s and 5 s
    (``HANG_S``, ``STOP_WAIT_S``): waiting those out made this the suite's slowest test (12 s)."""
    tcp, db, field, config = outage.tcp, outage.db, outage.field, outage.config
    data = tmp_path / "data"
    first = CockpitCore(config, db, console="c1", data_dir=data, sessions=TEST_KEYS)
    first.records.hang_s, first.records.stop_wait_s = 0.5, 1.0
    first.start()
    try:
        assert wait_until(lambda: first.connector.link_state.connected, 10)
        field.publish("plant/S1/A1/sensor/GD-1", reading(3.0, 1))
        assert wait_until(lambda: first.state.stats.messages_in >= 1, 10)
        tcp.freeze()
        view = first.stop_work(first_actor(), "S1", "A2", "smoke seen").result(30)
        assert view is not None
        field.publish("plant/S1/A1/sensor/GD-1", reading(31.0, 2))  # HIHI: an automatic stop, journal
        assert wait_until(lambda: len(field.received("plant/S1/A1/cmd/stop-work")) == 1, 10)
        assert wait_until(lambda: first.outbox.waiting >= 3, first.records.hang_s + 10)  # stops, journal
        on_disk = outbox_path(data, "c1").read_text(encoding="utf-8")
        assert view.command_id in on_disk
        auto_id = json.loads(field.received("plant/S1/A1/cmd/stop-work")[0].payload)["command_id"]
        assert auto_id in on_disk
    finally:
        began = time.monotonic()
        first.stop()  # while the database still hangs
        closing = time.monotonic() - began
    assert closing < first.records.stop_wait_s + 5
    tcp.cut()  # the hung connections die, as they do when the closed console's process ends
    tcp.restore()
    second = CockpitCore(config, db, console="c1", data_dir=data, sessions=TEST_KEYS)
    second.start()
    try:
        assert second.outbox.waiting == 0
        assert_on_record_once(db, [view.command_id, auto_id])
        assert len(field.received("plant/S1/A1/cmd/stop-work")) == 1
    finally:
        second.stop()


@pytest.mark.broker
def test_a_resume_while_the_database_hangs_never_holds_the_core(outage: Outage, tmp_path: Path) -> None:
    """The resume's database part runs on the database worker: while it hangs, the core still stops
    other areas; once the database answers, the resume is recorded and sent."""
    tcp, db, field, config = outage.tcp, outage.db, outage.field, outage.config
    core = CockpitCore(config, db, console="c1", data_dir=tmp_path / "data", sessions=TEST_KEYS)
    core.start()
    try:
        assert wait_until(lambda: core.connector.link_state.connected, 10)
        stop = core.stop_work(first_actor(), "S1", "A1", "smoke seen").result(30)
        assert stop is not None

        def suspended() -> bool:
            with db.session() as s:
                return s.get(Permit, "HW-1").status is PermitStatus.SUSPENDED

        assert wait_until(suspended, 10)
        with db.session() as s:  # a fresh passing gas test after the stop: the permit may resume
            s.add(GasTest(permit_id="HW-1", taken_at=datetime.now(UTC), by="W-2", passed=True, readings=[]))
            s.commit()
        tcp.freeze()
        resume = core.resume_work(signed("lead.wang"), "S1", "A1", "gas test passed")
        assert core.call(lambda: "the core answers").result(5) == "the core answers"
        other = core.stop_work(first_actor(), "S1", "A2", "smoke seen").result(10)  # not behind the resume
        assert other is not None
        assert wait_until(lambda: len(field.received("plant/S1/A2/cmd/stop-work")) == 1, 10)
        assert not resume.done()
        tcp.restore()
        view = resume.result(60)
        assert view.kind == "resume" and view.permits == ["HW-1"] and view.ends == stop.command_id
        assert wait_until(lambda: len(field.received("plant/S1/A1/cmd/resume-work")) == 1, 10)
        with db.session() as s:
            assert s.get(Permit, "HW-1").status is PermitStatus.ACTIVE
            assert verify_chain(s).ok
    finally:
        core.stop()


def assert_on_record_once(db: Database, command_ids: list[str]) -> None:
    with db.session() as s:
        assert sorted(s.scalars(select(Command.command_id)).all()) == sorted(command_ids)
        actions = s.scalars(select(AuditEntry.action)).all()
        assert actions.count("stop_work.issued") == 2 and actions.count("permit.suspended") == 1
        journal = s.scalars(
            select(AlarmJournalEntry.to_state).where(AlarmJournalEntry.alarm_id == "S1/A1/GD-1/LEL:LEVEL")
        ).all()
        assert journal == ["unack"]
        assert s.get(Permit, "HW-1").status is PermitStatus.SUSPENDED
        assert verify_chain(s).ok


class HungWrites:
    """Wraps the real writers: while ``hang`` is set, a write waits in the worker until released, as a
    call into a frozen database does; with ``cut`` it then fails the way a reset connection does."""

    def __init__(self) -> None:
        self.hang = threading.Event()
        self.release = threading.Event()
        self.entered = threading.Event()
        self.cut = False

    def writers(self) -> dict[str, Any]:
        def wrap(writer: Any) -> Any:
            def write(session: Any, body: dict[str, Any], replay: bool) -> None:
                if self.hang.is_set():
                    self.entered.set()
                    self.release.wait(30)
                    if self.cut:
                        raise OperationalError("COMMIT", None, ConnectionResetError("connection reset"))
                writer(session, body, replay)

            return write

        return {kind: wrap(w) for kind, w in ALL_WRITERS.items()}


@pytest.mark.parametrize("answer", ["commits", "fails"])
def test_records_kept_during_a_hang_keep_their_order_and_are_written_once(
    sqlite_db: Database, tmp_path: Path, answer: str
) -> None:
    hung = HungWrites()
    outbox = Outbox(tmp_path / "outbox.wal", sqlite_db, hung.writers())
    worker = SerialWorker("cockpit-db-test")
    pump = OutboxPump(outbox, worker)
    now = datetime.now(UTC)
    records = outage_records(now)
    before = counts(sqlite_db)
    try:
        hung.hang.set()
        for kind, body in records:
            pump.record(kind, body)
        assert hung.entered.wait(10)  # the first record is in the worker's hands, the rest queued
        assert outbox.waiting == 0  # in memory only, so far
        assert pump.keep_handed() == len(records)
        assert outbox.waiting == len(records)
        reopened = [json.loads(line.split(" ", 1)[1]) for line in outbox.path.read_text().splitlines()]
        assert [r["k"] for r in reopened] == [k for k, _ in records]  # the one in hand first
        hung.cut = answer == "fails"
        hung.hang.clear()
        hung.release.set()
        pump.record(JOURNAL, journal_body("S1/A1/GD-1/LEL:LEVEL", now + timedelta(seconds=5), "normal"))
        worker.submit(lambda: None).result(30)
        if answer == "fails":
            assert outbox.waiting == len(records) + 1  # nothing twice in the file, the new one behind
        else:
            assert outbox.waiting == len(records) - 1 + 1  # the one in hand committed; the new one waits
        assert worker.submit(outbox.drain).result(30) == outbox.written_late
        assert outbox.waiting == 0
        added = tuple(after - was for after, was in zip(counts(sqlite_db), before, strict=True))
        assert added == (3, 1, 3, 1)  # three journal entries, one stop, its audits and event, once each
        with sqlite_db.session() as s:
            states = s.scalars(select(AlarmJournalEntry.to_state).order_by(AlarmJournalEntry.id)).all()
            assert states == ["unack", "ack", "normal"]  # in the order they were decided
            assert verify_chain(s).ok
    finally:
        worker.shutdown()
        outbox.close()


def first_actor():  # type: ignore[no-untyped-def]
    return signed("op.li")


# --- the outbox file, against SQLite and a closed port ---------------------------------------------


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(db, datetime.now(UTC))
    yield db
    db.dispose()


def outage_records(now: datetime) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    stop = stop_record(
        command_id="6f1c0000-0000-4000-8000-000000000001",
        site="S1",
        area="A1",
        permits=["HW-1"],
        reason="LEL 31 %LEL HIHI",
        alarm_id="S1/A1/GD-1/LEL:LEVEL",
        issued_by="cockpit",
        auto=True,
        ts=now,
        claimed=False,
        console="c1",
    )
    ack = audit_record(
        actor="GW-07",
        action="command.received",
        subject="6f1c0000-0000-4000-8000-000000000001",
        details={"site": "S1", "area": "A1", "detail": ""},
        ts=now + timedelta(seconds=1),
        command_state=("6f1c0000-0000-4000-8000-000000000001", "received"),
        ack={
            "command_id": "6f1c0000-0000-4000-8000-000000000001",
            "ts": (now + timedelta(seconds=1)).isoformat(),
            "status": "received",
            "by": "GW-07",
            "detail": "",
            "received_at": (now + timedelta(seconds=1)).isoformat(),
        },
    )
    return [
        (JOURNAL, journal_body("S1/A1/GD-1/LEL:LEVEL", now, "unack")),
        (STOP, stop),
        (AUDIT, ack),
        (JOURNAL, journal_body("S1/A1/GD-1/LEL:LEVEL", now + timedelta(seconds=2), "ack")),
    ]


def counts(db: Database) -> tuple[int, int, int, int]:
    with db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(AlarmJournalEntry)) or 0,
            s.scalar(select(func.count()).select_from(Command)) or 0,
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            s.scalar(select(func.count()).select_from(PermitEventRow)) or 0,
        )


def test_the_outbox_survives_its_writer_and_writes_everything_once(
    sqlite_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "data" / "outbox-c1.wal"
    before = counts(sqlite_db)
    down = unreachable_database()
    writer = Outbox(path, down, ALL_WRITERS)
    for kind, body in outage_records(datetime.now(UTC)):
        writer.put(kind, body)
    assert writer.waiting == 4
    writer.close()  # the process ends
    down.dispose()
    copy = tmp_path / "copy.wal"
    shutil.copy(path, copy)

    reader = Outbox(path, sqlite_db, ALL_WRITERS)  # the next start
    assert reader.waiting == 4
    assert reader.drain() == 4
    assert reader.waiting == 0 and path.stat().st_size == 0
    reader.close()
    after = counts(sqlite_db)
    # two journal entries, one command, audit: the stop, the suspension, the acknowledgement
    assert after[0] - before[0] == 2 and after[1] - before[1] == 1 and after[2] - before[2] == 3
    with sqlite_db.session() as s:
        assert s.get(Permit, "HW-1").status is PermitStatus.SUSPENDED
        assert s.get(Command, "6f1c0000-0000-4000-8000-000000000001").state.value == "received"
        assert verify_chain(s).ok

    # a crash after the commits but before the done marks: the same records again write nothing
    again = Outbox(copy, sqlite_db, ALL_WRITERS)
    assert again.drain() == 4
    again.close()
    assert counts(sqlite_db) == after
    with sqlite_db.session() as s:
        assert verify_chain(s).ok


def test_records_follow_the_waiting_ones_in_order_even_once_the_database_is_back(
    sqlite_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "outbox.wal"
    now = datetime.now(UTC)
    down = unreachable_database()
    first = Outbox(path, down, ALL_WRITERS)
    first.put(JOURNAL, journal_body("S1/A1/GD-1/LEL:LEVEL", now, "unack"))
    first.close()
    down.dispose()
    outbox = Outbox(path, sqlite_db, ALL_WRITERS)
    outbox.put(JOURNAL, journal_body("S1/A1/GD-1/LEL:LEVEL", now + timedelta(seconds=1), "ack"))
    assert outbox.waiting == 2  # behind the first, not before it
    assert outbox.drain() == 2
    with sqlite_db.session() as s:
        rows = s.scalars(select(AlarmJournalEntry.to_state).order_by(AlarmJournalEntry.id)).all()
    assert rows == ["unack", "ack"]
    outbox.close()


def test_a_full_outbox_refuses_with_a_clear_reason_and_keeps_what_it_has(tmp_path: Path) -> None:
    down = unreachable_database()
    outbox = Outbox(tmp_path / "outbox.wal", down, ALL_WRITERS, max_bytes=2048)
    now = datetime.now(UTC)
    kept = 0
    with pytest.raises(OutboxFull, match="is full"):
        for i in range(100):
            outbox.put(JOURNAL, journal_body("S1/A1/GD-1/LEL:LEVEL", now + timedelta(seconds=i), "unack"))
            kept += 1
    assert outbox.refused == 1 and outbox.waiting == kept > 0
    outbox.close()
    reopened = Outbox(tmp_path / "outbox.wal", down, ALL_WRITERS)
    assert reopened.waiting == kept
    reopened.close()
    down.dispose()


def test_a_torn_last_line_is_cut_off_and_the_rest_kept(tmp_path: Path) -> None:
    down = unreachable_database()
    path = tmp_path / "outbox.wal"
    outbox = Outbox(path, down, ALL_WRITERS)
    outbox.put(JOURNAL, journal_body("S1/A1/GD-1/LEL:LEVEL", datetime.now(UTC), "unack"))
    outbox.close()
    size = path.stat().st_size
    with open(path, "ab") as f:
        f.write(b'0badc0de {"n": 2, "k": "jour')  # the process died mid-append
    reopened = Outbox(path, down, ALL_WRITERS)
    assert reopened.waiting == 1
    assert path.stat().st_size == size
    reopened.close()
    down.dispose()


def test_two_writers_of_one_console_are_refused(tmp_path: Path) -> None:
    from models.errors import UserError

    down = unreachable_database()
    first = Outbox(tmp_path / "outbox-c1.wal", down, ALL_WRITERS)
    with pytest.raises(UserError, match="in use by another cockpit"):
        Outbox(tmp_path / "outbox-c1.wal", down, ALL_WRITERS)
    first.close()
    down.dispose()


def test_the_head_file_follows_every_audit_commit(sqlite_db: Database, tmp_path: Path) -> None:
    AuditHeadKeeper(sqlite_db, tmp_path / "data")
    outbox = Outbox(tmp_path / "outbox.wal", sqlite_db, ALL_WRITERS)
    for kind, body in outage_records(datetime.now(UTC)):
        outbox.put(kind, body)
    outbox.close()
    kept = read_head(head_path(tmp_path / "data"))
    with sqlite_db.session() as s:
        newest = s.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc())).first()
    assert kept is not None and newest is not None
    assert (kept.seq, kept.hash) == (newest.seq, newest.hash)
