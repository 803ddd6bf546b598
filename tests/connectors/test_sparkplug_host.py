"""The host's session rules on payloads built with the official protobuf (no broker): what a node must
do before its data counts, and what the host does when it does not."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.sparkplug import sparkplug_b_pb2 as pb
from connectors.sparkplug.codec import (
    MalformedPayload,
    decode_payload,
    encode_command,
    metric_value,
    parse_topic,
    rebirth_command,
)
from connectors.sparkplug.host import SparkplugHost, SpBirth, SpDeath, SpValue

N = "spBv1.0/G/{}/E1"
D = "spBv1.0/G/{}/E1/D1"
DOUBLE, INT8, BOOLEAN, STRING, INT64 = 10, 1, 11, 12, 4


def payload(seq: int | None, *metrics: dict[str, Any], ts: int = 1_000) -> bytes:
    message = pb.Payload()
    message.timestamp = ts
    if seq is not None:
        message.seq = seq
    for spec in metrics:
        m = message.metrics.add()
        for key in ("name", "alias", "datatype", "is_historical", "is_null", "timestamp"):
            if key in spec:
                setattr(m, key, spec[key])
        for key in ("double_value", "int_value", "long_value", "boolean_value", "string_value"):
            if key in spec:
                setattr(m, key, spec[key])
        for key, value in spec.get("props", {}).items():
            m.properties.keys.append(key)
            v = m.properties.values.add()
            if isinstance(value, str):
                v.type, v.string_value = STRING, value
            else:
                v.type, v.int_value = 3, value
    return bytes(message.SerializeToString())


class Host:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []
        self.host = SparkplugHost(lambda g, n: self.asked.append((g, n)), rebirth_wait_s=5.0)
        self.now = 100.0

    def __call__(self, topic: str, data: bytes) -> list[Any]:
        return self.host.handle(topic, data, self.now)

    def born(self, bd_seq: int = 7) -> None:
        self(N.format("NBIRTH"), payload(0, {"name": "bdSeq", "datatype": INT64, "long_value": bd_seq}))
        gas = {
            "name": "LEL",
            "alias": 1,
            "datatype": DOUBLE,
            "double_value": 1.0,
            "props": {"engUnit": "%LEL"},
        }
        self(
            D.format("DBIRTH"),
            payload(1, gas, {"name": "T", "alias": 2, "datatype": INT8, "int_value": 0xFE}),
        )


def values(events: list[Any]) -> dict[str, Any]:
    return {e.name: e.value for e in events if isinstance(e, SpValue)}


def test_births_define_aliases_units_and_signed_types() -> None:
    h = Host()
    h(N.format("NBIRTH"), payload(0, {"name": "bdSeq", "datatype": INT64, "long_value": 3}))
    events = h(
        D.format("DBIRTH"),
        payload(
            1,
            {
                "name": "LEL",
                "alias": 1,
                "datatype": DOUBLE,
                "double_value": 2.0,
                "props": {"engUnit": "%LEL"},
            },
            {"name": "T", "alias": 2, "datatype": INT8, "int_value": 0xFE},  # Int8 -2, two's complement
        ),
    )
    assert isinstance(events[0], SpBirth) and events[0].device == "D1"
    assert values(events) == {"LEL": 2.0, "T": -2.0}
    lel = next(e for e in events if isinstance(e, SpValue) and e.name == "LEL")
    assert lel.unit == "%LEL" and lel.quality == "good"
    data = h(D.format("DDATA"), payload(2, {"alias": 1, "double_value": 4.0, "props": {"Quality": 0}}))
    assert values(data) == {"LEL": 4.0} and data[0].quality == "bad" and data[0].unit == "%LEL"
    assert h.asked == []


def test_data_before_a_birth_asks_for_a_rebirth_once_per_wait_and_is_not_used() -> None:
    h = Host()
    assert h(D.format("DDATA"), payload(5, {"alias": 1, "double_value": 4.0})) == []
    assert h(D.format("DDATA"), payload(6, {"alias": 1, "double_value": 4.0})) == []
    assert h.asked == [("G", "E1")]  # asked once, then waits
    h.now += 5.0
    h(D.format("DDATA"), payload(7, {"alias": 1, "double_value": 4.0}))
    assert h.asked == [("G", "E1"), ("G", "E1")]  # asked again once the wait is over
    h.born()
    assert values(h(D.format("DDATA"), payload(2, {"alias": 1, "double_value": 4.0}))) == {"LEL": 4.0}


def test_an_unknown_alias_ends_the_nodes_values_and_asks_for_a_rebirth() -> None:
    h = Host()
    h.born()
    events = h(
        D.format("DDATA"), payload(2, {"alias": 1, "double_value": 5.0}, {"alias": 99, "double_value": 1.0})
    )
    assert [type(e) for e in events] == [SpDeath]  # nothing of the message used, the node's values ended
    assert h.asked == [("G", "E1")]
    assert h(D.format("DDATA"), payload(3, {"alias": 1, "double_value": 5.0})) == []  # waits for the birth


def test_seq_wraps_at_255_and_a_gap_asks_for_a_rebirth() -> None:
    h = Host()
    h.born()
    for seq in [*range(2, 256), 0, 1]:
        assert values(h(D.format("DDATA"), payload(seq, {"alias": 1, "double_value": float(seq)})))
    assert h.asked == []
    events = h(D.format("DDATA"), payload(3, {"alias": 1, "double_value": 1.0}))  # 2 was lost
    assert [type(e) for e in events] == [SpDeath] and h.asked == [("G", "E1")]
    assert h.host.counters.seq_gaps == 1


def test_ndeath_counts_only_with_the_births_bdseq() -> None:
    h = Host()
    h.born(bd_seq=7)
    assert h(N.format("NDEATH"), payload(None, {"name": "bdSeq", "datatype": INT64, "long_value": 6})) == []
    death = h(N.format("NDEATH"), payload(None, {"name": "bdSeq", "datatype": INT64, "long_value": 7}))
    assert death == [SpDeath("G", "E1", None, ("D1",), 1_000)]
    assert h.host.nodes() == {"G/E1": False}


def test_ddeath_ends_one_device_and_historical_and_null_values_are_marked() -> None:
    h = Host()
    h.born()
    hist = h(D.format("DDATA"), payload(2, {"alias": 1, "double_value": 9.0, "is_historical": True}))
    assert hist[0].historical
    null = h(D.format("DDATA"), payload(3, {"alias": 1, "is_null": True}))
    assert null[0].value is None and null[0].quality == "bad"
    assert h(D.format("DDEATH"), payload(4)) == [SpDeath("G", "E1", "D1", ("D1",), 1_000)]
    after = h(D.format("DDATA"), payload(5, {"alias": 1, "double_value": 1.0}))  # no DBIRTH since
    assert values(after) == {} and [type(e) for e in after] == [
        SpDeath
    ]  # the node is not trusted till reborn
    assert h.asked == [("G", "E1")]


def test_what_is_not_sparkplug_is_refused_whole() -> None:
    h = Host()
    with pytest.raises(MalformedPayload):
        h(N.format("NBIRTH"), b"\xff\xff\xff not protobuf")
    with pytest.raises(MalformedPayload):
        h("spBv1.0/G/NBIRTH", payload(0))
    assert parse_topic("spBv1.0/STATE/ccr") is None


def test_commands_decode_as_written() -> None:
    rebirth = decode_payload(rebirth_command(5))
    assert (
        rebirth.metrics[0].name == "Node Control/Rebirth"
        and metric_value(rebirth.metrics[0], BOOLEAN) is True
    )
    cmd = decode_payload(
        encode_command([("StopWork", BOOLEAN, True), ("StopWork/CommandId", STRING, "c-1")], 9)
    )
    assert [(m.name, metric_value(m, m.datatype)) for m in cmd.metrics] == [
        ("StopWork", True),
        ("StopWork/CommandId", "c-1"),
    ]


def test_a_double_sent_in_the_float_field_is_read_from_the_field_it_came_in() -> None:
    h = Host()
    h.born()
    message = pb.Payload()
    message.timestamp, message.seq = 1_000, 2
    metric = message.metrics.add()
    metric.alias, metric.float_value = 1, 2.5  # LEL was born a Double
    assert values(h(D.format("DDATA"), bytes(message.SerializeToString()))) == {"LEL": 2.5}
