# ruff: noqa: E501  (the table of broken messages reads best one case a line)
"""The field contract, example by example: what a field system sends per the page decodes to the
right record, and every way of breaking the page is turned away with its documented reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from connectors.contract import (
    REJECTION_REASONS,
    ContractDecoder,
    ContractRejection,
    excerpt,
)
from connectors.contract_fields import FieldError
from connectors.contract_replies import encode_reply, epoch_ms
from models.errors import UserError
from models.records import (
    AckStatus,
    CommandAck,
    DeviceState,
    DeviceStatus,
    HotWorkGrade,
    PermitEvent,
    PermitEventType,
    PermitRequest,
    PermitType,
    Quality,
    Reading,
    SensorMessage,
    WorkerEvent,
    WorkerEventType,
)

TS = 1763884800123
RECEIVED = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=TS + 333)
CST = timezone(timedelta(hours=8))

# The payloads of the contract page, verbatim.
SENSOR = (
    b'{"ts": 1763884800123, "seq": 1842, "max_age_s": 10,\n'
    b' "readings": [{"ch": "LEL", "v": 3.5, "u": "%LEL"},\n'
    b'              {"ch": "H2S", "v": 0.0, "u": "ppm"},\n'
    b'              {"ch": "O2",  "v": 20.9, "u": "%VOL"},\n'
    b'              {"ch": "CO",  "v": 2,   "u": "ppm", "q": "uncertain"}]}'
)
STATUS = b'{"ts": 1763884800123, "state": "online", "battery": 87, "detail": ""}'
WORKER = (
    b'{"ts": 1763884800123, "type": "man_down", "permit": "HW-20261123-007", "role": "worker", '
    b'"x": 120.5, "y": 48.0}'
)
PERMIT_EVENT = (
    b'{"ts": 1763884800123, "type": "gas_test", "by": "W-10023",\n'
    b' "gas_test": {"readings": [{"ch": "LEL", "v": 0.0, "u": "%LEL"}, '
    b'{"ch": "O2", "v": 20.8, "u": "%VOL"}]}}'
)
REQUEST = b"""{"ts": 1763884800123, "type": "hot_work", "grade": "1", "urgent": true,
 "applicant": "W-10023", "contractor": "C-0042", "workers": ["W-10023", "W-10031"], "supervisor": "W-20007",
 "valid_from": "2026-11-23T22:00:00+08:00", "valid_to": "2026-11-24T06:00:00+08:00",
 "description": "Replace flange gasket on line P-301",
 "prerequisites": {"jsa": true, "isolation": true, "gas_test": false}}"""
ACK = b'{"command_id": "6f1c\xe2\x80\xa6", "ts": 1763884801200, "status": "executed", "by": "GW-07", "detail": ""}'


@pytest.fixture
def decoder() -> ContractDecoder:
    return ContractDecoder()


def sensor_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"ts": TS, "readings": [{"ch": "LEL", "v": 3.5, "u": "%LEL"}]}
    body.update(overrides)
    return body


def request_body(**overrides: Any) -> dict[str, Any]:
    body = json.loads(REQUEST)
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def dumps(body: Any) -> bytes:
    return json.dumps(body).encode()


# ----------------------------------------------------------------------------- the page's examples
def test_readings_example_decodes_to_a_sensor_message(decoder: ContractDecoder) -> None:
    msg = decoder.decode("plant/S1/A-03/sensor/GD-0042", SENSOR, RECEIVED)
    assert msg == SensorMessage(
        site="S1",
        area="A-03",
        device="GD-0042",
        ts=datetime(2025, 11, 23, 8, 0, 0, 123000, tzinfo=UTC),
        readings=(
            Reading("LEL", 3.5, "%LEL", Quality.GOOD),
            Reading("H2S", 0.0, "ppm", Quality.GOOD),
            Reading("O2", 20.9, "%VOL", Quality.GOOD),
            Reading("CO", 2.0, "ppm", Quality.UNCERTAIN),
        ),
        seq=1842,
        max_age_s=10.0,
    )
    assert isinstance(msg.readings[3].value, float)


def test_status_example_decodes(decoder: ContractDecoder) -> None:
    msg = decoder.decode("plant/S1/A-03/device/GD-0042/status", STATUS, RECEIVED)
    assert msg == DeviceStatus("S1", "A-03", "GD-0042", msg.ts, DeviceState.ONLINE, 87.0, "")
    assert msg.ts == datetime.fromtimestamp(TS / 1000, UTC)


def test_worker_event_example_decodes(decoder: ContractDecoder) -> None:
    msg = decoder.decode("plant/S1/A-03/worker/W-10023/event", WORKER, RECEIVED)
    assert isinstance(msg, WorkerEvent)
    assert (msg.worker, msg.type, msg.permit, msg.role, msg.x, msg.y) == (
        "W-10023",
        WorkerEventType.MAN_DOWN,
        "HW-20261123-007",
        "worker",
        120.5,
        48.0,
    )


def test_permit_gas_test_example_decodes_with_its_readings(decoder: ContractDecoder) -> None:
    msg = decoder.decode("plant/S1/A-03/permit/HW-20261123-007/event", PERMIT_EVENT, RECEIVED)
    assert isinstance(msg, PermitEvent)
    assert (msg.permit, msg.type, msg.by) == ("HW-20261123-007", PermitEventType.GAS_TEST, "W-10023")
    assert msg.gas_test is not None
    assert msg.gas_test.readings == (Reading("LEL", 0.0, "%LEL"), Reading("O2", 20.8, "%VOL"))


def test_permit_request_example_decodes(decoder: ContractDecoder) -> None:
    msg = decoder.decode("plant/S1/A-03/permit/HW-20261123-007/request", REQUEST, RECEIVED)
    assert isinstance(msg, PermitRequest)
    assert msg.type is PermitType.HOT_WORK and msg.grade is HotWorkGrade.GRADE_1
    assert msg.urgent is True
    assert msg.workers == ("W-10023", "W-10031")
    assert (msg.applicant, msg.supervisor, msg.contractor) == ("W-10023", "W-20007", "C-0042")
    assert msg.valid_from == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    assert msg.valid_to - msg.valid_from == timedelta(hours=8)
    assert msg.valid_from.tzinfo is UTC
    assert msg.prerequisites == {"jsa": True, "isolation": True, "gas_test": False}
    assert msg.description == "Replace flange gasket on line P-301"


def test_ack_example_decodes(decoder: ContractDecoder) -> None:
    msg = decoder.decode("plant/S1/A-03/cmd/ack", ACK, RECEIVED)
    assert msg == CommandAck(
        "S1", "A-03", "6f1c…", datetime.fromtimestamp(1763884801.2, UTC), AckStatus.EXECUTED, "GW-07", ""
    )


@pytest.mark.parametrize(
    "ts",
    [
        "2025-11-23T08:00:00.123Z",
        "2025-11-23T16:00:00.123+08:00",
        "2025-11-23t08:00:00.123z",
        "2025-11-23 03:00:00.123-05:00",
        "2025-11-23T08:00:00.123000000Z",
        TS,
    ],
)
def test_ts_in_both_forms_is_the_same_instant(decoder: ContractDecoder, ts: object) -> None:
    msg = decoder.decode("plant/S1/A1/sensor/D1", dumps(sensor_body(ts=ts)), RECEIVED)
    assert isinstance(msg, SensorMessage)
    assert msg.ts == datetime(2025, 11, 23, 8, 0, 0, 123000, tzinfo=UTC)
    assert msg.ts.utcoffset() == timedelta(0)


def test_optional_fields_default_and_unknown_fields_are_ignored(decoder: ContractDecoder) -> None:
    body = sensor_body(firmware="2.1", readings=[{"ch": "LEL", "v": 1, "u": "%LEL", "extra": [1, 2]}])
    msg = decoder.decode("plant/S1/A1/sensor/D1", dumps(body), RECEIVED)
    assert isinstance(msg, SensorMessage)
    assert msg.seq is None and msg.max_age_s is None
    assert msg.readings == (Reading("LEL", 1.0, "%LEL", Quality.GOOD),)


def test_null_optional_field_counts_as_absent(decoder: ContractDecoder) -> None:
    body = {"ts": TS, "state": "fault", "battery": None, "detail": None}
    msg = decoder.decode("plant/S1/A1/device/D1/status", dumps(body), RECEIVED)
    assert msg == DeviceStatus("S1", "A1", "D1", msg.ts, DeviceState.FAULT, None, "")


def test_other_channels_take_any_unit_and_known_ones_match_any_case(decoder: ContractDecoder) -> None:
    body = sensor_body(
        readings=[
            {"ch": "VOC", "v": 120, "u": "ppb"},
            {"ch": "lel", "v": 4.0, "u": "%LEL"},
            {"ch": "Temp", "v": 31.5, "u": "C"},
            {"ch": "WIND", "v": 8.2, "u": "m/s"},
        ]
    )
    msg = decoder.decode("plant/S1/A1/sensor/D1", dumps(body), RECEIVED)
    assert isinstance(msg, SensorMessage)
    assert [(r.ch, r.unit) for r in msg.readings] == [
        ("VOC", "ppb"),
        ("LEL", "%LEL"),
        ("TEMP", "C"),
        ("WIND", "m/s"),
    ]


def test_64_readings_are_accepted(decoder: ContractDecoder) -> None:
    body = sensor_body(readings=[{"ch": f"X{i}", "v": i, "u": "u"} for i in range(64)])
    msg = decoder.decode("plant/S1/A1/sensor/D1", dumps(body), RECEIVED)
    assert isinstance(msg, SensorMessage) and len(msg.readings) == 64


def test_status_from_an_old_last_will_is_accepted(decoder: ContractDecoder) -> None:
    """A will's ts is fixed at connect time; weeks later it is still the device's truth."""
    old = epoch_ms(RECEIVED - timedelta(days=40))
    msg = decoder.decode("plant/S1/A1/device/D1/status", dumps({"ts": old, "state": "offline"}), RECEIVED)
    assert isinstance(msg, DeviceStatus) and msg.state is DeviceState.OFFLINE


def test_utf8_bom_and_whitespace_around_the_object_are_accepted(decoder: ContractDecoder) -> None:
    payload = b"\xef\xbb\xbf \n" + dumps(sensor_body()) + b"\r\n "
    assert isinstance(decoder.decode("plant/S1/A1/sensor/D1", payload, RECEIVED), SensorMessage)


def test_custom_root_with_levels(decoder: ContractDecoder) -> None:
    custom = ContractDecoder("acme/refinery")
    assert isinstance(custom.decode("acme/refinery/S1/A1/sensor/D1", SENSOR, RECEIVED), SensorMessage)
    rejected = custom.decode("plant/S1/A1/sensor/D1", SENSOR, RECEIVED)
    assert isinstance(rejected, ContractRejection) and rejected.reason == "bad_topic"


@pytest.mark.parametrize("root", ["", "a/+", "#", "a//b", "/plant"])
def test_unusable_root_is_a_user_error(root: str) -> None:
    with pytest.raises(UserError, match="topic root"):
        ContractDecoder(root)


# ----------------------------------------------------------------------------- own topics
@pytest.mark.parametrize(
    "topic",
    [
        "plant/S1/A1/permit/HW-1/state",
        "plant/S1/A1/permit/HW-1/reply",
        "plant/_cockpit/alarms/ack/xyz",
    ],
)
def test_own_topics_no_console_reads_are_not_for_the_decoder(decoder: ContractDecoder, topic: str) -> None:
    """The cockpit's own §6/§5 output and a newer console's topics; the ones consoles read are in
    test_contract_own.py."""
    assert decoder.decode(topic, b"\x00 anything at all", RECEIVED) is None


# ----------------------------------------------------------------------------- every rejection reason
S = "plant/S1/A1/sensor/D1"
REQ = "plant/S1/A1/permit/HW-1/request"
CASES: list[tuple[str, str, bytes, str, str]] = [
    # (case, topic, payload, reason, field)
    ("too large", S, b"{" + b" " * 65536 + b"}", "too_large", "payload"),
    ("latin-1", S, '{"ts": 1, "d": "é"}'.encode("latin-1"), "not_utf8", "payload"),
    ("utf-16", S, '{"ts": 1}'.encode("utf-16"), "not_utf8", "payload"),
    ("truncated", S, b'{"ts": 1763884800123, "readings": [', "not_json", "payload"),
    ("trailing", S, dumps(sensor_body()) + b" x", "not_json", "payload"),
    ("empty", S, b"", "not_json", "payload"),
    ("nested deep", S, b"[" * 30000 + b"]" * 30000, "not_json", "payload"),
    ("huge int", S, b'{"ts": ' + b"9" * 5000 + b"}", "not_json", "payload"),
    ("array", S, b"[1, 2]", "not_object", "payload"),
    ("string", S, b'"hello"', "not_object", "payload"),
    ("null", S, b"null", "not_object", "payload"),
    ("nan literal", S, b'{"ts": 1763884800123, "readings": [{"ch": "LEL", "v": NaN, "u": "%LEL"}]}', "non_finite", "payload"),
    ("inf in unknown field", S, b'{"ts": 1763884800123, "junk": -Infinity, "readings": []}', "non_finite", "payload"),
    ("1e400", S, dumps(sensor_body()).replace(b"3.5", b"1e400"), "non_finite", "readings[0].v"),
    ("big int value", S, dumps(sensor_body(readings=[{"ch": "X", "v": 10**400, "u": "u"}])), "non_finite", "readings[0].v"),
    ("ts beyond 64 bits", S, dumps(sensor_body(ts=2**64)), "ts_out_of_range", "ts"),  # not wrong_type: an integer
    ("no root", "other/S1/A1/sensor/D1", dumps(sensor_body()), "bad_topic", "topic"),
    ("unknown kind", "plant/S1/A1/camera/D1", dumps(sensor_body()), "bad_topic", "topic"),
    ("too deep", "plant/S1/A1/sensor/D1/x", dumps(sensor_body()), "bad_topic", "topic"),
    ("bad cmd", "plant/S1/A1/cmd/reboot", dumps(sensor_body()), "bad_topic", "topic"),
    ("space in device", "plant/S1/A1/sensor/D 1", dumps(sensor_body()), "bad_identifier", "topic.device"),
    ("plus in area", "plant/S1/A+1/sensor/D1", dumps(sensor_body()), "bad_identifier", "topic.area"),
    ("leading dot", "plant/.S1/A1/sensor/D1", dumps(sensor_body()), "bad_identifier", "topic.site"),
    ("empty site", "plant//A1/sensor/D1", dumps(sensor_body()), "bad_identifier", "topic.site"),
    ("65 chars", "plant/S1/A1/sensor/" + "D" * 65, dumps(sensor_body()), "bad_identifier", "topic.device"),
    ("unicode id", "plant/S1/A1/worker/张三/event", b'{"ts": 1763884800123, "type": "sos"}', "bad_identifier", "topic.worker"),
    ("slash in ch", S, dumps(sensor_body(readings=[{"ch": "a/b", "v": 1, "u": "u"}])), "bad_identifier", "readings[0].ch"),
    ("permit field", "plant/S1/A1/worker/W1/event", dumps({"ts": TS, "type": "sos", "permit": "HW 1"}), "bad_identifier", "permit"),
    ("no ts", S, dumps({"readings": [{"ch": "LEL", "v": 1, "u": "%LEL"}]}), "missing_field", "ts"),
    ("null ts", S, dumps(sensor_body(ts=None)), "missing_field", "ts"),
    ("no readings field", S, dumps({"ts": TS}), "missing_field", "readings"),
    ("no v", S, dumps(sensor_body(readings=[{"ch": "LEL", "u": "%LEL"}])), "missing_field", "readings[0].v"),
    ("no u", S, dumps(sensor_body(readings=[{"ch": "LEL", "v": 1}])), "missing_field", "readings[0].u"),
    ("no state", "plant/S1/A1/device/D1/status", dumps({"ts": TS}), "missing_field", "state"),
    ("no by", "plant/S1/A1/permit/P1/event", dumps({"ts": TS, "type": "started"}), "missing_field", "by"),
    ("no gas_test", "plant/S1/A1/permit/P1/event", dumps({"ts": TS, "type": "gas_test", "by": "W1"}), "missing_field", "gas_test"),
    ("no command_id", "plant/S1/A1/cmd/ack", dumps({"ts": TS, "status": "received"}), "missing_field", "command_id"),
    ("bool ts", S, dumps(sensor_body(ts=True)), "wrong_type", "ts"),
    ("float ts", S, dumps(sensor_body(ts=float(TS))), "wrong_type", "ts"),
    ("string v", S, dumps(sensor_body(readings=[{"ch": "LEL", "v": "3.5", "u": "%LEL"}])), "wrong_type", "readings[0].v"),
    ("bool v", S, dumps(sensor_body(readings=[{"ch": "LEL", "v": True, "u": "%LEL"}])), "wrong_type", "readings[0].v"),
    ("readings object", S, dumps(sensor_body(readings={"ch": "LEL"})), "wrong_type", "readings"),
    ("reading not object", S, dumps(sensor_body(readings=[3.5])), "wrong_type", "readings[0]"),
    ("list ch", S, dumps(sensor_body(readings=[{"ch": ["LEL"], "v": 1, "u": "%LEL"}])), "wrong_type", "readings[0].ch"),
    ("float seq", S, dumps(sensor_body(seq=1.0)), "wrong_type", "seq"),
    ("string x", "plant/S1/A1/worker/W1/event", dumps({"ts": TS, "type": "sos", "x": "1"}), "wrong_type", "x"),
    ("gas_test list", "plant/S1/A1/permit/P1/event", dumps({"ts": TS, "type": "gas_test", "by": "W1", "gas_test": []}), "wrong_type", "gas_test"),
    ("lone surrogate", "plant/S1/A1/cmd/ack", b'{"command_id": "\\ud800", "ts": 1763884800123, "status": "received"}', "wrong_type", "command_id"),
    ("lel in ppm", S, dumps(sensor_body(readings=[{"ch": "LEL", "v": 1, "u": "ppm"}])), "bad_unit", "readings[0].u"),
    ("h2s in mg/m3", S, dumps(sensor_body(readings=[{"ch": "H2S", "v": 1, "u": "mg/m3"}])), "bad_unit", "readings[0].u"),
    ("o2 in %", S, dumps(sensor_body(readings=[{"ch": "O2", "v": 20.9, "u": "%"}])), "bad_unit", "readings[0].u"),
    ("lowercase unit", S, dumps(sensor_body(readings=[{"ch": "LEL", "v": 1, "u": "%lel"}])), "bad_unit", "readings[0].u"),
    ("unknown ch blank unit", S, dumps(sensor_body(readings=[{"ch": "VOC", "v": 1, "u": " "}])), "bad_unit", "readings[0].u"),
    ("bad q", S, dumps(sensor_body(readings=[{"ch": "LEL", "v": 1, "u": "%LEL", "q": "ok"}])), "bad_enum", "readings[0].q"),
    ("bad state", "plant/S1/A1/device/D1/status", dumps({"ts": TS, "state": "sleeping"}), "bad_enum", "state"),
    ("bad worker type", "plant/S1/A1/worker/W1/event", dumps({"ts": TS, "type": "coffee"}), "bad_enum", "type"),
    ("bad role", "plant/S1/A1/worker/W1/event", dumps({"ts": TS, "type": "checkin", "role": "boss"}), "bad_enum", "role"),
    ("bad permit event", "plant/S1/A1/permit/P1/event", dumps({"ts": TS, "type": "approved", "by": "W1"}), "bad_enum", "type"),
    ("bad ack status", "plant/S1/A1/cmd/ack", dumps({"command_id": "c1", "ts": TS, "status": "done"}), "bad_enum", "status"),
    ("negative seq", S, dumps(sensor_body(seq=-1)), "bad_value", "seq"),
    ("zero max age", S, dumps(sensor_body(max_age_s=0)), "bad_value", "max_age_s"),
    ("empty command id", "plant/S1/A1/cmd/ack", dumps({"command_id": "", "ts": TS, "status": "received"}), "bad_value", "command_id"),
    ("naive ts", S, dumps(sensor_body(ts="2025-11-23T08:00:00")), "bad_ts", "ts"),
    ("date only", S, dumps(sensor_body(ts="2025-11-23")), "bad_ts", "ts"),
    ("no such day", S, dumps(sensor_body(ts="2025-02-30T08:00:00Z")), "bad_ts", "ts"),
    ("arabic digits", S, dumps(sensor_body(ts="٢٠٢٥-11-23T08:00:00Z")), "bad_ts", "ts"),
    ("future", S, dumps(sensor_body(ts=TS + 301_000)), "ts_out_of_range", "ts"),
    ("past", S, dumps(sensor_body(ts=TS - 8 * 86_400_000)), "ts_out_of_range", "ts"),
    ("future string", S, dumps(sensor_body(ts="2035-01-01T00:00:00Z")), "ts_out_of_range", "ts"),
    ("far future status", "plant/S1/A1/device/D1/status", dumps({"ts": 10**15, "state": "online"}), "ts_out_of_range", "ts"),
    ("65 readings", S, dumps(sensor_body(readings=[{"ch": "X", "v": 1, "u": "u"}] * 65)), "too_many_readings", "readings"),
    ("empty readings", S, dumps(sensor_body(readings=[])), "no_readings", "readings"),
    ("empty gas test", "plant/S1/A1/permit/P1/event", dumps({"ts": TS, "type": "gas_test", "by": "W1", "gas_test": {"readings": []}}), "no_readings", "gas_test.readings"),
    ("gas test unit", "plant/S1/A1/permit/P1/event", dumps({"ts": TS, "type": "gas_test", "by": "W1", "gas_test": {"readings": [{"ch": "CO", "v": 1, "u": "%VOL"}]}}), "bad_unit", "gas_test.readings[0].u"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_broken_message_is_rejected_with_its_reason_and_field(
    decoder: ContractDecoder, case: tuple[str, str, bytes, str, str]
) -> None:
    _, topic, payload, reason, field = case
    result = decoder.decode(topic, payload, RECEIVED)
    assert isinstance(result, ContractRejection), result
    assert (result.reason, result.errors[0].field) == (reason, field), result.detail
    assert result.topic == topic
    assert result.received_at == RECEIVED
    assert field in result.detail or not field
    assert len(result.excerpt) <= 200 and result.excerpt.isprintable()


def test_every_documented_reason_except_the_bug_marker_has_a_case() -> None:
    covered = {case[3] for case in CASES}
    assert covered == set(REJECTION_REASONS) - {"decoder_error"}


def test_rejection_detail_is_readable(decoder: ContractDecoder) -> None:
    body = sensor_body(readings=[{"ch": "LEL", "v": 1, "u": "%LEL"}, {"ch": "H2S", "v": 1, "u": "mg/m3"}])
    result = decoder.decode(S, dumps(body), RECEIVED)
    assert isinstance(result, ContractRejection)
    assert result.detail == "readings[1].u: H2S must be in ppm, not 'mg/m3' (values are never converted)"


def test_a_single_bad_reading_rejects_the_whole_message(decoder: ContractDecoder) -> None:
    body = sensor_body(readings=[{"ch": "LEL", "v": 3, "u": "%LEL"}, {"ch": "O2", "v": 20.9, "u": "%LEL"}])
    assert isinstance(decoder.decode(S, dumps(body), RECEIVED), ContractRejection)


def test_checked_reading_shapes_are_still_checked_for_values(decoder: ContractDecoder) -> None:
    """The fast path for a known (ch, u, q) must not let a bad value or a different unit through."""
    assert isinstance(decoder.decode(S, dumps(sensor_body()), RECEIVED), SensorMessage)
    for reading in (
        {"ch": "LEL", "v": "3.5", "u": "%LEL"},
        {"ch": "LEL", "v": None, "u": "%LEL"},
        {"ch": "LEL", "v": 3.5, "u": "ppm"},
        {"ch": "LEL", "v": 3.5, "u": "%LEL", "q": "maybe"},
    ):
        result = decoder.decode(S, dumps(sensor_body(readings=[reading])), RECEIVED)
        assert isinstance(result, ContractRejection), reading
    payload = b'{"ts": 1763884800123, "readings": [{"ch": "LEL", "v": Infinity, "u": "%LEL"}]}'
    assert decoder.decode(S, payload, RECEIVED).reason == "non_finite"  # type: ignore[union-attr]


def test_leap_second_is_read_as_the_end_of_the_minute(decoder: ContractDecoder) -> None:
    body = request_body(valid_to="2026-12-31T23:59:60Z")
    msg = decoder.decode(REQ, dumps(body), RECEIVED)
    assert isinstance(msg, PermitRequest)
    assert msg.valid_to == datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


# ----------------------------------------------------------------------------- §5 requests and their reply
def test_rejected_request_carries_where_to_reply_and_every_error(decoder: ContractDecoder) -> None:
    body = request_body(grade="3", workers=[], valid_to="tomorrow", urgent="yes", supervisor=None)
    result = decoder.decode(REQ, dumps(body), RECEIVED)
    assert isinstance(result, ContractRejection)
    assert result.reply_to is not None
    assert (result.reply_to.site, result.reply_to.area, result.reply_to.permit) == ("S1", "A1", "HW-1")
    assert result.reply_to.topic == "plant/S1/A1/permit/HW-1/reply"
    assert [(e.field, e.reason) for e in result.errors] == [
        ("grade", "bad_enum"),
        ("supervisor", "missing_field"),
        ("workers", "bad_value"),
        ("valid_to", "bad_ts"),
        ("urgent", "wrong_type"),
    ]
    assert result.reason == "bad_enum"
    assert "(and 4 more)" in result.detail


def test_request_that_is_not_json_still_gets_a_reply_target(decoder: ContractDecoder) -> None:
    result = decoder.decode(REQ, b"{oops", RECEIVED)
    assert isinstance(result, ContractRejection) and result.reason == "not_json"
    assert result.reply_to is not None and result.reply_to.permit == "HW-1"


def test_request_on_a_bad_topic_has_no_reply_target(decoder: ContractDecoder) -> None:
    result = decoder.decode("plant/S1/A1/permit/HW 1/request", REQUEST, RECEIVED)
    assert isinstance(result, ContractRejection) and result.reason == "bad_identifier"
    assert result.reply_to is None


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"grade": None}, "grade", "missing_field"),
        ({"grade": 1}, "grade", "wrong_type"),
        ({"type": "welding"}, "type", "bad_enum"),
        ({"workers": ["W-1", "W 2"]}, "workers[1]", "bad_identifier"),
        ({"workers": "W-1"}, "workers", "wrong_type"),
        ({"valid_from": "2026-11-23T22:00:00"}, "valid_from", "bad_ts"),
        ({"valid_from": 1763884800123}, "valid_from", "wrong_type"),
        ({"valid_to": "2026-11-23T21:00:00+08:00"}, "valid_to", "bad_value"),
        ({"prerequisites": {"jsa": "yes"}}, "prerequisites.jsa", "wrong_type"),
        ({"prerequisites": [True]}, "prerequisites", "wrong_type"),
        ({"contractor": "C 42"}, "contractor", "bad_identifier"),
        ({"applicant": 10023}, "applicant", "wrong_type"),
        ({"description": 5}, "description", "wrong_type"),
    ],
)
def test_request_field_errors(
    decoder: ContractDecoder, overrides: dict[str, Any], field: str, reason: str
) -> None:
    body = request_body()
    for key, value in overrides.items():
        if value is None:
            body.pop(key)
        else:
            body[key] = value
    result = decoder.decode(REQ, dumps(body), RECEIVED)
    assert isinstance(result, ContractRejection)
    assert [(e.field, e.reason) for e in result.errors] == [(field, reason)]


def test_grade_only_matters_for_hot_work(decoder: ContractDecoder) -> None:
    body = request_body(type="confined_space", grade="7")
    msg = decoder.decode(REQ, dumps(body), RECEIVED)
    assert isinstance(msg, PermitRequest) and msg.grade is None and msg.type is PermitType.CONFINED_SPACE


def test_minimal_request_defaults(decoder: ContractDecoder) -> None:
    body = {
        "ts": TS,
        "type": "work_at_height",
        "applicant": "W1",
        "workers": ["W1"],
        "supervisor": "W2",
        "valid_from": "2026-11-23T08:00:00Z",
        "valid_to": "2026-11-24T08:00:00Z",
    }
    msg = decoder.decode(REQ, dumps(body), RECEIVED)
    assert isinstance(msg, PermitRequest)
    assert (msg.urgent, msg.contractor, msg.description, msg.prerequisites, msg.grade) == (
        False,
        None,
        "",
        {},
        None,
    )


def test_reply_payload_lists_the_errors(decoder: ContractDecoder) -> None:
    result = decoder.decode(REQ, dumps(request_body(grade="9")), RECEIVED)
    assert isinstance(result, ContractRejection)
    reply = json.loads(encode_reply(False, result.errors, RECEIVED))
    assert reply == {
        "ts": TS + 333,
        "accepted": False,
        "errors": [{"field": "grade", "code": "bad_enum", "message": "'9' is not one of: special, 1, 2"}],
        "warnings": [],
    }


def test_reply_payload_carries_warnings_beside_the_errors() -> None:
    warning = FieldError("workers[0]", "certificate expires in 5 days", "cert.expiring")
    reply = json.loads(encode_reply(True, [], RECEIVED, warnings=[warning]))
    assert reply["accepted"] is True and reply["errors"] == []
    assert reply["warnings"] == [
        {"field": "workers[0]", "code": "cert.expiring", "message": "certificate expires in 5 days"}
    ]


# ----------------------------------------------------------------------------- tolerances and helpers
def test_tolerances_are_configurable() -> None:
    strict = ContractDecoder(future_tolerance_s=1, past_tolerance_s=60)
    ahead = strict.decode(S, dumps(sensor_body(ts=TS + 5000)), RECEIVED)
    behind = strict.decode(S, dumps(sensor_body(ts=TS - 120_000)), RECEIVED)
    assert isinstance(ahead, ContractRejection) and ahead.reason == "ts_out_of_range"
    assert isinstance(behind, ContractRejection) and behind.reason == "ts_out_of_range"
    assert isinstance(strict.decode(S, dumps(sensor_body(ts=TS - 30_000)), RECEIVED), SensorMessage)


def test_max_payload_is_configurable() -> None:
    small = ContractDecoder(max_payload=100)
    assert small.decode(S, dumps(sensor_body(pad="x" * 100)), RECEIVED).reason == "too_large"  # type: ignore[union-attr]
    assert isinstance(small.decode(S, dumps(sensor_body()), RECEIVED), SensorMessage)


def test_payload_of_exactly_64_kib_is_accepted(decoder: ContractDecoder) -> None:
    payload = dumps(sensor_body(pad=""))
    payload = payload[:-1] + b" " * (65536 - len(payload)) + b"}"
    assert len(payload) == 65536
    assert isinstance(decoder.decode(S, payload, RECEIVED), SensorMessage)


def test_naive_received_at_is_a_programming_error(decoder: ContractDecoder) -> None:
    with pytest.raises(TypeError):
        decoder.decode(S, SENSOR, datetime(2025, 11, 23))


def test_excerpt_is_printable_and_short() -> None:
    text = excerpt(b"\x00\x01abc\n\xff" + b"x" * 500)
    assert len(text) == 200 and text.isprintable() and "abc" in text


def test_epoch_ms_round_trip() -> None:
    moment = datetime(2026, 11, 23, 22, 0, 0, 456000, tzinfo=CST)
    assert datetime.fromtimestamp(epoch_ms(moment) / 1000, UTC) == moment


def test_a_bug_inside_the_decoder_becomes_a_counted_rejection_not_a_crash(
    decoder: ContractDecoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise KeyError("oops")

    monkeypatch.setattr(decoder, "_sensor", broken)
    result = decoder.decode(S, SENSOR, RECEIVED)
    assert isinstance(result, ContractRejection)
    assert result.reason == "decoder_error" and "KeyError" in result.detail


def test_integers_beyond_64_bits_stay_integers() -> None:
    """The fast JSON parse turns such integers into floats; the decoder must still read them as the
    page's integers (a seq is an integer however large)."""
    msg = ContractDecoder().decode(S, dumps(sensor_body(seq=2**64 + 1)), RECEIVED)
    assert isinstance(msg, SensorMessage) and msg.seq == 2**64 + 1 and type(msg.seq) is int


def test_a_huge_integer_value_is_non_finite_on_every_message_not_only_the_first() -> None:
    decoder = ContractDecoder()
    ok = decoder.decode(S, dumps(sensor_body(readings=[{"ch": "X", "v": 1, "u": "u"}])), RECEIVED)
    assert isinstance(ok, SensorMessage)  # the (ch, u, q) combination is now known
    huge = decoder.decode(S, dumps(sensor_body(readings=[{"ch": "X", "v": 10**400, "u": "u"}])), RECEIVED)
    assert isinstance(huge, ContractRejection)
    assert (huge.reason, huge.errors[0].field) == ("non_finite", "readings[0].v")
