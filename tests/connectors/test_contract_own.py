"""The consoles' own topics decode to typed records by the same rules as field messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from cockpit.wire import command_body, work_state_body
from connectors.contract import REJECTION_REASONS, ContractDecoder, ContractRejection
from connectors.own_topics import AlarmActionMessage, ConsoleCommand, ConsoleHealth, WorkStateMessage
from connectors.topics import Topics
from models.alarms import ActionKind, OperatorAction

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TOPICS = Topics("plant")


@pytest.fixture
def decoder() -> ContractDecoder:
    return ContractDecoder()


def dumps(body: object) -> bytes:
    return json.dumps(body).encode()


def test_a_stop_work_command_as_a_console_sends_it(decoder: ContractDecoder) -> None:
    body = command_body(
        command_id="c-1",
        ts=NOW,
        permits=["HW-1"],
        reason="LEL HIHI",
        alarm_id=None,
        issued_by="op.li",
        auto=True,
    )
    msg = decoder.decode(TOPICS.stop_work("S1", "A1"), dumps(body), NOW)
    assert msg == ConsoleCommand(
        "stop-work", "S1", "A1", "c-1", NOW, ("HW-1",), "LEL HIHI", None, "op.li", True, None
    )
    body = command_body(
        command_id="c-2", ts=NOW, permits=[], reason="ok", alarm_id="a", issued_by="x", auto=False, ends="c-1"
    )
    msg = decoder.decode(TOPICS.resume_work("S1", "A1"), dumps(body), NOW)
    assert isinstance(msg, ConsoleCommand) and msg.kind == "resume-work" and msg.ends == "c-1"
    assert msg.alarm_id == "a" and msg.permits == ()


def test_a_work_state_days_old_is_still_read(decoder: ContractDecoder) -> None:
    """Retained: its ts may be far behind the clock (field messages: at most 7 days)."""
    old = NOW - timedelta(days=30)
    body = work_state_body(ts=old, state="stopped", command_id="c-1", reason="LEL")
    msg = decoder.decode(TOPICS.work_state("S1", "A1"), dumps(body), NOW)
    assert msg == WorkStateMessage("S1", "A1", "stopped", "c-1", "LEL", old)


def test_health_and_the_will_of_a_console(decoder: ContractDecoder) -> None:
    will = decoder.decode(TOPICS.health("ccr-2"), b'{"ts": 0, "state": "offline"}', NOW)
    assert will == ConsoleHealth("ccr-2", "offline", datetime(1970, 1, 1, tzinfo=UTC))
    body = {"ts": 1763884800456, "state": "online", "messages_in": 3, "rejected_by_reason": {}}
    msg = decoder.decode(TOPICS.health("ccr-2"), dumps(body), NOW)
    assert isinstance(msg, ConsoleHealth) and msg.state == "online"


def test_an_alarm_action_round_trips(decoder: ContractDecoder) -> None:
    action = OperatorAction(
        kind=ActionKind.SHELVE,
        alarm_id="S1/A1/GD-1/LEL:LEVEL",
        who="op.li",
        ts=NOW,
        reason="sensor swap",
        until=NOW + timedelta(hours=1),
        console="ccr-2",
    )
    msg = decoder.decode(TOPICS.alarm_action(), dumps(action.to_dict()), NOW)
    assert msg == AlarmActionMessage(action)


@pytest.mark.parametrize(
    ("topic", "payload", "reason", "field"),
    [
        ("plant/S1/A1/cmd/stop-work", b"\x00 anything at all", "not_json", "payload"),
        ("plant/S1/A1/cmd/stop-work", b"[1]", "not_object", "payload"),
        ("plant/S1/A1/cmd/stop-work", b'{"ts": 1}', "missing_field", "command_id"),
        (
            "plant/S1/A1/cmd/stop-work",
            b'{"ts": 1, "command_id": "c", "permits": "HW-1"}',
            "wrong_type",
            "permits",
        ),
        ("plant/S1/A1/cmd/resume-work", b'{"ts": 1, "command_id": "c", "auto": "yes"}', "wrong_type", "auto"),
        ("plant/S1/A1/cmd/stop-work", b'{"ts": 1.5, "command_id": "c"}', "wrong_type", "ts"),
        ("plant/S1/A1/cmd/stop-work", b'{"ts": NaN, "command_id": "c"}', "non_finite", "payload"),
        ("plant/S1/A1/work-state", b'{"ts": 1, "state": "paused"}', "bad_enum", "state"),
        ("plant/S1/A1/work-state", b'{"ts": -1, "state": "normal"}', "ts_out_of_range", "ts"),
        ("plant/_cockpit/console/C1/health", b'{"ts": "yesterday", "state": "online"}', "bad_ts", "ts"),
        ("plant/_cockpit/alarm-action", b'{"kind": "smash", "ts": 1}', "bad_enum", "kind"),
        (
            "plant/_cockpit/alarm-action",
            b'{"kind": "ack", "ts": 1, "alarm_id": "a", "who": ""}',
            "bad_value",
            "who",
        ),
        ("plant/S 1/A1/cmd/stop-work", b"{}", "bad_identifier", "topic.site"),
        ("plant/_cockpit/console/C#1/health", b"{}", "bad_identifier", "topic.console"),
    ],
)
def test_a_malformed_own_message_is_a_rejection_never_a_crash(
    decoder: ContractDecoder, topic: str, payload: bytes, reason: str, field: str
) -> None:
    result = decoder.decode(topic, payload, NOW)
    assert isinstance(result, ContractRejection), result
    assert result.reason == reason and reason in REJECTION_REASONS
    assert result.errors[0].field == field and result.reply_to is None


def test_the_topic_table_gives_the_subscriptions_and_the_published_topics() -> None:
    assert TOPICS.field_subscriptions() == [("plant/#", 1)]  # what is off the forms is counted too
    assert TOPICS.permit_state("S1", "A1", "HW-1") == "plant/S1/A1/permit/HW-1/state"
    assert TOPICS.permit_reply("S1", "A1", "HW-1") == "plant/S1/A1/permit/HW-1/reply"
    assert TOPICS.health("ccr-1") == "plant/_cockpit/console/ccr-1/health"
    assert TOPICS.alarm_action() == "plant/_cockpit/alarm-action"
