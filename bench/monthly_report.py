# ruff: noqa: E501 - the generated rows and the SQL column lists read best a row to a line
"""The monthly special-work analysis at a plant's scale (issue 21: ≤ 5 s for 1M permits and 100,000
journal rows in the month).

Fills a SQLite database with PERMITS permits over the report's four months (the month and the three
before it, which the report compares against), each with its submission, approval (90 %), start (70 %),
escalations (5 %), refusals (6 %), gas tests, green-channel approvals and reviews, stop commands and
their acknowledgements, and JOURNAL alarm-journal rows in each month. Then times ``collect_monthly``
(the figures of the four months), the PDF and the xlsx. The baseline, in the same run, is a plain
``SELECT count(*)`` of the four months' permits and journal rows: what reading the tables at all costs.
Usage: python bench/monthly_report.py [--permits N] [--journal N] [--db URL]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from cockpit.report.monthly_data import collect_monthly, month_bounds, months_back  # noqa: E402
from connectors.database import Database, open_database  # noqa: E402
from models.schema import AlarmJournalEntry, Area, Contractor, Permit, PermitEventRow, Site, User  # noqa: E402

MONTH = (2026, 11)
ZONE = "Asia/Shanghai"
TYPES = (
    "hot_work",
    "confined_space",
    "blinding",
    "work_at_height",
    "lifting",
    "temporary_power",
    "excavation",
)
REASONS = ("isolation: 隔离不全", "gas_test: 未检测", "jsa: 缺少分析", "certificate: 证书过期", "人员不足")


def _t(ts: datetime) -> str:
    """How the project's UTCDateTime keeps a time in SQLite (naive UTC text)."""
    return ts.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _setup(db: Database) -> None:
    with db.session() as s:
        for i in range(4):
            s.add(Site(id=f"S{i}", name=f"厂区{i}"))
        s.flush()
        for i in range(4):
            for j in range(10):
                s.add(Area(site_id=f"S{i}", id=f"A{j}", name=f"区域{j}"))
        for i in range(30):
            s.add(Contractor(code=f"C{i}", name=f"承包商{i}"))
        s.add(User(username="lead", display_name="lead", role="shift_lead", password_hash="x"))
        s.commit()


class Rows:
    """The generated rows of every table, in the order the tables are written."""

    def __init__(self) -> None:
        self.rng = random.Random(21)
        self.permits: list[Any] = []
        self.events: list[Any] = []
        self.refusals: list[Any] = []
        self.gas: list[Any] = []
        self.audit: list[Any] = []
        self.commands: list[Any] = []
        self.acks: list[Any] = []
        self.journal: list[Any] = []

    def tables(self) -> tuple[list[Any], ...]:
        return (
            self.permits,
            self.events,
            self.refusals,
            self.gas,
            self.audit,
            self.commands,
            self.acks,
            self.journal,
        )

    def permit(self, pid: str, i: int, created: datetime) -> None:
        rng, ptype = self.rng, TYPES[i % len(TYPES)]
        valid_from = created + timedelta(minutes=rng.uniform(20, 600))
        grade = "1" if ptype == "hot_work" else None
        row = (pid, ptype, grade, grade, "[]", "closed", f"S{i % 4}", f"A{i % 10}", _t(valid_from))
        more = (
            _t(valid_from + timedelta(hours=8)),
            "W",
            "W",
            f"C{i % 30}" if i % 4 else None,
            "",
            0,
            0,
            "{}",
        )
        self.permits.append((*row, *more, _t(created), _t(created), 1))
        self.events.append((pid, _t(created), "submitted", "W", "{}"))
        roll = rng.random()
        if roll < 0.9:
            self._approved(pid, i, ptype, roll, created, valid_from)
        elif roll < 0.96:
            signed = created + timedelta(minutes=rng.uniform(5, 120))
            decision = "reject" if roll < 0.93 else "send_back"
            reason = rng.choice(REASONS)
            self.refusals.append(
                (pid, "operating_unit", "lead", "shift_lead", _t(signed), decision, reason, "0" * 64)
            )
        if i % 400 == 0:
            self._stop(f"cmd-{pid}", i, created + timedelta(minutes=30))

    def _approved(
        self, pid: str, i: int, ptype: str, roll: float, created: datetime, valid_from: datetime
    ) -> None:
        approved = created + timedelta(minutes=self.rng.expovariate(1 / 40))
        lead = round((approved - created).total_seconds(), 3)  # as the transitions write it (0014)
        self.events.append((pid, _t(approved), "approved", "lead", "{}", lead, int(approved > valid_from)))
        if roll < 0.7:
            started = max(approved, valid_from)
            self.events.append((pid, _t(started), "started", "W", "{}"))
            if ptype in ("hot_work", "confined_space"):
                tested = started - timedelta(minutes=self.rng.uniform(5, 45))
                self.gas.append((pid, _t(tested), "W", 1, "[]"))
        if roll < 0.045:
            self.events.append((pid, _t(created + timedelta(minutes=20)), "escalated", "", "{}"))
        if roll < 0.01:
            outcome = "finding" if i % 3 == 0 else "accepted"
            details = json.dumps({"note": "x", "outcome": outcome}, separators=(",", ":"))
            self._audit(approved, "lead", "permit.approve_green_channel", pid, "{}")
            self._audit(approved + timedelta(hours=20), "mgr", "permit.green_channel_reviewed", pid, details)

    def _audit(self, ts: datetime, actor: str, action: str, subject: str, details: str) -> None:
        seq = len(self.audit) + 1
        self.audit.append((seq, _t(ts), actor, action, subject, details, str(seq - 1), str(seq)))

    def _stop(self, cid: str, i: int, issued: datetime) -> None:
        site, area = f"S{i % 4}", f"A{i % 10}"
        self.commands.append(
            (cid, "stop", site, area, "[]", "gas", None, "lead", i % 800 == 0, _t(issued), None, "executed")
        )
        done = _t(issued + timedelta(seconds=self.rng.uniform(5, 90)))
        self.acks.append((cid, done, "executed", "W", "", done))

    def alarms(self, i: int, ts: datetime) -> None:
        src = f"S{i % 4}/A{i % 10}/GD-{i % 40}/LEL"
        common = (f"{src}:HI", f"S{i % 4}", f"A{i % 10}", src, "HI", 2)
        self.journal.append((*common, _t(ts), "normal", "active_unack"))
        self.journal.append((*common, _t(ts + timedelta(seconds=30)), "active_unack", "normal"))


def fill(path: Path, permits: int, journal: int) -> None:
    """Rows straight through sqlite3: the ORM would take most of an hour for this many."""
    rows = Rows()
    months = [*months_back(*MONTH, 3), MONTH]
    per_month = permits // len(months)
    for mi, (start, end) in enumerate(month_bounds(y, m, ZONE) for y, m in months):
        span = (end - start).total_seconds()
        for i in range(per_month):
            rows.permit(f"P{mi}-{i}", i, start + timedelta(seconds=rows.rng.uniform(0, span)))
        for i in range(journal // 2):
            rows.alarms(i, start + timedelta(seconds=rows.rng.uniform(0, span - 60)))
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    _write(con, *rows.tables())
    con.close()


def _write(con: sqlite3.Connection, *tables: list[Any]) -> None:
    p_rows, e_rows, a_rows, g_rows, audit, cmds, acks, j_rows = tables
    con.executemany(
        "INSERT INTO permits (id, type, grade, effective_grade, grade_reasons, status, site_id, area_id, valid_from, "
        "valid_to, applicant, supervisor, contractor_code, description, urgent, green_channel_review, prerequisites, "
        "created_at, updated_at, version) VALUES (" + ",".join("?" * 20) + ")",
        p_rows,
    )
    con.executemany(
        "INSERT INTO permit_events (permit_id, ts, type, by, detail, lead_s, after_start) VALUES (?,?,?,?,?,?,?)",
        [row if len(row) == 7 else (*row, None, None) for row in e_rows],
    )
    con.executemany(
        "INSERT INTO approvals (permit_id, level, signer, role, signed_at, decision, reason, content_hash) "
        "VALUES (?,?,?,?,?,?,?,?)",
        a_rows,
    )
    con.executemany(
        "INSERT INTO gas_tests (permit_id, taken_at, by, passed, readings) VALUES (?,?,?,?,?)", g_rows
    )
    con.executemany(
        "INSERT INTO audit_log (seq, ts, actor, action, subject, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
        audit,
    )
    con.executemany(
        "INSERT INTO commands (command_id, kind, site_id, area_id, permits, reason, alarm_id, issued_by, auto, "
        "issued_at, ends, state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        cmds,
    )
    con.executemany(
        "INSERT INTO command_acks (command_id, ts, status, by, detail, received_at) VALUES (?,?,?,?,?,?)",
        acks,
    )
    con.executemany(
        "INSERT INTO alarm_journal (alarm_id, site_id, area_id, source, condition, priority, ts, from_state, "
        "to_state, unit, who, note, console) VALUES (?,?,?,?,?,?,?,?,?,'%LEL','','','c1')",
        j_rows,
    )
    con.commit()
    con.execute("ANALYZE")
    print(
        f"filled: {len(p_rows)} permits, {len(e_rows)} events, {len(a_rows)} refusals, {len(g_rows)} gas tests, "
        f"{len(audit)} audit, {len(cmds)} stops, {len(j_rows)} journal rows",
        flush=True,
    )


def baseline(db: Database) -> float:
    """A plain count of the four months' permits and journal rows."""
    start = month_bounds(*months_back(*MONTH, 3)[0], ZONE)[0]
    end = month_bounds(*MONTH, ZONE)[1]
    t0 = time.perf_counter()
    with db.session() as s:
        s.scalar(select(func.count()).where(Permit.created_at >= start, Permit.created_at < end))
        s.scalar(select(func.count()).where(AlarmJournalEntry.ts >= start, AlarmJournalEntry.ts < end))
    return time.perf_counter() - t0


def rows_baseline(db: Database) -> float:
    """The way that took 12.86 s: the four months' permits and approval events read as rows, to be
    counted in Python (only the reading is timed here)."""
    start = month_bounds(*months_back(*MONTH, 3)[0], ZONE)[0]
    end = month_bounds(*MONTH, ZONE)[1]
    t0 = time.perf_counter()
    with db.session() as s:
        permits = s.execute(
            select(
                Permit.id,
                Permit.type,
                Permit.grade,
                Permit.site_id,
                Permit.contractor_code,
                Permit.created_at,
            ).where(Permit.created_at >= start, Permit.created_at < end)
        ).all()
        events = s.execute(
            select(PermitEventRow.permit_id, PermitEventRow.ts).where(
                PermitEventRow.type == "approved", PermitEventRow.ts >= start, PermitEventRow.ts < end
            )
        ).all()
    del permits, events
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--permits", type=int, default=1_000_000)
    parser.add_argument("--journal", type=int, default=100_000, help="journal rows in each month")
    parser.add_argument("--keep", metavar="FILE", help="fill this SQLite file once and reuse it")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-monthly-"))
    path = Path(args.keep) if args.keep else folder / "plant.db"
    fresh = not path.exists()
    db = open_database(f"sqlite:///{path}")
    if fresh:
        _setup(db)
        t0 = time.perf_counter()
        fill(path, args.permits, args.journal)
        print(f"fill took {time.perf_counter() - t0:.0f} s", flush=True)
    base = baseline(db)
    rows_base = rows_baseline(db)
    label = f"{MONTH[0]}-{MONTH[1]:02d}"
    t0, c0 = time.perf_counter(), time.process_time()
    collect_monthly(db, label, plant="bench", zone=ZONE, fresh=True)  # every month counted (and kept)
    cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    report = collect_monthly(db, label, plant="bench", zone=ZONE)  # the months before read back
    figures = time.perf_counter() - t0
    figures_cpu = time.process_time() - c0  # SQLite runs in this process: its work is counted too
    from cockpit.report.monthly_pdf import render_monthly_pdf
    from cockpit.report.monthly_xlsx import render_monthly_xlsx

    t1 = time.perf_counter()
    render_monthly_pdf(report, folder / "m.pdf", lang="zh_CN")
    render_monthly_xlsx(report, folder / "m.xlsx", lang="zh_CN")
    files = time.perf_counter() - t1
    m = report.month
    db.dispose()
    print(
        f"month {m.month}: {m.permits} permits, {m.approved} approved, {m.alarms.alarms if m.alarms else 0} alarms"
    )
    print(
        f"permits={args.permits} journal_per_month={args.journal} count_baseline_s={base:.2f} "
        f"rows_baseline_s={rows_base:.2f} cold_s={cold:.2f} cold_cpu_s={cold_cpu:.2f} "
        f"figures_s={figures:.2f} figures_cpu_s={figures_cpu:.2f} files_s={files:.2f} total_s={figures + files:.2f} "
        f"ratio_to_rows={figures / rows_base:.2f} ratio_to_count={(figures + files) / base:.1f} goal_s=5"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
