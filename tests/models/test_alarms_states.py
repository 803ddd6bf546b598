"""ISA-18.2 states, shelving, out of service, discrete events, flood and the alarm list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.alarms import EVENT_PRIORITY, AlarmEngine, AlarmState, AlarmTransition, Condition, FloodState
from models.errors import UserError
from models.limits import LimitResolver
from models.records import ChannelKey, Priority, Quality
from models.rules.alarm_texts import english, read_message

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
GOOD = Quality.GOOD
S = AlarmState


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def lel(device: str = "D1", area: str = "A1", site: str = "S1") -> ChannelKey:
    return ChannelKey(site, area, device, "LEL")


def level_id(key: ChannelKey) -> str:
    return f"{key}:LEVEL"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def engine(clock: Clock) -> AlarmEngine:
    return AlarmEngine(LimitResolver("cn"), clock=clock)


def hihi(engine: AlarmEngine, key: ChannelKey, second: float) -> list[AlarmTransition]:
    return engine.process(key, 30.0, GOOD, at(second))


def normal(engine: AlarmEngine, key: ChannelKey, second: float) -> list[AlarmTransition]:
    """A clean return: below the deadband for the whole off-delay."""
    return engine.process(key, 1.0, GOOD, at(second)) + engine.process(key, 1.0, GOOD, at(second + 5))


def state(engine: AlarmEngine, alarm_id: str) -> AlarmState:
    alarm = engine.get(alarm_id)
    assert alarm is not None
    return alarm.state


def test_every_edge_of_the_isa_18_2_state_diagram(engine: AlarmEngine, clock: Clock) -> None:
    seen: set[tuple[AlarmState, AlarmState]] = set()
    k = lel()
    aid = level_id(k)

    def run(transitions: list[AlarmTransition]) -> None:
        seen.update((t.from_state, t.to_state) for t in transitions)

    run(engine.process(k, 12.0, GOOD, at(-3)) + engine.process(k, 12.0, GOOD, at(-1)))  # NORMAL -> UNACK (HI)
    run(hihi(engine, k, 0))  # UNACK -> UNACK (HIHI)
    run(engine.acknowledge(aid, "op", ts=at(1)))  # UNACK -> ACKED
    run(normal(engine, k, 2))  # ACKED -> NORMAL
    run(hihi(engine, k, 10))
    run(normal(engine, k, 11))  # UNACK -> RTN_UNACK
    run(engine.acknowledge(aid, "op", ts=at(17)))  # RTN_UNACK -> NORMAL
    run(hihi(engine, k, 20))
    run(normal(engine, k, 21))
    run(hihi(engine, k, 27))  # RTN_UNACK -> UNACK (a new excursion)
    run(engine.acknowledge(aid, "op", ts=at(28)))
    run(engine.process(k, 12.0, GOOD, at(29)) + engine.process(k, 12.0, GOOD, at(34)))  # ACKED -> ACKED (HI)
    run(hihi(engine, k, 35))  # ACKED -> UNACK (escalation)
    run(engine.shelve(aid, "op", "sensor being replaced", at(3600), ts=at(36)))  # UNACK -> SHELVED
    run(engine.unshelve(aid, "op", ts=at(37)))  # SHELVED -> UNACK (still active)
    run(engine.shelve(aid, "op", "sensor being replaced", at(3600), ts=at(38)))
    run(normal(engine, k, 39))  # silent while shelved
    run(engine.unshelve(aid, "op", ts=at(50)))  # SHELVED -> NORMAL (cleared meanwhile)
    run(engine.set_out_of_service(aid, "tech.wu", "calibration", ts=at(51)))  # NORMAL -> OOS
    run(hihi(engine, k, 52))  # silent while out of service
    run(engine.set_out_of_service(aid, "tech.wu", "", ts=at(53), in_service=True))  # OOS -> UNACK
    run(engine.acknowledge(aid, "op", ts=at(54)))
    run(engine.set_out_of_service(aid, "tech.wu", "calibration", ts=at(55)))  # ACKED -> OOS
    run(normal(engine, k, 56))
    run(engine.set_out_of_service(aid, "tech.wu", "", ts=at(62), in_service=True))  # OOS -> NORMAL
    run(engine.set_out_of_service(aid, "tech.wu", "calibration", ts=at(63)))
    run(engine.set_out_of_service(aid, "tech.wu", "done", ts=at(64), in_service=True))
    assert seen >= {
        (S.NORMAL, S.UNACK),
        (S.UNACK, S.ACKED),
        (S.ACKED, S.NORMAL),
        (S.UNACK, S.RTN_UNACK),
        (S.RTN_UNACK, S.NORMAL),
        (S.RTN_UNACK, S.UNACK),
        (S.ACKED, S.ACKED),
        (S.ACKED, S.UNACK),
        (S.UNACK, S.UNACK),
        (S.UNACK, S.SHELVED),
        (S.SHELVED, S.UNACK),
        (S.SHELVED, S.NORMAL),
        (S.NORMAL, S.OUT_OF_SERVICE),
        (S.OUT_OF_SERVICE, S.UNACK),
        (S.ACKED, S.OUT_OF_SERVICE),
        (S.OUT_OF_SERVICE, S.NORMAL),
    }
    assert state(engine, aid) is S.NORMAL


def test_acknowledge_needs_a_name_and_a_known_alarm(engine: AlarmEngine) -> None:
    hihi(engine, lel(), 0)
    with pytest.raises(UserError, match="who acknowledges is required"):
        engine.acknowledge(level_id(lel()), "  ")
    with pytest.raises(UserError, match="no alarm 'S9/X:LEVEL'"):
        engine.acknowledge("S9/X:LEVEL", "op")


def test_acknowledging_twice_is_one_transition(engine: AlarmEngine) -> None:
    hihi(engine, lel(), 0)
    assert len(engine.acknowledge(level_id(lel()), "op.li", ts=at(1))) == 1
    assert engine.acknowledge(level_id(lel()), "op.wang", ts=at(2)) == []
    alarm = engine.get(level_id(lel()))
    assert alarm is not None and (alarm.acked_by, alarm.acked_at) == ("op.li", at(1))


def test_acknowledged_by_is_forgotten_on_a_new_activation(engine: AlarmEngine) -> None:
    hihi(engine, lel(), 0)
    engine.acknowledge(level_id(lel()), "op.li", ts=at(1))
    normal(engine, lel(), 2)
    hihi(engine, lel(), 10)
    alarm = engine.get(level_id(lel()))
    assert alarm is not None and alarm.acked_by is None and alarm.state is S.UNACK


def test_latched_severity_survives_the_return_to_normal(engine: AlarmEngine) -> None:
    k = lel()
    hihi(engine, k, 0)
    out = normal(engine, k, 1)
    assert [(t.condition, t.priority, t.to_state) for t in out] == [("HIHI", Priority.CRITICAL, S.RTN_UNACK)]
    # A new HI excursion before anyone acknowledged: the row still says HIHI.
    engine.process(k, 12.0, GOOD, at(10))
    [t] = engine.process(k, 12.0, GOOD, at(12))
    assert (t.condition, t.from_state, t.to_state) == ("HIHI", S.RTN_UNACK, S.UNACK)


# ---------------------------------------------------------------- shelving
@pytest.mark.parametrize(
    ("who", "reason", "until", "needle"),
    [
        ("op", "", at(3600), "a reason to shelve is required"),
        ("op", "   ", at(3600), "a reason to shelve is required"),
        ("", "nuisance", at(3600), "who shelves is required"),
        ("op", "nuisance", datetime(2026, 11, 23, 9, 0), "end time must be a date and time with a zone"),
        ("op", "nuisance", at(-1), "has already passed"),
        ("op", "nuisance", at(8 * 3600 + 1), "at most 8 h"),
    ],
)
def test_shelve_refuses_bad_input(
    engine: AlarmEngine, who: str, reason: str, until: datetime, needle: str
) -> None:
    hihi(engine, lel(), 0)
    with pytest.raises(UserError, match=needle):
        engine.shelve(level_id(lel()), who, reason, until, ts=at(0))
    assert state(engine, level_id(lel())) is S.UNACK


def test_shelve_up_to_shelve_max_is_accepted(engine: AlarmEngine) -> None:
    hihi(engine, lel(), 0)
    [t] = engine.shelve(level_id(lel()), "op.li", "detector drifting, ticket 4711", at(8 * 3600), ts=at(0))
    assert (t.to_state, t.who, t.note) == (S.SHELVED, "op.li", "detector drifting, ticket 4711")
    alarm = engine.get(level_id(lel()))
    assert alarm is not None
    assert (alarm.shelved_by, alarm.shelved_until, alarm.shelve_reason) == (
        "op.li",
        at(8 * 3600),
        "detector drifting, ticket 4711",
    )


def test_shelve_max_is_configurable() -> None:
    engine = AlarmEngine(LimitResolver(), shelve_max=timedelta(hours=1))
    hihi(engine, lel(), 0)
    with pytest.raises(UserError, match="at most 1 h"):
        engine.shelve(level_id(lel()), "op", "nuisance", at(3601), ts=at(0))


def test_shelve_expiry_while_active_comes_back_unacknowledged(engine: AlarmEngine) -> None:
    hihi(engine, lel(), 0)
    engine.acknowledge(level_id(lel()), "op", ts=at(1))
    engine.shelve(level_id(lel()), "op", "nuisance", at(600), ts=at(2))
    assert engine.tick(at(599)) == []
    [t] = engine.tick(at(600))
    assert (t.from_state, t.to_state, t.who, t.note) == (S.SHELVED, S.UNACK, "", "shelve expired")
    assert engine.get(level_id(lel())).shelved_by is None  # type: ignore[union-attr]


def test_shelve_expiry_after_it_cleared_goes_to_normal(engine: AlarmEngine) -> None:
    hihi(engine, lel(), 0)
    engine.shelve(level_id(lel()), "op", "nuisance", at(600), ts=at(1))
    assert normal(engine, lel(), 2) == []
    [t] = engine.tick(at(601))
    assert (t.from_state, t.to_state) == (S.SHELVED, S.NORMAL)
    assert engine.active() == []


def test_shelved_alarm_is_hidden_from_annunciation_but_listed(engine: AlarmEngine) -> None:
    hihi(engine, lel("D1"), 0)
    hihi(engine, lel("D2"), 0)
    engine.shelve(level_id(lel("D1")), "op", "nuisance", at(600), ts=at(1))
    assert [a.alarm_id for a in engine.annunciated()] == [level_id(lel("D2"))]
    assert {a.alarm_id: a.state for a in engine.active()} == {
        level_id(lel("D1")): S.SHELVED,
        level_id(lel("D2")): S.UNACK,
    }
    assert engine.counts_by_priority()[Priority.CRITICAL] == 1
    assert engine.unacked_count() == 1


def test_shelved_hi_that_rises_to_hihi_comes_back_at_once(engine: AlarmEngine) -> None:
    k = lel()
    engine.process(k, 12.0, GOOD, at(0))
    engine.process(k, 12.0, GOOD, at(2))
    engine.shelve(level_id(k), "op", "chattering HI", at(3600), ts=at(3))
    assert engine.process(k, 14.0, GOOD, at(4)) == []  # HI stays hidden
    [t] = hihi(engine, k, 5)
    assert (t.from_state, t.to_state, t.condition, t.priority) == (
        S.SHELVED,
        S.UNACK,
        "HIHI",
        Priority.CRITICAL,
    )
    assert "while shelved" in t.note
    assert engine.tick(at(3600)) == []  # that shelve is over


def test_shelving_again_moves_the_end_time(engine: AlarmEngine) -> None:
    hihi(engine, lel(), 0)
    engine.shelve(level_id(lel()), "op", "nuisance", at(600), ts=at(0))
    [t] = engine.shelve(level_id(lel()), "op", "still nuisance", at(1200), ts=at(500))
    assert (t.from_state, t.to_state) == (S.SHELVED, S.SHELVED)
    assert engine.tick(at(900)) == []
    assert [t.to_state for t in engine.tick(at(1200))] == [S.UNACK]


def test_unshelve_of_an_unshelved_alarm_does_nothing(engine: AlarmEngine) -> None:
    hihi(engine, lel(), 0)
    assert engine.unshelve(level_id(lel()), "op", ts=at(1)) == []


# ---------------------------------------------------------------- out of service
def test_out_of_service_by_device_covers_its_channels_and_later_alarms(engine: AlarmEngine) -> None:
    k = lel()
    hihi(engine, k, 0)
    out = engine.set_out_of_service("S1/A1/D1", "tech.wu", "bump test", ts=at(1))
    assert [(t.alarm_id, t.to_state, t.who, t.note) for t in out] == [
        (level_id(k), S.OUT_OF_SERVICE, "tech.wu", "bump test")
    ]
    # Alarms of that detector appearing later start out of service and stay silent.
    assert engine.set_stale(k, True, "offline", at(2)) == []
    assert engine.device_fault("S1", "A1", "D1", True, at(2)) == []
    assert engine.process(ChannelKey("S1", "A1", "D1", "H2S"), 20.0, GOOD, at(3)) == []
    # Another detector is not covered.
    assert len(hihi(engine, lel("D2"), 3)) == 1
    assert [a.alarm_id for a in engine.annunciated()] == [level_id(lel("D2"))]
    listed = {a.alarm_id: a.state for a in engine.active()}
    assert listed[level_id(k)] is S.OUT_OF_SERVICE
    assert listed["S1/A1/D1:FAULT"] is S.OUT_OF_SERVICE
    oos = engine.get(level_id(k))
    assert oos is not None and (oos.oos_by, oos.oos_reason) == ("tech.wu", "bump test")
    assert "S1/A1/D1" in engine.out_of_service_targets()
    # Back in service: what is still active comes back unacknowledged.
    back = engine.set_out_of_service("S1/A1/D1", "tech.wu", "", ts=at(10), in_service=True)
    assert {(t.alarm_id, t.to_state) for t in back} == {
        (level_id(k), S.UNACK),
        ("S1/A1/D1/LEL:STALE", S.UNACK),
        ("S1/A1/D1:FAULT", S.UNACK),
        ("S1/A1/D1/H2S:LEVEL", S.UNACK),
    }


def test_out_of_service_needs_a_reason(engine: AlarmEngine) -> None:
    with pytest.raises(UserError, match="a reason for out of service is required"):
        engine.set_out_of_service("S1/A1/D1", "tech.wu", "")


def test_out_of_service_alarm_cannot_be_shelved(engine: AlarmEngine) -> None:
    hihi(engine, lel(), 0)
    engine.set_out_of_service(level_id(lel()), "tech.wu", "calibration", ts=at(1))
    with pytest.raises(UserError, match="out of service"):
        engine.shelve(level_id(lel()), "op", "nuisance", at(100), ts=at(2))
    assert engine.acknowledge(level_id(lel()), "op", ts=at(2)) == []


# ---------------------------------------------------------------- discrete events
@pytest.mark.parametrize(
    ("condition", "priority"),
    [
        ("man_down", Priority.CRITICAL),
        ("fall", Priority.CRITICAL),
        ("sos", Priority.CRITICAL),
        ("no_motion", Priority.CRITICAL),
        ("gas_test_failed", Priority.HIGH),
        ("no_valid_permit", Priority.HIGH),
        ("stop_not_executed", Priority.HIGH),
        ("gas_retest_overdue", Priority.MEDIUM),
        ("checkin_overdue", Priority.MEDIUM),
        ("permit_expired", Priority.MEDIUM),
        ("permit_expiring", Priority.LOW),
        ("cert_expiring", Priority.LOW),
    ],
)
def test_discrete_event_priorities_follow_the_brief(
    engine: AlarmEngine, condition: str, priority: Priority
) -> None:
    [t] = engine.raise_event(
        source="S1/A1/worker/W-10023", condition=condition, site="S1", area="A1", message="m", ts=at(0)
    )
    assert (t.alarm_id, t.condition, t.priority, t.to_state) == (
        f"S1/A1/worker/W-10023:{condition.upper()}",
        condition.upper(),
        priority,
        S.UNACK,
    )


def test_every_brief_condition_has_a_default_priority() -> None:
    assert set(EVENT_PRIORITY) == set(Condition) - {"HIHI", "HI", "LO", "LOLO", "STALE", "FAULT"}


def test_man_down_stays_until_a_person_clears_it(engine: AlarmEngine) -> None:
    src = "S1/A1/worker/W-10023"
    engine.raise_event(
        source=src, condition="MAN_DOWN", site="S1", area="A1", message="W-10023 down", ts=at(0)
    )
    engine.acknowledge(f"{src}:MAN_DOWN", "op.li", ts=at(5))
    assert engine.tick(at(3600)) == []  # no automatic return
    with pytest.raises(UserError, match="cleared only by a person"):
        engine.clear_event(src, "MAN_DOWN", at(3600))
    [t] = engine.clear_event(src, "MAN_DOWN", at(3601), who="lead.wang", note="worker up, checked by medic")
    assert (t.from_state, t.to_state, t.who, t.note) == (
        S.ACKED,
        S.NORMAL,
        "lead.wang",
        "worker up, checked by medic",
    )


def test_repeated_event_is_one_alarm_and_system_clear_works(engine: AlarmEngine) -> None:
    kw = {"source": "S1/A1/permit/HW-7", "condition": "GAS_TEST_FAILED", "site": "S1", "area": "A1"}
    [t] = engine.raise_event(**kw, message="LEL 12 %LEL", ts=at(0), value=12.0, permit="HW-7")
    assert (t.permit, t.value, t.priority) == ("HW-7", 12.0, Priority.HIGH)
    assert engine.raise_event(**kw, message="LEL 12 %LEL", ts=at(1)) == []  # QoS 1 redelivery
    [clear] = engine.clear_event("S1/A1/permit/HW-7", "GAS_TEST_FAILED", at(60))  # a passing test
    assert (clear.to_state, clear.who) == (S.RTN_UNACK, "")
    assert engine.clear_event("S1/A1/permit/HW-7", "GAS_TEST_FAILED", at(61)) == []


def test_unknown_condition_needs_an_explicit_priority(engine: AlarmEngine) -> None:
    with pytest.raises(ValueError, match="GEOFENCE_BREACH"):
        engine.raise_event(
            source="w", condition="geofence_breach", site="S1", area="A1", message="m", ts=at(0)
        )
    [t] = engine.raise_event(
        source="w",
        condition="geofence_breach",
        priority=Priority.MEDIUM,
        site="S1",
        area="A1",
        message="m",
        ts=at(0),
    )
    assert t.priority is Priority.MEDIUM


# ---------------------------------------------------------------- flood and grouping
def test_flood_at_the_tenth_activation_in_ten_minutes(engine: AlarmEngine) -> None:
    for i in range(9):
        hihi(engine, lel(f"D{i}"), i * 60)
    assert engine.flood_state(at(9 * 60)) == FloodState(False, 9)
    hihi(engine, lel("D9"), 9 * 60 + 30)
    flood = engine.flood_state(at(9 * 60 + 30))
    assert flood.active and flood.count_in_window == 10
    # The first activation (t=0) leaves the window at exactly 10 minutes.
    assert engine.flood_state(at(600)) == FloodState(False, 9)


def test_flood_threshold_is_configurable() -> None:
    engine = AlarmEngine(LimitResolver(), flood_count=3, flood_window=timedelta(minutes=1))
    for i in range(3):
        hihi(engine, lel(f"D{i}"), i)
    assert engine.flood_state(at(3)).active


def test_a_chattering_source_is_one_row_with_its_count(engine: AlarmEngine) -> None:
    k = lel()
    for n in range(6):
        hihi(engine, k, n * 20)
        normal(engine, k, n * 20 + 1)
    rows = engine.active()
    assert len(rows) == 1
    row = rows[0]
    assert (row.activations, row.first_ts, row.last_ts, row.state) == (6, at(0), at(100), S.RTN_UNACK)
    assert engine.flood_state(at(101)).count_in_window == 6


# ---------------------------------------------------------------- queries
def test_active_is_sorted_by_priority_then_newest_first(engine: AlarmEngine) -> None:
    engine.raise_event(source="p1", condition="CERT_EXPIRING", site="S1", area="A1", message="m", ts=at(0))
    hihi(engine, lel("D1"), 1)
    engine.set_stale(lel("D2"), True, "offline", at(2))
    hihi(engine, lel("D3"), 3)
    engine.raise_event(source="w1", condition="MAN_DOWN", site="S1", area="A2", message="m", ts=at(2))
    order = [(a.priority, a.alarm_id) for a in engine.active()]
    assert order == [
        (Priority.CRITICAL, level_id(lel("D3"))),
        (Priority.CRITICAL, "w1:MAN_DOWN"),
        (Priority.CRITICAL, level_id(lel("D1"))),
        (Priority.MEDIUM, "S1/A1/D2/LEL:STALE"),
        (Priority.LOW, "p1:CERT_EXPIRING"),
    ]


def test_counts_and_area_queries(engine: AlarmEngine) -> None:
    hihi(engine, lel("D1", "A1"), 0)
    hihi(engine, lel("D2", "A2"), 0)
    engine.set_stale(lel("D3", "A2"), True, "offline", at(0))
    hihi(engine, lel("D4", "A1", site="S2"), 0)
    normal(engine, lel("D2", "A2"), 1)  # RTN_UNACK: still counted, still unacknowledged
    engine.acknowledge(level_id(lel("D1", "A1")), "op", ts=at(10))
    assert engine.counts_by_priority() == {
        Priority.CRITICAL: 3,
        Priority.HIGH: 0,
        Priority.MEDIUM: 1,
        Priority.LOW: 0,
    }
    assert engine.counts_by_priority(site="S1", area="A2") == {
        Priority.CRITICAL: 1,
        Priority.HIGH: 0,
        Priority.MEDIUM: 1,
        Priority.LOW: 0,
    }
    assert engine.counts_by_priority(site="S2")[Priority.CRITICAL] == 1
    assert engine.unacked_count() == 3
    assert [a.alarm_id for a in engine.area_alarms("S1", "A2")] == [
        level_id(lel("D2", "A2")),
        "S1/A2/D3/LEL:STALE",
    ]
    assert engine.area_alarms("S9", "A1") == []


def test_snapshot_carries_what_the_popup_shows(engine: AlarmEngine) -> None:
    hihi(engine, lel(), 0)
    alarm = engine.get(level_id(lel()))
    assert alarm is not None
    assert (alarm.site, alarm.area, alarm.source, alarm.kind) == ("S1", "A1", "S1/A1/D1/LEL", "level")
    assert (alarm.condition, alarm.value, alarm.unit, alarm.limit) == ("HIHI", 30.0, "%LEL", 25)
    assert english(alarm.message) == "LEL 30 %LEL HIHI (limit 25 %LEL) at S1/A1/D1/LEL"
    assert read_message(alarm.message) == (  # the code and its parameters, for the screens' words
        "level.active",
        {"ch": "LEL", "value": "30", "unit": "%LEL", "cond": "HIHI", "lim": "25", "source": "S1/A1/D1/LEL"},
    )
