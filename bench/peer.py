"""The cockpit's `serve` against the Node-RED flow a plant would build instead, on the loop that matters.

Both take the same readings from the same publisher through a broker of the same configuration (one
broker each, so each is the only subscriber while it is measured), and both answer an LEL reading at or
above HIHI with a stop-work command on `plant/{site}/{area}/cmd/stop-work`. Every repetition starts
each system afresh (the cockpit on a fresh copy of a SQLite plant whose probe areas have active hot
work) and the two alternate, so a machine that drifts affects both. Per system and repetition:

- start: launch -> its first health message on the broker (the cockpit's `_cockpit/console/.../health`,
  Node-RED's retained counters);
- idle: publish of a HIHI reading to an area -> its stop-work on the wire, nothing else running;
- load: the same every second while 5,000 readings/s (QoS 1) arrive for 200 devices in 20 areas,
  and the CPU time per reading meanwhile (``load_cpu_ratio``: a reading at a time, each read woken
  for, costs several times what a backlog's does, and on two cores that CPU is what the broker and
  the publisher wait for);
- drain: the system paused (SIGSTOP) while N readings (QoS 1) queue at the broker, then a HIHI reading
  in a fresh area; from SIGCONT to that area's stop: its capacity, and its CPU time per reading;
- RSS at the start and the end of the load.

Per repetition the load's p99 of 30 probes is its maximum; the last lines also give the p99 of all
repetitions' probes together (``stop_p99_all_ratio``), which a single bad tail moves less.

Node-RED is installed from the npm registry into a cache folder the first time (bench/peer_nodered.py);
without npm this says so in one line and ends.
Usage: python bench/peer.py [--repeats 3] [--probes 30] [--drain 50000] [--quick]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import peer_nodered
from _common import BenchBroker, Publisher, percentile

from connectors.database import open_database
from models.records import HotWorkGrade, PermitStatus, PermitType, RiskLevel
from models.schema import Area, Detector, DetectorChannel, Permit, Site

ROOT = Path(__file__).resolve().parent.parent
CONSOLE = "peer-bench"
LOAD_RATE = 5000
HIHI = 40.0


@dataclass
class Trial:
    system: str
    start_s: float = float("nan")
    idle_ms: list[float] = field(default_factory=list)
    load_ms: list[float] = field(default_factory=list)
    drain_msgs_s: float = float("nan")
    cpu_us_msg: float = float("nan")
    load_cpu_us_msg: float = float("nan")  # at the steady 5,000 readings/s, not draining a backlog
    rss_mib: tuple[float, float] = (float("nan"), float("nan"))
    missed: int = 0


class Wire:
    """A gateway's client on the system's broker: when each area's stop-work and each health arrived."""

    def __init__(self, url: str, health_topic: str) -> None:
        import paho.mqtt.client as paho
        from paho.mqtt.enums import CallbackAPIVersion

        self.stops: dict[str, float] = {}
        self.health_at: float | None = None
        self._health_topic = health_topic
        self._lock = threading.Lock()
        host, port = url.removeprefix("mqtt://").rsplit(":", 1)
        self.client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"peer-wire-{os.getpid()}")
        subscribed = threading.Event()
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *a: subscribed.set()
        self.client.connect(host, int(port))
        self.client.subscribe([("plant/+/+/cmd/stop-work", 1), (health_topic, 0)])
        self.client.loop_start()
        subscribed.wait(10)

    def _on_message(self, client: Any, userdata: Any, msg: Any) -> None:
        now = time.monotonic()
        with self._lock:
            if msg.topic == self._health_topic:
                if self.health_at is None and not msg.retain:
                    self.health_at = now
            else:
                self.stops.setdefault(msg.topic.split("/")[2], now)

    def stop_at(self, area: str) -> float | None:
        with self._lock:
            return self.stops.get(area)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def build_plant(path: Path, areas: int) -> None:
    """Probe areas B/P0..: a registered LEL detector and hot work that started five minutes ago (so no
    check-in is overdue during a run, and the cockpit's automatic stop applies)."""
    db = open_database(f"sqlite:///{path}")
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
                    valid_from=now - timedelta(minutes=5),
                    valid_to=now + timedelta(hours=6),
                    applicant="W",
                    supervisor="S",
                    created_at=now,
                    updated_at=now,
                )
            )
    db.dispose()


def group_stat(pgid: int) -> tuple[float, float]:
    """CPU seconds and RSS (MiB) of every process in the group (`serve` and anything it started)."""
    tick = os.sysconf("SC_CLK_TCK")
    cpu = rss = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            cpu += (int(fields[11]) + int(fields[12])) / tick
            rss += int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        except (OSError, IndexError, ValueError):
            continue
    return cpu, rss


def probe(url: str) -> Callable[[int], None]:
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    host, port = url.removeprefix("mqtt://").rsplit(":", 1)
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"peer-probe-{os.getpid()}")
    client.connect(host, int(port))
    client.loop_start()

    def send(i: int) -> None:
        body = {"ts": int(time.time() * 1000), "seq": 1, "readings": [{"ch": "LEL", "v": HIHI, "u": "%LEL"}]}
        client.publish(f"plant/B/P{i}/sensor/PD-{i}", json.dumps(body).encode(), qos=1)

    return send


def wait_for(check: Callable[[], float | None], timeout: float) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found is not None:
            return found
        time.sleep(0.002)
    return None


def launch(system: str, url: str, work: Path, node: tuple[str, Path] | None) -> subprocess.Popen[bytes]:
    log = open(work / f"{system}.log", "ab")  # noqa: SIM115 (the child keeps it)
    if system == "nodered":
        assert node is not None
        port = url.rsplit(":", 1)[1]
        env = {**os.environ, "PEER_MQTT_PORT": port}
        return subprocess.Popen(
            peer_nodered.command(*node), env=env, stdout=log, stderr=log, start_new_session=True
        )
    db = work / "plant.db"
    shutil.copy(work / "plant-seed.db", db)
    for folder in ("data", "config"):  # afresh: the trends an earlier round kept would be loaded again
        shutil.rmtree(work / folder, ignore_errors=True)
    env = {**os.environ, "XDG_DATA_HOME": str(work / "data"), "XDG_CONFIG_HOME": str(work / "config")}
    args = [sys.executable, str(ROOT / "main.py"), "serve", "--db", f"sqlite:///{db}", "--broker", url]
    return subprocess.Popen(
        [*args, "--console", CONSOLE], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )


def arrival(wire: Wire, area: int, timeout: float) -> float | None:
    return wait_for(lambda: wire.stop_at(f"P{area}"), timeout)


def measure_idle(wire: Wire, send: Callable[[int], None], areas: range) -> list[float]:
    found = []
    for area in areas:
        sent = time.monotonic()
        send(area)
        arrived = arrival(wire, area, 5)
        found.append((arrived - sent) * 1000 if arrived else math.nan)
        time.sleep(0.2)
    return found


def measure_load(url: str, wire: Wire, send: Callable[[int], None], areas: range) -> list[float]:
    load = Publisher(url, int(LOAD_RATE * (len(areas) + 4)), devices=200, rate=LOAD_RATE, qos=1)
    load.start()
    time.sleep(2.0)
    sent_at: dict[int, float] = {}
    for area in areas:
        sent_at[area] = time.monotonic()
        send(area)
        time.sleep(1.0)
    found = []
    for area, sent in sent_at.items():
        arrived = arrival(wire, area, 5)
        found.append((arrived - sent) * 1000 if arrived else math.nan)
    load.join(60)
    return found


def measure_drain(
    url: str, wire: Wire, send: Callable[[int], None], area: int, pgid: int, n: int
) -> tuple[float, float]:
    """(readings/s, CPU us per reading) from SIGCONT to the stop of the HIHI sent after the n queued."""
    os.killpg(pgid, signal.SIGSTOP)
    try:
        queued = Publisher(url, n, devices=200, qos=1)
        queued.start()
        queued.join(300)
        send(area)  # after every queued reading: its stop marks the last one handled
        time.sleep(0.5)
    finally:
        cpu0, _ = group_stat(pgid)
        resumed = time.monotonic()
        os.killpg(pgid, signal.SIGCONT)
    arrived = arrival(wire, area, 300)
    if arrived is None:
        return math.nan, math.nan
    return n / (arrived - resumed), (group_stat(pgid)[0] - cpu0) * 1e6 / n


def run_trial(system: str, work: Path, node: tuple[str, Path] | None, probes: int, drain_n: int) -> Trial:
    trial = Trial(system)
    health = peer_nodered.HEALTH_TOPIC if system == "nodered" else f"plant/_cockpit/console/{CONSOLE}/health"
    with BenchBroker() as broker:
        wire = Wire(broker.url, health)
        send = probe(broker.url)
        launched = time.monotonic()
        proc = launch(system, broker.url, work, node)
        try:
            up = wait_for(lambda: wire.health_at, 60)
            if up is None:
                raise SystemExit(f"{system} sent no health within 60 s; see {work / (system + '.log')}")
            trial.start_s = up - launched
            time.sleep(1.0)  # subscriptions granted and the first work done
            trial.idle_ms = measure_idle(wire, send, range(10))
            cpu0, rss0 = group_stat(proc.pid)
            trial.load_ms = measure_load(broker.url, wire, send, range(10, 10 + probes))
            cpu1, rss1 = group_stat(proc.pid)
            trial.rss_mib = (rss0, rss1)
            trial.load_cpu_us_msg = (cpu1 - cpu0) * 1e6 / (LOAD_RATE * (probes + 4) + probes)
            time.sleep(1.0)
            trial.drain_msgs_s, trial.cpu_us_msg = measure_drain(
                broker.url, wire, send, 10 + probes, proc.pid, drain_n
            )
            trial.missed = sum(math.isnan(v) for v in [*trial.idle_ms, *trial.load_ms, trial.drain_msgs_s])
        finally:
            os.killpg(proc.pid, signal.SIGCONT)
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
            wire.close()
    return trial


def pct(values: list[float], p: float) -> float:
    """The percentile of the probes that arrived (a missed one is counted in ``missed``)."""
    good = [v for v in values if not math.isnan(v)]
    return percentile(good, p) if good else float("nan")


def spread(values: list[float]) -> str:
    good = [v for v in values if not math.isnan(v)]
    if not good:
        return "n/a"
    return f"{statistics.median(good):.1f} ({min(good):.1f}-{max(good):.1f})"


def report(trials: list[Trial]) -> None:
    figures: dict[str, dict[str, list[float]]] = {}
    for t in trials:
        f = figures.setdefault(t.system, {})
        f.setdefault("start_s", []).append(t.start_s)
        f.setdefault("idle_p50_ms", []).append(pct(t.idle_ms, 50))
        f.setdefault("load_p50_ms", []).append(pct(t.load_ms, 50))
        f.setdefault("load_p99_ms", []).append(pct(t.load_ms, 99))
        f.setdefault("load_max_ms", []).append(pct(t.load_ms, 100))
        f.setdefault("drain_msgs_s", []).append(t.drain_msgs_s)
        f.setdefault("cpu_us_msg", []).append(t.cpu_us_msg)
        f.setdefault("load_cpu_us_msg", []).append(t.load_cpu_us_msg)
        f.setdefault("rss_start_mib", []).append(t.rss_mib[0])
        f.setdefault("rss_end_mib", []).append(t.rss_mib[1])
        f.setdefault("missed", []).append(t.missed)
    for name in figures["cockpit"]:
        ours, theirs = spread(figures["cockpit"][name]), spread(figures["nodered"][name])
        print(f"{name:14} cockpit {ours:>22}   node-red {theirs}")
    # A repetition's p99 of 30 probes is its maximum, and the peer's maximum swings from run to run
    # (5-26 ms on one machine in one evening): the p99 of every repetition's probes together as well.
    pooled = {
        system: pct([v for t in trials if t.system == system for v in t.load_ms], 99) for system in figures
    }
    probes = sum(len(t.load_ms) for t in trials if t.system == "cockpit")
    ours_all, theirs_all = pooled["cockpit"], pooled["nodered"]
    print(f"load_p99_all   cockpit {ours_all:>8.1f}   node-red {theirs_all:.1f}   ({probes} probes each)")

    def med(system: str, name: str) -> float:
        good = [v for v in figures[system][name] if not math.isnan(v)]
        return statistics.median(good) if good else float("nan")

    def ratio(name: str) -> float:
        return med("cockpit", name) / med("nodered", name)

    print(
        f"stop_p99_ratio={ratio('load_p99_ms'):.2f} stop_p50_ratio={ratio('load_p50_ms'):.2f} "
        f"idle_p50_ms={med('cockpit', 'idle_p50_ms'):.1f} idle_ratio={ratio('idle_p50_ms'):.2f} "
        f"drain_ratio={ratio('drain_msgs_s'):.2f} cpu_ratio={ratio('cpu_us_msg'):.2f} "
        f"load_cpu_ratio={ratio('load_cpu_us_msg'):.2f} "
        f"start_s={med('cockpit', 'start_s'):.2f} start_ratio={ratio('start_s'):.2f} "
        f"cockpit_p99_ms={med('cockpit', 'load_p99_ms'):.1f} "
        f"nodered_p99_ms={med('nodered', 'load_p99_ms'):.1f} "
        f"stop_p99_all_ratio={pooled['cockpit'] / pooled['nodered']:.2f} "
        f"missed={int(sum(figures['cockpit']['missed']))}/{int(sum(figures['nodered']['missed']))} "
        f"repeats={len(figures['cockpit']['start_s'])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--probes", type=int, default=30, help="HIHI probes under load, one a second")
    parser.add_argument("--drain", type=int, default=50_000, help="readings queued while paused")
    parser.add_argument("--quick", action="store_true", help="1 repetition, 10 probes, 10,000 queued")
    args = parser.parse_args()
    if args.quick:
        args.repeats, args.probes, args.drain = 1, 10, 10_000
    node = peer_nodered.install()
    if node is None:
        print("peer: no npm here, so the Node-RED peer cannot be installed: install Node.js with npm")
        print("skipped=npm_missing")
        return
    work = Path(tempfile.mkdtemp(prefix="bench-peer-"))
    build_plant(work / "plant-seed.db", 10 + args.probes + 1)
    trials: list[Trial] = []
    for r in range(args.repeats):
        for system in ("nodered", "cockpit") if r % 2 == 0 else ("cockpit", "nodered"):
            trial = run_trial(system, work, node, args.probes, args.drain)
            print(
                f"round {r + 1} {system}: start {trial.start_s:.2f} s, idle p50 "
                f"{pct(trial.idle_ms, 50):.1f} ms, load p99 {pct(trial.load_ms, 99):.1f} ms, "
                f"drain {trial.drain_msgs_s:,.0f} msg/s, {trial.cpu_us_msg:.1f} us/msg "
                f"(at 5k/s {trial.load_cpu_us_msg:.1f}), "
                f"missed {trial.missed}",
                flush=True,
            )
            trials.append(trial)
    report(trials)


if __name__ == "__main__":
    main()
