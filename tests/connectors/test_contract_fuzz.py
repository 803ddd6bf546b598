"""Fuzzing the decoder: whatever a field system sends, it never raises, and everything it lets through
is exactly what the contract allows. Everything valid it generates must come through unchanged."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.contract import REJECTION_REASONS, ContractDecoder, ContractRejection, is_identifier
from connectors.own_topics import OWN_RECORDS, AlarmActionMessage, ConsoleCommand
from models.records import (
    CANONICAL_UNITS,
    CommandAck,
    DeviceStatus,
    PermitEvent,
    PermitRequest,
    Quality,
    Reading,
    SensorMessage,
    WorkerEvent,
)

RECEIVED = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
RECEIVED_MS = int(RECEIVED.timestamp() * 1000)
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DECODER = ContractDecoder()
FIELD_TYPES = (SensorMessage, DeviceStatus, WorkerEvent, PermitEvent, PermitRequest, CommandAck)

identifiers = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")
bad_identifiers = st.one_of(
    st.text(min_size=0, max_size=70),
    st.builds(
        lambda a, bad, b: a + bad + b,
        identifiers,
        st.sampled_from(["+", "#", " ", "\t", "é", "张", "\x00"]),
        st.text(alphabet="abc", max_size=3),
    ),
    st.just("x" * 65),
    st.sampled_from(["_x", ".x", "-x", ""]),
)
topic_forms = st.sampled_from(
    [
        "plant/{s}/{a}/sensor/{d}",
        "plant/{s}/{a}/device/{d}/status",
        "plant/{s}/{a}/worker/{d}/event",
        "plant/{s}/{a}/permit/{d}/event",
        "plant/{s}/{a}/permit/{d}/request",
        "plant/{s}/{a}/cmd/ack",
    ]
)
json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
json_trees = st.recursive(
    json_leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)
field_names = st.sampled_from(
    [
        "ts",
        "seq",
        "max_age_s",
        "readings",
        "state",
        "battery",
        "detail",
        "type",
        "permit",
        "role",
        "x",
        "y",
        "by",
        "gas_test",
        "grade",
        "urgent",
        "applicant",
        "contractor",
        "workers",
        "supervisor",
        "valid_from",
        "valid_to",
        "description",
        "prerequisites",
        "command_id",
        "status",
        "ch",
        "v",
        "u",
        "q",
    ]
)
ts_values = st.one_of(
    st.integers(min_value=RECEIVED_MS - 10 * 86_400_000, max_value=RECEIVED_MS + 3_600_000),
    st.integers(),
    st.sampled_from(
        [
            "2026-11-23T22:00:00+08:00",
            "2026-11-23T22:00:00",
            "2126-11-23T22:00:00Z",
            "1900-01-01T00:00:00Z",
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            "2026-13-40T25:61:61Z",
        ]
    ),
    st.floats(),
)


def valid_example(topic: str) -> dict[str, Any]:
    """A valid body for each field topic form, to be broken by the fuzzer."""
    if "/sensor/" in topic:
        return {"ts": RECEIVED_MS, "seq": 3, "readings": [{"ch": "LEL", "v": 1.5, "u": "%LEL"}]}
    if topic.endswith("/status"):
        return {"ts": RECEIVED_MS, "state": "online", "battery": 80}
    if "/worker/" in topic:
        return {"ts": RECEIVED_MS, "type": "checkin", "role": "supervisor", "permit": "HW-1", "x": 1.0}
    if topic.endswith("/event"):
        return {
            "ts": RECEIVED_MS,
            "type": "gas_test",
            "by": "W1",
            "gas_test": {"readings": [{"ch": "O2", "v": 20.9, "u": "%VOL"}]},
        }
    if topic.endswith("/request"):
        return {
            "ts": RECEIVED_MS,
            "type": "hot_work",
            "grade": "2",
            "applicant": "W1",
            "workers": ["W1"],
            "supervisor": "W2",
            "valid_from": "2026-11-23T22:00:00+08:00",
            "valid_to": "2026-11-24T06:00:00+08:00",
        }
    return {"command_id": "c-1", "ts": RECEIVED_MS, "status": "received"}


def check_result(topic: str, result: object) -> None:
    """The decoder's promise for any input."""
    if result is None:
        assert "/_cockpit/" in topic or topic.rsplit("/", 1)[-1] in {
            "state", "reply", "stop-work", "resume-work", "work-state"
        }  # fmt: skip
        return
    if isinstance(result, ContractRejection):
        assert result.reason in REJECTION_REASONS
        assert result.reason != "decoder_error", result.detail
        assert result.errors and result.errors[0].reason == result.reason
        assert len(result.excerpt) <= 200 and result.excerpt.isprintable()
        return
    if isinstance(result, OWN_RECORDS):
        check_own(result)
        return
    assert isinstance(result, FIELD_TYPES), result
    assert is_identifier(result.site) and is_identifier(result.area)
    assert result.ts.tzinfo is not None and result.ts.utcoffset() == timedelta(0)
    if isinstance(result, SensorMessage):
        check_readings(result.readings)
        assert result.seq is None or result.seq >= 0
        assert result.max_age_s is None or (math.isfinite(result.max_age_s) and result.max_age_s > 0)
    if isinstance(result, PermitEvent) and result.gas_test is not None:
        check_readings(result.gas_test.readings)
    if isinstance(result, WorkerEvent):
        assert all(c is None or math.isfinite(c) for c in (result.x, result.y))


def check_own(result: object) -> None:
    """A console's record: typed fields, times aware (any distance from the clock)."""
    if isinstance(result, AlarmActionMessage):
        action = result.action
        assert action.alarm_id.strip() and action.who.strip() and action.action_id.strip()
        assert action.ts.tzinfo is not None
        return
    assert result.ts.tzinfo is not None  # type: ignore[attr-defined]
    if isinstance(result, ConsoleCommand):
        assert result.command_id.strip() and len(result.command_id) <= 128
        assert all(isinstance(p, str) and p.strip() for p in result.permits)
        assert isinstance(result.auto, bool)


OWN_FORMS = [
    "plant/{s}/{a}/cmd/stop-work",
    "plant/{s}/{a}/cmd/resume-work",
    "plant/{s}/{a}/work-state",
    "plant/_cockpit/console/{d}/health",
    "plant/_cockpit/alarm-action",
]
own_field_names = st.sampled_from(
    ["ts", "command_id", "permits", "reason", "alarm_id", "issued_by", "auto", "ends", "state", "kind", "who",
     "action_id", "until", "console", "note"]
)  # fmt: skip


def valid_own_example(topic: str) -> dict[str, Any]:
    if topic.endswith(("/stop-work", "/resume-work")):
        return {"command_id": "c-1", "ts": RECEIVED_MS, "permits": ["HW-1"], "reason": "LEL", "alarm_id": "",
                "issued_by": "op.li", "auto": False}  # fmt: skip
    if topic.endswith("/work-state"):
        return {"ts": 0, "state": "stopped", "command_id": "c-1", "reason": "LEL"}
    if topic.endswith("/health"):
        return {"ts": RECEIVED_MS, "state": "online", "messages_in": 5}
    return {"kind": "ack", "alarm_id": "a", "who": "op.li", "ts": RECEIVED_MS, "note": "", "reason": "",
            "until": None, "console": "ccr-2", "action_id": "x1"}  # fmt: skip


@FUZZ
@given(form=st.sampled_from(OWN_FORMS), field=st.one_of(own_field_names, field_names),
       value=st.one_of(json_trees, ts_values), payload=st.binary(max_size=200))  # fmt: skip
def test_own_topics_decode_or_reject_cleanly(form: str, field: str, value: Any, payload: bytes) -> None:
    topic = form.format(s="S1", a="A1", d="ccr-2")
    check_result(topic, DECODER.decode(topic, payload, RECEIVED))
    body = valid_own_example(topic)
    assert isinstance(DECODER.decode(topic, json.dumps(body).encode(), RECEIVED), OWN_RECORDS)
    body[field] = value
    result = DECODER.decode(topic, json.dumps(body, allow_nan=True).encode(), RECEIVED)
    check_result(topic, result)
    if isinstance(value, float) and not math.isfinite(value):
        assert isinstance(result, ContractRejection) and result.reason == "non_finite"


def check_readings(readings: tuple[Reading, ...]) -> None:
    assert 1 <= len(readings) <= 64
    for reading in readings:
        assert type(reading.value) is float and math.isfinite(reading.value)
        assert reading.unit == CANONICAL_UNITS.get(reading.ch, reading.unit)
        assert reading.ch.upper() not in CANONICAL_UNITS or reading.ch in CANONICAL_UNITS
        assert isinstance(reading.quality, Quality)


@FUZZ
@given(topic=st.one_of(st.text(max_size=80), topic_forms.map(lambda f: f.format(s="S1", a="A1", d="D1"))),
       payload=st.binary(max_size=300))  # fmt: skip
def test_random_bytes_never_raise(topic: str, payload: bytes) -> None:
    check_result(topic, DECODER.decode(topic, payload, RECEIVED))


@FUZZ
@given(form=topic_forms, tree=json_trees)
def test_random_json_trees_never_raise(form: str, tree: Any) -> None:
    topic = form.format(s="S1", a="A1", d="D1")
    payload = json.dumps(tree, allow_nan=True).encode()
    result = DECODER.decode(topic, payload, RECEIVED)
    check_result(topic, result)
    if not isinstance(tree, dict):
        assert isinstance(result, ContractRejection) and result.reason in {"not_object", "non_finite"}


@FUZZ
@given(form=topic_forms, field=field_names, value=st.one_of(json_trees, ts_values), nested=st.booleans())
def test_a_valid_message_with_one_field_replaced_is_accepted_or_rejected_cleanly(
    form: str, field: str, value: Any, nested: bool
) -> None:
    topic = form.format(s="S1", a="A1", d="D1")
    body = valid_example(topic)
    if nested and "readings" in body:
        body["readings"][0][field] = value
    elif nested and "gas_test" in body:
        body["gas_test"]["readings"][0][field] = value
    else:
        body[field] = value
    payload = json.dumps(body, allow_nan=True).encode()
    result = DECODER.decode(topic, payload, RECEIVED)
    check_result(topic, result)
    if isinstance(value, float) and not math.isfinite(value) and field in body:
        assert isinstance(result, ContractRejection) and result.reason == "non_finite"


@FUZZ
@given(
    form=topic_forms,
    site=st.one_of(identifiers, bad_identifiers),
    area=st.one_of(identifiers, bad_identifiers),
    device=st.one_of(identifiers, bad_identifiers),
)
def test_identifiers_in_topics_follow_the_pattern(form: str, site: str, area: str, device: str) -> None:
    topic = form.format(s=site, a=area, d=device)
    result = DECODER.decode(topic, json.dumps(valid_example(topic)).encode(), RECEIVED)
    check_result(topic, result)
    used = [site, area] + ([] if topic.endswith("/cmd/ack") else [device])
    if site == "_cockpit":
        return
    if all(is_identifier(part) and "/" not in part for part in used):
        assert isinstance(result, FIELD_TYPES), result
    elif all("/" not in part for part in used):
        assert isinstance(result, ContractRejection) and result.reason == "bad_identifier"


@FUZZ
@given(
    ts=ts_values,
    readings=st.integers(min_value=0, max_value=200),
    unit=st.sampled_from(["%LEL", "ppm", "%VOL", "C", "m/s", "", "mg/m3"]),
    ch=st.sampled_from([*CANONICAL_UNITS, "VOC", "lel", "o2"]),
    pad=st.integers(min_value=0, max_value=70_000),
)
def test_sizes_units_and_times(ts: Any, readings: int, unit: str, ch: str, pad: int) -> None:
    body = {"ts": ts, "readings": [{"ch": ch, "v": 1.0, "u": unit}] * readings, "pad": "x" * pad}
    payload = json.dumps(body, allow_nan=True).encode()
    result = DECODER.decode("plant/S1/A1/sensor/D1", payload, RECEIVED)
    check_result("plant/S1/A1/sensor/D1", result)
    if len(payload) > 65536:
        assert isinstance(result, ContractRejection) and result.reason == "too_large"
    elif isinstance(result, SensorMessage):
        assert 1 <= readings <= 64
        assert abs((result.ts - RECEIVED).total_seconds()) <= 7 * 86400
        assert result.ts - RECEIVED <= timedelta(seconds=300)


# ----------------------------------------------------------------------------- everything valid comes through
finite = st.floats(allow_nan=False, allow_infinity=False)
readings_st = st.lists(
    st.one_of(
        st.sampled_from(sorted(CANONICAL_UNITS)).map(lambda ch: (ch, CANONICAL_UNITS[ch])),
        st.tuples(
            st.from_regex(r"\A[A-Za-z][A-Za-z0-9_ ]{0,20}\Z").filter(
                lambda c: c.upper() not in CANONICAL_UNITS
            ),
            st.sampled_from(["ppb", "mg/m3", "%", "dB(A)"]),
        ),
    ).flatmap(
        lambda cu: st.tuples(
            st.just(cu[0]),
            st.one_of(finite, st.integers(-(10**6), 10**6)),
            st.just(cu[1]),
            st.sampled_from([None, "good", "uncertain", "bad"]),
        )
    ),
    min_size=1,
    max_size=64,
)


@FUZZ
@given(
    site=identifiers,
    area=identifiers,
    device=identifiers,
    offset_ms=st.integers(min_value=-7 * 86_400_000 + 1000, max_value=299_000),
    as_string=st.booleans(),
    readings=readings_st,
    seq=st.one_of(st.none(), st.integers(min_value=0, max_value=2**63)),
    max_age=st.one_of(st.none(), st.floats(min_value=0.001, max_value=1e6), st.integers(1, 3600)),
)
def test_every_valid_sensor_message_is_accepted_unchanged(
    *,
    site: str,
    area: str,
    device: str,
    offset_ms: int,
    as_string: bool,
    readings: list[tuple[str, float, str, str | None]],
    seq: int | None,
    max_age: float | None,
) -> None:
    ts_ms = RECEIVED_MS + offset_ms
    ts = datetime.fromtimestamp(ts_ms / 1000, UTC)
    body: dict[str, Any] = {
        "ts": ts.astimezone(UTC).isoformat().replace("+00:00", "Z") if as_string else ts_ms,
        "readings": [
            {"ch": ch, "v": v, "u": u, **({} if q is None else {"q": q})} for ch, v, u, q in readings
        ],
    }
    if seq is not None:
        body["seq"] = seq
    if max_age is not None:
        body["max_age_s"] = max_age
    topic = f"plant/{site}/{area}/sensor/{device}"
    result = DECODER.decode(topic, json.dumps(body).encode(), RECEIVED)
    assert result == SensorMessage(
        site,
        area,
        device,
        ts,
        tuple(Reading(ch, float(v), u, Quality(q or "good")) for ch, v, u, q in readings),
        seq,
        None if max_age is None else float(max_age),
    )
