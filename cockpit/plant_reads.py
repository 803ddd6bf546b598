"""Reads of the plant's static layout for the screens: sites and areas, detectors, one area's detail.

Each call opens its own session and returns plain records (never ORM objects), so a screen may call
it from its worker thread and keep the result on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from sqlalchemy import select

from cockpit.site_plans import SitePlanRecord, read_site_plan
from models.queries import (
    AreaDetail,
    DetectorInfo,
    SiteInfo,
    area_detail,
    list_sites_and_areas,
    plant_detectors,
)
from models.schema import Worker

if TYPE_CHECKING:
    from connectors.database import Database


class PlantReads:
    """The plant's sites, areas and detectors as the map, the popups and the handover screen read them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def sites(self) -> list[SiteInfo]:
        """Every site with its areas, sorted by id."""
        with self._db.session() as session:
            return list_sites_and_areas(session)

    def detectors(self) -> list[DetectorInfo]:
        """Every detector with its place on the site plan."""
        with self._db.session() as session:
            return plant_detectors(session)

    def area_detail(self, site: str, area: str) -> AreaDetail | None:
        """The area's permits, workers and emergency contacts; None for an area the database lacks."""
        with self._db.session() as session:
            return area_detail(session, site, area)

    def worker_names(self, workers: Collection[str]) -> dict[str, str]:
        """The register's name of each of ``workers`` it knows (an alarm names the worker by id)."""
        if not workers:
            return {}
        with self._db.session() as session:
            rows = session.execute(select(Worker.id, Worker.name).where(Worker.id.in_(list(workers))))
            return {worker: name for worker, name in rows if name}

    def site_plan(self, site: str) -> SitePlanRecord | None:
        """The site's plan image and its scale; None where no plan was loaded (the map draws a plain plan)."""
        with self._db.session() as session:
            return read_site_plan(session, site)


def registered_detectors(db: Database) -> list[tuple[str, str, str]]:
    """(site, area, device) of every detector in the register: the store lists them before they report."""
    with db.session() as session:
        return [(d.site_id, d.area_id, d.device_id) for d in plant_detectors(session)]
