"""The approval screens' queries on a plant with years of history, on SQLite and on PostgreSQL.

Run: ``.venv/bin/python bench/db_queries.py [--scale 1.0] [--only sqlite|postgresql] [--pg-url URL]
[--keep FOLDER]``.
At scale 1.0 the plant has 1,000,000 permits of history (two workers each, one signature each, a gas
test for the hot work and confined space), 100,000 workers with certificates and 5,000 contractors.
It times, each over ``--runs`` calls after a warm-up: the approval queue, one permit's detail with all
its checks (``PermitService.permit_detail``), and a contractor/worker search (a mix of worker names
and ids, contractor names and codes, certificate numbers). It prints one ``key=value`` line per
database and a last summary line (goal, issue 20: every p95 <= 10 ms). Loading takes minutes at full scale;
the PostgreSQL plant goes into a schema of its own, dropped at the end. With ``--keep FOLDER`` the plant
stays (a SQLite file in the folder, a PostgreSQL schema named after the scale) and a later run with the
same scale reuses it: the plant is drawn again without writing (the same random draws, so the same
search terms) and the database is opened as the program opens it (migrated to head first: a new
migration is applied to the 1M-permit plant, and its time is printed as ``open_s``).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, insert, inspect, make_url, text

from cockpit.contractor_search import search
from cockpit.people_search import WorkerSearch
from cockpit.permit_service import PermitService
from connectors.database import Database, open_database
from models.passwords import hash_password
from models.records import ApprovalLevel, HotWorkGrade, PermitStatus, PermitType, RiskLevel, Role
from models.schema import (
    Approval,
    ApprovalDecision,
    Area,
    Certificate,
    Contractor,
    ContractorGrade,
    ContractorQualification,
    ContractorViolation,
    GasTest,
    Permit,
    PermitEventRow,
    PermitWorker,
    Site,
    User,
    Worker,
)

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
PG_URL = os.environ.get("COCKPIT_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
CHUNK = 20_000

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红文辉鹏林飞云峰海波宁"
    "亮成春晨欣浩宇瑞凯俊斌德福贵荣"
)
_PLACES = ("江苏", "浙江", "山东", "上海", "南京", "宁波", "天津", "河北", "湖北", "四川", "大连", "青岛")
_BRANDS = ("盛达", "鑫达", "兴隆", "博达", "瑞丰", "金石", "宏远", "恒通", "东方", "润华", "新宇", "华泰")
_BUSINESS = (
    "建设工程",
    "石化安装工程",
    "检修服务",
    "防腐保温工程",
    "脚手架工程",
    "吊装运输",
    "电力工程",
    "管道工程",
)
_TRADES = (
    ("焊工", "熔化焊接与热切割作业"),
    ("电工", "低压电工作业"),
    ("架子工", "登高架设作业"),
    ("起重工", "起重机指挥"),
    ("管工", None),
    ("保温工", None),
    ("普工", None),
)
_TYPES = (
    (PermitType.HOT_WORK, 30),
    (PermitType.CONFINED_SPACE, 14),
    (PermitType.BLINDING, 7),
    (PermitType.WORK_AT_HEIGHT, 18),
    (PermitType.LIFTING, 8),
    (PermitType.TEMPORARY_POWER, 10),
    (PermitType.EXCAVATION, 8),
    (PermitType.ROAD_CLOSURE, 5),
)
_HISTORY = (
    (PermitStatus.CLOSED, 86),
    (PermitStatus.EXPIRED, 5),
    (PermitStatus.CANCELLED, 5),
    (PermitStatus.REJECTED, 4),
)


def _chunks(rows: list[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


class Plant:
    """Generates the plant in batches and writes each table with executemany (insertmanyvalues)."""

    def __init__(self, db: Database, scale: float, seed: int = 6, *, dry: bool = False) -> None:
        self.db = db
        self.dry = dry  # draw the plant without writing it (a kept plant: the same draws, the same terms)
        self.rng = random.Random(seed)
        self.permits = max(1000, int(1_000_000 * scale))
        self.workers = max(500, int(100_000 * scale))
        self.contractors = max(50, int(5_000 * scale))
        self.rows_written = 0
        self.queue_ids: list[str] = []
        self.names: list[str] = []
        self.cert_numbers: list[str] = []
        self.contractor_names: list[str] = []

    def _write(self, model: type, rows: list[dict[str, Any]]) -> None:
        if self.dry:
            self.rows_written += len(rows)
            return
        with self.db.engine.begin() as conn:
            for chunk in _chunks(rows):
                conn.execute(insert(model.__table__), chunk)  # type: ignore[attr-defined]
        self.rows_written += len(rows)

    def name(self) -> str:
        rng = self.rng
        return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))

    def build(self) -> None:
        # The order of the parts is the order of the random draws: keep it, or the plant changes.
        self._write(Site, [{"id": "BENCH", "name": "基准厂区", "timezone": "Asia/Shanghai"}])
        self._areas()
        self._contractors()
        self._workers()
        self._users()
        self._permits()

    def _areas(self) -> None:
        self._write(
            Area,
            [
                {
                    "site_id": "BENCH",
                    "id": f"A{i:03d}",
                    "name": f"装置区{i:03d}",
                    "polygon": [
                        [(i % 10) * 40, (i // 10) * 30],
                        [(i % 10) * 40 + 35, (i // 10) * 30],
                        [(i % 10) * 40 + 35, (i // 10) * 30 + 25],
                        [(i % 10) * 40, (i // 10) * 30 + 25],
                    ],
                    "risk_level": RiskLevel.HIGH,
                    "is_hazard_area": i % 3 == 0,
                    "guidance": "",
                }
                for i in range(100)
            ],
        )

    def _contractors(self) -> None:
        rng = self.rng
        contractors, qualifications, violations = [], [], []
        for i in range(self.contractors):
            code = f"C-{i:05d}"
            name = f"{rng.choice(_PLACES)}{rng.choice(_BRANDS)}{rng.choice(_BUSINESS)}有限公司{i:05d}"
            self.contractor_names.append(name)
            contractors.append(
                {
                    "code": code,
                    "name": name,
                    "grade": rng.choice(list(ContractorGrade)),
                    "blacklisted": rng.random() < 0.01,
                    "blacklist_reason": "",
                }
            )
            for q in ("安全生产许可证", "施工资质"):
                qualifications.append(
                    {
                        "contractor_code": code,
                        "name": q,
                        "number": f"{code}-{q[:2]}",
                        "valid_to": (NOW + timedelta(days=rng.randint(-100, 1500))).date(),
                    }
                )
            for _ in range(rng.choice((0, 0, 1, 2))):
                violations.append(
                    {
                        "contractor_code": code,
                        "at": NOW - timedelta(days=rng.randint(1, 700)),
                        "description": "违章作业",
                        "points": rng.randint(1, 6),
                    }
                )
        self._write(Contractor, contractors)
        self._write(ContractorQualification, qualifications)
        self._write(ContractorViolation, violations)

    def _workers(self) -> None:
        rng = self.rng
        workers, certs = [], []
        self.trade_of: list[str] = []
        for i in range(self.workers):
            wid = f"W-{i:06d}"
            trade, cert_trade = rng.choice(_TRADES)
            name = self.name()
            self.names.append(name)
            self.trade_of.append(trade)
            workers.append(
                {
                    "id": wid,
                    "name": name,
                    "trade": trade,
                    "phone": "",
                    "contractor_code": f"C-{rng.randrange(self.contractors):05d}"
                    if rng.random() < 0.9
                    else None,
                }
            )
            if cert_trade:
                valid_to = (NOW + timedelta(days=rng.randint(-200, 2000))).date()
                number = f"T{rng.randrange(10**17):017d}"
                self.cert_numbers.append(number)
                certs.append(
                    {
                        "worker_id": wid,
                        "number": number,
                        "trade": cert_trade,
                        "valid_from": valid_to - timedelta(days=2190),
                        "valid_to": valid_to,
                        "review_due": None,
                        "issuer": "",
                    }
                )
        self._write(Worker, workers)
        self._write(Certificate, certs)

    def _users(self) -> None:
        digest = hash_password("bench")
        self._write(
            User,
            [
                {
                    "username": "lead.wang",
                    "display_name": "王值班长",
                    "role": Role.SHIFT_LEAD,
                    "approval_level": ApprovalLevel.OPERATING_UNIT,
                    "password_hash": digest,
                    "active": True,
                },
            ],
        )

    def _permits(self) -> None:
        rng = self.rng
        types = [t for t, w in _TYPES for _ in range(w)]
        history = [s for s, w in _HISTORY for _ in range(w)]
        live = 600
        batch: dict[type, list[dict[str, Any]]] = {
            Permit: [],
            PermitWorker: [],
            Approval: [],
            GasTest: [],
            PermitEventRow: [],
        }

        def flush() -> None:
            for model in (Permit, PermitWorker, Approval, GasTest, PermitEventRow):
                if batch[model]:
                    self._write(model, batch[model])
                    batch[model] = []

        for i in range(self.permits):
            ptype = rng.choice(types)
            permit, second_worker = self._permit_row(i, ptype, i >= self.permits - live, history)
            batch[Permit].append(permit)
            self._permit_children(batch, permit, second_worker, is_live=i >= self.permits - live)
            if len(batch[Permit]) >= CHUNK:
                flush()
        flush()

    def _permit_row(
        self, i: int, ptype: PermitType, is_live: bool, history: list[PermitStatus]
    ) -> tuple[dict[str, Any], str]:
        """One permit's row and its second worker; the live ones are the last, the others history."""
        rng = self.rng
        if is_live:
            status = (PermitStatus.SUBMITTED, PermitStatus.ACTIVE, PermitStatus.APPROVED)[(i % 6) // 2]
            start = (
                NOW + timedelta(minutes=rng.randint(-240, 2880))
                if status is not PermitStatus.ACTIVE
                else NOW - timedelta(minutes=rng.randint(10, 200))
            )
        else:
            status = rng.choice(history)
            start = NOW - timedelta(minutes=rng.randint(600, 730 * 1440))
        hours = rng.randint(2, 8)
        pid = f"{ptype.value[:2].upper()}-{i:07d}"
        w1 = rng.randrange(self.workers)
        w2 = (w1 + 1 + rng.randrange(self.workers - 1)) % self.workers
        sup = (w2 + 1) % self.workers
        grade = rng.choice(list(HotWorkGrade)) if ptype is PermitType.HOT_WORK else None
        row: dict[str, Any] = {
            "id": pid,
            "type": ptype,
            "grade": grade,
            "effective_grade": grade,
            "grade_reasons": [],
            "status": status,
            "site_id": "BENCH",
            "area_id": f"A{rng.randrange(100):03d}",
            "valid_from": start,
            "valid_to": start + timedelta(hours=hours),
            "applicant": f"W-{w1:06d}",
            "supervisor": f"W-{sup:06d}",
            "coordinator": None,
            "contractor_code": None,
            "description": "基准作业",
            "urgent": is_live and rng.random() < 0.1,
            "green_channel_review": False,
            "prerequisites": {"jsa": True, "isolation": True},
            "x": rng.uniform(0, 400),
            "y": rng.uniform(0, 300),
            "created_at": start - timedelta(hours=3),
            "updated_at": start,
            "version": 1,
        }
        return row, f"W-{w2:06d}"

    def _permit_children(
        self,
        batch: dict[type, list[dict[str, Any]]],
        permit: dict[str, Any],
        second_worker: str,
        *,
        is_live: bool,
    ) -> None:
        """The rows that hang off one permit: its workers, the signature, a gas test, its events."""
        pid, status, start, applicant = (
            permit["id"],
            permit["status"],
            permit["valid_from"],
            permit["applicant"],
        )
        batch[PermitWorker].append({"permit_id": pid, "worker_id": applicant})
        batch[PermitWorker].append({"permit_id": pid, "worker_id": second_worker})
        if status is not PermitStatus.SUBMITTED:
            batch[Approval].append(
                {
                    "permit_id": pid,
                    "level": ApprovalLevel.OPERATING_UNIT,
                    "signer": "lead.wang",
                    "role": "shift_lead",
                    "signed_at": start - timedelta(hours=1),
                    "decision": ApprovalDecision.REJECT
                    if status is PermitStatus.REJECTED
                    else ApprovalDecision.APPROVE,
                    "reason": "",
                    "content_hash": "0" * 64,
                }
            )
        else:
            self.queue_ids.append(pid)
        if permit["type"] in (PermitType.HOT_WORK, PermitType.CONFINED_SPACE):
            batch[GasTest].append(
                {
                    "permit_id": pid,
                    "taken_at": start - timedelta(minutes=20),
                    "by": "W-000001",
                    "passed": True,
                    "readings": [{"ch": "LEL", "v": 0.0, "u": "%LEL"}],
                }
            )
        if is_live:
            batch[PermitEventRow].append(
                {
                    "permit_id": pid,
                    "ts": start - timedelta(hours=3),
                    "type": "submitted",
                    "by": applicant,
                    "detail": {},
                }
            )
            if status is PermitStatus.ACTIVE:
                batch[PermitEventRow].append(
                    {"permit_id": pid, "ts": start, "type": "started", "by": applicant, "detail": {}}
                )

    def search_terms(self, n: int) -> list[str]:
        rng = self.rng
        terms: list[str] = []
        for i in range(n):
            kind = i % 6
            if kind == 0:
                terms.append(rng.choice(self.names))  # a full Chinese name
            elif kind == 1:
                terms.append(rng.choice(self.names)[:1])  # a surname as the first keystroke
            elif kind == 2:
                terms.append(f"W-{rng.randrange(self.workers):06d}")
            elif kind == 3:
                terms.append(rng.choice(self.contractor_names)[2:6])  # inside a contractor's name
            elif kind == 4:
                terms.append(f"c-{rng.randrange(self.contractors):05d}")
            else:
                terms.append(rng.choice(self.cert_numbers)[:12])
        return terms


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def timed(fn: Callable[[], object], runs: int, warmup: int = 3) -> list[float]:
    """Wall milliseconds per call; the calls' CPU milliseconds (this process) go to ``CPU[-1]``."""
    for _ in range(warmup):
        fn()
    out, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - t0) * 1000.0)
        cpu.append((time.process_time() - c0) * 1000.0)
    CPU.append(cpu)
    return out


CPU: list[list[float]] = []  # on a shared machine the wall time is noisy: the client's CPU time beside it


def measure(db: Database, plant: Plant, runs: int) -> dict[str, float]:
    svc = PermitService(db, clock=lambda: NOW)
    queue = svc.approval_queue(NOW)
    ids = [q.permit_id for q in queue] or plant.queue_ids
    rng = random.Random(1)
    queue_ms = timed(lambda: svc.approval_queue(NOW), runs)
    detail_ms = timed(lambda: svc.permit_detail(rng.choice(ids), NOW), runs)
    terms = plant.search_terms(runs + 3)
    names = WorkerSearch(db)  # the contractor panel's names in memory (the screen shares the register's)
    names.ids("", 1)  # built once, as the running screen has it
    it, scan = iter(terms * 2), iter(terms * 2)

    def one_search() -> None:
        with db.session() as s:
            search(s, next(it), 50, names=names)

    def one_scan() -> None:  # the baseline: the workers' names scanned by SQL
        with db.session() as s:
            search(s, next(scan), 50)

    search_ms = timed(one_search, runs)
    queue_cpu, detail_cpu, search_cpu = CPU[-3:]
    scan_ms = timed(one_scan, runs)
    return {
        "queue_rows": len(queue),
        "queue_p95_ms": p95(queue_ms),
        "queue_median_ms": statistics.median(queue_ms),
        "queue_cpu_p95_ms": p95(queue_cpu),
        "detail_p95_ms": p95(detail_ms),
        "detail_median_ms": statistics.median(detail_ms),
        "detail_cpu_p95_ms": p95(detail_cpu),
        "search_p95_ms": p95(search_ms),
        "search_median_ms": statistics.median(search_ms),
        "search_cpu_p95_ms": p95(search_cpu),
        "search_scan_p95_ms": p95(scan_ms),
    }


def _analyze(db: Database) -> None:
    """Statistics, and on PostgreSQL the visibility map too (VACUUM): a plant's autovacuum keeps both,
    a table just loaded has neither, and without it the planner read 1,000 workers of a surname through
    a bitmap and sorted them (3.9 ms) where the (name, id) index gives the first 50 in order (0.1 ms)."""
    if db.dialect != "postgresql":
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in inspect(conn).get_table_names():  # this schema's tables only, not the server's
            conn.exec_driver_sql(f'VACUUM ANALYZE "{table}"')


def run(kind: str, url: str, scale: float, runs: int, *, kept: bool = False) -> dict[str, float | str]:
    t0 = time.perf_counter()
    db = open_database(url)
    open_s = time.perf_counter() - t0
    plant = Plant(db, scale, dry=kept)
    t0 = time.perf_counter()
    plant.build()
    load_s = time.perf_counter() - t0
    _analyze(db)
    figures: dict[str, float | str] = {
        "db": kind,
        "permits": plant.permits,
        "workers": plant.workers,
        "contractors": plant.contractors,
        "rows": plant.rows_written,
        "kept": kept,
        "open_s": round(open_s, 1),
        "load_s": round(load_s, 1),
    }
    figures.update({k: round(v, 2) for k, v in measure(db, plant, runs).items()})
    figures["load_avg"] = round(os.getloadavg()[0], 1)
    db.dispose()
    print(" ".join(f"{k}={v}" for k, v in figures.items()), flush=True)
    return figures


def _sqlite(args: argparse.Namespace) -> dict[str, float | str]:
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        path = args.keep / f"plant-{args.scale:g}.db"
        kept = path.exists()
        return run("sqlite", f"sqlite:///{path}", args.scale, args.runs, kept=kept)
    with tempfile.TemporaryDirectory(prefix="bench-db-") as folder:
        return run("sqlite", f"sqlite:///{Path(folder) / 'plant.db'}", args.scale, args.runs)


def _postgresql(args: argparse.Namespace) -> list[dict[str, float | str]]:
    keep = args.keep is not None
    schema = args.pg_schema or (
        f"bench_kept_{str(args.scale).replace('.', '_')}" if keep else f"bench_{uuid.uuid4().hex[:8]}"
    )
    admin = create_engine(args.pg_url)
    try:
        with admin.begin() as conn:
            kept = bool(
                conn.execute(
                    text("SELECT count(*) FROM information_schema.tables WHERE table_schema = :s"),
                    {"s": schema},
                ).scalar()
            )
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    except Exception as exc:
        print(f"db=postgresql skipped={type(exc).__name__}", flush=True)
        admin.dispose()
        return []
    url = make_url(args.pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        return [run("postgresql", url.render_as_string(False), args.scale, args.runs, kept=kept)]
    finally:
        if not keep:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1,000,000 permits")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--keep", type=Path, help="keep the plant (and reuse one kept at this scale)")
    parser.add_argument(
        "--pg-schema", help="the PostgreSQL schema's name (the server's database is shared: name yours)"
    )
    args = parser.parse_args()
    results: list[dict[str, float | str]] = []
    if args.only in (None, "sqlite"):
        results.append(_sqlite(args))
    if args.only in (None, "postgresql"):
        results.extend(_postgresql(args))
    summary = {"scale": args.scale}
    for r in results:
        for key in ("queue_p95_ms", "detail_p95_ms", "search_p95_ms", "search_scan_p95_ms"):
            summary[f"{r['db']}_{key}"] = r[key]
    worst = max((v for k, v in summary.items() if k.endswith("p95_ms") and "scan" not in k), default=0.0)
    summary["goal_met"] = worst <= 10.0
    print(" ".join(f"{k}={v}" for k, v in summary.items()), flush=True)


if __name__ == "__main__":
    main()
