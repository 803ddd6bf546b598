"""The console's link to the plant's broker: one MQTT connector built from the configuration."""

from __future__ import annotations

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
    tls = None
    if config.mqtt.tls_ca_file or config.mqtt.tls_cert_file:
        from pathlib import Path

        tls = TlsOptions(
            Path(config.mqtt.tls_ca_file) if config.mqtt.tls_ca_file else None,
            Path(config.mqtt.tls_cert_file) if config.mqtt.tls_cert_file else None,
            Path(config.mqtt.tls_key_file) if config.mqtt.tls_key_file else None,
        )
    topics = Topics(config.mqtt.root)
    offline = dumps({"ts": 0, "state": "offline"})
    return MqttConnector(
        broker_url or config.mqtt.url,
        client_id=f"cockpit-{console}"[:64],
        username=username or config.mqtt.username or None,
        password=password,
        tls=tls,
        will=(topics.health(console), offline, 1, True),
        subscriptions=topics.field_subscriptions(),
        on_message=on_message,
        on_link_change=on_link_change,
        keepalive=config.mqtt.keepalive_s,
    )
