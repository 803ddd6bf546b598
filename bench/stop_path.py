"""Where the time of a stop-work goes: a HIHI reading's walk from its publish to the command on the wire,
timed at every step, with the plant quiet and under 5,000 QoS 1 readings/s (issue 20's "measure where
the tail goes before changing anything").

The core runs in this process (as `serve` runs it), the field's client in a process of its own (so it
does not share this interpreter with the core), the background load in a third. Each probe is an LEL
reading above HIHI in an area of its own with active hot work; the steps, each the first time it is
seen for that area:

    sent      the probe's publish
    link      the connector's callback on paho's thread (connectors/mqtt.py)
    core      the core's cycle takes the chunk holding it (CockpitCore._process; on paho's thread
              unless the core thread was running the cycle)
    engine    the alarm engine judges it (AlarmEngine.process_message)
    publish   the command handed to the link (StopWorkService's publish)
    socket    the command's bytes handed to the socket (BufferedSocket.flush)
    wire      the field's client receives it

and, off the stop's path since the automatic stop goes out before its claim (StopWorkService.stop,
``send_first``): the claim on the stop's cause asked, and answered (cockpit/db_records.StopClaims),
printed as "publish -> claim" and "claim -> claimed".

With ``--pg URL`` the plant is in a fresh schema of that PostgreSQL server (dropped at the end), so
the claim is timed against a server, not a file.

Usage: python bench/stop_path.py [PROBES] [--load] [--pg postgresql://postgres@127.0.0.1:5432/test]
Prints the median, p90 and maximum of every step and of the whole, then one key=value line.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import alarm_latency
from _common import BenchBroker, Publisher
from sqlalchemy import create_engine, make_url, text

from cockpit.config import Config
from cockpit.core import CockpitCore
from connectors import mqtt_socket
from connectors.database import Database, open_database

STEPS = ("sent", "link", "core", "engine", "publish", "socket", "wire")
AFTER = ("publish", "claim", "claimed")  # the claim follows the send
FIELD = """
import sys, time
import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
c = paho.Client(CallbackAPIVersion.VERSION2, client_id="stop-path-field")
c.on_message = lambda cl, u, m: print(m.topic.split("/")[2], repr(time.time()), flush=True)
c.on_subscribe = lambda *a: print("ready", flush=True)
c.connect(sys.argv[1], int(sys.argv[2]))
c.subscribe("plant/+/+/cmd/stop-work", 1)
c.loop_forever()
"""


class Marks:
    """The first time each step is seen for each area, on this process's perf_counter clock."""

    def __init__(self) -> None:
        self.at: dict[str, dict[str, float]] = {}
        self._lock = threading.Lock()
        self.offset = time.time() - time.perf_counter()  # the field's epoch times onto this clock

    def mark(self, area: str, step: str, when: float | None = None) -> None:
        with self._lock:
            self.at.setdefault(area, {}).setdefault(step, time.perf_counter() if when is None else when)

    def complete(self) -> list[dict[str, float]]:
        return [m for m in self.at.values() if all(step in m for step in STEPS + AFTER)]


def instrument(core: CockpitCore, marks: Marks) -> None:
    """Wrap the core's stations (this bench's own view of them; nothing here changes what they do)."""

    def area_of(topic: str) -> str | None:
        parts = topic.split("/")
        return parts[2] if len(parts) > 3 and parts[3] == "sensor" and parts[2].startswith("P") else None

    on_message = core.loop.append

    def link(topic: str, payload: bytes, arrival: float) -> None:
        if (area := area_of(topic)) is not None:
            marks.mark(area, "link")
        on_message(topic, payload, arrival)

    core.connector._on_message_cb = link
    process = core._process

    def take(batch: list[tuple[str, bytes, float]]) -> None:
        for topic, _, _ in batch:
            if (area := area_of(topic)) is not None:
                marks.mark(area, "core")
        process(batch)

    core._process = take  # type: ignore[method-assign]
    judge = core.engine.process_message

    def engine(site: str, area: str, *rest: Any) -> Any:
        marks.mark(area, "engine")
        return judge(site, area, *rest)

    core.engine.process_message = engine  # type: ignore[method-assign,assignment]
    claims = core.stopwork.claims
    claim = claims.claim

    def claiming(body: dict[str, Any]) -> bool | None:
        marks.mark(body["area"], "claim")
        answer = claim(body)
        marks.mark(body["area"], "claimed")
        return answer

    claims.claim = claiming  # type: ignore[method-assign]
    publish = core.stopwork.publish

    def publishing(topic: str, payload: bytes, qos: int, retain: bool) -> object:
        if topic.endswith("/cmd/stop-work"):
            marks.mark(topic.split("/")[2], "publish")
        return publish(topic, payload, qos, retain)

    core.stopwork.publish = publishing
    flush = mqtt_socket.BufferedSocket.flush
    command = re.compile(rb"/(P\d+)/cmd/stop-work")

    def flushing(self: mqtt_socket.BufferedSocket) -> Any:
        for chunk in self._out:
            for found in command.finditer(bytes(chunk)):
                marks.mark(found.group(1).decode(), "socket")
        return flush(self)

    mqtt_socket.BufferedSocket.flush = flushing  # type: ignore[method-assign]


@contextlib.contextmanager
def plant_database(pg: str | None) -> Iterator[Database]:
    """A SQLite file in a temporary folder, or a fresh schema on the PostgreSQL server ``pg``."""
    if pg is None:
        folder = Path(tempfile.mkdtemp(prefix="bench-stop-path-"))
        db = open_database(f"sqlite:///{folder / 'bench.db'}")
        yield db
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)
        return
    schema = f"stop_path_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        db = open_database(
            make_url(pg).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
        )
        yield db
        db.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run(probes: int, load: bool, pg: str | None = None) -> Marks:
    with plant_database(pg) as db:
        return run_on(db, probes, load)


def run_on(db: Database, probes: int, load: bool) -> Marks:
    alarm_latency.build_plant(db, probes)
    marks = Marks()
    with BenchBroker() as broker:
        host, port = broker.url.removeprefix("mqtt://").rsplit(":", 1)
        config = Config()
        config.mqtt.url = broker.url
        config.mqtt.default_max_age_s = 30
        config.alarms.stop_ack_timeout_s = 3600  # no time-outs of unacknowledged stops in the run
        core = CockpitCore(config, db, console="stop-path")
        instrument(core, marks)
        core.start()
        field = subprocess.Popen([sys.executable, "-c", FIELD, host, port], stdout=subprocess.PIPE, text=True)
        assert field.stdout is not None and field.stdout.readline().strip() == "ready"

        def read_field() -> None:
            assert field.stdout is not None
            for line in field.stdout:
                area, epoch = line.split()
                marks.mark(area, "wire", float(epoch) - marks.offset)

        threading.Thread(target=read_field, daemon=True).start()
        import paho.mqtt.client as paho
        from paho.mqtt.enums import CallbackAPIVersion

        probe = paho.Client(CallbackAPIVersion.VERSION2, client_id="stop-path-probe")
        probe.connect(host, int(port))
        probe.loop_start()
        while not core.connector.link_state.connected:
            time.sleep(0.05)
        time.sleep(1.0)
        background = None
        if load:
            background = Publisher(broker.url, int(5000 * (probes * 0.25 + 8)), devices=200, rate=5000, qos=1)
            background.start()
            time.sleep(2.0)
        for i in range(probes):
            body = {
                "ts": int(time.time() * 1000),
                "seq": 1,
                "readings": [{"ch": "LEL", "v": 40.0, "u": "%LEL"}],
            }
            marks.mark(f"P{i}", "sent")
            probe.publish(f"plant/B/P{i}/sensor/PD-{i}", json.dumps(body).encode(), qos=1)
            time.sleep(0.25)
        time.sleep(2.0)
        if background is not None:
            background.proc.terminate()
        core.stop()
        probe.loop_stop()
        field.kill()
    return marks


def spread(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[int(0.9 * (len(ordered) - 1))], ordered[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("probes", nargs="?", type=int, default=40)
    parser.add_argument("--load", action="store_true", help="5,000 QoS 1 readings/s beside the probes")
    parser.add_argument("--pg", metavar="URL", help="the plant on this PostgreSQL server, in a fresh schema")
    args = parser.parse_args()
    marks = run(args.probes, args.load, args.pg)
    rows = marks.complete()
    print(
        f"{len(rows)} of {args.probes} probes seen at every step ({'under load' if args.load else 'quiet'})"
    )
    worst, worst_p90 = "", -1.0
    for a, b in itertools.pairwise(STEPS):
        p50, p90, top = spread([(r[b] - r[a]) * 1000 for r in rows])
        print(f"{a:>8} -> {b:<8} median {p50:6.2f} ms   p90 {p90:6.2f}   max {top:6.2f}")
        if p90 > worst_p90:
            worst, worst_p90 = f"{a}-{b}", p90
    for a, b in itertools.pairwise(AFTER):
        p50, p90, top = spread([(r[b] - r[a]) * 1000 for r in rows])
        print(f"{a:>8} -> {b:<8} median {p50:6.2f} ms   p90 {p90:6.2f}   max {top:6.2f}   (after the send)")
    p50, p90, top = spread([(r["wire"] - r["sent"]) * 1000 for r in rows])
    print(f"{'sent':>8} -> {'wire':<8} median {p50:6.2f} ms   p90 {p90:6.2f}   max {top:6.2f}")
    print(
        f"probes={len(rows)} load={int(args.load)} stop_p50_ms={p50:.2f} stop_p90_ms={p90:.2f} "
        f"stop_max_ms={top:.2f} widest_step={worst} widest_step_p90_ms={worst_p90:.2f}"
    )


if __name__ == "__main__":
    main()
