"""How many readings a second the alarm engine judges on one core.

Run: ``.venv/bin/python bench/alarm_engine.py``. Prints one ``key=value`` line:
``normal_per_s`` (channels staying normal, the per-message case, target >= 200k),
``alarming_per_s`` (channels inside an acknowledged HI, value wobbling) and
``chatter_per_s`` (values crossing HI every sample: on-delays start and cancel).
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.alarms import AlarmEngine
from models.limits import LimitResolver
from models.records import ChannelKey, Quality

CHANNELS = 2000
ROUNDS = 200


def keys() -> list[ChannelKey]:
    chans = ("LEL", "O2", "H2S", "CO")
    return [ChannelKey("S1", f"A{i % 20}", f"D{i // 4}", chans[i % 4]) for i in range(CHANNELS)]


def run(values: dict[str, list[float]], ack: bool) -> float:
    """Readings per second over ``ROUNDS`` passes of all channels, one sample a second."""
    engine = AlarmEngine(LimitResolver())
    all_keys = keys()
    t0 = datetime(2026, 11, 23, tzinfo=UTC)
    stamps = [t0 + timedelta(seconds=r) for r in range(ROUNDS + 3)]
    good = Quality.GOOD
    for r in range(3):  # warm up: open the channels, let delays run out
        for k in all_keys:
            engine.process(k, values[k.ch][r % 2], good, stamps[r])
    if ack:
        for alarm in engine.active():
            engine.acknowledge(alarm.alarm_id, "bench", ts=stamps[3])
    process = engine.process
    start = time.perf_counter()
    for r in range(3, ROUNDS + 3):
        ts = stamps[r]
        for k in all_keys:
            process(k, values[k.ch][r % 2], good, ts)
    return CHANNELS * ROUNDS / (time.perf_counter() - start)


def main() -> None:
    normal = {"LEL": [1.0, 1.2], "O2": [20.9, 20.8], "H2S": [0.0, 0.1], "CO": [2.0, 3.0]}
    alarming = {"LEL": [12.0, 12.3], "O2": [19.0, 19.1], "H2S": [8.0, 8.2], "CO": [20.0, 21.0]}
    chatter = {"LEL": [9.0, 11.0], "O2": [20.0, 19.0], "H2S": [6.0, 8.0], "CO": [15.0, 19.0]}
    normal_rate = run(normal, ack=False)
    alarming_rate = run(alarming, ack=True)
    chatter_rate = run(chatter, ack=False)
    print(
        f"bench=alarm_engine channels={CHANNELS} normal_per_s={normal_rate:.0f} "
        f"alarming_per_s={alarming_rate:.0f} chatter_per_s={chatter_rate:.0f}"
    )


if __name__ == "__main__":
    main()
