"""What the demo's three months of history cost at its first start (issue 21: the demo still starts
quickly). The demo seeds itself into an empty database at its first start (``cockpit/runtime.py``); this
times ``seed_demo`` with the history (``history=True``, the default) against the live month alone
(``history=False``, the baseline), interleaved in the same run, on a fresh SQLite file each time.
Usage: python bench/demo_seed.py [ROUNDS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from cockpit.demo_seed import seed_demo
from connectors.database import open_database

NOW = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)


def seed_once(folder: Path, name: str, history: bool) -> float:
    db = open_database(f"sqlite:///{folder / name}")
    try:
        started = time.perf_counter()
        seed_demo(db, seed=1, now=NOW, history=history)
        return time.perf_counter() - started
    finally:
        db.dispose()


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    times: dict[bool, list[float]] = {False: [], True: []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seed_once(folder, "warm.db", True)  # imports and the mappers' first configuration, paid once
        for n in range(rounds):
            for history in (False, True) if n % 2 == 0 else (True, False):
                times[history].append(seed_once(folder, f"r{n}-{history}.db", history))
    live, full = statistics.median(times[False]), statistics.median(times[True])
    for history, label in ((False, "live month only"), (True, "with three months")):
        print(f"{label:18s} " + " ".join(f"{t:.3f}" for t in times[history]) + " s")
    extra = full - live
    ratio = full / live
    print(
        f"rounds={rounds} live_s={live:.3f} with_history_s={full:.3f} extra_s={extra:.3f} ratio={ratio:.2f}"
    )


if __name__ == "__main__":
    main()
