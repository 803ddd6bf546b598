"""Console sync: operator actions travel as JSON and apply once, in any order."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from models.alarms import ActionKind, AlarmEngine, AlarmState, OperatorAction
from models.errors import UserError
from models.limits import LimitResolver
from models.records import ChannelKey, Quality

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
LEL = ChannelKey("S1", "A1", "D1", "LEL")
AID = f"{LEL}:LEVEL"
S = AlarmState


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def new_engine() -> AlarmEngine:
    return AlarmEngine(LimitResolver(), clock=lambda: T0)


def alarm_at(engine: AlarmEngine, second: float) -> None:
    engine.process(LEL, 30.0, Quality.GOOD, at(second))


def wire(op: OperatorAction) -> OperatorAction:
    """What the other console receives: the action through JSON text."""
    return OperatorAction.from_dict(json.loads(json.dumps(op.to_dict())))


def test_operator_action_round_trips_through_json() -> None:
    op = OperatorAction(
        ActionKind.SHELVE, AID, "op.li", at(1.5), note="n", reason="nuisance", until=at(600), console="C2"
    )
    back = wire(op)
    assert back == op
    assert op.to_dict()["ts"] == 1_795_420_801_500  # epoch milliseconds, as in the MQTT contract
    assert len(op.action_id) == 32 and OperatorAction(ActionKind.ACK, AID, "x", T0).action_id != op.action_id


def test_operator_action_accepts_iso_times() -> None:
    op = OperatorAction.from_dict(
        {"kind": "ack", "alarm_id": AID, "who": "op", "ts": "2026-11-23T16:00:00+08:00", "action_id": "a1"}
    )
    assert op.ts == T0 and op.kind is ActionKind.ACK and op.until is None


@pytest.mark.parametrize(
    ("patch", "needle"),
    [
        ({"kind": "delete"}, "kind 'delete' is not one of"),
        ({"ts": "yesterday"}, "ts 'yesterday'"),
        ({"ts": "2026-11-23T08:00:00"}, "ISO time with zone"),
        ({"ts": True}, "ts True"),
        ({"who": ""}, "who is missing"),
        ({"alarm_id": 7}, "alarm_id must be text"),
        ({"action_id": " "}, "action_id is missing"),
        ({"until": "soon"}, "until 'soon'"),
    ],
)
def test_malformed_operator_action_is_a_user_error(patch: dict[str, object], needle: str) -> None:
    data = {"kind": "ack", "alarm_id": AID, "who": "op", "ts": 1_795_420_800_000, "action_id": "a1"} | patch
    with pytest.raises(UserError, match=needle):
        OperatorAction.from_dict(data)


def test_two_consoles_stay_in_step() -> None:
    a, b = new_engine(), new_engine()
    alarm_at(a, 0)
    alarm_at(b, 0)
    ack = OperatorAction(ActionKind.ACK, AID, "op.li", at(5), console="A")
    assert [t.to_state for t in a.apply(ack)] == [S.ACKED]
    [t] = b.apply_remote(wire(ack))
    assert (t.to_state, t.who) == (S.ACKED, "op.li")
    shelve = OperatorAction(
        ActionKind.SHELVE, AID, "op.li", at(6), reason="drift", until=at(606), console="A"
    )
    a.apply(shelve)
    b.apply_remote(wire(shelve))
    assert a.get(AID) == b.get(AID)
    assert [t.to_state for t in b.tick(at(606))] == [S.UNACK]


def test_the_same_remote_action_twice_is_one_transition() -> None:
    engine = new_engine()
    alarm_at(engine, 0)
    op = OperatorAction(ActionKind.ACK, AID, "op.li", at(5))
    assert len(engine.apply_remote(op)) == 1
    assert engine.apply_remote(wire(op)) == []
    # A new activation later is not acknowledged by a replay of the old message.
    engine.process(LEL, 1.0, Quality.GOOD, at(6))
    engine.process(LEL, 1.0, Quality.GOOD, at(11))
    alarm_at(engine, 20)
    assert engine.apply_remote(wire(op)) == []
    assert engine.get(AID).state is S.UNACK  # type: ignore[union-attr]


def test_own_action_echoed_back_by_the_broker_is_ignored() -> None:
    engine = new_engine()
    alarm_at(engine, 0)
    op = OperatorAction(ActionKind.ACK, AID, "op.li", at(5))
    engine.apply(op)
    engine.process(LEL, 1.0, Quality.GOOD, at(6))
    engine.process(LEL, 1.0, Quality.GOOD, at(11))
    assert engine.get(AID).state is S.NORMAL  # type: ignore[union-attr]
    assert engine.apply_remote(wire(op)) == []


def test_action_for_an_alarm_not_seen_yet_is_held_and_applied_when_it_appears() -> None:
    engine = new_engine()
    op = OperatorAction(ActionKind.ACK, AID, "op.li", at(5), console="B")
    assert engine.apply_remote(op) == []
    out = engine.process(LEL, 30.0, Quality.GOOD, at(4))  # the reading reaches us after the ack
    assert [(t.to_state, t.who) for t in out] == [(S.UNACK, ""), (S.ACKED, "op.li")]
    assert engine.get(AID).acked_by == "op.li"  # type: ignore[union-attr]


def test_held_acknowledgement_never_acknowledges_a_later_activation() -> None:
    engine = new_engine()
    engine.apply_remote(OperatorAction(ActionKind.ACK, AID, "op.li", at(5)))
    out = engine.process(LEL, 30.0, Quality.GOOD, at(9))  # activated after the click: not what was seen
    assert [t.to_state for t in out] == [S.UNACK]


def test_held_action_expires_after_remote_hold() -> None:
    engine = new_engine()
    engine.apply_remote(OperatorAction(ActionKind.ACK, AID, "op.li", at(5)))
    engine.tick(at(66))  # 61 s later: dropped
    assert [t.to_state for t in engine.process(LEL, 30.0, Quality.GOOD, at(4))] == [S.UNACK]


def test_held_shelve_applies_when_the_alarm_appears() -> None:
    engine = new_engine()
    op = OperatorAction(ActionKind.SHELVE, AID, "op.li", at(5), reason="drift", until=at(605))
    engine.apply_remote(op)
    out = engine.process(LEL, 30.0, Quality.GOOD, at(6))
    assert [t.to_state for t in out] == [S.UNACK, S.SHELVED]


def test_remote_shelve_without_reason_is_refused() -> None:
    engine = new_engine()
    alarm_at(engine, 0)
    with pytest.raises(UserError, match="a reason to shelve is required"):
        engine.apply_remote(OperatorAction(ActionKind.SHELVE, AID, "op", at(1), until=at(60)))
    with pytest.raises(UserError, match="without reason or end time"):
        engine.apply_remote(OperatorAction(ActionKind.SHELVE, "S9/x:LEVEL", "op", at(1), until=at(60)))


def test_remote_out_of_service_and_back() -> None:
    engine = new_engine()
    alarm_at(engine, 0)
    out_op = OperatorAction(ActionKind.OUT_OF_SERVICE, "S1/A1/D1", "tech.wu", at(1), reason="calibration")
    assert [t.to_state for t in engine.apply_remote(wire(out_op))] == [S.OUT_OF_SERVICE]
    assert engine.apply_remote(wire(out_op)) == []
    back = OperatorAction(ActionKind.IN_SERVICE, "S1/A1/D1", "tech.wu", at(2))
    assert [t.to_state for t in engine.apply_remote(wire(back))] == [S.UNACK]


def test_remote_unshelve() -> None:
    a, b = new_engine(), new_engine()
    for engine in (a, b):
        alarm_at(engine, 0)
        engine.shelve(AID, "op", "drift", at(600), ts=at(1))
    op = OperatorAction(ActionKind.UNSHELVE, AID, "op.wang", at(2))
    assert [t.to_state for t in a.apply(op)] == [S.UNACK]
    assert [t.to_state for t in b.apply_remote(wire(op))] == [S.UNACK]


def test_local_apply_of_unknown_alarm_is_a_user_error() -> None:
    with pytest.raises(UserError, match="no alarm"):
        new_engine().apply(OperatorAction(ActionKind.ACK, AID, "op", at(0)))
