"""The inspection register's rows from and to files, through the inspection register's own checks.

An import builds each row's item (a column the file lacks keeps the stored value), checks it as the
screen's save does (``check_*``, then ``verify_*`` against the database: the area, the owner, the tag
free, every point in the equipment register) and, only when no row is refused (or the valid rows only
were asked for), writes them with ``put_*``: each its own ``inspection.*`` audit entry, all in the
import's one transaction. A refusal becomes the row's finding, on the column it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cockpit.inspection.problems import InspectionError, InspectionProblem
from cockpit.inspection.register import (
    EquipmentInput,
    RouteInput,
    check_equipment,
    check_route,
    put_area_owner,
    put_equipment,
    put_route,
    verify_area_owner,
    verify_equipment,
    verify_route,
)
from cockpit.register_io.inspection_specs import CHECKLIST_JOIN, INSPECTION_REGISTERS, POINTS_JOIN
from cockpit.register_io.problems import Finding, RowProblem
from cockpit.register_io.spec_types import Register
from models.schema import Area, AreaOwner, Equipment, InspectionRoute, User

NAMES = frozenset(r.name for r in INSPECTION_REGISTERS)
_QUESTIONS = re.compile(r"[\n;；]+")
_POINTS = re.compile(r"[\s,;，；、]+")
PROGRESS_EVERY = 1000

Item = EquipmentInput | RouteInput | tuple[str, str, str]
Rows = list[tuple[int, dict[str, Any]]]

# an inspection refusal -> the finding's code and the column it is about (None: the row's key column)
_FINDINGS: dict[InspectionProblem, tuple[RowProblem, str | None]] = {
    InspectionProblem.TAG_TAKEN: (RowProblem.TAG_TAKEN, "tag"),
    InspectionProblem.UNKNOWN_EQUIPMENT: (RowProblem.UNKNOWN_EQUIPMENT, "points"),
    InspectionProblem.UNKNOWN_USER: (RowProblem.UNKNOWN_USER, "owner"),
    InspectionProblem.BAD_CHECKLIST: (RowProblem.BAD_CHECKLIST, "checklist"),
    InspectionProblem.BAD_ROUTE: (RowProblem.BAD_ROUTE, "points"),
    InspectionProblem.BAD_CODE: (RowProblem.BAD_CODE, "points"),
    InspectionProblem.UNKNOWN_AREA: (RowProblem.UNKNOWN_PARENT, "area_id"),
    InspectionProblem.BAD_NAME: (RowProblem.REQUIRED, "name"),
}


def split_checklist(text: str) -> list[str]:
    return [q.strip() for q in _QUESTIONS.split(text) if q.strip()]


def split_points(text: str) -> list[str]:
    return [p for p in _POINTS.split(text) if p]


def check_rows(
    s: Session, reg: Register, rows: Rows, headers: dict[str, str]
) -> tuple[list[Item], list[Finding]]:
    """Each row's item, checked as the screen's save checks it; the refused rows' findings. Reads only."""
    items: list[Item] = []
    findings: list[Finding] = []
    tags: dict[str, str] = {}  # a tag given twice in the file: the second row is refused
    held = _hold(s)  # noqa: F841 - kept alive: the session's identity map holds its rows only weakly
    for number, values in rows:
        try:
            item = _item(s, reg.name, values)
            if isinstance(item, EquipmentInput):
                verify_equipment(s, item)
                first = tags.setdefault(item.tag, item.code)
                if first != item.code:
                    raise InspectionError(InspectionProblem.TAG_TAKEN, tag=item.tag, code=first)
            elif isinstance(item, RouteInput):
                verify_route(s, item)
            else:
                verify_area_owner(s, *item)
        except InspectionError as exc:
            findings.append(_finding(reg, headers, number, exc))
            continue
        items.append(item)
    return items, findings


def write_items(
    s: Session, actor: str, items: list[Item], now: datetime, tell: Callable[[str, int, int], None]
) -> tuple[int, int]:
    """Write checked items (``check_rows``), each with its audit entry; (inserted, updated)."""
    inserted = 0
    tell("write", 0, len(items))
    held = _hold(s)  # noqa: F841 - as in check_rows
    for n, item in enumerate(items, start=1):
        if isinstance(item, EquipmentInput):
            created = put_equipment(s, actor, item, now, verified=True)
        elif isinstance(item, RouteInput):
            created = put_route(s, actor, item, now, verified=True)
        else:
            created = put_area_owner(s, actor, *item, now, verified=True)
        inserted += created
        if n % PROGRESS_EVERY == 0:
            tell("write", n, len(items))
    tell("write", len(items), len(items))
    return inserted, len(items) - inserted


def _hold(s: Session) -> list[Any]:
    """The areas, users and equipment, loaded once and referenced: each row's ``Session.get`` then
    finds them in the identity map instead of asking the database again (5,000 items: see bench)."""
    return [*s.scalars(select(Area)), *s.scalars(select(User)), *s.scalars(select(Equipment))]


def export_rows(s: Session, reg: Register) -> list[tuple[Any, ...]]:
    """The register's rows in its columns' order, lists joined as an import splits them."""
    if reg.name == "equipment":
        return [
            (
                e.code,
                e.site_id,
                e.area_id,
                e.name,
                e.tag,
                CHECKLIST_JOIN.join(e.checklist),
                e.owner or None,
                e.x,
                e.y,
            )
            for e in s.scalars(select(Equipment).order_by(Equipment.code))
        ]
    if reg.name == "routes":
        routes = s.scalars(
            select(InspectionRoute).options(selectinload(InspectionRoute.points)).order_by(InspectionRoute.id)
        )
        return [
            (
                r.id,
                r.site_id,
                r.area_id,
                r.name,
                r.per_day,
                r.first_start,
                r.round_minutes,
                POINTS_JOIN.join(p.equipment_code for p in r.points),
            )
            for r in routes
        ]
    owners = s.scalars(select(AreaOwner).order_by(AreaOwner.site_id, AreaOwner.area_id))
    return [(o.site_id, o.area_id, o.owner) for o in owners]


def _item(s: Session, register: str, values: dict[str, Any]) -> Item:
    """The row as the register's input; what the file leaves out is taken from the stored row."""
    if register == "equipment":
        stored = s.get(Equipment, values["code"])

        def keep(name: str, default: Any) -> Any:
            return values[name] if name in values else getattr(stored, name, default)

        checklist = values.get("checklist")
        return check_equipment(
            EquipmentInput(
                code=values["code"],
                site=values["site_id"],
                area=values["area_id"],
                name=values["name"],
                tag=values["tag"],
                checklist=split_checklist(checklist) if checklist is not None else keep("checklist", []),
                owner=keep("owner", "") or "",
                x=keep("x", None),
                y=keep("y", None),
            )
        )
    if register == "routes":
        route = s.get(InspectionRoute, values["id"])

        def kept(name: str, default: Any) -> Any:
            value = values.get(name)
            return value if value is not None else getattr(route, name, default)

        return check_route(
            RouteInput(
                route_id=values["id"],
                site=values["site_id"],
                area=values["area_id"],
                name=values["name"],
                points=split_points(values["points"]),
                per_day=kept("per_day", 1),
                first_start=kept("first_start", time(8, 0)),
                round_minutes=kept("round_minutes", 60),
            )
        )
    return values["site_id"], values["area_id"], str(values["owner"]).strip()


def _finding(reg: Register, headers: dict[str, str], number: int, exc: InspectionError) -> Finding:
    code, column = _FINDINGS.get(exc.code, (RowProblem.REQUIRED, None))
    column = column if column in {c.name for c in reg.columns} else reg.keys[0]
    header = headers.get(column, reg.column(column).en)
    params = dict(exc.params)
    if code is RowProblem.UNKNOWN_PARENT:
        params = {
            "value": f"{params.get('site', '')}/{params.get('area', '')}",
            "register": "Areas",
            "register_zh": "区域",
        }
    return Finding(number, header, code, params)
