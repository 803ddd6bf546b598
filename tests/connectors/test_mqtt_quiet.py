"""A stop-work command published by the thread that then writes it (``MqttConnector.publish`` with
``written_here``, then ``send_now``): paho's network thread is not woken for it, and when that thread
writes after all (``send_now`` could not), it is woken, so the command is never left for the next
turn of its loop. Against a real Mosquitto."""

from __future__ import annotations

import select
import threading
from collections.abc import Iterator

import pytest

from connectors.mqtt import MqttConnector
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until


@pytest.fixture
def mosquitto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MosquittoProcess]:
    broker = MosquittoProcess(tmp_path_factory.mktemp("quiet-broker")).start()
    yield broker
    broker.stop()


def woken(conn: MqttConnector) -> bool:
    """A wake-up byte waits for paho's network thread (held, it has not read it)."""
    wake_r = conn._client._sockpairR
    return bool(select.select([wake_r], [], [], 0)[0])


def test_a_command_written_here_does_not_wake_paho_and_one_it_cannot_write_does(
    mosquitto: MosquittoProcess,
) -> None:
    field = PahoPeer(mosquitto.url, "quiet-field")
    field.subscribe("plant/+/+/cmd/#", qos=1)
    hold, holding = threading.Event(), threading.Event()

    def on_message(topic: str, payload: bytes, t: float) -> None:  # paho's thread, held here
        holding.set()
        hold.wait(30)

    conn = MqttConnector(mosquitto.url, "quiet", subscriptions=[("hold/#", 0)], on_message=on_message)
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        field.publish("hold/now", b"", qos=0)
        assert holding.wait(10)
        assert not woken(conn)

        # written here: on the wire at once, and paho's thread not woken for it
        assert conn.publish("plant/S1/A1/cmd/stop-work", b"one", qos=1, written_here=True)
        conn.send_now()
        assert wait_until(lambda: len(field.received()) == 1, timeout=5), "send_now did not write"
        assert not woken(conn), "paho's thread was woken for a command this thread wrote"

        # this thread cannot write now (another holds the socket): paho's thread must be woken
        locked, release = threading.Event(), threading.Event()

        def writer() -> None:
            with conn._client._write_lock:
                locked.set()
                release.wait(30)

        other = threading.Thread(target=writer)
        other.start()
        assert locked.wait(5)
        assert conn.publish("plant/S1/A1/cmd/stop-work", b"two", qos=1, written_here=True)
        conn.send_now()
        assert woken(conn), "a command left queued, and paho's thread not told"
        release.set()
        other.join(5)
        hold.set()  # paho's thread goes on, finds the byte, and writes the command
        assert wait_until(lambda: len(field.received()) == 2, timeout=5)
        assert [m.payload for m in field.received()] == [b"one", b"two"]
    finally:
        hold.set()
        conn.stop()
        field.close()
