"""The site plan: the plan image (PNG or SVG) of a site, its scale, and each area's polygon drawn on it.

The image is kept in the database (``site_plans``, at most ``MAX_PLAN_BYTES``), so every console of a
plant sees the same plan. Polygons are stored in plan metres (y up, as the field's positions and the
30 m hot-work rule use them), converted from the image's pixels with the scale; a new scale redraws
nothing on the image, so the polygons are scaled with it. Administrators and safety managers edit
(the role read from the database in the action's transaction), every change writes its audit entry.
A file that is not a readable PNG or SVG, a plan too large, a scale that is not a positive number or
a polygon with fewer than three points is refused with one line (``PlanError``), nothing written.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cockpit.plant_register import RegisterError, RegisterProblem, require_editor
from cockpit.sessions import SessionKeys
from connectors.database import Database
from models.audit import append_audit
from models.errors import UserError
from models.plan_geometry import Point, distinct_points, m_to_px, px_to_m
from models.schema import Area, Site, SitePlan, User

MAX_PLAN_BYTES = 8 * 1024 * 1024
MAX_PLAN_PX = 20_000.0  # a side longer than this is not a plan a screen can draw
MAX_POINTS = 200
PNG, SVG = "image/png", "image/svg+xml"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*")


class PlanProblem(StrEnum):
    NOT_AN_IMAGE = "not_an_image"
    TOO_LARGE = "too_large"
    NO_PLAN = "no_plan"
    BAD_SCALE = "bad_scale"
    FEW_POINTS = "few_points"
    TOO_MANY_POINTS = "too_many_points"
    OUTSIDE = "outside"


_MESSAGES: dict[PlanProblem, str] = {
    PlanProblem.NOT_AN_IMAGE: "the file is not a PNG or SVG plan this program can read: {reason}",
    PlanProblem.TOO_LARGE: "the plan is too large: {size_mb} MB, at most {max_mb} MB",
    PlanProblem.NO_PLAN: "site {site} has no plan yet: load the plan image first",
    PlanProblem.BAD_SCALE: "the scale must be a positive number of metres per pixel",
    PlanProblem.FEW_POINTS: "an area's polygon needs at least 3 points, {count} given",
    PlanProblem.TOO_MANY_POINTS: "an area's polygon may have at most {max} points",
    PlanProblem.OUTSIDE: "the point ({x}, {y}) lies outside the plan",
}


class PlanError(UserError):
    def __init__(self, code: PlanProblem, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(_MESSAGES[code].format(**params))


@dataclass(frozen=True)
class PlanImage:
    media_type: str
    width_px: float
    height_px: float


@dataclass(frozen=True)
class SitePlanRecord:
    site_id: str
    media_type: str
    data: bytes
    sha256: str
    width_px: float
    height_px: float
    m_per_px: float

    @property
    def width_m(self) -> float:
        return self.width_px * self.m_per_px

    @property
    def height_m(self) -> float:
        return self.height_px * self.m_per_px


def _not_image(reason: str) -> PlanError:
    return PlanError(PlanProblem.NOT_AN_IMAGE, reason=reason)


def _png(data: bytes) -> PlanImage:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise _not_image("the PNG has no header")
    width, height = struct.unpack(">II", data[16:24])
    return PlanImage(PNG, float(width), float(height))


def _length(value: str | None) -> float | None:
    match = _LENGTH.fullmatch(value or "")
    return float(match.group(1)) if match else None


def _svg(data: bytes) -> PlanImage:
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise _not_image("an SVG with a DOCTYPE or entities is refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise _not_image(f"the SVG is not well-formed XML ({exc})") from None
    if root.tag.rsplit("}", 1)[-1] != "svg":
        raise _not_image("the XML file is not an SVG")
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (width is None or height is None) and len(box) == 4:
        with contextlib.suppress(ValueError):
            width, height = float(box[2]), float(box[3])
    if width is None or height is None:
        raise _not_image("the SVG gives no size in pixels (width and height, or a viewBox)")
    return PlanImage(SVG, width, height)


def read_plan_image(data: bytes) -> PlanImage:
    """The image's type and size in pixels; ``PlanError`` for anything else."""
    if len(data) > MAX_PLAN_BYTES:
        raise PlanError(
            PlanProblem.TOO_LARGE, size_mb=f"{len(data) / 2**20:.1f}", max_mb=f"{MAX_PLAN_BYTES / 2**20:g}"
        )
    if not data:
        raise _not_image("the file is empty")
    image = _png(data) if data.startswith(_PNG_MAGIC) else _svg(data)
    if not (0 < image.width_px <= MAX_PLAN_PX and 0 < image.height_px <= MAX_PLAN_PX):
        raise _not_image(f"a size of {image.width_px:g} × {image.height_px:g} pixels")
    return image


def _scale(value: float) -> float:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not math.isfinite(value) or value <= 0:
        raise PlanError(PlanProblem.BAD_SCALE)
    return float(value)


def _record(plan: SitePlan) -> SitePlanRecord:
    return SitePlanRecord(
        plan.site_id, plan.media_type, plan.data, plan.sha256, plan.width_px, plan.height_px, plan.m_per_px
    )


def read_site_plan(s: Session, site_id: str) -> SitePlanRecord | None:
    plan = s.get(SitePlan, site_id)
    return _record(plan) if plan is not None else None


class SitePlans:
    """Loads plans, sets their scale, draws and deletes the areas' polygons; ``acting`` is a session."""

    def __init__(
        self, db: Database, keys: SessionKeys, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        self._db = db
        self._keys = keys
        self._clock = clock or (lambda: datetime.now(UTC))

    def plan(self, site_id: str) -> SitePlanRecord | None:
        with self._db.session() as s:
            return read_site_plan(s, site_id)

    def polygon_px(self, site_id: str, area_id: str) -> list[Point]:
        """The area's polygon in the plan image's pixels (empty without a plan or a polygon)."""
        with self._db.session() as s:
            plan, area = s.get(SitePlan, site_id), s.get(Area, (site_id, area_id))
            if plan is None or area is None or not area.polygon:
                return []
            points = [(float(p[0]), float(p[1])) for p in area.polygon]
            return m_to_px(points, plan.height_px, plan.m_per_px)

    def load(
        self, acting: object, site_id: str, data: bytes, *, m_per_px: float | None = None
    ) -> SitePlanRecord:
        """Store ``data`` as the site's plan. No scale given: the old plan's, else the site's plan width."""
        image = read_plan_image(data)
        scale = _scale(m_per_px) if m_per_px is not None else None
        with self._db.session() as s:
            editor = require_editor(s, self._keys, acting)
            site = self._site(s, site_id)
            plan = s.get(SitePlan, site_id)
            if scale is None:
                scale = plan.m_per_px if plan is not None else site.plan_width_m / image.width_px
            digest = hashlib.sha256(data).hexdigest()
            if plan is None:
                plan = SitePlan(site_id=site_id)
                s.add(plan)
            plan.media_type, plan.data, plan.sha256 = image.media_type, data, digest
            plan.width_px, plan.height_px, plan.m_per_px = image.width_px, image.height_px, scale
            plan.loaded_by, plan.loaded_at = editor.username, self._clock()
            site.plan_width_m, site.plan_height_m = image.width_px * scale, image.height_px * scale
            s.flush()
            details = {
                "media_type": image.media_type,
                "sha256": digest,
                "bytes": len(data),
                "width_px": image.width_px,
                "height_px": image.height_px,
                "m_per_px": scale,
            }
            self._audit(s, editor, "register.plan_load", site_id, details)
            return _record(plan)

    def load_file(
        self, acting: object, site_id: str, path: Path, *, m_per_px: float | None = None
    ) -> SitePlanRecord:
        """``load`` from a file; its size is checked before it is read."""
        try:
            size = path.stat().st_size
            if size > MAX_PLAN_BYTES:
                raise PlanError(
                    PlanProblem.TOO_LARGE, size_mb=f"{size / 2**20:.1f}", max_mb=f"{MAX_PLAN_BYTES / 2**20:g}"
                )
            data = path.read_bytes()
        except OSError as exc:
            raise UserError(f"cannot read {path.name}: {exc.strerror or exc}") from None
        return self.load(acting, site_id, data, m_per_px=m_per_px)

    def set_scale(self, acting: object, site_id: str, m_per_px: float) -> None:
        """A new scale; the areas' polygons, drawn on the image, are scaled with it."""
        scale = _scale(m_per_px)
        with self._db.session() as s:
            editor = require_editor(s, self._keys, acting)
            site = self._site(s, site_id)
            plan = self._plan(s, site_id)
            ratio, old = scale / plan.m_per_px, plan.m_per_px
            for area in site.areas:
                if area.polygon:
                    area.polygon = [[float(p[0]) * ratio, float(p[1]) * ratio] for p in area.polygon]
            plan.m_per_px = scale
            site.plan_width_m, site.plan_height_m = plan.width_px * scale, plan.height_px * scale
            s.flush()
            self._audit(s, editor, "register.plan_scale", site_id, {"m_per_px": scale, "was": old})

    def save_polygon(self, acting: object, site_id: str, area_id: str, points_px: Sequence[Point]) -> None:
        """The area's polygon from points clicked on the plan image (pixels, y down)."""
        points = distinct_points([(float(x), float(y)) for x, y in points_px])
        if len(points) < 3:
            raise PlanError(PlanProblem.FEW_POINTS, count=len(points))
        if len(points) > MAX_POINTS:
            raise PlanError(PlanProblem.TOO_MANY_POINTS, max=MAX_POINTS)
        with self._db.session() as s:
            editor = require_editor(s, self._keys, acting)
            plan = self._plan(s, site_id)
            for x, y in points:
                if not (math.isfinite(x) and math.isfinite(y)) or not (
                    0 <= x <= plan.width_px and 0 <= y <= plan.height_px
                ):
                    raise PlanError(PlanProblem.OUTSIDE, x=f"{x:.0f}", y=f"{y:.0f}")
            area = self._area(s, site_id, area_id)
            metres = [[round(x, 3), round(y, 3)] for x, y in px_to_m(points, plan.height_px, plan.m_per_px)]
            area.polygon = metres
            s.flush()
            self._audit(s, editor, "register.area_polygon", f"{site_id}/{area_id}", {"polygon_m": metres})

    def delete_polygon(self, acting: object, site_id: str, area_id: str) -> None:
        with self._db.session() as s:
            editor = require_editor(s, self._keys, acting)
            area = self._area(s, site_id, area_id)
            area.polygon = []
            s.flush()
            self._audit(s, editor, "register.area_polygon_delete", f"{site_id}/{area_id}", {})

    @staticmethod
    def _site(s: Session, site_id: str) -> Site:
        site = s.get(Site, site_id)
        if site is None:
            raise RegisterError(RegisterProblem.UNKNOWN_SITE, site=site_id[:80])
        return site

    @staticmethod
    def _plan(s: Session, site_id: str) -> SitePlan:
        plan = s.get(SitePlan, site_id)
        if plan is None:
            raise PlanError(PlanProblem.NO_PLAN, site=site_id[:80])
        return plan

    @staticmethod
    def _area(s: Session, site_id: str, area_id: str) -> Area:
        area = s.get(Area, (site_id, area_id))
        if area is None:
            raise RegisterError(RegisterProblem.UNKNOWN_AREA, area=area_id[:80], site=site_id[:80])
        return area

    def _audit(self, s: Session, editor: User, action: str, subject: str, details: dict[str, Any]) -> None:
        append_audit(
            s, actor=editor.username, action=action, subject=subject, details=details, ts=self._clock()
        )
