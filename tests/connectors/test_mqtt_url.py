"""Broker URLs as a user types them in the settings or on the command line."""

from __future__ import annotations

import pytest

from connectors.mqtt import BrokerUrl, MqttConnector
from models.errors import UserError


@pytest.mark.parametrize(
    ("text", "scheme", "host", "port"),
    [
        ("mqtt://broker.plant.local:1883", "mqtt", "broker.plant.local", 1883),
        ("mqtt://10.0.0.5", "mqtt", "10.0.0.5", 1883),
        ("mqtts://broker", "mqtts", "broker", 8883),
        ("MQTTS://Broker:9883/", "mqtts", "broker", 9883),
        ("  mqtt://[::1]:1884  ", "mqtt", "::1", 1884),
    ],
)
def test_valid_urls(text: str, scheme: str, host: str, port: int) -> None:
    url = BrokerUrl.parse(text)
    assert (url.scheme, url.host, url.port) == (scheme, host, port)
    assert url.tls is (scheme == "mqtts")
    assert BrokerUrl.parse(str(url)) == url  # what is shown can be typed back


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("tcp://broker:1883", "unsupported scheme"),
        ("broker:1883", "unsupported scheme"),
        ("", "unsupported scheme"),
        ("mqtt://", "no host"),
        ("mqtt://broker:99999", "not valid"),
        ("mqtt://broker:abc", "not valid"),
        ("mqtt://broker:0", "port 0"),
        ("mqtt://broker:1883/plant", "path"),
        ("mqtt://user:pw@broker", "credentials"),
        ("ws://broker", "unsupported scheme"),
    ],
)
def test_invalid_urls_are_one_line_user_errors(text: str, fragment: str) -> None:
    with pytest.raises(UserError) as info:
        BrokerUrl.parse(text)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message
    assert "mqtt://host:port" in message or "secret set mqtt" in message


def test_connector_rejects_a_bad_url_and_an_empty_client_id_before_any_network_work() -> None:
    with pytest.raises(UserError, match="unsupported scheme"):
        MqttConnector("http://broker", "console-1")
    with pytest.raises(UserError, match="client id"):
        MqttConnector("mqtt://broker", " ")
