"""A console restarted during an incident: how soon do its trends show, with and without the kept file?

The window's shape (`RemoteCore`: the field process spawned, its core started, the first updates read on
this thread) against a bench broker and a SQLite plant. A gateway publishes one LEL reading every 0.2 s.
Measured from ``RemoteCore.start()``:

* ``first_trend_s_without``: no trends file: until the first live reading is in the window's mirror
  (all a trend can show then: no history at all);
* ``with_history_s``: with a trends file of ``--channels`` channels, each a full day of 60 s buckets
  and 2 h of samples at 1 Hz (the most the file holds a channel): until the window's mirror has a
  channel's 24 h of history, before any new reading of that channel;
* ``load_s``/``save_s``/``file_mb``: the field process's load (its log) and one save of that store here.

Usage: python bench/restart_trends.py [--channels 400]
Ends with one line: channels=… file_mb=… first_trend_s_without=… with_history_s=… ratio=… save_s=…
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from _common import BenchBroker

CONSOLE = "bench-restart"
WATCHED_DEVICE = "GD-0"  # the gateway's readings; the kept channels are GD-1 …


def kept_channels(n: int, now_s: float) -> list:  # type: ignore[type-arg]
    from cockpit.telemetry_buffers import BUCKET_S
    from cockpit.telemetry_kept import KeptChannel
    from models.records import ChannelKey

    buckets = 1441  # 24 h of the store's 60 s buckets
    first = int(now_s // BUCKET_S) - buckets
    t = now_s - 7200 + np.arange(7200, dtype=np.float64)
    rng = np.random.default_rng(1)
    out = []
    for i in range(n):
        mean = (rng.random(buckets) * 10).astype(np.float32)
        out.append(
            KeptChannel(
                ChannelKey("S1", "A1", f"GD-{i + 1}", "LEL"),
                "%LEL",
                first,
                mean - 1,
                mean + 1,
                mean,
                t,
                (rng.random(7200) * 10).astype(np.float32),
                np.zeros(7200, np.int8),
            )
        )
    return out


def gateway(url: str, stop: threading.Event) -> None:
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    host, port = url.removeprefix("mqtt://").split(":")
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-gateway")
    client.connect(host, int(port))
    client.loop_start()
    seq = 0
    while not stop.wait(0.2):
        seq += 1
        body = {"ts": int(time.time() * 1000), "seq": seq, "readings": [{"ch": "LEL", "v": 1.0, "u": "%LEL"}]}
        client.publish(f"plant/S1/A1/sensor/{WATCHED_DEVICE}", json.dumps(body).encode(), qos=0)
    client.loop_stop()
    client.disconnect()


def console_start(url: str, db, log_dir: Path, ready) -> float:  # type: ignore[no-untyped-def]
    """Seconds from start() until ``ready(store)``; the console is stopped after."""
    from PySide6.QtCore import QCoreApplication

    from cockpit.config import Config
    from cockpit.field_link import RemoteCore

    config = Config()
    config.mqtt.url = url
    core = RemoteCore(config, db, console=CONSOLE, log_dir=str(log_dir))
    started = time.monotonic()
    core.start()
    try:
        while not ready(core.store):
            QCoreApplication.processEvents()
            time.sleep(0.002)
            if time.monotonic() - started > 120:
                raise SystemExit("no trend within 120 s")
        return time.monotonic() - started
    finally:
        core.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--channels", type=int, default=400)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-restart-"))
    os.environ["XDG_DATA_HOME"] = str(work / "data")  # the field process's data folder: ours
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    from PySide6.QtCore import QCoreApplication

    from cockpit.config import user_data_dir
    from cockpit.telemetry import TelemetryStore
    from cockpit.telemetry_buffers import BUCKET_S
    from cockpit.telemetry_keep import TrendKeeper, trends_path, write_kept
    from connectors.database import open_database
    from models.records import ChannelKey
    from tests.support.plant import build_small_plant

    _app = QCoreApplication.instance() or QCoreApplication([])
    db = open_database(f"sqlite:///{work / 'plant.db'}")
    build_small_plant(db, datetime.now(UTC))
    live = ChannelKey("S1", "A1", WATCHED_DEVICE, "LEL")
    kept = ChannelKey("S1", "A1", f"GD-{args.channels}", "LEL")
    path = trends_path(user_data_dir(), CONSOLE)
    stop = threading.Event()
    with BenchBroker() as broker:
        feeder = threading.Thread(target=gateway, args=(broker.url, stop), daemon=True)
        feeder.start()
        path.unlink(missing_ok=True)
        without = console_start(broker.url, db, work, lambda store: store.channel(live) is not None)
        items = kept_channels(args.channels, time.time())
        write_kept(path, items, console=CONSOLE, bucket_s=BUCKET_S, now_s=time.time())
        file_mb = path.stat().st_size / 1e6

        def has_history(store: TelemetryStore) -> bool:
            now = datetime.now(UTC)
            return len(store.history(kept, now - timedelta(hours=24), now)[0]) > 1400

        with_history = console_start(broker.url, db, work, has_history)
        stop.set()
        feeder.join(5)
    log = (work / "field-link.log").read_text(errors="replace")
    loads = re.findall(r"trends: (\d+) channels' history taken", log)
    store = TelemetryStore()
    store.restore(items)
    keeper = TrendKeeper(store, work / "save", CONSOLE)
    keeper.save()
    db.dispose()
    print(
        f"channels={args.channels} file_mb={file_mb:.1f} first_trend_s_without={without:.2f} "
        f"with_history_s={with_history:.2f} ratio={with_history / without:.2f} "
        f"history_channels={loads[-1] if loads else 0} save_s={keeper.save_s:.2f}"
    )


if __name__ == "__main__":
    main()
