"""100,000 malformed payloads at full speed: is every one counted by its reason, and who lost any?

The cockpit's core (as in `serve`) takes them from a Mosquitto configured like the shipped one's
queues (connectors.broker.mosquitto_config), with a second subscriber beside it (a plain paho client,
QoS 1, persistent session) that tells whether the broker delivered what the cockpit did not count.
The publisher (its own process) sends 13 malformed kinds in turn, one per rejection reason.

    python bench/fuzz.py [N] [QOS]          (default 100000 1)

Ends with one line: sent=… broker_to_watcher=… cockpit_in=… rejected=… uncounted=… broker_dropped=…
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import BenchBroker
from soak import build_plant, rss_mb

from cockpit.config import Config
from cockpit.core import CockpitCore
from connectors.database import open_database

NOW_MS = int(time.time() * 1000)
GOOD = b'{"ch": "LEL", "v": 1.0, "u": "%%LEL"}'
KINDS: list[tuple[str, bytes]] = [
    ("plant/S1/A0/sensor/D1", b"{not json"),  # not_json
    ("plant/S1/A0/sensor/D1", b"[1, 2]"),  # not_object
    ("plant/S1/A0/sensor/D1", b'{"ts": %d}' % NOW_MS),  # missing_field
    ("plant/S1/A0/sensor/D1", b'{"ts": %d, "readings": [{"ch": "LEL", "v": 1, "u": "ppm"}]}' % NOW_MS),
    ("plant/S1/A0/sensor/D1", b'{"ts": %d, "readings": "x"}' % NOW_MS),  # wrong_type
    ("plant/S1/A0/sensor/D1", b'{"ts": %d, "readings": [{"ch": "LEL", "v": NaN, "u": "%%LEL"}]}' % NOW_MS),
    ("plant/S 1/A0/sensor/D1", b"{}"),  # bad_identifier
    ("plant/S1/A0/nonsense/D1", b"{}"),  # bad_topic
    ("plant/S1/A0/sensor/D1", b"\xff\xfe\xfd"),  # not_utf8
    ("plant/S1/A0/device/D1/status", b'{"ts": %d, "state": "melting"}' % NOW_MS),  # bad_enum
    ("plant/S1/A0/sensor/D1", b'{"ts": 1, "readings": [%s]}' % GOOD),  # ts_out_of_range
    ("plant/S1/A0/sensor/D1", b'{"ts": %d, "readings": []}' % NOW_MS),  # no_readings
    ("plant/S1/A0/cmd/ack", b'{"command_id": "x", "ts": %d, "status": "done"}' % NOW_MS),  # bad_enum
]


def publish(url: str, n: int, qos: int, done: mp.synchronize.Event) -> None:
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    host, port = url.removeprefix("mqtt://").rsplit(":", 1)
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-fuzz-pub")
    client.max_inflight_messages_set(1000)
    client.connect(host, int(port))
    client.loop_start()
    time.sleep(0.5)
    last = None
    for i in range(n):
        while (info := client.publish(*KINDS[i % len(KINDS)], qos=qos)).rc != 0:
            time.sleep(0.001)  # paho's queue is full: full speed means as fast as it takes them
        last = info
    if qos and last is not None:
        last.wait_for_publish(300)
    client.disconnect()
    client.loop_stop()
    done.set()


class Watcher:
    """The second subscriber: what the broker handed to a QoS 1 subscriber beside the cockpit."""

    def __init__(self, url: str) -> None:
        import paho.mqtt.client as paho
        from paho.mqtt.enums import CallbackAPIVersion

        host, port = url.removeprefix("mqtt://").rsplit(":", 1)
        self.count = 0
        self.dropped = -1
        ready = threading.Event()
        self.client = paho.Client(
            CallbackAPIVersion.VERSION2, client_id="bench-fuzz-watch", clean_session=False
        )
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *a: ready.set()
        self.client.connect(host, int(port))
        self.client.subscribe([("plant/#", 1), ("$SYS/broker/publish/messages/dropped", 0)])
        self.client.loop_start()
        ready.wait(10)

    def _on_message(self, client: object, userdata: object, msg: object) -> None:
        topic = msg.topic  # type: ignore[attr-defined]
        if topic.startswith("$SYS/"):
            self.dropped = int(msg.payload)  # type: ignore[attr-defined]
        else:
            self.count += 1


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    qos = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    folder = Path(tempfile.mkdtemp(prefix="bench-fuzz-"))
    db = open_database(f"sqlite:///{folder / 'fuzz.db'}")
    build_plant(db)
    with BenchBroker(extra="sys_interval 1") as broker:
        config = Config()
        config.mqtt.url = broker.url
        core = CockpitCore(config, db, console="fuzz")
        core.start()
        while not core.connector.link_state.connected:
            time.sleep(0.05)
        watcher = Watcher(broker.url)
        rss_start = rss_mb()
        done = mp.get_context("spawn").Event()
        pub = mp.get_context("spawn").Process(target=publish, args=(broker.url, n, qos, done))
        started = time.monotonic()
        pub.start()
        last: tuple[int, int] = (-1, -1)
        still = 0
        while still < 20:  # until nothing has moved for 2 s after the publisher finished
            time.sleep(0.1)
            now = (core.stats.messages_in, watcher.count)
            still = still + 1 if (done.is_set() or not pub.is_alive()) and now == last else 0
            last = now
        elapsed = time.monotonic() - started
        pub.join()
        health = core.health_payload()
        core.stop()
        watcher.client.loop_stop()
        rejected = core.rejections.total
        print(f"by reason: {core.rejections.by_reason()}")
        print(
            f"sent={n} qos={qos} broker_to_watcher={watcher.count} cockpit_in={core.stats.messages_in} "
            f"rejected={rejected} uncounted={n - rejected} broker_dropped={watcher.dropped} "
            f"health_broker_dropped={health.get('broker_dropped', 'n/a')} seconds={elapsed:.1f} "
            f"rss_growth_mb={rss_mb() - rss_start:.1f}"
        )


if __name__ == "__main__":
    main()
