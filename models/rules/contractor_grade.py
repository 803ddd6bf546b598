"""A contractor's grade, derived by a rule the safety manager can read (the register screen shows it).

The rule, in the order it is applied:

1. A blacklisted contractor is graded D, whatever else holds (an override cannot lift it).
2. Violation points of the last ``WINDOW_DAYS`` days (the contractor's own and its workers'), the
   12-point system common in Chinese plants (违章记分, 12 points a year and the contractor is barred):
   ``POINT_STEPS`` gives the grade (12 or more D, 6-11 C, 1-5 B, none A).
3. Performance on paper: no qualification on record, or one whose validity has ended (and not
   renewed under the same name), holds the grade at C at best.
4. An override set by an administrator or safety manager, always with a reason, takes the place of
   steps 2-3 until it is cleared; a new violation that puts the rule's grade below the override ends
   it (a violation must lower the grade a console shows).

Plain functions over plain values: the service computes the points and the lapsed names in its
session and stores the grade in force, so the permit screens read one column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

GRADES = ("A", "B", "C", "D")  # best first
WINDOW_DAYS = 365
# (least points, grade): the first row the points reach.
POINT_STEPS: tuple[tuple[int, str], ...] = ((12, "D"), (6, "C"), (1, "B"), (0, "A"))
LAPSED_CAP = "C"


@dataclass(frozen=True)
class GradeDecision:
    """The rule's grade, the grade in force, and why (codes the screens put in words)."""

    derived: str
    effective: str
    points: int
    reasons: tuple[
        str, ...
    ]  # "blacklisted", "points", "no_qualification", "qualification_lapsed", "override"


def worse(a: str, b: str) -> str:
    return a if GRADES.index(a) >= GRADES.index(b) else b


def grade_for_points(points: int) -> str:
    for least, grade in POINT_STEPS:
        if points >= least:
            return grade
    return GRADES[0]


def window_start(now: datetime) -> datetime:
    """Violations at or after this instant count towards the grade."""
    return now - timedelta(days=WINDOW_DAYS)


def lapsed(qualifications: Iterable[tuple[str, date | None]], today: date) -> list[str]:
    """Names whose latest qualification ended before ``today`` (a renewal under the same name clears it)."""
    latest: dict[str, date | None] = {}
    for name, valid_to in qualifications:
        if name not in latest:
            latest[name] = valid_to
            continue
        current = latest[name]
        if current is not None and (valid_to is None or valid_to > current):
            latest[name] = valid_to
    return sorted(n for n, end in latest.items() if end is not None and end < today)


def derive(
    points: int,
    *,
    blacklisted: bool,
    qualified: bool = True,
    lapsed_names: Iterable[str] = (),
    override: str | None = None,
) -> GradeDecision:
    """``qualified``: at least one qualification on record; ``lapsed_names``: those out of date."""
    reasons: list[str] = []
    if blacklisted:
        return GradeDecision("D", "D", points, ("blacklisted",))
    grade = grade_for_points(points)
    if points:
        reasons.append("points")
    for cause, holds in (
        ("no_qualification", not qualified),
        ("qualification_lapsed", bool(list(lapsed_names))),
    ):
        capped = worse(grade, LAPSED_CAP) if holds else grade
        if capped != grade:
            reasons.append(cause)
        grade = capped
    if override is not None:
        return GradeDecision(grade, override, points, (*reasons, "override"))
    return GradeDecision(grade, grade, points, tuple(reasons))


def override_survives(override: str, derived_after: str, derived_before: str) -> bool:
    """Rule 4: an override ends when a violation puts the rule's grade below it."""
    lowered = GRADES.index(derived_after) > GRADES.index(derived_before)
    return not (lowered and GRADES.index(derived_after) > GRADES.index(override))
