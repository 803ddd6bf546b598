"""Site-plan geometry: image pixels to plan metres and back, and distances between places on the plan.

A plan image has its origin top-left with y down (pixels); the plan has its origin bottom-left with y
up (metres, as on a surveyed plan and as the field's ``x``/``y`` are given). The scale is metres per
pixel, one number (plans are drawn to scale in both directions).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[float, float]


def px_to_m(points: Sequence[Point], height_px: float, m_per_px: float) -> list[Point]:
    return [(x * m_per_px, (height_px - y) * m_per_px) for x, y in points]


def m_to_px(points: Sequence[Point], height_px: float, m_per_px: float) -> list[Point]:
    return [(x / m_per_px, height_px - y / m_per_px) for x, y in points]


def scale_from_points(a: Point, b: Point, distance_m: float) -> float:
    """Metres per pixel from two points on the image that lie ``distance_m`` apart on the ground."""
    span = math.hypot(b[0] - a[0], b[1] - a[1])
    if span <= 0 or not math.isfinite(distance_m) or distance_m <= 0:
        raise ValueError("two distinct points and a positive distance are needed")
    return distance_m / span


def distinct_points(points: Sequence[Point]) -> list[Point]:
    """The points without consecutive repeats (a double click adds the same point twice)."""
    out: list[Point] = []
    for p in points:
        if not out or math.hypot(p[0] - out[-1][0], p[1] - out[-1][1]) > 1e-9:
            out.append(p)
    if len(out) > 1 and math.hypot(out[0][0] - out[-1][0], out[0][1] - out[-1][1]) <= 1e-9:
        out.pop()  # closed by clicking the first point again
    return out


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))


def contains(polygon: Sequence[Point], p: Point) -> bool:
    inside = False
    n = len(polygon)
    for i in range(n):
        (x1, y1), (x2, y2) = polygon[i], polygon[(i + 1) % n]
        if (y1 > p[1]) != (y2 > p[1]) and p[0] < x1 + (p[1] - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _edges(polygon: Sequence[Point]) -> list[tuple[Point, Point]]:
    if len(polygon) == 1:
        return [(polygon[0], polygon[0])]
    return [(polygon[i], polygon[(i + 1) % len(polygon)]) for i in range(len(polygon))]


def _segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    def side(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def shortest_distance(a: Sequence[Point], b: Sequence[Point]) -> float:
    """The shortest distance between two places, each a point (one vertex) or a polygon; 0 when they meet."""
    if not a or not b:
        raise ValueError("a place needs at least one point")
    if (len(a) >= 3 and any(contains(a, p) for p in b)) or (len(b) >= 3 and any(contains(b, p) for p in a)):
        return 0.0
    best = math.inf
    for p, q in _edges(a):
        for r, s in _edges(b):
            if _segments_cross(p, q, r, s):
                return 0.0
            best = min(
                best,
                _segment_distance(p, r, s),
                _segment_distance(q, r, s),
                _segment_distance(r, p, q),
                _segment_distance(s, p, q),
            )
    return best
