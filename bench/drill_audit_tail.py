"""Drill: the newest audit rows deleted behind the cockpit's back; does `audit verify` catch it?

A SQLite plant database gets ``--entries`` audit entries while the cockpit's head keeper writes the head
to ``audit-head.json`` in the data folder (as the core does after each commit with audit entries); then
the newest ``--cut`` rows are deleted with plain SQL, which leaves a chain that verifies on its own.
`main.py audit verify` runs as a user would: with the kept head file (its default), and with
``--head HASH`` (the head printed on a handover or retained on the broker).

Goal (issue 19): both runs exit 1 and say BROKEN; before the cut both exit 0.

Usage: python bench/drill_audit_tail.py [--entries 200] [--cut 3]
Ends with one line: drill=audit_tail caught=1 ...
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from _common import ROOT


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--cut", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="drill-audit-"))
    env = {**os.environ, "XDG_DATA_HOME": str(work / "data"), "XDG_CONFIG_HOME": str(work / "config")}
    os.environ.update(env)  # the head keeper below writes where `audit verify` looks by default

    from cockpit.audit_head import AuditHeadKeeper, head_path, read_head
    from cockpit.config import user_data_dir
    from connectors.database import open_database
    from models.audit import append_audit

    url = f"sqlite:///{work / 'plant.db'}"
    db = open_database(url)
    AuditHeadKeeper(db, user_data_dir())
    for i in range(args.entries):
        with db.session() as s:
            append_audit(
                s, actor="op.li", action="drill.step", subject=f"s{i}", details={}, ts=datetime.now(UTC)
            )
    db.dispose()
    kept = read_head(head_path(user_data_dir()))
    if kept is None:
        raise SystemExit("the head keeper wrote no head file")

    def verify(*extra: str) -> int:
        command = [sys.executable, str(ROOT / "main.py"), "audit", "verify", "--db", url, *extra]
        return subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        ).returncode

    before = (verify(), verify("--head", kept.hash))
    con = sqlite3.connect(work / "plant.db")
    con.execute("DELETE FROM audit_log WHERE seq > ?", (args.entries - args.cut,))
    con.commit()
    con.close()
    after = (verify(), verify("--head", kept.hash))
    caught = int(before == (0, 0) and after == (1, 1))
    print(
        f"drill=audit_tail entries={args.entries} cut={args.cut} rc_before={before[0]},{before[1]} "
        f"rc_file={after[0]} rc_head={after[1]} caught={caught}"
    )


if __name__ == "__main__":
    main()
