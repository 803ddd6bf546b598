"""TLS, user names and ACLs on a real Mosquitto, with a CA made at test time (`cryptography`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.reasoncodes import ReasonCode

from connectors.broker import ListenerTls
from connectors.mqtt import BufferedSocket, LinkCause, LinkStatus, MqttConnector, TlsOptions
from models.errors import UserError
from tests.support.broker import MosquittoProcess, needs_mosquitto, wait_until, write_password_file
from tests.support.certs import Pki, make_ca, make_pki
from tests.support.shipped_broker import load_make_acl

pytestmark = [pytest.mark.broker, needs_mosquitto]

# The ACL the project ships (installer/mosquitto/make_acl.py), with "console" as the console account.
ACL_ARGS = ["--root", "plant", "--console", "console", "--gateway", "other=S1"]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def secure_broker(tmp_path: Path, pki: Pki) -> Iterator[MosquittoProcess]:
    passwords = write_password_file(tmp_path / "passwd", {"console": "s3cret-右", "other": "x"})
    acl = tmp_path / "acl"
    load_make_acl().main([*ACL_ARGS, "-o", str(acl)])
    broker = MosquittoProcess(
        tmp_path,
        password_file=passwords,
        acl_file=acl,
        tls=ListenerTls(pki.ca_file, pki.server_cert, pki.server_key),
    ).start()
    try:
        yield broker
    finally:
        broker.stop()


def _connector(broker: MosquittoProcess, pki: Pki, password: str, **kw: object) -> MqttConnector:
    return MqttConnector(
        broker.tls_url,
        kw.pop("client_id", "console-tls"),  # type: ignore[arg-type]
        username="console",
        password=password,
        tls=kw.pop("tls", TlsOptions(ca_file=pki.ca_file)),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def test_tls_with_password_connects_and_carries_messages(secure_broker: MosquittoProcess, pki: Pki) -> None:
    got: list[tuple[str, bytes]] = []
    conn = _connector(
        secure_broker,
        pki,
        "s3cret-右",
        subscriptions=[("plant/#", 1)],
        on_message=lambda topic, payload, t: got.append((topic, payload)),
    )
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected), conn.link_state
        assert conn.nodelay is True  # also on the TLS socket
        delivered = threading.Event()
        # A console reads readings but may not pose as a detector: the broker must drop this one.
        conn.publish("plant/S1/A1/sensor/D1", b"must not arrive", qos=1)
        conn.publish("plant/s/a/work-state", b"allowed", qos=1, on_delivered=delivered.set)
        assert delivered.wait(5)
        assert wait_until(lambda: ("plant/s/a/work-state", b"allowed") in got)
        # Same client, QoS 1, published first: had the broker accepted it, it would be here already.
        assert [topic for topic, _ in got] == ["plant/s/a/work-state"]
    finally:
        conn.stop()


def test_a_burst_over_tls_into_a_stalled_broker_arrives_whole_and_in_order(
    secure_broker: MosquittoProcess, pki: Pki
) -> None:
    """Gathered writes on a TLS socket that fills up: TLS wants a write retried with the same bytes."""
    got: list[bytes] = []
    conn = _connector(
        secure_broker,
        pki,
        "s3cret-右",
        subscriptions=[("plant/#", 1)],
        on_message=lambda t, p, _: got.append(p),
    )
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected), conn.link_state
        payloads = [f"{i:06d}".encode() * (1 + i % 1500) for i in range(2500)]  # about 11 MB
        secure_broker.pause()
        try:
            for payload in payloads:
                conn.publish("plant/_cockpit/burst", payload, qos=0)
            sock = conn._client.socket()
            assert isinstance(sock, BufferedSocket)
            assert wait_until(lambda: sock.unsent() > 0, timeout=10), "the socket never filled"
        finally:
            secure_broker.resume()
        assert wait_until(lambda: len(got) == len(payloads), timeout=60), len(got)
        assert got == payloads
        assert conn.link_state.connected
    finally:
        conn.stop()


def test_a_subscription_the_broker_refuses_is_named_in_the_link_reason(
    secure_broker: MosquittoProcess, pki: Pki
) -> None:
    """Connected but deaf to part of the plant: the operator must read it, not guess it.

    Mosquitto's ACL file grants every SUBSCRIBE and filters the messages instead, so the refusal (what
    a broker with an auth plugin sends) is handed to the connector as paho would, with a real SUBACK code.
    """
    conn = _connector(secure_broker, pki, "s3cret-右", subscriptions=[("plant/#", 1), ("secret/#", 1)])
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected, timeout=10), conn.link_state
        assert conn.link_state.cause is LinkCause.CONNECTED_NEW
        conn._subscribing = (4242, LinkCause.RECONNECTED_NEW)  # as _handle_connect leaves it
        granted, refused = (
            ReasonCode(PacketTypes.SUBACK, identifier=1),
            ReasonCode(PacketTypes.SUBACK, identifier=0x80),
        )
        conn._handle_subscribe(conn._client, None, 4241, [granted, refused], None)  # not this connection's
        assert conn.link_state.cause is LinkCause.CONNECTED_NEW
        conn._handle_subscribe(conn._client, None, 4242, [granted, refused], None)
        state = conn.link_state
        assert state.connected and state.cause is LinkCause.SUBSCRIPTIONS_REFUSED, state
        assert state.args[1] == "secret/#" and "refused the subscription to secret/#" in state.reason
    finally:
        conn.stop()


def test_wrong_password_is_refused_with_a_visible_reason(secure_broker: MosquittoProcess, pki: Pki) -> None:
    conn = _connector(secure_broker, pki, "wrong", client_id="console-bad")
    conn.start()
    try:
        assert wait_until(lambda: "refused" in conn.link_state.reason, timeout=10), conn.link_state
        state = conn.link_state
        assert state.status is LinkStatus.DISCONNECTED
        assert "not authori" in state.reason.lower() or "password" in state.reason.lower()
        assert conn.counters().connects == 0
    finally:
        conn.stop()


def test_broker_certificate_from_another_ca_is_rejected(
    secure_broker: MosquittoProcess, tmp_path: Path, pki: Pki
) -> None:
    other_ca, _, _ = make_ca(tmp_path / "other", "impostor")
    conn = _connector(
        secure_broker, pki, "s3cret-右", client_id="console-ca", tls=TlsOptions(ca_file=other_ca)
    )
    conn.start()
    try:
        assert wait_until(lambda: "cannot reach" in conn.link_state.reason, timeout=10), conn.link_state
        assert "certificate" in conn.link_state.reason.lower()
        assert not conn.link_state.connected
    finally:
        conn.stop()


def test_plain_mqtt_client_cannot_talk_to_the_tls_listener(secure_broker: MosquittoProcess) -> None:
    conn = MqttConnector(secure_broker.url, "console-plain", username="console", password="s3cret-右")
    conn.start()
    try:
        assert wait_until(lambda: "before answering" in conn.link_state.reason, timeout=10), conn.link_state
        assert "mqtts://" in conn.link_state.reason  # tells the user what to change
        assert not conn.link_state.connected
    finally:
        conn.stop()


def test_missing_tls_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        MqttConnector("mqtts://127.0.0.1:8883", "c", tls=TlsOptions(ca_file=tmp_path / "nope.pem"))


def test_tls_options_with_plain_url_is_a_user_error(pki: Pki) -> None:
    with pytest.raises(UserError, match="mqtts://"):
        MqttConnector("mqtt://127.0.0.1:1883", "c", tls=TlsOptions(ca_file=pki.ca_file))


def test_client_certificate_without_key_is_a_user_error(pki: Pki) -> None:
    with pytest.raises(UserError, match="both"):
        MqttConnector(
            "mqtts://127.0.0.1", "c", tls=TlsOptions(ca_file=pki.ca_file, cert_file=pki.client_cert)
        )
