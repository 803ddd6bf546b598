"""Everything the shift handover prints, gathered from the database into plain records.

The PDF module never touches the database and the gathering never draws: the records (``records``,
re-exported here) are the whole interface, so the report can be rendered from a test fixture, and its
content hashed for the signatures. Each part is read by a module of its own: ``permits``, ``journal``
(alarms and gas excursions) and ``commands``; this one puts them together.

Where the figures come from (and why):
- Permit state *at the end of the shift* is rebuilt from ``permit_events`` (the last state-changing
  event at or before ``end``), falling back to the permit's current status when it has no events, so a
  report for a past shift does not show today's state.
- Alarms come from the alarm journal (ISA-18.2 transitions). An *alarm* (an annunciation, what EEMUA 191
  counts) is a transition into active-unacknowledged. The state of every alarm at ``end`` (shelved,
  standing) is its last journal entry at or before ``end``, looking back ``ALARM_LOOKBACK``.
- Gas history: the live telemetry store is in memory only, so the trend charts are drawn from what the
  database keeps: the values in the alarm journal's gas entries and the readings of gas tests. They show
  the excursions and the tests around them, not a continuous trace.
- Every query is bounded by the shift window (indexed time columns) or by the permits live at its end,
  so a 12 h shift costs a handful of queries whatever the size of the history.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cockpit.people_names import people_names
from cockpit.report.commands import attach_commands, command_lines
from cockpit.report.journal import alarm_state, alarms_of_shift, gas_excursions
from cockpit.report.near_miss_lines import near_miss_lines
from cockpit.report.permits import (
    active_permits,
    expiring_certificates,
    green_channel_approvals,
    permit_changes,
)
from cockpit.report.records import (
    AckLine,
    AlarmAction,
    AlarmFigures,
    AreaExcursions,
    CommandLine,
    CriticalAlarm,
    Excursion,
    ExpiringCertificate,
    GasPoint,
    GasSeries,
    GreenChannelApproval,
    HandoverData,
    NearMissLine,
    OpenPoint,
    PermitChange,
    PermitLine,
    content_hash,
)
from models.audit import chain_head
from models.limits import LimitResolver
from models.schema import Area, Site

# The records and helpers that were defined here stay importable from here.
__all__ = [
    "DEFAULT_TZ",
    "AckLine",
    "AlarmAction",
    "AlarmFigures",
    "AreaExcursions",
    "CommandLine",
    "CriticalAlarm",
    "Excursion",
    "ExpiringCertificate",
    "GasPoint",
    "GasSeries",
    "GreenChannelApproval",
    "HandoverData",
    "NearMissLine",
    "OpenPoint",
    "PermitChange",
    "PermitLine",
    "alarm_state",
    "collect_handover",
    "content_hash",
]

DEFAULT_TZ = "Asia/Shanghai"


def collect_handover(
    session: Session,
    *,
    start: datetime,
    end: datetime,
    site: str | None,
    plant: str = "",
    now: datetime | None = None,
    limits: LimitResolver | None = None,
) -> HandoverData:
    """Gather the handover for the window [start, end) (aware datetimes) of one site or all sites.

    ``now`` is when the report is made: before ``end`` (a preview mid-shift) the permits' validity
    is judged at ``now``. ``limits`` are the gas limits in force (the charts draw them).
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("collect_handover needs timezone-aware datetimes")
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        raise ValueError("the shift must end after it starts")
    generated = (now or datetime.now(UTC)).astimezone(UTC)

    sites = {s.id: s for s in session.scalars(select(Site))}
    chosen = sites.get(site) if site else (next(iter(sorted(sites.values(), key=lambda s: s.id)), None))
    timezone = chosen.timezone if chosen else DEFAULT_TZ
    site_name = (
        (sites[site].name if site in sites else site) if site else ", ".join(s.name for s in sites.values())
    )

    as_of = min(generated, end)
    area_names = {
        f"{a_site}/{a_id}": name
        for a_site, a_id, name in session.execute(select(Area.site_id, Area.id, Area.name))
        if name
    }
    permits, workers_by_permit = active_permits(session, start, end, site, timezone, as_of)
    alarms, critical, critical_total, journal = alarms_of_shift(session, start, end, site)
    commands = command_lines(session, start, end, site)
    critical = attach_commands(critical, session, start, end, site)
    near_misses, near_miss_total = near_miss_lines(session, start, end, site)
    changes = permit_changes(session, start, end, site, journal)
    green = green_channel_approvals(session, start, end, site)
    keys = [
        *(c.by for c in changes),
        *(g.signer for g in green),
        *(c.issued_by for c in commands),
        *(a.by for c in commands for a in c.acks),
        *(a.by for c in critical for a in c.actions),
        *(n.recorded_by for n in near_misses),
    ]
    return HandoverData(
        plant=plant,
        site=site,
        site_name=site_name or "",
        timezone=timezone,
        start=start,
        end=end,
        generated_at=generated,
        audit_head=chain_head(session),
        permits=permits,
        changes=changes,
        green_channel=green,
        alarms=alarms,
        critical=critical,
        critical_total=critical_total,
        commands=commands,
        excursions=gas_excursions(session, journal, start, end, site, limits),
        certificates=expiring_certificates(session, workers_by_permit, end, timezone),
        near_misses=near_misses,
        near_miss_total=near_miss_total,
        as_of=as_of if as_of < end else None,
        area_names=area_names,
        site_names={s.id: s.name for s in sites.values() if s.name},
        people=people_names(session, keys),
    )
