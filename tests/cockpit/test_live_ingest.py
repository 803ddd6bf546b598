"""The live path against a real broker: readings to the store, STALE on time, rejections counted, health."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cockpit.config import Config
from cockpit.core import CockpitCore
from connectors.database import Database
from connectors.recorder import RecordedMessage, read_recording
from models.records import ChannelKey
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant

pytestmark = pytest.mark.broker
LEL = ChannelKey("S1", "A1", "GD-1", "LEL")


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[CockpitCore, PahoPeer, MosquittoProcess]]:
    broker = MosquittoProcess(tmp_path).start()
    db: Database = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(db, datetime.now(UTC))
    config = Config()
    config.mqtt.url = broker.url
    core = CockpitCore(config, db, console="live-1")
    core.start()
    field = PahoPeer(broker.url, "gateway")
    assert wait_until(lambda: core.connector.link_state.connected, 10)
    time.sleep(0.2)
    yield core, field, broker
    field.close()
    core.stop()
    db.dispose()
    broker.stop()


def send(
    field: PahoPeer, seq: int, lel: float = 2.0, max_age: float | None = None, device: str = "GD-1"
) -> None:
    body: dict = {
        "ts": int(time.time() * 1000),
        "seq": seq,  # type: ignore[type-arg]
        "readings": [{"ch": "LEL", "v": lel, "u": "%LEL"}, {"ch": "O2", "v": 20.9, "u": "%VOL"}],
    }
    if max_age is not None:
        body["max_age_s"] = max_age
    field.publish(f"plant/S1/A1/sensor/{device}", json.dumps(body).encode(), qos=1)


def test_a_reading_reaches_the_store_and_a_silent_channel_goes_stale_in_time(live) -> None:  # type: ignore[no-untyped-def]
    core, field, _ = live
    send(field, 1, lel=3.5, max_age=1.0)
    assert wait_until(lambda: core.store.channel(LEL) is not None, 5)
    snap = core.store.channel(LEL)
    assert snap.value == 3.5 and snap.unit == "%LEL" and not snap.stale
    sent = time.monotonic()
    assert wait_until(lambda: core.store.channel(LEL).stale, 5)
    assert time.monotonic() - sent <= 1.0 + 1.0, "STALE within the max age plus one second"
    # a stale safety channel is itself an alarm (priority 3)
    alarm = core.call(lambda: core.engine.get("S1/A1/GD-1/LEL:STALE")).result(5)
    assert alarm is not None and alarm.active and int(alarm.priority) == 3


def test_detector_offline_stales_all_its_channels(live) -> None:  # type: ignore[no-untyped-def]
    core, field, _ = live
    send(field, 1, max_age=60)
    assert wait_until(lambda: core.store.channel(LEL) is not None, 5)
    field.publish(
        "plant/S1/A1/device/GD-1/status",
        json.dumps({"ts": int(time.time() * 1000), "state": "offline"}).encode(),
        qos=1,
        retain=True,
    )
    assert wait_until(lambda: all(c.stale for c in core.store.channels("S1", "A1")), 5)
    assert {c.key.ch for c in core.store.channels("S1", "A1")} == {"LEL", "O2"}


def test_sequence_gaps_and_unregistered_devices_are_counted(live) -> None:  # type: ignore[no-untyped-def]
    core, field, _ = live
    for seq in (1, 2, 6):
        send(field, seq, max_age=60)
    send(field, 1, max_age=60, device="GD-NEW")
    assert wait_until(lambda: core.store.seq_gaps(("S1", "A1", "GD-1")) == 3, 5)
    assert wait_until(lambda: ("S1", "A1", "GD-NEW") in core.store.unregistered(), 5)
    assert ("S1", "A1", "GD-1") not in core.store.unregistered()


def test_bad_messages_are_counted_by_reason_and_never_stop_the_flow(live) -> None:  # type: ignore[no-untyped-def]
    core, field, _ = live
    field.publish("plant/S1/A1/sensor/GD-1", b"{not json", qos=1)
    field.publish(
        "plant/S1/A1/sensor/GD-1",
        json.dumps({"ts": int(time.time() * 1000), "readings": [{"ch": "LEL", "v": 5, "u": "ppm"}]}).encode(),
        qos=1,
    )
    field.publish(
        "plant/S1/A1/sensor/GD-1", b'{"ts": 1, "readings": [{"ch": "LEL", "v": NaN, "u": "%LEL"}]}', qos=1
    )
    send(field, 1, lel=4.0, max_age=60)
    assert wait_until(lambda: core.store.channel(LEL) is not None, 5)
    assert wait_until(lambda: core.rejections.total == 3, 5)
    reasons = core.rejections.by_reason()
    assert reasons.get("not_json") == 1 and reasons.get("bad_unit") == 1
    recent = core.rejections.snapshot()["recent"]
    assert any("{not json" in r["excerpt"] for r in recent)
    # health is what the core thread published last: at most 250 ms behind the counters
    assert wait_until(lambda: core.health_payload()["messages_rejected"] == 3, 2)
    health = core.health_payload()
    assert health["messages_rejected"] == 3 and health["rejected_by_reason"]["not_json"] == 1
    assert health["messages_in"] >= 4 and health["state"] == "online"


def test_health_is_published_retained_with_the_contract_fields(live) -> None:  # type: ignore[no-untyped-def]
    _, _, broker = live
    watcher = PahoPeer(broker.url, "watcher")
    watcher.subscribe("plant/_cockpit/console/live-1/health")
    assert wait_until(lambda: watcher.received("plant/_cockpit/console/live-1/health"), 10)
    body = json.loads(watcher.received("plant/_cockpit/console/live-1/health")[-1].payload)
    assert set(body) >= {
        "ts",
        "state",
        "messages_in",
        "messages_rejected",
        "rejected_by_reason",
        "alarms_active",
        "alarms_unacked",
        "queue_lag_ms",
    }
    watcher.close()


def test_health_goes_out_as_soon_as_the_link_is_subscribed_not_at_the_next_tick(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A watcher (a duty holder's peer, a tool waiting for serve) learns the core is up when it is."""
    from cockpit import core as core_module

    monkeypatch.setattr(core_module, "HEALTH_EVERY_S", 3600.0)  # only the link's coming up can send it
    broker = MosquittoProcess(tmp_path)  # not listening yet: the core starts before its broker
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    config = Config()
    config.mqtt.url = broker.url
    core = CockpitCore(config, db, console="early-1")
    core.start()
    time.sleep(0.5)  # its loop ran, its first health found no link
    broker.start()
    watcher = PahoPeer(broker.url, "watcher")
    watcher.subscribe("plant/_cockpit/console/early-1/health")
    try:
        assert wait_until(lambda: core.connector.link_state.connected, 10)
        assert wait_until(lambda: watcher.received("plant/_cockpit/console/early-1/health"), 10)
        body = json.loads(watcher.received("plant/_cockpit/console/early-1/health")[-1].payload)
        assert body["state"] == "online"
    finally:
        watcher.close()
        core.stop()
        db.dispose()
        broker.stop()


def sensor_lines(path: Path) -> list[RecordedMessage]:
    return [m for m in read_recording(path) if "/sensor/" in m.topic] if path.exists() else []


def test_the_recorder_keeps_every_received_message_and_replay_sends_them_again(tmp_path: Path) -> None:
    import subprocess
    import sys

    broker = MosquittoProcess(tmp_path).start()
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    config = Config()
    config.mqtt.url = broker.url
    config.mqtt.record_file = str(tmp_path / "shift.jsonl")
    core = CockpitCore(config, db, console="rec-1")
    core.start()
    field = PahoPeer(broker.url, "gateway")
    try:
        assert wait_until(lambda: core.connector.link_state.connected, 10)
        time.sleep(0.2)
        for seq in range(1, 21):
            send(field, seq, lel=float(seq), max_age=60)
        # the 20 readings in the file itself (flushed at least every second): messages_in also counts
        # the console's own health and $SYS, and the store keeps the first of readings with one ts
        assert wait_until(lambda: len(sensor_lines(tmp_path / "shift.jsonl")) >= 20, 10)
    finally:
        core.stop()
        field.close()
    recorded = sensor_lines(tmp_path / "shift.jsonl")
    assert [json.loads(m.payload)["seq"] for m in recorded] == list(range(1, 21))
    watcher = PahoPeer(broker.url, "replay-watch")
    watcher.subscribe("plant/+/+/sensor/+")
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [
            sys.executable,
            str(root / "main.py"),
            "replay",
            str(tmp_path / "shift.jsonl"),
            "--broker",
            broker.url,
            "--speed",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert wait_until(lambda: len(watcher.received()) >= 20, 10)
    assert [json.loads(m.payload)["seq"] for m in watcher.received()] == list(range(1, 21))
    watcher.close()
    db.dispose()
    broker.stop()
