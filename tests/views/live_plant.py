"""A live cockpit for view tests: a real Mosquitto, a real core on a SQLite plant, a field peer.

Each test has its own topic root, so retained work states of one test never reach the next.

The core comes in either shape of ``cockpit.port.CorePort`` (fixture ``core_shape``): in-process
(``LocalCore``) or as the window runs it, in a field process of its own (``RemoteCore``). Both read
the same live model, filled on the GUI thread: wait with ``qtbot.waitUntil`` (or ``wait_gui`` here,
which lets Qt deliver while it waits). The view
tests named in ``tests/views/conftest.py`` run through both.

Imported by the view tests (``from tests.views.live_plant import *``-style, by name). The broker is
shared by a test module (cheap), each test gets its own database, core and console id.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from cockpit.config import Config, SiteConfig
from cockpit.field_link import RemoteCore
from cockpit.live import CoreBridge
from cockpit.local_core import LocalCore
from cockpit.port import RunningCore
from connectors.database import Database
from models.queries import SiteInfo, list_sites_and_areas
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, signed
from widgets.theme import apply_theme

# Logins as the small plant's users would have them (the cores below judge them with TEST_KEYS).
OPERATOR = signed("op.li")
LEAD = signed("lead.wang")
MANAGER = signed("mgr.sun")
_console_ids = itertools.count(1)
_roots = itertools.count(1)
# QObjects with timers (bridges, live states, popup controllers) live to the end of the session: left to
# Python's garbage collector they may be destroyed on another thread (a PDF or database worker), which
# corrupts Qt's timer bookkeeping and crashes a later test.
_KEPT: list[QObject] = []


Q = TypeVar("Q", bound=QObject)


def keep(obj: Q) -> Q:
    """Keep ``obj`` alive (and on the GUI thread) until the test session ends."""
    _KEPT.append(obj)
    return obj


def wait_gui(predicate: Callable[[], object], timeout: float = 10.0) -> bool:
    """``wait_until`` that lets the GUI thread take in what arrives (the live model is filled there)."""

    def pumped() -> bool:
        QApplication.processEvents()
        return bool(predicate())

    return wait_until(pumped, timeout)


def ms(t: float | None = None) -> int:
    return int((t if t is not None else time.time()) * 1000)


def sensor(readings: dict[str, float], seq: int | None = None, max_age_s: float | None = None) -> bytes:
    units = {"LEL": "%LEL", "O2": "%VOL", "H2S": "ppm", "CO": "ppm", "CH4": "%VOL"}
    body: dict[str, object] = {
        "ts": ms(),
        "readings": [{"ch": ch, "v": v, "u": units.get(ch, "")} for ch, v in readings.items()],
    }
    if seq is not None:
        body["seq"] = seq
    if max_age_s is not None:
        body["max_age_s"] = max_age_s
    return json.dumps(body).encode()


@dataclass
class Live:
    """Everything a view test needs."""

    core: RunningCore
    bridge: CoreBridge
    db: Database
    field: PahoPeer
    sites: list[SiteInfo]
    root: str

    def publish(
        self,
        readings: dict[str, float],
        *,
        site: str = "S1",
        area: str = "A1",
        device: str = "GD-1",
        max_age_s: float | None = None,
    ) -> None:
        self.field.publish(
            f"{self.root}/{site}/{area}/sensor/{device}", sensor(readings, max_age_s=max_age_s), qos=1
        )

    def alarm(self, alarm_id: str) -> Any:  # an Alarm, or None; the tests read it without checking
        """The alarm as the live model shows it (the engine's, copied with the last update)."""
        return self.core.call(lambda: self.core.engine.get(alarm_id)).result(5)

    def stops(self, site: str = "S1", area: str = "A1") -> list[dict[str, Any]]:
        return [
            json.loads(m.payload) for m in self.field.received(f"{self.root}/{site}/{area}/cmd/stop-work")
        ]

    def topic(self, rest: str) -> str:
        """A topic under this test's own root (retained messages of other tests never leak in)."""
        return f"{self.root}/{rest}"

    def ack(self, command_id: str, status: str, site: str = "S1", area: str = "A1") -> None:
        body = {"command_id": command_id, "ts": ms(), "status": status, "by": "GW-07"}
        self.field.publish(f"{self.root}/{site}/{area}/cmd/ack", json.dumps(body).encode())


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MosquittoProcess]:
    b = MosquittoProcess(tmp_path_factory.mktemp("broker")).start()
    yield b
    b.stop()


@pytest.fixture
def themed_app(qapp: QApplication) -> QApplication:
    apply_theme(qapp, 1.0)
    return qapp


IN_PROCESS = "in-process"
FIELD_PROCESS = "field-process"
SHAPES = (IN_PROCESS, FIELD_PROCESS)


@pytest.fixture
def core_shape() -> str:
    """The core's shape for a view test: in-process unless conftest runs the test through both."""
    return IN_PROCESS


def start_live(
    broker: MosquittoProcess,
    db: Database,
    root: str,
    *,
    policy: str = "auto",
    shape: str = IN_PROCESS,
    log_dir: Path | None = None,
    limits: dict[str, dict[str, float]] | None = None,
) -> tuple[RunningCore, CoreBridge]:
    config = Config()
    config.mqtt.url = broker.url
    config.mqtt.root = root
    config.sites["S1"] = SiteConfig(stop_policy=policy)
    config.alarms.limits = dict(limits or {})
    bridge = CoreBridge()
    console = f"views-{next(_console_ids)}"
    core: RunningCore
    if shape == FIELD_PROCESS:
        remote = RemoteCore(
            config,
            db,
            console=console,
            listener=bridge.deliver,
            log_dir=str(log_dir) if log_dir else None,
            sessions=TEST_KEYS,
        )
        remote.start()
        assert remote.wait_ready(60), "the field process did not start"
        core = remote
    else:
        core = LocalCore(config, db, console=console, listener=bridge.deliver, sessions=TEST_KEYS)
        core.start()
    assert wait_gui(lambda: core.connector.link_state.connected, 10)
    return core, bridge


def make_live(
    tmp_path: Path,
    broker: MosquittoProcess,
    *,
    policy: str = "auto",
    empty: bool = False,
    shape: str = IN_PROCESS,
    limits: dict[str, dict[str, float]] | None = None,
) -> Live:
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    if not empty:  # the database has the migrated schema: an empty plant has it, and no rows
        build_small_plant(db, datetime.now(UTC))
    root = f"t{next(_roots)}"
    core, bridge = start_live(broker, db, root, policy=policy, shape=shape, log_dir=tmp_path, limits=limits)
    field = PahoPeer(broker.url, f"field-{core.console}")
    for topic in (f"{root}/+/+/cmd/#", f"{root}/+/+/work-state"):
        field.subscribe(topic)
    with db.session() as session:
        sites = list_sites_and_areas(session)
    return Live(core, bridge, db, field, sites, root)


def close_live(live: Live) -> None:
    live.field.close()
    live.core.stop()
    # Deliver what the core queued to the bridge before the bridge goes: a queued signal carrying a
    # Python object into a deleted receiver corrupts memory (a later test then crashes in C code).
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    live.bridge.blockSignals(True)
    keep(live.bridge)
    # The core's own QObjects (its inbox and timer, its end of the pipe) hang in reference cycles with
    # it: kept, they are never freed by a collection on another thread.
    for part in vars(live.core).values():
        if isinstance(part, QObject):
            keep(part)
    live.db.dispose()


@pytest.fixture
def live(
    tmp_path: Path, broker: MosquittoProcess, themed_app: QApplication, core_shape: str
) -> Iterator[Live]:
    """The small plant (S1: A1 with GD-1 and active hot work HW-1; A2 empty); auto stop on."""
    lv = make_live(tmp_path, broker, shape=core_shape)
    yield lv
    close_live(lv)


@pytest.fixture
def live_propose(
    tmp_path: Path, broker: MosquittoProcess, themed_app: QApplication, core_shape: str
) -> Iterator[Live]:
    """The same plant with the site's stop policy at "propose": only a person stops work."""
    lv = make_live(tmp_path, broker, policy="propose", shape=core_shape)
    yield lv
    close_live(lv)


@pytest.fixture
def live_empty(
    tmp_path: Path, broker: MosquittoProcess, themed_app: QApplication, core_shape: str
) -> Iterator[Live]:
    """A cockpit on a database with the schema but no sites."""
    lv = make_live(tmp_path, broker, empty=True, shape=core_shape)
    yield lv
    close_live(lv)
