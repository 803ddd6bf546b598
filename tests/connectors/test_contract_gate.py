"""The field gate's request and reply on the wire (issue 17, part 6): strict like the rest of the contract."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from connectors.contract import ContractDecoder, ContractRejection
from connectors.contract_replies import encode_gate_reply, rejection_reply
from models.records import GateRequest, WorkerEvent, WorkerEventType

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TOPIC = "plant/S1/A1/gate/G-1/request"


@pytest.fixture
def decoder() -> ContractDecoder:
    return ContractDecoder()


def dumps(body: object) -> bytes:
    return json.dumps(body).encode()


def test_a_badge_request_decodes_to_a_gate_request(decoder: ContractDecoder) -> None:
    body = {"ts": 1795420800000, "request_id": "r-1", "badge": "W-1", "permit": "HW-1"}
    msg = decoder.decode(TOPIC, dumps(body), NOW)
    assert msg == GateRequest("S1", "A1", "G-1", NOW, "r-1", "W-1", "HW-1")


def test_a_safety_code_request_without_a_permit(decoder: ContractDecoder) -> None:
    body = {"ts": "2026-11-23T16:00:00+08:00", "request_id": "r-2", "safety_code": "W-2"}
    msg = decoder.decode(TOPIC, dumps(body), NOW)
    assert isinstance(msg, GateRequest)
    assert (msg.worker, msg.permit, msg.via) == ("W-2", None, "safety_code")


@pytest.mark.parametrize(
    ("body", "reason", "field"),
    [
        ({"ts": 1795420800000, "badge": "W-1"}, "missing_field", "request_id"),
        ({"ts": 1795420800000, "request_id": "r", "permit": "HW-1"}, "missing_field", "badge"),
        ({"ts": 1795420800000, "request_id": "r", "badge": "W 1"}, "bad_identifier", "badge"),
        ({"ts": 1795420800000, "request_id": "r", "badge": 7}, "wrong_type", "badge"),
        ({"ts": 1795420800000, "request_id": "r" * 129, "badge": "W-1"}, "bad_value", "request_id"),
        ({"request_id": "r", "badge": "W-1"}, "missing_field", "ts"),
        (
            {"ts": 1795420800000, "request_id": "r", "badge": "W-1", "permit": "a/b"},
            "bad_identifier",
            "permit",
        ),
    ],
)
def test_a_malformed_request_is_a_rejection_with_somewhere_to_answer(
    decoder: ContractDecoder, body: dict[str, object], reason: str, field: str
) -> None:
    rejected = decoder.decode(TOPIC, dumps(body), NOW)
    assert isinstance(rejected, ContractRejection)
    assert (rejected.reason, rejected.errors[0].field) == (reason, field)
    assert rejected.reply_to is not None
    assert rejected.reply_to.topic == "plant/S1/A1/gate/G-1/reply"
    answer = json.loads(rejection_reply(rejected, NOW))
    assert answer["allowed"] is False
    assert answer["reasons"][0]["code"] == "malformed_request"
    assert answer["reasons"][0]["params"] == {"field": field, "error": reason}
    # The request id comes back when it could be read, so the gate can match the answer.
    expected = body["request_id"] if body.get("request_id") == "r" else None
    assert answer["request_id"] == expected


def test_not_json_is_answered_too_and_the_reply_topic_is_never_read(decoder: ContractDecoder) -> None:
    rejected = decoder.decode(TOPIC, b"{badge", NOW)
    assert isinstance(rejected, ContractRejection) and rejected.reason == "not_json"
    assert json.loads(rejection_reply(rejected, NOW))["request_id"] is None
    assert decoder.decode("plant/S1/A1/gate/G-1/reply", dumps({"allowed": True}), NOW) is None
    bad_gate = decoder.decode("plant/S1/A1/gate/G+1/request", dumps({}), NOW)
    assert isinstance(bad_gate, ContractRejection) and bad_gate.reply_to is None


def test_entry_and_exit_are_worker_events(decoder: ContractDecoder) -> None:
    for kind in ("entry", "exit"):
        msg = decoder.decode("plant/S1/A1/worker/W-1/event", dumps({"ts": 1795420800000, "type": kind}), NOW)
        assert isinstance(msg, WorkerEvent) and msg.type is WorkerEventType(kind)


def test_the_reply_lists_every_reason_with_code_params_and_message() -> None:
    reasons = [
        ("admission_exam_missing", {"worker": "W-1"}, "worker W-1 has not passed the admission exam"),
        ("area_stopped", {"area": "S1/A1"}, "work in area S1/A1 is stopped"),
    ]
    answer = json.loads(encode_gate_reply("r-1", "W-1", False, reasons, NOW))
    assert answer == {
        "ts": 1795420800000,
        "request_id": "r-1",
        "worker": "W-1",
        "allowed": False,
        "reasons": [{"code": c, "params": p, "message": m} for c, p, m in reasons],
    }
