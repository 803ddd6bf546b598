"""A console or disk that stops taking the log never holds the safety loop (cockpit/logs.py)."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cockpit.logs import LogWriter
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant

ROOT = Path(__file__).resolve().parents[2]


class _Held(logging.Handler):
    """A sink that takes nothing until it is let go (a paused terminal), then keeps what it gets."""

    def __init__(self) -> None:
        super().__init__()
        self.go = threading.Event()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.go.wait()
        self.lines.append(record.getMessage())


def test_a_log_call_returns_while_the_sink_is_held_and_the_lost_lines_are_counted() -> None:
    sink = _Held()
    writer = LogWriter([sink], capacity=5)
    logger = logging.getLogger("test.log_writer")
    logger.propagate = False
    logger.addHandler(writer.handler)
    try:
        done = threading.Event()

        def log_twenty() -> None:
            for i in range(20):
                logger.warning("line %d", i)
            done.set()

        threading.Thread(target=log_twenty, daemon=True).start()
        assert done.wait(10), "a log call waited for the sink"
        sink.go.set()
        assert writer.close()
    finally:
        logger.removeHandler(writer.handler)
    kept = [int(line.split()[1]) for line in sink.lines if line.startswith("line ")]
    told = [line for line in sink.lines if "dropped" in line]
    # the writer holds one line, five wait in the queue, the rest were counted and said once
    assert kept == sorted(kept) and 5 <= len(kept) <= 6
    assert told == [
        f"{20 - len(kept)} log lines were dropped: the console or the log file did not take them in time"
    ]


def _full_pipe() -> tuple[int, int]:
    """A pipe of one page, already full: what a console that stopped reading looks like to a writer."""
    read, write = os.pipe()
    fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 4096)
    os.set_blocking(write, False)
    try:
        while True:
            os.write(write, b"x" * 512)
    except BlockingIOError:
        pass
    os.set_blocking(write, True)
    return read, write


def _serve_on_a_full_pipe(tmp_path: Path, broker: MosquittoProcess) -> tuple[subprocess.Popen[bytes], int]:
    """``serve`` on the small plant (HW-1's hot work active in S1/A1), its stdout and stderr a full
    pipe; returns the process and the pipe's end to read."""
    db_url = f"sqlite:///{tmp_path / 'plant.db'}"
    db = open_fresh(db_url)
    build_small_plant(db, datetime.now(UTC))
    db.dispose()
    read, write = _full_pipe()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    env["PYTHONFAULTHANDLER"] = "1"  # a crash at exit (SIGABRT once in a full run) shows every thread
    main = [sys.executable, str(ROOT / "main.py")]
    proc = subprocess.Popen(
        [*main, "serve", "--db", db_url, "--broker", broker.url, "--console", "held"],
        stdout=write,
        stderr=write,
        cwd=ROOT,
        env=env,
    )
    os.close(write)
    return proc, read


def test_serve_with_a_console_that_stopped_reading_still_stops_the_hot_work(tmp_path: Path) -> None:
    broker = MosquittoProcess(tmp_path).start()
    proc, read = _serve_on_a_full_pipe(tmp_path, broker)
    field = PahoPeer(broker.url, "gateway")
    output = bytearray()
    try:
        field.subscribe("plant/_cockpit/console/held/health")
        field.subscribe("plant/S1/A1/cmd/stop-work")
        assert wait_until(lambda: bool(field.received("plant/_cockpit/console/held/health")), 30)
        body = {
            "ts": int(datetime.now(UTC).timestamp() * 1000),
            "seq": 1,
            "readings": [{"ch": "LEL", "v": 40, "u": "%LEL"}],
        }
        field.publish("plant/S1/A1/sensor/GD-1", json.dumps(body).encode(), qos=1)
        assert wait_until(lambda: bool(field.received("plant/S1/A1/cmd/stop-work")), 10)
        stop = json.loads(field.received("plant/S1/A1/cmd/stop-work")[0].payload)
        assert stop["permits"] == ["HW-1"] and stop["auto"] is True
        # the console reads again: what was logged meanwhile was kept, the stop's line among it
        reader = threading.Thread(target=lambda: _read_all(read, output), daemon=True)
        reader.start()
        assert wait_until(lambda: b"STOP WORK S1/A1" in output, 10)
        proc.terminate()
        code = proc.wait(30)
        reader.join(10)
        assert code == 0, bytes(output[-3000:]).decode(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        field.close()
        broker.stop()
    assert b"dropped" not in output and b"Traceback" not in output


def _read_all(fd: int, into: bytearray) -> None:
    with os.fdopen(fd, "rb", buffering=0) as pipe:
        while chunk := pipe.read(65536):
            into += chunk


def test_serve_ends_when_asked_while_its_console_still_does_not_read(tmp_path: Path) -> None:
    """logging's own shutdown waited for good on the lock of the write the console never took."""
    broker = MosquittoProcess(tmp_path).start()
    proc, read = _serve_on_a_full_pipe(tmp_path, broker)
    field = PahoPeer(broker.url, "gateway")
    try:
        field.subscribe("plant/_cockpit/console/held/health")
        assert wait_until(lambda: bool(field.received("plant/_cockpit/console/held/health")), 30)
        proc.terminate()
        assert proc.wait(30) == 0
        # it said goodbye on the broker first: its retained health is offline
        assert wait_until(lambda: json.loads(field.received()[-1].payload)["state"] == "offline", 10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        os.close(read)
        field.close()
        broker.stop()


def test_a_console_that_went_away_costs_nothing_and_says_nothing_on_the_interpreters_stderr(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """A closed pipe (``serve | head``, a terminal closed): its lines are lost, and the writer does not
    print logging's "--- Logging error ---" traceback for each one on the interpreter's own stderr."""
    from cockpit.logs import FORMAT, _ConsoleStream

    read, write = os.pipe()
    os.close(read)
    console = logging.StreamHandler(_ConsoleStream(write, "utf-8"))
    console.setFormatter(logging.Formatter(FORMAT))
    writer = LogWriter([console])
    logger = logging.getLogger("test.log_writer.gone")
    logger.propagate = False
    logger.addHandler(writer.handler)
    try:
        for i in range(3):
            logger.warning("line %d", i)
        assert writer.close()
    finally:
        logger.removeHandler(writer.handler)
        os.close(write)
    assert "Logging error" not in capfd.readouterr().err
