"""The embedded broker: Mosquitto as a child process, or amqtt in a thread, on the loopback interface."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

import connectors.broker as broker_module
from connectors.broker import EmbeddedBroker, MosquittoServer, find_mosquitto, mosquitto_config, port_open
from connectors.mqtt import MqttConnector
from models.errors import UserError
from tests.support.broker import PahoPeer, needs_mosquitto, wait_until

pytestmark = pytest.mark.broker


def _round_trip(url: str, client_id: str) -> list[tuple[str, bytes]]:
    got: list[tuple[str, bytes]] = []
    conn = MqttConnector(
        url, client_id, subscriptions=[("plant/#", 1)], on_message=lambda t, p, _: got.append((t, p))
    )
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected, timeout=10), conn.link_state
        peer = PahoPeer(url, f"{client_id}-peer")
        peer.wait_connected()
        # The connector subscribes in on_connect; publish until the subscription is surely active.
        assert wait_until(lambda: peer.publish("plant/s/a/sensor/d", b'{"v":1}').rc == 0 and bool(got), 10)
        done = threading.Event()
        conn.publish("plant/s/a/cmd/stop-work", b'{"command_id":"x"}', on_delivered=done.set)
        assert done.wait(5)
        assert wait_until(lambda: ("plant/s/a/cmd/stop-work", b'{"command_id":"x"}') in got)
        peer.close()
    finally:
        conn.stop()
    return got


@needs_mosquitto
def test_embedded_mosquitto_round_trip_and_clean_stop(tmp_path: Path) -> None:
    broker = EmbeddedBroker(tmp_path / "broker", prefer="mosquitto")
    with broker:
        assert broker.kind == "mosquitto"
        assert broker.url.startswith("mqtt://127.0.0.1:")
        got = _round_trip(broker.url, "console-emb")
        assert got[0] == ("plant/s/a/sensor/d", b'{"v":1}')
        port = broker.port
    assert not port_open("127.0.0.1", port)  # stopped and waited for
    assert not broker.running


def test_embedded_amqtt_round_trip_and_clean_stop(tmp_path: Path) -> None:
    broker = EmbeddedBroker(tmp_path / "broker", prefer="amqtt")
    with broker:
        assert broker.kind == "amqtt"
        got = _round_trip(broker.url, "console-amqtt")
        assert ("plant/s/a/cmd/stop-work", b'{"command_id":"x"}') in got
        port = broker.port
    assert wait_until(lambda: not port_open("127.0.0.1", port), timeout=5)
    assert not broker.running


def test_auto_falls_back_to_amqtt_without_mosquitto(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(broker_module, "find_mosquitto", lambda: None)
    with EmbeddedBroker(tmp_path, prefer="auto") as broker:
        assert broker.kind == "amqtt"
        assert port_open("127.0.0.1", broker.port)


@needs_mosquitto
def test_auto_prefers_mosquitto_when_installed(tmp_path: Path) -> None:
    with EmbeddedBroker(tmp_path, prefer="auto") as broker:
        assert broker.kind == "mosquitto"


def test_asking_for_mosquitto_without_it_is_a_user_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(broker_module, "find_mosquitto", lambda: None)
    with pytest.raises(UserError, match="install it"):
        EmbeddedBroker(tmp_path, prefer="mosquitto").start()


@pytest.mark.parametrize("prefer", ["mosquitto", "amqtt"])
def test_a_taken_port_is_a_user_error(tmp_path: Path, prefer: str) -> None:
    if prefer == "mosquitto" and find_mosquitto() is None:
        pytest.skip("Mosquitto is not installed")
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        with pytest.raises(UserError, match=f"Port {port} .* already taken"):
            EmbeddedBroker(tmp_path, port=port, prefer=prefer).start()  # type: ignore[arg-type]


@needs_mosquitto
def test_mosquitto_that_cannot_start_reports_its_log(tmp_path: Path) -> None:
    binary = find_mosquitto()
    assert binary is not None
    config = tmp_path / "bad.conf"
    config.write_text("listener 1 127.0.0.1\nno_such_option true\n", encoding="utf-8")
    server = MosquittoServer(binary, config, tmp_path / "log", host="127.0.0.1", port=1)
    with pytest.raises(UserError) as info:
        server.start(timeout=5)
    message = str(info.value)
    assert "exited at start" in message
    assert "no_such_option" in message  # the user sees Mosquitto's own complaint
    assert "\n" not in message


@needs_mosquitto
def test_embedded_mosquitto_keeps_retained_state_across_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "broker"
    with EmbeddedBroker(data, prefer="mosquitto") as broker:
        port = broker.port
        peer = PahoPeer(broker.url, "console-retain")
        peer.wait_connected()
        peer.publish("plant/s/a/work-state", b'{"state":"stopped"}', retain=True).wait_for_publish(5)
        peer.close()
    assert (data / "mosquitto.db").exists()
    with EmbeddedBroker(data, port=port, prefer="mosquitto") as again:
        reader = PahoPeer(again.url, "gateway-retain")
        reader.subscribe("plant/#")
        assert wait_until(lambda: len(reader.received()) == 1)
        got = reader.received()[0]
        assert (got.topic, got.payload, got.retain) == ("plant/s/a/work-state", b'{"state":"stopped"}', True)
        reader.close()


def test_generated_config_limits_anonymous_access_to_loopback(tmp_path: Path) -> None:
    loopback = mosquitto_config(port=1884, data_dir=tmp_path)
    assert "allow_anonymous true" in loopback
    assert "listener 1884 127.0.0.1" in loopback
    assert "max_queued_messages 100000" in loopback
    open_to_lan = mosquitto_config(port=1884, data_dir=tmp_path, host="0.0.0.0")
    assert "allow_anonymous false" in open_to_lan
    with_users = mosquitto_config(port=1884, data_dir=tmp_path, password_file=tmp_path / "pw")
    assert "allow_anonymous false" in with_users
