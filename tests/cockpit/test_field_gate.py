"""The field gate (issue 17, part 6): a worker at a work area's gate is allowed, or refused with every
reason, each answer on the wire (within 1 s: bench/gate_latency.py measures it for every reason),
journaled, a refusal a priority-3 alarm; an entry nobody allowed is a priority-2 alarm; who is inside
follows allows, entries and exits.

Real Mosquitto; each test on SQLite and on PostgreSQL; the core's clock is injected (a Wednesday 10:00
in Shanghai).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from cockpit.config import Config
from cockpit.core import CockpitCore
from connectors.database import Database
from models.schema import AuditEntry, Certificate, PermitWorker, Worker, WorkerTraining
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.gate_people import REASON_OF, WELDING, add_gate_people
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, signed

pytestmark = pytest.mark.broker

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
TODAY = date(2026, 12, 2)
LEAD = signed("lead.wang")
REPLY = "plant/S1/A1/gate/G-1/reply"


def ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


@dataclass
class Gate:
    broker: MosquittoProcess
    db: Database
    field: PahoPeer
    core: CockpitCore

    def ask(
        self, worker: str | None, *, permit: str | None = "HW-1", key: str = "badge", **extra: Any
    ) -> dict:
        """Ask G-1 about ``worker``; the answer. (Its time, within 1 s for every reason, is measured by
        bench/gate_latency.py: the tests assert no timings.)"""
        request_id = f"r-{worker}-{time.monotonic_ns()}"
        body: dict[str, Any] = {"ts": ms(NOW), "request_id": request_id, **extra}
        if worker is not None:
            body[key] = worker
        if permit is not None:
            body["permit"] = permit
        seen = len(self.field.received(REPLY))
        self.field.publish("plant/S1/A1/gate/G-1/request", json.dumps(body).encode(), qos=1)
        assert wait_until(lambda: len(self.field.received(REPLY)) > seen, 10), "no answer at all"
        answer = json.loads(self.field.received(REPLY)[seen].payload)
        assert answer["request_id"] == request_id
        return answer

    def event(self, worker: str, kind: str) -> None:
        body = {"ts": ms(NOW), "type": kind, "permit": "HW-1"}
        self.field.publish(f"plant/S1/A1/worker/{worker}/event", json.dumps(body).encode(), qos=1)

    def alarm(self, alarm_id: str) -> Any:
        return self.core.call(lambda: self.core.engine.get(alarm_id)).result(15)

    def inside(self) -> list[str]:
        return [
            p.worker for p in self.core.call(self.core.field_gate.headcount).result(15).get(("S1", "A1"), ())
        ]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """Each test on a SQLite file and on a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'plant.db'}"
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def gate(tmp_path: Any, db_url: str) -> Iterator[Gate]:
    broker = MosquittoProcess(tmp_path).start()
    db = open_fresh(db_url)
    build_small_plant(db, NOW)
    add_gate_people(db, TODAY)
    field = PahoPeer(broker.url, "gate-g1")
    field.subscribe("plant/S1/A1/gate/+/reply")
    config = Config()
    config.mqtt.url = broker.url
    core = CockpitCore(config, db, console="gate", clock=lambda: NOW, data_dir=tmp_path, sessions=TEST_KEYS)
    core.start()
    assert wait_until(lambda: core.connector.link_state.connected, 10)  # subscribed: nothing lost
    g = Gate(broker, db, field, core)
    try:
        yield g
    finally:
        g.core.stop()  # the one a test started in its place too
        field.close()
        db.dispose()
        broker.stop()


def codes(answer: dict) -> list[str]:
    return [r["code"] for r in answer["reasons"]]


def test_a_qualified_worker_is_allowed_and_counted_inside_and_journaled(gate: Gate) -> None:
    answer = gate.ask("W-3")
    assert answer["allowed"] is True
    assert answer["reasons"] == []
    assert answer["worker"] == "W-3"
    assert wait_until(lambda: gate.inside() == ["W-3"], 10)
    # The published state carries the headcount with names (the map, the incident commander).
    assert wait_until(lambda: gate.core.state.inside.get(("S1", "A1")) == (("W-3", "陈合格", NOW),), 10)
    gate.event("W-3", "entry")  # through the gate he was allowed at: no alarm
    gate.event("W-3", "exit")
    assert wait_until(lambda: gate.inside() == [], 10)
    assert gate.alarm("worker:W-3:UNAUTHORISED_ENTRY") is None

    def journal() -> list[AuditEntry]:
        with gate.db.session() as s:
            return list(
                s.scalars(select(AuditEntry).where(AuditEntry.action.like("gate.%")).order_by(AuditEntry.seq))
            )

    # The answer, then the entry and the exit (the headcount is on record: cockpit/gate_presence.py).
    assert wait_until(lambda: len(journal()) == 3, 10)
    entry = journal()[0]
    assert (entry.action, entry.actor, entry.subject) == ("gate.allowed", "gate:G-1", "W-3")
    assert json.loads(entry.details)["request_id"] == answer["request_id"]
    assert [(e.action, e.actor) for e in journal()[1:]] == [
        ("gate.entry", "gate:S1/A1"),
        ("gate.exit", "gate:S1/A1"),
    ]


@pytest.mark.parametrize(
    ("worker", "code", "params"),
    [
        ("W-4", "admission_exam_missing", {"worker": "W-4"}),
        ("W-5", "contractor_blacklisted", {"contractor": "C-BAD"}),
        ("W-6", "certificate_expired", {"trade": "焊接与热切割"}),
        ("W-7", "certificate_missing", {"trade": "焊接与热切割"}),  # a certificate, not for this trade
        ("W-8", "not_on_active_permit", {"permit": "HW-1", "area": "S1/A1"}),
        ("W-99", "worker_unknown", {"worker": "W-99"}),
    ],
)
def test_each_reason_refuses_with_its_code_and_a_priority_3_alarm(
    gate: Gate, worker: str, code: str, params: dict[str, Any]
) -> None:
    assert REASON_OF[worker] == code  # the bench asks the same people
    answer = gate.ask(worker)
    assert answer["allowed"] is False
    assert codes(answer) == [code]
    assert answer["reasons"][0]["params"] | params == answer["reasons"][0]["params"]
    assert answer["reasons"][0]["message"]
    assert wait_until(lambda: gate.alarm(f"worker:{worker}:GATE_REFUSED") is not None, 10)
    refused = gate.alarm(f"worker:{worker}:GATE_REFUSED")
    assert int(refused.priority) == 3
    assert refused.active
    assert gate.inside() == []

    def journaled() -> list[AuditEntry]:  # every answer is on record, a refusal with its reasons
        with gate.db.session() as s:
            return list(s.scalars(select(AuditEntry).where(AuditEntry.action == "gate.refused")))

    assert wait_until(lambda: len(journaled()) == 1, 10)
    entry = journaled()[0]
    assert (entry.actor, entry.subject) == ("gate:G-1", worker)
    details = json.loads(entry.details)
    assert details["request_id"] == answer["request_id"]
    assert [r["code"] for r in details["reasons"]] == [code]


def test_a_stopped_area_refuses_everyone_and_every_reason_comes_at_once(gate: Gate) -> None:
    gate.core.stop_work(LEAD, "S1", "A1", "drill").result(15)
    assert codes(gate.ask("W-3")) == ["area_stopped"]
    # Several reasons: all of them, in one answer (by safety code, no permit named).
    both = gate.ask("W-4", permit=None, key="safety_code")
    assert codes(both) == ["admission_exam_missing", "area_stopped"]


def test_a_permit_not_active_here_refuses(gate: Gate) -> None:
    answer = gate.ask("W-3", permit="HW-404")
    assert codes(answer) == ["not_on_active_permit"]
    assert "HW-404" in answer["reasons"][0]["message"]


def test_a_malformed_request_is_refused_counted_and_echoes_its_request_id(gate: Gate) -> None:
    answer = gate.ask(None)  # neither badge nor safety code
    assert answer["allowed"] is False
    assert codes(answer) == ["malformed_request"]
    assert answer["reasons"][0]["params"] == {"field": "badge", "error": "missing_field"}
    assert wait_until(lambda: _rejected(gate), 10)  # counted, as every rejection is


def _rejected(gate: Gate) -> bool:
    return gate.core.call(lambda: gate.core.rejections.total).result(15) >= 1


def test_an_entry_without_an_allow_is_a_priority_2_alarm_and_still_counted(gate: Gate) -> None:
    gate.event("W-8", "entry")
    assert wait_until(lambda: gate.alarm("worker:W-8:UNAUTHORISED_ENTRY") is not None, 10)
    entry = gate.alarm("worker:W-8:UNAUTHORISED_ENTRY")
    assert int(entry.priority) == 2
    assert "W-8" in entry.message
    assert gate.inside() == ["W-8"]  # the headcount is of people inside, allowed or not
    # A refusal does not make a later entry allowed either.
    assert gate.ask("W-4")["allowed"] is False
    gate.event("W-4", "entry")
    assert wait_until(lambda: gate.alarm("worker:W-4:UNAUTHORISED_ENTRY") is not None, 10)


def test_the_permits_supervisor_goes_in_without_the_welders_certificate(gate: Gate) -> None:
    # W-2 (plant staff, trade 监护) supervises HW-1: on the permit, no special trade, no admission exam.
    assert gate.ask("W-2", permit=None, key="safety_code")["allowed"] is True


def test_a_console_that_leaves_the_duties_to_serve_does_not_answer_the_gate(
    tmp_path: Any, db_url: str
) -> None:
    """Gate answers are a duty (issue 19): with two consoles and a serve, only the holder answers,
    so a console set to ``duties = "serve"`` stays silent rather than answer a second time."""
    broker = MosquittoProcess(tmp_path).start()
    db = open_fresh(db_url)
    build_small_plant(db, NOW)
    add_gate_people(db, TODAY)
    field = PahoPeer(broker.url, "gate-g1")
    field.subscribe("plant/S1/A1/gate/+/reply")
    config = Config()
    config.mqtt.url = broker.url
    config.general.duties = "serve"
    core = CockpitCore(config, db, console="gate", clock=lambda: NOW, data_dir=tmp_path, sessions=TEST_KEYS)
    core.start()
    try:
        assert wait_until(lambda: core.connector.link_state.connected, 10)
        body = {"ts": ms(NOW), "request_id": "r-1", "badge": "W-3", "permit": "HW-1"}
        field.publish("plant/S1/A1/gate/G-1/request", json.dumps(body).encode(), qos=1)
        assert wait_until(lambda: core.stats.messages_in >= 1, 10)  # the request reached the core
        assert not wait_until(lambda: field.received(REPLY), 2.0)
    finally:
        core.stop()
        field.close()
        db.dispose()
        broker.stop()


def _qualified(db: Database, wid: str, name: str) -> None:
    """Another worker as W-3: a welder of C-1 on HW-1 with his certificate and admission exam."""
    with db.session() as s:
        s.add(Worker(id=wid, name=name, contractor_code="C-1", trade="焊工"))
        s.flush()
        valid_to = TODAY + timedelta(days=400)
        s.add(
            Certificate(
                worker_id=wid,
                number=f"T{wid}",
                trade=WELDING,
                valid_from=valid_to - timedelta(days=2000),
                valid_to=valid_to,
                review_due=TODAY + timedelta(days=300),
            )
        )
        s.add(
            WorkerTraining(worker_id=wid, name="入厂三级安全教育考试", trained_on=TODAY - timedelta(days=9))
        )
        s.add(PermitWorker(permit_id="HW-1", worker_id=wid))


def _core(
    config: Config, db: Database, console: str, data_dir: Any, follow_s: float | None = None
) -> CockpitCore:
    core = CockpitCore(config, db, console=console, clock=lambda: NOW, data_dir=data_dir, sessions=TEST_KEYS)
    if follow_s is not None:
        core.field_gate.follow_s = follow_s
    core.start()
    assert wait_until(lambda: core.connector.link_state.connected, 10)
    return core


def _names(core: CockpitCore) -> list[str]:
    return [p.name for p in core.call(core.field_gate.headcount).result(15).get(("S1", "A1"), ())]


def test_who_is_inside_survives_a_restart(gate: Gate, tmp_path: Any) -> None:
    """Three allowed, one out: after a restart of the console the headcount is the two still inside,
    with the time each went in (the incident commander counts on it after a crash too)."""
    _qualified(gate.db, "W-9", "郑合格")
    assert gate.ask("W-3")["allowed"] is True
    assert gate.ask("W-9")["allowed"] is True
    assert gate.ask("W-2", permit=None, key="safety_code")["allowed"] is True
    gate.event("W-3", "entry")
    gate.event("W-2", "exit")
    assert wait_until(lambda: sorted(gate.inside()) == ["W-3", "W-9"], 10)
    gate.core.stop()  # the outbox's last records written before it ends
    config = Config()
    config.mqtt.url = gate.broker.url
    gate.core = _core(config, gate.db, "gate", tmp_path)  # the fixture stops this one
    assert _names(gate.core) == ["郑合格", "陈合格"]
    assert {p.since for p in gate.core.state.inside[("S1", "A1")]} == {NOW}
    # An entry right after the restart through an allow given before it is still an allowed one.
    gate.event("W-9", "entry")
    assert wait_until(lambda: gate.core.stats.messages_in >= 1, 10)
    gate.event("W-9", "exit")
    assert wait_until(lambda: gate.inside() == ["W-3"], 10)
    assert gate.alarm("worker:W-9:UNAUTHORISED_ENTRY") is None


def test_a_console_without_the_duties_follows_the_holders_headcount_and_keeps_it_on_taking_over(
    gate: Gate, tmp_path: Any
) -> None:
    """Only the holder answers the gate (its allows are on record, not on the other's wire): the other
    instance reads who is inside from the record, and has the same count when the duties pass to it."""
    config = Config()
    config.mqtt.url = gate.broker.url
    other = _core(config, gate.db, "second", tmp_path / "second", follow_s=0.5)  # not the program's 5 s
    try:
        assert gate.core.duties.acting() and not other.duties.acting()
        _qualified(gate.db, "W-9", "郑合格")
        assert gate.ask("W-3")["allowed"] is True  # one answer: the holder's
        assert gate.ask("W-9")["allowed"] is True
        gate.event("W-3", "entry")  # both hear it; it is on record once
        assert wait_until(lambda: _names(other) == ["郑合格", "陈合格"], 15)
        gate.core.stop()  # the holder goes: the lease is handed back
        assert wait_until(other.duties.acting, 20)
        gate.event("W-9", "exit")
        assert wait_until(lambda: _names(other) == ["陈合格"], 15)
        with gate.db.session() as s:
            entries = s.scalars(select(AuditEntry.action).where(AuditEntry.action == "gate.entry")).all()
        assert entries == ["gate.entry"]
    finally:
        other.stop()
