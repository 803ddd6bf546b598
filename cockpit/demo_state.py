"""The state the demo seed builds up: the rows to insert, the areas, and the pools of people.

Shared by the seed of places and people (``cockpit.demo_seed``) and the seed of permits
(``cockpit.demo_permits``): both draw from the one ``random.Random``, in a fixed order, so the same
seed and ``now`` give the same database.
"""

from __future__ import annotations

import gc
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Self

from sqlalchemy import JSON, func, insert, select
from sqlalchemy.orm import Session

from connectors.database import Database
from models.errors import UserError
from models.records import RiskLevel
from models.rules.grading import SiteCalendar
from models.schema import Site


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


def bulk_insert(model: type, rows: list[dict[str, Any]]) -> Any:
    """The insert for the demo's ``rows`` of ``model``: a plain executemany when the rows share one key set
    and hold no None a JSON column would store as JSON ``null``; else the ORM's bulk insert, which splits
    the rows by which values are None (the three months' alarm journal went out in 2,745 statements that
    way, 0.8 s; bench/demo_seed.py)."""
    keys = rows[0].keys()
    json_keys = [c.key for c in model.__table__.columns if isinstance(c.type, JSON)]  # type: ignore[attr-defined]
    if all(r.keys() == keys for r in rows) and not any(r.get(k) is None for r in rows for k in json_keys):
        return insert(model.__table__)  # type: ignore[attr-defined]
    return insert(model)


def refuse_if_seeded(db: Database, session: Session | None = None) -> None:
    if session is None:
        with db.session() as fresh:
            refuse_if_seeded(db, fresh)
        return
    existing = session.execute(select(func.count()).select_from(Site)).scalar_one()
    if existing:
        raise UserError(
            f"the database {db.url} already holds {existing} site(s); "
            "seed the demo only into an empty database (give a new database file)"
        )


@contextmanager
def collections_paused() -> Iterator[None]:
    """No automatic garbage collection inside (the rows are long-lived dicts, not cycles): as it was after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
