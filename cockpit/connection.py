"""The console's link to the plant's broker: one MQTT connector built from the configuration."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from cockpit.config import Config
from cockpit.wire import dumps
from connectors.mqtt import LinkState, MqttConnector, TlsOptions
from connectors.topics import Topics


def field_connector(
    config: Config,
    console: str,
    broker_url: str | None,
    username: str | None,
    password: str | None,
    *,
    on_message: Callable[[str, bytes, float], None] | None = None,
    on_link_change: Callable[[LinkState], None] | None = None,
    on_read: Callable[[], None] | None = None,
) -> MqttConnector:
    """The console's link to the plant's broker (not started): its URL, TLS files and credentials are
    checked here, so a mistake in them is one readable ``UserError`` before anything runs."""
    topics = Topics(config.mqtt.root)
    offline = dumps({"ts": 0, "state": "offline"})
    return MqttConnector(
        broker_url or config.mqtt.url,
        client_id=f"cockpit-{console}"[:64],
        username=username or config.mqtt.username or None,
        password=password,
        tls=tls_options(config),
        will=(topics.health(console), offline, 1, True),
        subscriptions=topics.field_subscriptions(),
        on_message=on_message,
        on_link_change=on_link_change,
        on_read=on_read,
        keepalive=config.mqtt.keepalive_s,
    )


class CommandLane:
    """Stop-work and resume commands, with the area's state and the permits' states that go with them,
    on a connection of their own (client id ``<console's>-cmd``, same login and TLS, no subscriptions).

    A broker reads a client's packets one at a time, in order: Mosquitto 2.0 one packet per wake-up
    of its event loop for each client (src/mux_epoll.c). On the console's own connection a command
    queued behind the acknowledgements of thousands of readings a second waited for the broker to
    get through them (bench/peer's probes under 5,000 QoS 1 readings/s: socket -> field p90 9 ms,
    max 86 ms; 3.5 ms and 9 ms on a connection of its own, in the same runs). While the lane is not
    connected, a command goes on the console's connection, as before, so it is never held back."""

    # The longest a thread that wrote a command waits for the broker to take it (``settle``).
    SETTLE_S = 0.003

    def __init__(self, main: MqttConnector) -> None:
        self.main = main
        self.lane = main.sibling(
            f"{main.client_id}-cmd", will=None, birth=None, subscriptions=(), on_message=None
        )
        self._written: list[threading.Event] = []  # since the last ``settle``: one per message

    def start(self) -> None:
        self.lane.start()

    def stop(self) -> None:
        self.lane.stop()

    def publish(self, topic: str, payload: bytes, qos: int, retain: bool) -> bool:
        """Written by the calling thread with ``send_now``, which stop-work calls after every command
        and its states (``StopWorkService.publish_command``)."""
        if not self.lane.link_state.connected:
            return self.main.publish(topic, payload, qos=qos, retain=retain, written_here=True)
        # Only the lane's acknowledgements are waited for: the console's own come to the network thread
        # that may be the one running the core's cycle, and so waiting. QoS 0 has none to wait for.
        taken = threading.Event() if qos else None
        delivered = None if taken is None else taken.set
        sent = self.lane.publish(
            topic, payload, qos=qos, retain=retain, on_delivered=delivered, written_here=True
        )
        if sent and taken is not None:
            self._written.append(taken)
        return sent

    def send_now(self) -> None:
        self.lane.send_now()
        self.main.send_now()

    def settle(self, wait: bool = True) -> None:
        """Wait until the broker has acknowledged the messages written since the last call, at most
        ``SETTLE_S`` (``wait`` False: only forget them); the thread that wrote a stop calls it before it
        goes on to record it. On a machine whose cores the broker and the field's clients share with
        the cockpit (a control room's PC with its Mosquitto), the claim, the record and the log line
        that follow a stop kept a core the broker needed to forward it: 3 ms parked after the write
        took the field's copy from 1.2-1.5 ms after our socket to 0.5-0.8 (bench/stop_path, quiet, two
        cores). Waiting for the acknowledgement leaves the core to the broker as long as it needs it."""
        written, self._written = self._written, []
        if not wait:
            return
        deadline = time.monotonic() + self.SETTLE_S
        for taken in written:
            if not taken.wait(max(0.0, deadline - time.monotonic())):
                return


def tls_options(config: Config) -> TlsOptions | None:
    """The broker's TLS files from the configuration; None for a plain connection."""
    if not (config.mqtt.tls_ca_file or config.mqtt.tls_cert_file):
        return None
    from pathlib import Path

    return TlsOptions(
        Path(config.mqtt.tls_ca_file) if config.mqtt.tls_ca_file else None,
        Path(config.mqtt.tls_cert_file) if config.mqtt.tls_cert_file else None,
        Path(config.mqtt.tls_key_file) if config.mqtt.tls_key_file else None,
    )


def read_retained(
    config: Config, topic: str, client_id: str, password: str | None, timeout_s: float = 5.0
) -> bytes | None:
    """The message the broker keeps retained on ``topic``; None when none came within ``timeout_s``
    (no retained message, or no connection: the broker's link state then says which)."""
    got: list[bytes] = []
    arrived = threading.Event()

    def on_message(t: str, payload: bytes, _received: float) -> None:
        if t == topic and not got:
            got.append(payload)
            arrived.set()

    connector = MqttConnector(
        config.mqtt.url,
        client_id=client_id[:64],
        username=config.mqtt.username or None,
        password=password,
        tls=tls_options(config),
        subscriptions=((topic, 1),),
        on_message=on_message,
        keepalive=config.mqtt.keepalive_s,
    )
    connector.start()
    try:
        arrived.wait(timeout_s)
    finally:
        connector.stop(drain_timeout=0)
    return got[0] if got else None
