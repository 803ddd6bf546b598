"""What rebuilding who is inside costs at a console's start (issue 17): ``read_presence`` over a week of
gate movements in the audit trail, against a plain read of the same rows in the same run (the ratio is
the fold and the names, the rest is the database).

Usage: python bench/headcount_load.py [WORKERS] [MOVES_PER_WORKER_PER_DAY] [ROUNDS]
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from cockpit.gate_presence import ALLOWED, ENTRY, EXIT, KEEP, read_presence
from connectors.database import open_database
from models.schema import AuditEntry, Worker


def main() -> None:
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    per_day = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    now = datetime.now(UTC)
    rng = random.Random(17)
    db = open_database(f"sqlite:///{Path(tempfile.mkdtemp()) / 'plant.db'}")
    rows: list[dict[str, Any]] = []
    days = KEEP.days
    for w in range(workers):
        t = now - KEEP + timedelta(minutes=rng.random() * 60)
        area = f"A{w % 40}"
        for i in range(per_day * days):
            action = (ALLOWED, ENTRY, EXIT)[i % 3]
            t += timedelta(seconds=days * 86400 / (per_day * days) * rng.uniform(0.5, 1.0))
            details = json.dumps({"site": "S1", "area": area}, sort_keys=True)
            rows.append(
                {
                    "ts": t,
                    "actor": f"gate:S1/{area}",
                    "action": action,
                    "subject": f"W-{w}",
                    "details": details,
                }
            )
    rows.sort(key=lambda r: r["ts"])
    with db.session() as s:
        s.add_all(Worker(id=f"W-{w}", name=f"工人{w}") for w in range(workers))
        s.flush()
        s.execute(
            insert(AuditEntry),
            [{**r, "seq": i + 1, "prev_hash": "0" * 64, "hash": f"{i + 1:064d}"} for i, r in enumerate(rows)],
        )
    loads, plains, inside = [], [], 0
    for _ in range(rounds):
        t0 = time.perf_counter()
        with db.session() as s:
            presence = read_presence(s, now)
        loads.append(time.perf_counter() - t0)
        inside = sum(len(p) for p in presence.inside.values())
        t0 = time.perf_counter()
        with db.session() as s:
            s.execute(
                select(AuditEntry.action, AuditEntry.subject, AuditEntry.ts, AuditEntry.details)
                .where(AuditEntry.ts >= now - KEEP)
                .order_by(AuditEntry.ts, AuditEntry.seq)
            ).all()
        plains.append(time.perf_counter() - t0)
    # The follow of an instance without the duties: what was written since, here 10 new movements.
    with db.session() as s:
        base = read_presence(s, now)
        top = s.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) or 0
        s.execute(
            insert(AuditEntry),
            [
                {**rows[i], "seq": top + i + 1, "prev_hash": "0" * 64, "hash": f"x{top + i + 1:063d}"}
                for i in range(10)
            ],
        )
    follows = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        with db.session() as s:
            read_presence(s, now, base)
        follows.append(time.perf_counter() - t0)
    load, plain, follow = statistics.median(loads), statistics.median(plains), statistics.median(follows)
    print(
        f"rows={len(rows)} inside={inside} load_ms={load * 1000:.1f} plain_read_ms={plain * 1000:.1f} "
        f"follow_ms={follow * 1000:.2f} ratio={load / plain:.2f}"
    )


if __name__ == "__main__":
    main()
