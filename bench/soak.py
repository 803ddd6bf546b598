"""Soak: the core under 5,000 msg/s for a long stretch while another thread polls its health.

`main.py serve` once died after about 8.5 minutes at 5,000 msg/s: its main thread read the alarm
engine while the core thread added alarms. This runs the same shape for ``--minutes`` (30 for the
issue's soak; 1 by default): a publisher process sends sensor readings at ``--rate``, a churn thread
raises and clears HIHI alarms on new and old channels a few times a second, and a reader thread polls
``core.health_payload()`` and walks ``core.state`` every ``--poll-ms``. It prints every exception the
reader saw and every error the core logged (goal: none), and the process's RSS at start and end.

Usage: python bench/soak.py [--minutes 1] [--rate 5000] [--poll-ms 100]
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import BenchBroker, Publisher

from cockpit.config import Config
from cockpit.core import CockpitCore
from connectors.database import Database, open_database
from models.records import RiskLevel
from models.schema import Area, Site

CHURN_AREAS = 10
CHURN_INTERVAL_S = 0.05


def rss_mb() -> float:
    """This process's resident set (the core runs in it); NaN where /proc cannot tell."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def build_plant(db: Database) -> None:
    """Site S1 with the publisher's areas A0-A19 and the churn's areas C0-C9; no permits, so no stops."""
    with db.session() as s:
        s.add(Site(id="S1", name="soak"))
        s.flush()
        for area in [f"A{i}" for i in range(20)] + [f"C{i}" for i in range(CHURN_AREAS)]:
            s.add(Area(site_id="S1", id=area, name=area, polygon=[], risk_level=RiskLevel.HIGH))


class ErrorCount(logging.Handler):
    """Errors the core and its services log (a failed cycle, a failed listener, a failed write)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


def churn(url: str, stop: threading.Event) -> int:
    """HIHI and back to normal on rotating channels, with a new device every second: the engine keeps
    gaining alarms while readers walk what the core published."""
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    host, port = url.removeprefix("mqtt://").rsplit(":", 1)
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id="soak-churn")
    client.connect(host, int(port))
    client.loop_start()
    sent = 0
    try:
        while not stop.wait(CHURN_INTERVAL_S):
            device = f"CD-{sent % 200 if sent % 20 else 1000 + sent // 20}"
            lel = 31.0 if (sent // 200) % 2 == 0 else 1.0
            body = {"ts": int(time.time() * 1000), "readings": [{"ch": "LEL", "v": lel, "u": "%LEL"}]}
            client.publish(
                f"plant/S1/C{sent % CHURN_AREAS}/sensor/{device}", json.dumps(body).encode(), qos=1
            )
            sent += 1
    finally:
        client.loop_stop()
        client.disconnect()
    return sent


def poll(core: CockpitCore, period_s: float, stop: threading.Event, errors: list[str]) -> int:
    """What serve's main thread and the screens do, ten times a second: read health and the state."""
    polls = 0
    while not stop.wait(period_s):
        try:
            health = core.health_payload()
            state = core.state
            active = sum(1 for a in state.alarms if a.active)
            _ = (
                health["alarms_active"],
                active,
                len(state.permits),
                len(state.commands),
                state.stats.messages_in,
            )
        except Exception as exc:  # the figure this soak exists for
            errors.append(f"{time.strftime('%H:%M:%S')} {type(exc).__name__}: {exc}")
        polls += 1
    return polls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--rate", type=float, default=5000.0)
    parser.add_argument("--poll-ms", type=float, default=100.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    db = open_database(f"sqlite:///{folder / 'soak.db'}")
    build_plant(db)
    logged = ErrorCount()
    logging.getLogger().addHandler(logged)
    seconds = args.minutes * 60
    reader_errors: list[str] = []
    with BenchBroker() as broker:
        config = Config()
        config.mqtt.url = broker.url
        core = CockpitCore(config, db, console="soak")
        core.start()
        deadline = time.monotonic() + 10
        while not core.connector.link_state.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        rss_start = rss_mb()
        stop = threading.Event()
        results: dict[str, int] = {}
        threads = [
            threading.Thread(target=lambda: results.update(churned=churn(broker.url, stop)), daemon=True),
            threading.Thread(
                target=lambda: results.update(polls=poll(core, args.poll_ms / 1000, stop, reader_errors)),
                daemon=True,
            ),
        ]
        publisher = Publisher(broker.url, int(args.rate * (seconds + 5)), rate=args.rate)
        publisher.start()
        for t in threads:
            t.start()
        started = time.monotonic()
        next_report = started + 60
        while (now := time.monotonic()) < started + seconds:
            time.sleep(min(1.0, started + seconds - now))
            if time.monotonic() >= next_report:
                next_report += 60
                health = core.health_payload()
                print(
                    f"{(time.monotonic() - started) / 60:.0f} min: {health['messages_in']:,} in, "
                    f"{health['alarms_active']} alarms, lag {health['queue_lag_ms']} ms, "
                    f"rss {rss_mb():.0f} MB, {len(reader_errors)} reader exceptions",
                    flush=True,
                )
        stop.set()
        for t in threads:
            t.join(10)
        final = core.state
        elapsed = time.time() - (final.stats.first_arrival or time.time())
        rss_end = rss_mb()
        publisher.proc.terminate()
        core.stop()
    for line in reader_errors[:20] + logged.lines[:20]:
        print("exception:", line)
    load = final.stats.messages_in / elapsed if elapsed > 0 else 0.0
    print(f"RSS at start {rss_start:.1f} MB, at end {rss_end:.1f} MB")
    print(
        f"minutes={args.minutes:g} rate={args.rate:.0f} load_msgs_s={load:.0f} "
        f"messages_in={final.stats.messages_in} churned={results.get('churned', 0)} "
        f"alarms_active_end={final.health['alarms_active']} health_polls={results.get('polls', 0)} "
        f"exceptions={len(reader_errors)} core_errors={len(logged.lines)} "
        f"rss_start_mb={rss_start:.1f} rss_end_mb={rss_end:.1f} at={datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}"
    )


if __name__ == "__main__":
    main()
