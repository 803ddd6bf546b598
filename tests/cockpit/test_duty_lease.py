"""The plant's duties held once (issue 19): the lease row on SQLite and PostgreSQL, its fencing token,
the keeper that stops the duties when the lease is lost, and two cores on one broker and one database.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.duty_lease import DutyKeeper, Holder, LeaseStore
from connectors.database import Database
from models.schema import AuditEntry
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant


@pytest.fixture(params=["sqlite", "postgresql"])
def lease_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'lease.db'}"
    else:
        url = request.getfixturevalue("pg_schema_url")
    db = open_fresh(url)  # migrations up to 0004_duty_leases
    yield db
    db.dispose()


def serve(name: str) -> Holder:
    return Holder.here(name, "hold")


def test_lease_taken_renewed_expired_and_taken_over_with_a_growing_token(lease_db: Database) -> None:
    store = LeaseStore(lease_db, lease_s=0.4)
    a, b = serve("a"), serve("b")
    first = store.take(a)
    assert first is not None
    assert store.take(b) is None, "a live lease is nobody else's"
    assert store.renew(a, first)
    view = store.read()
    assert view is not None and view.alive and view.holder == a.id and view.token == first
    time.sleep(0.6)  # a stops renewing: the lease expires by the database's clock
    assert store.read() is not None and not store.read().alive  # type: ignore[union-attr]
    second = store.take(b)
    assert second == first + 1, "every take-over grows the fencing token"
    assert not store.renew(a, first), "a stale holder's renewal is refused"
    assert store.take(a) is None
    assert store.renew(b, second)
    assert store.release(b, second)
    assert store.take(a) == second + 1, "a lease handed back is taken at once"


def test_only_one_of_many_racing_instances_takes_an_expired_lease(lease_db: Database) -> None:
    store = LeaseStore(lease_db)
    holders = [serve(f"s{i}") for i in range(6)]
    store.take(holders[0])  # the row exists; release it so that everyone races for it
    store.release(holders[0], store.read().token)  # type: ignore[union-attr]
    gate = threading.Barrier(len(holders))
    won: list[int | None] = [None] * len(holders)

    def race(i: int) -> None:
        mine = LeaseStore(lease_db)
        gate.wait()
        won[i] = mine.take(holders[i])

    threads = [threading.Thread(target=race, args=(i,)) for i in range(len(holders))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len([w for w in won if w is not None]) == 1


def test_a_console_hands_the_duties_to_a_serve_that_asks(lease_db: Database) -> None:
    console = DutyKeeper(LeaseStore(lease_db), Holder.here("ccr-1", "auto"))
    server = DutyKeeper(LeaseStore(lease_db), serve("serve-1"))
    console.step()
    assert console.holds()
    server.step()  # the lease is the console's: the serve asks for it
    assert not server.holds()
    console.step()  # the console sees the ask: its duties stop, the lease goes back
    assert not console.holds()
    console.step()  # and it does not take it again while a serve wants it
    assert not console.holds()
    server.step()
    assert server.holds() and server.token() == 2
    console.step()
    assert not console.holds()
    assert server.describe()["me"] is True and console.describe()["alive"] is True


def test_a_console_set_to_serve_never_holds_but_sees_who_does(lease_db: Database) -> None:
    watcher = DutyKeeper(LeaseStore(lease_db), Holder.here("ccr-2", "serve"))
    watcher.step()
    assert not watcher.holds() and watcher.describe()["alive"] is False
    server = DutyKeeper(LeaseStore(lease_db), serve("serve-1"))
    server.step()
    watcher.step()
    seen = watcher.describe()
    assert not watcher.holds() and seen["alive"] is True and seen["holder"] == "serve-1"


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class _DeadStore(LeaseStore):
    """A database that stopped answering after the first take."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.dead = False

    def renew(self, me: Holder, token: int) -> bool:
        if self.dead:
            raise OperationalError("renew", {}, Exception("server closed the connection"))
        return super().renew(me, token)

    def read(self):  # type: ignore[no-untyped-def]
        if self.dead:
            raise OperationalError("read", {}, Exception("server closed the connection"))
        return super().read()


def test_a_holder_that_cannot_renew_stops_holding_before_its_lease_may_be_taken(lease_db: Database) -> None:
    clock = _Clock()
    store = _DeadStore(lease_db)
    keeper = DutyKeeper(store, serve("serve-1"), monotonic=clock)
    keeper.step()
    assert keeper.holds() and keeper.acting()
    store.dead = True
    clock.now += 1.0
    keeper.step()
    assert keeper.holds(), "one missed renewal is nothing"
    clock.now += 1.6  # 2.6 s after the last renewal began: past LEASE_S - MARGIN_S
    assert not keeper.holds() and keeper.token() is None
    # the database is silent for as long as a lease: nobody can know who holds, so this one acts
    assert keeper.acting()


def test_a_refused_renewal_stops_the_duties_at_once(lease_db: Database) -> None:
    clock = _Clock()
    a = DutyKeeper(LeaseStore(lease_db, lease_s=0.3), serve("a"), lease_s=1.0, monotonic=clock)
    a.step()
    assert a.holds()
    time.sleep(0.5)
    b = LeaseStore(lease_db, lease_s=3.0)
    assert b.take(serve("b")) == 2
    a.step()  # a's own clock says it still holds (it stood still); the database says otherwise
    assert not a.holds() and not a.acting()


# ------------------------------------------------------------- two cores, one broker, one database


def _reading(lel: float, seq: int) -> bytes:
    readings = [{"ch": "LEL", "v": lel, "u": "%LEL"}, {"ch": "O2", "v": 20.9, "u": "%VOL"}]
    return json.dumps({"ts": int(time.time() * 1000), "seq": seq, "readings": readings}).encode()


@contextlib.contextmanager
def two_serves(tmp_path: Path, broker: MosquittoProcess, subscribe: str) -> Iterator[TwoServes]:
    """Two serve instances (duties "hold") on one SQLite plant and one broker, started and linked, and a
    field gateway subscribed to ``subscribe``; the first holds the duties."""
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(db, datetime.now(UTC))
    field = PahoPeer(broker.url, "field-gateway")
    field.subscribe(subscribe)
    config = Config()
    config.mqtt.url = broker.url
    config.general.duties = "hold"
    cores = [
        CockpitCore(config, db, console=name, data_dir=tmp_path / name) for name in ("serve-1", "serve-2")
    ]
    try:
        for core in cores:
            core.start()
            assert wait_until(lambda c=core: c.connector.link_state.connected, 10)  # type: ignore[misc]
        assert cores[0].duties.holds() and not cores[1].duties.holds()
        yield TwoServes(db, field, cores[0], cores[1])
    finally:
        for core in cores:
            core.stop()
        field.close()
        db.dispose()


class TwoServes(NamedTuple):
    db: Database
    field: PahoPeer
    first: CockpitCore
    second: CockpitCore


@pytest.mark.broker
def test_the_holder_dies_the_other_takes_over_and_stops_once(
    tmp_path: Path, broker: MosquittoProcess
) -> None:
    with two_serves(tmp_path, broker, "plant/+/+/cmd/stop-work") as (db, field, first, second):
        field.publish("plant/S1/A1/sensor/GD-1", _reading(3.0, 1), qos=1)
        first.duties.abandon()  # the holder stops renewing, as a killed process does; its core runs on
        assert wait_until(lambda: not first.duties.holds(), 5)
        assert not second.duties.holds(), "the seconds while nobody holds the duties"
        for seq, lel in enumerate((31.0, 35.0), start=2):  # the HIHI comes in those seconds
            field.publish("plant/S1/A1/sensor/GD-1", _reading(lel, seq), qos=1)
        assert wait_until(second.duties.holds, 6), "taken over within 5 s"
        assert wait_until(lambda: field.received("plant/S1/A1/cmd/stop-work"), 10)
        time.sleep(1.5)  # a second stop, from the old holder, would have arrived by now
        stops = [json.loads(m.payload) for m in field.received("plant/S1/A1/cmd/stop-work")]
        assert len(stops) == 1, "one stop, never two"

        def fenced() -> list[dict[str, object]]:
            with db.session() as s:
                rows = s.scalars(select(AuditEntry).where(AuditEntry.action == "stop_work.issued"))
                return [json.loads(r.details) for r in rows]

        assert wait_until(lambda: bool(fenced()), 10)
        entry = fenced()[0]
        assert entry["console"] == "serve-2" and entry["fence"] == second.duties.token() == 2


def _apply(field: PahoPeer, permit: str, permit_type: str = "work_at_height") -> None:
    application = {
        "ts": int(time.time() * 1000),
        "type": permit_type,
        "applicant": "W-1",
        "workers": ["W-1"],
        "supervisor": "W-2",
        "valid_from": "2026-11-23T22:00:00+08:00",
        "valid_to": "2026-11-24T02:00:00+08:00",
    }
    field.publish(f"plant/S1/A1/permit/{permit}/request", json.dumps(application).encode())


def _replies(field: PahoPeer, permit: str) -> list[dict[str, object]]:
    return [json.loads(m.payload) for m in field.received(f"plant/S1/A1/permit/{permit}/reply")]


@pytest.mark.broker
def test_two_serve_answer_an_application_once(tmp_path: Path, broker: MosquittoProcess) -> None:
    """Each instance receives the application; only the duty holder answers it."""
    with two_serves(tmp_path, broker, "plant/S1/A1/permit/+/reply") as (_db, field, _first, _second):
        _apply(field, "HW-9", "hot_work")
        assert wait_until(lambda: _replies(field, "HW-9"), 10)
        time.sleep(1.5)  # the other instance's answer, were there one, would have come by now
        assert len(_replies(field, "HW-9")) == 1


@pytest.mark.broker
def test_an_application_in_the_seconds_nobody_holds_the_duties_is_answered_once_on_take_over(
    tmp_path: Path, broker: MosquittoProcess
) -> None:
    """Contract §5 (every application answered) across a dead holder: the one taking over answers what
    came in the gap, and not what the old holder answered before it died."""
    with two_serves(tmp_path, broker, "plant/S1/A1/permit/+/reply") as (_db, field, first, second):
        _apply(field, "WH-1")  # answered by the holder while it lives
        assert wait_until(lambda: _replies(field, "WH-1"), 10)
        first.duties.abandon()  # the holder stops renewing, as a killed process does
        assert wait_until(lambda: not first.duties.holds(), 5)
        assert not second.duties.holds(), "the seconds while nobody holds the duties"
        _apply(field, "WH-2")  # nobody answers it now
        assert wait_until(second.duties.holds, 6), "taken over within 5 s"
        assert wait_until(lambda: _replies(field, "WH-2"), 10), "answered on the take-over"
        time.sleep(1.5)  # a second answer, to either, would have come by now
        assert len(_replies(field, "WH-1")) == 1, "the old holder's answer is not repeated"
        assert len(_replies(field, "WH-2")) == 1
        assert _replies(field, "WH-2")[0]["accepted"] == _replies(field, "WH-1")[0]["accepted"]
        assert second.permit_monitor.held.answered_late == 1
