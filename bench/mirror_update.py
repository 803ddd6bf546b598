"""The window's share of a live update: what the GUI thread spends on one (absorb + a wall of panes
reading 64 written channels), against what the field process spent ingesting the same batch.

The field process ingests a batch, exports the changed channels, and the window's mirror takes the
export in (``absorb``) and is read (``traces``, 600 s, as `bench/ingest` does per update). Thread CPU
time, so other work on the machine changes the figures less than wall time would; the ratio is the
GUI side over the ingest side, both measured in this run.

Usage: python bench/mirror_update.py [UPDATES] [MESSAGES_PER_UPDATE]
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime

from _common import sensor_payload

from cockpit.telemetry import TelemetryStore
from connectors.contract import ContractDecoder

DEVICES = 100  # four channels each, as bench/_common.Publisher sends
WARM_UP = 10


def main() -> None:
    updates = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    per_update = int(sys.argv[2]) if len(sys.argv) > 2 else 1000  # 10 updates/s at 10,000 msg/s
    decoder = ContractDecoder()
    source = TelemetryStore(default_max_age_s=30)
    source.enable_export()
    mirror = TelemetryStore(default_max_age_s=30)
    start = time.time() - updates * 0.1 - 1
    ingest_ms: list[float] = []
    absorb_ms: list[float] = []
    read_ms: list[float] = []
    i = 0
    for u in range(updates):
        now = datetime.fromtimestamp(start + u * 0.1, UTC)
        batch = []
        for k in range(per_update):
            device = i % DEVICES
            ts_ms = int((start + u * 0.1 + k * 0.1 / per_update) * 1000)
            payload = sensor_payload(i // DEVICES + 1, 1.0 + (i % 7) * 0.1, ts_ms)
            batch.append(decoder.decode(f"plant/S1/A{device % 20}/sensor/GD-{device}", payload, now))
            i += 1
        c0 = time.thread_time()
        update = source.ingest(batch, now)  # type: ignore[arg-type]
        export = source.take_export(update.changed)
        c1 = time.thread_time()
        mirror.absorb(export)
        c2 = time.thread_time()
        mirror.traces(sorted(update.changed)[:64], 600)
        c3 = time.thread_time()
        if u >= WARM_UP:
            ingest_ms.append((c1 - c0) * 1000)
            absorb_ms.append((c2 - c1) * 1000)
            read_ms.append((c3 - c2) * 1000)
    gui = [a + r for a, r in zip(absorb_ms, read_ms, strict=True)]
    med = statistics.median
    print(
        f"per update of {per_update} messages ({DEVICES * 4} channels): field ingest+export "
        f"{med(ingest_ms):.2f} ms, window absorb {med(absorb_ms):.2f} ms, 64 panes read {med(read_ms):.2f} ms"
    )
    print(
        f"gui_over_ingest={med(gui) / med(ingest_ms):.2f} gui_ms={med(gui):.2f} "
        f"absorb_ms={med(absorb_ms):.2f} read_ms={med(read_ms):.2f} ingest_ms={med(ingest_ms):.2f} "
        f"updates={updates - WARM_UP} "
        f"messages_per_update={per_update}"
    )


if __name__ == "__main__":
    main()
