"""Today's inspection rounds and the scans that look like a signature game (issue 23), as plain rules.

A route walked ``per_day`` times a day from ``first_start`` (plant time) has one round every
``24 h / per_day``; a round lasts ``round_minutes``. A scan of one of its points belongs to the round
whose period it falls in (from ``EARLY`` before the round starts until ``EARLY`` before the next):
in time up to the round's end, **late** after it. A point still unscanned is **pending** until the
round's end and **missed** after it. A round is **in order** when its points were scanned in the
route's order.

Suspicious (shown, never refused: a person decides):
* **too fast:** one worker's two consecutive scans at points ``MIN_DISTANCE_M`` or more apart on the
  site plan, faster than ``WALK_MPS`` (2 m/s: brisk walking is about 1.4) - the tags were not walked
  to, or someone else's phone scanned them;
* **same answers:** one worker's last ``SAME_ANSWERS_RUN`` results for one point all identical,
  readings included. Answers without readings ("all fine") are not judged: sound equipment answers
  the same every time; identical gauge readings round after round are what a copied sheet looks like.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WALK_MPS = 2.0
MIN_DISTANCE_M = 10.0
SAME_ANSWERS_RUN = 5
EARLY = timedelta(minutes=15)

DONE, LATE, MISSED, PENDING = "done", "late", "missed", "pending"
TOO_FAST, SAME_ANSWERS = "too_fast", "same_answers"


@dataclass(frozen=True)
class RoutePlan:
    route_id: str
    name: str
    site: str
    area: str
    points: tuple[str, ...]  # equipment codes in walking order
    per_day: int
    first_start: time
    round_minutes: int


@dataclass(frozen=True)
class Scan:
    equipment: str | None
    worker: str
    ts: datetime
    tag: str = ""


@dataclass(frozen=True)
class PointState:
    equipment: str
    status: str  # done | late | missed | pending
    scanned_at: datetime | None = None
    worker: str = ""


@dataclass(frozen=True)
class Round:
    route_id: str
    name: str
    site: str
    area: str
    starts: datetime
    ends: datetime
    points: tuple[PointState, ...]
    in_order: bool

    def count(self, status: str) -> int:
        return sum(1 for p in self.points if p.status == status)

    @property
    def scanned(self) -> int:
        return self.count(DONE) + self.count(LATE)


@dataclass(frozen=True)
class Suspicion:
    kind: str  # too_fast | same_answers
    worker: str
    at: datetime
    equipment: str
    previous: str = ""  # too fast: the point scanned before
    metres: float = 0.0
    seconds: float = 0.0
    runs: int = 0  # same answers: how many identical results in a row


def round_starts(plan: RoutePlan, day: date, zone: str) -> list[datetime]:
    """The plant-time starts of the route's rounds on ``day``, as UTC-aware datetimes."""
    tz = ZoneInfo(zone)
    first = datetime.combine(day, plan.first_start, tz)
    period = timedelta(days=1) / max(1, plan.per_day)
    return [first + k * period for k in range(max(1, plan.per_day))]


def judge_round(plan: RoutePlan, starts: datetime, scans: Iterable[Scan], now: datetime) -> Round:
    """One round of ``plan`` starting at ``starts``: each point's state at ``now``."""
    period = timedelta(days=1) / max(1, plan.per_day)
    ends = starts + timedelta(minutes=plan.round_minutes)
    window_from, window_to = starts - EARLY, starts + period - EARLY
    first: dict[str, Scan] = {}
    for scan in sorted(scans, key=lambda s: s.ts):
        if scan.equipment in plan.points and window_from <= scan.ts < window_to:
            first.setdefault(scan.equipment, scan)
    points = []
    for code in plan.points:
        seen = first.get(code)
        if seen is not None:
            points.append(PointState(code, DONE if seen.ts <= ends else LATE, seen.ts, seen.worker))
        else:
            points.append(PointState(code, MISSED if now > ends else PENDING))
    times = [first[c].ts for c in plan.points if c in first]
    return Round(
        plan.route_id, plan.name, plan.site, plan.area, starts, ends, tuple(points), times == sorted(times)
    )


def too_fast(
    scans: Iterable[Scan], positions: dict[str, tuple[float, float]], walk_mps: float = WALK_MPS
) -> list[Suspicion]:
    """Each worker's consecutive scans faster than a person walks between the two points."""
    by_worker: dict[str, list[Scan]] = {}
    for scan in scans:
        if scan.equipment in positions:
            by_worker.setdefault(scan.worker, []).append(scan)
    found = []
    for worker, mine in by_worker.items():
        mine.sort(key=lambda s: s.ts)
        for a, b in itertools.pairwise(mine):
            assert a.equipment is not None and b.equipment is not None
            (xa, ya), (xb, yb) = positions[a.equipment], positions[b.equipment]
            metres = math.hypot(xb - xa, yb - ya)
            seconds = (b.ts - a.ts).total_seconds()
            if metres >= MIN_DISTANCE_M and metres > walk_mps * max(seconds, 0.0):
                found.append(Suspicion(TOO_FAST, worker, b.ts, b.equipment, a.equipment, metres, seconds))
    return found


def same_answers(
    results: Iterable[tuple[str, str, datetime, Sequence[object]]], run: int = SAME_ANSWERS_RUN
) -> list[Suspicion]:
    """(worker, equipment, ts, answers) -> each worker and point whose last ``run`` results are identical
    and carry readings."""
    series: dict[tuple[str, str], list[tuple[datetime, str]]] = {}
    for worker, equipment, ts, answers in results:
        if not any(isinstance(a, dict) and a.get("value") is not None for a in answers):
            continue
        series.setdefault((worker, equipment), []).append((ts, repr(list(answers))))
    found = []
    for (worker, equipment), items in series.items():
        items.sort()
        last = items[-run:]
        if len(last) == run and len({answers for _, answers in last}) == 1:
            found.append(Suspicion(SAME_ANSWERS, worker, last[-1][0], equipment, runs=run))
    return found
