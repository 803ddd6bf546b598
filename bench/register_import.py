"""Import a plant's people from xlsx: 100,000 workers with 150,000 certificates (issue 16 part 3).

Run: ``.venv/bin/python bench/register_import.py [--workers 100000] [--only sqlite|postgresql]``.
Writes the two files with openpyxl, then per database: the contractors, the workers, the certificates
through ``RegisterIO.import_file`` (the command line's and the screens' path), timing each phase and
the longest pause between two progress reports (the progress bar must move all along). The baseline,
measured in the same run: reading the same files with openpyxl alone (the floor any xlsx import
pays). Goal: each database's workers + certificates import in at most 60 s. The last line is one
``key=value`` line.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook, load_workbook
from sqlalchemy import create_engine, make_url, text

from cockpit.auth import login
from cockpit.register_io.service import RegisterIO
from cockpit.sessions import SessionKeys
from cockpit.users import create_first_admin
from connectors.database import open_database

PG_URL = os.environ.get("COCKPIT_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
CONTRACTORS = 200
GOAL_S = 60.0


def write_files(folder: Path, workers: int) -> dict[str, Path]:
    files = {name: folder / f"{name}.xlsx" for name in ("contractors", "workers", "certificates")}
    book = Workbook(write_only=True)
    sheet = book.create_sheet("contractors")
    sheet.append(["承包商编码", "承包商名称", "等级"])
    for c in range(CONTRACTORS):
        sheet.append([f"C{c:04d}", f"承包商{c}", "ABC"[c % 3]])
    book.save(files["contractors"])
    book = Workbook(write_only=True)
    sheet = book.create_sheet("workers")
    sheet.append(["工号", "姓名", "承包商编码", "工种", "电话"])
    for w in range(workers):
        sheet.append([f"W{w:06d}", f"工人{w}", f"C{w % CONTRACTORS:04d}", "电焊工", f"138{w:08d}"])
    book.save(files["workers"])
    book = Workbook(write_only=True)
    sheet = book.create_sheet("certificates")
    sheet.append(["证书编号", "工号", "作业类别", "发证机关", "有效期起", "有效期至", "复审日期"])
    start = date(2024, 1, 1)
    for n in range(workers * 3 // 2):
        w = n % workers
        begin = start + timedelta(days=n % 700)
        sheet.append(
            [
                f"T{n:08d}",
                f"W{w:06d}",
                "熔化焊接与热切割作业",
                "应急管理局",
                begin,
                begin + timedelta(days=2190),
                begin + timedelta(days=1095),
            ]
        )
    book.save(files["certificates"])
    return files


def read_only(path: Path) -> float:
    t0 = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    for _ in book.worksheets[0].iter_rows(values_only=True):
        pass
    book.close()
    return time.perf_counter() - t0


class Pace:
    """The longest pause between two progress reports."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.max_gap = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last)
        self.last = now


def run(db_name: str, url: str, files: dict[str, Path]) -> dict[str, float]:
    db = open_database(url)
    try:
        create_first_admin(db, "boss", "a good long password")
        keys = SessionKeys()
        boss = login(db, keys, "boss", "a good long password")
        service = RegisterIO(db, keys)
        figures: dict[str, float] = {}
        for name in ("contractors", "workers", "certificates"):
            pace = Pace()
            t0 = time.perf_counter()
            report = service.import_file(boss, name, files[name], progress=pace)
            seconds = time.perf_counter() - t0
            pace(name, 0, 0)  # the pause after the last report counts too
            assert report.written and not report.rejected, report.rejected[:3]
            figures[f"{name}_s"] = round(seconds, 2)
            figures[f"{name}_max_pause_s"] = round(pace.max_gap, 2)
            print(
                f"db={db_name} {name}: {report.inserted} rows in {seconds:.1f} s, "
                f"longest pause between progress reports {pace.max_gap:.2f} s",
                flush=True,
            )
        return figures
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg-url", default=PG_URL)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-register-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        files = write_files(folder, args.workers)
        print(f"files written in {time.perf_counter() - t0:.1f} s", flush=True)
        floor = read_only(files["workers"]) + read_only(files["certificates"])
        print(f"baseline: openpyxl reads both files in {floor:.1f} s", flush=True)
        summary: dict[str, object] = {"workers": args.workers, "read_floor_s": round(floor, 2)}
        if args.only in (None, "sqlite"):
            _record(summary, "sqlite", run("sqlite", f"sqlite:///{folder / 'plant.db'}", files), floor)
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
                    _record(
                        summary, "postgresql", run("postgresql", url.render_as_string(False), files), floor
                    )
                finally:
                    with admin.begin() as conn:
                        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    totals = [v for k, v in summary.items() if k.endswith("_people_s") and isinstance(v, float)]
    summary["goal_met"] = bool(totals) and max(totals) * 100_000 / args.workers <= GOAL_S
    print(" ".join(f"{k}={v}" for k, v in summary.items()), flush=True)


def _record(summary: dict[str, object], name: str, figures: dict[str, float], floor: float) -> None:
    people = figures["workers_s"] + figures["certificates_s"]
    summary[f"{name}_people_s"] = round(people, 2)
    summary[f"{name}_ratio_to_read"] = round(people / floor, 2) if floor else 0.0
    summary[f"{name}_max_pause_s"] = max(figures["workers_max_pause_s"], figures["certificates_max_pause_s"])


if __name__ == "__main__":
    main()
