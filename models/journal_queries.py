"""Reads of the alarm journal (past alarm transitions) as plain records, for the journal screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.schema import AlarmJournalEntry

JOURNAL_LIMIT = 500


@dataclass(frozen=True, slots=True)
class JournalFilter:
    """What the journal tab asks for; empty fields do not filter."""

    start: datetime
    end: datetime
    site: str = ""
    area: str = ""
    priority: int | None = None
    text: str = ""
    limit: int = JOURNAL_LIMIT


@dataclass(frozen=True, slots=True)
class JournalLine:
    ts: datetime
    site: str
    area: str
    source: str
    condition: str
    priority: int
    from_state: str
    to_state: str
    value: float | None
    unit: str
    who: str
    note: str


def journal_lines(session: Session, f: JournalFilter) -> list[JournalLine]:
    """Past alarm transitions, newest first, at most ``f.limit`` (the (site, area, ts) and ts indexes)."""
    stmt = select(AlarmJournalEntry).where(AlarmJournalEntry.ts >= f.start, AlarmJournalEntry.ts <= f.end)
    if f.site:
        stmt = stmt.where(AlarmJournalEntry.site_id == f.site)
    if f.area:
        stmt = stmt.where(AlarmJournalEntry.area_id == f.area)
    if f.priority is not None:
        stmt = stmt.where(AlarmJournalEntry.priority == f.priority)
    if f.text:
        pattern = f"%{f.text}%"
        stmt = stmt.where(
            or_(
                AlarmJournalEntry.source.ilike(pattern),
                AlarmJournalEntry.condition.ilike(pattern),
                AlarmJournalEntry.note.ilike(pattern),
                AlarmJournalEntry.who.ilike(pattern),
            )
        )
    stmt = stmt.order_by(AlarmJournalEntry.ts.desc(), AlarmJournalEntry.id.desc()).limit(f.limit)
    return [
        JournalLine(
            r.ts,
            r.site_id,
            r.area_id,
            r.source,
            r.condition,
            r.priority,
            r.from_state,
            r.to_state,
            r.value,
            r.unit,
            r.who,
            r.note,
        )
        for r in session.scalars(stmt)
    ]
