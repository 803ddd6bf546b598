"""Commands that run the live parts without a window: serve, simulate, replay, report."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from cockpit.cli import database_url
from cockpit.config import Config
from cockpit.logs import setup_logging
from models.errors import UserError

log = logging.getLogger(__name__)


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def handler(signum: int, frame: object) -> None:
        log.info("signal %d: stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop


def cmd_serve(args: argparse.Namespace, config: Config) -> int:
    """The cockpit core with no window: for a headless box in the control room, and for tests."""
    from cockpit.runtime import Runtime

    setup_logging(config, to_file=False)
    stop = _stop_on_signals()
    config.general.duties = "hold"  # a serve always takes part in the duty lease (cockpit/duty_lease.py)
    runtime = Runtime(config, console=args.console)
    try:
        core = runtime.start()
        log.info(
            "serving: console %s, broker %s, database %s",
            core.console,
            runtime.broker_url,
            runtime.db.url if runtime.db else "?",
        )
        while not stop.wait(5.0):
            health = core.health_payload()  # what the core thread published: never its live engine
            log.info(
                "health: %d messages in, %d rejected, %d alarms active (%d unacknowledged), lag %d ms",
                health["messages_in"],
                health["messages_rejected"],
                health["alarms_active"],
                health["alarms_unacked"],
                health["queue_lag_ms"],
            )
    finally:
        runtime.stop()
    log.info("stopped cleanly")
    return 0


def cmd_simulate(args: argparse.Namespace, config: Config) -> int:
    from cockpit.runtime import start_simulation
    from connectors.database import open_database

    setup_logging(config, to_file=False)
    if not config.mqtt.url:
        raise UserError("simulate needs a broker: give --broker mqtt://host:port")
    db = open_database(database_url(config), upgrade=False)
    stop = _stop_on_signals()
    sim = start_simulation(
        db,
        config.mqtt.url,
        root=config.mqtt.root,
        rate=args.rate,
        seed=args.seed,
        seconds=args.seconds,
        client_id=f"plant-simulator-{args.seed}",
    )
    try:
        while sim.thread.is_alive() and not stop.wait(0.5):
            pass
    finally:
        sim.stop()
        db.dispose()
    return 0


def cmd_replay(args: argparse.Namespace, config: Config) -> int:
    from connectors.mqtt import MqttConnector
    from connectors.recorder import replay

    setup_logging(config, to_file=False)
    if not config.mqtt.url:
        raise UserError("replay needs a broker: give --broker mqtt://host:port")
    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"recording {path} does not exist")
    connector = MqttConnector(config.mqtt.url, f"replay-{config.general.console_id}"[:64])
    connector.start()
    stop = _stop_on_signals()

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\rreplay: {done}/{total} messages")
        sys.stderr.flush()

    def send(topic: str, payload: bytes) -> None:
        connector.publish(topic, payload, qos=1)

    try:
        stats = replay(path, send, speed=args.speed, progress=progress, stop=stop)
    finally:
        connector.stop(drain_timeout=60)  # a fast replay still has QoS 1 messages in flight
    sys.stderr.write("\n")
    print(
        f"replayed {stats.published} messages"
        + (f", {stats.skipped} unreadable lines skipped" if getattr(stats, "skipped", 0) else "")
    )
    return 0


def cmd_report(args: argparse.Namespace, config: Config) -> int:
    from cockpit.report.cli import cmd_report as run

    return int(run(args, config))
