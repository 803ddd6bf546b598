"""The site plan on real SQLite and PostgreSQL: the image, its scale, the polygons, who edits, the audit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.plant_reads import PlantReads
from cockpit.plant_register import PlantRegister, RegisterError, RegisterProblem
from cockpit.site_plans import MAX_PLAN_BYTES, PlanError, PlanProblem, SitePlans
from connectors.database import Database
from models.audit import verify_chain
from models.records import RiskLevel
from models.schema import AuditEntry
from tests.support.plant_db import png_bytes, register_db
from tests.support.sessions import TEST_KEYS, as_user

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600"><rect width="800" height="600"/></svg>'


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    with register_db(url) as database:
        reg = PlantRegister(database, TEST_KEYS)
        reg.save_site(as_user(database, "boss"), "S1", "一号厂区")
        for area in ("A1", "A2"):
            reg.save_area(as_user(database, "boss"), "S1", area, f"装置{area}", risk_level=RiskLevel.HIGH)
        yield database


def test_a_png_plan_with_a_scale_and_a_polygon_lands_in_plan_metres(db: Database) -> None:
    plans = SitePlans(db, TEST_KEYS)
    record = plans.load(as_user(db, "safety"), "S1", png_bytes(1000, 500), m_per_px=0.5)
    assert (record.media_type, record.width_px, record.height_px) == ("image/png", 1000, 500)
    plans.save_polygon(as_user(db, "boss"), "S1", "A1", [(100, 100), (300, 100), (300, 300), (100, 300)])
    site = PlantReads(db).sites()[0]
    assert (site.plan_width_m, site.plan_height_m) == (500.0, 250.0)  # the map's plan is the image at scale
    a1 = next(a for a in site.areas if a.area_id == "A1")
    # pixels (y down) to plan metres (y up, origin bottom-left): x 100 px → 50 m, y 100 px → (500-100)·0.5
    assert a1.polygon == ((50.0, 200.0), (150.0, 200.0), (150.0, 100.0), (50.0, 100.0))
    assert plans.polygon_px("S1", "A1") == [(100, 100), (300, 100), (300, 300), (100, 300)]
    stored = plans.plan("S1")
    assert stored is not None and stored.data == png_bytes(1000, 500)


def test_a_new_scale_carries_the_polygons_drawn_on_the_image(db: Database) -> None:
    plans = SitePlans(db, TEST_KEYS)
    plans.load(as_user(db, "boss"), "S1", SVG)  # no scale given: the site's plan width (400 m) over 800 px
    assert plans.plan("S1").m_per_px == pytest.approx(0.5)  # type: ignore[union-attr]
    plans.save_polygon(as_user(db, "boss"), "S1", "A2", [(0, 0), (80, 0), (80, 60)])
    plans.set_scale(as_user(db, "boss"), "S1", 0.25)
    a2 = next(a for a in PlantReads(db).sites()[0].areas if a.area_id == "A2")
    assert a2.polygon == ((0.0, 150.0), (20.0, 150.0), (20.0, 135.0))
    assert plans.polygon_px("S1", "A2") == [(0, 0), (80, 0), (80, 60)]  # still where it was drawn
    assert PlantReads(db).sites()[0].plan_width_m == 200.0


def test_a_polygon_of_fewer_than_three_points_is_refused_and_nothing_written(db: Database) -> None:
    plans = SitePlans(db, TEST_KEYS)
    plans.load(as_user(db, "boss"), "S1", SVG, m_per_px=1.0)
    plans.save_polygon(as_user(db, "boss"), "S1", "A1", [(10, 10), (50, 10), (50, 50)])
    for points in ([(1, 1), (5, 5)], [(1, 1), (5, 5), (5, 5)], [(1, 1), (5, 5), (1, 1)], []):
        with pytest.raises(PlanError) as info:
            plans.save_polygon(as_user(db, "boss"), "S1", "A1", points)
        assert info.value.code is PlanProblem.FEW_POINTS
        assert "at least 3 points" in str(info.value)
    with pytest.raises(PlanError) as outside:
        plans.save_polygon(as_user(db, "boss"), "S1", "A1", [(10, 10), (900, 10), (50, 50)])
    assert outside.value.code is PlanProblem.OUTSIDE
    assert len(plans.polygon_px("S1", "A1")) == 3  # the old polygon stands


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"PK\x03\x04 an xlsx, not a plan", "XML"),
        (b'<?xml version="1.0"?><html/>', "not an SVG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "no size"),
        (b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg width="10" height="10">&a;</svg>', "DOCTYPE"),
        (png_bytes(1, 1)[:20], "header"),
    ],
)
def test_a_file_that_is_not_a_plan_is_one_readable_line(db: Database, data: bytes, reason: str) -> None:
    with pytest.raises(PlanError) as info:
        SitePlans(db, TEST_KEYS).load(as_user(db, "boss"), "S1", data)
    assert info.value.code is PlanProblem.NOT_AN_IMAGE and reason in str(info.value)
    assert "\n" not in str(info.value)
    assert SitePlans(db, TEST_KEYS).plan("S1") is None


def test_a_plan_too_large_is_refused_before_it_is_read(db: Database) -> None:
    with pytest.raises(PlanError) as info:
        SitePlans(db, TEST_KEYS).load(
            as_user(db, "boss"), "S1", b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_PLAN_BYTES
        )
    assert info.value.code is PlanProblem.TOO_LARGE
    assert SitePlans(db, TEST_KEYS).plan("S1") is None


@pytest.mark.parametrize("user", ["op", "lead", "ic"])  # made-up ones: tests/cockpit/test_service_sessions.py
def test_other_roles_may_not_load_scale_or_draw(db: Database, user: str) -> None:
    actor = as_user(db, user)  # a real login's session: the role, not the session, is what refuses
    plans = SitePlans(db, TEST_KEYS)
    plans.load(as_user(db, "boss"), "S1", SVG, m_per_px=1.0)
    for fn, args in (
        (plans.load, ("S1", SVG)),
        (plans.set_scale, ("S1", 2.0)),
        (plans.save_polygon, ("S1", "A1", [(1, 1), (9, 1), (9, 9)])),
        (plans.delete_polygon, ("S1", "A1")),
    ):
        with pytest.raises(RegisterError) as info:
            fn(actor, *args)  # type: ignore[operator]
        assert info.value.code is RegisterProblem.NOT_EDITOR
    assert plans.polygon_px("S1", "A1") == [] and plans.plan("S1").m_per_px == 1.0  # type: ignore[union-attr]


def test_every_change_is_audited_and_the_chain_verifies(db: Database) -> None:
    plans = SitePlans(db, TEST_KEYS)
    plans.load(as_user(db, "boss"), "S1", SVG, m_per_px=1.0)
    plans.set_scale(as_user(db, "safety"), "S1", 0.5)
    plans.save_polygon(as_user(db, "safety"), "S1", "A1", [(1, 1), (9, 1), (9, 9)])
    plans.delete_polygon(as_user(db, "boss"), "S1", "A1")
    for bad in (0, -1.0, float("nan"), float("inf")):
        with pytest.raises(PlanError):
            plans.set_scale(as_user(db, "boss"), "S1", bad)
    with db.session() as s:
        rows = s.query(AuditEntry).order_by(AuditEntry.seq).all()
        actions = [(r.actor, r.action, r.subject) for r in rows if r.action.startswith("register.")]
        assert actions[-4:] == [
            ("boss", "register.plan_load", "S1"),
            ("safety", "register.plan_scale", "S1"),
            ("safety", "register.area_polygon", "S1/A1"),
            ("boss", "register.area_polygon_delete", "S1/A1"),
        ]
        assert verify_chain(s).ok


def test_a_site_without_a_plan_has_no_scale_or_polygons_to_draw(db: Database) -> None:
    PlantRegister(db, TEST_KEYS).save_site(as_user(db, "boss"), "S2", "二号厂区")
    PlantRegister(db, TEST_KEYS).save_area(
        as_user(db, "boss"), "S2", "B1", "罐区", risk_level=RiskLevel.MAJOR
    )
    plans = SitePlans(db, TEST_KEYS)
    for fn, args in (
        (plans.set_scale, ("S2", 1.0)),
        (plans.save_polygon, ("S2", "B1", [(1, 1), (9, 1), (9, 9)])),
    ):
        with pytest.raises(PlanError) as info:
            fn(as_user(db, "boss"), *args)  # type: ignore[operator]
        assert info.value.code is PlanProblem.NO_PLAN
