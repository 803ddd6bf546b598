"""The Sparkplug B host (issue 22) against a real Mosquitto, a real database and an edge node driven by
pysparkplug in its own process (tests/support/sparkplug_edge.py): births, data by alias, a seq gap and
the rebirth it asks, an NDEATH from a killed connection, a DDEATH, the host's STATE and its will, a
stop-work DCMD and its acknowledgement, and a HIHI from a Sparkplug metric stopping hot work.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.sparkplug_config import SparkplugConfig, SparkplugMap, SparkplugStop
from cockpit.sparkplug_link import SparkplugLink
from cockpit.sparkplug_register import SparkplugRegister
from connectors.database import Database
from models.records import ChannelKey, Quality
from models.schema import Permit
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.sessions import TEST_KEYS, as_user
from tests.support.sparkplug_edge import EdgeNode, edge_python

pytestmark = [pytest.mark.broker, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
GROUP, NODE = "Plant1", "GW-1"
LEL = ChannelKey("S1", "A1", "SPD-1", "LEL")
H2S = ChannelKey("S1", "A1", "SPD-1", "H2S")
O2 = ChannelKey("S1", "A1", "SPD-2", "O2")
DEVICES = {
    "SPD-1": [
        {"name": "Gas/LEL", "type": "Double", "value": 1.0, "alias": 1, "unit": "%LEL"},
        {"name": "Gas/H2S", "type": "Float", "value": 0.0, "alias": 2, "unit": "ppm"},
        {"name": "Gas/Flow", "type": "Double", "value": 3.0, "alias": 3, "unit": "m3/h"},
    ],
    "SPD-2": [{"name": "Gas/O2", "type": "Double", "value": 20.9, "alias": 4, "unit": "%VOL"}],
    "SW-1": [
        {"name": "StopWork", "type": "Boolean", "value": False, "alias": 10},
        {"name": "StopWork/CommandId", "type": "String", "value": "", "alias": 11},
        {"name": "StopWork/Ack", "type": "String", "value": "", "alias": 12},
    ],
}
NODE_METRICS = [{"name": "Cabinet/Temp", "type": "Double", "value": 21.5, "alias": 20, "unit": "C"}]


@pytest.fixture(scope="module")
def python() -> Path:
    made = edge_python()
    if isinstance(made, str):
        pytest.skip(made)
    return made


def sparkplug_config() -> SparkplugConfig:
    def gas(metric: str, ch: str) -> SparkplugMap:
        return SparkplugMap(
            group=GROUP, node="GW-*", device="SPD-*", metric=metric, site="S1", area="A1", channel=ch
        )

    return SparkplugConfig(
        enabled=True,
        host_id="ccr",
        map=[gas("Gas/LEL", "LEL"), gas("Gas/H2S", "H2S"), gas("Gas/O2", "O2")],
        stop=[SparkplugStop(site="S1", area="A1", group=GROUP, node=NODE, device="SW-1")],
    )


def make_config(broker: MosquittoProcess) -> Config:
    config = Config()
    config.mqtt.url = broker.url
    config.sparkplug = sparkplug_config()
    return config


@pytest.fixture
def core(broker: MosquittoProcess, db: Database) -> Iterator[CockpitCore]:
    c = CockpitCore(make_config(broker), db, console="c1", sessions=TEST_KEYS)
    c.start()
    assert wait_until(lambda: c.connector.link_state.connected, 10)
    assert wait_until(lambda: c.sparkplug.connector.link_state.connected, 10)  # type: ignore[union-attr]
    yield c
    c.stop()


@pytest.fixture
def edge(python: Path, broker: MosquittoProcess, core: CockpitCore) -> Iterator[EdgeNode]:
    node = start_edge(python, broker)
    yield node
    node.close()


def start_edge(python: Path, broker: MosquittoProcess, keepalive: int = 2) -> EdgeNode:
    host, port = broker.url.removeprefix("mqtt://").rsplit(":", 1)
    node = EdgeNode(
        python,
        host=host,
        port=int(port),
        group=GROUP,
        node=NODE,
        keepalive=keepalive,
        devices=DEVICES,
        node_metrics=NODE_METRICS,
    )
    assert node.wait_for("born", timeout=20), node.events
    return node


def channel(core: CockpitCore, key: ChannelKey):  # type: ignore[no-untyped-def]
    return core.call(lambda: core.store.channel(key)).result(5)


def value_is(core: CockpitCore, key: ChannelKey, value: float) -> bool:
    snap = channel(core, key)
    return snap is not None and snap.value is not None and abs(snap.value - value) < 1e-6 and not snap.stale


def sparkplug_health(core: CockpitCore) -> dict:  # type: ignore[type-arg]
    return core.call(core.sparkplug.snapshot).result(5)


def test_births_and_data_by_alias_reach_the_store_with_their_units(core: CockpitCore, edge: EdgeNode) -> None:
    assert wait_until(lambda: value_is(core, LEL, 1.0), 10)
    edge.send(
        "ddata",
        device="SPD-1",
        metrics=[{"name": "Gas/LEL", "value": 4.5}, {"name": "Gas/H2S", "value": 2.0}],
    )
    assert wait_until(lambda: value_is(core, LEL, 4.5) and value_is(core, H2S, 2.0), 10)
    snap = channel(core, LEL)
    assert snap.unit == "%LEL" and snap.quality is Quality.GOOD
    # quality from the metric's Quality property: 0 is bad, never shown as a value
    edge.send("ddata", device="SPD-1", metrics=[{"name": "Gas/H2S", "value": 3.0, "quality": 0}])
    assert wait_until(lambda: channel(core, H2S).quality is Quality.BAD, 10)
    assert channel(core, H2S).value is None
    # a historical metric is history, not the current value
    edge.send("ddata", device="SPD-1", metrics=[{"name": "Gas/LEL", "value": 9.0, "historical": True}])
    edge.send("ddata", device="SPD-2", metrics=[{"name": "Gas/O2", "value": 20.5}])
    assert wait_until(lambda: value_is(core, O2, 20.5), 10)
    assert value_is(core, LEL, 4.5)
    health = sparkplug_health(core)
    assert health["nodes"] == {f"{GROUP}/{NODE}": True}
    assert f"{GROUP}/{NODE}/SPD-1/Gas/Flow" in health["unmapped"]  # seen, mapped nowhere: listed
    assert f"{GROUP}/{NODE}/Cabinet/Temp" in health["unmapped"]
    assert health["historical"] == 1 and health["rebirths_asked"] == 0
    assert core.health_payload().get("sparkplug", {}).get("host_id") == "ccr" or wait_until(
        lambda: core.health_payload().get("sparkplug", {}).get("host_id") == "ccr", 2
    )


def test_the_registers_mapping_follows_the_files_and_maps_what_the_file_does_not(
    python: Path, broker: MosquittoProcess, db: Database
) -> None:
    """Entries kept with the registers, read when the link starts: after the file's (the file's LEL
    entry wins over the register's), mapping the node's own metric and a metric the file leaves out."""
    SparkplugRegister(db, TEST_KEYS).save(
        as_user(db, "mgr.sun"),  # a safety manager
        [
            SparkplugMap(group=GROUP, node="*", device="SPD-*", metric="Gas/LEL", site="S1", area="A2",
                         channel="LEL"),
            SparkplugMap(group=GROUP, node="GW-*", device="", metric="Cabinet/Temp", site="S1", area="A1",
                         channel="TEMP", unit="C"),
            SparkplugMap(group="*", node="*", device="SPD-1", metric="Gas/Flow", site="S1", area="A2",
                         detector="FT-1", channel="FLOW", unit="m3/h"),
        ],
    )  # fmt: skip
    c = CockpitCore(make_config(broker), db, console="c1", sessions=TEST_KEYS)
    c.start()
    node = None
    try:
        assert wait_until(lambda: c.sparkplug.connector.link_state.connected, 10)  # type: ignore[union-attr]
        node = start_edge(python, broker)
        temp, flow = ChannelKey("S1", "A1", NODE, "TEMP"), ChannelKey("S1", "A2", "FT-1", "FLOW")
        assert wait_until(lambda: value_is(c, temp, 21.5) and value_is(c, flow, 3.0), 10)
        assert (channel(c, temp).unit, channel(c, flow).unit) == ("C", "m3/h")
        node.send("ddata", device="SPD-1", metrics=[{"name": "Gas/Flow", "value": 4.25}])
        assert wait_until(lambda: value_is(c, flow, 4.25), 10)
        assert value_is(c, LEL, 1.0) and channel(c, ChannelKey("S1", "A2", "SPD-1", "LEL")) is None
        health = sparkplug_health(c)
        assert health["map_entries"] == [3, 3] and health["unmapped"] == []
    finally:
        if node is not None:
            node.close()
        c.stop()


def test_a_seq_gap_asks_for_a_rebirth_and_waits_for_it(core: CockpitCore, edge: EdgeNode) -> None:
    assert wait_until(lambda: value_is(core, LEL, 1.0), 10)
    edge.send("ddata", device="SPD-1", metrics=[{"name": "Gas/LEL", "value": 7.0}], seq_skip=3)
    assert edge.wait_for("rebirth", timeout=10), edge.events
    rebirths = [c for c in edge.commands() if "Node Control/Rebirth" in c["metrics"]]
    assert rebirths and rebirths[0]["topic"] == f"spBv1.0/{GROUP}/NCMD/{NODE}"
    assert edge.wait_for("born", 2, timeout=10)
    # the value after the gap was not used; the births' values are, and data by alias works again
    assert wait_until(lambda: value_is(core, LEL, 1.0), 10)
    edge.send("ddata", device="SPD-1", metrics=[{"name": "Gas/LEL", "value": 2.5}])
    assert wait_until(lambda: value_is(core, LEL, 2.5), 10)
    health = sparkplug_health(core)
    assert health["seq_gaps"] == 1 and health["rebirths_asked"] == 1


def test_ndeath_from_a_killed_edge_node_makes_every_channel_stale(
    python: Path, broker: MosquittoProcess, core: CockpitCore
) -> None:
    node = start_edge(python, broker)
    try:
        assert wait_until(lambda: value_is(core, LEL, 1.0) and value_is(core, O2, 20.9), 10)
        node.kill()  # no DISCONNECT: the broker sends the NDEATH will with the birth's bdSeq
        assert wait_until(
            lambda: all(channel(core, k).stale for k in (LEL, H2S, O2)), 6
        )  # within the keepalive
        assert sparkplug_health(core)["nodes"] == {f"{GROUP}/{NODE}": False}
        assert channel(core, LEL).stale_reason.value == "device_offline"
    finally:
        node.close()


def test_an_edge_node_gone_silent_is_stale_within_its_keepalive(
    python: Path, broker: MosquittoProcess, core: CockpitCore
) -> None:
    """A connection that dies without closing (the process frozen, a cable pulled): the broker sends the
    NDEATH will after 1.5 keepalives (2 s here), and every channel of the node turns STALE then."""
    import os

    node = start_edge(python, broker, keepalive=2)
    try:
        assert wait_until(lambda: value_is(core, LEL, 1.0), 10)
        os.kill(node.proc.pid, signal.SIGSTOP)
        # within 1.5 keepalives of the last packet, and the few seconds Mosquitto takes to look
        assert wait_until(lambda: channel(core, LEL).stale and channel(core, O2).stale, 2 * 1.5 + 4)
        assert sparkplug_health(core)["nodes"] == {f"{GROUP}/{NODE}": False}
    finally:
        os.kill(node.proc.pid, signal.SIGCONT)
        node.close()


def test_ddeath_makes_that_device_stale_and_no_other(core: CockpitCore, edge: EdgeNode) -> None:
    assert wait_until(lambda: value_is(core, LEL, 1.0) and value_is(core, O2, 20.9), 10)
    edge.send("ddeath", device="SPD-2")
    assert wait_until(lambda: channel(core, O2).stale, 10)
    assert not channel(core, LEL).stale and not channel(core, H2S).stale


def test_a_hihi_from_a_sparkplug_metric_stops_hot_work_and_the_device_gets_a_dcmd(
    broker: MosquittoProcess, db: Database, core: CockpitCore, edge: EdgeNode
) -> None:
    field = PahoPeer(broker.url, "field-gateway")
    field.subscribe("plant/+/+/cmd/#")
    try:
        assert wait_until(lambda: value_is(core, LEL, 1.0), 10)
        for lel in (30.0, 32.0, 34.0):
            edge.send("ddata", device="SPD-1", metrics=[{"name": "Gas/LEL", "value": lel}])
            time.sleep(0.3)
        # exactly as a JSON reading: one automatic stop-work command on the area's topic, permit suspended
        assert wait_until(lambda: field.received("plant/S1/A1/cmd/stop-work"), 10)
        time.sleep(0.5)
        stops = [json.loads(m.payload) for m in field.received("plant/S1/A1/cmd/stop-work")]
        assert len(stops) == 1 and stops[0]["auto"] is True and stops[0]["permits"] == ["HW-1"]
        assert stops[0]["alarm_id"].startswith("S1/A1/SPD-1/LEL")

        def suspended() -> bool:
            with db.session() as s:
                return s.get(Permit, "HW-1").status.value == "suspended"

        assert wait_until(suspended, 5)
        # beside it, the DCMD to the configured device: StopWork true with the command's id
        assert wait_until(lambda: any("StopWork" in c["metrics"] for c in edge.commands()), 10)
        dcmd = next(c for c in edge.commands() if "StopWork" in c["metrics"])
        assert dcmd["topic"] == f"spBv1.0/{GROUP}/DCMD/{NODE}/SW-1"
        assert dcmd["metrics"]["StopWork"] is True
        command_id = stops[0]["command_id"]
        assert dcmd["metrics"]["StopWork/CommandId"] == command_id
        # the field's acknowledgement, read from a DDATA metric
        edge.send("ddata", device="SW-1", metrics=[{"name": "StopWork/Ack", "value": command_id}])

        def executed() -> bool:
            view = core.call(lambda: core.stopwork.command(command_id)).result(5)
            return view is not None and view.state == "executed"

        assert wait_until(executed, 10)
        view = core.call(lambda: core.stopwork.command(command_id)).result(5)
        assert view.acks[-1][1] == f"sparkplug:{GROUP}/{NODE}/SW-1"
    finally:
        field.close()


def test_state_is_retained_before_subscribing_and_its_will_says_offline_when_the_host_is_killed(
    tmp_path: Path, broker: MosquittoProcess
) -> None:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    cfg = tmp_path / "config.toml"
    cfg.write_text('[sparkplug]\nenabled = true\nhost_id = "ccr-h"\n', encoding="utf-8")
    seed = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "db", "seed-demo", "--db", url], capture_output=True, cwd=ROOT
    )
    assert seed.returncode == 0, seed.stderr
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--config",
            str(cfg),
            "serve",
            "--db",
            url,
            "--broker",
            broker.url,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    watcher = None
    try:
        topic = "spBv1.0/STATE/ccr-h"
        watcher = PahoPeer(broker.url, "watch-state")
        watcher.subscribe(topic)
        assert wait_until(lambda: watcher.received(topic), 30), proc.stdout
        online = json.loads(watcher.received(topic)[-1].payload)
        assert online["online"] is True and isinstance(online["timestamp"], int)
        late = PahoPeer(broker.url, "late-state")  # retained: a node that connects later learns it
        late.subscribe(topic)
        assert wait_until(lambda: late.received(topic), 5) and late.received(topic)[0].retain
        late.close()
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert wait_until(lambda: json.loads(watcher.received(topic)[-1].payload)["online"] is False, 10)
        offline = json.loads(watcher.received(topic)[-1].payload)
        assert offline["timestamp"] == online["timestamp"]  # the will of the session its birth began
        after = PahoPeer(broker.url, "after-state")
        after.subscribe(topic)
        assert wait_until(lambda: after.received(topic), 5)
        assert json.loads(after.received(topic)[0].payload)["online"] is False  # retained
        after.close()
    finally:
        if watcher is not None:
            watcher.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def test_a_mapping_saved_in_the_register_reaches_the_running_host_without_a_restart(
    core: CockpitCore, db: Database
) -> None:
    """Issue 16's register changes going live include the Sparkplug mapping (cockpit/register_live.py)."""
    link = core.sparkplug
    assert isinstance(link, SparkplugLink)
    entry = SparkplugMap(
        group=GROUP, node="GW-*", device="SPD-9", metric="Gas/CO", site="S1", area="A2", channel="CO"
    )
    assert entry not in link.mapping
    SparkplugRegister(db, TEST_KEYS).save(as_user(db, "mgr.sun"), [entry])
    assert wait_until(lambda: [m.metric for m in link.mapping[-1:]] == ["Gas/CO"], 10), (
        "never reached the host"
    )
    assert (link.mapping[-1].device, link.mapping[-1].unit) == ("SPD-9", "ppm")  # as stored: canonical unit
    assert link.mapping[: len(core.config.sparkplug.map)] == core.config.sparkplug.map  # the file's first
