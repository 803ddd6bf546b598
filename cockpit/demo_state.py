"""The state the demo seed builds up: the rows to insert, the areas, and the pools of people.

Shared by the seed of places and people (``cockpit.demo_seed``) and the seed of permits
(``cockpit.demo_permits``): both draw from the one ``random.Random``, in a fixed order, so the same
seed and ``now`` give the same database.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Self

from models.records import RiskLevel
from models.rules.grading import SiteCalendar


def floor_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


@dataclass
class AreaPlan:
    site_id: str
    area_id: str
    name: str
    risk: RiskLevel
    hazard: bool
    gases: tuple[str, ...]
    pipeline: str | None
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1

    def point(self, rng: random.Random) -> tuple[float, float]:
        x0, y0, x1, y1 = self.rect
        return (round(rng.uniform(x0 + 2, x1 - 2), 1), round(rng.uniform(y0 + 2, y1 - 2), 1))


@dataclass
class SeedState:
    """The demo being built. A seeder of one part is a ``SeedState`` sharing another's containers."""

    rng: random.Random
    now: datetime
    rows: dict[type, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    areas: list[AreaPlan] = field(default_factory=list)
    calendars: dict[str, SiteCalendar] = field(default_factory=dict)
    # worker pools
    valid_by_trade: dict[tuple[str | None, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    valid_by_contractor: dict[str | None, list[str]] = field(default_factory=lambda: defaultdict(list))
    supervisors: list[str] = field(default_factory=list)
    contractor_of: dict[str, str | None] = field(default_factory=dict)
    contractors_ok: list[str] = field(default_factory=list)
    permit_seq: Counter[str] = field(default_factory=Counter)

    def add(self, table: type, /, **values: Any) -> dict[str, Any]:
        self.rows[table].append(values)
        return values

    @classmethod
    def sharing(cls, other: SeedState) -> Self:
        """A seeder working on ``other``'s state: the same generator, rows, areas and pools (by identity)."""
        return cls(**{f.name: getattr(other, f.name) for f in fields(SeedState)})
