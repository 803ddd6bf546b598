"""The 30 m hot-work rule reads the site plan: an application without a position stands for its area's
polygon, drawn on the plan and turned into metres by the plan's scale (real SQLite, the demo plant)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from cockpit.permit_service import PermitConfig, PermitService
from cockpit.site_plans import SitePlans
from connectors.database import Database
from models.records import PermitStatus, PermitType
from models.schema import Area, Permit
from tests.cockpit.test_permit_service import (
    NOW,
    WINDOW,
    copy_of,
    hot_work_request,
    pick_crew,
    shared_template,
)
from tests.support.plant_db import png_bytes
from tests.support.sessions import TEST_KEYS, as_user


@pytest.fixture
def db(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[Database]:
    database = copy_of(shared_template(tmp_path_factory), tmp_path)
    yield database
    database.dispose()


def _unknown_distance_to(findings: list, other: str) -> bool:  # type: ignore[type-arg]
    return any(
        f.code == "conflict.hot_work_blinding_distance_unknown" and other in f.message for f in findings
    )


def test_the_plan_scale_decides_whether_a_neighbouring_blinding_job_is_too_close(db: Database) -> None:
    crew = pick_crew(db)
    with db.session() as s:
        neighbour = s.scalar(
            select(Area.id).where(Area.site_id == crew.site, Area.id != crew.area).order_by(Area.id)
        )
        s.add(
            Permit(
                id="BL-T-9",
                type=PermitType.BLINDING,
                status=PermitStatus.APPROVED,
                site_id=crew.site,
                area_id=neighbour,
                valid_from=WINDOW[0],
                valid_to=WINDOW[1],
                applicant=crew.helper,
                supervisor=crew.supervisor,
                coordinator="C. Zhao",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    assert neighbour is not None
    plans = SitePlans(db, TEST_KEYS)
    plans.load(as_user(db, "admin"), crew.site, png_bytes(1000, 1000), m_per_px=1.0)
    plans.save_polygon(as_user(db, "admin"), crew.site, crew.area, [(0, 0), (100, 0), (100, 100), (0, 100)])
    plans.save_polygon(
        as_user(db, "admin"), crew.site, neighbour, [(110, 0), (200, 0), (200, 100), (110, 100)]
    )
    svc = PermitService(db, keys=TEST_KEYS, clock=lambda: NOW, config=PermitConfig())
    # 10 px apart at 1 m a pixel: 10 m, the hot work may be within 30 m of the blinding: warned
    near = svc.create_from_request(hot_work_request(crew, "HW-T-9"), NOW)
    assert _unknown_distance_to(near, "BL-T-9")
    # the same drawing at 5 m a pixel: 50 m between the areas, proven far enough
    plans.set_scale(as_user(db, "admin"), crew.site, 5.0)
    far = svc.create_from_request(hot_work_request(crew, "HW-T-10"), NOW)
    assert not _unknown_distance_to(far, "BL-T-9")
