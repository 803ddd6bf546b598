"""What the inspection register screen shows: equipment, routes with their points, the areas' defect
owners and a month's spot checks. Everyone reads; records only, read off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from connectors.database import Database
from models.schema import AreaOwner, Equipment, InspectionRoute, SpotCheck


@dataclass(frozen=True)
class EquipmentRow:
    code: str
    site: str
    area: str
    name: str
    tag: str
    checklist: tuple[str, ...]
    owner: str
    x: float | None
    y: float | None


@dataclass(frozen=True)
class RouteRow:
    route_id: str
    site: str
    area: str
    name: str
    per_day: int
    first_start: time
    round_minutes: int
    points: tuple[str, ...]


@dataclass(frozen=True)
class InspectionRegisterData:
    equipment: tuple[EquipmentRow, ...]
    routes: tuple[RouteRow, ...]
    owners: tuple[tuple[str, str, str], ...]  # site, area, owner


class InspectionReads:
    def __init__(self, db: Database) -> None:
        self._db = db

    def register(self) -> InspectionRegisterData:
        with self._db.session() as s:
            equipment = tuple(
                EquipmentRow(
                    e.code,
                    e.site_id,
                    e.area_id,
                    e.name,
                    e.tag,
                    tuple(e.checklist or ()),
                    e.owner or "",
                    e.x,
                    e.y,
                )
                for e in s.scalars(
                    select(Equipment).where(Equipment.active.is_(True)).order_by(Equipment.code)
                )
            )
            routes = tuple(
                RouteRow(
                    r.id,
                    r.site_id,
                    r.area_id,
                    r.name,
                    r.per_day,
                    r.first_start,
                    r.round_minutes,
                    tuple(p.equipment_code for p in r.points),
                )
                for r in s.scalars(
                    select(InspectionRoute)
                    .where(InspectionRoute.active.is_(True))
                    .options(selectinload(InspectionRoute.points))
                    .order_by(InspectionRoute.id)
                )
            )
            owners = tuple(
                (o.site_id, o.area_id, o.owner)
                for o in s.scalars(select(AreaOwner).order_by(AreaOwner.site_id, AreaOwner.area_id))
            )
        return InspectionRegisterData(equipment, routes, owners)

    def spot_checks(self, month: str) -> list[tuple[str, int]]:
        """The month's drawn points (equipment code, seed), in code order."""
        with self._db.session() as s:
            rows = s.execute(
                select(SpotCheck.equipment_code, SpotCheck.seed)
                .where(SpotCheck.month == month)
                .order_by(SpotCheck.equipment_code)
            )
            return [(code, int(seed)) for code, seed in rows]
