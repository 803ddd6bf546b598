"""Alarm latency under load: from a HIHI reading's publish to (a) the alarm transition in the engine and
(b) the stop-work command arriving at a separate subscriber.

A publisher process sends 5,000 sensor messages/s of background load; every `interval` seconds a
probe publishes an LEL reading above HIHI in another area that has an active hot-work permit.
The Node-RED baseline measured on this kind of machine answers a HIHI with a stop in 15 ms at p99
under 5k msg/s; the goal is p99 ≤ 100 ms for (a) and ≤ 250 ms for (b).
Usage: python bench/alarm_latency.py [PROBES] [INTERVAL_S]
The default, 200 probes half a second apart (100 s), makes the p99 the second-slowest probe; with 40
probes the p99 is the slowest one, the maximum.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import BenchBroker, Publisher, percentile

from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.core_state import CoreDelta
from connectors.database import Database, open_database
from models.records import HotWorkGrade, PermitStatus, PermitType, RiskLevel
from models.schema import Area, Detector, DetectorChannel, Permit, Site


def build_plant(db: Database, areas: int) -> None:
    now = datetime.now(UTC)
    with db.session() as s:
        s.add(Site(id="B", name="bench"))
        s.flush()
        for i in range(areas):
            s.add(Area(site_id="B", id=f"P{i}", name=f"probe {i}", polygon=[], risk_level=RiskLevel.HIGH))
            s.flush()
            s.add(Detector(id=f"PD-{i}", site_id="B", area_id=f"P{i}"))
            s.flush()
            s.add(DetectorChannel(detector_id=f"PD-{i}", ch="LEL", unit="%LEL"))
            s.add(
                Permit(
                    id=f"HW-{i}",
                    type=PermitType.HOT_WORK,
                    grade=HotWorkGrade.GRADE_1,
                    status=PermitStatus.ACTIVE,
                    site_id="B",
                    area_id=f"P{i}",
                    valid_from=now - timedelta(hours=1),
                    valid_to=now + timedelta(hours=6),
                    applicant="W",
                    supervisor="S",
                    created_at=now,
                    updated_at=now,
                )
            )


def main() -> None:
    probes = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
    folder = Path(tempfile.mkdtemp(prefix="bench-latency-"))
    db = open_database(f"sqlite:///{folder / 'bench.db'}")
    build_plant(db, probes)
    published: dict[str, float] = {}
    engine_seen: dict[str, float] = {}
    wire_seen: dict[str, float] = {}

    def on_delta(delta: CoreDelta) -> None:
        now = time.time()
        for tr in delta.transitions:
            if tr.condition == "HIHI" and tr.area not in engine_seen:
                engine_seen[tr.area] = now

    with BenchBroker() as broker:
        import paho.mqtt.client as paho
        from paho.mqtt.enums import CallbackAPIVersion

        host, port = broker.url.removeprefix("mqtt://").rsplit(":", 1)
        config = Config()
        config.mqtt.url = broker.url
        config.mqtt.default_max_age_s = 30
        core = CockpitCore(config, db, console="bench", listener=on_delta)
        core.start()
        field = _field_subscriber(host, int(port), wire_seen)
        probe = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-probe")
        probe.connect(host, int(port))
        probe.loop_start()
        deadline = time.monotonic() + 10
        while not core.connector.link_state.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        background = Publisher(broker.url, int(5000 * (probes * interval + 5)), rate=5000)
        background.start()
        time.sleep(2.0)
        for i in range(probes):
            body = json.dumps(
                {"ts": int(time.time() * 1000), "seq": 1, "readings": [{"ch": "LEL", "v": 31.0, "u": "%LEL"}]}
            ).encode()
            published[f"P{i}"] = time.time()
            probe.publish(f"plant/B/P{i}/sensor/PD-{i}", body, qos=1)
            time.sleep(interval)
        time.sleep(3.0)
        in_count = core.stats.messages_in
        elapsed = time.time() - (core.stats.first_arrival or time.time())
        background.proc.terminate()
        core.stop()
        probe.loop_stop()
        field.loop_stop()

    _report(probes, published, engine_seen, wire_seen, in_count / elapsed if elapsed > 0 else 0.0)


def _field_subscriber(host: str, port: int, wire_seen: dict[str, float]) -> Any:
    """A field gateway's client on the stop-work topics: when each area's stop arrived."""
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    field = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-field")
    subscribed = threading.Event()

    def on_message(client: Any, userdata: Any, msg: Any) -> None:
        area = msg.topic.split("/")[2]
        wire_seen.setdefault(area, time.time())

    field.on_message = on_message
    field.on_subscribe = lambda *a: subscribed.set()
    field.connect(host, port)
    field.subscribe("plant/+/+/cmd/stop-work", 1)
    field.loop_start()
    subscribed.wait(10)
    return field


def _report(
    probes: int,
    published: dict[str, float],
    engine_seen: dict[str, float],
    wire_seen: dict[str, float],
    load: float,
) -> None:
    engine_ms = [(engine_seen[a] - t) * 1000 for a, t in published.items() if a in engine_seen]
    wire_ms = [(wire_seen[a] - t) * 1000 for a, t in published.items() if a in wire_seen]

    def line(name: str, values: list[float]) -> str:
        return (
            f"{name}: p50 {percentile(values, 50):.1f} ms, p99 {percentile(values, 99):.1f} ms, "
            f"max {max(values) if values else float('nan'):.1f} ms ({len(values)}/{probes})"
        )

    print(f"background load received by the cockpit: {load:,.0f} msg/s")
    slowest = sorted(published, key=lambda a: -(wire_seen.get(a, math.inf) - published[a]))[:5]
    print(
        "slowest probes (publish -> transition / stop, ms, seconds after the first probe): "
        + ", ".join(
            f"{a} {(engine_seen.get(a, math.nan) - published[a]) * 1000:.0f}/"
            f"{(wire_seen.get(a, math.nan) - published[a]) * 1000:.0f} @{published[a] - published['P0']:.1f}s"
            for a in slowest
        )
    )
    print(line("(a) publish -> alarm transition", engine_ms))
    print(line("(b) publish -> stop-work at the field", wire_ms))
    print(
        f"engine_p50_ms={percentile(engine_ms, 50):.1f} engine_p99_ms={percentile(engine_ms, 99):.1f} "
        f"engine_max_ms={max(engine_ms, default=float('nan')):.1f} stop_p50_ms={percentile(wire_ms, 50):.1f} "
        f"stop_p99_ms={percentile(wire_ms, 99):.1f} stop_max_ms={max(wire_ms, default=float('nan')):.1f} "
        f"stop_ratio_vs_nodered_p99={percentile(wire_ms, 99) / 15.0:.2f} load_msgs_s={load:.0f} "
        f"probes={probes} stops={len(wire_ms)}"
    )


if __name__ == "__main__":
    main()
