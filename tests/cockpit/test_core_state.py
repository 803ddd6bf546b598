"""Readers on other threads see only what the core thread published: no race with the engine.

``serve`` died after 8.5 min at 5,000 msg/s (``dictionary changed size during iteration``) because
its main thread walked the alarm engine while the core thread added alarms. Here a reader thread
reads health and the published state as fast as it can while the core ingests a burst in which
alarms come and go on many new channels (each one a new entry in the engine).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.core_state import CoreState
from connectors.database import Database
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant

pytestmark = pytest.mark.broker
DEVICES = 600
ROUNDS = 6


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[CockpitCore, PahoPeer]]:
    broker = MosquittoProcess(tmp_path).start()
    db: Database = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(db, datetime.now(UTC))
    config = Config()
    config.mqtt.url = broker.url
    core = CockpitCore(config, db, console="state-1")
    core.start()
    field = PahoPeer(broker.url, "gateway")
    assert wait_until(lambda: core.connector.link_state.connected, 10)
    yield core, field
    field.close()
    core.stop()
    db.dispose()
    broker.stop()


def burst(field: PahoPeer) -> int:
    """Every round: each device reports, every other one in HIHI (the round after: back to normal)."""
    sent = 0
    for rnd in range(ROUNDS):
        ts = int(time.time() * 1000)
        for d in range(DEVICES):
            lel = 40.0 if (d + rnd) % 2 == 0 else 2.0
            body = {"ts": ts, "readings": [{"ch": "LEL", "v": lel, "u": "%LEL"}], "max_age_s": 60}
            field.publish(f"plant/S{rnd % 3}/A{d % 7}/sensor/GD-{rnd}-{d}", json.dumps(body).encode(), qos=1)
            sent += 1
    return sent


def test_health_and_state_read_from_another_thread_while_the_core_ingests(
    live: tuple[CockpitCore, PahoPeer],
) -> None:
    core, field = live
    errors: list[BaseException] = []
    reads = 0
    states_seen: set[int] = set()
    done = threading.Event()

    def reader() -> None:
        nonlocal reads
        while not done.is_set():
            try:
                health = core.health_payload()
                assert health["state"] == "online"
                state = core.state
                assert isinstance(state, CoreState)
                # walk everything, as a screen or serve's log line would
                sum(1 for a in state.alarms if a.active)
                len(state.permits), len(state.work_states), len(state.commands)
                assert state.health["alarms_active"] == len(state.alarms)
                states_seen.add(id(state))
                reads += 1
            except BaseException as exc:  # any exception is the failure this test looks for
                errors.append(exc)
                return

    thread = threading.Thread(target=reader, name="reader", daemon=True)
    thread.start()
    try:
        sent = burst(field)
        assert wait_until(lambda: core.health_payload()["messages_in"] >= sent, 60), core.health_payload()
    finally:
        done.set()
        thread.join(10)
    assert not errors, f"reader failed after {reads} reads: {errors[0]!r}"
    assert reads > 100 and len(states_seen) > 3, (reads, len(states_seen))
    final = core.state
    assert final.stats.messages_in >= sent
    assert final.health["alarms_active"] > 0 and len(final.alarms) == final.health["alarms_active"]


def test_the_state_is_republished_at_least_every_quarter_second(live: tuple[CockpitCore, PahoPeer]) -> None:
    core, _ = live
    first = core.state
    assert wait_until(lambda: core.state is not first, 2)
    seen = core.state
    assert wait_until(lambda: core.state is not seen, 1)


def test_a_call_left_when_the_core_stops_fails_with_a_reason_it_does_not_hang(
    live: tuple[CockpitCore, PahoPeer],
) -> None:
    """What the in-process shape's acts rely on: after ``stop`` nothing runs a queued call."""
    core, _ = live
    assert core.call(lambda: 1).result(5) == 1
    core.stop()
    late = core.call(lambda: 2)  # an operator's act that came as the window closed
    with pytest.raises(RuntimeError, match="stopped"):
        late.result(2)
