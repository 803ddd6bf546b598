"""Alarm system figures (EEMUA 191, ISA-18.2) on hand-made journals whose answers are known."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.alarm_kpi import (
    BAND_ACCEPTABLE,
    BAND_MANAGEABLE,
    BAND_OVERDEMANDING,
    JournalRow,
    compute_kpis,
    read_kpis,
)
from connectors.database import Database
from models.schema import AlarmJournalEntry
from tests.support.fresh_db import open_fresh

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
SHIFT = (T0, T0 + timedelta(hours=12))  # 72 ten-minute periods


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def raise_(
    minutes: float,
    source: str = "S1/A1/GD-1/LEL",
    condition: str = "HIHI",
    priority: int = 1,
    alarm_id: str | None = None,
) -> JournalRow:
    return JournalRow(
        alarm_id or f"{source}:{condition}",
        at(minutes),
        "S1",
        "A1",
        source,
        condition,
        priority,
        "normal",
        "active_unack",
    )


def move(minutes: float, alarm_id: str, before: str, after: str) -> JournalRow:
    return JournalRow(alarm_id, at(minutes), "S1", "A1", alarm_id.partition(":")[0], "HI", 2, before, after)


def test_rates_per_ten_minutes_the_band_and_the_peak() -> None:
    # 36 alarms spread evenly over 12 hours: 0.5 per 10 minutes on average, acceptable.
    rows = [raise_(i * 20, source=f"S1/A1/GD-{i}/LEL") for i in range(36)]
    kpis = compute_kpis(rows, *SHIFT)
    assert kpis.alarms == 36 and kpis.periods == 72
    assert kpis.per_10min_avg == 0.5 and kpis.band == BAND_ACCEPTABLE
    assert kpis.per_10min_peak == 1 and kpis.flooded_periods == 0

    # 144 alarms: 2 per 10 minutes, manageable; one more and it is over-demanding.
    rows = [raise_(i * 5, source=f"S1/A1/GD-{i}/LEL") for i in range(144)]
    assert compute_kpis(rows, *SHIFT).band == BAND_MANAGEABLE
    rows.append(raise_(719, source="S1/A1/GD-X/LEL"))
    assert compute_kpis(rows, *SHIFT).band == BAND_OVERDEMANDING


def test_a_flood_counts_its_ten_minute_periods_and_its_peak() -> None:
    # 12 alarms between 08:30 and 08:39 (one period), 10 between 10:00 and 10:09, 9 at 11:00.
    rows = [raise_(30 + i * 0.75, source=f"S1/A1/GD-{i}/LEL") for i in range(12)]
    rows += [raise_(120 + i * 0.9, source=f"S1/A2/GD-{i}/LEL") for i in range(10)]
    rows += [raise_(180 + i, source=f"S1/A3/GD-{i}/LEL") for i in range(9)]
    kpis = compute_kpis(rows, *SHIFT)
    assert kpis.per_10min_peak == 12
    assert kpis.flooded_periods == 2
    assert kpis.flood_share == pytest.approx(2 / 72)
    assert kpis.per_10min[3] == 12 and kpis.per_10min[12] == 10 and kpis.per_10min[18] == 9


def test_only_annunciations_count_and_paperwork_is_no_alarm() -> None:
    a = "S1/A1/GD-1/LEL:HI"
    rows = [
        raise_(1, "S1/A1/GD-1/LEL", "HI", 2),
        move(2, a, "active_unack", "active_ack"),  # acknowledged: not a new alarm
        move(3, a, "active_ack", "normal"),
        raise_(5, "permit:HW-1", "APPROVAL_OVERDUE", 3),  # a task, not an alarm (docs/ALARMS.md)
    ]
    kpis = compute_kpis(rows, *SHIFT)
    assert kpis.alarms == 1 and kpis.by_priority == {2: 1}


def test_chattering_needs_three_within_a_minute() -> None:
    chatty = "S1/A1/GD-1/LEL"
    rows = []
    for t in (10.0, 10.3, 10.6, 40.0):  # three within 36 s: chattering, four annunciations in all
        rows += [raise_(t, chatty, "HI", 2), move(t + 0.1, f"{chatty}:HI", "active_unack", "normal")]
    slow = "S1/A1/GD-2/LEL"
    for t in (100.0, 100.6, 101.2):  # three, but spread over 72 s: not chattering
        rows += [raise_(t, slow, "HI", 2), move(t + 0.1, f"{slow}:HI", "active_unack", "normal")]
    kpis = compute_kpis(rows, *SHIFT)
    assert [(a.source, a.count) for a in kpis.chattering] == [(chatty, 4)]
    assert [(a.source, a.count) for a in kpis.bad_actors] == [(chatty, 4), (slow, 3)]
    assert kpis.bad_actor_share == 1.0


def test_the_top_ten_bad_actors_and_their_share() -> None:
    rows = []
    for n in range(12):  # source n annunciated n + 1 times: the top ten are 11 .. 2
        rows += [raise_(n * 50 + k * 2, f"S1/A1/GD-{n}/LEL", "HI", 2) for k in range(n + 1)]
    kpis = compute_kpis(rows, *SHIFT)
    assert [a.count for a in kpis.bad_actors] == list(range(12, 2, -1))
    assert kpis.bad_actor_share == pytest.approx(sum(range(3, 13)) / sum(range(1, 13)))


def test_standing_and_shelved_alarms_at_the_end_with_the_longest_shelf() -> None:
    old = "S1/A1/GD-1/O2:LO"
    fresh = "S1/A1/GD-2/LEL:HI"
    shelved_long = "S1/A1/GD-3/LEL:HI"
    shelved_short = "S1/A1/GD-4/LEL:HI"
    rows = [
        raise_(-26 * 60, "S1/A1/GD-1/O2", "LO", 2, alarm_id=old),  # active for 38 h at the end
        move(-25 * 60, old, "active_unack", "active_ack"),
        raise_(600, "S1/A1/GD-2/LEL", "HI", 2, alarm_id=fresh),  # active for 2 h: not standing
        raise_(60, "S1/A1/GD-3/LEL", "HI", 2, alarm_id=shelved_long),
        move(61, shelved_long, "active_unack", "shelved"),  # shelved for 10 h 59 min at the end
        raise_(500, "S1/A1/GD-4/LEL", "HI", 2, alarm_id=shelved_short),
        move(501, shelved_short, "active_unack", "shelved"),
    ]
    kpis = compute_kpis(rows, *SHIFT)
    assert kpis.standing_24h == 1
    assert kpis.shelved_now == 2
    assert kpis.longest_shelf == timedelta(hours=12) - timedelta(minutes=61)
    assert kpis.longest_shelf_alarm == shelved_long
    assert kpis.alarms == 3  # the old one was raised before the shift


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = open_fresh(url)
    try:
        yield database
    finally:
        database.dispose()


def test_the_figures_read_from_the_database_equal_those_of_the_same_rows(db: Database) -> None:
    rows = [raise_(30 + i * 0.75, source=f"S1/A1/GD-{i}/LEL") for i in range(12)]
    rows += [raise_(200 + i * 0.2, "S1/A1/GD-0/LEL", "HI", 2) for i in range(4)]
    other_site = JournalRow(
        "S2/B1/GD-9/LEL:HIHI", at(50), "S2", "B1", "S2/B1/GD-9/LEL", "HIHI", 1, "normal", "active_unack"
    )
    with db.session() as s:
        for r in [*rows, other_site]:
            s.add(
                AlarmJournalEntry(
                    alarm_id=r.alarm_id,
                    ts=r.ts,
                    site_id=r.site,
                    area_id=r.area,
                    source=r.source,
                    condition=r.condition,
                    priority=r.priority,
                    from_state=r.from_state,
                    to_state=r.to_state,
                    console="c1" if r.site == "S1" else "c2",
                )
            )
    # Still active from 30 h before the shift, and shelved since before it: read back from before the shift.
    old = [
        raise_(-30 * 60, "S1/A1/GD-7/O2", "LO", 2, alarm_id="S1/A1/GD-7/O2:LO"),
        raise_(-60, "S1/A1/GD-8/LEL", "HI", 2, alarm_id="S1/A1/GD-8/LEL:HI"),
        move(-59, "S1/A1/GD-8/LEL:HI", "active_unack", "shelved"),
        raise_(-50, "S1/A1/GD-9/LEL", "HI", 2, alarm_id="S1/A1/GD-9/LEL:HI"),  # closed before the shift
        move(-40, "S1/A1/GD-9/LEL:HI", "active_unack", "normal"),
    ]
    with db.session() as s:
        for r in old:
            s.add(
                AlarmJournalEntry(
                    alarm_id=r.alarm_id,
                    ts=r.ts,
                    site_id=r.site,
                    area_id=r.area,
                    source=r.source,
                    condition=r.condition,
                    priority=r.priority,
                    from_state=r.from_state,
                    to_state=r.to_state,
                    console="c1",
                )
            )
    site_one = read_kpis(db, *SHIFT, site="S1")
    assert site_one == compute_kpis(old + rows, *SHIFT)
    assert (site_one.standing_24h, site_one.shelved_now) == (1, 1)
    assert site_one.longest_shelf == timedelta(hours=12, minutes=59)
    assert read_kpis(db, *SHIFT).alarms == 17
    assert read_kpis(db, *SHIFT, console="c2").alarms == 1
