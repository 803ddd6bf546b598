"""The field gate's answer time (issue 17: within 1 s for every answer): from a gate request's publish to
its reply at the gate, for an allow and for every reason to refuse, idle and then under 5,000 sensor
messages/s of background load, in one run.

The gate asks about the tests' people (tests/support/gate_people.py: one per reason) at the small
plant's A1, a permit not active there, and a stopped area (A2: every reason at once). The database
read runs on the core's database worker (SQLite here). The loaded figures are also given as a ratio
to the idle ones measured in the same run; an answer with other reasons than expected is counted.
Usage: python bench/gate_latency.py [ROUNDS] [INTERVAL_S]   (each round asks every case once)
"""

from __future__ import annotations

import json
import socket
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _common import BenchBroker, Publisher, percentile

from cockpit.config import Config
from cockpit.core import CockpitCore
from connectors.database import open_database
from tests.support.gate_people import REASON_OF, add_gate_people
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, signed

#: (case, area, worker, permit, the reason codes expected: none is an allow)
CASES: list[tuple[str, str, str, str | None, list[str]]] = [
    *(
        (code or "allowed", "A1", worker, "HW-1", [code] if code else [])
        for worker, code in REASON_OF.items()
    ),
    ("permit_not_active_here", "A1", "W-3", "HW-404", ["not_on_active_permit"]),
    ("area_stopped", "A2", "W-3", None, ["not_on_active_permit", "area_stopped"]),
]


def ask(
    gate: Any, replies: dict[str, tuple[float, list[str]]], rounds: int, interval: float, tag: str
) -> tuple[dict[str, list[float]], int]:
    """Every case once a round, one request every ``interval`` s: each case's answer times in ms (a
    missing answer is infinite), and how many answers gave other reasons than expected."""
    sent: dict[str, tuple[str, float, list[str]]] = {}
    for i in range(rounds):
        for case, area, worker, permit, expected in CASES:
            rid = f"{tag}-{case}-{i}"
            body = {"ts": int(time.time() * 1000), "request_id": rid, "badge": worker}
            if permit is not None:
                body["permit"] = permit
            sent[rid] = (case, time.monotonic(), expected)
            gate.publish(f"plant/S1/{area}/gate/G-1/request", json.dumps(body).encode(), qos=1)
            time.sleep(interval)
    time.sleep(2.0)
    times: dict[str, list[float]] = {case: [] for case, *_ in CASES}
    wrong = 0
    for rid, (case, t0, expected) in sent.items():
        at, codes = replies.get(rid, (float("inf"), expected))
        times[case].append((at - t0) * 1000)
        wrong += codes != expected
    return times, wrong


Times = dict[str, list[float]]


def run(rounds: int, interval: float, extra: str, loaded: bool) -> tuple[Times, Times, int]:
    """One broker, one core: the answer times per case idle and (when ``loaded``) under background
    load, and the answers with unexpected reasons."""
    folder = Path(tempfile.mkdtemp(prefix="bench-gate-"))
    db = open_database(f"sqlite:///{folder / 'bench.db'}")
    now = datetime.now(UTC)
    build_small_plant(db, now)
    add_gate_people(db, now.date())
    replies: dict[str, tuple[float, list[str]]] = {}
    with BenchBroker(extra) as broker:
        import paho.mqtt.client as paho
        from paho.mqtt.enums import CallbackAPIVersion

        host, port = broker.url.removeprefix("mqtt://").rsplit(":", 1)
        config = Config()
        config.mqtt.url = broker.url
        core = CockpitCore(config, db, console="bench", data_dir=folder, sessions=TEST_KEYS)
        core.start()
        gate = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-gate")
        subscribed = threading.Event()

        def on_message(client: Any, userdata: Any, msg: Any) -> None:
            body = json.loads(msg.payload)
            codes = [r["code"] for r in body["reasons"]]
            replies.setdefault(body["request_id"], (time.monotonic(), codes))

        gate.on_message = on_message
        gate.on_subscribe = lambda *a: subscribed.set()
        gate.connect(host, int(port))
        # As the cockpit's own client does (DEVELOPERS.md): the gate's side is not what is measured.
        sock = gate.socket()
        if isinstance(sock, socket.socket):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        gate.subscribe("plant/S1/+/gate/+/reply", 1)
        gate.loop_start()
        subscribed.wait(10)
        deadline = time.monotonic() + 10
        while not core.connector.link_state.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        core.stop_work(signed("lead.wang"), "S1", "A2", "bench: a stopped area").result(15)
        time.sleep(0.5)
        idle, wrong = ask(gate, replies, rounds, interval, "idle")
        busy: Times = {}
        if loaded:
            seconds = rounds * len(CASES) * interval + 10
            background = Publisher(broker.url, int(5000 * seconds), rate=5000)
            background.start()
            time.sleep(2.0)
            busy, wrong_loaded = ask(gate, replies, rounds, interval, "loaded")
            wrong += wrong_loaded
            background.proc.terminate()
        core.stop()
        gate.loop_stop()
    db.dispose()
    return idle, busy, wrong


def _all(times: Times) -> list[float]:
    return [t for case in times.values() for t in case]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 0.2
    # Mosquitto's default first, then as the cockpit configures it
    nagle, _, wrong_nagle = run(rounds, interval, "set_tcp_nodelay false", loaded=False)
    idle, loaded, wrong = run(rounds, interval, "", loaded=True)
    print(f"{len(CASES)} cases x {rounds} rounds; answers with unexpected reasons: {wrong + wrong_nagle}")
    print(f"{'case':>28}  {'idle p50/p99/max ms':>22}  {'5,000 msg/s p50/p99/max ms':>28}")
    for case, *_ in CASES:
        cells = [
            f"{percentile(t[case], 50):6.1f} {percentile(t[case], 99):6.1f} {max(t[case]):6.1f}"
            for t in (idle, loaded)
        ]
        print(f"{case:>28}  {cells[0]:>22}  {cells[1]:>28}")
    for name, times in (("nagle (broker default), idle", nagle), ("idle", idle), ("5,000 msg/s", loaded)):
        every = _all(times)
        print(f"{name:>30}: p50 {percentile(every, 50):6.1f} ms  p99 {percentile(every, 99):6.1f} ms")
    worst = max(_all(idle) + _all(loaded))
    p99 = percentile(_all(loaded), 99)
    slowest = max(CASES, key=lambda c: max(loaded[c[0]]))[0]
    print(
        f"gate_loaded_p99_ms={p99:.1f} loaded_to_idle_p99={p99 / percentile(_all(idle), 99):.2f} "
        f"nagle_to_nodelay_p50={percentile(_all(nagle), 50) / percentile(_all(idle), 50):.1f} "
        f"worst_ms={worst:.1f} slowest_case={slowest} wrong={wrong + wrong_nagle} "
        f"every_reason_under_1s={worst < 1000}"
    )


if __name__ == "__main__":
    main()
