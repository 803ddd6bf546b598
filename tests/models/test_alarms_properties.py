"""Whatever happens, the transitions tell the truth: replaying them gives the engine's own state.

The journal and the other consoles know an alarm only through its transitions, so the last
transition of each alarm must always match what the engine shows.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from models.alarms import AlarmEngine, AlarmState, AlarmTransition
from models.limits import LimitResolver
from models.records import ChannelKey, Priority, Quality

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
KEY = ChannelKey("S1", "A1", "D1", "LEL")
AID = f"{KEY}:LEVEL"
VALUES = [0.0, 9.6, 12.0, 24.6, 30.0, math.nan]

reading = st.tuples(st.just("reading"), st.sampled_from(VALUES), st.booleans(), st.integers(0, 6))
step = st.one_of(
    reading,
    reading,
    reading,
    reading,
    st.tuples(st.just("ack"), st.none(), st.none(), st.integers(0, 2)),
    st.tuples(st.just("shelve"), st.none(), st.none(), st.integers(0, 2)),
    st.tuples(st.just("unshelve"), st.none(), st.none(), st.integers(0, 2)),
    st.tuples(st.just("oos"), st.none(), st.booleans(), st.integers(0, 2)),
    st.tuples(st.just("stale"), st.none(), st.booleans(), st.integers(0, 2)),
    st.tuples(st.just("tick"), st.none(), st.none(), st.integers(0, 90)),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(step, min_size=1, max_size=60))
# Known tricky paths, always run: HIHI falling to HI then acknowledged; escalation while shelved.
@example(
    [("reading", 30.0, True, 0), ("reading", 12.0, True, 1), ("tick", None, None, 6), ("ack", None, None, 1)]
)
@example(
    [
        ("reading", 12.0, True, 0),
        ("reading", 12.0, True, 2),
        ("shelve", None, None, 1),
        ("reading", 30.0, True, 1),
    ]
)
def test_last_transition_always_matches_the_engine(steps: list[tuple[str, object, object, int]]) -> None:
    engine = AlarmEngine(LimitResolver())
    now = T0
    last: dict[str, AlarmTransition] = {}
    for kind, value, flag, dt in steps:
        now += timedelta(seconds=dt)
        out = _do(engine, kind, value, flag, now)
        for t in out:
            assert t.ts == now
            if t.from_state is t.to_state and t.who == "" and t.to_state is not AlarmState.SHELVED:
                prev = last.get(t.alarm_id)
                assert prev is None or prev.condition != t.condition, "a transition that changes nothing"
            last[t.alarm_id] = t
        _check_engine(engine, last)


def _do(engine: AlarmEngine, kind: str, value: object, flag: object, now: datetime) -> list[AlarmTransition]:
    """One step of the property test; an action on an alarm the engine does not know yet is skipped."""
    known = engine.get(AID) is not None
    if kind == "reading":
        assert isinstance(value, float)
        return engine.process(KEY, value, Quality.GOOD if flag else Quality.BAD, now)
    if kind == "ack" and known:
        return engine.acknowledge(AID, "op", ts=now)
    if kind == "shelve" and known and engine.get(AID).state is not AlarmState.OUT_OF_SERVICE:  # type: ignore[union-attr]
        return engine.shelve(AID, "op", "property test", now + timedelta(seconds=60), ts=now)
    if kind == "unshelve" and known:
        return engine.unshelve(AID, "op", ts=now)
    if kind == "oos":
        return engine.set_out_of_service("S1/A1/D1", "tech", "maintenance", ts=now, in_service=bool(flag))
    if kind == "stale":
        return engine.set_stale(KEY, bool(flag), "test", now)
    if kind == "tick":
        return engine.tick(now)
    return []


def _check_engine(engine: AlarmEngine, last: dict[str, AlarmTransition]) -> None:
    """Every alarm is in its last transition's state; levels keep their priorities; the hidden not shown."""
    for alarm_id, t in last.items():
        alarm = engine.get(alarm_id)
        assert alarm is not None
        assert (t.to_state, t.condition, t.priority) == (alarm.state, alarm.condition, alarm.priority)
    # Levels keep their priorities: HIHI/LOLO critical, HI/LO high.
    level = engine.get(AID)
    if level is not None and level.condition:
        expected = Priority.CRITICAL if level.condition in ("HIHI", "LOLO") else Priority.HIGH
        assert level.priority is expected
    annunciated = {a.alarm_id for a in engine.annunciated()}
    for alarm in engine.active():
        hidden = alarm.state in (AlarmState.SHELVED, AlarmState.OUT_OF_SERVICE)
        assert (alarm.alarm_id in annunciated) is not hidden


_CHANNELS = [("LEL", "%LEL"), ("O2", "%VOL"), ("H2S", "ppm")]
_message = st.tuples(
    st.integers(0, 30),  # seconds since the previous message
    st.lists(
        st.tuples(
            st.sampled_from(_CHANNELS),
            st.sampled_from([0.0, 9.6, 12.0, 24.6, 30.0, 17.0, 19.4, 20.9, 24.0, 9.0, 60.0, math.nan]),
            st.sampled_from([Quality.GOOD, Quality.GOOD, Quality.UNCERTAIN, Quality.BAD]),
        ),
        min_size=1,
        max_size=4,
    ),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_message, min_size=1, max_size=40))
def test_a_whole_message_is_judged_as_its_readings_one_by_one(
    messages: list[tuple[int, list[tuple[tuple[str, str], float, Quality]]]],
) -> None:
    """The ingest path judges a detector's message in one call; it must give what reading-by-reading gives."""
    from models.records import Reading

    one_by_one, whole = AlarmEngine(LimitResolver()), AlarmEngine(LimitResolver())
    now = T0
    for dt, items in messages:
        now += timedelta(seconds=dt)
        readings = tuple(Reading(ch, value, unit, q) for (ch, unit), value, q in items)
        expected: list[AlarmTransition] = []
        for r in readings:
            expected += one_by_one.process(ChannelKey("S1", "A1", "D1", r.ch), r.value, r.quality, now)
        got = whole.process_message("S1", "A1", "D1", readings, now)
        strip = [(t.alarm_id, t.condition, t.from_state, t.to_state, t.value) for t in expected]
        assert [(t.alarm_id, t.condition, t.from_state, t.to_state, t.value) for t in got] == strip
        assert sorted((a.alarm_id, a.state) for a in whole.active()) == sorted(
            (a.alarm_id, a.state) for a in one_by_one.active()
        )
