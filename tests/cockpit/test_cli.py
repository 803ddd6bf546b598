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


def test_a_reader_that_goes_away_ends_the_output_without_a_traceback(tmp_path: Path) -> None:
    """`python main.py db check | head -1`: the pipe closes before the report is written."""
    url = f"sqlite:///{tmp_path / 'plant.db'}"
    assert main_py("db", "upgrade", "--db", url).returncode == 0
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "db", "check", "--db", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the program (still importing) writes its first line
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 141, err
    assert err == "", err


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


def test_audit_verify_catches_a_cut_tail_with_the_kept_head(tmp_path: Path) -> None:
    """Deleting the newest audit rows leaves a chain that verifies; the head kept outside does not."""
    from datetime import UTC, datetime

    from cockpit.audit_head import AuditHeadKeeper, head_path, read_head
    from cockpit.config import user_data_dir
    from models.audit import append_audit
    from tests.support.fresh_db import open_fresh

    url = f"sqlite:///{tmp_path / 'plant.db'}"
    db = open_fresh(url)
    AuditHeadKeeper(db, user_data_dir())  # where `audit verify` looks by default
    for i in range(5):
        with db.session() as s:
            append_audit(
                s, actor="op.li", action="test.step", subject=f"s{i}", details={}, ts=datetime.now(UTC)
            )
    db.dispose()
    kept = read_head(head_path(user_data_dir()))
    assert kept is not None and kept.seq == 5
    assert main_py("audit", "verify", "--db", url).returncode == 0
    assert main_py("audit", "verify", "--db", url, "--head", kept.hash).returncode == 0

    con = sqlite3.connect(tmp_path / "plant.db")
    con.execute("DELETE FROM audit_log WHERE seq > 3")  # the tail cut off
    con.commit()
    con.close()
    for extra in ((), ("--head", kept.hash), ("--head-file", str(head_path(user_data_dir())))):
        cut = main_py("audit", "verify", "--db", url, *extra)
        assert cut.returncode == 1, (extra, cut.stdout, cut.stderr)
        lines = [line for line in cut.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "BROKEN" in lines[0] and "removed" in lines[0], cut.stderr
    assert "entries were removed" in main_py("audit", "verify", "--db", url).stderr
    bad = main_py("audit", "verify", "--db", url, "--head", "not-a-hash")
    assert "not a head hash" in one_line_error(bad)


def test_audit_verify_reads_the_head_the_cockpit_keeps_retained_on_the_broker(tmp_path: Path) -> None:
    """A plant that lost the console's data folder still has the head on the broker: a cut tail fails."""
    from datetime import UTC, datetime

    from cockpit.audit_head import AuditHeadKeeper
    from connectors.mqtt import MqttConnector
    from connectors.topics import Topics
    from models.audit import append_audit
    from tests.support.fresh_db import open_fresh

    broker = MosquittoProcess(tmp_path / "broker").start()
    try:
        url = f"sqlite:///{tmp_path / 'plant.db'}"
        db = open_fresh(url)
        link = MqttConnector(broker.url, "console-c1")
        link.start()
        AuditHeadKeeper(
            db, tmp_path / "data", publish=link.publish, topic=Topics("plant").audit_head(), console="c1"
        )
        for i in range(5):
            with db.session() as s:
                append_audit(
                    s, actor="op.li", action="test.step", subject=f"s{i}", details={}, ts=datetime.now(UTC)
                )
        db.dispose()
        link.stop(drain_timeout=10)  # the last head is on the broker, retained
        verify = ("audit", "verify", "--db", url, "--broker", broker.url, "--head-broker")
        whole = main_py(*verify)
        assert whole.returncode == 0, whole.stderr
        assert "intact: 5 entries" in whole.stdout

        con = sqlite3.connect(tmp_path / "plant.db")
        con.execute("DELETE FROM audit_log WHERE seq > 3")  # the tail cut off
        con.commit()
        con.close()
        cut = main_py(*verify)
        assert cut.returncode == 1 and "removed" in cut.stderr, (cut.stdout, cut.stderr)

        empty = MosquittoProcess(tmp_path / "empty").start()  # a broker no cockpit published to
        try:
            line = one_line_error(
                main_py("audit", "verify", "--db", url, "--broker", empty.url, "--head-broker")
            )
            assert "no audit head retained on plant/_cockpit/audit-head" in line
        finally:
            empty.stop()
        both = main_py(*verify, "--head", "0" * 64)
        assert "give one head" in one_line_error(both)
    finally:
        broker.stop()
