"""The handover's alarm figures, priority-1 alarms and gas excursions, read from the alarm journal.

An *alarm* (an annunciation, what EEMUA 191 counts) is a transition into active-unacknowledged. The state
of every alarm at ``end`` (shelved, standing) is its last journal entry at or before ``end``, looking back
``ALARM_LOOKBACK``. The live telemetry store is in memory only, so the gas trends are drawn from the
values in the journal's gas entries and the readings of gas tests around them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from cockpit.report.records import (
    AlarmAction,
    AlarmFigures,
    AreaExcursions,
    CriticalAlarm,
    Excursion,
    GasPoint,
    GasSeries,
)
from models.alarms import PAPERWORK_CONDITIONS
from models.limits import LimitResolver
from models.records import ChannelKey
from models.schema import AlarmJournalEntry, GasTest, Permit

ALARM_LOOKBACK = timedelta(days=30)


class JournalLine(NamedTuple):
    """An alarm journal entry as the report reads it: a plain row. The shift's journal of the 500-permit
    bench is 5,790 entries, and making each an ORM object cost about a fifth of the collection."""

    id: int
    alarm_id: str
    ts: datetime
    site_id: str
    area_id: str
    source: str
    condition: str
    priority: int
    from_state: str
    to_state: str
    value: float | None
    unit: str
    who: str
    note: str


_LINE_COLUMNS = tuple(getattr(AlarmJournalEntry, name) for name in JournalLine._fields)
STANDING_AFTER = timedelta(hours=24)
FLOOD_WINDOW = timedelta(minutes=10)
FLOOD_COUNT = 10
GAS_CONDITIONS = frozenset({"HI", "HIHI", "LO", "LOLO"})
MAX_PRIORITY1_LISTED = 200

# Alarm journal state names, normalised (the engine writes ISA-18.2 names; aliases keep this tolerant).
_STATE_ALIASES = {
    "": "normal",
    "clear": "normal",
    "cleared": "normal",
    "active": "active_unack",
    "raised": "active_unack",
    "unack": "active_unack",
    "unacked": "active_unack",
    "active_unacknowledged": "active_unack",
    "ack": "active_ack",
    "acked": "active_ack",
    "acknowledged": "active_ack",
    "active_acknowledged": "active_ack",
    "returned_unack": "rtn_unack",
    "returned_unacknowledged": "rtn_unack",
    "rtn_unacknowledged": "rtn_unack",
    "shelve": "shelved",
    "oos": "out_of_service",
}
ACTIVE_STATES = frozenset({"active_unack", "active_ack"})


@lru_cache(maxsize=256)  # a handful of spellings, asked twice for each of a shift's thousands of entries
def alarm_state(raw: str) -> str:
    """One spelling for each ISA-18.2 state (``Active-Unacknowledged`` → ``active_unack``)."""
    key = raw.strip().lower().replace("-", "_").replace(" ", "_")
    return _STATE_ALIASES.get(key, key)


def site_filter(column: Any, site: str | None) -> Any:
    return column == site if site else True


def alarms_of_shift(
    session: Session, start: datetime, end: datetime, site: str | None
) -> tuple[AlarmFigures, tuple[CriticalAlarm, ...], int, list[JournalLine]]:
    journal = [
        JournalLine(*row)
        for row in session.execute(
            select(*_LINE_COLUMNS)
            .where(
                AlarmJournalEntry.ts >= start,
                AlarmJournalEntry.ts < end,
                site_filter(AlarmJournalEntry.site_id, site),
                # Paperwork journalled as alarms by older versions is no alarm (docs/ALARMS.md).
                AlarmJournalEntry.condition.not_in(PAPERWORK_CONDITIONS),
            )
            .order_by(AlarmJournalEntry.ts, AlarmJournalEntry.id)
        )
    ]
    raised = [e for e in journal if is_annunciation(e)]
    by_priority = {1: 0, 2: 0, 3: 0, 4: 0}
    for e in raised:
        by_priority[e.priority] = by_priority.get(e.priority, 0) + 1
    times = [e.ts for e in raised]
    tens = max((end - start) / FLOOD_WINDOW, 1e-9)
    peak, floods = _flood_figures(times)

    # The state of every alarm at the end of the shift: its last journal entry (by id, append order).
    last_ids = (
        select(func.max(AlarmJournalEntry.id))
        .where(
            AlarmJournalEntry.ts <= end,
            AlarmJournalEntry.ts >= end - ALARM_LOOKBACK,
            site_filter(AlarmJournalEntry.site_id, site),
        )
        .group_by(AlarmJournalEntry.alarm_id)
    )
    last_states = session.execute(
        select(AlarmJournalEntry.alarm_id, AlarmJournalEntry.to_state).where(
            AlarmJournalEntry.id.in_(last_ids)
        )
    )
    shelved_now = 0
    active_ids: list[str] = []
    for alarm_id, to_state in last_states:
        state = alarm_state(to_state)
        if state == "shelved":
            shelved_now += 1
        elif state in ACTIVE_STATES:
            active_ids.append(alarm_id)
    standing = _standing(session, active_ids, end) if active_ids else 0

    figures = AlarmFigures(
        total=len(raised),
        by_priority=by_priority,
        per_10min_avg=round(len(raised) / tens, 2),
        per_10min_peak=peak,
        floods=len(floods),
        flood_starts=tuple(floods),
        standing_24h=standing,
        shelved_now=shelved_now,
    )

    critical, critical_total = _critical(raised, journal)
    return figures, critical, critical_total, journal


def _critical(raised: list[JournalLine], journal: list[JournalLine]) -> tuple[tuple[CriticalAlarm, ...], int]:
    """The priority-1 alarms raised (at most ``MAX_PRIORITY1_LISTED``) with what was done about each,
    and how many there were."""
    followups: dict[str, list[JournalLine]] = defaultdict(list)
    for e in journal:
        followups[e.alarm_id].append(e)
    critical_all = [e for e in raised if e.priority == 1]
    critical: list[CriticalAlarm] = []
    for e in critical_all[:MAX_PRIORITY1_LISTED]:
        actions: list[AlarmAction] = []
        for f in followups[e.alarm_id]:
            if f.ts < e.ts or f.id == e.id:
                continue
            if is_annunciation(f):
                break  # the next annunciation of the same alarm starts its own story
            kind = _action_kind(f)
            if kind:
                actions.append(AlarmAction(f.ts, kind, f.who, f.note))
        critical.append(
            CriticalAlarm(
                e.alarm_id, e.ts, e.site_id, e.area_id, e.source, e.condition, e.value, e.unit, tuple(actions)
            )
        )
    return tuple(critical), len(critical_all)


def is_annunciation(e: JournalLine) -> bool:
    return alarm_state(e.to_state) == "active_unack" and alarm_state(e.from_state) != "active_unack"


def _action_kind(e: JournalLine) -> str | None:
    before, after = alarm_state(e.from_state), alarm_state(e.to_state)
    if after == "active_ack" or (before == "rtn_unack" and after == "normal"):
        return "ack"
    if after == "shelved":
        return "shelve"
    if after == "out_of_service":
        return "out_of_service"
    if after in ("normal", "rtn_unack"):
        return "normal"
    return None


def _flood_figures(times: list[datetime]) -> tuple[int, list[datetime]]:
    """Peak alarms in any 10-minute window, and the start of each flood episode (EEMUA 191)."""
    peak = 0
    floods: list[datetime] = []
    in_flood = False
    for i, t in enumerate(times):
        first = bisect_left(times, t - FLOOD_WINDOW + timedelta(microseconds=1), 0, i + 1)
        count = i - first + 1
        peak = max(peak, count)
        if count >= FLOOD_COUNT and not in_flood:
            floods.append(times[first])
            in_flood = True
        elif count < FLOOD_COUNT:
            in_flood = False
    return peak, floods


def _standing(session: Session, active_ids: list[str], end: datetime) -> int:
    """Alarms active at ``end`` whose current activation began more than 24 h before it."""
    standing = 0
    for i in range(0, len(active_ids), 500):
        chunk = active_ids[i : i + 500]
        rows = session.execute(
            select(AlarmJournalEntry.alarm_id, AlarmJournalEntry.ts, AlarmJournalEntry.to_state)
            .where(
                AlarmJournalEntry.alarm_id.in_(chunk),
                AlarmJournalEntry.ts <= end,
                AlarmJournalEntry.ts >= end - ALARM_LOOKBACK,
            )
            .order_by(AlarmJournalEntry.alarm_id, AlarmJournalEntry.id)
        )
        since: dict[str, datetime | None] = {}
        for alarm_id, ts, to_state in rows:
            if alarm_state(to_state) in ACTIVE_STATES:
                if since.get(alarm_id) is None:
                    since[alarm_id] = ts
            else:
                since[alarm_id] = None
        standing += sum(1 for t in since.values() if t is not None and end - t > STANDING_AFTER)
    return standing


def channel_of(source: str) -> str:
    """``site/area/device/CH`` → ``CH`` (a worker or permit source stays as it is)."""
    return source.rsplit("/", 1)[-1]


def _channel_key(source: str, site: str, area: str) -> ChannelKey:
    """``site/area/device/CH`` as a key; a shorter source (a permit's) names no device."""
    parts = source.split("/")
    device = parts[2] if len(parts) == 4 else ""
    return ChannelKey(site, area, device, parts[-1])


def gas_excursions(
    session: Session,
    journal: list[JournalLine],
    start: datetime,
    end: datetime,
    site: str | None,
    limits: LimitResolver | None = None,
) -> tuple[AreaExcursions, ...]:
    """Per area with a gas alarm in the shift: its excursions and the recorded values of its channels,
    each with the limits in force (``limits``, the profile's without overrides when not given)."""
    resolver = limits or LimitResolver()
    per_area: dict[tuple[str, str], list[Excursion]] = defaultdict(list)
    points: dict[tuple[str, str], dict[tuple[str, str], list[GasPoint]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for e in journal:
        if e.condition.upper() not in GAS_CONDITIONS:
            continue
        key = (e.site_id, e.area_id)
        if is_annunciation(e):
            per_area[key].append(Excursion(e.ts, e.source, e.condition.upper(), e.value, e.unit))
        if e.value is not None:
            points[key][(channel_of(e.source), e.unit)].append(GasPoint(e.ts, float(e.value)))
    if not per_area:
        return ()
    # Gas-test readings taken in the affected areas during the shift fill in the trend between alarms.
    areas = sorted(per_area)
    area_cond = or_(*(and_(Permit.site_id == s, Permit.area_id == a) for s, a in areas))
    for site_id, area_id, taken_at, readings in session.execute(
        select(Permit.site_id, Permit.area_id, GasTest.taken_at, GasTest.readings)
        .join(Permit, Permit.id == GasTest.permit_id)
        .where(GasTest.taken_at >= start, GasTest.taken_at < end, area_cond)
    ):
        for r in readings or ():
            if not isinstance(r, dict) or "v" not in r or "ch" not in r:
                continue
            try:
                value = float(r["v"])
            except (TypeError, ValueError):
                continue
            points[(site_id, area_id)][(str(r["ch"]), str(r.get("u", "")))].append(GasPoint(taken_at, value))
    out = []
    for key in areas:
        sources = {channel_of(x.source): x.source for x in per_area[key]}
        series = []
        for (ch, unit), pts in sorted(points[key].items()):
            if ch not in sources or not pts:
                continue
            lim = resolver.limits_for(_channel_key(sources[ch], *key))
            series.append(
                GasSeries(
                    ch,
                    unit,
                    tuple(sorted(pts, key=lambda p: p.ts)),
                    hi=lim.hi if lim else None,
                    hihi=lim.hihi if lim else None,
                    lo=lim.lo if lim else None,
                    lolo=lim.lolo if lim else None,
                )
            )
        out.append(AreaExcursions(key[0], key[1], tuple(per_area[key]), tuple(series)))
    return tuple(out)
