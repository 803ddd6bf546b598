"""How healthy the alarm system is, read from the alarm journal (EEMUA 191, ISA-18.2): issue 21, part 1.

An *alarm* is an annunciation (a journal entry into active-unacknowledged, as the handover counts it,
`cockpit/report/journal.py`); paperwork conditions are no alarms (docs/ALARMS.md). Figures for one
period (a shift, a day, a week, a month), one site or all, one console or all:

- alarms per 10 minutes, average and peak over fixed 10-minute periods, and the EEMUA 191 band of the
  average (``BAND_ACCEPTABLE`` up to 1, ``BAND_MANAGEABLE`` up to 2, ``BAND_OVERDEMANDING`` above);
- the share of 10-minute periods in flood (``FLOOD_COUNT`` alarms or more in the period);
- standing alarms (active for more than 24 h) and shelved alarms at the period's end, with the longest
  shelf;
- chattering alarms: the same alarm annunciated ``CHATTER_COUNT`` times or more within ``CHATTER_WINDOW``;
- the ten most frequent alarms (bad actors) and their share of all alarms.

The figures are computed from plain rows (``JournalRow``), so hand-made journals test them; ``read_kpis``
reads the rows from the database. Bands and texts are codes; views translate them.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from cockpit.report.journal import (
    ACTIVE_STATES,
    ALARM_LOOKBACK,
    FLOOD_COUNT,
    FLOOD_WINDOW,
    STANDING_AFTER,
    alarm_state,
)
from connectors.database import Database
from models.alarms import PAPERWORK_CONDITIONS
from models.schema import AlarmJournalEntry

CHATTER_COUNT = 3
CHATTER_WINDOW = timedelta(minutes=1)
TOP_BAD_ACTORS = 10
BAND_ACCEPTABLE = "acceptable"  # EEMUA 191: about 1 alarm per 10 minutes or fewer, on average
BAND_MANAGEABLE = "manageable"  # up to 2 per 10 minutes
BAND_OVERDEMANDING = "overdemanding"  # more: likely to be over-demanding for one operator


@dataclass(frozen=True, slots=True)
class JournalRow:
    """One alarm journal entry, as the figures need it (in append order)."""

    alarm_id: str
    ts: datetime
    site: str
    area: str
    source: str
    condition: str
    priority: int
    from_state: str
    to_state: str


@dataclass(frozen=True)
class AlarmSource:
    """One alarm (a source and its condition) and how often it was annunciated."""

    site: str
    area: str
    source: str
    condition: str
    count: int


@dataclass(frozen=True)
class AlarmKpis:
    start: datetime
    end: datetime
    alarms: int
    per_10min: tuple[int, ...]  # alarms in each fixed 10-minute period from ``start``
    per_10min_avg: float
    per_10min_peak: int
    band: str
    flooded_periods: int
    standing_24h: int
    shelved_now: int
    longest_shelf: timedelta | None
    longest_shelf_alarm: str | None
    chattering: tuple[AlarmSource, ...]  # count = annunciations of a chattering alarm in the period
    bad_actors: tuple[AlarmSource, ...]
    by_priority: dict[int, int] = field(default_factory=dict)

    @property
    def periods(self) -> int:
        return len(self.per_10min)

    @property
    def flood_share(self) -> float:
        """Share of the 10-minute periods in flood, 0..1."""
        return self.flooded_periods / self.periods if self.periods else 0.0

    @property
    def bad_actor_share(self) -> float:
        """Share of all alarms that the ten most frequent ones made, 0..1."""
        return sum(a.count for a in self.bad_actors) / self.alarms if self.alarms else 0.0


def band_of(per_10min_avg: float) -> str:
    if per_10min_avg <= 1.0:
        return BAND_ACCEPTABLE
    if per_10min_avg <= 2.0:
        return BAND_MANAGEABLE
    return BAND_OVERDEMANDING


def _annunciation(row: JournalRow) -> bool:
    return alarm_state(row.to_state) == "active_unack" and alarm_state(row.from_state) != "active_unack"


def compute_kpis(rows: list[JournalRow], start: datetime, end: datetime) -> AlarmKpis:
    """The figures for ``start``..``end`` from the journal rows up to ``end`` (earlier rows, up to
    ``ALARM_LOOKBACK`` before, give the states the period began with), in append order."""
    if end <= start:
        raise ValueError("the period must end after it starts")
    rows = [r for r in rows if r.condition not in PAPERWORK_CONDITIONS and r.ts <= end]
    raised = [r for r in rows if r.ts >= start and _annunciation(r)]
    periods = max(1, -(-(end - start) // FLOOD_WINDOW))  # ceiling: a started period counts
    per_10min = [0] * periods
    for r in raised:
        per_10min[min(periods - 1, (r.ts - start) // FLOOD_WINDOW)] += 1
    by_priority: Counter[int] = Counter(r.priority for r in raised)
    average = len(raised) / ((end - start) / FLOOD_WINDOW)
    standing, shelved, longest = _states_at_end(rows, end)
    return AlarmKpis(
        start=start,
        end=end,
        alarms=len(raised),
        per_10min=tuple(per_10min),
        per_10min_avg=round(average, 2),
        per_10min_peak=max(per_10min),
        band=band_of(average),
        flooded_periods=sum(1 for n in per_10min if n >= FLOOD_COUNT),
        standing_24h=standing,
        shelved_now=shelved,
        longest_shelf=longest[1] if longest else None,
        longest_shelf_alarm=longest[0] if longest else None,
        chattering=_chattering(raised),
        bad_actors=_bad_actors(raised),
        by_priority=dict(sorted(by_priority.items())),
    )


def _states_at_end(rows: list[JournalRow], end: datetime) -> tuple[int, int, tuple[str, timedelta] | None]:
    """Standing alarms (active since more than 24 h), shelved alarms, and the longest shelf, at ``end``."""
    active_since: dict[str, datetime | None] = {}
    shelved_since: dict[str, datetime | None] = {}
    for r in rows:
        state = alarm_state(r.to_state)
        if state in ACTIVE_STATES:
            if active_since.get(r.alarm_id) is None:
                active_since[r.alarm_id] = r.ts
        else:
            active_since[r.alarm_id] = None
        if state == "shelved":
            if shelved_since.get(r.alarm_id) is None:
                shelved_since[r.alarm_id] = r.ts
        else:
            shelved_since[r.alarm_id] = None
    standing = sum(1 for t in active_since.values() if t is not None and end - t > STANDING_AFTER)
    shelves = [(alarm_id, end - t) for alarm_id, t in shelved_since.items() if t is not None]
    longest = max(shelves, key=lambda s: s[1]) if shelves else None
    return standing, len(shelves), longest


def _key(r: JournalRow) -> tuple[str, str, str, str]:
    return (r.site, r.area, r.source, r.condition)


def _chattering(raised: list[JournalRow]) -> tuple[AlarmSource, ...]:
    """Alarms annunciated ``CHATTER_COUNT`` times or more within ``CHATTER_WINDOW``, most frequent first."""
    recent: dict[tuple[str, str, str, str], deque[datetime]] = defaultdict(deque)
    chattering: set[tuple[str, str, str, str]] = set()
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for r in raised:
        key = _key(r)
        counts[key] += 1
        window = recent[key]
        window.append(r.ts)
        while window[0] <= r.ts - CHATTER_WINDOW:
            window.popleft()
        if len(window) >= CHATTER_COUNT:
            chattering.add(key)
    found = [AlarmSource(*key, count=counts[key]) for key in chattering]
    found.sort(key=lambda a: (-a.count, a.site, a.area, a.source, a.condition))
    return tuple(found)


def _bad_actors(raised: list[JournalRow]) -> tuple[AlarmSource, ...]:
    counts = Counter(_key(r) for r in raised)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_BAD_ACTORS]
    return tuple(AlarmSource(*key, count=n) for key, n in top)


_COLUMNS = (
    AlarmJournalEntry.alarm_id,
    AlarmJournalEntry.ts,
    AlarmJournalEntry.site_id,
    AlarmJournalEntry.area_id,
    AlarmJournalEntry.source,
    AlarmJournalEntry.condition,
    AlarmJournalEntry.priority,
    AlarmJournalEntry.from_state,
    AlarmJournalEntry.to_state,
)
_OPEN_STATES = (*ACTIVE_STATES, "shelved")


def read_kpis(
    db: Database, start: datetime, end: datetime, *, site: str | None = None, console: str | None = None
) -> AlarmKpis:
    """The figures from the journal in the database (any thread but the core's: it reads).

    The period's own rows, and before them only the history of the alarms still active or shelved at
    ``end`` (their activation or shelving may lie before ``start``): reading the whole look-back
    made a 12-hour shift take 1.8 s on a journal of 100,000 rows (bench/alarm_kpi.py)."""

    def scoped(query: Any) -> Any:  # a Select of any columns, narrowed to the site and console
        if site:
            query = query.where(AlarmJournalEntry.site_id == site)
        if console:
            query = query.where(AlarmJournalEntry.console == console)
        return query

    in_period = scoped(
        select(*_COLUMNS)
        .where(AlarmJournalEntry.ts >= start, AlarmJournalEntry.ts <= end)
        .order_by(AlarmJournalEntry.id)
    )
    last_ids = scoped(
        select(func.max(AlarmJournalEntry.id))
        .where(AlarmJournalEntry.ts >= end - ALARM_LOOKBACK, AlarmJournalEntry.ts <= end)
        .group_by(AlarmJournalEntry.alarm_id)
    )
    with db.session() as session:
        last = session.execute(
            select(AlarmJournalEntry.alarm_id, AlarmJournalEntry.to_state).where(
                AlarmJournalEntry.id.in_(last_ids)
            )
        )
        still_open = sorted({a for a, state in last if alarm_state(state) in _OPEN_STATES})
        earlier: list[JournalRow] = []
        for i in range(0, len(still_open), 500):
            chunk = still_open[i : i + 500]
            query = scoped(
                select(*_COLUMNS, AlarmJournalEntry.id).where(
                    AlarmJournalEntry.alarm_id.in_(chunk),
                    AlarmJournalEntry.ts >= end - ALARM_LOOKBACK,
                    AlarmJournalEntry.ts < start,
                )
            )
            earlier += [JournalRow(*row[:-1]) for row in sorted(session.execute(query), key=lambda r: r[-1])]
        rows = [JournalRow(*row) for row in session.execute(in_period)]
    return compute_kpis(earlier + rows, start, end)


class AlarmFigures:
    """The alarm-system screen's service: the figures of a period, read from the database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def read(self, start: datetime, end: datetime, *, site: str | None = None) -> AlarmKpis:
        return read_kpis(self._db, start, end, site=site)
