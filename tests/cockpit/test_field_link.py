"""The field link in its own process: the GUI's mirrors read as the field core does, operator acts
reach the field core and come back, and the loss of the field process is shown and repaired."""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import pickle
import signal
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from cockpit import field_link
from cockpit.config import Config
from cockpit.core_state import CoreDelta, CoreStats
from cockpit.field_link import FieldProcess, RemoteCore
from cockpit.live_feed import HEADER, PipeWriter, Update, socket_of
from cockpit.permits.records import PermitStateChange
from cockpit.roles import Actor, PermissionRefused
from cockpit.runtime import Runtime
from cockpit.sessions import SESSION_FORGED, SESSION_MISSING, SessionKeys, SessionRefused
from cockpit.stopwork import ResumeRefused
from cockpit.telemetry import StaleReason, TelemetryStore
from connectors.database import Database
from connectors.mqtt import LinkCause, LinkStatus
from models.alarms import AlarmState
from models.errors import UserError
from models.records import (
    ChannelKey,
    DeviceState,
    DeviceStatus,
    HotWorkGrade,
    PermitStatus,
    PermitType,
    Quality,
    Reading,
    Role,
    SensorMessage,
)
from tests.support.broker import MosquittoProcess, PahoPeer, mosquitto
from tests.support.broker import wait_until as _wait_until
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, signed

T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
OPERATOR = signed("op.li")
LEAD = signed("lead.wang")
LEL = ChannelKey("S1", "A1", "GD-1", "LEL")


# ----------------------------------------------------------------------------- the store's mirror
def _message(t: float, device: str, lel: float, seq: int, q: Quality = Quality.GOOD) -> SensorMessage:
    readings = (Reading("LEL", lel, "%LEL", q), Reading("O2", 20.9 - lel / 100, "%VOL"))
    return SensorMessage("S1", "A1", device, T0 + timedelta(seconds=t), readings, seq, 5.0)


def _same(source: TelemetryStore, mirror: TelemetryStore, now: datetime) -> None:
    assert source.channels() == mirror.channels()
    assert source.unregistered() == mirror.unregistered()
    assert source.lost_total == mirror.lost_total
    assert source.now() == mirror.now()
    for snap in source.channels():
        for a, b in zip(source.recent(snap.key, 3600, now), mirror.recent(snap.key, 3600, now), strict=True):
            np.testing.assert_array_equal(a, b)
        span = (now - timedelta(hours=1), now)
        for a, b in zip(source.history(snap.key, *span), mirror.history(snap.key, *span), strict=True):
            np.testing.assert_array_equal(a, b)
        assert source.device(snap.key[:3]) == mirror.device(snap.key[:3])  # type: ignore[arg-type]


def test_a_mirror_fed_with_exports_reads_as_its_source() -> None:
    """Values, STALE marks and reasons, gaps, both history tiers, losses and unregistered devices."""
    source = TelemetryStore(registered_devices=[("S1", "A1", "GD-1")])
    source.enable_export()
    mirror = TelemetryStore()
    rng = np.random.default_rng(7)
    seq = {"GD-1": 0, "GD-X": 0}
    t = 0.0
    for step in range(40):
        batch: list[SensorMessage | DeviceStatus] = []
        for _ in range(int(rng.integers(1, 30))):
            t += float(rng.uniform(0.05, 0.6))
            device = "GD-1" if rng.random() < 0.8 else "GD-X"
            seq[device] += 2 if rng.random() < 0.05 else 1  # now and then a lost message
            q = Quality.BAD if rng.random() < 0.05 else Quality.GOOD
            batch.append(_message(t, device, float(rng.uniform(0, 40)), seq[device], q))
        if step == 15:
            batch.append(DeviceStatus("S1", "A1", "GD-1", T0 + timedelta(seconds=t), DeviceState.OFFLINE))
        if step == 18:
            batch.append(DeviceStatus("S1", "A1", "GD-1", T0 + timedelta(seconds=t), DeviceState.ONLINE))
        now = T0 + timedelta(seconds=t + 0.1)
        update = source.ingest(batch, now)
        dirty = set(update.changed) | {c.key for c in update.stale_changes}
        if step % 7 == 6:
            t += 8.0  # silent past the max age: every channel expires
            now = T0 + timedelta(seconds=t)
            dirty |= {c.key for c in source.tick(now)}
        if step % 3 == 0:
            source.recent(LEL, 60)  # a reader on the source flushes its staged samples too
        export = source.take_export(dirty)
        mirror.absorb(pickle.loads(pickle.dumps(export)))  # as it crosses the pipe
        _same(source, mirror, now)
    assert mirror.channel(LEL) is not None
    assert mirror.unregistered() == {("S1", "A1", "GD-X")}
    assert mirror.lost_total > 0
    gone = mirror.mark_all_stale(StaleReason.LINK_DOWN)
    assert set(gone) == {s.key for s in source.channels()}
    assert all(s.stale and s.stale_reason is StaleReason.LINK_DOWN for s in mirror.channels())


def test_resume_refused_crosses_a_process_boundary_with_its_reasons() -> None:
    refused = pickle.loads(pickle.dumps(ResumeRefused(["LEL still in alarm", "no passing gas test"])))
    assert refused.reasons == ["LEL still in alarm", "no passing gas test"]


# ----------------------------------------------------------------------------- the field process
pytestmark = pytest.mark.broker
__all__ = ["mosquitto"]  # the shared fixture, imported for this module's tests


@pytest.fixture(autouse=True)
def _gui_thread(qapp) -> None:  # type: ignore[no-untyped-def]
    """RemoteCore reads the pipe on the GUI thread (a notifier on its event loop): this thread."""


def wait_until(predicate, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` while the GUI thread takes in what the field process sends."""
    from PySide6.QtCore import QCoreApplication

    def pumped() -> bool:
        QCoreApplication.processEvents()
        return bool(predicate())

    return _wait_until(pumped, timeout)


@pytest.fixture
def field(mosquitto: MosquittoProcess) -> Iterator[PahoPeer]:
    peer = PahoPeer(mosquitto.url, "field-gateway")
    peer.subscribe("plant/+/+/cmd/#")
    yield peer
    peer.close()


def reading(lel: float, seq: int) -> bytes:
    return json.dumps(
        {"ts": int(time.time() * 1000), "seq": seq, "readings": [{"ch": "LEL", "v": lel, "u": "%LEL"}]}
    ).encode()


class Remote:
    def __init__(self, mosquitto: MosquittoProcess, db: Database, tmp_path: Path) -> None:
        config = Config()
        config.mqtt.url = mosquitto.url
        self.deltas: list[CoreDelta] = []
        self.core = RemoteCore(
            config,
            db,
            console="gui-1",
            listener=self.deltas.append,
            log_dir=str(tmp_path),
            sessions=TEST_KEYS,
        )
        self.core.start()
        assert self.core.wait_ready(30)
        assert wait_until(lambda: self.core.connector.link_state.connected, 15)

    def alarm(self, alarm_id: str):  # type: ignore[no-untyped-def]
        return self.core.call(lambda: self.core.engine.get(alarm_id)).result(1)


@pytest.fixture
def remote(mosquitto: MosquittoProcess, db: Database, tmp_path: Path) -> Iterator[Remote]:
    r = Remote(mosquitto, db, tmp_path)
    yield r
    process = r.core._child.process if r.core._child else None
    r.core.stop()
    assert process is None or not process.is_alive()


def test_values_alarms_and_the_stop_reach_the_gui_through_the_field_process(
    remote: Remote, field: PahoPeer, tmp_path: Path
) -> None:
    core = remote.core
    granted = [line for line in (tmp_path / "field-link.log").read_text().splitlines() if "granted" in line]
    assert len(granted) == 1 and "KiB send buffer granted" in granted[0]  # what the pipe holds: said once
    field.publish("plant/S1/A1/sensor/GD-1", reading(4.0, 1))
    assert wait_until(lambda: core.store.channel(LEL) is not None, 10)
    snap = core.store.channel(LEL)
    assert (snap.value, snap.unit, snap.stale) == (4.0, "%LEL", False)
    assert any(LEL in d.dirty_channels for d in remote.deltas)

    field.publish("plant/S1/A1/sensor/GD-1", reading(35.0, 2))  # HIHI, hot work active in A1
    # the gas alarm's transition (the permit timers may raise the supervisor's overdue check-in beside it)
    assert wait_until(
        lambda: any(tr.alarm_id.startswith("S1/A1/GD-1/") for d in remote.deltas for tr in d.transitions), 10
    )
    alarm_id = next(
        tr.alarm_id for d in remote.deltas for tr in d.transitions if tr.alarm_id.startswith("S1/A1/GD-1/")
    )
    assert alarm_id.startswith("S1/A1/GD-1/LEL")
    alarm = remote.alarm(alarm_id)
    assert alarm is not None and alarm.state is AlarmState.UNACK and alarm.priority == 1
    # the automatic stop went to the field once, and the GUI's board shows the area stopped
    assert wait_until(lambda: len(field.received("plant/S1/A1/cmd/stop-work")) == 1, 10)
    assert wait_until(lambda: core.stopwork.work_states.get(("S1", "A1")) is not None, 5)
    assert core.stopwork.work_states[("S1", "A1")].state == "stopped"
    assert core.stopwork.recent()[0].auto is True
    _, v = core.store.recent(LEL, 60)
    assert list(v[-2:]) == [4.0, 35.0]

    # an operator's acts cross to the field core and their effect comes back
    assert core.acknowledge(OPERATOR, [alarm_id], "seen").result(5) == 1
    assert wait_until(lambda: remote.alarm(alarm_id).state is AlarmState.ACKED, 5)
    with pytest.raises(PermissionRefused):
        core.resume_work(OPERATOR, "S1", "A1", "all clear").result(5)
    with pytest.raises(ResumeRefused) as refused:
        core.resume_work(LEAD, "S1", "A1", "all clear").result(5)
    assert any("LEL" in reason for reason in refused.value.reasons)
    view = core.stop_work(OPERATOR, "S1", "A2", "smoke seen").result(5)
    assert view is not None and view.auto is False and view.site == "S1"
    assert wait_until(lambda: len(field.received("plant/S1/A2/cmd/stop-work")) == 1, 5)
    health = core.health_payload()
    assert health["alarms_active"] >= 1 and health["messages_in"] >= 2
    # issue 19: the field process verifies the session that crossed the pipe; a made-up actor, an
    # altered session and another console's login are refused there, with their codes.
    for who, code in (
        (Actor("nobody", Role.SHIFT_LEAD), SESSION_MISSING),
        (replace(OPERATOR, role=Role.SHIFT_LEAD), SESSION_FORGED),
        (SessionKeys().issue(LEAD), SESSION_FORGED),
    ):
        with pytest.raises(SessionRefused) as caught:
            core.resume_work(who, "S1", "A1", "all clear").result(5)  # type: ignore[arg-type]
        assert caught.value.code == code
    assert core.stopwork.work_states[("S1", "A1")].state == "stopped"


def test_a_permit_change_from_the_window_goes_out_through_the_field_process(
    remote: Remote, field: PahoPeer
) -> None:
    """The permit screens' changes (contract §6) cross to the field core and reach the field retained."""
    field.subscribe("plant/+/+/permit/+/state")
    change = PermitStateChange(
        "S1", "A1", "HW-1", PermitType.HOT_WORK, HotWorkGrade.GRADE_1, PermitStatus.SUSPENDED,
        T0 + timedelta(hours=8), "lead.wang", T0,
    )  # fmt: skip
    remote.core.publish_permit_state(change)

    def suspended() -> dict | None:  # type: ignore[type-arg]
        states = [json.loads(m.payload) for m in field.received("plant/S1/A1/permit/HW-1/state")]
        return next((s for s in states if s["status"] == "suspended"), None)

    assert wait_until(lambda: suspended() is not None, 10)
    state = suspended()
    assert state is not None and (state["type"], state["grade"], state["by"]) == (
        "hot_work",
        "1",
        "lead.wang",
    )


def test_a_restarted_console_shows_the_trends_it_had_before_any_new_reading(
    mosquitto: MosquittoProcess, db: Database, field: PahoPeer, tmp_path: Path
) -> None:
    """Issue 19, part 7: the field process keeps the store's history in the data folder when it stops,
    and the next one hands it to the window's mirror with its first update."""
    start_ms = int(time.time() * 1000) - 10_000
    first = Remote(mosquitto, db, tmp_path)
    try:
        for seq in range(1, 6):
            payload = {
                "ts": start_ms + seq * 1000,
                "seq": seq,
                "readings": [{"ch": "LEL", "v": float(seq), "u": "%LEL"}],
            }
            field.publish("plant/S1/A1/sensor/GD-1", json.dumps(payload).encode())
        assert wait_until(lambda: len(first.core.store.recent(LEL, 600, datetime.now(UTC))[0]) == 5, 10)
    finally:
        first.core.stop()
    second = Remote(mosquitto, db, tmp_path)
    try:
        store = second.core.store
        now = datetime.now(UTC)
        assert wait_until(lambda: len(store.recent(LEL, 600, now)[0]) == 5, 10)  # no reading since the start
        assert list(store.recent(LEL, 600, now)[1]) == [1.0, 2.0, 3.0, 4.0, 5.0]
        _, low, high, _ = store.history(LEL, now - timedelta(minutes=5), now)
        assert np.nanmin(low) == 1.0 and np.nanmax(high) == 5.0  # the 60 s tier, for the long windows
        assert store.channel(LEL) is None  # no value from before the restart: it is not live
        field.publish("plant/S1/A1/sensor/GD-1", reading(9.0, 6))
        assert wait_until(lambda: store.channel(LEL) is not None, 10)
        _, v = store.recent(LEL, 600, datetime.now(UTC))
        assert list(v[:5]) == [1.0, 2.0, 3.0, 4.0, 5.0] and np.isnan(v[5]) and v[-1] == 9.0
    finally:
        second.core.stop()


def test_a_lost_field_process_is_shown_at_once_and_replaced(remote: Remote, field: PahoPeer) -> None:
    core = remote.core
    field.publish("plant/S1/A1/sensor/GD-1", reading(4.0, 1))
    assert wait_until(lambda: core.store.channel(LEL) is not None, 10)
    assert core.store.channel(LEL).stale is False
    first = core._child
    assert first is not None
    os.kill(first.process.pid, signal.SIGKILL)
    assert wait_until(lambda: core.store.channel(LEL).stale, 5)
    assert core.store.channel(LEL).stale_reason is StaleReason.LINK_DOWN
    assert any(d.link is not None and d.link.status is LinkStatus.DISCONNECTED for d in remote.deltas)
    # a call while it is down fails with a reason, it does not hang
    with pytest.raises(RuntimeError):
        core.acknowledge(OPERATOR, ["x"]).result(5)
    assert wait_until(lambda: core.restarts == 1 and core.connector.link_state.connected, 30)
    assert core._child is not first
    field.publish("plant/S1/A1/sensor/GD-1", reading(5.0, 2))
    assert wait_until(lambda: core.store.channel(LEL).value == 5.0 and not core.store.channel(LEL).stale, 10)


def test_a_field_process_that_cannot_start_is_one_readable_line(
    mosquitto: MosquittoProcess, db: Database, tmp_path: Path
) -> None:
    config = Config()
    config.mqtt.url = "ftp://127.0.0.1:1"
    core = RemoteCore(config, db, broker_url="ftp://127.0.0.1:1", log_dir=str(tmp_path), sessions=TEST_KEYS)
    with pytest.raises(UserError) as failed:
        core.start()
    line = str(failed.value)
    assert "\n" not in line and "ftp" in line


def test_the_window_runtime_runs_the_field_link_in_its_own_process(
    mosquitto: MosquittoProcess, tmp_path: Path
) -> None:
    config = Config()
    config.mqtt.url = mosquitto.url
    config.database.url = f"sqlite:///{tmp_path / 'plant.db'}"
    build_small_plant(open_fresh(config.database.url), datetime.now(UTC))
    deltas: list[CoreDelta] = []
    runtime = Runtime(config, listener=deltas.append, simulate=False)  # the window: field_process by default
    core = runtime.start()
    try:
        assert isinstance(core, RemoteCore)
        child = core._child
        assert child is not None and child.process.is_alive() and child.process.pid != os.getpid()
        assert wait_until(lambda: core.connector.link_state.connected, 15)
        assert wait_until(lambda: "HW-1" in core.permits, 5)
    finally:
        runtime.stop()
    assert not child.process.is_alive()


def test_a_field_process_that_fails_to_start_says_why_on_the_link_and_is_retried(
    mosquitto: MosquittoProcess, tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "gone"
    folder.mkdir()
    db = open_fresh(f"sqlite:///{folder / 'plant.db'}")
    build_small_plant(db, datetime.now(UTC))
    db.engine.dispose()
    shutil.rmtree(folder)  # the field process finds no database where the window found one
    config = Config()
    config.mqtt.url = mosquitto.url
    deltas: list[CoreDelta] = []
    core = RemoteCore(config, db, listener=deltas.append, log_dir=str(tmp_path), sessions=TEST_KEYS)
    core.start()  # the window does not wait for the field process (its imports alone take ~0.8 s)
    assert core.connector.link_state.status is LinkStatus.CONNECTING
    try:
        assert wait_until(lambda: core.connector.link_state.status is LinkStatus.DISCONNECTED, 30)
        assert "could not start" in core.connector.link_state.reason
        assert any(d.link is not None and "could not start" in d.link.reason for d in deltas)
        assert not core.wait_ready(0.1)
        assert wait_until(lambda: core.restarts >= 1, 15)  # tried again after its back-off
    finally:
        core.stop()


def test_sigterm_stops_the_field_process_in_order_and_the_window_starts_another(
    remote: Remote, mosquitto: MosquittoProcess
) -> None:
    """A service manager's SIGTERM: the core stops as on the window's own stop (offline health on the
    broker, exit code 0), and the window, which did not ask for it, starts a new field process."""
    health = PahoPeer(mosquitto.url, "health-watch")
    health.subscribe("plant/_cockpit/console/gui-1/health")
    try:
        first = remote.core._child
        assert first is not None
        os.kill(first.process.pid, signal.SIGTERM)
        # The window's reader reaps the process (a join here could lose that race and see None).
        assert wait_until(lambda: first.process.exitcode is not None, 15)
        assert first.process.exitcode == 0
        assert wait_until(
            lambda: any(json.loads(m.payload).get("state") == "offline" for m in health.received()), 10
        )
        assert wait_until(lambda: remote.core.restarts == 1 and remote.core.wait_ready(0), 30)
    finally:
        health.close()


def test_a_failing_screen_listener_does_not_stop_the_updates(remote: Remote, field: PahoPeer) -> None:
    calls: list[int] = []

    def broken(delta: CoreDelta) -> None:
        calls.append(1)
        raise RuntimeError("a view fell over")

    remote.core.listener = broken
    field.publish("plant/S1/A1/sensor/GD-1", reading(4.0, 1))
    assert wait_until(lambda: calls, 10)
    field.publish("plant/S1/A1/sensor/GD-1", reading(6.0, 2))
    assert wait_until(lambda: getattr(remote.core.store.channel(LEL), "value", None) == 6.0, 10)
    assert len(calls) >= 2


# ----------------------------------------------------------------------------- faults of the crossing
def _one_update() -> Update:
    """An update as the field core sends it: one LEL value."""
    store = TelemetryStore()
    store.enable_export()
    now = datetime.now(UTC)
    message = SensorMessage("S1", "A1", "GD-1", now, (Reading("LEL", 4.0, "%LEL"),), 1, 60.0)
    changed = set(store.ingest([message], now).changed)
    return Update(CoreDelta(dirty_channels=changed), store.take_export(changed), CoreStats(), None)


def _spawn(target) -> FieldProcess:  # type: ignore[no-untyped-def]
    """A stand-in field process, spawned and wired as ``FieldProcess.spawn`` does the real one."""
    ctx = multiprocessing.get_context("spawn")
    ours, theirs = ctx.Pipe(duplex=True)
    process = ctx.Process(target=target, args=(theirs,), daemon=True)
    process.start()
    theirs.close()
    return FieldProcess(process, ours)


def _field_that_garbles(conn) -> None:  # type: ignore[no-untyped-def]
    """A field process (a real one, on the real pipe) that answers a call with a frame the window
    cannot unpickle, then stops when told to, as the real one does."""
    conn.recv()  # ("start", params)
    writer = PipeWriter(conn)
    writer.send(("ready",))
    writer.send(("update", _one_update()))
    conn.recv()  # the window's call
    socket_of(conn).sendall(HEADER.pack(7) + b"garbage")
    with contextlib.suppress(EOFError, OSError):
        while conn.recv()[0] != "stop":
            pass


def _field_that_will_not_end(conn) -> None:  # type: ignore[no-untyped-def]
    """A field process that closes its pipe but neither ends nor minds SIGTERM (a hung one)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    conn.recv()
    writer = PipeWriter(conn)
    writer.send(("ready",))
    writer.close()
    conn.close()
    time.sleep(120)


def _field_that_falls_silent(conn) -> None:  # type: ignore[no-untyped-def]
    """A field process that starts, sends one update, then says nothing more while it runs (a hung
    core thread); it stops when its pipe closes, as the real one does."""
    conn.recv()  # ("start", params)
    writer = PipeWriter(conn)
    writer.send(("ready",))
    writer.send(("update", _one_update()))
    with contextlib.suppress(EOFError, OSError):
        while conn.recv()[0] != "stop":
            pass


def _field_that_never_answers(conn) -> None:  # type: ignore[no-untyped-def]
    """A field process that keeps talking (an update every 0.2 s) but never answers a call."""
    conn.recv()  # ("start", params)
    writer = PipeWriter(conn)
    writer.send(("ready",))
    with contextlib.suppress(EOFError, OSError):
        while True:
            writer.send(("update", _one_update()))
            if conn.poll(0.2) and conn.recv()[0] == "stop":
                return


def test_an_act_the_field_process_never_answers_fails_after_its_time_out_and_the_link_stays(
    mosquitto: MosquittoProcess, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(field_link, "CALL_TIMEOUT_S", 1.0)  # not 30 s, for the test
    monkeypatch.setattr(field_link, "WATCH_MS", 200)
    config = Config()
    config.mqtt.url = mosquitto.url
    first = _spawn(_field_that_never_answers)
    core = RemoteCore(config, db, console="gui-1", process=first, log_dir=str(tmp_path), sessions=TEST_KEYS)
    core.start()
    try:
        assert core.wait_ready(30)
        asked = time.monotonic()
        fut = core.acknowledge(OPERATOR, ["a-1"])
        assert wait_until(fut.done, 10)
        exc = fut.exception()
        assert isinstance(exc, field_link.CallUnanswered) and exc.act == "acknowledge"
        assert 0.9 <= time.monotonic() - asked < 5
        assert core.restarts == 0 and core.wait_ready(0)  # a late answer is not a lost process
    finally:
        core.stop()


def test_a_field_process_alive_but_silent_is_shown_lost_and_replaced(
    mosquitto: MosquittoProcess, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(field_link, "SILENT_S", 3.0)  # not 15 s, for the test
    monkeypatch.setattr(field_link, "WATCH_MS", 200)
    config = Config()
    config.mqtt.url = mosquitto.url
    deltas: list[CoreDelta] = []
    first = _spawn(_field_that_falls_silent)
    core = RemoteCore(
        config,
        db,
        console="gui-1",
        listener=deltas.append,
        process=first,
        log_dir=str(tmp_path),
        sessions=TEST_KEYS,
    )
    core.start()
    try:
        assert core.wait_ready(30)
        assert wait_until(lambda: core.store.channel(LEL) is not None, 10)
        assert wait_until(lambda: core.connector.link_state.cause is LinkCause.FIELD_SILENT, 30)
        snap = core.store.channel(LEL)
        assert snap.stale and snap.stale_reason is StaleReason.LINK_DOWN  # shown lost at once
        assert wait_until(lambda: first.process.exitcode == 0, 10)  # told to stop, it stopped
        assert wait_until(lambda: core.restarts == 1 and core.wait_ready(0), 30)  # a real one now
        assert wait_until(lambda: core.connector.link_state.connected, 15)
    finally:
        core.stop()


def test_a_message_the_window_cannot_read_loses_that_field_process_and_a_new_one_starts(
    mosquitto: MosquittoProcess, db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = Config()
    config.mqtt.url = mosquitto.url
    deltas: list[CoreDelta] = []
    first = _spawn(_field_that_garbles)
    core = RemoteCore(
        config,
        db,
        console="gui-1",
        listener=deltas.append,
        process=first,
        log_dir=str(tmp_path),
        sessions=TEST_KEYS,
    )
    caplog.set_level(logging.ERROR, logger="cockpit.field_link")
    core.start()
    try:
        assert core.wait_ready(30)
        assert wait_until(lambda: core.store.channel(LEL) is not None, 10)
        with pytest.raises(RuntimeError, match="field link process"):  # it fails, it does not hang
            core.acknowledge(OPERATOR, ["x"]).result(10)
        snap = core.store.channel(LEL)
        assert snap.stale and snap.stale_reason is StaleReason.LINK_DOWN
        lost = [d.link for d in deltas if d.link is not None and d.link.status is LinkStatus.DISCONNECTED]
        assert lost and lost[0].cause is LinkCause.FIELD_UNREADABLE  # said as what it was, not "ended"
        said = [r.getMessage() for r in caplog.records if "could not be read" in r.getMessage()]
        assert len(said) == 1 and "\n" not in said[0]  # said once, in one line
        assert wait_until(lambda: first.process.exitcode == 0, 10)  # told to stop, it stopped
        assert wait_until(lambda: core.restarts == 1 and core.wait_ready(0), 30)
        assert wait_until(lambda: core.connector.link_state.connected, 15)
    finally:
        core.stop()


def test_a_field_process_that_does_not_end_is_terminated_then_killed_without_freezing_the_gui(
    mosquitto: MosquittoProcess, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QCoreApplication

    monkeypatch.setattr(field_link, "REAP_WAIT_S", 0.3, raising=False)  # not 10 s, for the test
    monkeypatch.setattr(field_link, "REAP_SIGNAL_S", 0.3, raising=False)
    config = Config()
    config.mqtt.url = mosquitto.url
    first = _spawn(_field_that_will_not_end)
    core = RemoteCore(config, db, console="gui-1", process=first, log_dir=str(tmp_path), sessions=TEST_KEYS)
    core.start()
    try:
        assert core.wait_ready(30)
        longest = 0.0
        deadline = time.monotonic() + 40
        while not (core.restarts == 1 and core.wait_ready(0)) and time.monotonic() < deadline:
            started = time.monotonic()
            QCoreApplication.processEvents()  # the reaping runs here, on timers
            longest = max(longest, time.monotonic() - started)
            time.sleep(0.005)
        assert core.restarts == 1 and core.wait_ready(0)
        assert first.process.exitcode == -signal.SIGKILL  # SIGTERM did nothing: killed
        assert longest < 1.0, f"the GUI thread was held {longest:.1f} s"
    finally:
        core.stop()


@contextlib.contextmanager
def _no_file_descriptors_left() -> Iterator[None]:
    """The process out of file descriptors (a real EMFILE): a new pipe, and so a spawn, fails."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(int(fd) for fd in os.listdir("/proc/self/fd")) + 1, hard))
    taken: list[int] = []
    try:
        with contextlib.suppress(OSError):
            while True:  # the free numbers below the limit
                taken.append(os.open(os.devnull, os.O_RDONLY))
        yield
    finally:
        for fd in taken:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_restart_whose_spawn_fails_is_tried_again_after_its_back_off(
    remote: Remote, caplog: pytest.LogCaptureFixture
) -> None:
    core = remote.core
    caplog.set_level(logging.ERROR, logger="cockpit.field_link")
    first = core._child
    assert first is not None
    os.kill(first.process.pid, signal.SIGKILL)
    assert wait_until(lambda: first.conn.closed, 10)  # mourned and reaped: the restart is 1 s away
    with _no_file_descriptors_left():
        assert wait_until(lambda: "restart failed" in caplog.text, 15)
    assert "OSError" in caplog.text  # not a UserError: spawning itself failed
    assert wait_until(lambda: core.restarts == 1 and core.wait_ready(0), 30)  # tried again, and running
