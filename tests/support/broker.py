"""Real Mosquitto brokers for tests, and a plain paho peer to talk to them.

``MosquittoProcess`` writes its configuration with the production writer
(``connectors.broker.mosquitto_config``) so the tests run the broker the cockpit would run, and adds what
only tests need: SIGKILL (a crash), restart on the same port with the same store, users, ACLs, TLS.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from connectors.broker import (
    LOOPBACK,
    ListenerTls,
    MosquittoServer,
    find_mosquitto,
    free_port,
    mosquitto_config,
)

MOSQUITTO = find_mosquitto()
needs_mosquitto = pytest.mark.skipif(MOSQUITTO is None, reason="Mosquitto is not installed")


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, interval: float = 0.01) -> bool:
    """Poll until ``predicate`` holds; True if it did within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class MosquittoProcess:
    """A Mosquitto of the test's own on a free port, with persistence in ``tmp_path``."""

    def __init__(
        self,
        tmp_path: Path,
        *,
        port: int | None = None,
        extra_conf: str = "",
        password_file: Path | None = None,
        acl_file: Path | None = None,
        tls: ListenerTls | None = None,
        autosave_on_changes: bool = False,
    ) -> None:
        if MOSQUITTO is None:
            pytest.skip("Mosquitto is not installed")
        self.dir = tmp_path / f"mosquitto-{id(self):x}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.log_file = self.dir / "mosquitto.log"
        config = mosquitto_config(
            port=self.port,
            data_dir=self.dir,
            # Save on every change, so a SIGKILL keeps the sessions the test just made.
            autosave_interval=1 if autosave_on_changes else 10,
            autosave_on_changes=autosave_on_changes,
            password_file=password_file,
            acl_file=acl_file,
            tls=tls,
            extra=extra_conf,
        )
        self.config_file = self.dir / "mosquitto.conf"
        self.config_file.write_text(config, encoding="utf-8")
        self._server = MosquittoServer(
            MOSQUITTO, self.config_file, self.log_file, host=LOOPBACK, port=self.port
        )

    @property
    def url(self) -> str:
        return f"mqtt://{LOOPBACK}:{self.port}"

    @property
    def tls_url(self) -> str:
        return f"mqtts://{LOOPBACK}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server.running

    def start(self) -> MosquittoProcess:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def kill(self) -> None:
        """SIGKILL: no store saved beyond the last autosave, no goodbye to clients."""
        self._server.kill()

    def pause(self) -> None:
        """SIGSTOP: the broker keeps its connections open but reads nothing, so clients' sockets fill."""
        pid = self._server.pid
        assert pid is not None, "the broker is not running"
        os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        pid = self._server.pid
        assert pid is not None, "the broker is not running"
        os.kill(pid, signal.SIGCONT)

    def restart(self) -> None:
        """Start again on the same port with the same store."""
        self._server.stop()
        self._server.start()

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace") if self.log_file.exists() else ""


@pytest.fixture
def mosquitto(tmp_path: Path) -> Iterator[MosquittoProcess]:
    """A running Mosquitto with persistence, stopped after the test."""
    broker = MosquittoProcess(tmp_path).start()
    try:
        yield broker
    finally:
        broker.stop()


def write_password_file(path: Path, users: dict[str, str]) -> Path:
    """A mosquitto_passwd file (hashed) for ``users``."""
    tool = shutil.which("mosquitto_passwd")
    if tool is None:
        pytest.skip("mosquitto_passwd is not installed")
    path.unlink(missing_ok=True)
    for index, (user, password) in enumerate(users.items()):
        args = [tool, "-b", *(["-c"] if index == 0 else []), str(path), user, password]
        subprocess.run(args, check=True, capture_output=True, timeout=10)
    return path


@dataclass
class Received:
    topic: str
    payload: bytes
    qos: int
    retain: bool


class PahoPeer:
    """Another MQTT client (a field gateway, a second console), on plain paho and nothing of ours."""

    def __init__(self, url: str, client_id: str, *, clean_session: bool = True, **auth: Any) -> None:
        host, port = url.removeprefix("mqtt://").rsplit(":", 1)
        self.client = paho.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=clean_session
        )
        if auth:
            self.client.username_pw_set(auth["username"], auth.get("password"))
        self.client.reconnect_delay_set(1, 2)
        self.messages: list[Received] = []
        self._lock = threading.Lock()
        self._connected = threading.Event()
        self.client.on_message = self._on_message
        self.client.on_connect = lambda c, u, f, rc, p: self._connected.set() if not rc.is_failure else None
        self.client.on_disconnect = lambda c, u, f, rc, p: self._connected.clear()
        self.client.connect_async(host, int(port))
        self.client.loop_start()

    def _on_message(self, client: paho.Client, userdata: Any, message: paho.MQTTMessage) -> None:
        with self._lock:
            self.messages.append(Received(message.topic, bytes(message.payload), message.qos, message.retain))

    def wait_connected(self, timeout: float = 10.0) -> None:
        assert self._connected.wait(timeout), "the peer client did not connect"

    def subscribe(self, topic: str, qos: int = 1) -> None:
        self.wait_connected()
        done = threading.Event()
        self.client.on_subscribe = lambda *args: done.set()
        self.client.subscribe(topic, qos)
        assert done.wait(5), f"no SUBACK for {topic}"

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> paho.MQTTMessageInfo:
        return self.client.publish(topic, payload, qos=qos, retain=retain)

    def received(self, topic: str | None = None) -> list[Received]:
        with self._lock:
            return [m for m in self.messages if topic is None or m.topic == topic]

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        self.client._reset_sockets()  # paho leaves its wake-up pair to the collector (DEVELOPERS.md)
