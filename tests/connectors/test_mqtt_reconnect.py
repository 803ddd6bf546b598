"""The link comes back soon after the broker does, without knocking hard while it is away.

paho alone doubles its wait after each failed attempt (1, 2, 4 … 30 s): a broker back after 20 s was
found 11 s later (bench/reconnect). The connector tries every ``RETRY_SOON_S`` while the broker is
down, and keeps paho's back-off for a broker that answers "no".
"""

from __future__ import annotations

import ssl
import threading
import time
from pathlib import Path

import pytest

from connectors.mqtt import RETRY_SOON_S, MqttConnector, _broker_down
from tests.support.broker import MosquittoProcess, needs_mosquitto, wait_until

pytestmark = [pytest.mark.broker, needs_mosquitto]


class AttemptCounter:
    """Counts the connector's connection attempts (paho's ``reconnect``), each with its time."""

    def __init__(self, conn: MqttConnector) -> None:
        self.times: list[float] = []
        self._lock = threading.Lock()
        original = conn._client.reconnect

        def counted() -> object:
            with self._lock:
                self.times.append(time.monotonic())
            return original()

        conn._client.reconnect = counted  # type: ignore[method-assign]

    def count(self) -> int:
        with self._lock:
            return len(self.times)


def test_a_broker_restarted_on_the_same_port_is_found_again_by_steady_attempts(tmp_path: Path) -> None:
    broker = MosquittoProcess(tmp_path, autosave_on_changes=True).start()
    conn = MqttConnector(broker.url, "console-r", subscriptions=[("plant/#", 1)])
    attempts = AttemptCounter(conn)
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        broker.kill()
        down = time.monotonic()
        # Eight attempts: with paho's doubling that would take 1+2+4+…+30 = 98 s, here a few seconds.
        assert wait_until(lambda: attempts.count() >= 9, timeout=30), attempts.count()
        elapsed = time.monotonic() - down
        # Not a storm: never more often than every RETRY_SOON_S (a busy machine only makes it rarer).
        assert attempts.count() - 1 <= elapsed / RETRY_SOON_S + 2, (attempts.count(), elapsed)
        broker.restart()
        assert wait_until(lambda: conn.link_state.connected, timeout=10), conn.link_state
        assert "reconnected" in conn.link_state.reason
    finally:
        conn.stop()
        broker.stop()


def test_a_broker_that_refuses_the_login_gets_the_back_off(tmp_path: Path) -> None:
    from tests.support.broker import write_password_file

    broker = MosquittoProcess(tmp_path, password_file=write_password_file(tmp_path / "pw", {"u": "p"}))
    broker.start()
    conn = MqttConnector(broker.url, "console-s", username="u", password="wrong")
    attempts = AttemptCounter(conn)
    conn.start()
    try:
        assert wait_until(lambda: "refused" in conn.link_state.reason and attempts.count() >= 2, timeout=15)
        assert not conn._retry_soon()
        # paho's doubling: the third attempt comes at least 2 s after the second.
        assert wait_until(lambda: attempts.count() >= 3, timeout=15)
        assert attempts.times[2] - attempts.times[1] >= 1.9
    finally:
        conn.stop()
        broker.stop()


def test_which_errors_mean_the_broker_is_only_down() -> None:
    assert _broker_down(ConnectionRefusedError(111, "Connection refused"))
    assert _broker_down(ConnectionResetError(104, "reset"))
    assert _broker_down(TimeoutError("timed out"))
    assert not _broker_down(ssl.SSLCertVerificationError(1, "certificate verify failed"))
    assert not _broker_down(OSError(2, "No such file"))
