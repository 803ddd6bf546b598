"""Contractor performance: each figure equal to a plain SQL count on a hand-made plant, and to the
answer worked out by hand (tests/support/performance_plant.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import bindparam, text

from cockpit.contractor_performance import ContractorPerformance, collect_performance, month_ends
from connectors.database import Database
from models.errors import UserError
from models.schema import ContractorViolation, UTCDateTime
from tests.support.fresh_db import open_fresh
from tests.support.performance_plant import FIRST, LAST, NOW, at, build_performance_plant


@pytest.fixture(params=["sqlite", "postgresql"])
def plant(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'perf.db'}"
    else:
        url = request.getfixturevalue("pg_schema_url")
    db = open_fresh(url)
    build_performance_plant(db)
    yield db
    db.dispose()


def _sql(db: Database, sql: str, **params: object) -> dict[str, int]:
    stmt = text(sql).bindparams(
        *(bindparam(k, type_=UTCDateTime()) for k in params if k in ("start", "end")),
    )
    with db.session() as s:
        return {str(k): int(v) for k, v in s.execute(stmt, params) if k is not None}


def test_every_figure_equals_a_plain_sql_count_and_the_hand_worked_answer(plant: Database) -> None:
    with plant.session() as s:
        report = collect_performance(s, FIRST, LAST, zone="Asia/Shanghai", now=NOW.astimezone(UTC))
    start, end = at(9, 1).astimezone(UTC), at(12, 1).astimezone(UTC)
    assert (report.start, report.end) == (start, end)
    rows = {r.code: r for r in report.rows}

    violations = _sql(
        plant,
        "SELECT contractor_code, COUNT(*) FROM contractor_violations WHERE at >= :start AND at < :end "
        "GROUP BY contractor_code",
        start=start,
        end=end,
    )
    points = _sql(
        plant,
        "SELECT contractor_code, SUM(points) FROM contractor_violations WHERE at >= :start AND at < :end "
        "GROUP BY contractor_code",
        start=start,
        end=end,
    )
    lapses = _sql(
        plant,
        "SELECT w.contractor_code, COUNT(*) FROM certificates c JOIN workers w ON w.id = c.worker_id "
        "WHERE c.valid_to >= :first AND c.valid_to <= :last GROUP BY w.contractor_code",
        first=FIRST,
        last=LAST,
    )
    # Started before the period's end, valid after its start, not finished before it began.
    worked = _sql(
        plant,
        "SELECT p.contractor_code, COUNT(DISTINCT p.id) FROM permits p "
        "JOIN permit_events e ON e.permit_id = p.id AND e.type = 'started' AND e.ts < :end "
        "WHERE p.valid_to > :start AND p.contractor_code IS NOT NULL AND NOT EXISTS ("
        "  SELECT 1 FROM permit_events f WHERE f.permit_id = p.id"
        "  AND f.type IN ('completed', 'closed') AND f.ts <= :start) "
        "GROUP BY p.contractor_code",
        start=start,
        end=end,
    )
    for code, row in rows.items():
        assert row.violations == violations.get(code, 0), code
        assert row.points == points.get(code, 0), code
        assert row.certificate_lapses == lapses.get(code, 0), code
        assert row.permits_worked == worked.get(code, 0), code

    # The hand-worked answers (the module docstring of performance_plant).
    assert (rows["C1"].permits_worked, rows["C1"].violations, rows["C1"].points) == (2, 2, 5)
    assert rows["C1"].work_hours == pytest.approx(4 + 2 + 24 + 162)
    assert rows["C1"].stop_works == 2  # the stop naming P1 and P2 counts once; a resume is no stop
    assert rows["C1"].certificate_lapses == 1
    assert (rows["C2"].permits_worked, rows["C2"].points, rows["C2"].stop_works) == (1, 6, 0)
    assert rows["C2"].work_hours == pytest.approx(2)
    assert rows["C2"].certificate_lapses == 1
    assert "C5" not in rows  # inactive and nothing in the period
    assert rows["C4"].points == 1  # inactive, listed: a violation in the period
    near = _sql(
        plant,
        "SELECT contractor_id, COUNT(*) FROM near_misses WHERE occurred_at >= :start AND occurred_at < :end "
        "AND contractor_id IS NOT NULL GROUP BY contractor_id",
        start=start,
        end=end,
    )
    assert {code: r.near_misses for code, r in rows.items()} == {code: near.get(code, 0) for code in rows}
    assert (rows["C1"].near_misses, rows["C2"].near_misses) == (2, 0) and report.near_misses_recorded


def test_the_ranking_puts_the_fewest_points_first_and_the_trend_follows_the_rule(plant: Database) -> None:
    report = ContractorPerformance(plant, zone="Asia/Shanghai", clock=lambda: NOW.astimezone(UTC)).report(
        FIRST, LAST
    )
    assert [(r.rank, r.code) for r in report.rows] == [(1, "C3"), (2, "C4"), (3, "C1"), (4, "C2")]
    trend = {r.code: [(p.on, p.grade, p.points) for p in r.trend] for r in report.rows}
    # C1: 1 point from August and 3 in September (B), 2 more in October: 6 (C).
    assert trend["C1"] == [
        (date(2026, 9, 30), "B", 4),
        (date(2026, 10, 31), "C", 6),
        (date(2026, 11, 30), "C", 6),
    ]
    # C2: its qualification lapsed on 10-15 (capped at C); 6 points on the period's last evening.
    assert trend["C2"] == [
        (date(2026, 9, 30), "A", 0),
        (date(2026, 10, 31), "C", 0),
        (date(2026, 11, 30), "C", 6),
    ]


def test_month_ends_and_a_bad_period(plant: Database) -> None:
    assert month_ends(date(2026, 11, 15), date(2027, 1, 10)) == [
        date(2026, 11, 30),
        date(2026, 12, 31),
        date(2027, 1, 10),
    ]
    service = ContractorPerformance(plant)
    with pytest.raises(UserError, match="before it starts"):
        service.report(LAST, FIRST)


def test_the_cards_share_one_ranking_for_five_minutes(plant: Database) -> None:
    now = [NOW.astimezone(UTC)]
    service = ContractorPerformance(plant, zone="Asia/Shanghai", clock=lambda: now[0])
    first, row = service.summary("C3")
    assert row is not None and row.points == 0
    with plant.session() as s:
        s.add(ContractorViolation(contractor_code="C3", at=at(11, 20, 9), description="x", points=3))
    now[0] += timedelta(minutes=4)
    again, row = service.summary("C3")
    assert again is first and row is not None and row.points == 0  # the kept ranking
    now[0] += timedelta(minutes=2)
    fresh, row = service.summary("C3")
    assert fresh is not first and row is not None and row.points == 3
