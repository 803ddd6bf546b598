"""The tile's gas line names the limit it measures against (issue 18, seen on the 1920x1080 overview:
oxygen at 20.9 %VOL read "89 % of LO 23.5", its high limit named as its low one)."""

from __future__ import annotations

from datetime import UTC, datetime

from cockpit.telemetry_records import ChannelSnapshot
from models.limits import ChannelLimits
from models.records import ChannelKey, Quality
from views.view_model import worst_gas

KEY = ChannelKey("S1", "A1", "GD-1", "O2")


def snapshot(value: float) -> ChannelSnapshot:
    return ChannelSnapshot(
        KEY,
        value,
        "%VOL",
        Quality.GOOD,
        datetime(2026, 12, 6, tzinfo=UTC),
        30.0,
        False,
        None,
        None,
        False,
        None,
    )


def limits(_key: ChannelKey) -> ChannelLimits:
    return ChannelLimits("O2", "%VOL", 18.0, 19.5, 23.5, None, 0.2, 2.0, 2.0)


def test_oxygen_inside_its_band_is_shown_against_its_high_limit_by_that_name() -> None:
    gas = worst_gas([snapshot(20.9)], limits)
    assert (gas.limit, gas.limit_name, gas.priority) == (23.5, "HI", None)


def test_oxygen_below_its_low_limit_is_shown_against_it() -> None:
    gas = worst_gas([snapshot(19.0)], limits)
    assert (gas.limit, gas.limit_name, gas.priority) == (19.5, "LO", 2)
