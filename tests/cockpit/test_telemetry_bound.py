"""The trend history's memory bound (issue 20): a channel's buffers grow to what its rate needs and never
past their caps, the oldest samples leave, the 24 h tier keeps min and max right at its bucket edges,
the formula is what the arrays hold, and a channel beyond the store's bound is counted and said."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from cockpit.telemetry import TelemetryStore
from cockpit.telemetry_buffers import BUCKET_S, NATIVE_CAPACITY, Ring, bound_bytes
from cockpit.telemetry_keep import TrendKeeper, trends_path, write_kept
from models.records import ChannelKey, Reading, SensorMessage

T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
LEL = ChannelKey("S1", "A1", "GD-1", "LEL")


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def message(t: float, value: float, device: str = "GD-1", ch: str = "LEL") -> SensorMessage:
    return SensorMessage("S1", "A1", device, at(t), (Reading(ch, value, "%LEL"),), None, 30.0)


def feed(store: TelemetryStore, times: np.ndarray, values: np.ndarray, batch: int = 500) -> None:
    """Readings of GD-1/LEL, ingested ``batch`` at a time (as the ingest consumer hands them on)."""
    for i in range(0, len(times), batch):
        part = [
            message(float(t), float(v))
            for t, v in zip(times[i : i + batch], values[i : i + batch], strict=True)
        ]
        store.ingest(part, at(float(times[min(i + batch, len(times)) - 1])))


def write(ring: Ring, t: np.ndarray) -> None:
    ring.extend(t, t.copy(), np.zeros(len(t), dtype=np.int8), 7200.0, NATIVE_CAPACITY)


# ----------------------------------------------------------------------------- the native ring
@pytest.mark.parametrize(("rate_hz", "capacity"), [(0.1, 1024), (0.5, 4096), (1.0, 8192), (10.0, 8192)])
def test_a_ring_grows_to_what_its_rate_needs_for_2_h_and_no_further(rate_hz: float, capacity: int) -> None:
    """0.1 Hz: 720 samples in 2 h, a ring of 1,024; 1 Hz and faster: the cap, 8,192 (a 10 Hz channel
    keeps its newest 13.6 min, the 24 h tier the rest)."""
    ring = Ring(16)
    t = np.arange(0, 3 * 3600, 1 / rate_hz)
    for part in np.array_split(t, 40):
        write(ring, part)
    assert len(ring.t) == capacity and ring.nbytes == capacity * 13
    kept = min(len(t), capacity)
    out_t, out_v, _ = ring.ordered(0)
    assert out_t.tolist() == t[-kept:].tolist()  # the oldest left, the newest in order
    np.testing.assert_allclose(out_v, t[-kept:], rtol=1e-7)  # float32, read back to 7 digits


def test_old_samples_leave_the_store_at_the_cap_and_the_trend_reads_the_newest() -> None:
    store = TelemetryStore()
    t = np.arange(0, 1800, 0.1)  # 30 min at 10 Hz: 18,000 readings
    feed(store, t, t % 7)
    times, values = store.recent(LEL, 7200, at(1800))
    assert len(times) == NATIVE_CAPACITY
    assert times[0] == pytest.approx(at(t[-NATIVE_CAPACITY]).timestamp())
    assert times[-1] == pytest.approx(at(t[-1]).timestamp()) and (np.diff(times) > 0).all()
    np.testing.assert_allclose(values, t[-NATIVE_CAPACITY:] % 7, rtol=1e-6)
    _, _, mx, _ = store.history(LEL, at(0), at(1800))
    assert len(mx) == 30 and mx.max() == pytest.approx(6.9, rel=1e-6)  # the rest in the 60 s tier


def test_gas_readings_are_kept_as_float32_and_a_large_value_widens_the_channel() -> None:
    store = TelemetryStore()
    store.ingest([message(0, 20.9), message(1, 4.5)], at(1))
    assert store.recent(LEL, 60, at(1))[1].tolist() == [20.9, 4.5]  # as sent: 20.9, not 20.8999996
    ring = store._channels[LEL].ring
    assert ring.v.dtype == np.float32 and float(ring.v[0]) != 20.9  # 4 bytes, not 8
    store.ingest([message(2, 123_456.7)], at(2))  # a totaliser's reading: float32 would step by 1/128
    store.recent(LEL, 60, at(2))
    assert ring.v.dtype == np.float64
    assert store.recent(LEL, 60, at(2))[1].tolist() == [20.9, 4.5, 123_456.7]


# ----------------------------------------------------------------------------- the 24 h tier
def test_min_and_max_stay_right_across_the_60_s_bucket_edges() -> None:
    store = TelemetryStore()
    assert BUCKET_S == 60.0
    times = np.array([0.0, 30.0, 59.9, 60.0, 90.0, 119.99, 120.0, 179.0, 181.0])
    values = np.array([2.0, 3.0, 9.0, 1.0, 4.0, 7.0, 0.5, 5.0, 6.0])
    for batch in (1, 2, 4, 9):  # every way a batch can straddle an edge
        store = TelemetryStore()
        feed(store, times, values, batch=batch)
        t, mn, mx, mean = store.history(LEL, at(0), at(181))
        assert t.tolist() == [at(s).timestamp() for s in (0, 60, 120, 180)]
        assert mn.tolist() == [2.0, 1.0, 0.5, 6.0] and mx.tolist() == [9.0, 7.0, 5.0, 6.0]
        assert mean == pytest.approx([14 / 3, 4.0, 2.75, 6.0])


def test_24_h_of_60_s_buckets_are_kept_and_the_oldest_leave_after() -> None:
    store = TelemetryStore()
    t = np.arange(0, 25 * 3600, 20.0)  # 25 h, a reading every 20 s
    feed(store, t, (t // 60) % 100)
    times, _, mx, _ = store.history(LEL, at(0), at(25 * 3600))
    # 1,441 written buckets and the open one (kept in Python floats until the next begins)
    assert len(times) == 1442 and times[0] == at(25 * 3600 - 1442 * 60).timestamp()
    assert not np.isnan(mx).any() and mx[-1] == (25 * 60 - 1) % 100
    assert store._channels[LEL].buckets.nbytes == 1441 * 16  # the tier's whole memory


# ----------------------------------------------------------------------------- the formula and the bound
def test_the_formula_is_what_full_channels_hold_and_stays_so() -> None:
    store = TelemetryStore()
    keys = [ChannelKey("S1", "A1", f"GD-{d}", "LEL") for d in range(3)]
    for second in range(0, 25 * 3600, 3600):  # 25 h at 1 Hz, an hour a batch per channel
        for d in range(3):
            batch = [message(second + s, 1.0 + s % 5, device=f"GD-{d}") for s in range(3600)]
            store.ingest(batch, at(second + 3600))
        held = sum(store._channels[k].ring.nbytes + store._channels[k].buckets.nbytes for k in keys)
        if second == 0:
            first = held
    assert held == bound_bytes(3) == 3 * (8192 * 13 + 1441 * 16)
    assert first < held  # grown to it, not allocated at once


def test_a_channel_beyond_the_bound_keeps_value_and_stale_but_no_trend_and_is_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = TelemetryStore(max_channels=2)
    with caplog.at_level(logging.WARNING, logger="cockpit.telemetry"):
        for d in range(4):
            store.ingest(
                [message(0, 10.0 + d, device=f"GD-{d}"), message(1, 20.0 + d, device=f"GD-{d}")], at(1)
            )
    assert store.without_history == 2
    lines = [r.getMessage() for r in caplog.records if r.name == "cockpit.telemetry"]
    assert len(lines) == 1 and "S1/A1/GD-2/LEL" in lines[0] and "channel 3" in lines[0]
    over = ChannelKey("S1", "A1", "GD-3", "LEL")
    snap = store.channel(over)
    assert snap is not None and snap.value == 23.0 and not snap.stale  # alarms judge it as ever
    assert len(store.recent(over, 60, at(1))[0]) == 0 and len(store.history(over, at(0), at(1))[0]) == 0
    assert store.tick(at(40))  # and it goes STALE
    assert store.channel(over).stale  # type: ignore[union-attr]
    assert len(store.recent(ChannelKey("S1", "A1", "GD-1", "LEL"), 60, at(1))[0]) == 2


def test_a_file_of_10_s_buckets_from_before_is_merged_into_60_s_ones(tmp_path: Path) -> None:
    old = TelemetryStore(bucket_s=10.0)  # the tier before issue 20
    t = np.arange(0, 3 * 3600, 1.0)
    values = (t % 97) / 3 + (t == 5000) * 50  # a ramp with a one-sample spike
    feed(old, t, values)
    end = at(3 * 3600)
    write_kept(trends_path(tmp_path, "ops-1"), old.kept(7200, 7200), console="ops-1", bucket_s=10.0,
               now_s=end.timestamp())  # fmt: skip
    now = TelemetryStore()
    fresh = TelemetryStore()
    feed(fresh, t, values)
    assert TrendKeeper(now, tmp_path, "ops-1", clock=lambda: end).load() == 1
    merged, direct = now.history(LEL, at(0), end), fresh.history(LEL, at(0), end)
    np.testing.assert_array_equal(merged[0], direct[0])
    for a, b in zip(merged[1:], direct[1:], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5)  # 10 s buckets of 10 readings each: equal weights
    assert np.nanmax(merged[2]) == pytest.approx(50 + (5000 % 97) / 3, rel=1e-6)
    np.testing.assert_array_equal(now.recent(LEL, 3600, end)[0], fresh.recent(LEL, 3600, end)[0])
