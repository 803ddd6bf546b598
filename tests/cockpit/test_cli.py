"""The command line as a user meets it: exit codes, one-line errors, the serve loop stopping on signals."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.broker import MosquittoProcess

ROOT = Path(__file__).resolve().parents[2]


def main_py(*args: str, timeout: float = 120, **popen: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=dict(os.environ),
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("postgresql://cockpit@127.0.0.1:1/plant", "127.0.0.1:1"),
        ("nosuchdb://x", "nosuchdb"),
        ("sqlite:////proc/no/such/folder/cockpit.db", "/proc/no/such/folder"),
        ("::::", "URL"),
    ],
)
def test_bad_database_url_is_one_line_and_exit_2(url: str, fragment: str) -> None:
    line = one_line_error(main_py("db", "check", "--db", url))
    assert fragment in line


def test_db_upgrade_seed_check_and_audit_verify(tmp_path: Path) -> None:
    db = tmp_path / "plant.db"
    url = f"sqlite:///{db}"
    up = main_py("db", "upgrade", "--db", url)
    assert up.returncode == 0, up.stderr
    seed = main_py("db", "seed-demo", "--db", url, "--seed", "4")
    assert seed.returncode == 0, seed.stderr
    again = main_py("db", "seed-demo", "--db", url)
    one_line_error(again)  # a database with a plant is never seeded over
    check = main_py("db", "check", "--db", url)
    assert check.returncode == 0 and "permits" in check.stdout
    ok = main_py("audit", "verify", "--db", url)
    assert ok.returncode == 0 and "intact" in ok.stdout
    con = sqlite3.connect(db)
    con.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = (SELECT min(seq) FROM audit_log)")
    con.commit()
    con.close()
    broken = main_py("audit", "verify", "--db", url)
    assert broken.returncode == 1
    assert "BROKEN at entry 1" in broken.stderr


def test_options_are_accepted_after_the_subcommand_too(tmp_path: Path) -> None:
    before = main_py("--db", f"sqlite:///{tmp_path / 'a.db'}", "config", "show")
    after = main_py("config", "show", "--db", f"sqlite:///{tmp_path / 'a.db'}", "--lang", "en")
    assert before.returncode == after.returncode == 0
    assert f"sqlite:///{tmp_path / 'a.db'}" in after.stdout and 'language = "en"' in after.stdout


@pytest.mark.broker
def test_serve_runs_headless_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    broker = MosquittoProcess(tmp_path).start()
    try:
        url = f"sqlite:///{tmp_path / 'plant.db'}"
        assert main_py("db", "seed-demo", "--db", url).returncode == 0
        proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "main.py"),
                "serve",
                "--db",
                url,
                "--broker",
                broker.url,
                "--console",
                "headless-1",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
        )
        from tests.support.broker import PahoPeer, wait_until

        peer = PahoPeer(broker.url, "watch")
        peer.subscribe("plant/_cockpit/console/headless-1/health")
        peer.subscribe("plant/+/+/permit/+/state")
        assert wait_until(lambda: peer.received("plant/_cockpit/console/headless-1/health"), 20)
        # contract §6: every open permit published at start
        assert wait_until(lambda: len(peer.received()) > 10, 10)
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == 0, out[-2000:]
        assert "stopped cleanly" in out
        assert "Traceback" not in out
        health = [m for m in peer.received("plant/_cockpit/console/headless-1/health")]
        import json

        assert json.loads(health[-1].payload)["state"] == "offline"
        peer.close()
    finally:
        broker.stop()
