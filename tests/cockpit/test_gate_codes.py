"""A handheld at the gate sends what it scanned (issue 23 parts 5 and 7, docs/mqtt-cockpit-topics.md):
a badge's keyed code lets its worker in, a code made up for another worker is refused before anything
of him is read; a paper permit's code, checked alone, says the permit's live state, and after a
suspension the same paper is refused as suspended. Real Mosquitto, SQLite and PostgreSQL, the core's
badge key from the keyring (an in-memory backend)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import keyring
import pytest
from sqlalchemy import select

from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.permit_service import PermitService
from cockpit.safety_codes import CodeKeys
from models.schema import AuditEntry
from tests.cockpit.test_field_gate import LEAD, NOW, TODAY, Gate, codes
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.gate_people import add_gate_people
from tests.support.keyring_memory import MemoryKeyring
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS

pytestmark = pytest.mark.broker

SECRET = "the plant's badge key for these tests"
KEY = CodeKeys(SECRET.encode())


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'plant.db'}"
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def gate(tmp_path: Any, db_url: str) -> Iterator[Gate]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    backend.set_password("hazwork-cockpit", "badge:plant", SECRET)
    keyring.set_keyring(backend)  # the core reads its badge key once, when it is built
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
    assert wait_until(lambda: core.connector.link_state.connected, 10)
    g = Gate(broker, db, field, core)
    try:
        yield g
    finally:
        g.core.stop()
        field.close()
        db.dispose()
        broker.stop()
        keyring.set_keyring(previous)


def test_a_scanned_badge_lets_its_worker_in_and_a_made_up_one_is_refused(gate: Gate) -> None:
    allowed = gate.ask(KEY.worker_code("W-3"), key="safety_code")
    assert (allowed["allowed"], allowed["worker"], allowed["reasons"]) == (True, "W-3", [])
    check = KEY.worker_code("W-3").rsplit(":", 1)[1]
    forged = gate.ask(f"W1:W-2:{check}", key="safety_code")  # W-3's check on W-2's ID
    assert forged["allowed"] is False and codes(forged) == ["safety_code_invalid"]
    assert forged["reasons"][0]["params"] == {"worker": "W-2"}
    other_plant = gate.ask(CodeKeys(b"another plant's badge key").worker_code("W-3"), key="safety_code")
    assert codes(other_plant) == ["safety_code_invalid"]
    assert gate.inside() == ["W-3"]  # the forged ones let nobody in
    assert wait_until(lambda: _journal(gate, "gate.refused") == 2, 10)


def test_a_paper_permit_checked_alone_says_its_live_state_and_catches_a_suspension(gate: Gate) -> None:
    paper = KEY.permit_code("HW-1")
    answer = gate.ask(None, permit=None, permit_code=paper)
    assert (answer["allowed"], answer["worker"], answer["reasons"]) == (True, None, [])
    assert answer["permit_state"]["permit"] == "HW-1" and answer["permit_state"]["status"] == "active"

    PermitService(gate.db, clock=lambda: NOW + timedelta(minutes=1), keys=TEST_KEYS).suspend(
        "HW-1", LEAD, "LEL rising at the flange"
    )
    again = gate.ask(None, permit=None, permit_code=paper)  # the same paper, scanned again
    assert again["allowed"] is False and again["permit_state"]["status"] == "suspended"
    assert again["reasons"][0]["code"] == "permit_not_active"
    assert again["reasons"][0]["params"] == {"permit": "HW-1", "status": "suspended"}
    assert gate.inside() == []  # checking a paper lets nobody in
    assert wait_until(lambda: _journal(gate, "gate.permit_checked") == 2, 10)

    forged = gate.ask(None, permit=None, permit_code="P1:HW-1:AAAAAAAAAA")
    assert codes(forged) == ["permit_code_invalid"] and "permit_state" not in forged


def test_a_worker_with_a_paper_permit_gets_the_permits_state_beside_his_answer(gate: Gate) -> None:
    answer = gate.ask(
        KEY.worker_code("W-3"), key="safety_code", permit=None, permit_code=KEY.permit_code("HW-1")
    )
    assert answer["allowed"] is True and answer["permit_state"]["status"] == "active"
    mismatch = gate.ask("W-3", permit="HW-2", permit_code=KEY.permit_code("HW-1"))
    assert codes(mismatch) == ["malformed_request"]


def test_without_a_badge_key_a_scanned_code_is_refused_and_a_plain_id_still_works(
    tmp_path: Any, db_url: str
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # no badge key stored on this machine
    broker = MosquittoProcess(tmp_path).start()
    db = open_fresh(db_url)
    build_small_plant(db, NOW)
    add_gate_people(db, TODAY)
    field = PahoPeer(broker.url, "gate-g1")
    field.subscribe("plant/S1/A1/gate/+/reply")
    config = Config()
    config.mqtt.url = broker.url
    core = CockpitCore(config, db, console="gate", clock=lambda: NOW, data_dir=tmp_path, sessions=TEST_KEYS)
    try:
        core.start()
        assert wait_until(lambda: core.connector.link_state.connected, 10)
        g = Gate(broker, db, field, core)
        assert codes(g.ask(KEY.worker_code("W-3"), key="safety_code")) == ["no_badge_key"]
        assert g.ask("W-3", key="safety_code")["allowed"] is True  # issue 17's gates, unchanged
    finally:
        core.stop()
        field.close()
        db.dispose()
        broker.stop()
        keyring.set_keyring(previous)


def _journal(gate: Gate, action: str) -> int:
    with gate.db.session() as s:
        return len(s.scalars(select(AuditEntry).where(AuditEntry.action == action)).all())


def test_the_paper_checks_journal_names_the_state(gate: Gate) -> None:
    gate.ask(None, permit=None, permit_code=KEY.permit_code("HW-1"))
    assert wait_until(lambda: _journal(gate, "gate.permit_checked") == 1, 10)
    with gate.db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "gate.permit_checked")).one()
        details = json.loads(entry.details)
    assert (entry.actor, entry.subject) == ("gate:G-1", "HW-1")
    assert details["permit_state"]["status"] == "active" and details["via"] == "permit_code"
