"""What the Sparkplug link makes of the host's events, without a broker: units never converted, times
off the clock refused, the stop-work DCMD beside the JSON command and the acknowledgement read back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from cockpit.sparkplug_config import SparkplugConfig, SparkplugMap, SparkplugStop
from cockpit.sparkplug_link import SparkplugLink
from connectors.rejections import RejectionLog
from connectors.sparkplug.codec import decode_payload, metric_value
from models.records import AckStatus, CommandAck, DeviceState, DeviceStatus, SensorMessage
from tests.connectors.test_sparkplug_host import BOOLEAN, DOUBLE, INT64, STRING, payload

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
MS = int(NOW.timestamp() * 1000)


class Wire:
    """Stands for the host's MQTT connection: what was published, and a link that is up."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, int]] = []
        self.link_state = SimpleNamespace(connected=True)

    def publish(self, topic: str, data: bytes, qos: int = 1, retain: bool = False) -> bool:
        self.sent.append((topic, data, qos))
        return True


def make() -> tuple[SparkplugLink, Wire, RejectionLog]:
    config = SparkplugConfig(
        enabled=True,
        map=[
            SparkplugMap(group="G", node="E1", device="D*", metric="LEL", site="S1", area="A1", channel="LEL")
        ],
        stop=[SparkplugStop(site="S1", area="A1", group="G", node="E1", device="SW")],
    )
    wire, rejections = Wire(), RejectionLog()
    link = SparkplugLink(config, lambda *a: "json", wire, rejections.record, lambda: NOW)  # type: ignore[arg-type]
    bd = {"name": "bdSeq", "datatype": INT64, "long_value": 0}
    link.decode("spBv1.0/G/NBIRTH/E1", payload(0, bd, ts=MS), NOW)
    return link, wire, rejections


def birth(link: SparkplugLink, device: str, seq: int, *metrics: dict[str, Any]) -> list[Any]:
    result: list[Any] = link.decode(f"spBv1.0/G/DBIRTH/E1/{device}", payload(seq, *metrics, ts=MS), NOW)
    return result


def test_a_birth_in_another_unit_is_refused_never_converted() -> None:
    link, _, rejections = make()
    out = birth(
        link,
        "D1",
        1,
        {"name": "LEL", "alias": 1, "datatype": DOUBLE, "double_value": 5.0, "props": {"engUnit": "%VOL"}},
    )
    assert [type(r) for r in out] == []  # no reading, and the detector is not known yet either
    assert rejections.by_reason() == {"sparkplug_unit": 1}


def test_readings_of_a_detector_come_as_one_message_and_times_off_the_clock_are_refused() -> None:
    link, _, rejections = make()
    out = birth(
        link,
        "D1",
        1,
        {"name": "LEL", "alias": 1, "datatype": DOUBLE, "double_value": 5.0, "props": {"engUnit": "%LEL"}},
    )
    (status,) = [r for r in out if isinstance(r, DeviceStatus)] or [None]
    (reading,) = [r for r in out if isinstance(r, SensorMessage)]
    assert (reading.site, reading.area, reading.device) == ("S1", "A1", "D1")
    assert reading.readings[0][:3] == ("LEL", 5.0, "%LEL") and reading.max_age_s == 3600.0
    assert status is None  # a first birth: nothing was known of D1 to bring online
    late = link.decode(
        "spBv1.0/G/DDATA/E1/D1",
        payload(2, {"alias": 1, "double_value": 6.0, "timestamp": MS - 600_000}, ts=MS),
        NOW,
    )
    assert late == [] and rejections.by_reason() == {"ts_out_of_range": 1}
    # a second birth brings the detector online again; a DDEATH takes it offline
    out = birth(link, "D1", 3, {"name": "LEL", "alias": 1, "datatype": DOUBLE, "double_value": 5.0})
    assert any(isinstance(r, DeviceStatus) and r.state is DeviceState.ONLINE for r in out)
    dead = link.decode("spBv1.0/G/DDEATH/E1/D1", payload(4, ts=MS), NOW)
    assert [(r.device, r.state) for r in dead] == [("D1", DeviceState.OFFLINE)]


def test_stop_work_goes_out_as_a_dcmd_beside_the_json_command_and_its_ack_comes_back() -> None:
    link, wire, _ = make()
    birth(
        link,
        "SW",
        1,
        {"name": "StopWork", "alias": 10, "datatype": BOOLEAN, "boolean_value": False},
        {"name": "StopWork/Ack", "alias": 11, "datatype": STRING, "string_value": ""},
    )
    assert link.snapshot()["unmapped"] == []  # the stop target's own metrics are not gas
    json_sent: list[str] = []
    publish = link.beside(lambda topic, data, qos, retain: json_sent.append(topic))
    publish("plant/S1/A1/cmd/stop-work", json.dumps({"command_id": "c-7"}).encode(), 1, False)
    publish("plant/S1/A2/cmd/stop-work", json.dumps({"command_id": "c-8"}).encode(), 1, False)  # no target
    assert json_sent == ["plant/S1/A1/cmd/stop-work", "plant/S1/A2/cmd/stop-work"]
    ((topic, data, qos),) = wire.sent
    assert (topic, qos) == ("spBv1.0/G/DCMD/E1/SW", 0)
    metrics = {m.name: metric_value(m, m.datatype) for m in decode_payload(data).metrics}
    assert metrics == {"StopWork": True, "StopWork/CommandId": "c-7"}
    (ack,) = link.decode(
        "spBv1.0/G/DDATA/E1/SW", payload(2, {"alias": 11, "string_value": "c-7"}, ts=MS), NOW
    )
    assert ack == CommandAck("S1", "A1", "c-7", NOW, AckStatus.EXECUTED, "sparkplug:G/E1/SW")


def test_an_offline_state_of_our_own_is_answered_with_our_birth_again() -> None:
    link, wire, _ = make()
    birth_topic, birth_payload = link._birth[0], link._birth[1]
    assert link.decode(birth_topic, birth_payload, NOW) is None  # our own birth: nothing to do
    assert link.decode(birth_topic, b'{"online":true,"timestamp":5}', NOW) is None  # another's: neither
    assert wire.sent == []
    assert link.decode(birth_topic, b'{"online":false,"timestamp":1}', NOW) is None
    assert wire.sent == [(birth_topic, birth_payload, 1)]
    assert link.decode("spBv1.0/STATE/other-host", b'{"online":false,"timestamp":1}', NOW) is None
    assert len(wire.sent) == 1 and link.snapshot()["state_repeated"] == 1
