"""An automatic stop goes out as its alarm is judged, and its claim follows (``StopWorkService.stop``
with ``send_first``, issue 20): a claim that waits on the database never holds the stop back, a
cause another console claimed first is still stopped and recorded once, and a person's stop of a
cause already claimed is not sent again. Against a real Mosquitto and a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from cockpit.db_records import StopClaims
from connectors.database import Database
from models.audit import verify_chain
from models.schema import AuditEntry, Command, Permit
from tests.cockpit.test_stop_work_loop import OPERATOR, Console, make_config, reading, stops
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until

pytestmark = pytest.mark.broker


@pytest.fixture
def field(broker: MosquittoProcess) -> Iterator[PahoPeer]:
    peer = PahoPeer(broker.url, "field-gateway")
    peer.subscribe("plant/+/+/cmd/#")
    yield peer
    peer.close()


def test_an_automatic_stop_is_on_the_wire_while_its_claim_waits(
    broker: MosquittoProcess,
    db: Database,
    field: PahoPeer,
) -> None:
    """The claim is held until the field has the command (or 10 s): with the claim first, the field
    would never have it in that time."""
    console = Console(make_config(broker), db, "c1")
    claims = console.core.stopwork.claims
    claim = claims.claim
    on_wire_during_claim: list[bool] = []

    def slow_claim(body: dict[str, Any]) -> bool | None:
        on_wire_during_claim.append(wait_until(lambda: len(stops(field)) == 1, 10))
        return claim(body)

    claims.claim = slow_claim  # type: ignore[method-assign]
    try:
        field.publish("plant/S1/A1/sensor/GD-1", reading(31.0), qos=1)
        assert wait_until(lambda: on_wire_during_claim, 15)
        assert on_wire_during_claim == [True]
        command_id = stops(field)[0]["command_id"]

        def claimed_and_recorded() -> bool:
            with db.session() as s:
                issued = s.scalar(
                    select(func.count()).where(
                        AuditEntry.action == "stop_work.issued", AuditEntry.subject == "S1/A1"
                    )
                )
                return s.get(Command, command_id) is not None and issued == 1

        assert wait_until(claimed_and_recorded, 10)
    finally:
        console.close()


def test_a_cause_another_console_claimed_first_is_still_stopped_and_recorded_once(
    broker: MosquittoProcess,
    db: Database,
    field: PahoPeer,
) -> None:
    """The rare race: another console's claim on the same cause lands just before this holder's. The
    command is already on the wire (once, from here); the record is whole and single: one row, one
    "stop_work.issued", the permit suspended, the chain intact."""
    console = Console(make_config(broker), db, "c1")
    other = StopClaims(db, wait_s=5)
    claims = console.core.stopwork.claims
    claim = claims.claim
    answers: list[bool | None] = []

    def claimed_elsewhere_first(body: dict[str, Any]) -> bool | None:
        assert other.claim({**body, "console": "c2"}) is True
        answers.append(claim(body))
        return answers[-1]

    claims.claim = claimed_elsewhere_first  # type: ignore[method-assign]
    try:
        field.publish("plant/S1/A1/sensor/GD-1", reading(40.0), qos=1)
        assert wait_until(lambda: len(stops(field)) == 1, 10)
        # the field may have the command before the claim is answered (that is the point): wait for it
        assert wait_until(lambda: answers, 10)
        assert answers == [None]  # this console was told the cause is taken: it had sent it already
        command_id = stops(field)[0]["command_id"]

        def recorded() -> bool:
            with db.session() as s:
                permit = s.get(Permit, "HW-1")
                return permit is not None and permit.status.value == "suspended"

        assert wait_until(recorded, 10)
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Command)) == 1
            assert s.get(Command, command_id) is not None
            issued = s.scalars(select(AuditEntry).where(AuditEntry.action == "stop_work.issued")).all()
            assert len(issued) == 1 and command_id in issued[0].details
            assert verify_chain(s).ok
        assert len(stops(field)) == 1
    finally:
        other.close()
        console.close()


def test_a_persons_stop_of_a_cause_already_claimed_is_not_sent_again(
    broker: MosquittoProcess,
    db: Database,
    field: PahoPeer,
) -> None:
    """Two consoles on one database: the duty holder stops the area by itself; an operator on the
    other console then clicks stop on the same alarm. Its claim finds the cause taken: nothing more
    goes out (one command per cause, contract §7)."""
    one = Console(make_config(broker), db, "c1")
    two = Console(make_config(broker), db, "c2")
    try:
        field.publish("plant/S1/A1/sensor/GD-1", reading(40.0), qos=1)
        assert wait_until(lambda: len(stops(field)) == 1, 10)
        sent = stops(field)[0]
        alarm_id = sent["alarm_id"]
        assert wait_until(lambda: two.alarm(alarm_id) is not None, 5)

        def claimed() -> bool:  # a person reads the alarm first: the holder's claim is made by then
            with db.session() as s:
                return s.get(Command, sent["command_id"]) is not None

        assert wait_until(claimed, 5)
        view = two.core.stop_work(OPERATOR, "S1", "A1", "operator: LEL rising", alarm_id).result(10)
        assert view is None
        assert not wait_until(lambda: len(stops(field)) > 1, 1.0)
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Command)) == 1
    finally:
        one.close()
        two.close()
