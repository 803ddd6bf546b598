"""The field gate's answer time (issue 17: within 1 s): from a gate request's publish to its reply at the
gate, idle and then under 5,000 sensor messages/s of background load, in one run.

The database read runs on the core's database worker (SQLite here). The loaded figures are also given
as a ratio to the idle ones measured in the same run.
Usage: python bench/gate_latency.py [REQUESTS] [INTERVAL_S]
"""

from __future__ import annotations

import json
import socket
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import BenchBroker, Publisher, percentile

from cockpit.config import Config
from cockpit.core import CockpitCore
from connectors.database import Database, open_database
from models.records import HotWorkGrade, PermitStatus, PermitType, RiskLevel
from models.schema import (
    Area,
    Certificate,
    Contractor,
    Permit,
    PermitWorker,
    Site,
    Worker,
    WorkerTraining,
)


def build_plant(db: Database) -> None:
    now = datetime.now(UTC)
    today = date.today()
    with db.session() as s:
        s.add(Site(id="B", name="bench"))
        s.add(Contractor(code="C-1", name="bench contractor"))
        s.flush()
        s.add(Area(site_id="B", id="G", name="gate", polygon=[], risk_level=RiskLevel.HIGH))
        s.add(Worker(id="W-1", name="bench welder", contractor_code="C-1", trade="焊工"))
        s.flush()
        s.add(
            Certificate(
                worker_id="W-1",
                number="T-1",
                trade="熔化焊接与热切割作业",
                valid_from=today - timedelta(days=400),
                valid_to=today + timedelta(days=400),
            )
        )
        s.add(WorkerTraining(worker_id="W-1", name="入厂三级安全教育", trained_on=today - timedelta(days=5)))
        s.add(
            Permit(
                id="HW-1",
                type=PermitType.HOT_WORK,
                grade=HotWorkGrade.GRADE_1,
                status=PermitStatus.ACTIVE,
                site_id="B",
                area_id="G",
                valid_from=now - timedelta(hours=1),
                valid_to=now + timedelta(hours=6),
                applicant="W-1",
                supervisor="S",
                created_at=now,
                updated_at=now,
            )
        )
        s.flush()
        s.add(PermitWorker(permit_id="HW-1", worker_id="W-1"))


def ask(gate: Any, replies: dict[str, float], n: int, interval: float, tag: str) -> list[float]:
    """``n`` requests, one every ``interval`` s; each answer's time in ms (a missing one is infinite)."""
    sent: dict[str, float] = {}
    for i in range(n):
        rid = f"{tag}-{i}"
        body = {"ts": int(time.time() * 1000), "request_id": rid, "badge": "W-1", "permit": "HW-1"}
        sent[rid] = time.monotonic()
        gate.publish("plant/B/G/gate/G-1/request", json.dumps(body).encode(), qos=1)
        time.sleep(interval)
    time.sleep(2.0)
    return [(replies.get(rid, float("inf")) - t0) * 1000 for rid, t0 in sent.items()]


def run(n: int, interval: float, extra: str, loaded: bool) -> tuple[list[float], list[float], int]:
    """One broker, one core: the answer times idle and (when ``loaded``) under background load."""
    folder = Path(tempfile.mkdtemp(prefix="bench-gate-"))
    db = open_database(f"sqlite:///{folder / 'bench.db'}")
    build_plant(db)
    replies: dict[str, float] = {}
    allowed: list[bool] = []
    with BenchBroker(extra) as broker:
        import paho.mqtt.client as paho
        from paho.mqtt.enums import CallbackAPIVersion

        host, port = broker.url.removeprefix("mqtt://").rsplit(":", 1)
        config = Config()
        config.mqtt.url = broker.url
        core = CockpitCore(config, db, console="bench", data_dir=folder)
        core.start()
        gate = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-gate")
        subscribed = threading.Event()

        def on_message(client: Any, userdata: Any, msg: Any) -> None:
            body = json.loads(msg.payload)
            replies.setdefault(body["request_id"], time.monotonic())
            allowed.append(body["allowed"])

        gate.on_message = on_message
        gate.on_subscribe = lambda *a: subscribed.set()
        gate.connect(host, int(port))
        # As the cockpit's own client does (DEVELOPERS.md): the gate's side is not what is measured.
        sock = gate.socket()
        if isinstance(sock, socket.socket):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        gate.subscribe("plant/B/G/gate/+/reply", 1)
        gate.loop_start()
        subscribed.wait(10)
        deadline = time.monotonic() + 10
        while not core.connector.link_state.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        idle = ask(gate, replies, n, interval, "idle")
        busy: list[float] = []
        if loaded:
            background = Publisher(broker.url, int(5000 * (n * interval + 10)), rate=5000)
            background.start()
            time.sleep(2.0)
            busy = ask(gate, replies, n, interval, "loaded")
            background.proc.terminate()
        core.stop()
        gate.loop_stop()
    return idle, busy, sum(allowed)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 0.2
    nagle, _, _ = run(n, interval, "set_tcp_nodelay false", loaded=False)  # Mosquitto's default
    idle, loaded, allowed = run(n, interval, "", loaded=True)  # as the cockpit configures it
    print(f"allowed {allowed} of {2 * n}")
    for name, times in (("nagle (broker default), idle", nagle), ("idle", idle), ("5,000 msg/s", loaded)):
        print(f"{name:>30}: p50 {percentile(times, 50):6.1f} ms  p99 {percentile(times, 99):6.1f} ms")
    p99 = percentile(loaded, 99)
    print(
        f"gate_loaded_p99_ms={p99:.1f} loaded_to_idle_p99={p99 / percentile(idle, 99):.2f} "
        f"nagle_to_nodelay_p50={percentile(nagle, 50) / percentile(idle, 50):.1f} "
        f"under_1s={max(loaded) < 1000}"
    )


if __name__ == "__main__":
    main()
