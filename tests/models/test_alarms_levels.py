"""Gas limit alarms: delays, deadband, latching, O2 low side, bad data, stale and fault."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from models.alarms import AlarmEngine, AlarmState, AlarmTransition
from models.limits import LimitResolver
from models.records import ChannelKey, Priority, Quality

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
LEL = ChannelKey("S1", "A1", "D1", "LEL")
O2 = ChannelKey("S1", "A1", "D1", "O2")
GOOD = Quality.GOOD


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def engine() -> AlarmEngine:
    return AlarmEngine(LimitResolver("cn"), clock=lambda: T0)


def feed(engine: AlarmEngine, key: ChannelKey, samples: list[tuple[float, float]]) -> list[AlarmTransition]:
    """Feed (second, value) samples, one per call, collecting every transition."""
    out: list[AlarmTransition] = []
    for second, value in samples:
        out += engine.process(key, value, GOOD, at(second))
    return out


def test_normal_readings_raise_nothing(engine: AlarmEngine) -> None:
    assert feed(engine, LEL, [(s, 3.0) for s in range(10)]) == []
    assert engine.active() == [] and engine.get(f"{LEL}:LEVEL") is None


def test_hi_waits_for_its_on_delay(engine: AlarmEngine) -> None:
    assert feed(engine, LEL, [(0, 12.0), (1, 12.0)]) == []
    [t] = engine.process(LEL, 12.5, GOOD, at(2))
    assert (t.alarm_id, t.condition, t.priority) == ("S1/A1/D1/LEL:LEVEL", "HI", Priority.HIGH)
    assert (t.from_state, t.to_state) == (AlarmState.NORMAL, AlarmState.UNACK)
    assert (t.value, t.unit, t.limit, t.ts) == (12.5, "%LEL", 10, at(2))
    assert "LEL 12.5 %LEL HI" in t.message


def test_one_sample_spike_shorter_than_on_delay_never_alarms(engine: AlarmEngine) -> None:
    assert feed(engine, LEL, [(0, 3.0), (1, 15.0), (2, 3.0), (3, 3.0)]) == []
    assert engine.tick(at(30)) == []
    assert engine.active() == []


def test_hihi_alarms_at_its_first_sample(engine: AlarmEngine) -> None:
    # Decision: critical_on_delay_s = 0, so even a single HIHI sample starts the stop-work loop.
    [t] = engine.process(LEL, 31.0, GOOD, at(0))
    assert (t.condition, t.priority, t.to_state, t.limit) == ("HIHI", Priority.CRITICAL, AlarmState.UNACK, 25)
    assert feed(engine, LEL, [(1, 3.0)]) == []  # the return waits for the off-delay


def test_tick_finishes_an_on_delay_when_no_new_sample_comes(engine: AlarmEngine) -> None:
    assert engine.process(LEL, 12.0, GOOD, at(0)) == []
    assert engine.tick(at(1.9)) == []
    [t] = engine.tick(at(2.0))
    assert (t.condition, t.to_state, t.ts, t.value) == ("HI", AlarmState.UNACK, at(2.0), 12.0)


def test_off_delay_holds_the_alarm_then_returns(engine: AlarmEngine) -> None:
    feed(engine, LEL, [(0, 30.0)])
    assert feed(engine, LEL, [(10, 2.0), (11, 2.0), (14, 2.0)]) == []
    assert engine.tick(at(14.9)) == []
    [t] = engine.tick(at(15))
    assert (t.from_state, t.to_state, t.condition) == (AlarmState.UNACK, AlarmState.RTN_UNACK, "HIHI")
    assert "back to normal" in t.message


def test_a_rise_during_the_off_delay_cancels_the_return(engine: AlarmEngine) -> None:
    feed(engine, LEL, [(0, 12.0), (2, 12.0)])
    assert feed(engine, LEL, [(3, 2.0), (6, 12.0), (9, 2.0), (12, 2.0)]) == []
    assert engine.get(f"{LEL}:LEVEL").state is AlarmState.UNACK  # type: ignore[union-attr]
    assert [t.to_state for t in feed(engine, LEL, [(14, 2.0)])] == [AlarmState.RTN_UNACK]


def test_wobbling_inside_the_deadband_is_one_activation(engine: AlarmEngine) -> None:
    # HI 10 %LEL, deadband 0.5: once in alarm, 9.6 … 10.4 is still "in alarm".
    wobble = [(s, 10.4 if s % 2 else 9.6) for s in range(0, 120)]
    out = feed(engine, LEL, wobble)
    assert [(t.from_state, t.to_state) for t in out] == [(AlarmState.NORMAL, AlarmState.UNACK)]
    alarm = engine.get(f"{LEL}:LEVEL")
    assert alarm is not None and alarm.activations == 1 and alarm.active
    # Below the deadband (9.5) for the off-delay, it returns.
    assert [t.to_state for t in feed(engine, LEL, [(120, 9.4), (125, 9.4)])] == [AlarmState.RTN_UNACK]


def test_without_deadband_the_same_wobble_would_chatter() -> None:
    """The counter-check of the deadband test: the engine really uses the deadband."""
    engine = AlarmEngine(LimitResolver("cn", {"LEL": {"deadband": 0, "on_delay_s": 0, "off_delay_s": 0}}))
    feed(engine, LEL, [(s, 10.4 if s % 2 else 9.6) for s in range(0, 20)])
    alarm = engine.get(f"{LEL}:LEVEL")
    assert alarm is not None and alarm.activations == 10


def test_hi_then_hihi_is_one_alarm_that_latches_hihi_until_ack(engine: AlarmEngine) -> None:
    out = feed(engine, LEL, [(0, 12.0), (2, 12.0), (3, 30.0)])
    assert [(t.condition, t.priority, t.from_state, t.to_state) for t in out] == [
        ("HI", Priority.HIGH, AlarmState.NORMAL, AlarmState.UNACK),
        ("HIHI", Priority.CRITICAL, AlarmState.UNACK, AlarmState.UNACK),
    ]
    # The value falls back to the HI band: unacknowledged, the alarm keeps showing HIHI.
    assert feed(engine, LEL, [(s, 15.0) for s in range(4, 30)]) == []
    alarm = engine.get(f"{LEL}:LEVEL")
    assert alarm is not None
    assert (alarm.condition, alarm.priority, alarm.value, alarm.limit) == (
        "HIHI",
        Priority.CRITICAL,
        15.0,
        25,
    )
    assert alarm.activations == 2
    assert len(engine.active()) == 1
    # Acknowledging: the HIHI is acknowledged, then the alarm shows its live HI.
    ack, drop = engine.acknowledge(alarm.alarm_id, "op.li", ts=at(31))
    assert (ack.condition, ack.from_state, ack.to_state, ack.who) == ("HIHI", "unack", "acked", "op.li")
    assert (drop.condition, drop.priority, drop.to_state) == ("HI", Priority.HIGH, AlarmState.ACKED)


def test_escalation_while_acked_re_alarms(engine: AlarmEngine) -> None:
    feed(engine, LEL, [(0, 12.0), (2, 12.0)])
    engine.acknowledge(f"{LEL}:LEVEL", "op.li", ts=at(3))
    [t] = feed(engine, LEL, [(4, 26.0)])
    assert (t.condition, t.from_state, t.to_state) == ("HIHI", AlarmState.ACKED, AlarmState.UNACK)
    # A fall back to HI while acknowledged is shown (ACKED, priority 2) after the off-delay.
    engine.acknowledge(f"{LEL}:LEVEL", "op.li", ts=at(5))
    out = feed(engine, LEL, [(6, 15.0), (11, 15.0)])
    assert [(t.condition, t.from_state, t.to_state) for t in out] == [("HI", "acked", "acked")]


def test_hihi_leaves_by_its_own_deadband(engine: AlarmEngine) -> None:
    feed(engine, LEL, [(0, 30.0)])
    engine.acknowledge(f"{LEL}:LEVEL", "op.li", ts=at(1))
    assert feed(engine, LEL, [(s, 24.6) for s in range(2, 20)]) == []  # inside HIHI's 0.5 deadband
    assert [t.condition for t in feed(engine, LEL, [(20, 24.4), (25, 24.4)])] == ["HI"]


def test_o2_lo_and_lolo(engine: AlarmEngine) -> None:
    assert feed(engine, O2, [(s, 20.9) for s in range(5)]) == []
    out = feed(engine, O2, [(10, 19.5), (12, 19.4)])  # reaching the LO limit counts
    assert [(t.condition, t.priority, t.limit) for t in out] == [("LO", Priority.HIGH, 19.5)]
    [t] = feed(engine, O2, [(13, 17.9)])
    assert (t.condition, t.priority, t.limit, t.unit) == ("LOLO", Priority.CRITICAL, 18.0, "%VOL")
    # 18.1 is inside LOLO's deadband (0.2): still LOLO; 19.6 is still LO; 19.8 is normal.
    engine.acknowledge(f"{O2}:LEVEL", "op.li", ts=at(14))
    assert feed(engine, O2, [(s, 18.1) for s in range(15, 25)]) == []
    assert [t.condition for t in feed(engine, O2, [(25, 19.6), (30, 19.6)])] == ["LO"]
    assert [t.to_state for t in feed(engine, O2, [(31, 19.8), (36, 19.8)])] == [AlarmState.NORMAL]


def test_o2_enrichment_is_a_hi_alarm(engine: AlarmEngine) -> None:
    out = feed(engine, O2, [(0, 23.5), (2, 23.6)])
    assert [(t.condition, t.priority) for t in out] == [("HI", Priority.HIGH)]


def test_bad_quality_is_not_judged(engine: AlarmEngine) -> None:
    for s in range(10):
        assert engine.process(LEL, 80.0, Quality.BAD, at(s)) == []
    assert engine.active() == []
    # UNCERTAIN is still a reading: judged.
    assert [t.condition for t in engine.process(LEL, 30.0, Quality.UNCERTAIN, at(11))] == ["HIHI"]


def test_bad_data_never_returns_an_alarm_to_normal(engine: AlarmEngine) -> None:
    feed(engine, LEL, [(0, 30.0)])
    assert engine.process(LEL, 1.0, GOOD, at(1)) == []  # off-delay starts
    engine.process(LEL, 0.0, Quality.BAD, at(2))  # ... and is cancelled
    assert engine.tick(at(60)) == []
    engine.process(LEL, math.nan, GOOD, at(61))
    assert engine.get(f"{LEL}:LEVEL").state is AlarmState.UNACK  # type: ignore[union-attr]


def test_stale_cancels_a_pending_return_to_normal(engine: AlarmEngine) -> None:
    feed(engine, LEL, [(0, 30.0), (1, 1.0)])
    engine.set_stale(LEL, True, "no reading for 30 s", at(2))
    assert [t for t in engine.tick(at(60)) if t.alarm_id.endswith(":LEVEL")] == []


def test_channel_without_limits_is_ignored(engine: AlarmEngine) -> None:
    temp = ChannelKey("S1", "A1", "D1", "TEMP")
    assert feed(engine, temp, [(0, 1e6), (5, -1e6), (10, math.nan)]) == []
    assert engine.active() == []


def test_stale_safety_channel_is_priority_3_and_returns(engine: AlarmEngine) -> None:
    [t] = engine.set_stale(LEL, True, "no reading for 30 s", at(0))
    assert (t.alarm_id, t.condition, t.priority, t.to_state) == (
        "S1/A1/D1/LEL:STALE",
        "STALE",
        Priority.MEDIUM,
        AlarmState.UNACK,
    )
    assert "no reading for 30 s" in t.message
    assert engine.set_stale(LEL, True, "still nothing", at(5)) == []  # already stale: no new row
    [back] = engine.set_stale(LEL, False, "reading again", at(10))
    assert back.to_state is AlarmState.RTN_UNACK


def test_stale_non_safety_channel_is_not_an_alarm(engine: AlarmEngine) -> None:
    wind = ChannelKey("S1", "A1", "D1", "WIND")
    assert engine.set_stale(wind, True, "offline", at(0)) == []
    assert engine.active() == []


def test_detector_fault_is_priority_3(engine: AlarmEngine) -> None:
    [t] = engine.device_fault("S1", "A1", "D1", True, at(0), detail="sensor open circuit")
    assert (t.alarm_id, t.condition, t.priority, t.source) == (
        "S1/A1/D1:FAULT",
        "FAULT",
        Priority.MEDIUM,
        "S1/A1/D1",
    )
    assert "sensor open circuit" in t.message
    [clear] = engine.device_fault("S1", "A1", "D1", False, at(9))
    assert clear.to_state is AlarmState.RTN_UNACK
    assert engine.device_fault("S1", "A1", "D2", False, at(9)) == []  # never faulted: nothing to clear
