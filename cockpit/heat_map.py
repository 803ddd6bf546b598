"""The heat map's figures: high-risk work-hours and alarms per area, for a day or a week in plant time.

A day is the site's calendar day (midnight to midnight in ``sites.timezone``, so 23 or 25 hours on a
day the clocks change); a week runs Monday to Monday around the chosen day. Work-hours are the sum over
permits of their active intervals (``cockpit/work_intervals.py``) inside the window: two crews working
an area for 3 hours make 6 hours. Alarms are the annunciations (raised to unacknowledged) of the alarm
journal in the window, by the area the journal names. One call opens one session and returns records,
so the map runs it off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from cockpit.report.journal import alarm_state
from cockpit.work_intervals import overlap_seconds, worked_permits
from connectors.database import Database
from models.plant_clock import DEFAULT_ZONE, PlantClock
from models.schema import AlarmJournalEntry, Area, Permit, Site

Span = Literal["day", "week"]
SPANS: tuple[Span, ...] = ("day", "week")


@dataclass(frozen=True, slots=True)
class AreaHeat:
    hours: float  # permit-hours of high-risk work inside the window
    permits: int  # permits that worked in the area inside the window
    alarms: int  # annunciations in the area inside the window


@dataclass(frozen=True, slots=True)
class HeatFigures:
    site_id: str
    span: Span
    first_day: date  # the window's first day in plant time
    start: datetime  # UTC
    end: datetime  # UTC
    zone: str
    areas: dict[str, AreaHeat] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # the site's areas by id

    def name(self, area: str) -> str:
        return self.names.get(area) or area

    def hours(self, area: str) -> float:
        heat = self.areas.get(area)
        return heat.hours if heat else 0.0

    def alarms(self, area: str) -> int:
        heat = self.areas.get(area)
        return heat.alarms if heat else 0

    @property
    def peak_hours(self) -> float:
        return max((a.hours for a in self.areas.values()), default=0.0)


def window(day: date, span: Span, zone: str) -> tuple[date, datetime, datetime]:
    """The window's first day and its UTC bounds: ``day``, or the Monday-to-Monday week holding it."""
    if span not in SPANS:
        raise ValueError(f"span {span!r}: day or week")
    first = day - timedelta(days=day.weekday()) if span == "week" else day
    last = first + timedelta(days=7 if span == "week" else 1)
    tz = ZoneInfo(zone or DEFAULT_ZONE)
    start = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(last, time(0), tzinfo=tz).astimezone(UTC)
    return first, start, end


def area_heat(
    session: Session, site_id: str, start: datetime, end: datetime, now: datetime
) -> dict[str, AreaHeat]:
    """Hours, permits and alarms per area of ``site_id`` inside ``[start, end)`` (areas with either)."""
    hours: dict[str, float] = {}
    permits: dict[str, int] = {}
    for w in worked_permits(session, start, end, now, Permit.site_id == site_id):
        hours[w.area_id] = hours.get(w.area_id, 0.0) + overlap_seconds(w.intervals, start, end) / 3600.0
        permits[w.area_id] = permits.get(w.area_id, 0) + 1
    alarms: dict[str, int] = {}
    for area, before, after in session.execute(
        select(AlarmJournalEntry.area_id, AlarmJournalEntry.from_state, AlarmJournalEntry.to_state).where(
            AlarmJournalEntry.site_id == site_id, AlarmJournalEntry.ts >= start, AlarmJournalEntry.ts < end
        )
    ):
        if alarm_state(after) == "active_unack" and alarm_state(before) != "active_unack":
            alarms[area] = alarms.get(area, 0) + 1
    return {
        a: AreaHeat(hours.get(a, 0.0), permits.get(a, 0), alarms.get(a, 0)) for a in sorted({*hours, *alarms})
    }


class HeatMapReads:
    """The map's heat layer reads; each site's day is its own time zone's."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] | None = None) -> None:
        self._db = db
        self._clock = clock or (lambda: datetime.now(UTC))

    def today(self, site_id: str) -> date:
        with self._db.session() as s:
            site = s.get(Site, site_id)
            zone = site.timezone if site is not None else DEFAULT_ZONE
        return PlantClock(zone).local(self._clock()).date()

    def figures(self, site_id: str, day: date, span: Span = "day") -> HeatFigures:
        with self._db.session() as s:
            site = s.get(Site, site_id)
            zone = (site.timezone if site is not None else None) or DEFAULT_ZONE
            first, start, end = window(day, span, zone)
            areas = area_heat(s, site_id, start, end, self._clock())
            names = {a: n for a, n in s.execute(select(Area.id, Area.name).where(Area.site_id == site_id))}
        return HeatFigures(site_id, span, first, start, end, zone, areas, names)
