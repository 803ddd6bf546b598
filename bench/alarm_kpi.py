"""The alarm-system figures' refresh time at a plant's scale (issue 21: live figures within 200 ms).

Fills a SQLite (and, when reachable, a PostgreSQL) alarm journal with ROWS entries over 30 days (an
annunciation and its clearing for each alarm, 400 sources, some chattering), then reads the figures for
this shift, today and the month, several times each. The baseline, measured in the same run, is a
plain `SELECT count(*)` of the month's annunciations: the ratio says how much the figures cost beyond
reading the journal at all.
Usage: python bench/alarm_kpi.py [ROWS] [--pg URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from cockpit.alarm_kpi import read_kpis
from connectors.database import Database, open_database
from models.schema import AlarmJournalEntry

REPEATS = 5


def fill(db: Database, rows: int, end: datetime) -> None:
    rng = random.Random(21)
    start = end - timedelta(days=30)
    batch: list[dict[str, object]] = []
    for i in range(rows // 2):
        source = f"S{rng.randint(1, 4)}/A{rng.randint(1, 10)}/GD-{rng.randint(1, 10)}/LEL"
        ts = start + timedelta(seconds=rng.uniform(0, 30 * 86400))
        common = {
            "alarm_id": f"{source}:HI",
            "site_id": source[:2],
            "area_id": source.split("/")[1],
            "source": source,
            "condition": "HI",
            "priority": 2,
            "unit": "%LEL",
            "console": "c1",
        }
        batch.append({**common, "ts": ts, "from_state": "normal", "to_state": "active_unack"})
        batch.append(
            {**common, "ts": ts + timedelta(seconds=30), "from_state": "active_unack", "to_state": "normal"}
        )
        if len(batch) >= 20_000 or i == rows // 2 - 1:
            with db.session() as s:
                s.execute(insert(AlarmJournalEntry), batch)
            batch = []


def timed(call) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure(name: str, db: Database, rows: int) -> dict[str, float]:
    end = datetime.now(UTC).replace(microsecond=0)
    fill(db, rows, end)
    month_start = end - timedelta(days=30)

    def baseline() -> None:
        with db.session() as s:
            s.scalar(
                select(func.count()).where(
                    AlarmJournalEntry.ts >= month_start, AlarmJournalEntry.to_state == "active_unack"
                )
            )

    found = {
        "baseline_ms": timed(baseline),
        "shift_ms": timed(lambda: read_kpis(db, end - timedelta(hours=12), end)),
        "day_ms": timed(lambda: read_kpis(db, end - timedelta(days=1), end)),
        "month_ms": timed(lambda: read_kpis(db, month_start, end)),
    }
    print(f"{name}: " + ", ".join(f"{k} {v:.0f}" for k, v in found.items()))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", nargs="?", type=int, default=100_000)
    parser.add_argument("--pg", default="", help="a PostgreSQL URL to measure too (an empty database)")
    args = parser.parse_args()
    sqlite = open_database(f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-kpi-')) / 'kpi.db'}")
    found = measure("sqlite", sqlite, args.rows)
    if args.pg:
        measure("postgresql", open_database(args.pg), args.rows)
    print(
        f"shift_ms={found['shift_ms']:.0f} day_ms={found['day_ms']:.0f} month_ms={found['month_ms']:.0f} "
        f"baseline_ms={found['baseline_ms']:.0f} month_ratio={found['month_ms'] / found['baseline_ms']:.1f} "
        f"rows={args.rows} goal_shift_ms=200"
    )


if __name__ == "__main__":
    main()
