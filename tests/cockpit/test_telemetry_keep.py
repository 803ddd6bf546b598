"""Trends that survive a restart: the store's history in a file, loaded by the next store, handed to the
window's mirror with the first export; old, corrupt and foreign files change nothing."""

from __future__ import annotations

import logging
import pickle
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from cockpit.telemetry import TelemetryStore
from cockpit.telemetry_keep import TrendKeeper, trends_path
from models.records import ChannelKey, Quality, Reading, SensorMessage
from tests.support.broker import wait_until

T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
LEL = ChannelKey("S1", "A1", "GD-1", "LEL")
O2 = ChannelKey("S1", "A1", "GD-1", "O2")


def _fill(store: TelemetryStore, start: datetime, seconds: int, every: float = 1.0) -> datetime:
    """A detector reporting LEL (a ramp with a spike) and O2 every ``every`` s for ``seconds``."""
    n = int(seconds / every)
    batch = []
    for i in range(n):
        t = start + timedelta(seconds=i * every)
        lel = 50.0 if i == n // 3 else float(i % 20) / 2
        readings = (Reading("LEL", lel, "%LEL", Quality.GOOD), Reading("O2", 20.5, "%VOL", Quality.GOOD))
        batch.append(SensorMessage("S1", "A1", "GD-1", t, readings, i + 1, 5.0))
        if len(batch) == 500:
            store.ingest(batch, t)
            batch = []
    end = start + timedelta(seconds=n * every)
    store.ingest(batch, end)
    return end


def _keeper(store: TelemetryStore, folder: Path, now: datetime, console: str = "ops-1") -> TrendKeeper:
    return TrendKeeper(store, folder, console, clock=lambda: now)


def _same_history(a: TelemetryStore, b: TelemetryStore, key: ChannelKey, t0: datetime, t1: datetime) -> None:
    ha, hb = a.history(key, t0, t1), b.history(key, t0, t1)
    np.testing.assert_array_equal(ha[0], hb[0])  # the same buckets
    for x, y in zip(ha[1:], hb[1:], strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-6)  # float32 on disk, as in the tier


def test_a_new_store_loads_the_history_the_last_one_kept(tmp_path: Path) -> None:
    source = TelemetryStore()
    end = _fill(source, T0, 3 * 3600)  # 3 h at 1 Hz: 24 h tier and a full native ring
    assert _keeper(source, tmp_path, end).save()
    assert trends_path(tmp_path, "ops-1").exists()

    later = end + timedelta(minutes=2)  # the console comes back two minutes later
    restored = TelemetryStore()
    assert _keeper(restored, tmp_path, later).load() == 2
    for key in (LEL, O2):
        _same_history(source, restored, key, T0, end)
    spike = restored.history(LEL, T0, end)[2]
    assert np.nanmax(spike) == 50.0  # the one-sample spike survives as its bucket's max
    t_src, v_src = source.recent(LEL, 7000, end)
    t_new, v_new = restored.recent(LEL, 7000, end)
    np.testing.assert_array_equal(t_src, t_new)  # the last 2 h at full rate (of which 2 min have passed)
    np.testing.assert_allclose(v_src, v_new, rtol=1e-6)
    assert len(t_new) == 7000


def test_a_seeded_channel_has_no_value_says_nothing_and_its_first_reading_opens_a_gap(tmp_path: Path) -> None:
    source = TelemetryStore()
    end = _fill(source, T0, 600)
    _keeper(source, tmp_path, end).save()
    restored = TelemetryStore()
    now = end + timedelta(minutes=5)
    _keeper(restored, tmp_path, now).load()
    assert restored.channels() == [] and restored.channel(LEL) is None  # no value from before the restart
    assert restored.devices() == [] and restored.unregistered() == set()
    assert restored.tick(now) == []  # already STALE (no data): no alarm input at start
    later = now + timedelta(seconds=1)
    update = restored.ingest(
        [SensorMessage("S1", "A1", "GD-1", later, (Reading("LEL", 3.0, "%LEL"),), 1, 5.0)], later
    )
    assert LEL in update.changed
    snap = restored.channel(LEL)
    assert snap is not None and snap.value == 3.0 and not snap.stale
    t, v = restored.recent(LEL, 3600, later)
    assert v[-1] == 3.0 and np.isnan(v[-2])  # the line breaks across the restart
    assert t[-3] == pytest.approx((end - timedelta(seconds=1)).timestamp())  # the kept samples before it
    old = SensorMessage(
        "S1", "A1", "GD-1", end - timedelta(seconds=30), (Reading("O2", 9.0, "%VOL"),), 2, 5.0
    )
    assert restored.ingest([old], later).late == 1  # older than what was kept: late, as ever


def test_history_older_than_the_tiers_keep_is_dropped(tmp_path: Path) -> None:
    source = TelemetryStore()
    end = _fill(source, T0, 3600)
    _keeper(source, tmp_path, end).save()

    three_hours = TelemetryStore()
    _keeper(three_hours, tmp_path, end + timedelta(hours=3)).load()
    assert len(three_hours.recent(LEL, 86_400, end)[0]) == 0  # native samples past 2 h: gone
    _same_history(source, three_hours, LEL, T0, end)  # the 10 s tier: kept

    day_later = TelemetryStore()
    assert _keeper(day_later, tmp_path, end + timedelta(hours=25)).load() == 0
    assert len(day_later.history(LEL, T0, end)[0]) == 0


def test_the_first_export_carries_the_kept_history_to_the_mirror(tmp_path: Path) -> None:
    source = TelemetryStore()
    end = _fill(source, T0, 3 * 3600)
    _keeper(source, tmp_path, end).save()
    core_store = TelemetryStore()
    core_store.enable_export()  # as in the field process: before the core starts
    _keeper(core_store, tmp_path, end + timedelta(seconds=30)).load()
    mirror = TelemetryStore()
    mirror.absorb(pickle.loads(pickle.dumps(core_store.take_export([]))))  # the first update, no reading yet
    _same_history(source, mirror, LEL, T0, end)
    np.testing.assert_array_equal(source.recent(LEL, 3600, end)[0], mirror.recent(LEL, 3600, end)[0])
    assert core_store.take_export([]).seeds == ()  # once

    now = end + timedelta(seconds=31)
    reading = SensorMessage("S1", "A1", "GD-1", now, (Reading("LEL", 7.0, "%LEL"),), 1, 5.0)
    update = core_store.ingest([reading], now)
    mirror.absorb(core_store.take_export(update.changed))
    for a, b in zip(core_store.recent(LEL, 7200, now), mirror.recent(LEL, 7200, now), strict=True):
        np.testing.assert_array_equal(a, b)  # kept samples, the gap, the new reading: as the core has them
    assert mirror.channel(LEL) == core_store.channel(LEL)


@pytest.mark.parametrize(
    "content",
    [b"", b"not a zip at all", b"PK\x03\x04" + b"\x00" * 40],
    ids=["empty", "garbage", "truncated-zip"],
)
def test_a_corrupt_file_is_one_log_line_and_the_trends_start_empty(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes
) -> None:
    trends_path(tmp_path, "ops-1").write_bytes(content)
    store = TelemetryStore()
    with caplog.at_level(logging.WARNING, logger="cockpit.telemetry_keep"):
        assert _keeper(store, tmp_path, T0).load() == 0
    lines = [r for r in caplog.records if r.name == "cockpit.telemetry_keep"]
    assert len(lines) == 1 and "ignored" in lines[0].getMessage()
    assert store.channels() == [] and len(store.history(LEL, T0 - timedelta(days=1), T0)[0]) == 0


def test_a_truncated_save_and_another_consoles_file_are_ignored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = TelemetryStore()
    end = _fill(source, T0, 600)
    _keeper(source, tmp_path, end, console="ops-2").save()
    theirs = trends_path(tmp_path, "ops-2")
    ours = trends_path(tmp_path, "ops-1")
    ours.write_bytes(theirs.read_bytes())  # another console's file under our name
    with caplog.at_level(logging.WARNING, logger="cockpit.telemetry_keep"):
        assert _keeper(TelemetryStore(), tmp_path, end).load() == 0
    assert "ops-2" in caplog.text
    data = theirs.read_bytes()
    theirs.write_bytes(data[: len(data) // 2])  # cut in half (a disk that filled, a copy cut short)
    assert _keeper(TelemetryStore(), tmp_path, end, console="ops-2").load() == 0


def test_two_consoles_in_one_data_folder_keep_their_own(tmp_path: Path) -> None:
    a, b = TelemetryStore(), TelemetryStore()
    end = _fill(a, T0, 600)
    _keeper(a, tmp_path, end, console="ops-1").save()
    _keeper(b, tmp_path, end, console="ops-2").save()  # an empty store: its own, empty file
    again = TelemetryStore()
    assert _keeper(again, tmp_path, end, console="ops-1").load() == 2
    assert _keeper(TelemetryStore(), tmp_path, end, console="ops-2").load() == 0


def test_a_folder_that_cannot_be_written_is_one_warning_and_the_store_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    store = TelemetryStore()
    end = _fill(store, T0, 60)
    keeper = _keeper(store, blocked, end)
    with caplog.at_level(logging.WARNING, logger="cockpit.telemetry_keep"):
        assert keeper.save() is False
        assert keeper.save() is False
    assert len([r for r in caplog.records if r.name == "cockpit.telemetry_keep"]) == 1  # said once
    assert store.channel(LEL) is not None


def test_the_keeper_saves_on_its_own_and_at_stop(tmp_path: Path) -> None:
    store = TelemetryStore()
    end = _fill(store, T0, 60)
    keeper = TrendKeeper(store, tmp_path, "ops-1", clock=lambda: end, every_s=0.05)
    keeper.start()
    try:
        assert wait_until(lambda: trends_path(tmp_path, "ops-1").exists(), 5)
    finally:
        keeper.stop()
    assert keeper.saved == 2
