"""Every message counted (issue 19 part 8): malformed payloads of each kind, published as fast as a
client can, are all counted by their reason, a topic outside the contract's forms included; and what
the broker drops for a slow or absent subscriber shows up as the broker's count, not as silence.
The 100,000-message drill is bench/fuzz.py."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cockpit.config import Config
from cockpit.core import CockpitCore
from connectors.database import Database
from connectors.mqtt import MqttConnector
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until

pytestmark = pytest.mark.broker

EACH = 150
NOW = int(time.time() * 1000)
KINDS: dict[str, tuple[str, bytes]] = {
    "not_json": ("plant/S1/A1/sensor/D1", b"{not json"),
    "not_object": ("plant/S1/A1/sensor/D1", b"[1]"),
    "missing_field": ("plant/S1/A1/sensor/D1", b'{"ts": %d}' % NOW),
    "bad_unit": (
        "plant/S1/A1/sensor/D1",
        b'{"ts": %d, "readings": [{"ch": "LEL", "v": 1, "u": "ppm"}]}' % NOW,
    ),
    "wrong_type": ("plant/S1/A1/sensor/D1", b'{"ts": %d, "readings": "x"}' % NOW),
    "bad_identifier": ("plant/S 1/A1/sensor/D1", b"{}"),
    "bad_topic": ("plant/S1/A1/camera/D1", b"{}"),
    "not_utf8": ("plant/S1/A1/sensor/D1", b"\xff\xfe"),
    "bad_enum": ("plant/S1/A1/device/D1/status", b'{"ts": %d, "state": "melting"}' % NOW),
    "ts_out_of_range": ("plant/S1/A1/worker/W1/event", b'{"ts": 1, "type": "sos"}'),
    "no_readings": ("plant/S1/A1/sensor/D1", b'{"ts": %d, "readings": []}' % NOW),
}


def test_a_burst_of_every_malformed_kind_is_counted_by_its_reason(tmp_path: Path, db: Database) -> None:
    broker = MosquittoProcess(tmp_path).start()
    config = Config()
    config.mqtt.url = broker.url
    core = CockpitCore(config, db, console="fuzz")
    core.start()
    fuzzer = PahoPeer(broker.url, "fuzzer")
    try:
        assert wait_until(lambda: core.connector.link_state.connected)
        fuzzer.wait_connected()
        infos = [fuzzer.publish(*KINDS[kind], qos=1) for _ in range(EACH) for kind in KINDS]
        for info in infos:
            info.wait_for_publish(60)
        total = EACH * len(KINDS)
        assert wait_until(lambda: core.rejections.total >= total, timeout=60), core.rejections.by_reason()
        assert core.rejections.by_reason() == dict.fromkeys(KINDS, EACH)
        assert core.call(lambda: core.stats.messages_in).result(5) >= total
    finally:
        fuzzer.close()
        core.stop()
        broker.stop()


def test_messages_the_broker_drops_for_a_full_queue_are_counted_where_consoles_read_them(
    tmp_path: Path,
) -> None:
    broker = MosquittoProcess(tmp_path, extra_conf="sys_interval 1")
    # The generated configuration raises the queue limit for every broker we start; this test's
    # broker keeps 5 messages for an absent subscriber, as a broker left at a low limit would.
    text = broker.config_file.read_text("utf-8").replace(
        "max_queued_messages 100000", "max_queued_messages 5"
    )
    broker.config_file.write_text(text, "utf-8")
    broker.start()
    absent = PahoPeer(broker.url, "absent-console", clean_session=False)
    absent.subscribe("plant/#", qos=1)
    absent.close()
    conn = MqttConnector(broker.url, "console-watch", subscriptions=[("plant/_cockpit/none", 1)])
    conn.start()
    sender = PahoPeer(broker.url, "gateway")
    try:
        assert wait_until(lambda: conn.counters().broker_dropped == 0, timeout=10), conn.counters()
        sender.wait_connected()
        for n in range(50):
            sender.publish("plant/S1/A1/worker/W1/event", b"%d" % n, qos=1).wait_for_publish(5)
        # 50 for the absent console, 5 kept: the rest dropped and counted by the broker.
        assert wait_until(lambda: (conn.counters().broker_dropped or 0) >= 45, timeout=15), conn.counters()
    finally:
        sender.close()
        conn.stop()
        broker.stop()
