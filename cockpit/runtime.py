"""Everything the cockpit runs, started and stopped together: the window and `serve` share it.

With nothing configured it is the demo: a database of its own in the user's data folder
(seeded on first start), a broker of its own on localhost and the plant simulator.
A database given by ``--db``/``--config`` is never seeded behind the user's back.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from cockpit.config import Config, user_data_dir
from cockpit.core_state import CoreDelta
from cockpit.port import RunningCore
from cockpit.sessions import SessionKeys
from connectors.broker import EmbeddedBroker
from connectors.database import Database, default_sqlite_url, open_database
from connectors.mqtt import MqttConnector
from connectors.simulator import Outgoing, PlantSimulator, SimOptions, plant_from_database, run_simulator
from models.errors import UserError
from models.schema import Site

if TYPE_CHECKING:
    from cockpit.field_link import FieldProcess

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]


def _no_progress(step: int, total: int, text: str) -> None:
    log.info("start-up %d/%d: %s", step, total, text)


def _reach_server(host: str | None, port: int | None) -> None:
    """One line naming the server when PostgreSQL cannot be reached (before asking the keyring for a
    password that would not help)."""
    host = host or "localhost"
    if host.startswith("/"):
        return  # a Unix socket folder: the driver says what is wrong
    port = port or 5432
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as exc:
        raise UserError(
            f"cannot reach PostgreSQL at {host}:{port} ({exc.strerror or exc}); "
            "check that the server runs and the host and port are right"
        ) from None


def open_configured_database(config: Config) -> Database:
    """The configured database, or the demo's own (created and seeded on first start)."""
    if config.database.url:
        password = None
        from sqlalchemy.engine import make_url

        try:
            parsed = make_url(config.database.url)
        except Exception:
            parsed = None
        if (
            parsed is not None
            and parsed.username
            and parsed.password is None
            and parsed.get_backend_name() != "sqlite"
        ):
            from connectors.database import PasswordRefused
            from connectors.secrets import KeyringUnavailable, get_secret

            _reach_server(parsed.host, parsed.port)  # a server that is down is said first, not the keyring
            try:
                password = get_secret("db", parsed.username)
            except KeyringUnavailable as no_keyring:
                # A server that asks no password (trust, a client certificate, ~/.pgpass, PGPASSWORD) needs
                # no keyring: the command line connects so too. Only its refusal of the login names the
                # keyring; any other failure (no such database, no such user) is said as it is.
                try:
                    return open_database(config.database.url, echo=config.database.echo)
                except PasswordRefused:
                    raise no_keyring from None
        return open_database(config.database.url, password=password, echo=config.database.echo)
    db = open_database(default_sqlite_url(user_data_dir()))
    if config.is_demo:
        with db.session() as session:
            empty = session.scalar(select(func.count()).select_from(Site)) == 0
        if empty:
            from cockpit.demo_seed import seed_demo

            log.info("first start of the demo: seeding the demo plant into %s", db.url)
            seed_demo(db)
    return db


@dataclass
class Simulation:
    """The simulator publishing into the embedded broker, on a thread of its own."""

    connector: MqttConnector
    thread: threading.Thread
    stop_event: threading.Event = field(default_factory=threading.Event)

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=5)
        self.connector.stop()


def start_simulation(
    db: Database,
    broker_url: str,
    *,
    root: str,
    rate: float = 1.0,
    seed: int = 1,
    seconds: float = 0.0,
    client_id: str = "plant-simulator",
) -> Simulation:
    plant = plant_from_database(db)
    sim = PlantSimulator(plant, SimOptions(root=root, rate=rate, seed=seed))
    lock = threading.Lock()

    def on_message(topic: str, payload: bytes, arrival: float) -> None:
        with lock:
            sim.on_command(topic, payload, arrival)

    connector = MqttConnector(
        broker_url,
        client_id,
        on_message=on_message,
        subscriptions=[
            (f"{root}/+/+/cmd/stop-work", 1),
            (f"{root}/+/+/cmd/resume-work", 1),
            (f"{root}/+/+/gate/+/reply", 1),  # the field gate's answers: an allowed worker goes in
        ],
    )
    connector.start()
    stop_event = threading.Event()

    class _Locked:
        def step(self, now: float) -> list[Outgoing]:
            with lock:
                return sim.step(now)

        def start(self, now: float) -> list[Outgoing]:
            with lock:
                return sim.start(now)

        def next_due(self) -> float:
            with lock:
                return sim.next_due()

    def publish(topic: str, payload: bytes, qos: int, retain: bool) -> None:
        connector.publish(topic, payload, qos=qos, retain=retain)

    def run() -> None:
        try:
            stats = run_simulator(_Locked(), publish, stop=stop_event, seconds=seconds)  # type: ignore[arg-type]
            log.info("simulator stopped: %d messages in %.0f s", stats.published, stats.seconds)
        except Exception:
            log.exception("the simulator failed")

    thread = threading.Thread(target=run, name="plant-simulator", daemon=True)
    thread.start()
    log.info(
        "simulator: %d detectors, %d active permits, rate %.1f/s each",
        len(plant.detectors),
        len(plant.permits),
        rate,
    )
    return Simulation(connector, thread, stop_event)


class Runtime:
    """Database, broker (own or the plant's), simulator and core, in the order they depend on each other.

    The core it starts is a ``CorePort``. For screens (a ``listener``): with ``field_process`` (the
    default, as ``[general] field_process``) a ``RemoteCore``, else a ``LocalCore`` with the same live
    model in this process. Without screens (``serve``) the ``CockpitCore`` itself: the field process
    keeps the field's work out of the screens' interpreter, and there are no screens to keep it from.
    On Windows the core always runs in process (the field process needs its pipe to be a socket).
    """

    def __init__(
        self,
        config: Config,
        *,
        console: str | None = None,
        listener: Callable[[CoreDelta], None] | None = None,
        simulate: bool | None = None,
        field_process: bool = True,  # as the configuration's [general] field_process
    ) -> None:
        self.config = config
        self.console = console
        self.listener = listener
        self.simulate = simulate
        if field_process and sys.platform == "win32":
            log.warning(
                "the field process is not available on Windows (its pipe is a named pipe there, and the "
                "window reads it as a socket): running the core in this process"
            )
            field_process = False
        self.field_process = field_process
        self.db: Database | None = None
        self.broker: EmbeddedBroker | None = None
        self.simulation: Simulation | None = None
        self.core: RunningCore | None = None
        self.broker_url = config.mqtt.url
        self.sessions = SessionKeys()  # the logins of this runtime's screens, judged by its core

    @property
    def is_demo(self) -> bool:
        return self.config.is_demo

    def start(self, progress: Progress = _no_progress) -> RunningCore:
        total = 4
        early = None
        if self.field_process and self.listener is not None:
            from cockpit.field_link import FieldProcess

            early = FieldProcess.spawn()  # it imports its modules while the database opens here
        try:
            return self._start(progress, total, early)
        except BaseException:
            if early is not None and self.core is None:  # not yet handed to a RemoteCore
                early.process.terminate()
                early.close(2)
            raise

    def _start(self, progress: Progress, total: int, early: FieldProcess | None) -> RunningCore:
        progress(1, total, "database")
        self.db = open_configured_database(self.config)
        if not self.config.mqtt.url:
            progress(2, total, "embedded broker")
            self.broker = EmbeddedBroker(user_data_dir() / "broker")
            self.broker.start()
            self.broker_url = self.broker.url
            log.info("embedded %s broker at %s", self.broker.kind, self.broker_url)
        password = None
        if self.config.mqtt.username:
            from connectors.secrets import get_secret

            password = get_secret("mqtt", self.config.mqtt.username)
            if password is None:
                raise UserError(
                    f"no MQTT password stored for {self.config.mqtt.username}; run "
                    f"`python main.py secret set mqtt {self.config.mqtt.username}`"
                )
        progress(3, total, "live link")
        core: RunningCore
        if early is not None:
            from cockpit.audit_head import AuditHeadKeeper
            from cockpit.field_link import RemoteCore

            # The window's own audit entries (approvals, logins) move the head file too; the field
            # process's core publishes it (cockpit/audit_head.py).
            AuditHeadKeeper(self.db, user_data_dir())

            core = RemoteCore(
                self.config,
                self.db,
                console=self.console,
                broker_url=self.broker_url,
                password=password,
                listener=self.listener,
                process=early,
                sessions=self.sessions,
            )
        elif self.listener is not None:  # screens in this process: the same live model as above
            from cockpit.local_core import LocalCore

            core = LocalCore(
                self.config,
                self.db,
                console=self.console,
                broker_url=self.broker_url,
                password=password,
                listener=self.listener,
                sessions=self.sessions,
            )
        else:  # serve, tools: nobody reads a live model; the core's own state is read on its thread
            from cockpit.core import CockpitCore  # here: a window's process never loads the core (0.3 s)
            from cockpit.gil import share_gil_in_core_process

            share_gil_in_core_process()

            core = CockpitCore(
                self.config,
                self.db,
                console=self.console,
                broker_url=self.broker_url,
                password=password,
                sessions=self.sessions,
            )
        self.core = core  # set first: stop() stops what started, even if start() fails half-way
        core.start()
        simulate = self.simulate if self.simulate is not None else self.broker is not None
        if simulate:
            progress(4, total, "plant simulator")
            self.simulation = start_simulation(self.db, self.broker_url, root=self.config.mqtt.root)
        return self.core

    def stop(self) -> None:
        for name, part in (("simulator", self.simulation), ("core", self.core), ("broker", self.broker)):
            if part is None:
                continue
            try:
                part.stop()
            except Exception:
                log.exception("stopping the %s failed", name)
        self.simulation = self.core = self.broker = None
        if self.db is not None:
            self.db.dispose()
            self.db = None
