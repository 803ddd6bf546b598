"""The inspection register on real SQLite and PostgreSQL: who edits, bad input, the audit, and the
month's spot checks (the same for the same seed, other points another month, riskier areas first)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select

from cockpit.inspection.problems import InspectionError, InspectionProblem
from cockpit.inspection.register import EquipmentInput, RouteInput
from cockpit.sessions import SessionRefused
from connectors.database import Database
from models.audit import verify_chain
from models.records import RiskLevel
from models.rules import spot_checks
from models.schema import AuditEntry, Equipment, RoutePoint, SpotCheck
from tests.support.fresh_db import open_fresh
from tests.support.inspection import CHECKLIST, build_inspected_plant
from tests.support.sessions import TEST_KEYS, signed

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'inspection.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = open_fresh(url)
    try:
        yield database
    finally:
        database.dispose()


def test_register_keeps_equipment_routes_and_audits_each_change(db: Database) -> None:
    build_inspected_plant(db, NOW)
    with db.session() as s:
        pump = s.get(Equipment, "P-101")
        assert pump is not None
        assert (pump.tag, pump.owner, pump.checklist) == ("TAG-101", "lead.wang", list(CHECKLIST))
        points = s.scalars(select(RoutePoint.equipment_code).order_by(RoutePoint.seq)).all()
        assert points == ["P-101", "P-102", "P-103"]
        actions = s.scalars(select(AuditEntry.action)).all()
        assert actions.count("inspection.equipment_create") == 6
        assert "inspection.route_create" in actions and "inspection.area_owner" in actions
        assert verify_chain(s).ok


def test_only_editors_with_a_real_session_edit(db: Database) -> None:
    register = build_inspected_plant(db, NOW)
    data = EquipmentInput("P-9", "S1", "A1", "新泵", "TAG-9", CHECKLIST)
    with pytest.raises(InspectionError) as refused:
        register.save_equipment(signed("op.li"), data)
    assert refused.value.code is InspectionProblem.NOT_EDITOR
    with pytest.raises(SessionRefused):  # a stated role is not a session
        register.save_equipment(signed("mgr.sun", type(TEST_KEYS)(b"another runtime's secret")), data)
    with db.session() as s:
        assert s.get(Equipment, "P-9") is None


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (EquipmentInput("P 9", "S1", "A1", "x", "T9", CHECKLIST), InspectionProblem.BAD_CODE),
        (EquipmentInput("P-9", "S1", "A1", "x", "T9", ()), InspectionProblem.BAD_CHECKLIST),
        (EquipmentInput("P-9", "S1", "A9", "x", "T9", CHECKLIST), InspectionProblem.UNKNOWN_AREA),
        (EquipmentInput("P-9", "S1", "A1", "x", "TAG-101", CHECKLIST), InspectionProblem.TAG_TAKEN),
        (EquipmentInput("P-9", "S1", "A1", "x", "T9", CHECKLIST, "nobody"), InspectionProblem.UNKNOWN_USER),
    ],
)
def test_bad_equipment_is_refused_with_nothing_written(db: Database, data: EquipmentInput, code: str) -> None:
    register = build_inspected_plant(db, NOW)
    with pytest.raises(InspectionError) as refused:
        register.save_equipment(signed("mgr.sun"), data)
    assert refused.value.code == code
    with db.session() as s:
        assert s.get(Equipment, "P-9") is None


def test_a_route_through_unknown_equipment_is_refused_whole(db: Database) -> None:
    register = build_inspected_plant(db, NOW)
    bad = RouteInput("R-A1", "S1", "A1", "改线", ("P-101", "P-999"), 1, time(9, 0), 60)
    with pytest.raises(InspectionError) as refused:
        register.save_route(signed("mgr.sun"), bad)
    assert refused.value.code is InspectionProblem.UNKNOWN_EQUIPMENT
    with db.session() as s:  # the old route stands
        assert len(s.scalars(select(RoutePoint).where(RoutePoint.route_id == "R-A1")).all()) == 3


def test_spot_checks_same_seed_same_points_other_month_other_points(db: Database) -> None:
    register = build_inspected_plant(db, NOW)
    manager = signed("mgr.sun")
    december = register.draw_spot_checks(manager, "2026-12", 4711, 3)
    assert register.draw_spot_checks(manager, "2026-12", 4711, 3) == december  # an auditor redraws it
    january = register.draw_spot_checks(manager, "2027-01", 4711, 3)
    assert len(december) == len(set(december)) == 3
    assert january != december
    with db.session() as s:
        kept = s.scalars(select(SpotCheck.equipment_code).where(SpotCheck.month == "2026-12")).all()
        assert sorted(kept) == sorted(december)
    with pytest.raises(InspectionError):
        register.draw_spot_checks(manager, "2026-13", 4711, 3)


def test_the_draw_favours_the_riskier_area() -> None:
    candidates = [(f"L{i}", RiskLevel.LOW) for i in range(10)] + [
        (f"M{i}", RiskLevel.MAJOR) for i in range(10)
    ]
    counts: Counter[str] = Counter()
    for month in range(1, 13):
        for seed in range(50):
            counts.update(code[0] for code in spot_checks.draw(candidates, f"2026-{month:02d}", seed, 4))
    assert counts["M"] > 2.5 * counts["L"]  # weight 4 against 1, without replacement
    shuffled = list(reversed(candidates))  # the order the register lists them in does not matter
    assert spot_checks.draw(shuffled, "2026-12", 7, 5) == spot_checks.draw(candidates, "2026-12", 7, 5)
