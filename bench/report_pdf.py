"""Benchmark of the printed handover: a 12-hour shift with 500 permits and 2,000 alarm events.

Builds a SQLite database holding one busy site (500 permits live at handover, 2,000 alarm annunciations
each acknowledged and most returned to normal, stop/resume commands with acknowledgements, gas tests,
certificates), then times ``register_font``, ``collect_handover`` and ``render_handover_pdf`` in a fresh
interpreter each time (a user's first report). Goal (issue 20): the PDF in ≤ 1 s. With ``--baseline REV``
the project at REV (git archive, without rl_accel as before it was asked for) makes the same report,
interleaved round by round; ``--without-accel`` adds this project without reportlab's C speed-ups.
Prints one ``key=value`` summary line of medians and ratios (figures only, never asserted).

    .venv/bin/python bench/report_pdf.py [--keep DIR] [--rounds 5] [--baseline REV] [--without-accel]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from connectors.database import Database, open_database
from models.passwords import hash_password
from models.records import PermitStatus, PermitType, Role
from models.schema import (
    AlarmJournalEntry,
    Approval,
    Area,
    Certificate,
    Command,
    CommandAckRow,
    GasTest,
    Permit,
    PermitEventRow,
    PermitWorker,
    Site,
    User,
    Worker,
)

ROOT = Path(__file__).resolve().parent.parent
SITE = "BENCH"
CHANNELS = (("LEL", "%LEL", 10.0, 25.0), ("H2S", "ppm", 7.0, 14.0), ("CO", "ppm", 17.0, 34.0))


def build_shift(
    db: Database,
    *,
    start: datetime,
    end: datetime,
    permits: int = 500,
    alarm_events: int = 2000,
    areas: int = 20,
    seed: int = 1,
) -> dict[str, int]:
    """Fill ``db`` with one site whose shift [start, end) is as busy as the benchmark asks."""
    shift = _Shift(start, end, areas, random.Random(seed))
    # The order of the parts is the order of the random draws: keep it, or the data changes.
    shift.people(permits)
    for i in range(permits):
        shift.live_permit(i)
    shift.closed_permits()
    shift.alarms(alarm_events)
    with db.session() as session:
        for model, batch in shift.rows.items():
            if batch:
                session.execute(insert(model), batch)
    journal_rows = len(shift.rows[AlarmJournalEntry])
    return {"permits": permits, "alarm_events": alarm_events, "journal_rows": journal_rows}


class _Shift:
    """The rows of one busy shift, table by table, drawn from one random generator."""

    def __init__(self, start: datetime, end: datetime, areas: int, rng: random.Random) -> None:
        self.start, self.end, self.areas, self.rng = start, end, areas, rng
        self.span = (end - start).total_seconds()
        self.area_ids = [f"A{i:02d}" for i in range(areas)]
        self.workers: list[str] = []
        self.types = list(PermitType)
        self.rows: dict[Any, list[dict[str, Any]]] = {
            m: []
            for m in (
                Site,
                Area,
                User,
                Worker,
                Certificate,
                Permit,
                PermitWorker,
                GasTest,
                PermitEventRow,
                Approval,
                AlarmJournalEntry,
                Command,
                CommandAckRow,
            )
        }

    def people(self, permits: int) -> None:
        """The site, its areas, the shift lead, and the workers with their certificates."""
        rows, rng, end, area_ids = self.rows, self.rng, self.end, self.area_ids
        rows[Site].append({"id": SITE, "name": "基准测试厂区", "timezone": "Asia/Shanghai"})
        for a in area_ids:
            rows[Area].append({"site_id": SITE, "id": a, "name": f"装置 {a}", "polygon": []})
        rows[User].append(
            {
                "username": "lead.bench",
                "display_name": "基准值班长",
                "role": Role.SHIFT_LEAD,
                "password_hash": hash_password("x"),
            }
        )
        self.workers = workers = [f"W{i:04d}" for i in range(permits + 200)]
        today = end.date()
        for i, w in enumerate(workers):
            rows[Worker].append({"id": w, "name": f"工人{i:04d}", "trade": "焊工"})
            rows[Certificate].append(
                {
                    "worker_id": w,
                    "number": f"T{i:08d}",
                    "trade": "焊工",
                    "valid_from": date(2024, 1, 1),
                    "valid_to": today + timedelta(days=rng.randint(-5, 900)),
                }
            )

    def live_permit(self, i: int) -> None:
        """One permit live at handover (every tenth suspended), with its workers, tests and events."""
        rows, rng, start, end, span = self.rows, self.rng, self.start, self.end, self.span
        workers, types, areas, area_ids = self.workers, self.types, self.areas, self.area_ids
        pid = f"PT-{i:05d}"
        ptype = types[i % len(types)]
        area = area_ids[i % areas]
        valid_from = start - timedelta(hours=rng.uniform(0, 6))
        suspended = i % 10 == 0
        rows[Permit].append(
            {
                "id": pid,
                "type": ptype,
                "grade": "2" if ptype is PermitType.HOT_WORK else None,
                "status": PermitStatus.SUSPENDED if suspended else PermitStatus.ACTIVE,
                "site_id": SITE,
                "area_id": area,
                "valid_from": valid_from,
                "valid_to": end + timedelta(minutes=rng.randint(-30, 600)),
                "applicant": workers[i],
                "supervisor": workers[(i + 1) % len(workers)],
                "urgent": i % 25 == 0,
                "green_channel_review": i % 25 == 0,
                "prerequisites": {"jsa": True, "isolation": i % 17 != 0},
                "created_at": valid_from - timedelta(hours=1),
                "updated_at": valid_from,
            }
        )
        rows[PermitWorker].extend(
            {"permit_id": pid, "worker_id": workers[(i + k) % len(workers)]} for k in range(2)
        )
        for k in range(3):
            rows[GasTest].append(
                {
                    "permit_id": pid,
                    "taken_at": start + timedelta(seconds=rng.uniform(0, span)),
                    "by": workers[i],
                    "passed": rng.random() > 0.03 or k < 2,
                    "readings": [{"ch": "LEL", "v": round(rng.uniform(0, 8), 1), "u": "%LEL"}],
                }
            )
        started = start + timedelta(seconds=rng.uniform(0, span / 2))
        rows[PermitEventRow].append(
            {"permit_id": pid, "ts": started, "type": "started", "by": workers[i], "detail": {}}
        )
        if suspended:
            rows[PermitEventRow].append(
                {
                    "permit_id": pid,
                    "ts": started + timedelta(minutes=30),
                    "type": "suspended",
                    "by": "cockpit",
                    "detail": {"reason": "LEL HIHI"},
                }
            )
        if i % 25 == 0:
            rows[Approval].append(
                {
                    "permit_id": pid,
                    "level": "operating_unit",
                    "signer": "lead.bench",
                    "role": "shift_lead",
                    "signed_at": start + timedelta(seconds=rng.uniform(0, span)),
                    "decision": "approve",
                    "reason": "紧急抢修",
                    "content_hash": "0" * 64,
                }
            )

    def closed_permits(self) -> None:
        rows, rng, start, end, span = self.rows, self.rng, self.start, self.end, self.span
        workers, areas, area_ids = self.workers, self.areas, self.area_ids
        for i in range(40):  # closed during the shift
            pid = f"PC-{i:05d}"
            ts = start + timedelta(seconds=rng.uniform(0, span))
            rows[Permit].append(
                {
                    "id": pid,
                    "type": PermitType.WORK_AT_HEIGHT,
                    "status": PermitStatus.CLOSED,
                    "site_id": SITE,
                    "area_id": area_ids[i % areas],
                    "valid_from": start - timedelta(hours=2),
                    "valid_to": end,
                    "applicant": workers[i],
                    "supervisor": workers[i + 1],
                    "created_at": start - timedelta(hours=3),
                    "updated_at": ts,
                }
            )
            rows[PermitEventRow].append(
                {"permit_id": pid, "ts": ts, "type": "closed", "by": "lead.bench", "detail": {}}
            )

    def alarms(self, alarm_events: int) -> None:
        """Annunciations through the shift: raised, acknowledged, mostly cleared; a critical one stops."""
        rows, rng, start, span = self.rows, self.rng, self.start, self.span
        areas, area_ids = self.areas, self.area_ids
        times = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(alarm_events))
        for n, ts in enumerate(times):
            area = area_ids[rng.randrange(areas)]
            ch, unit, hi, hihi = CHANNELS[n % len(CHANNELS)]
            critical = rng.random() < 0.1
            cond, prio = ("HIHI", 1) if critical else ("HI", 2) if n % 3 else ("STALE", 3)
            value = round(hihi * 1.1 if critical else hi * 1.1, 1) if cond != "STALE" else None
            alarm_id = f"{SITE}/{area}/D{n % 7}/{ch}/{n}"
            base = {
                "alarm_id": alarm_id,
                "site_id": SITE,
                "area_id": area,
                "source": f"{SITE}/{area}/D{n % 7}/{ch}",
                "condition": cond,
                "priority": prio,
                "value": value,
                "unit": unit,
            }
            rows[AlarmJournalEntry].append({**base, "ts": ts, "from_state": "normal", "to_state": "unack"})
            rows[AlarmJournalEntry].append(
                {
                    **base,
                    "ts": ts + timedelta(seconds=rng.uniform(5, 120)),
                    "from_state": "unack",
                    "to_state": "acked",
                    "who": "op.bench",
                }
            )
            if rng.random() < 0.9:
                rows[AlarmJournalEntry].append(
                    {
                        **base,
                        "ts": ts + timedelta(seconds=rng.uniform(130, 900)),
                        "from_state": "acked",
                        "to_state": "normal",
                    }
                )
            if critical:
                self.stop_command(ts, area, alarm_id, f"{ch} {value} {unit} HIHI")

    def stop_command(self, ts: datetime, area: str, alarm_id: str, reason: str) -> None:
        """The automatic stop a critical alarm sends, received and executed at the field."""
        rows, rng = self.rows, self.rng
        cid = str(uuid.UUID(int=rng.getrandbits(128)))
        issued = ts + timedelta(seconds=1)
        rows[Command].append(
            {
                "command_id": cid,
                "kind": "stop",
                "site_id": SITE,
                "area_id": area,
                "permits": [],
                "reason": reason,
                "alarm_id": alarm_id,
                "issued_by": "cockpit",
                "auto": True,
                "issued_at": issued,
                "state": "executed",
            }
        )
        for k, status in enumerate(("received", "executed")):
            at = issued + timedelta(seconds=2 + 20 * k)
            rows[CommandAckRow].append(
                {
                    "command_id": cid,
                    "ts": at,
                    "status": status,
                    "by": "gw",
                    "detail": "",
                    "received_at": at,
                }
            )


MEASURE = """
import sys, time
from datetime import datetime
from pathlib import Path
if {no_accel}:
    sys.modules["_rl_accel"] = None  # reportlab then takes its pure-Python fallbacks
from cockpit.report.data import collect_handover
from cockpit.report.handover_pdf import register_font, render_handover_pdf
from connectors.database import open_database
db = open_database({db_url!r})
start, end = datetime.fromisoformat({start!r}), datetime.fromisoformat({end!r})
t0 = time.perf_counter()
register_font()
t1 = time.perf_counter()
with db.session() as session:
    data = collect_handover(session, start=start, end=end, site={site!r}, plant="基准厂", now=end)
t2 = time.perf_counter()
pages = []
render_handover_pdf(data, Path({out!r}), lang="zh_CN", progress=lambda _d, _t, text: pages.append(text))
t3 = time.perf_counter()
db.dispose()
n = sum(1 for text in pages if text.startswith("page "))
print(t3 - t0, t1 - t0, t2 - t1, t3 - t2, n, len(data.permits), data.alarms.total)
"""


def measure(
    tree: Path, db_path: Path, out: Path, start: datetime, end: datetime, no_accel: bool
) -> list[float]:
    """One report in a fresh interpreter on the project at ``tree``: [pdf, font, collect, render, pages,
    permits, alarm events] (a fresh process: the font and the imports are paid as a user's first report)."""
    code = MEASURE.format(
        no_accel=no_accel,
        db_url=f"sqlite:///{db_path}",
        start=start.isoformat(),
        end=end.isoformat(),
        site=SITE,
        out=str(out),
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tree), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the report failed in {tree}: {done.stderr.decode().strip()[-400:]}")
    return [float(v) for v in done.stdout.split()]


def unpack(rev: str, into: Path) -> Path:
    """The project's committed files at ``rev``, for the baseline."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=False)
    if archive.returncode != 0:
        raise SystemExit(f"git archive {rev}: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="keep the database and the PDF in this folder")
    parser.add_argument("--rounds", type=int, default=1, help="reports per variant, interleaved")
    parser.add_argument("--baseline", metavar="REV", help="also the project at this commit (git archive)")
    parser.add_argument(
        "--without-accel", action="store_true", help="also this project without reportlab's C speed-ups"
    )
    args = parser.parse_args()
    if args.rounds < 1:
        raise SystemExit("--rounds must be at least 1")
    scratch = None if args.keep else tempfile.TemporaryDirectory(prefix="report-bench-")
    folder = Path(args.keep) if args.keep else Path(scratch.name)  # type: ignore[union-attr]
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "bench.db"
    db_path.unlink(missing_ok=True)
    db = open_database(f"sqlite:///{db_path}")
    end = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    start = end - timedelta(hours=12)
    built = build_shift(db, start=start, end=end)
    db.dispose()
    variants: dict[str, tuple[Path, bool]] = {"current": (ROOT, False)}
    if args.without_accel:
        variants["noaccel"] = (ROOT, True)
    if args.baseline:
        base = unpack(args.baseline, Path(tempfile.mkdtemp(prefix="report-bench-base-")) / "tree")
        variants["baseline"] = (base, True)  # as installed before rl_accel came with reportlab[accel]
    runs: dict[str, list[list[float]]] = {name: [] for name in variants}
    try:
        for r in range(args.rounds):
            names = list(variants) if r % 2 == 0 else list(reversed(variants))
            for name in names:
                tree, no_accel = variants[name]
                runs[name].append(
                    measure(tree, db_path, folder / f"handover-{name}.pdf", start, end, no_accel)
                )
            if args.rounds > 1:
                print(
                    f"round {r + 1}: " + ", ".join(f"{n} {runs[n][-1][0]:.2f} s" for n in variants),
                    flush=True,
                )
    finally:
        if args.baseline:
            shutil.rmtree(variants["baseline"][0].parent, ignore_errors=True)
    ours = runs["current"]
    last = ours[-1]
    med = {name: [statistics.median(v[i] for v in rows) for i in range(4)] for name, rows in runs.items()}
    line = (
        f"pdf_s={med['current'][0]:.2f} pages={int(last[4])} permits={int(last[5])} "
        f"alarm_events={int(last[6])} "
        f"font_s={med['current'][1]:.2f} collect_s={med['current'][2]:.2f} render_s={med['current'][3]:.2f} "
        f"journal_rows={built['journal_rows']}"
    )
    if args.rounds > 1:
        line += f" pdf_min_s={min(v[0] for v in ours):.2f} pdf_max_s={max(v[0] for v in ours):.2f}"
    for name in variants:
        if name != "current":
            line += f" {name}_pdf_s={med[name][0]:.2f} ratio_{name}={med['current'][0] / med[name][0]:.2f}"
    line += f" rounds={args.rounds} load1={os.getloadavg()[0]:.1f}"
    print(line + (f" out={folder}" if args.keep else ""))
    if scratch is not None:
        scratch.cleanup()


if __name__ == "__main__":
    main()
