"""Contractor performance over a quarter, the heat map's day and week, at a large plant (issue 21 parts 4-5).

Run: ``.venv/bin/python bench/contractor_heat.py [--permits 100000] [--url sqlite:///…]``.
Builds one site (40 areas), 200 contractors, ``--permits`` permits over three months, each started and
completed (a third of them stopped and resumed on the way), 5,000 violations, 3,000 stop commands and
20,000 certificates, then times ``collect_performance`` for the quarter, ``HeatMapReads.figures`` for a
day and for a week. The baseline, in the same run: the plain count of the quarter's permits per
contractor (one GROUP BY over the validity index), which any such report must at least read. The last
line is one ``key=value`` line.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from cockpit.contractor_performance import collect_performance
from cockpit.heat_map import HeatMapReads
from connectors.database import Database, open_database
from models.schema import (
    Area,
    Certificate,
    Command,
    Contractor,
    ContractorViolation,
    Permit,
    PermitEventRow,
    Site,
    Worker,
)

SH = ZoneInfo("Asia/Shanghai")
FIRST, LAST = date(2026, 9, 1), date(2026, 11, 30)
START = datetime(2026, 9, 1, tzinfo=SH).astimezone(UTC)
DAYS = 91


def build(db: Database, permits: int, rng: random.Random) -> None:
    with db.session() as s:
        _registers(s, rng)
        _permits(s, permits, rng)
        _records(s, permits, rng)


def _registers(s: Session, rng: random.Random) -> None:
    s.add(Site(id="S1", name="bench", plan_width_m=400, plan_height_m=300))
    s.flush()
    s.execute(
        insert(Area),
        [{"site_id": "S1", "id": f"A{i:02d}", "name": f"A{i}", "polygon": []} for i in range(40)],
    )
    s.execute(insert(Contractor), [{"code": f"C{i:03d}", "name": f"C{i}", "grade": "B"} for i in range(200)])
    s.execute(
        insert(Worker),
        [{"id": f"W{i:05d}", "name": "w", "contractor_code": f"C{i % 200:03d}"} for i in range(20000)],
    )
    s.execute(
        insert(Certificate),
        [
            {
                "worker_id": f"W{i:05d}",
                "number": f"N{i}",
                "trade": "t",
                "valid_from": date(2024, 1, 1),
                "valid_to": FIRST + timedelta(days=rng.randrange(-100, 200)),
            }
            for i in range(20000)
        ],
    )


def _permits(s: Session, permits: int, rng: random.Random) -> None:
    rows, events = [], []
    for i in range(permits):
        begin = START + timedelta(minutes=rng.randrange(DAYS * 24 * 60))
        hours = rng.uniform(1, 30)
        end = begin + timedelta(hours=hours)
        pid = f"P{i:07d}"
        rows.append(
            {
                "id": pid,
                "type": "hot_work",
                "status": "closed",
                "site_id": "S1",
                "area_id": f"A{rng.randrange(40):02d}",
                "valid_from": begin,
                "valid_to": end + timedelta(hours=1),
                "applicant": "w",
                "supervisor": "w",
                "contractor_code": f"C{rng.randrange(200):03d}",
                "created_at": begin,
                "updated_at": end,
                "version": 1,
            }
        )
        events.append({"permit_id": pid, "ts": begin, "type": "started", "by": "w", "detail": {}})
        if i % 3 == 0:
            events.append(
                {
                    "permit_id": pid,
                    "ts": begin + timedelta(hours=hours / 3),
                    "type": "suspended",
                    "by": "w",
                    "detail": {},
                }
            )
            events.append(
                {
                    "permit_id": pid,
                    "ts": begin + timedelta(hours=hours / 2),
                    "type": "resumed",
                    "by": "w",
                    "detail": {},
                }
            )
        events.append({"permit_id": pid, "ts": end, "type": "completed", "by": "w", "detail": {}})
        if len(rows) >= 20000:
            s.execute(insert(Permit), rows)
            s.execute(insert(PermitEventRow), events)
            rows, events = [], []
    if rows:
        s.execute(insert(Permit), rows)
        s.execute(insert(PermitEventRow), events)


def _records(s: Session, permits: int, rng: random.Random) -> None:
    s.execute(
        insert(ContractorViolation),
        [
            {
                "contractor_code": f"C{rng.randrange(200):03d}",
                "at": START + timedelta(hours=rng.randrange(DAYS * 24)),
                "description": "v",
                "points": rng.randrange(1, 4),
            }
            for _ in range(5000)
        ],
    )
    s.execute(
        insert(Command),
        [
            {
                "command_id": f"c{i}",
                "kind": "stop",
                "site_id": "S1",
                "area_id": "A00",
                "issued_by": "op",
                "permits": [f"P{rng.randrange(permits):07d}"],
                "issued_at": START + timedelta(hours=rng.randrange(DAYS * 24)),
                "auto": False,
                "state": "executed",
                "reason": "",
            }
            for i in range(3000)
        ],
    )


def timed(fn: Callable[[], object], rounds: int) -> float:
    """Median seconds of ``rounds`` calls."""
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--permits", type=int, default=100_000)
    ap.add_argument("--url")
    args = ap.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-contractor-heat-")
    db = open_database(args.url or f"sqlite:///{folder}/bench.db")
    t0 = time.perf_counter()
    build(db, args.permits, random.Random(21))
    print(f"built {args.permits} permits in {time.perf_counter() - t0:.1f} s")
    now = datetime(2026, 12, 6, tzinfo=UTC)
    end = datetime(2026, 12, 1, tzinfo=SH).astimezone(UTC)

    def baseline() -> object:
        with db.session() as s:
            return s.execute(
                select(Permit.contractor_code, func.count())
                .where(Permit.valid_from < end, Permit.valid_to > START)
                .group_by(Permit.contractor_code)
            ).all()

    def report() -> object:
        with db.session() as s:
            return collect_performance(s, FIRST, LAST, zone="Asia/Shanghai", now=now)

    heat = HeatMapReads(db, clock=lambda: now)
    base_s = timed(baseline, 3)
    report_s = timed(report, 3)
    day_s = timed(lambda: heat.figures("S1", date(2026, 10, 14), "day"), 5)
    week_s = timed(lambda: heat.figures("S1", date(2026, 10, 14), "week"), 5)
    print(f"baseline (count per contractor): {base_s * 1000:.0f} ms")
    print(f"contractor performance, quarter: {report_s * 1000:.0f} ms")
    print(f"heat map, day: {day_s * 1000:.0f} ms; week: {week_s * 1000:.0f} ms")
    db.dispose()
    print(
        f"permits={args.permits} report_ms={report_s * 1000:.0f} baseline_ms={base_s * 1000:.0f} "
        f"ratio={report_s / base_s:.1f} heat_day_ms={day_s * 1000:.0f} heat_week_ms={week_s * 1000:.0f}"
    )


if __name__ == "__main__":
    main()
