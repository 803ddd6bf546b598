"""Ingest speed: the cockpit's whole path against a bare paho subscriber, in one run.

(a) a bare paho-mqtt subscriber that only parses the JSON;
(b) the cockpit core: decode, validate, telemetry store, alarm engine;
(c) the GUI thread while the full path takes 10,000 messages/s: how late a 10 ms timer fires, with
    the field link in its own process as the cockpit's window runs it, and in one process beside it.
Both (a) and (b) receive the same N QoS 0 messages from a publisher in another process.
Usage: python bench/ingest.py [N] [ROUNDS]
(a) and (b) alternate for ROUNDS rounds (default 3); the ratio is the median of the rounds' ratios.
"""

from __future__ import annotations

import gc
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from _common import BenchBroker, Publisher, TimerLateness, percentile

from cockpit.config import Config
from cockpit.core import CockpitCore
from connectors.database import open_database

if TYPE_CHECKING:
    from cockpit.field_link import RemoteCore


def bare(url: str, n: int) -> tuple[float, int]:
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    host, port = url.removeprefix("mqtt://").rsplit(":", 1)
    state = {"count": 0, "last": 0.0}
    subscribed = threading.Event()

    def on_message(client, userdata, msg):  # type: ignore[no-untyped-def]
        json.loads(msg.payload)
        state["count"] += 1
        state["last"] = time.time()

    client = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-bare")
    client.on_message = on_message
    client.on_subscribe = lambda *a: subscribed.set()
    client.connect(host, int(port))
    client.subscribe("plant/+/+/sensor/+", 0)  # the publisher's messages only, no retained ones
    client.loop_start()
    subscribed.wait(10)
    pub = Publisher(url, n)
    pub.start()
    go = time.time()
    _wait_for(lambda: state["count"], n)
    pub.join()
    client.loop_stop()
    client.disconnect()
    return _rate(state["count"], go, state["last"]), int(state["count"])


def _rate(count: float, go: float, last: float) -> float:
    """Messages per second from the publisher's start to the last message taken in (both paths alike)."""
    return count / (last - go) if last > go else float("nan")


def _wait_for(counter, n: int, idle_s: float = 3.0) -> None:  # type: ignore[no-untyped-def]
    last, last_change = -1, time.monotonic()
    while counter() < n:
        c = counter()
        if c != last:
            last, last_change = c, time.monotonic()
        elif time.monotonic() - last_change > idle_s:
            break
        time.sleep(0.02)


def make_core(url: str, folder: Path, listener=None, *, field_process: bool = False):  # type: ignore[no-untyped-def]
    config = Config()
    config.mqtt.url = url
    config.mqtt.default_max_age_s = 30
    folder.mkdir(parents=True, exist_ok=True)
    db = open_database(f"sqlite:///{folder / 'bench.db'}")
    console = f"bench-{int(time.time() * 1000) % 100000}"
    core: CockpitCore | RemoteCore
    if field_process:  # as the cockpit's window runs it (cockpit/field_link.py)
        from cockpit.field_link import RemoteCore

        core = RemoteCore(config, db, console=console, listener=listener, log_dir=str(folder))
    else:
        # Beside the GUI thread (a listener on it) as the window's own process runs it (local_core.py).
        core = CockpitCore(config, db, console=console, listener=listener, beside_gui=listener is not None)
    core.start()
    deadline = time.monotonic() + 10
    while not core.connector.link_state.connected and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)  # subscriptions in place
    return core


def full(url: str, n: int, folder: Path) -> tuple[float, int]:
    core = make_core(url, folder)
    pub = Publisher(url, n)
    start_in = core.stats.messages_in  # its own retained health message, already in
    pub.start()
    go = time.time()
    _wait_for(lambda: core.stats.messages_in - start_in, n)
    pub.join()
    stats = core.stats
    core.stop()
    count = stats.messages_in - start_in
    return _rate(count, go, stats.last_done or 0.0), count


def gui_stall(
    url: str, folder: Path, *, field_process: bool, rate: float = 10_000, seconds: float = 5.0
) -> dict[str, float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cockpit.gui_thread import GuiThreadCollector, share_gil_with_gui
    from cockpit.live import CoreBridge

    app = QApplication.instance() or QApplication([])
    share_gil_with_gui()  # as the cockpit's GUI does (views/shell.py)
    collector = GuiThreadCollector(parent=app)
    bridge = CoreBridge()
    core = make_core(
        url, folder / f"gui-{int(field_process)}", listener=bridge.deliver, field_process=field_process
    )
    updates: list[float] = []

    def on_delta(delta) -> None:  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        core.store.traces(list(delta.dirty_channels)[:64], 600)  # what a wall of views reads per repaint
        updates.append((time.perf_counter() - t0) * 1000)

    bridge.changed.connect(on_delta)
    late = TimerLateness()
    n = int(rate * seconds)
    pub = Publisher(url, n, rate=rate)
    pub.start()  # blocks this thread until the publisher process is up: measure from here on
    late.restart()
    timer = QTimer()
    timer.timeout.connect(late.tick)
    timer.start(10)
    deadline = time.monotonic() + seconds + 10
    while core.stats.messages_in < n and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    pub.join()
    received = core.stats.messages_in
    core.stop()
    collector.deleteLater()
    gc.enable()
    return {
        "stall_max_ms": max(late.lateness_ms),
        "stall_p99_ms": percentile(late.lateness_ms, 99),
        "update_p99_ms": percentile(updates, 99),
        "gui_received": received,
        "gui_sent": n,
    }


def main() -> None:
    import statistics

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    folder = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    bare_rates: list[float] = []
    full_rates: list[float] = []
    with BenchBroker() as broker:
        # Alternate the two, several rounds: the machine's speed drifts (two shared cores), and the
        # publisher sets the pace, so one round each would compare two different machines.
        for i in range(rounds):
            bare_rate, bare_count = bare(broker.url, n)
            print(f"round {i + 1}: bare paho + json: {bare_rate:,.0f} msg/s ({bare_count}/{n} received)")
            full_rate, full_count = full(broker.url, n, folder / f"r{i}")
            print(f"round {i + 1}: cockpit ingest:   {full_rate:,.0f} msg/s ({full_count}/{n} received)")
            bare_rates.append(bare_rate)
            full_rates.append(full_rate)
        gui = gui_stall(broker.url, folder, field_process=True)
        one = gui_stall(broker.url, folder, field_process=False)
        for name, found in (("field link in its own process (the cockpit)", gui), ("one process", one)):
            print(
                f"GUI thread at 10,000 msg/s, {name}: timer late by at most {found['stall_max_ms']:.1f} ms "
                f"(p99 {found['stall_p99_ms']:.1f} ms), view update p99 {found['update_p99_ms']:.1f} ms, "
                f"{found['gui_received']}/{found['gui_sent']} received"
            )
    ratios = [f / b for f, b in zip(full_rates, bare_rates, strict=True)]
    bare_med, full_med = statistics.median(bare_rates), statistics.median(full_rates)
    print(
        f"ratio={statistics.median(ratios):.2f} ratio_min={min(ratios):.2f} ratio_max={max(ratios):.2f} "
        f"full_msgs_s={full_med:.0f} bare_msgs_s={bare_med:.0f} n={n} rounds={rounds} "
        f"gui_stall_max_ms={gui['stall_max_ms']:.1f} gui_update_p99_ms={gui['update_p99_ms']:.1f} "
        f"gui_received={gui['gui_received']} one_process_gui_stall_max_ms={one['stall_max_ms']:.1f}"
    )


if __name__ == "__main__":
    main()
