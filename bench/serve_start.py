"""How long `serve` takes from launch to ready (subscriptions granted, first health on the broker).

Launches `main.py serve` on a copy of the demo database (`db seed-demo`) against a broker of its own,
and times launch -> the first non-retained health message. With ``--baseline REV`` the same is done
for the project as it was at REV (unpacked with `git archive` into a scratch folder), the two
interleaved round by round, so a loaded machine weighs on both alike. Figures only, never asserted;
one final ``key=value`` line (median, range, ratio against the baseline).

    .venv/bin/python bench/serve_start.py [--rounds 7] [--baseline HEAD~1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import ROOT, BenchBroker

CONSOLE = "start-bench"
HEALTH = f"plant/_cockpit/console/{CONSOLE}/health"


class HealthWatch:
    """A client that notes when the first live (non-retained) health arrives."""

    def __init__(self, url: str) -> None:
        import paho.mqtt.client as paho
        from paho.mqtt.enums import CallbackAPIVersion

        self.at: float | None = None
        self._subscribed = threading.Event()
        host, port = url.removeprefix("mqtt://").rsplit(":", 1)
        self.client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"start-watch-{os.getpid()}")
        self.client.on_message = self._message
        self.client.on_subscribe = lambda *_a: self._subscribed.set()
        self.client.connect(host, int(port))
        self.client.subscribe(HEALTH, qos=1)
        self.client.loop_start()
        if not self._subscribed.wait(10):
            raise SystemExit("the bench's own client was not subscribed within 10 s")

    def _message(self, _c: object, _u: object, msg: object) -> None:
        if self.at is None and not msg.retain:  # type: ignore[attr-defined]
            self.at = time.monotonic()

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def launch_once(tree: Path, db_seed: Path, work: Path, timeout: float) -> float:
    """Seconds from launching `serve` in ``tree`` to its first health; the process is then stopped."""
    db = work / "plant.db"
    shutil.copy(db_seed, db)
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "XDG_DATA_HOME": str(work / "data"),
        "XDG_CONFIG_HOME": str(work / "config"),
    }
    with BenchBroker() as broker:
        watch = HealthWatch(broker.url)
        args = [sys.executable, str(tree / "main.py"), "serve", "--db", f"sqlite:///{db}"]
        log = open(work / "serve.log", "ab")  # noqa: SIM115 (the child keeps it)
        launched = time.monotonic()
        proc = subprocess.Popen(
            [*args, "--broker", broker.url, "--console", CONSOLE],
            cwd=tree,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        try:
            deadline = launched + timeout
            while watch.at is None and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.002)
            if watch.at is None:
                raise SystemExit(f"serve in {tree} sent no health within {timeout} s; see {work}/serve.log")
            return watch.at - launched
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
            log.close()
            watch.close()


def unpack(rev: str, into: Path) -> Path:
    """The project's files at ``rev`` (committed files only), for the baseline."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=False)
    if archive.returncode != 0:
        raise SystemExit(f"git archive {rev}: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--baseline", metavar="REV", help="a commit to measure against, interleaved")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    if args.rounds < 1:
        raise SystemExit("--rounds must be at least 1")
    work = Path(tempfile.mkdtemp(prefix="bench-serve-start-"))
    try:
        seed = work / "demo-seed.db"
        made = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "db", "seed-demo", "--db", f"sqlite:///{seed}"],
            cwd=ROOT,
            env={**os.environ, "XDG_DATA_HOME": str(work / "data"), "XDG_CONFIG_HOME": str(work / "cfg")},
            capture_output=True,
            check=False,
        )
        if made.returncode != 0:
            raise SystemExit(f"db seed-demo failed: {made.stderr.decode().strip()[-300:]}")
        trees = {"current": ROOT}
        if args.baseline:
            trees["baseline"] = unpack(args.baseline, work / "baseline")
        times: dict[str, list[float]] = {name: [] for name in trees}
        for r in range(args.rounds):
            order = list(trees) if r % 2 == 0 else list(reversed(trees))
            for name in order:
                times[name].append(launch_once(trees[name], seed, work, args.timeout))
            print(f"round {r + 1}: " + ", ".join(f"{n} {times[n][-1]:.2f} s" for n in trees), flush=True)
        load = os.getloadavg()[0]
        summary = []
        for name, values in times.items():
            summary.append(
                f"{name}_s={statistics.median(values):.2f} "
                f"{name}_min_s={min(values):.2f} {name}_max_s={max(values):.2f}"
            )
        if "baseline" in times:
            ratio = statistics.median(times["current"]) / statistics.median(times["baseline"])
            summary.append(f"ratio={ratio:.2f}")
        print(" ".join(summary) + f" rounds={args.rounds} load1={load:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
