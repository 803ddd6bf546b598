"""The shift's near misses for the handover: read here, printed by ``handover_pdf`` (its own section).

A near miss belongs to the shift in which it happened (``occurred_at`` in [start, end)), whoever
recorded it and when: one recorded late is in the report of the shift it happened in, when that is
printed again. Who recorded it is kept as its key (an account, ``field:`` and a worker id); the PDF
names the person.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cockpit.report.records import NearMissLine
from models.schema import NearMiss

MAX_NEAR_MISSES = 200  # a shift with more prints these and says how many more


def near_miss_lines(
    session: Session, start: datetime, end: datetime, site: str | None
) -> tuple[tuple[NearMissLine, ...], int]:
    """The shift's near misses in the order they happened (at most ``MAX_NEAR_MISSES``), and the total."""
    query = select(NearMiss)
    query = query.where(NearMiss.occurred_at >= start, NearMiss.occurred_at < end)
    if site:
        query = query.where(NearMiss.site_id == site)
    rows = session.scalars(query.order_by(NearMiss.occurred_at, NearMiss.id)).all()
    lines = tuple(
        NearMissLine(
            occurred_at=row.occurred_at,
            site=row.site_id,
            area=row.area_id or "",
            category=row.category,
            recorded_by=row.recorded_by,  # a key: the PDF names the person (HandoverData.person)
            source=row.source,
            description=row.description,
            permit_id=row.permit_id or "",
        )
        for row in rows[:MAX_NEAR_MISSES]
    )
    return lines, len(rows)
