"""The console's link to the plant's broker: one MQTT connector built from the configuration."""

from __future__ import annotations

import threading
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
        keepalive=config.mqtt.keepalive_s,
    )


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
