"""One update per tick, over a transport that never makes the core thread wait.

The update builder (the core's listener) sends plain value changes at most ten times a second and an
urgent change at once; while the transport is busy it merges. The pipe's writer never blocks, however
long the window does not read, and the reader gets every message whole and in order.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from cockpit.core_state import CoreDelta, CoreState, CoreStats, capture_state
from cockpit.field_process import PUMP_S, _serve_call, _serve_calls
from cockpit.live import FrameReader
from cockpit.live_feed import HEADER, SEND_INTERVAL_S, PipeWriter, Update, UpdateBuilder, socket_of
from cockpit.register_live import RegisterView
from cockpit.telemetry import TelemetryStore
from connectors.mqtt import LinkCause, LinkCounters, LinkState, LinkStatus
from models.alarms import FloodState
from models.records import ChannelKey, Reading, SensorMessage

T0 = datetime(2026, 12, 4, 6, 0, tzinfo=UTC)
LEL = ChannelKey("S1", "A1", "GD-1", "LEL")


# ----------------------------------------------------------------------------- the builder
class _Engine:
    def active(self) -> list[Any]:
        return []

    def flood_state(self, now: datetime | None = None) -> FloodState:
        return FloodState(False, 0)


class _StopWork:
    def __init__(self) -> None:
        self.work_states: dict[tuple[str, str], Any] = {}

    def recent(self) -> list[Any]:
        return []

    def recent_copies(self) -> tuple[Any, ...]:
        return ()


class _PermitMonitor:
    def copies(self) -> dict[str, Any]:
        return {}


class _Connector:
    link_state = LinkState.because(LinkStatus.CONNECTED, LinkCause.CONNECTED_NEW, "mqtt://127.0.0.1:1883")

    def counters(self) -> LinkCounters:
        return LinkCounters(0, 0, 0, 0, 0, 0, 0, 0, None)


class _Gate:
    def headcount(self) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
        return {}


class _Rejections:
    def snapshot(self) -> dict[str, Any]:
        return {"total": 0, "by_reason": {}, "recent": []}


@dataclass
class _Register:
    view: RegisterView = field(default_factory=lambda: RegisterView(0))  # the register in force


@dataclass
class _Core:
    """What ``UpdateBuilder`` reads of a core."""

    store: TelemetryStore = field(default_factory=TelemetryStore)
    stats: CoreStats = field(default_factory=CoreStats)
    engine: _Engine = field(default_factory=_Engine)
    stopwork: _StopWork = field(default_factory=_StopWork)
    permits: dict[str, Any] = field(default_factory=dict)
    permit_monitor: _PermitMonitor = field(default_factory=_PermitMonitor)
    connector: _Connector = field(default_factory=_Connector)
    rejections: _Rejections = field(default_factory=_Rejections)
    field_gate: _Gate = field(default_factory=_Gate)
    register: _Register = field(default_factory=_Register)

    def clock(self) -> datetime:
        return datetime.now(UTC)

    def health_payload(self) -> dict[str, Any]:
        return {"state": "online"}

    def fresh_state(self) -> CoreState:
        """As the core thread publishes it when its listener asks."""
        return capture_state(self, lambda _n: self.health_payload())  # type: ignore[arg-type]


def _reading(seq: int, value: float) -> SensorMessage:
    return SensorMessage(
        "S1", "A1", "GD-1", T0 + timedelta(seconds=seq), (Reading("LEL", value, "%LEL"),), seq, 30.0
    )


def _builder() -> tuple[_Core, UpdateBuilder, list[Update], list[bool]]:
    core = _Core()
    core.store.enable_export()
    sent: list[Update] = []
    busy = [False]
    builder = UpdateBuilder(sent.append, lambda: busy[0])
    builder.core = core  # type: ignore[assignment]
    return core, builder, sent, busy


def _ingest(core: _Core, seq: int, value: float) -> CoreDelta:
    update = core.store.ingest([_reading(seq, value)], T0 + timedelta(seconds=seq))
    return CoreDelta(dirty_channels=set(update.changed))


def test_values_go_ten_times_a_second_and_an_urgent_change_at_once() -> None:
    core, builder, sent, _ = _builder()
    builder.on_delta(_ingest(core, 1, 1.0))
    assert len(sent) == 1 and sent[0].board is not None  # the first: values and the board
    builder.on_delta(_ingest(core, 2, 2.0))
    builder.on_delta(_ingest(core, 3, 3.0))
    assert len(sent) == 1  # within the interval: held
    builder.on_delta(CoreDelta(permits_changed=True))
    assert len(sent) == 2 and sent[1].board is not None  # urgent: at once, with the board
    assert list(sent[1].store.v) == [2.0, 3.0]  # the held values went with it, once each
    builder.on_delta(_ingest(core, 4, 4.0))
    builder.tick()
    assert len(sent) == 2
    time.sleep(SEND_INTERVAL_S)
    builder.tick()  # no delta came: the core's pump sends what was held
    assert len(sent) == 3 and list(sent[2].store.v) == [4.0] and sent[2].board is None


def test_while_the_transport_is_busy_updates_merge_and_nothing_is_lost() -> None:
    core, builder, sent, busy = _builder()
    builder.on_delta(_ingest(core, 1, 1.0))
    busy[0] = True
    link = LinkState.because(LinkStatus.DISCONNECTED, LinkCause.FIELD_ENDED)
    builder.on_delta(CoreDelta(permits_changed=True))
    builder.on_delta(_ingest(core, 2, 2.0))
    builder.on_delta(CoreDelta(link=link))
    builder.on_delta(_ingest(core, 3, 3.0))
    assert len(sent) == 1 and builder.held >= 2
    busy[0] = False
    builder.tick()
    assert len(sent) == 2
    merged = sent[1]
    assert merged.delta.permits_changed and merged.delta.link == link
    assert merged.delta.dirty_channels == {LEL} and list(merged.store.v) == [2.0, 3.0]
    assert merged.board is not None


# ----------------------------------------------------------------------------- the pipe
def test_a_window_that_does_not_read_never_makes_the_writer_wait() -> None:
    ours, theirs = multiprocessing.Pipe(duplex=True)
    writer, reader = PipeWriter(theirs), FrameReader(ours)
    block = np.arange(20_000, dtype=np.float64)  # 160 KB a message: 200 of them far exceed any buffer
    started = time.monotonic()
    for i in range(200):
        writer.send(("update", i, block))
    assert time.monotonic() - started < 5.0  # pickling only: no write waited for the reader
    assert writer.busy()
    got: list[Any] = []
    deadline = time.monotonic() + 30
    while len(got) < 200 and time.monotonic() < deadline:
        got.extend(reader.read())
        writer.flush()  # the core thread's tick
    assert [m[1] for m in got] == list(range(200))
    assert all(np.array_equal(m[2], block) for m in got)
    assert not writer.busy()
    writer.close()
    theirs.close()
    deadline = time.monotonic() + 5
    while not reader.ended and time.monotonic() < deadline:
        reader.read()
    assert reader.ended  # the field's end closed: the window sees it
    reader.close()
    ours.close()


def _read_all(reader: FrameReader) -> list[Any]:
    """What the socket holds now (the writer is on this thread: nothing arrives meanwhile)."""
    got: list[Any] = []
    while batch := reader.read():
        got.extend(batch)
    return got


def test_a_frame_that_cannot_be_read_is_named_and_the_good_frames_around_it_are_kept() -> None:
    ours, theirs = multiprocessing.Pipe(duplex=True)
    writer, reader = PipeWriter(theirs), FrameReader(ours)
    raw = socket_of(theirs)
    writer.send(("update", 1))
    raw.sendall(HEADER.pack(7) + b"garbage")  # a frame, but no pickle: the processes disagree
    writer.send(("reply", 2, True, "done"))
    assert reader.read() == [("update", 1), ("reply", 2, True, "done")]  # no exception, none lost
    assert reader.fault is not None and "could not be read" in reader.fault and "\n" not in reader.fault
    writer.send(("update", 3))
    assert reader.read() == []  # nothing it sends after that is trusted (the link drops this process)
    for part in (raw, writer, reader, ours, theirs):
        part.close()


def test_an_update_held_while_the_window_did_not_read_goes_as_soon_as_it_has_read() -> None:
    """Not only after the next tick's flush: ``busy()`` writes the outbox first, without waiting."""
    ours, theirs = multiprocessing.Pipe(duplex=True)
    writer, reader = PipeWriter(theirs), FrameReader(ours)
    core = _Core()
    core.store.enable_export()
    builder = UpdateBuilder(lambda update: writer.send(("update", update)), writer.busy)  # as the field's
    builder.core = core  # type: ignore[assignment]
    filler = np.zeros(2_000)  # 16 KB a message
    while not writer.busy():  # the window reads nothing: the socket fills, the outbox holds the rest
        writer.send(("filler", filler))
    builder.on_delta(CoreDelta(permits_changed=True))  # urgent, but there is no room
    assert builder.held == 1
    assert all(m[0] == "filler" for m in _read_all(reader))  # the window reads what it had
    builder.tick()  # the next tick (or delta): no flush came in between
    updates = [m[1] for m in _read_all(reader) if m[0] == "update"]
    assert len(updates) == 1 and updates[0].delta.permits_changed and updates[0].board is not None
    for part in (writer, reader, ours, theirs):
        part.close()


class _Acts:
    """The core as ``_serve_call`` sees it: acts answering with a value or a future (as CockpitCore's)."""

    def __init__(self) -> None:
        self.later: Future[Any] = Future()
        self.queued: list[Any] = []

    def acknowledge(self, *args: Any) -> Future[Any]:
        return self.later

    def shelve(self, *args: Any) -> Any:
        return threading.Lock()  # answered at once, and no pickle can carry it

    def unshelve(self, *args: Any) -> int:
        return 1

    def call(self, fn: Any) -> Future[Any]:
        self.queued.append(fn)
        done: Future[Any] = Future()
        done.set_result(None)
        return done


def test_an_answer_that_does_not_pickle_still_answers_the_window_in_one_line() -> None:
    ours, theirs = multiprocessing.Pipe(duplex=True)
    writer, reader = PipeWriter(theirs), FrameReader(ours)
    core = _Acts()
    _serve_call(core, writer, 1, "acknowledge", (), {})  # type: ignore[arg-type]
    core.later.set_result(threading.Lock())  # its future resolves later, with what cannot cross
    _serve_call(core, writer, 2, "shelve", (), {})  # type: ignore[arg-type]
    got = _read_all(reader)
    assert [(m[0], m[1], m[2]) for m in got] == [("reply", 1, False), ("reply", 2, False)]
    for m, name in zip(got, ("acknowledge", "shelve"), strict=True):
        assert isinstance(m[3], RuntimeError) and name in str(m[3]) and "\n" not in str(m[3])
    for part in (writer, reader, ours, theirs):
        part.close()


def test_a_stream_of_calls_does_not_postpone_the_ticks_of_the_field_process() -> None:
    """The main thread's pump runs on a deadline: calls every 20 ms (faster than ``PUMP_S``) still
    leave the flush and the tick queued every ``PUMP_S``, the flush first."""
    ours, theirs = multiprocessing.Pipe(duplex=True)
    writer = PipeWriter(theirs)
    core = _Acts()
    builder = UpdateBuilder(lambda update: None, writer.busy)
    pump = threading.Thread(target=_serve_calls, args=(core, theirs, writer, builder), daemon=True)
    pump.start()
    reader = FrameReader(ours)
    seconds = 1.0
    for call_id in range(int(seconds / 0.02)):
        ours.send(("call", call_id, "unshelve", (), {}))  # answered at once
        time.sleep(0.02)
        reader.read()
    ours.send(("stop",))
    pump.join(5)
    assert not pump.is_alive()
    ticks = [fn for fn in core.queued if fn == builder.tick]
    assert len(ticks) >= seconds / PUMP_S / 2, core.queued
    assert core.queued[0] == writer.flush and core.queued[1] == builder.tick
    for part in (writer, reader, ours, theirs):
        part.close()
