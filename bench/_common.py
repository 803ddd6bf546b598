"""Shared parts of the benchmarks: a broker of their own, a small plant, a publisher process."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from multiprocessing.synchronize import Event
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from connectors.broker import MosquittoServer, find_mosquitto, free_port, mosquitto_config  # noqa: E402


class BenchBroker:
    """A Mosquitto on a free port with room for a slow subscriber (what a plant's broker needs too)."""

    def __init__(self, extra: str = "") -> None:
        binary = find_mosquitto()
        if binary is None:
            raise SystemExit("benchmarks need Mosquitto (apt-get install mosquitto)")
        self.dir = Path(tempfile.mkdtemp(prefix="bench-broker-"))
        self.port = free_port()
        conf = self.dir / "mosquitto.conf"
        conf.write_text(mosquitto_config(port=self.port, data_dir=self.dir, extra=extra), encoding="utf-8")
        self.server = MosquittoServer(
            binary, conf, self.dir / "mosquitto.log", host="127.0.0.1", port=self.port
        )

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def __enter__(self) -> BenchBroker:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()
        shutil.rmtree(self.dir, ignore_errors=True)  # its store and log: nothing a later run reads


def sensor_payload(seq: int, value: float, ts_ms: int | None = None) -> bytes:
    return json.dumps(
        {
            "ts": ts_ms or int(time.time() * 1000),
            "seq": seq,
            "max_age_s": 30,
            "readings": [
                {"ch": "LEL", "v": value, "u": "%LEL"},
                {"ch": "O2", "v": 20.9, "u": "%VOL"},
                {"ch": "H2S", "v": 0.1, "u": "ppm"},
                {"ch": "CO", "v": 2.0, "u": "ppm"},
            ],
        }
    ).encode()


def _publish_worker(
    url: str,
    n: int,
    devices: int,
    rate: float,
    qos: int,
    ready: Event,
    go: Event,
) -> None:
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    host, port = url.removeprefix("mqtt://").rsplit(":", 1)
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{os.getpid()}")
    client.max_inflight_messages_set(1000)
    client.connect(host, int(port))
    client.loop_start()
    ready.set()
    go.wait()
    start = time.perf_counter()
    for i in range(n):
        device = i % devices
        topic = f"plant/S1/A{device % 20}/sensor/GD-{device}"
        client.publish(topic, sensor_payload(i // devices + 1, 1.0 + (i % 7) * 0.1), qos=qos)
        if rate > 0:
            due = start + (i + 1) / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
    time.sleep(0.5)
    client.loop_stop()
    client.disconnect()


class Publisher:
    """Publishes ``n`` sensor messages from a separate process (the other core), at ``rate``/s or flat out."""

    def __init__(self, url: str, n: int, *, devices: int = 100, rate: float = 0.0, qos: int = 0) -> None:
        ctx = mp.get_context("spawn")
        self.ready, self.go = ctx.Event(), ctx.Event()
        self.proc = ctx.Process(
            target=_publish_worker, args=(url, n, devices, rate, qos, self.ready, self.go), daemon=True
        )

    def start(self) -> None:
        self.proc.start()
        self.ready.wait(20)
        self.go.set()

    def join(self, timeout: float = 120) -> None:
        self.proc.join(timeout)


def utcnow() -> datetime:
    return datetime.now(UTC)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100.0 * (len(ordered) - 1))))
    return ordered[k]


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far; None where /proc cannot tell (not Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuShares:
    """Each named process's share of one core over a measured stretch (``start`` … ``stop``).

    A benchmark that runs its load generator beside the cockpit shares the machine's cores with it:
    these shares say how much room was left, which is what makes figures from two machines comparable.
    """

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.shares: dict[str, float] = {}
        self._start: dict[str, float | None] = {}
        self._t0 = 0.0

    def start(self) -> None:
        self._start = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self._t0 = time.perf_counter()

    def stop(self) -> None:
        wall = time.perf_counter() - self._t0
        for name, pid in self.pids.items():
            before, after = self._start.get(name), cpu_seconds(pid)
            if before is not None and after is not None and wall > 0:
                self.shares[name] = (after - before) / wall * 100

    def summary(self) -> str:
        """``cpu_<name>_pct=…`` pairs and the total against the machine's cores, for the summary line."""
        if not self.shares:
            return "cpu=unknown"
        pairs = [f"cpu_{name}_pct={share:.0f}" for name, share in self.shares.items()]
        pairs.append(f"cpu_total_pct={sum(self.shares.values()):.0f} cores={os.cpu_count()}")
        return " ".join(pairs)


class TimerLateness:
    """How late a periodic timer fires: connect ``tick`` to a QTimer of ``period_s``, call ``restart``
    when the timer starts; ``lateness_ms`` holds one figure per tick (0 when on time)."""

    def __init__(self, period_s: float = 0.01) -> None:
        self.period_s = period_s
        self.lateness_ms: list[float] = []
        self._expected = time.perf_counter() + period_s

    def restart(self) -> None:
        self._expected = time.perf_counter() + self.period_s

    def tick(self) -> None:
        now = time.perf_counter()
        self.lateness_ms.append(max(0.0, (now - self._expected) * 1000))
        self._expected = now + self.period_s
