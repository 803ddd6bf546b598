"""The live telemetry store: what an operator sees of each channel (value, STALE, gaps, trends)."""

from __future__ import annotations

import math
import threading
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from cockpit.telemetry import StaleReason, TelemetryStore
from models.records import (
    ChannelKey,
    DeviceState,
    DeviceStatus,
    Quality,
    Reading,
    SensorMessage,
    WorkerEvent,
    WorkerEventType,
)

T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
LEL = ChannelKey("S1", "A1", "D1", "LEL")
O2 = ChannelKey("S1", "A1", "D1", "O2")


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def reading(
    t: float,
    lel: float = 3.0,
    *,
    device: str = "D1",
    q: Quality = Quality.GOOD,
    seq: int | None = None,
    max_age: float | None = 10.0,
    o2: float | None = None,
    area: str = "A1",
) -> SensorMessage:
    readings = [Reading("LEL", lel, "%LEL", q)]
    if o2 is not None:
        readings.append(Reading("O2", o2, "%VOL"))
    return SensorMessage("S1", area, device, at(t), tuple(readings), seq, max_age)


def status(t: float, state: DeviceState, device: str = "D1") -> DeviceStatus:
    return DeviceStatus("S1", "A1", device, at(t), state)


def feed(store: TelemetryStore, messages: list[SensorMessage], step: float = 0.0) -> None:
    """Ingest messages one batch each, ``now`` = each message's ts plus ``step``."""
    for message in messages:
        store.ingest([message], message.ts + timedelta(seconds=step))


# ----------------------------------------------------------------------------- values land
def test_a_reading_lands_with_its_unit_quality_and_time() -> None:
    store = TelemetryStore()
    update = store.ingest([reading(0, 4.5, o2=20.9)], at(0.2))
    assert update.changed == {LEL, O2}
    assert set(update.new_channels) == {LEL, O2}
    assert update.stale_changes == ()
    snap = store.channel(LEL)
    assert snap is not None
    assert (snap.value, snap.unit, snap.quality, snap.ts) == (4.5, "%LEL", Quality.GOOD, at(0))
    assert (snap.stale, snap.stale_reason, snap.max_age_s) == (False, None, 10.0)
    assert store.channel(O2).value == 20.9  # type: ignore[union-attr]
    assert store.channel(ChannelKey("S1", "A1", "D1", "CO")) is None


def test_channels_filter_by_site_and_area() -> None:
    store = TelemetryStore()
    store.ingest([reading(0, area="A1"), reading(0, area="A2", device="D2")], at(0))
    store.ingest([SensorMessage("S2", "A1", "D3", at(0), (Reading("CO", 1, "ppm"),))], at(0))
    assert [s.key.device for s in store.channels()] == ["D1", "D2", "D3"]
    assert [s.key.device for s in store.channels(site="S1")] == ["D1", "D2"]
    assert [s.key.device for s in store.channels(site="S1", area="A2")] == ["D2"]


def test_other_messages_are_ignored() -> None:
    store = TelemetryStore()
    event = WorkerEvent("S1", "A1", "W1", at(0), WorkerEventType.SOS)
    update = store.ingest([event], at(0))
    assert update.changed == frozenset() and store.channels() == []


# ----------------------------------------------------------------------------- STALE by age
def test_channel_goes_stale_after_its_max_age_and_a_fresh_reading_clears_it() -> None:
    store = TelemetryStore()
    store.ingest([reading(0, max_age=10)], at(0.5))
    assert store.tick(at(9.9)) == []
    changes = store.tick(at(10.1))
    assert [(c.key, c.stale, c.reason, c.at) for c in changes] == [(LEL, True, StaleReason.EXPIRED, at(10.1))]
    assert store.tick(at(11)) == []  # reported once
    snap = store.channel(LEL)
    assert snap is not None and snap.stale and snap.value == 3.0  # the value is kept, flagged stale
    update = store.ingest([reading(12)], at(12.1))
    assert [(c.key, c.stale, c.reason) for c in update.stale_changes] == [(LEL, False, None)]


def test_default_max_age_applies_when_the_message_gives_none() -> None:
    store = TelemetryStore(default_max_age_s=30)
    store.ingest([reading(0, max_age=None)], at(0))
    assert store.tick(at(29)) == []
    assert [c.reason for c in store.tick(at(31))] == [StaleReason.EXPIRED]
    assert store.channel(LEL).max_age_s == 30  # type: ignore[union-attr]


def test_backlog_older_than_max_age_arrives_stale() -> None:
    store = TelemetryStore()
    update = store.ingest([reading(0)], at(60))
    assert [(c.key, c.reason) for c in update.stale_changes] == [(LEL, StaleReason.EXPIRED)]


def test_a_clock_ahead_of_ours_does_not_extend_freshness() -> None:
    store = TelemetryStore()
    store.ingest([reading(200)], at(0))  # the device's clock runs 200 s ahead
    assert store.tick(at(9)) == []
    assert [c.reason for c in store.tick(at(11))] == [StaleReason.EXPIRED]


def test_only_good_keeps_fresh_and_bad_is_never_a_value() -> None:
    store = TelemetryStore()
    store.ingest([reading(0, 3.0, q=Quality.UNCERTAIN)], at(0))
    snap = store.channel(LEL)
    # contract §1: STALE without a good reading; the uncertain value is still shown with its quality
    assert snap is not None and snap.stale and snap.quality is Quality.UNCERTAIN and snap.value == 3.0
    update = store.ingest([reading(1, 2.9)], at(1))
    assert [(c.stale, c.reason) for c in update.stale_changes] == [(False, None)]
    store.ingest([reading(2, 3.1, q=Quality.UNCERTAIN)], at(2))
    assert not store.channel(LEL).stale  # the good reading at 1 s is still within its max age
    assert [c.stale for c in store.tick(at(12))] == [True]  # only uncertain since: stale at the max age
    store.ingest([reading(13, 99.0, q=Quality.BAD)], at(13))
    snap = store.channel(LEL)
    assert snap is not None and snap.value is None and snap.quality is Quality.BAD
    assert snap.stale and snap.stale_reason is StaleReason.BAD_QUALITY
    _, v = store.recent(LEL, 60, now=at(13))
    assert v[0] == 3.0 and math.isnan(v[-1])
    _, _, mx, _ = store.history(LEL, at(0), at(19))
    assert len(mx) and not (mx >= 99.0).any()  # 99 never enters the trend
    update = store.ingest([reading(14, 3.2)], at(14))
    assert [(c.stale, c.reason) for c in update.stale_changes] == [(False, None)]


def test_a_new_channel_is_reported_only_when_it_starts_stale() -> None:
    store = TelemetryStore()
    update = store.ingest([reading(0, q=Quality.BAD)], at(0))
    assert [(c.key, c.stale, c.reason) for c in update.stale_changes] == [
        (LEL, True, StaleReason.BAD_QUALITY)
    ]


# ----------------------------------------------------------------------------- device status
def test_device_offline_stales_all_its_channels_at_once() -> None:
    store = TelemetryStore()
    store.ingest([reading(0, o2=20.9), reading(0, device="D2")], at(0))
    update = store.ingest([status(1, DeviceState.OFFLINE)], at(1))
    assert {(c.key, c.stale, c.reason) for c in update.stale_changes} == {
        (LEL, True, StaleReason.DEVICE_OFFLINE),
        (O2, True, StaleReason.DEVICE_OFFLINE),
    }
    assert update.devices_changed == (("S1", "A1", "D1"),)
    assert store.channel(LEL).device_state is DeviceState.OFFLINE  # type: ignore[union-attr]
    assert not store.channel(ChannelKey("S1", "A1", "D2", "LEL")).stale  # type: ignore[union-attr]


def test_online_alone_does_not_clear_stale_a_fresh_good_reading_does() -> None:
    store = TelemetryStore()
    store.ingest([reading(0, o2=20.9), status(0, DeviceState.ONLINE)], at(0))
    store.ingest([status(1, DeviceState.OFFLINE)], at(1))
    update = store.ingest([status(2, DeviceState.ONLINE)], at(2))
    assert update.stale_changes == ()  # still within max age, but no reading since it came back
    assert store.channel(LEL).stale_reason is StaleReason.NO_DATA  # type: ignore[union-attr]
    update = store.ingest([reading(3)], at(3))
    assert [(c.key, c.stale) for c in update.stale_changes] == [(LEL, False)]
    assert store.channel(O2).stale  # type: ignore[union-attr]


def test_fault_stales_and_calibration_due_does_not() -> None:
    store = TelemetryStore()
    store.ingest([reading(0)], at(0))
    update = store.ingest([status(1, DeviceState.CALIBRATION_DUE)], at(1))
    assert update.stale_changes == () and update.devices_changed == (("S1", "A1", "D1"),)
    update = store.ingest([status(2, DeviceState.FAULT)], at(2))
    assert [c.reason for c in update.stale_changes] == [StaleReason.DEVICE_FAULT]


def test_readings_while_offline_are_kept_as_gaps_not_values() -> None:
    store = TelemetryStore()
    store.ingest([reading(0, 2.0)], at(0))
    store.ingest([status(1, DeviceState.OFFLINE)], at(1))
    update = store.ingest([reading(2, 40.0)], at(2))
    assert update.stale_changes == ()  # still stale, now with the new value flagged
    snap = store.channel(LEL)
    assert snap is not None and snap.stale and snap.stale_reason is StaleReason.DEVICE_OFFLINE
    _t, v = store.recent(LEL, 60)
    assert v[0] == 2.0 and np.isnan(v[1:]).all()
    _, _, mx, _ = store.history(LEL, at(0), at(9))
    assert mx[0] == 2.0


def test_status_is_applied_in_arrival_order_even_with_an_older_ts() -> None:
    """A last will carries the ts of the connection, older than the 'online' sent then."""
    store = TelemetryStore()
    store.ingest([status(5, DeviceState.ONLINE), reading(6)], at(6))
    update = store.ingest([status(4, DeviceState.OFFLINE)], at(100))
    assert [c.reason for c in update.stale_changes] == [StaleReason.DEVICE_OFFLINE]


def test_device_snapshot() -> None:
    store = TelemetryStore(registered_devices=[("S1", "A1", "D1")])
    store.ingest([DeviceStatus("S1", "A1", "D1", at(0), DeviceState.ONLINE, 87.0, "ok"), reading(1)], at(1))
    device = store.device(("S1", "A1", "D1"))
    assert device is not None
    assert (device.state, device.battery, device.detail, device.unregistered) == (
        DeviceState.ONLINE,
        87.0,
        "ok",
        False,
    )
    assert device.channels == (LEL,)
    assert store.device(("S1", "A1", "nope")) is None


# ----------------------------------------------------------------------------- seq, registration, late data
def test_seq_gaps_count_lost_messages_but_not_restarts_or_duplicates() -> None:
    store = TelemetryStore()
    dev = ("S1", "A1", "D1")
    update = store.ingest([reading(0, seq=5), reading(1, seq=9)], at(1))
    assert update.lost == 3 and store.seq_gaps(dev) == 3
    update = store.ingest([reading(1, seq=9), reading(0.5, seq=8)], at(2))  # redelivery, late one
    assert update.lost == 0 and store.seq_gaps(dev) == 3
    update = store.ingest([reading(3, seq=0), reading(4, seq=1), reading(5, seq=3)], at(5))  # restart
    assert update.lost == 1 and store.seq_gaps(dev) == 4
    store.ingest([reading(6, seq=1, device="D2"), reading(7, seq=4, device="D2")], at(7))
    assert store.seq_gaps(("S1", "A1", "D2")) == 2
    assert store.lost_total == 6
    assert store.device(dev).resets == 1  # type: ignore[union-attr]
    assert store.seq_gaps(("S1", "A1", "unknown")) == 0


def test_duplicate_and_late_readings_are_counted_and_ignored() -> None:
    store = TelemetryStore()
    store.ingest([reading(0, 1.0), reading(2, 2.0)], at(2))
    update = store.ingest([reading(2, 2.0), reading(1, 9.0)], at(3))
    assert update.late == 2 and update.changed == frozenset()
    assert store.channel(LEL).value == 2.0  # type: ignore[union-attr]
    assert list(store.recent(LEL, 60)[1]) == [1.0, 2.0]


def test_unregistered_devices_are_taken_in_and_listed() -> None:
    store = TelemetryStore(registered_devices=[("S1", "A1", "D1")])
    store.ingest([reading(0), reading(0, device="GW-NEW"), status(0, DeviceState.ONLINE, "D9")], at(0))
    assert store.unregistered() == {("S1", "A1", "GW-NEW"), ("S1", "A1", "D9")}
    new = store.channel(ChannelKey("S1", "A1", "GW-NEW", "LEL"))
    assert new is not None and new.unregistered and new.value == 3.0 and not new.stale
    assert not store.channel(LEL).unregistered  # type: ignore[union-attr]
    assert len(store.channels(site="S1", area="A1")) == 2  # it counts for its area
    store.set_registered_devices([("S1", "A1", "D1"), ("S1", "A1", "GW-NEW")])
    assert store.unregistered() == {("S1", "A1", "D9")}


# ----------------------------------------------------------------------------- the native ring
def test_ring_wraps_and_keeps_the_newest_two_hours_in_order() -> None:
    store = TelemetryStore()
    three_hours = 3 * 3600
    for s in range(three_hours):
        store.ingest([reading(s, float(s), max_age=5)], at(s))
    t, v = store.recent(LEL, 2 * 3600)
    assert len(t) == 7201
    assert t[0] == at(three_hours - 1 - 7200).timestamp() and t[-1] == at(three_hours - 1).timestamp()
    assert (np.diff(t) == 1.0).all()
    assert (v == t - T0.timestamp()).all()
    t_all, v_all = store.recent(LEL, three_hours)
    assert 7201 <= len(t_all) < three_hours  # more than 2 h kept, the oldest gone
    assert (np.diff(t_all) > 0).all() and (v_all == t_all - T0.timestamp()).all()


def test_ring_growth_stops_at_its_capacity() -> None:
    store = TelemetryStore(native_capacity=1000, initial_capacity=16)
    for s in range(3000):
        store.ingest([reading(s * 0.1, float(s))], at(s * 0.1))
    t, v = store.recent(LEL, 7200)
    assert len(t) == 1000 and v[0] == 2000.0 and v[-1] == 2999.0
    assert (np.diff(t) > 0).all()


@pytest.mark.parametrize("read_every", [1, 7, 100, 1000])
def test_reads_at_any_moment_see_every_sample_and_bucket_so_far(read_every: int) -> None:
    """Samples are staged and written to numpy in bulk: a reader in between must still see all of them,
    and the two tiers must hold what one sample at a time would give."""
    store = TelemetryStore(native_capacity=300, initial_capacity=4, native_window_s=1e9, bucket_s=10.0)
    rng = np.random.default_rng(read_every)
    values = np.round(rng.normal(5.0, 2.0, 1500), 3)
    for i, value in enumerate(values):
        store.ingest([reading(i * 0.5, float(value), max_age=30)], at(i * 0.5))
        if i % read_every == 0 or i == len(values) - 1:
            t, v = store.recent(LEL, 1e6)
            kept = min(i + 1, 300)
            assert len(t) == kept
            assert v.tolist() == values[i + 1 - kept : i + 1].tolist()
            assert (np.diff(t) == 0.5).all()
            tb, mn, mx, mean = store.history(LEL, at(0), at(i * 0.5))
            last = i // 20  # 20 samples to a 10 s bucket
            assert len(tb) == last + 1
            expect = values[last * 20 : i + 1]
            assert (mn[-1], mx[-1]) == pytest.approx((expect.min(), expect.max()))
            assert mean[-1] == pytest.approx(expect.mean())
    full = values[: (len(values) // 20) * 20].reshape(-1, 20)
    _, mn, mx, mean = store.history(LEL, at(0), at(len(values) * 0.5))
    assert mn[: len(full)] == pytest.approx(full.min(axis=1).astype(np.float32), rel=1e-6)
    assert mx[: len(full)] == pytest.approx(full.max(axis=1).astype(np.float32), rel=1e-6)
    assert mean[: len(full)] == pytest.approx(full.mean(axis=1), rel=1e-6)


def test_a_silence_longer_than_max_age_is_a_gap_in_the_trend() -> None:
    store = TelemetryStore()
    store.ingest([reading(0, 1.0, max_age=10)], at(0))
    store.ingest([reading(5, 2.0, max_age=10)], at(5))
    store.ingest([reading(60, 3.0, max_age=10)], at(60))
    t, v = store.recent(LEL, 120)
    assert list(t) == [at(0).timestamp(), at(5).timestamp(), at(15).timestamp(), at(60).timestamp()]
    assert v[:2].tolist() == [1.0, 2.0] and math.isnan(v[2]) and v[3] == 3.0


def test_recent_window_and_copies() -> None:
    store = TelemetryStore()
    for s in range(100):
        store.ingest([reading(s, float(s))], at(s))
    t, v = store.recent(LEL, 10)
    assert v.tolist() == [float(s) for s in range(89, 100)]
    _t2, v2 = store.recent(LEL, 10, now=at(50))
    assert v2.tolist() == [float(s) for s in range(40, 100)]
    v[:] = -1.0
    t[:] = 0.0
    assert store.recent(LEL, 10)[1].tolist() == [float(s) for s in range(89, 100)]
    empty_t, empty_v = store.recent(ChannelKey("S1", "A1", "D1", "XX"), 10)
    assert len(empty_t) == len(empty_v) == 0


# ----------------------------------------------------------------------------- the bucket tier (10 s here)
def test_a_one_sample_spike_survives_as_the_bucket_max() -> None:
    store = TelemetryStore(bucket_s=10.0)  # the default is 60 s; the rule is the same
    for s in range(60):
        store.ingest([reading(s, 50.0 if s == 33 else 1.0)], at(s))
    t, mn, mx, mean = store.history(LEL, at(0), at(59))
    assert t.tolist() == [at(10 * i).timestamp() for i in range(6)]
    assert mx.tolist() == [1.0, 1.0, 1.0, 50.0, 1.0, 1.0]
    assert mn.tolist() == [1.0] * 6
    assert mean[3] == pytest.approx((9 * 1.0 + 50.0) / 10)


def test_a_24_hour_span_fits_the_10_s_tier() -> None:
    store = TelemetryStore(bucket_s=10.0)  # the default is 60 s; the rule is the same
    day = 86400
    for i in range(day // 10 + 1):
        store.ingest([reading(i * 10 + 1, float(i), max_age=30)], at(i * 10 + 1))
    t, _mn, _mx, mean = store.history(LEL, at(0), at(day + 5))
    assert len(t) == day // 10 + 1
    assert not np.isnan(mean).any()
    assert mean.tolist() == [float(i) for i in range(day // 10 + 1)]
    assert (np.diff(t) == 10.0).all()
    # An hour later, the oldest hour has gone and the newest 24 h are still whole.
    for i in range(day // 10 + 1, day // 10 + 361):
        store.ingest([reading(i * 10 + 1, float(i), max_age=30)], at(i * 10 + 1))
    t, _, _, mean = store.history(LEL, at(0), at(day + 3600 + 5))
    assert t[0] >= at(3600 - 10).timestamp()
    assert t[-1] == at(day + 3600).timestamp()
    assert len(t) >= day // 10 and not np.isnan(mean).any()


def test_history_shows_empty_buckets_as_gaps() -> None:
    store = TelemetryStore(bucket_s=10.0)  # the default is 60 s; the rule is the same
    store.ingest([reading(0, 1.0)], at(0))
    store.ingest([reading(35, 2.0)], at(35))
    t, _mn, _, mean = store.history(LEL, at(0), at(40))
    assert len(t) == 4
    assert mean[0] == 1.0 and np.isnan(mean[1:3]).all() and mean[3] == 2.0
    empty = store.history(ChannelKey("S1", "A1", "D1", "XX"), at(0), at(40))
    assert all(len(a) == 0 for a in empty)
    assert all(len(a) == 0 for a in store.history(LEL, at(100), at(50)))


def test_a_silence_longer_than_the_history_leaves_only_new_buckets() -> None:
    store = TelemetryStore(bucket_s=10.0)  # the default is 60 s; the rule is the same
    store.ingest([reading(0, 7.0)], at(0))
    store.ingest([reading(20, 8.0)], at(20))
    later = 3 * 86400
    store.ingest([reading(later, 9.0)], at(later))
    store.ingest([reading(later + 10, 10.0)], at(later + 10))
    t, _, _, mean = store.history(LEL, at(0), at(later + 10))
    assert t.tolist() == [at(later).timestamp(), at(later + 10).timestamp()]
    assert mean.tolist() == [9.0, 10.0]


# ----------------------------------------------------------------------------- threads
def test_gui_thread_reads_while_the_ingest_thread_writes() -> None:
    store = TelemetryStore(initial_capacity=8)
    errors: list[str] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            t, v = store.recent(LEL, 3600)
            if len(t) != len(v) or (len(t) > 1 and not (np.diff(t) > 0).all()):
                errors.append("out of order")
            store.history(LEL, at(0), at(4000))
            store.channels()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for s in range(4000):
            store.ingest([reading(s, float(s))], at(s))
            if s % 500 == 0:
                store.tick(at(s))
    finally:
        done.set()
        thread.join()
    assert errors == []
    assert store.channel(LEL).value == 3999.0  # type: ignore[union-attr]


def test_traces_give_what_channel_and_recent_give_one_by_one() -> None:
    store = TelemetryStore()
    for s in range(300):
        store.ingest([reading(s, float(s % 17), o2=20.9 - s / 1000)], at(s))
    unknown = ChannelKey("S1", "A1", "D9", "LEL")
    got = store.traces([LEL, O2, unknown], 120)
    assert set(got) == {LEL, O2}
    for key in (LEL, O2):
        snap, t, v = got[key]
        assert snap == store.channel(key)
        t1, v1 = store.recent(key, 120)
        assert t.tolist() == t1.tolist() and v.tolist() == v1.tolist() and len(t) == 121


def test_channels_at_the_same_rate_do_not_all_write_to_numpy_in_the_same_batch(monkeypatch) -> None:
    """A plant of 100 detectors sending together: their channels' staged samples go to numpy spread
    over many batches. All at once paused the ingest thread 130-270 ms every few seconds, and an
    alarm that arrived behind that batch waited (bench/alarm_latency)."""
    store = TelemetryStore()
    writes: list[int] = []
    write = TelemetryStore._write
    monkeypatch.setattr(TelemetryStore, "_write", lambda self, *a: writes.append(1) or write(self, *a))
    per_batch = []
    for i in range(600):
        batch = [reading(i * 0.1, float(d), device=f"D{d}", o2=20.9) for d in range(150)]
        writes.clear()
        store.ingest(batch, at(i * 0.1 + 0.05))
        per_batch.append(len(writes))
    channels = 300
    assert sum(per_batch) >= channels * 2  # every channel wrote its samples out, more than once
    assert max(per_batch) <= channels // 10
    # and nothing was lost on the way: every sample is in the ring
    t, v = store.recent(ChannelKey("S1", "A1", "D7", "LEL"), 3600, at(60))
    assert len(t) == 600 and set(v) == {7.0}
