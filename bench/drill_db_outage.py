"""Drill: PostgreSQL cut off for 20 s under `main.py serve` during a HIHI in an area with active hot work.

PostgreSQL is reached through a TCP proxy (tests/support/tcp_proxy.py) that stops listening and resets
every connection, then listens again: what a plant sees when a switch or the server goes away. A field
gateway (plain paho) publishes LEL readings, the HIHI while the database is away, and watches the wire.
After the database returns it waits for the outbox to be written, stops `serve` and checks the records.

Goal (issue 19): one stop on the wire with its permit, one work state, exactly one `commands` row,
the permit suspended in the database, the audit chain intact and the HIHI in the alarm journal.

``--hang``: the database hangs instead (the proxy freezes: connections stay open, nothing passes, no
error ever comes), and `serve` is SIGKILLed during the hang, then started again once the database is
back: what it had decided must come back from its outbox file, once.

Usage: python bench/drill_db_outage.py [--cut-s 20] [--hang] [--pg postgresql+psycopg2://postgres@127.0.0.1:5432/test]
Prints one key=value line.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _common import ROOT, BenchBroker
from sqlalchemy import create_engine, func, make_url, select, text

from connectors.database import Database, open_database
from models.audit import verify_chain
from models.schema import AlarmJournalEntry, Command, Permit
from tests.support.broker import PahoPeer, wait_until
from tests.support.plant import build_small_plant
from tests.support.tcp_proxy import TcpProxy


def reading(lel: float, seq: int) -> bytes:
    body = {"ts": int(time.time() * 1000), "seq": seq, "readings": [{"ch": "LEL", "v": lel, "u": "%LEL"}]}
    return json.dumps(body).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cut-s", type=float, default=20.0)
    parser.add_argument("--hang", action="store_true", help="freeze the database, kill serve during it")
    parser.add_argument(
        "--pg",
        default=os.environ.get("COCKPIT_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()
    schema = f"drill_{uuid.uuid4().hex[:10]}"
    admin = create_engine(args.pg)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    pg = make_url(args.pg)
    proxy = TcpProxy(pg.host or "127.0.0.1", pg.port or 5432).start()
    url = (
        pg.set(port=proxy.port, password=pg.password or "")  # trust: no keyring lookup in serve
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    work = Path(tempfile.mkdtemp(prefix="drill-db-"))
    try:
        db = open_database(url)
        build_small_plant(db, datetime.now(UTC))
        stops, states, recorded_after_s = _drill(db, url, proxy, args.cut_s, work, hang=args.hang)
        with db.session() as s:
            commands = s.scalar(select(func.count()).select_from(Command)) or 0
            permit = s.get(Permit, "HW-1")
            chain = verify_chain(s)
            hihi = s.scalar(
                select(func.count())
                .select_from(AlarmJournalEntry)
                .where(AlarmJournalEntry.condition == "HIHI", AlarmJournalEntry.to_state == "unack")
            )
        db.dispose()
        print(
            f"drill=db_{'hang' if args.hang else 'outage'} cut_s={args.cut_s:.0f} stops_on_wire={len(stops)} "
            f"permits_in_stop={len(stops[0]['permits']) if stops else 0} work_states={len(states)} "
            f"commands_rows={commands} permit={permit.status.value if permit else 'missing'} "
            f"audit_intact={int(chain.ok)} audit_entries={chain.entries} journal_hihi={hihi} "
            f"recorded_after_s={recorded_after_s:.1f}"
        )
    finally:
        proxy.cut()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _serve(url: str, broker_url: str, work: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(work / "data"), "XDG_CONFIG_HOME": str(work / "config")}
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "serve",
            "--db",
            url,
            "--broker",
            broker_url,
            "--console",
            "drill",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(work / "serve.log", "a"),
        stderr=subprocess.STDOUT,
        text=True,
    )


def _drill(
    db: Database, url: str, proxy: TcpProxy, cut_s: float, work: Path, *, hang: bool = False
) -> tuple[list[dict[str, Any]], list[Any], float]:
    """Serve against the proxy, the cut (or hang) with HIHI readings, the return; what the gateway saw."""
    serve: subprocess.Popen[str] | None = None
    try:
        with BenchBroker() as broker:
            field = PahoPeer(broker.url, "drill-gateway")
            for topic in ("plant/+/+/cmd/#", "plant/+/+/work-state", "plant/_cockpit/console/+/health"):
                field.subscribe(topic)
            serve = _serve(url, broker.url, work)
            up = wait_until(lambda: bool(field.received("plant/_cockpit/console/drill/health")), 60)
            if not up:
                raise SystemExit(f"serve did not come up; see {work / 'serve.log'}")
            field.publish("plant/S1/A1/sensor/GD-1", reading(3.0, 1))
            time.sleep(1.0)
            proxy.freeze() if hang else proxy.cut()
            cut_at = time.monotonic()
            seq = 2
            while time.monotonic() - cut_at < cut_s:
                field.publish("plant/S1/A1/sensor/GD-1", reading(31.0 + seq % 3, seq))
                seq += 1
                time.sleep(1.0)
            if hang:  # killed while hung: only what its outbox file holds survives
                serve.kill()
                serve.wait(30)
                proxy.cut()  # the dead process's connections go
            proxy.restore()
            back = time.monotonic()
            if hang:
                serve = _serve(url, broker.url, work)

            def recorded() -> bool:
                try:
                    with db.session() as s:
                        return s.get(Permit, "HW-1").status.value == "suspended"  # type: ignore[union-attr]
                except Exception:
                    return False

            ok = wait_until(recorded, 60, interval=0.2)
            recorded_after_s = time.monotonic() - back if ok else -1.0
            time.sleep(2.0)  # the journal's last batch
            serve.send_signal(signal.SIGTERM)
            serve.wait(30)
            stops = [json.loads(m.payload) for m in field.received("plant/S1/A1/cmd/stop-work")]
            states = field.received("plant/S1/A1/work-state")
            field.close()
            return stops, states, recorded_after_s
    finally:
        if serve is not None and serve.poll() is None:
            serve.kill()


if __name__ == "__main__":
    main()
