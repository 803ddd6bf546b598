"""The heat map's hours equal the permits' active intervals overlapped with the day or week, in plant
time; its alarms are the annunciations in the window (tests/support/performance_plant.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cockpit.heat_map import HeatMapReads, window
from cockpit.work_intervals import active_intervals, overlap_seconds
from connectors.database import Database
from tests.support.fresh_db import open_fresh
from tests.support.performance_plant import NOW, at, build_performance_plant


@pytest.fixture
def plant(tmp_path: Path) -> Iterator[Database]:
    db = open_fresh(f"sqlite:///{tmp_path / 'heat.db'}")
    build_performance_plant(db)
    yield db
    db.dispose()


def reads(db: Database) -> HeatMapReads:
    return HeatMapReads(db, clock=lambda: NOW.astimezone(UTC))


def test_a_permit_across_midnight_counts_on_each_plant_day_its_share(plant: Database) -> None:
    first = reads(plant).figures("S1", date(2026, 9, 10))
    second = reads(plant).figures("S1", date(2026, 9, 11))
    assert (first.start, first.end) == (at(9, 10).astimezone(UTC), at(9, 11).astimezone(UTC))
    assert first.hours("A1") == pytest.approx(4.0)  # 20:00 to midnight in Shanghai, not in UTC
    assert second.hours("A1") == pytest.approx(2.0)
    assert first.areas["A1"].permits == 1
    assert first.alarms("A1") == 1  # the raise at 21:00; its acknowledgement is no alarm
    assert reads(plant).figures("S1", date(2026, 9, 9)).alarms("A1") == 1  # 23:59 the day before
    assert first.hours("A2") == 0.0 and "A3" not in first.areas


def test_a_permit_spanning_the_week_counts_its_hours_inside_the_week(plant: Database) -> None:
    week = reads(plant).figures("S1", date(2026, 10, 7), "week")  # a Wednesday: the week from Monday 10-05
    assert week.first_day == date(2026, 10, 5)
    assert (week.start, week.end) == (at(10, 5).astimezone(UTC), at(10, 12).astimezone(UTC))
    # P2: 10-05 06:00 to the stop 10-06 06:00 (24 h), resumed 10-07 06:00 to the week's end (114 h);
    # P6: 10-08 10:00-13:00 (3 h).
    assert week.hours("A2") == pytest.approx(24 + 114 + 3)
    assert week.areas["A2"].permits == 2
    nxt = reads(plant).figures("S1", date(2026, 10, 12), "week")
    assert nxt.hours("A2") == pytest.approx(48)  # to its validity's end, 10-14 00:00
    assert week.peak_hours == pytest.approx(141)


def test_the_intervals_follow_the_events_and_stop_at_the_validity() -> None:
    t = [datetime(2026, 1, 1, h, tzinfo=UTC) for h in range(24)]
    events = [(t[2], "started"), (t[4], "paused"), (t[5], "resumed"), (t[6], "gas_test"), (t[8], "closed")]
    assert active_intervals(events, t[3], t[20], t[23]) == ((t[3], t[4]), (t[5], t[8]))
    assert active_intervals([(t[2], "started")], t[1], t[10], t[6]) == ((t[2], t[6]),)  # open: until now
    assert active_intervals([(t[2], "approved")], t[1], t[10], t[23]) == ()  # never started: no work
    assert overlap_seconds(((t[2], t[6]),), t[4], t[12]) == 2 * 3600


def test_the_week_and_day_windows_are_plant_days() -> None:
    first, start, end = window(date(2026, 3, 29), "week", "Europe/Berlin")  # a Sunday; clocks go forward
    assert first == date(2026, 3, 23)
    assert (end - start).total_seconds() == (7 * 24 - 1) * 3600
