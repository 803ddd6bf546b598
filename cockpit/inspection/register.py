"""The inspection register: equipment (tag, checklist, owner, place on the plan), routes with their
points and frequency, the owner of each area's defects, and the month's spot checks.

Who acts is the login's session, checked against the database (``cockpit.sessions.verify_session``),
never a stated role; administrators and safety managers edit. Every change writes its audit entry in
its own transaction. Input is checked before a session opens; refusals are ``InspectionError`` codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cockpit.inspection.problems import InspectionError, InspectionProblem
from cockpit.sessions import SessionKeys, VerifiedActor, verify_session
from connectors.database import Database
from models.audit import append_audit
from models.records import RiskLevel, Role
from models.rules import spot_checks
from models.schema import (
    Area,
    AreaOwner,
    Equipment,
    InspectionRoute,
    RoutePoint,
    SpotCheck,
    User,
)

EDITORS = frozenset({Role.ADMIN, Role.SAFETY_MANAGER})
CHECKLIST_MAX = 40
POINTS_MAX = 100
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True)
class EquipmentInput:
    code: str
    site: str
    area: str
    name: str
    tag: str
    checklist: Sequence[str]
    owner: str = ""
    x: float | None = None
    y: float | None = None


@dataclass(frozen=True)
class RouteInput:
    route_id: str
    site: str
    area: str
    name: str
    points: Sequence[str]  # equipment codes, in walking order
    per_day: int = 1
    first_start: time = time(8, 0)
    round_minutes: int = 60


def _code(value: str) -> str:
    code = value.strip()
    if not _CODE.fullmatch(code):
        raise InspectionError(InspectionProblem.BAD_CODE, value=code[:80])
    return code


def _name(value: str, limit: int = 200) -> str:
    name = " ".join(value.split())
    if not name or len(name) > limit:
        raise InspectionError(InspectionProblem.BAD_NAME, max=limit)
    return name


def _checklist(items: Sequence[str]) -> list[str]:
    clean = [" ".join(str(q).split()) for q in items]
    if not 0 < len(clean) <= CHECKLIST_MAX or any(not q or len(q) > 200 for q in clean):
        raise InspectionError(InspectionProblem.BAD_CHECKLIST, max=CHECKLIST_MAX)
    return clean


class InspectionRegister:
    """Edits of the inspection register by a logged-in user's session."""

    def __init__(
        self, db: Database, keys: SessionKeys, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        self._db = db
        self._keys = keys
        self._clock = clock or (lambda: datetime.now(UTC))

    def save_equipment(self, session: object, data: EquipmentInput) -> None:
        checked = check_equipment(data)
        editor = self._editor(session)
        with self._db.session() as s:
            put_equipment(s, editor.username, checked, self._clock())

    def save_route(self, session: object, data: RouteInput) -> None:
        checked = check_route(data)
        editor = self._editor(session)
        with self._db.session() as s:
            put_route(s, editor.username, checked, self._clock())

    def set_area_owner(self, session: object, site: str, area: str, owner: str) -> None:
        """Who gets an area's defects when the equipment names nobody."""
        editor = self._editor(session)
        with self._db.session() as s:
            put_area_owner(s, editor.username, site, area, owner, self._clock())

    def draw_spot_checks(self, session: object, month: str, seed: int, count: int) -> list[str]:
        """Draw (or draw again) the month's spot-check points; the codes, in draw order."""
        if not spot_checks.MONTH.fullmatch(month) or not 1 <= count <= 200:
            raise InspectionError(InspectionProblem.BAD_MONTH, value=str(month)[:20])
        editor = self._editor(session)
        now = self._clock()
        with self._db.session() as s:
            candidates = [
                (code, RiskLevel(risk))
                for code, risk in s.execute(
                    select(Equipment.code, Area.risk_level)
                    .join(Area, (Area.site_id == Equipment.site_id) & (Area.id == Equipment.area_id))
                    .where(Equipment.active.is_(True))
                )
            ]
            drawn = spot_checks.draw(candidates, month, seed, count)
            s.execute(delete(SpotCheck).where(SpotCheck.month == month))
            s.add_all(
                SpotCheck(month=month, equipment_code=c, seed=seed, drawn_by=editor.username, drawn_at=now)
                for c in drawn
            )
            s.flush()
            details = {"seed": seed, "points": drawn}
            _audit(s, editor.username, "inspection.spot_checks", f"month/{month}", details, now)
        return drawn

    # --- helpers -----------------------------------------------------------------------------------

    def _editor(self, session: object) -> VerifiedActor:
        actor = verify_session(self._db, self._keys, session)
        if actor.role not in EDITORS:
            raise InspectionError(InspectionProblem.NOT_EDITOR, actor=actor.username)
        return actor


# --- checks and writes in the caller's transaction (the screen's saves and the register files) -----


def check_equipment(data: EquipmentInput) -> EquipmentInput:
    """The item with its code, tag, name and checklist cleaned; refused before a session opens."""
    code, tag, name, checklist = (
        _code(data.code),
        _code(data.tag),
        _name(data.name),
        _checklist(data.checklist),
    )
    return replace(data, code=code, tag=tag, name=name, checklist=tuple(checklist), owner=data.owner.strip())


def check_route(data: RouteInput) -> RouteInput:
    route_id, name = _code(data.route_id), _name(data.name)
    points = tuple(_code(p) for p in data.points)
    if not (0 < len(points) <= POINTS_MAX and 1 <= data.per_day <= 24 and 5 <= data.round_minutes <= 720):
        raise InspectionError(InspectionProblem.BAD_ROUTE, max=POINTS_MAX)
    return replace(data, route_id=route_id, name=name, points=points)


def verify_equipment(s: Session, data: EquipmentInput) -> None:
    """What the database must hold for a checked item: its area, its owner, its tag free. Reads only."""
    _area(s, data.site, data.area)
    if data.owner:
        _user(s, data.owner)
    taken = s.scalar(select(Equipment.code).where(Equipment.tag == data.tag, Equipment.code != data.code))
    if taken is not None:
        raise InspectionError(InspectionProblem.TAG_TAKEN, tag=data.tag, code=taken)


def put_equipment(
    s: Session, actor: str, data: EquipmentInput, now: datetime, *, verified: bool = False
) -> bool:
    """Write a checked item (``check_equipment``) and its audit entry; True when it is new.
    ``verified``: ``verify_equipment`` ran in this transaction already (a file's rows)."""
    if not verified:
        verify_equipment(s, data)
    code, tag, owner = data.code, data.tag, data.owner
    row = s.get(Equipment, code)
    created = row is None
    if row is None:
        row = Equipment(code=code, site_id=data.site, area_id=data.area, name=data.name, tag=tag)
        s.add(row)
    checklist = list(data.checklist)
    row.site_id, row.area_id, row.name, row.tag = data.site, data.area, data.name, tag
    row.checklist, row.owner, row.x, row.y, row.active = checklist, owner, data.x, data.y, True
    s.flush()
    action = "inspection.equipment_create" if created else "inspection.equipment_update"
    details = {"tag": tag, "area": f"{data.site}/{data.area}", "owner": owner, "checklist": checklist}
    _audit(s, actor, action, f"equipment/{code}", details, now)
    return created


def verify_route(s: Session, data: RouteInput) -> None:
    """The route's area and every point's equipment must be in the register. Reads only."""
    _area(s, data.site, data.area)
    for code in data.points:
        if s.get(Equipment, code) is None:
            raise InspectionError(InspectionProblem.UNKNOWN_EQUIPMENT, code=code)


def put_route(s: Session, actor: str, data: RouteInput, now: datetime, *, verified: bool = False) -> bool:
    """Write a checked route (``check_route``) with its points and its audit entry; True when new."""
    if not verified:
        verify_route(s, data)
    route_id, points = data.route_id, list(data.points)
    row = s.get(InspectionRoute, route_id)
    created = row is None
    if row is None:
        row = InspectionRoute(id=route_id, site_id=data.site, area_id=data.area, name=data.name)
        s.add(row)
    row.site_id, row.area_id, row.name = data.site, data.area, data.name
    row.per_day, row.first_start, row.round_minutes = data.per_day, data.first_start, data.round_minutes
    row.active = True
    s.flush()
    s.execute(delete(RoutePoint).where(RoutePoint.route_id == route_id))
    s.add_all(RoutePoint(route_id=route_id, seq=i, equipment_code=c) for i, c in enumerate(points))
    s.flush()
    details = {
        "points": points,
        "per_day": data.per_day,
        "first_start": data.first_start.isoformat(timespec="minutes"),
        "round_minutes": data.round_minutes,
    }
    action = "inspection.route_create" if created else "inspection.route_update"
    _audit(s, actor, action, f"route/{route_id}", details, now)
    return created


def verify_area_owner(s: Session, site: str, area: str, owner: str) -> None:
    _area(s, site, area)
    _user(s, owner)


def put_area_owner(
    s: Session, actor: str, site: str, area: str, owner: str, now: datetime, *, verified: bool = False
) -> bool:
    """Set who owns an area's defects, with its audit entry; True when the area had no owner."""
    if not verified:
        verify_area_owner(s, site, area, owner)
    row = s.get(AreaOwner, (site, area))
    if row is None:
        s.add(AreaOwner(site_id=site, area_id=area, owner=owner))
    else:
        row.owner = owner
    s.flush()
    _audit(s, actor, "inspection.area_owner", f"{site}/{area}", {"owner": owner}, now)
    return row is None


def _area(s: Session, site: str, area: str) -> None:
    if s.get(Area, (site, area)) is None:
        raise InspectionError(InspectionProblem.UNKNOWN_AREA, area=area[:80], site=site[:80])


def _user(s: Session, username: str) -> None:
    user = s.get(User, username)
    if user is None or not user.active:
        raise InspectionError(InspectionProblem.UNKNOWN_USER, user=username[:80])


def _audit(s: Session, actor: str, action: str, subject: str, details: dict[str, Any], now: datetime) -> None:
    append_audit(s, actor=actor, action=action, subject=subject, details=details, ts=now)
