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

    def start(self) -> None:
        self.started = True


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


def test_the_registers_entries_follow_the_files_and_a_reload_maps_again() -> None:
    """The file's entries first, then the register's, the first match wins; ``reload_mapping`` is the
    hook a register change uses: every metric is looked up again, and the unmapped list is new."""
    kept = [
        SparkplugMap(group="G", node="E1", device="D*", metric="LEL", site="S1", area="A9", channel="LEL"),
        SparkplugMap(group="G", node="E1", device="D*", metric="O2", site="S1", area="A2", channel="O2"),
    ]
    config = SparkplugConfig(
        enabled=True,
        map=[
            SparkplugMap(group="G", node="E1", device="D*", metric="LEL", site="S1", area="A1", channel="LEL")
        ],
    )
    wire, rejections = Wire(), RejectionLog()
    link = SparkplugLink(
        config,
        lambda *a: "json",
        wire,  # type: ignore[arg-type]
        rejections.record,
        lambda: NOW,
        read_register=lambda: (list(kept), []),
    )
    link.start()  # reads the register
    bd = {"name": "bdSeq", "datatype": INT64, "long_value": 0}
    link.decode("spBv1.0/G/NBIRTH/E1", payload(0, bd, ts=MS), NOW)
    lel = {"name": "LEL", "alias": 1, "datatype": DOUBLE, "double_value": 5.0}
    o2 = {"name": "O2", "alias": 2, "datatype": DOUBLE, "double_value": 20.9}
    co = {"name": "CO", "alias": 3, "datatype": DOUBLE, "double_value": 1.0}
    out = birth(link, "D1", 1, lel, o2, co)
    got = sorted((r.area, r.readings[0][0]) for r in out if isinstance(r, SensorMessage))
    assert got == [("A1", "LEL"), ("A2", "O2")]  # LEL: the file's entry, not the register's A9
    assert link.snapshot()["unmapped"] == ["G/E1/D1/CO"]
    assert link.snapshot()["map_entries"] == [1, 2]
    assert link.snapshot()["unmapped_metrics"] == [["G", "E1", "D1", "CO", ""]]
    kept[1:] = [
        SparkplugMap(group="*", node="*", device="*", metric="CO", site="S1", area="A2", channel="CO")
    ]
    link.reload_mapping(list(kept))
    data = payload(2, {"alias": 2, "double_value": 20.8}, {"alias": 3, "double_value": 2.0}, ts=MS)
    out = link.decode("spBv1.0/G/DDATA/E1/D1", data, NOW)
    got = [(r.area, r.readings[0][0], r.readings[0][1]) for r in out if isinstance(r, SensorMessage)]
    assert got == [("A2", "CO", 2.0)]  # O2 no longer mapped, CO now is
    assert link.snapshot()["unmapped"] == ["G/E1/D1/O2"]


def test_a_register_that_cannot_be_read_at_start_leaves_the_files_mapping() -> None:
    def down() -> tuple[list[SparkplugMap], list[SparkplugStop]]:
        raise OSError("database unreachable")

    config = SparkplugConfig(enabled=True, map=make()[0].config.map)
    link = SparkplugLink(
        config, lambda *a: "json", Wire(), RejectionLog().record, lambda: NOW, read_register=down
    )  # type: ignore[arg-type]
    link.start()
    assert link.mapping == config.map


def test_a_stop_target_from_the_register_gets_the_dcmd_and_its_ack_is_read() -> None:
    config = SparkplugConfig(enabled=True)
    target = SparkplugStop(site="S1", area="A2", group="G", node="E1", device="SW2")
    link = SparkplugLink(
        config,
        lambda *a: "json",
        Wire(),
        RejectionLog().record,
        lambda: NOW,
        read_register=lambda: ([], [target]),
    )  # type: ignore[arg-type]
    wire = link.connector
    link.start()
    assert link.snapshot()["stop_targets"] == [0, 1]
    bd = {"name": "bdSeq", "datatype": INT64, "long_value": 0}
    link.decode("spBv1.0/G/NBIRTH/E1", payload(0, bd, ts=MS), NOW)
    birth(link, "SW2", 1, {"name": "StopWork/Ack", "alias": 11, "datatype": STRING, "string_value": ""})
    assert link.snapshot()["unmapped"] == []  # the target's own metric is not gas
    publish = link.beside(lambda topic, data, qos, retain: None)
    publish("plant/S1/A2/cmd/stop-work", json.dumps({"command_id": "c-9"}).encode(), 1, False)
    ((topic, data, _),) = wire.sent  # type: ignore[attr-defined]
    assert topic == "spBv1.0/G/DCMD/E1/SW2"
    metrics = {m.name: metric_value(m, m.datatype) for m in decode_payload(data).metrics}
    assert metrics == {"StopWork": True, "StopWork/CommandId": "c-9"}
    (ack,) = link.decode(
        "spBv1.0/G/DDATA/E1/SW2", payload(2, {"alias": 11, "string_value": "c-9"}, ts=MS), NOW
    )
    assert (ack.area, ack.command_id, ack.status) == ("A2", "c-9", AckStatus.EXECUTED)
