"""Today's rounds from real scans in a real database (stored by the core's intake as the field sends
them): a round walked in order, one with a missed and a late point, one scanned impossibly fast, and a
worker whose gauge readings never change; on PostgreSQL, two consoles storing one defect once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from cockpit.inspection import work_orders
from cockpit.inspection.intake import InspectionIntake
from cockpit.inspection.rounds import RoundsReads
from connectors.database import Database
from models.records import ChecklistAnswer, ChecklistResult, DefectSeverity, TagScan
from models.rules import rounds as rule
from models.schema import InspectionResult, WorkOrder
from tests.support.fresh_db import open_fresh
from tests.support.inspection import build_inspected_plant

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai: the 08:00-09:00 round is over
MORNING = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_fresh(f"sqlite:///{tmp_path / 'rounds.db'}")
    build_inspected_plant(database, NOW)
    try:
        yield database
    finally:
        database.dispose()


def walk(db: Database, *scans: tuple[str, timedelta, str]) -> None:
    """(tag, after the round's start, worker): each as the field's scan, through the real intake."""
    intake = InspectionIntake(db, clock=lambda: NOW)
    for tag, after, worker in scans:
        intake.on_record(
            TagScan("S1", "A1", tag, MORNING + after, f"s-{tag}-{after.total_seconds():.0f}", worker)
        )


def morning(db: Database) -> rule.Round:
    board = RoundsReads(db, clock=lambda: NOW).board()
    [first, evening] = board.rounds
    assert evening.starts == MORNING + timedelta(hours=12)
    assert [p.status for p in evening.points] == ["pending"] * 3  # tonight's round is still to come
    return first


def test_a_round_walked_in_order(db: Database) -> None:
    walk(db, ("TAG-101", timedelta(minutes=5), "W-1"), ("TAG-102", timedelta(minutes=9), "W-1"))
    walk(db, ("TAG-103", timedelta(minutes=14), "W-1"))
    first = morning(db)
    assert [p.status for p in first.points] == ["done", "done", "done"]
    assert first.in_order and first.scanned == 3
    board = RoundsReads(db, clock=lambda: NOW).board()
    assert board.suspicions == () and board.area_progress()[("S1", "A1")] == (3, 3, 0, 0)


def test_a_round_with_a_missed_point_and_a_late_one(db: Database) -> None:
    walk(db, ("TAG-101", timedelta(minutes=5), "W-1"), ("TAG-103", timedelta(minutes=70), "W-1"))
    first = morning(db)
    assert [(p.equipment, p.status) for p in first.points] == [
        ("P-101", "done"),
        ("P-102", "missed"),
        ("P-103", "late"),
    ]
    assert RoundsReads(db, clock=lambda: NOW).board().area_progress()[("S1", "A1")] == (2, 3, 1, 1)


def test_a_round_scanned_impossibly_fast_is_suspicious(db: Database) -> None:
    # P-101 to P-103 is 40 m on the plan: 10 s is 4 m/s, no one walks a plant that fast.
    walk(db, ("TAG-101", timedelta(minutes=5), "W-1"), ("TAG-103", timedelta(minutes=5, seconds=10), "W-1"))
    walk(db, ("TAG-102", timedelta(minutes=20), "W-1"))  # then P-102, 20 m in 10 min: fine
    board = RoundsReads(db, clock=lambda: NOW).board()
    [fast] = board.suspicions
    assert (fast.kind, fast.worker, fast.previous, fast.equipment) == ("too_fast", "W-1", "P-101", "P-103")
    assert (fast.metres, fast.seconds) == (40.0, 10.0)
    assert not board.rounds[0].in_order  # P-103 before P-102


def test_the_same_readings_every_time_are_suspicious_plain_ticks_are_not(db: Database) -> None:
    intake = InspectionIntake(db, clock=lambda: NOW)
    reading = (ChecklistAnswer("泄漏 leak?", True), ChecklistAnswer("压力 pressure (MPa)", True, 1.2))
    ticks = (ChecklistAnswer("泄漏 leak?", True),)
    for day in range(5):
        at = NOW - timedelta(days=day, hours=1)
        intake.on_record(ChecklistResult("S1", "A1", "TAG-102", at, f"r-{day}", "W-1", reading))
        intake.on_record(ChecklistResult("S1", "A1", "TAG-103", at, f"t-{day}", "W-1", ticks))
        intake.on_record(  # another worker reads the gauge, and it moves
            ChecklistResult(
                "S1", "A1", "TAG-101", at, f"u-{day}", "W-2", (ChecklistAnswer("压力", True, 1.0 + day / 10),)
            )
        )
    [same] = RoundsReads(db, clock=lambda: NOW).board().suspicions
    assert (same.kind, same.worker, same.equipment, same.runs) == ("same_answers", "W-1", "P-102", 5)


def test_a_tag_the_register_does_not_know_is_listed(db: Database) -> None:
    walk(db, ("TAG-999", timedelta(minutes=5), "W-1"))
    board = RoundsReads(db, clock=lambda: NOW).board()
    assert [(sc.tag, sc.worker) for sc in board.unknown_tags] == [("TAG-999", "W-1")]


def test_two_consoles_on_one_postgresql_store_a_defect_once(pg_schema_url: str) -> None:
    """Both consoles receive the field's result: one result row, one work order, whoever writes first."""
    database = open_fresh(pg_schema_url)
    try:
        build_inspected_plant(database, NOW)
        first, second = (InspectionIntake(database, clock=lambda: NOW) for _ in range(2))
        leak = (ChecklistAnswer("泄漏 leak?", False),)
        result = ChecklistResult("S1", "A1", "TAG-101", NOW, "r-1", "W-1", leak, True, DefectSeverity.MAJOR)
        first.on_record(result)
        second.on_record(result)
        assert (first.counts["orders"], second.counts["repeated"]) == (1, 1)
        with database.session() as s:
            assert len(s.scalars(select(WorkOrder)).all()) == 1
            assert len(s.scalars(select(InspectionResult)).all()) == 1
    finally:
        database.dispose()


def test_an_order_number_taken_meanwhile_is_tried_again_and_nothing_is_lost(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another console's order took the number our read chose before our write committed."""
    leak = (ChecklistAnswer("泄漏 leak?", False),)
    other = ChecklistResult("S1", "A1", "TAG-102", NOW, "r-other", "W-2", leak, True, DefectSeverity.MINOR)
    InspectionIntake(db, clock=lambda: NOW).on_record(other)  # WO-20261202-001
    real, reads = work_orders._new_id, []

    def stale_then_fresh(*args: object) -> str:  # our first read was made before that order committed
        reads.append(1)
        return "WO-20261202-001" if len(reads) == 1 else real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(work_orders, "_new_id", stale_then_fresh)
    intake = InspectionIntake(db, clock=lambda: NOW)
    intake.on_record(
        ChecklistResult("S1", "A1", "TAG-101", NOW, "r-1", "W-1", leak, True, DefectSeverity.MAJOR)
    )
    with db.session() as s:
        orders = {o.id: o.result_id for o in s.scalars(select(WorkOrder))}
    assert orders == {"WO-20261202-001": "r-other", "WO-20261202-002": "r-1"}
    assert (len(reads), intake.counts["orders"], intake.counts["repeated"]) == (2, 1, 0)
