"""The monthly special-work analysis (issue 21, part 3): the figures of one plant month and the months
before it, read from the database with SQL aggregates.

A month is a calendar month in the plant's time zone (``models/plant_clock.py``): 2026-11 in Shanghai
starts 2026-10-31 16:00 UTC. Every figure counts what happened in the month:

- permits: submitted in the month (``created_at``), by type, grade (the effective grade where the rules
  raised it), site and contractor;
- approval: the ``approved`` events of the month; lead time from submission to approval (median, p90);
  *late* approvals, signed after the work's planned start (``valid_from``): the crew waited;
- escalations: ``escalated`` events (each step once), and the permits they concern;
- rejections and send-backs: the signatures that rejected or sent back, by reason *code* (a reason reads
  ``code: sentence`` or ``code(params): sentence``; a reason without a code counts as ``uncoded``);
- the green channel: approvals on it (audit ``permit.approve_green_channel``) and the next-day reviews,
  accepted or with a finding;
- gas tests on time: starts of hot work and confined-space entry in the month, and those with a passing
  gas test at most 30 min before the start (GB 30871, ``models/rules/gas_tests.py``);
- stop-works: automatic and manual stop commands, and the time from issue to the first ``executed``
  acknowledgement (as received by the cockpit: one clock), median and p90; stops never executed;
- the alarm system's figures of the month (``cockpit/alarm_kpi.py``).

Reading rows and counting them in Python took 12.86 s for a month of 1M permits; the counts, groups and
time differences are computed by the database here (``bench/monthly_report.py``), only the lead times
(one number per approved permit) and the month's alarm journal come back as rows.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Integer, Numeric, and_, cast, exists, func, select, text
from sqlalchemy.orm import Session

from cockpit.alarm_kpi import AlarmKpis, read_kpis
from cockpit.near_misses import near_miss_counts
from cockpit.permits.transitions import APPROVED_EVENT
from cockpit.report.monthly_alarms import AlarmMonth, read_alarm_month
from connectors.database import Database
from models.errors import UserError
from models.plant_clock import DEFAULT_ZONE
from models.records import PermitType
from models.rules.gas_tests import SAMPLE_BEFORE_START
from models.schema import (
    Approval,
    ApprovalDecision,
    Area,
    AuditEntry,
    Command,
    CommandAckRow,
    CommandKind,
    Contractor,
    GasTest,
    Permit,
    PermitEventRow,
    Site,
)

PREVIOUS_MONTHS = 3
TOP_REASONS = 5
UNCODED = "uncoded"
NO_GRADE = "none"
NO_CONTRACTOR = "own_staff"
GREEN_APPROVED = "permit.approve_green_channel"  # cockpit/permits/review.py
GREEN_REVIEWED = "permit.green_channel_reviewed"
GAS_TESTED_TYPES = (PermitType.HOT_WORK, PermitType.CONFINED_SPACE)
_MONTH = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})$")
# ``code: sentence``, ``code(params): sentence``, ``[code] sentence``; a full-width colon too.
_REASON_CODE = re.compile(
    r"^\s*(?:\[(?P<b>[a-z][a-z0-9_.]*)\]|(?P<c>[a-z][a-z0-9_.]*)(?:\([^)]*\))?\s*[:：])"
)

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class ReasonCount:
    code: str
    rejected: int
    sent_back: int

    @property
    def total(self) -> int:
        return self.rejected + self.sent_back


@dataclass(frozen=True)
class MonthFigures:
    """One month's figures (counts are whole numbers; times in seconds, None where nothing was timed)."""

    month: str
    start: datetime  # UTC, the first instant of the month in the plant's zone
    end: datetime  # UTC, the first instant of the next month
    permits: int = 0
    by_type: tuple[tuple[str, int], ...] = ()  # most first, then by name
    by_grade: tuple[tuple[str, int], ...] = ()
    by_site: tuple[tuple[str, int], ...] = ()
    by_contractor: tuple[tuple[str, int], ...] = ()
    approved: int = 0
    lead_median_s: float | None = None
    lead_p90_s: float | None = None
    approved_late: int = 0
    escalations: int = 0
    escalated_permits: int = 0
    rejected: int = 0
    sent_back: int = 0
    reasons: tuple[ReasonCount, ...] = ()  # most first
    green_channel: int = 0
    reviews_accepted: int = 0
    review_findings: int = 0
    gas_starts: int = 0
    gas_on_time: int = 0
    stops_auto: int = 0
    stops_manual: int = 0
    stops_not_executed: int = 0
    stop_exec_median_s: float | None = None
    stop_exec_p90_s: float | None = None
    alarm_load: AlarmMonth | None = None  # every month: counted by the database
    alarms: AlarmKpis | None = None  # the report month only: all of alarm_kpi's figures

    @property
    def late_share(self) -> float:
        return self.approved_late / self.approved if self.approved else 0.0

    @property
    def gas_on_time_share(self) -> float:
        return self.gas_on_time / self.gas_starts if self.gas_starts else 1.0

    @property
    def stops(self) -> int:
        return self.stops_auto + self.stops_manual

    @property
    def top_reasons(self) -> tuple[ReasonCount, ...]:
        return self.reasons[:TOP_REASONS]


@dataclass(frozen=True)
class NearMissFigures:
    """Near misses of a month by category (the near-miss record is issue 21 part 2; see ``near_misses``)."""

    total: int
    by_category: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class MonthlyReport:
    plant: str
    zone: str
    generated_at: datetime
    month: MonthFigures
    previous: tuple[MonthFigures, ...]  # oldest first, the months just before ``month``
    near_misses: NearMissFigures | None = None
    near_misses_previous: tuple[NearMissFigures | None, ...] = field(default_factory=tuple)
    site_names: dict[str, str] = field(default_factory=dict)
    contractor_names: dict[str, str] = field(default_factory=dict)
    area_names: dict[str, str] = field(default_factory=dict)  # "site/area" -> the area's name

    @property
    def months(self) -> tuple[MonthFigures, ...]:
        """The previous months and the month, oldest first (the trend's order)."""
        return (*self.previous, self.month)


# ---------------------------------------------------------------- months


def parse_month(text: str) -> tuple[int, int]:
    """``2026-11`` → (2026, 11), or one UserError line."""
    found = _MONTH.match(text.strip()) if text else None
    if found is None or not 1 <= int(found["m"]) <= 12 or int(found["y"]) < 2000:
        raise UserError(f"--month {text!r}: give the month as YYYY-MM, e.g. 2026-11")
    return int(found["y"]), int(found["m"])


def month_bounds(year: int, month: int, zone: str) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's, in UTC, for a month in ``zone``."""
    tz = ZoneInfo(zone)
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    start = datetime(year, month, 1, tzinfo=tz).astimezone(UTC)
    return start, datetime(nxt[0], nxt[1], 1, tzinfo=tz).astimezone(UTC)


def months_back(year: int, month: int, n: int) -> list[tuple[int, int]]:
    """The ``n`` months before (year, month), oldest first."""
    out = []
    for _ in range(n):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        out.append((year, month))
    return out[::-1]


def plant_zone(session: Session) -> str:
    """The plant's zone: the one most sites share (as ``PlantClock.from_sites``), else Shanghai."""
    zones = Counter(z or DEFAULT_ZONE for z in session.scalars(select(Site.timezone)))
    zone = zones.most_common(1)[0][0] if zones else DEFAULT_ZONE
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return DEFAULT_ZONE
    return zone


# ---------------------------------------------------------------- SQL helpers


def _seconds(session: Session, later: Any, earlier: Any) -> Any:
    """``later - earlier`` in seconds to the millisecond, computed by the database. SQLite's julianday is
    a day count in a double: 18000 s came back as 18000.0000134, and a gas test exactly 30 min before a
    start was late; rounding to the millisecond gives the exact figure (DEVELOPERS.md)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.round(cast(func.extract("epoch", later - earlier), Numeric), 3)
    return func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0, 3)


def p90(values: Sequence[float]) -> float | None:
    """The 90th percentile, nearest rank (a value that occurred)."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[p90_rank(len(ordered)) - 1])


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def reason_code(reason: str) -> str:
    """The code a reason starts with (``isolation: blind flange missing`` → ``isolation``), or ``uncoded``."""
    found = _REASON_CODE.match(reason or "")
    return (found["b"] or found["c"]) if found else UNCODED


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


# ---------------------------------------------------------------- the figures


def _permit_groups(s: Session, start: datetime, end: datetime) -> dict[str, Any]:
    grade = func.coalesce(Permit.effective_grade, Permit.grade)
    rows = s.execute(
        select(Permit.type, grade, Permit.site_id, Permit.contractor_code, func.count())
        .where(Permit.created_at >= start, Permit.created_at < end)
        .group_by(Permit.type, grade, Permit.site_id, Permit.contractor_code)
    ).all()
    by: dict[str, Counter[str]] = {k: Counter() for k in ("type", "grade", "site", "contractor")}
    for ptype, pgrade, site, contractor, n in rows:
        by["type"][str(ptype)] += n
        by["grade"][str(pgrade) if pgrade else NO_GRADE] += n
        by["site"][site] += n
        by["contractor"][contractor or NO_CONTRACTOR] += n
    return {
        "permits": sum(by["type"].values()),
        "by_type": _ranked(by["type"]),
        "by_grade": _ranked(by["grade"]),
        "by_site": _ranked(by["site"]),
        "by_contractor": _ranked(by["contractor"]),
    }


def _approvals(s: Session, start: datetime, end: datetime) -> dict[str, Any]:
    """The month's approvals. An ``approved`` event carries its lead and lateness (written with it,
    migration 0014), read from the index; one without them (written before, or by an import or the
    demo's seed) is joined to its permit. The leads come back as (whole seconds, how many)."""
    ev = PermitEventRow
    in_month = and_(ev.type == APPROVED_EVENT, ev.ts >= start, ev.ts < end)
    kept_lead = func.round(ev.lead_s)
    kept = s.execute(
        select(kept_lead, func.count(), func.sum(cast(ev.after_start, Integer)))
        .where(in_month, ev.lead_s.is_not(None))
        .group_by(kept_lead)
    ).all()
    joined_lead = func.round(_seconds(s, ev.ts, Permit.created_at))
    joined = s.execute(
        select(joined_lead, func.count(), func.sum(cast(ev.ts > Permit.valid_from, Integer)))
        .join(Permit, Permit.id == ev.permit_id)
        .where(in_month, ev.lead_s.is_(None))
        .group_by(joined_lead)
    ).all()
    leads: Counter[float] = Counter()
    for v, n, _late in (*kept, *joined):
        leads[float(v)] += int(n)
    counted = sorted(leads.items())
    total = sum(leads.values())
    esc = s.execute(
        select(func.count(), func.count(func.distinct(ev.permit_id))).where(
            ev.type == "escalated", ev.ts >= start, ev.ts < end
        )
    ).one()
    return {
        "approved": total,
        "lead_median_s": weighted_median(counted),
        "lead_p90_s": at_rank(counted, p90_rank(total)) if total else None,
        "approved_late": sum(int(x or 0) for _v, _n, x in (*kept, *joined)),
        "escalations": int(esc[0]),
        "escalated_permits": int(esc[1]),
    }


def p90_rank(n: int) -> int:
    """The nearest rank of the 90th percentile, ceil(0.9 n), in whole numbers (0.9 * 70 is 63.000…01)."""
    return max(1, (9 * n + 9) // 10)


def at_rank(counted: Sequence[tuple[float, int]], rank: int) -> float | None:
    """The value at ``rank`` (1-based) of sorted (value, count) pairs."""
    seen = 0
    for value, n in counted:
        seen += n
        if seen >= rank:
            return value
    return None


def weighted_median(counted: Sequence[tuple[float, int]]) -> float | None:
    """The median of sorted (value, count) pairs: the middle value, or the mean of the two middle ones."""
    total = sum(n for _v, n in counted)
    low, high = at_rank(counted, (total + 1) // 2), at_rank(counted, (total + 2) // 2)
    return (low + high) / 2 if total and low is not None and high is not None else None


def _refusals(s: Session, start: datetime, end: datetime) -> dict[str, Any]:
    rows = s.execute(
        select(Approval.decision, Approval.reason).where(
            Approval.decision.in_((ApprovalDecision.REJECT, ApprovalDecision.SEND_BACK)),
            Approval.signed_at >= start,
            Approval.signed_at < end,
        )
    ).all()
    rejected: Counter[str] = Counter()
    sent_back: Counter[str] = Counter()
    for decision, reason in rows:
        (rejected if decision == ApprovalDecision.REJECT else sent_back)[reason_code(reason)] += 1
    codes = set(rejected) | set(sent_back)
    reasons = sorted(
        (ReasonCount(c, rejected[c], sent_back[c]) for c in codes), key=lambda r: (-r.total, r.code)
    )
    return {
        "rejected": sum(rejected.values()),
        "sent_back": sum(sent_back.values()),
        "reasons": tuple(reasons),
    }


def _green_channel(s: Session, start: datetime, end: datetime) -> dict[str, Any]:
    a = AuditEntry
    in_month = and_(a.ts >= start, a.ts < end)
    green = s.scalar(select(func.count()).where(a.action == GREEN_APPROVED, in_month))
    findings = func.sum(cast(a.details.like('%"outcome":"finding"%'), Integer))
    reviewed = s.execute(select(func.count(), findings).where(a.action == GREEN_REVIEWED, in_month)).one()
    found = int(reviewed[1] or 0)
    return {
        "green_channel": int(green or 0),
        "reviews_accepted": int(reviewed[0]) - found,
        "review_findings": found,
    }


def _gas_tests(s: Session, start: datetime, end: datetime) -> dict[str, Any]:
    ev = PermitEventRow
    before = _seconds(s, ev.ts, GasTest.taken_at)
    on_time = exists().where(
        GasTest.permit_id == ev.permit_id,
        GasTest.passed.is_(True),
        GasTest.taken_at <= ev.ts,
        before <= SAMPLE_BEFORE_START.total_seconds(),
    )
    row = s.execute(
        select(func.count(), func.sum(cast(on_time, Integer)))
        .select_from(ev)
        .join(Permit, Permit.id == ev.permit_id)
        .where(ev.type == "started", ev.ts >= start, ev.ts < end, Permit.type.in_(GAS_TESTED_TYPES))
    ).one()
    return {"gas_starts": int(row[0]), "gas_on_time": int(row[1] or 0)}


def _stops(s: Session, start: datetime, end: datetime) -> dict[str, Any]:
    executed = (
        select(CommandAckRow.command_id, func.min(CommandAckRow.received_at).label("at"))
        .where(CommandAckRow.status == "executed")
        .group_by(CommandAckRow.command_id)
        .subquery()
    )
    took = _seconds(s, executed.c.at, Command.issued_at)
    rows = s.execute(
        select(Command.auto, took)
        .outerjoin(executed, executed.c.command_id == Command.command_id)
        .where(Command.kind == CommandKind.STOP, Command.issued_at >= start, Command.issued_at < end)
    ).all()
    times = [float(t) for _auto, t in rows if t is not None]
    return {
        "stops_auto": sum(1 for auto, _t in rows if auto),
        "stops_manual": sum(1 for auto, _t in rows if not auto),
        "stops_not_executed": sum(1 for _auto, t in rows if t is None),
        "stop_exec_median_s": median(times),
        "stop_exec_p90_s": p90(times),
    }


REPORT_CACHE_KIB = 131_072


def _big_cache(s: Session) -> None:
    """On SQLite, a page cache of 128 MiB for the report's connection (the default is 2 MiB): the month's
    index probes then stay in the process instead of going back to the file each time (bench: the
    approvals' join 2.0 s -> 0.9 s); set back by ``_small_cache``."""
    if s.get_bind().dialect.name == "sqlite":
        s.execute(text(f"PRAGMA cache_size=-{REPORT_CACHE_KIB}"))


def _small_cache(s: Session) -> None:
    if s.get_bind().dialect.name == "sqlite":
        s.execute(text("PRAGMA cache_size=-2000"))


def month_figures(db: Database, year: int, month: int, zone: str, *, alarms: bool = True) -> MonthFigures:
    """The figures of one month (plant zone ``zone``); ``alarms``: also alarm_kpi's full figures."""
    start, end = month_bounds(year, month, zone)
    with db.session() as s:
        _big_cache(s)
        parts: dict[str, Any] = {}
        for part in (_permit_groups, _approvals, _refusals, _green_channel, _gas_tests, _stops):
            parts.update(part(s, start, end))
        parts["alarm_load"] = read_alarm_month(s, start, end)
        _small_cache(s)
    kpis = read_kpis(db, start, end) if alarms else None
    return MonthFigures(month=f"{year:04d}-{month:02d}", start=start, end=end, alarms=kpis, **parts)


def near_misses(db: Database, start: datetime, end: datetime) -> NearMissFigures | None:
    """The month's near misses (operators' and the field's) by category, most first."""
    with db.session() as s:
        counts = near_miss_counts(s, start, end, by="category")
    ordered = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return NearMissFigures(sum(counts.values()), ordered)


def collect_monthly(
    db: Database,
    month: str,
    *,
    plant: str = "",
    zone: str | None = None,
    previous: int = PREVIOUS_MONTHS,
    progress: Progress | None = None,
    now: datetime | None = None,
    fresh: bool = False,
) -> MonthlyReport:
    """The month named ``month`` (YYYY-MM) and the ``previous`` months before it: those read from the
    kept figures of settled months (``monthly_cache``) unless ``fresh``; the ones counted are kept."""
    from cockpit.report.monthly_cache import keep_month, kept_month

    year, mon = parse_month(month)
    report = progress or (lambda _done, _total, _text: None)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    with db.session() as s:
        zone = zone or plant_zone(s)
        site_names = {k: v for k, v in s.execute(select(Site.id, Site.name))}
        contractor_names = {k: v for k, v in s.execute(select(Contractor.code, Contractor.name))}
        area_names = {
            f"{site}/{area}": name for site, area, name in s.execute(select(Area.site_id, Area.id, Area.name))
        }
    wanted = [*months_back(year, mon, previous), (year, mon)]
    figures = []
    for i, (y, m) in enumerate(wanted):
        label, last = f"{y:04d}-{m:02d}", (y, m) == (year, mon)
        report(i, len(wanted), label)
        found = None
        if not last and not fresh:
            with db.session() as s:
                found = kept_month(s, label, zone, month_bounds(y, m, zone)[1])
        if found is None:
            found = month_figures(db, y, m, zone, alarms=last)
            if not last:
                with db.session() as s:
                    keep_month(s, found, zone, now)
        figures.append(found)
    report(len(wanted), len(wanted), "done")
    return MonthlyReport(
        plant=plant,
        zone=zone,
        generated_at=now,
        month=figures[-1],
        previous=tuple(figures[:-1]),
        near_misses=near_misses(db, figures[-1].start, figures[-1].end),
        near_misses_previous=tuple(near_misses(db, f.start, f.end) for f in figures[:-1]),
        site_names=site_names,
        contractor_names=contractor_names,
        area_names=area_names,
    )
