"""Search in the register screens at a large plant's size: 100,000 workers, 150,000 certificates (issue 16).

Run: ``.venv/bin/python bench/register_search.py [--workers 100000] [--only sqlite|postgresql]``.
Builds the data as ``bench/register_import.py`` does (its xlsx files, imported through ``RegisterIO``),
then per database times the screens' search calls, ``PeopleReads.workers(text)`` and
``PeopleReads.contractors(text)``, for what a user types (an ID keystroke by keystroke, a name, a
certificate number, an employer, a text nobody has), each several times. The baseline, in the same run:
the workers search as the screen made it before the in-memory index (one SQL query: a prefix range on
the ID and the certificate number, ILIKE on the ID, the name and the employer's name). The index's
first build (at the first search) is reported apart. Goal: p95 at most 50 ms. The last line is one
``key=value`` line.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from register_import import PG_URL, run, write_files
from sqlalchemy import create_engine, make_url, or_, select, text
from sqlalchemy.orm import aliased

from cockpit.people_reads import PeopleReads
from connectors.database import Database, open_database
from models.schema import Certificate, Contractor, Worker

GOAL_MS = 50.0
ROUNDS = 5


def typed(workers: int) -> list[str]:
    """What people type: an ID keystroke by keystroke, names, a certificate, an employer, nothing found."""
    w = workers * 7 // 10
    worker_id = f"W{w:06d}"
    texts = [worker_id[:n] for n in range(1, len(worker_id) + 1)]
    texts += ["工人", f"工人{w}", f"工人{w // 10}", f"T{w:08d}", f"T{w:08d}"[:6], "承包商17", "zz-nobody"]
    texts += [f"w{w // 3:06d}", f"{w % 1000:03d}", "电焊"]
    return texts


def old_workers(db: Database, text_: str, limit: int = 500) -> int:
    """The workers search as it was: one SQL query (the baseline)."""
    employer = aliased(Contractor)
    escaped = text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern, high = f"%{escaped}%", text_ + "\uffff"
    by_cert = select(Certificate.worker_id).where((Certificate.number >= text_) & (Certificate.number < high))
    query = (
        select(Worker.id, Worker.name, Worker.contractor_code, employer.name, Worker.trade, Worker.active)
        .join(employer, employer.code == Worker.contractor_code, isouter=True)
        .where(
            or_(
                (Worker.id >= text_) & (Worker.id < high),
                Worker.name.ilike(pattern, escape="\\"),
                Worker.id.ilike(pattern, escape="\\"),
                Worker.id.in_(by_cert),
                employer.name.ilike(pattern, escape="\\"),
            )
        )
        .order_by(Worker.id)
        .limit(limit)
    )
    with db.session() as s:
        return len(s.execute(query).all())


def timed(fn: Callable[[str], object], texts: list[str]) -> list[float]:
    samples = []
    for _ in range(ROUNDS):
        for t in texts:
            t0 = time.perf_counter()
            fn(t)
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


def pct(samples: list[float], q: float) -> float:
    return round(statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1], 1)


def measure(db_name: str, url: str, files: dict[str, Path], workers: int) -> dict[str, float]:
    run(db_name, url, files)  # the data, through the import (bench/register_import.py)
    db = open_database(url)
    try:
        reads = PeopleReads(db)
        texts = typed(workers)
        t0 = time.perf_counter()
        found = len(reads.workers(texts[0]))  # the first search builds the index
        build_s = time.perf_counter() - t0
        assert found, "the search found nothing: the data is not there"
        figures: dict[str, float] = {f"{db_name}_index_build_s": round(build_s, 2)}
        for name, fn in (
            ("old_workers", lambda t: old_workers(db, t)),
            ("workers", reads.workers),
            ("contractors", reads.contractors),
        ):
            samples = timed(fn, texts)
            figures[f"{db_name}_{name}_p50_ms"] = pct(samples, 50)
            figures[f"{db_name}_{name}_p95_ms"] = pct(samples, 95)
            print(
                f"db={db_name} {name}: p50 {pct(samples, 50)} ms, p95 {pct(samples, 95)} ms, "
                f"max {max(samples):.1f} ms ({len(samples)} searches)",
                flush=True,
            )
        old, new = figures[f"{db_name}_old_workers_p95_ms"], figures[f"{db_name}_workers_p95_ms"]
        figures[f"{db_name}_ratio_p95_to_old"] = round(new / old, 3) if old else 0.0
        return figures
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg-url", default=PG_URL)
    args = parser.parse_args()
    summary: dict[str, object] = {"workers": args.workers}
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        folder = Path(tmp)
        files = write_files(folder, args.workers)
        if args.only in (None, "sqlite"):
            summary.update(measure("sqlite", f"sqlite:///{folder / 'plant.db'}", files, args.workers))
        if args.only in (None, "postgresql"):
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(args.pg_url)
            try:
                with admin.begin() as conn:
                    conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            except Exception as exc:
                print(f"db=postgresql skipped={type(exc).__name__}", flush=True)
            else:
                url = make_url(args.pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
                try:
                    summary.update(measure("postgresql", url.render_as_string(False), files, args.workers))
                finally:
                    with admin.begin() as conn:
                        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    p95s = [float(str(v)) for k, v in summary.items() if k.endswith("p95_ms") and "_old_" not in k]
    summary["goal_met"] = bool(p95s) and max(p95s) <= GOAL_MS
    print(" ".join(f"{k}={v}" for k, v in summary.items()), flush=True)


if __name__ == "__main__":
    main()
