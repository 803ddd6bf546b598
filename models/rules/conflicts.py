"""Jobs that must not run side by side (GB 30871-2022 simultaneous-operation rules).

- No hot work within 30 m of blinding work (盲板抽堵) at the same time: 30 m exactly is too close.
  Distances are plan metres (the site plan's scale turns the image's pixels into metres, see
  ``cockpit/site_plans.py``). A job without a position stands for its whole area where the area has
  a polygon on the plan: when the nearest points of the two places lie more than 30 m apart the
  jobs are proven far enough, else the distance cannot be proven and the approver is warned. Two
  jobs in one area with no position and no polygon are warned as well.
- One blinding job at a time on one pipeline (per site).
- Jobs overlapping in time in one area need a named coordinator: the candidate without one is
  blocked; a neighbour naming none or another person is a warning (one area, one coordinator).

Time windows are half-open: a job ending at 12:00 and one starting at 12:00 do not overlap. Only
permits still holding their place (submitted, approved, active, suspended) count.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from models.plan_geometry import Point, shortest_distance
from models.records import PermitStatus, PermitType
from models.rules.findings import Finding, block, permit_term, require_aware, warn
from models.rules.permit_state import LIVE_STATUSES

HOT_WORK_BLINDING_MIN_DISTANCE_M = 30.0


@dataclass(frozen=True)
class PermitFootprint:
    """Where and when a permit holds its place, for conflict checks."""

    permit_id: str
    type: PermitType
    area: str
    site: str
    status: PermitStatus
    valid_from: datetime
    valid_to: datetime
    x: float | None = None
    y: float | None = None
    pipeline: str | None = None
    coordinator: str | None = None
    area_polygon: tuple[Point, ...] = ()  # the area's polygon in plan metres, if drawn

    def __post_init__(self) -> None:
        require_aware(self.valid_from, "valid_from")
        require_aware(self.valid_to, "valid_to")

    @property
    def located(self) -> bool:
        return self.x is not None and self.y is not None

    def overlaps(self, other: PermitFootprint) -> bool:
        return self.valid_from < other.valid_to and other.valid_from < self.valid_to


def distance_m(a: PermitFootprint, b: PermitFootprint) -> float | None:
    if a.x is None or a.y is None or b.x is None or b.y is None:
        return None
    return math.hypot(a.x - b.x, a.y - b.y)


def _place(p: PermitFootprint) -> tuple[Point, ...]:
    if p.x is not None and p.y is not None:
        return ((p.x, p.y),)
    return p.area_polygon if len(p.area_polygon) >= 3 else ()


def nearest_m(a: PermitFootprint, b: PermitFootprint) -> float | None:
    """The least distance the two jobs can be apart: positions, else their areas' polygons; None unknown."""
    pa, pb = _place(a), _place(b)
    return shortest_distance(pa, pb) if pa and pb else None


def _same_pipeline(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold() != ""


def _hot_work_and_blinding(a: PermitFootprint, b: PermitFootprint) -> bool:
    return {a.type, b.type} == {PermitType.HOT_WORK, PermitType.BLINDING}


def _distance_finding(candidate: PermitFootprint, other: PermitFootprint) -> Finding | None:
    """Hot work and blinding: too close (block), or not provably far enough (warn)."""
    distance = distance_m(candidate, other)
    if distance is not None:
        if distance > HOT_WORK_BLINDING_MIN_DISTANCE_M:
            return None
        return block(
            "conflict.hot_work_near_blinding",
            "area",
            min_m=f"{HOT_WORK_BLINDING_MIN_DISTANCE_M:g}",
            permit=permit_term(other.type),
            other=other.permit_id,
            distance=f"{distance:.1f}",
        )
    nearest = nearest_m(candidate, other)
    if nearest is None and other.area != candidate.area:
        return None  # nothing on the plan says where either area lies
    if nearest is not None and nearest > HOT_WORK_BLINDING_MIN_DISTANCE_M:
        return None  # the places themselves lie more than 30 m apart
    return warn(
        "conflict.hot_work_blinding_distance_unknown",
        "area",
        permit=permit_term(other.type),
        other=other.permit_id,
        area=other.area,
        min_m=f"{HOT_WORK_BLINDING_MIN_DISTANCE_M:g}",
    )


def conflicting_types(permit_type: PermitType) -> frozenset[PermitType]:
    """The types of the permits in *other* areas that can give a permit of ``permit_type`` a finding
    (hot work and blinding near each other, two blindings on one pipeline); any permit in its own area
    can (its coordinator). The detail reads only those (issue 20: a site's ~70 live permits a read)."""
    if permit_type is PermitType.HOT_WORK:
        return frozenset({PermitType.BLINDING})
    if permit_type is PermitType.BLINDING:
        return frozenset({PermitType.HOT_WORK, PermitType.BLINDING})
    return frozenset()


def find_conflicts(candidate: PermitFootprint, others: Iterable[PermitFootprint]) -> list[Finding]:
    """Findings for ``candidate`` against the other permits of the plant."""
    findings: list[Finding] = []
    uncoordinated: list[str] = []
    different_coordinator: list[str] = []
    for other in others:
        if (
            other.permit_id == candidate.permit_id
            or other.status not in LIVE_STATUSES
            or other.site != candidate.site
            or not candidate.overlaps(other)
        ):
            continue
        if _hot_work_and_blinding(candidate, other):
            found = _distance_finding(candidate, other)
            if found is not None:
                findings.append(found)
        if (
            candidate.type is PermitType.BLINDING
            and other.type is PermitType.BLINDING
            and _same_pipeline(candidate.pipeline, other.pipeline)
        ):
            findings.append(
                block(
                    "conflict.pipeline_blinding",
                    "pipeline",
                    other=other.permit_id,
                    pipeline=str(other.pipeline),
                )
            )
        if other.area == candidate.area:
            if candidate.coordinator is None:
                uncoordinated.append(other.permit_id)
            elif other.coordinator is None or other.coordinator != candidate.coordinator:
                different_coordinator.append(other.permit_id)
    if uncoordinated:
        findings.append(
            block(
                "conflict.no_coordinator",
                "coordinator",
                count=len(uncoordinated),
                area=candidate.area,
                others=", ".join(uncoordinated),
            )
        )
    if different_coordinator:
        findings.append(
            warn(
                "conflict.coordinator_differs",
                "coordinator",
                others=", ".join(different_coordinator),
                area=candidate.area,
                coordinator=str(candidate.coordinator),
            )
        )
    return findings
