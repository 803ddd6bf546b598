"""The broker configuration the project ships (installer/mosquitto/), run as shipped, with real clients.

The cockpit is our own client (MqttConnector) on the TLS listener; gateways, the permit app and an
intruder are plain paho clients speaking MQTT 5, so a refused publish is also seen in its PUBACK
(reason 0x87, not authorized). Mosquitto drops a refused publish without closing the connection, so
each test proves the drop the way the cockpit would notice: a message the same client published
*after* the refused one (QoS 1, so in order) arrives, and the refused one never does.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from connectors.mqtt import MqttConnector, TlsOptions
from connectors.topics import Topics
from tests.support.broker import needs_mosquitto, wait_until, write_password_file
from tests.support.certs import make_pki
from tests.support.shipped_broker import SHIPPED, ShippedBroker, ShippedPaths, load_make_acl

pytestmark = [pytest.mark.broker, needs_mosquitto]

ROOT = "plant"
CONSOLE, GW_S1, GW_S2A1, PERMIT_APP = "cockpit-ccr-1", "gw-s1", "gw-s2-a1", "permit-app"
SPB_EDGE = "spb-gw-1"  # a Sparkplug B edge node (issue 22): group Plant1, node GW-1
PASSWORDS = {
    CONSOLE: "console-pw",
    GW_S1: "gw1-pw",
    GW_S2A1: "gw2-pw",
    PERMIT_APP: "app-pw",
    SPB_EDGE: "spb-pw",
}
NOT_AUTHORIZED = 0x87


class Field:
    """A field client on paho with MQTT 5: what it received, and each QoS 1 publish's PUBACK code."""

    def __init__(self, url: str, client_id: str, *, ca: Path, user: str | None = None, **tls: Any) -> None:
        host, port = url.split("://", 1)[1].rsplit(":", 1)
        self.client = paho.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=paho.MQTTv5)
        if url.startswith("mqtts://"):
            self.client.tls_set(ca_certs=str(ca), certfile=tls.get("certfile"), keyfile=tls.get("keyfile"))
        if user is not None:
            self.client.username_pw_set(user, PASSWORDS.get(user))
        self.connack: int | None = None
        self.received: list[tuple[str, bytes, bool]] = []
        self.acks: dict[int, int] = {}
        self._lock = threading.Lock()
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_publish = self._on_publish
        self.client.connect_async(host, int(port))
        self.client.loop_start()

    def _on_connect(self, c: Any, u: Any, flags: Any, rc: Any, props: Any) -> None:
        self.connack = rc.value

    def _on_message(self, c: Any, u: Any, msg: paho.MQTTMessage) -> None:
        with self._lock:
            self.received.append((msg.topic, bytes(msg.payload), bool(msg.retain)))

    def _on_publish(self, c: Any, u: Any, mid: int, rc: Any, props: Any) -> None:
        with self._lock:
            self.acks[mid] = rc.value

    def connected(self, timeout: float = 10) -> bool:
        return wait_until(lambda: self.connack == 0, timeout)

    def subscribe(self, topic: str) -> None:
        done = threading.Event()
        self.client.on_subscribe = lambda *a: done.set()
        self.client.subscribe(topic, 1)
        assert done.wait(10), f"no SUBACK for {topic}"

    def publish(self, topic: str, payload: dict[str, Any], retain: bool = False) -> int:
        """Publish at QoS 1; the PUBACK's reason code (0 = accepted)."""
        info = self.client.publish(topic, json.dumps(payload).encode(), qos=1, retain=retain)
        assert wait_until(lambda: info.mid in self.acks), f"no PUBACK for {topic}"
        return self.acks[info.mid]

    def topics(self) -> list[str]:
        with self._lock:
            return [t for t, _, _ in self.received]

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return make_pki(tmp_path_factory.mktemp("pki"))


def _paths(tmp_path: Path, pki: Any) -> ShippedPaths:
    acl = tmp_path / "acl"
    make_acl = load_make_acl()
    make_acl.main(
        [
            *("--root", ROOT, "--console", CONSOLE, "--gateway", f"{GW_S1}=S1"),
            *("--gateway", f"{GW_S2A1}=S2/A1", "--permit-app", PERMIT_APP, "-o", str(acl)),
            *("--sparkplug-edge", f"{SPB_EDGE}=Plant1/GW-1"),
        ]
    )
    data = tmp_path / "data"
    data.mkdir()
    return ShippedPaths(
        data_dir=data,
        password_file=write_password_file(tmp_path / "passwd", PASSWORDS),
        acl_file=acl,
        ca_file=pki.ca_file,
        cert_file=pki.server_cert,
        key_file=pki.server_key,
    )


@pytest.fixture
def broker(tmp_path: Path, pki: Any) -> Iterator[ShippedBroker]:
    server = ShippedBroker(tmp_path, _paths(tmp_path, pki)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def cockpit(broker: ShippedBroker, pki: Any) -> Iterator[tuple[MqttConnector, list[str]]]:
    """The cockpit's own client with its own subscriptions, on the TLS listener."""
    got: list[str] = []
    conn = MqttConnector(
        broker.tls_url,
        CONSOLE,
        username=CONSOLE,
        password=PASSWORDS[CONSOLE],
        tls=TlsOptions(ca_file=pki.ca_file),
        subscriptions=Topics(ROOT).field_subscriptions(),
        on_message=lambda topic, payload, t: got.append(topic),
    )
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected), conn.link_state
        yield conn, got
    finally:
        conn.stop()


def _ack(command_id: str = "c-1") -> dict[str, Any]:
    return {"command_id": command_id, "ts": 1763884801200, "status": "executed", "by": "GW"}


def test_the_shipped_acl_example_is_what_make_acl_writes() -> None:
    """acl.example is the generator's output for the README's accounts, not a second hand-kept copy."""
    example = (SHIPPED / "acl.example").read_text("utf-8")
    make_acl = load_make_acl()
    written = make_acl.make_acl(
        "plant",
        ["cockpit-ccr-1", "cockpit-ccr-2", "cockpit-server"],
        ["gw-chem1=CHEM1", "gw-tank7=CHEM1/TANK7"],
        ["permit-app"],
    )
    assert example == written


def test_a_gateways_forged_ack_for_another_site_never_reaches_the_cockpit(
    broker: ShippedBroker, cockpit: tuple[MqttConnector, list[str]], pki: Any
) -> None:
    _, got = cockpit
    gateway = Field(broker.tls_url, "gw-s1-a", ca=pki.ca_file, user=GW_S1)
    try:
        assert gateway.connected()
        assert gateway.publish(f"{ROOT}/S2/A1/cmd/ack", _ack()) == NOT_AUTHORIZED
        assert gateway.publish(f"{ROOT}/S1/A1/cmd/ack", _ack()) == 0
        assert wait_until(lambda: f"{ROOT}/S1/A1/cmd/ack" in got)
        assert got.count(f"{ROOT}/S2/A1/cmd/ack") == 0
    finally:
        gateway.close()
    # An area-bound gateway may not acknowledge for the next area of its own site either.
    area_gateway = Field(broker.tls_url, "gw-s2-a1-a", ca=pki.ca_file, user=GW_S2A1)
    try:
        assert area_gateway.connected()
        assert area_gateway.publish(f"{ROOT}/S2/A2/cmd/ack", _ack("c-2")) == NOT_AUTHORIZED
        assert area_gateway.publish(f"{ROOT}/S2/A1/cmd/ack", _ack("c-2")) == 0
        assert wait_until(lambda: f"{ROOT}/S2/A1/cmd/ack" in got)
        assert f"{ROOT}/S2/A2/cmd/ack" not in got
    finally:
        area_gateway.close()


def test_gateways_cannot_command_or_write_the_cockpits_topics(
    broker: ShippedBroker, cockpit: tuple[MqttConnector, list[str]], pki: Any
) -> None:
    _, got = cockpit
    gateway = Field(broker.tls_url, "gw-s1-b", ca=pki.ca_file, user=GW_S1)
    try:
        assert gateway.connected()
        for topic in (
            f"{ROOT}/S1/A1/cmd/stop-work",
            f"{ROOT}/S1/A1/cmd/resume-work",
            f"{ROOT}/S1/A1/permit/P-1/state",
            f"{ROOT}/_cockpit/alarm-action",
            f"{ROOT}/_cockpit/console/{CONSOLE}/health",
            f"{ROOT}/S2/A1/sensor/GD-1",
        ):
            assert gateway.publish(topic, {"ts": 1763884801200, "state": "normal"}) == NOT_AUTHORIZED, topic
        assert gateway.publish(f"{ROOT}/S1/A1/sensor/GD-1", {"ts": 1}) == 0
        assert wait_until(lambda: f"{ROOT}/S1/A1/sensor/GD-1" in got)
        assert got == [f"{ROOT}/S1/A1/sensor/GD-1"]
    finally:
        gateway.close()


def test_a_retained_work_state_from_a_gateway_does_not_replace_the_cockpits(
    broker: ShippedBroker, cockpit: tuple[MqttConnector, list[str]], pki: Any
) -> None:
    conn, _ = cockpit
    topic = Topics(ROOT).work_state("S1", "A1")
    stopped = json.dumps({"ts": 1763884800456, "state": "stopped", "command_id": "c-1", "reason": "LEL"})
    delivered = threading.Event()
    conn.publish(topic, stopped.encode(), qos=1, retain=True, on_delivered=delivered.set)
    assert delivered.wait(10)
    gateway = Field(broker.tls_url, "gw-s1-c", ca=pki.ca_file, user=GW_S1)
    try:
        assert gateway.connected()
        forged = {"ts": 1763884801000, "state": "normal", "command_id": "c-1", "reason": ""}
        assert gateway.publish(topic, forged, retain=True) == NOT_AUTHORIZED
        # What a gateway that reconnects learns: still stopped.
        gateway.subscribe(topic)
        assert wait_until(lambda: topic in gateway.topics())
        assert [(t, json.loads(p)["state"], r) for t, p, r in gateway.received] == [(topic, "stopped", True)]
    finally:
        gateway.close()


def test_an_anonymous_client_is_refused_on_both_listeners(broker: ShippedBroker, pki: Any) -> None:
    for url in (broker.url, broker.tls_url):
        intruder = Field(url, "intruder", ca=pki.ca_file)
        try:
            assert wait_until(lambda c=intruder: c.connack is not None), url
            assert intruder.connack == NOT_AUTHORIZED, url  # CONNACK "not authorized"
        finally:
            intruder.close()


def test_the_cockpits_own_publishes_reach_the_field_of_their_site_only(
    broker: ShippedBroker, cockpit: tuple[MqttConnector, list[str]], pki: Any
) -> None:
    conn, got = cockpit
    topics = Topics(ROOT)
    gw1 = Field(broker.tls_url, "gw-s1-d", ca=pki.ca_file, user=GW_S1)
    gw2 = Field(broker.tls_url, "gw-s2-d", ca=pki.ca_file, user=GW_S2A1)
    app = Field(broker.tls_url, "app-d", ca=pki.ca_file, user=PERMIT_APP)
    try:
        for field in (gw1, gw2, app):
            assert field.connected()
            field.subscribe(f"{ROOT}/#")
        sent = [
            topics.stop_work("S1", "A1"),
            topics.work_state("S1", "A1"),
            topics.permit_state("S1", "A1", "P-1"),
            topics.permit_reply("S1", "A1", "P-1"),
            topics.health(CONSOLE),
            topics.stop_work("S2", "A1"),
        ]
        delivered: list[str] = []
        for topic in sent:
            conn.publish(topic, b"{}", qos=1, on_delivered=lambda t=topic: delivered.append(t))
        assert wait_until(lambda: len(delivered) == len(sent)), delivered
        assert wait_until(lambda: topics.health(CONSOLE) in got)  # the console's own traffic passes
        assert wait_until(lambda: topics.stop_work("S2", "A1") in gw2.topics())
        assert wait_until(lambda: topics.permit_reply("S1", "A1", "P-1") in app.topics())
        assert wait_until(lambda: topics.permit_state("S1", "A1", "P-1") in gw1.topics())
        assert set(gw1.topics()) == {
            topics.stop_work("S1", "A1"),
            topics.work_state("S1", "A1"),
            topics.permit_state("S1", "A1", "P-1"),
        }
        assert gw2.topics() == [topics.stop_work("S2", "A1")]  # nothing of site S1, nothing of _cockpit
        assert set(app.topics()) == {
            topics.permit_state("S1", "A1", "P-1"),
            topics.permit_reply("S1", "A1", "P-1"),
        }
    finally:
        for field in (gw1, gw2, app):
            field.close()


def test_with_client_certificates_the_certificates_name_is_the_acl_user(tmp_path: Path) -> None:
    """The commented certificate mode of the shipped file: the CN is the user name, no password is
    asked, and a client without a certificate of the plant's CA gets no connection."""
    pki = make_pki(tmp_path / "pki", clients=[GW_S1])
    server = ShippedBroker(tmp_path, _paths(tmp_path, pki), certificates=True).start()
    gw_cert, gw_key = pki.clients[GW_S1]
    watcher = Field(server.url, "watch", ca=pki.ca_file, user=CONSOLE)  # loopback: a password
    gateway = Field(server.tls_url, "gw-cert", ca=pki.ca_file, certfile=str(gw_cert), keyfile=str(gw_key))
    try:
        assert watcher.connected() and gateway.connected()
        watcher.subscribe(f"{ROOT}/+/+/cmd/ack")
        assert gateway.publish(f"{ROOT}/S2/A1/cmd/ack", _ack()) == NOT_AUTHORIZED
        assert gateway.publish(f"{ROOT}/S1/A1/cmd/ack", _ack()) == 0
        assert wait_until(lambda: watcher.topics() == [f"{ROOT}/S1/A1/cmd/ack"])
        bare = Field(server.tls_url, "no-cert", ca=pki.ca_file, user=GW_S1)  # a password is not enough
        try:
            assert not bare.connected(timeout=3)
        finally:
            bare.close()
    finally:
        watcher.close()
        gateway.close()
        server.stop()


def test_a_sparkplug_edge_node_writes_its_own_node_only_and_reads_its_commands(
    broker: ShippedBroker, pki: Any
) -> None:
    """Issue 22: the console as a Sparkplug host (its STATE, DCMD) and one edge node's account."""
    got: list[str] = []
    host = MqttConnector(
        broker.tls_url,
        f"{CONSOLE}-spb",
        username=CONSOLE,
        password=PASSWORDS[CONSOLE],
        tls=TlsOptions(ca_file=pki.ca_file),
        subscriptions=[("spBv1.0/#", 1)],
        on_message=lambda topic, payload, t: got.append(topic),
    )
    host.start()
    edge = Field(broker.tls_url, "spb-edge", ca=pki.ca_file, user=SPB_EDGE)
    try:
        assert wait_until(lambda: host.link_state.connected), host.link_state
        assert edge.connected()
        edge.subscribe("spBv1.0/Plant1/DCMD/GW-1/+")
        edge.subscribe("spBv1.0/STATE/+")
        host.publish("spBv1.0/STATE/ccr-1", b'{"online":true,"timestamp":1}', 1, True)
        for topic in (
            "spBv1.0/Plant2/NBIRTH/GW-1",  # another group
            "spBv1.0/Plant1/NBIRTH/GW-9",  # another node
            "spBv1.0/Plant1/DCMD/GW-1/SW-1",  # a command: the hosts' alone
            "spBv1.0/STATE/ccr-1",  # a host's STATE
            f"{ROOT}/S1/A1/sensor/GD-1",  # the JSON contract's topics
        ):
            assert edge.publish(topic, {"ts": 1}) == NOT_AUTHORIZED, topic
        assert edge.publish("spBv1.0/Plant1/DDATA/GW-1/GD-1", {"ts": 1}) == 0
        assert wait_until(lambda: "spBv1.0/Plant1/DDATA/GW-1/GD-1" in got)
        assert [t for t in got if not t.startswith("spBv1.0/STATE/")] == ["spBv1.0/Plant1/DDATA/GW-1/GD-1"]
        host.publish("spBv1.0/Plant1/DCMD/GW-1/SW-1", b"stop", 1, False)
        assert wait_until(
            lambda: [t for t, _, _ in edge.received if "DCMD" in t] == ["spBv1.0/Plant1/DCMD/GW-1/SW-1"]
        )
        assert any(t == "spBv1.0/STATE/ccr-1" for t, _, _ in edge.received)
    finally:
        edge.close()
        host.stop()
