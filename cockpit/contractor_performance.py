"""Contractor safety performance over a period, for renewal decisions (issue 21 part 4).

Per contractor, over ``[start, end)`` (the report's days in plant time):

- permits worked: its permits whose work (``cockpit/work_intervals.py``) overlapped the period, and the
  work-hours inside it;
- violations and their points, recorded against the contractor in the period;
- stop-works in its work: stop commands issued in the period naming one of its permits;
- certificate lapses: its workers' certificates whose validity ended inside the period;
- near misses: those that occurred in the period in its work (``cockpit/near_misses.near_miss_counts``);
- the grade's trend: the grade rule (``models/rules/contractor_grade.py``, points of the 365 days before
  and qualifications lapsed by then) at the end of each month of the period, and the grade in force now.

Ranked best first: fewest violation points, then fewest stop-works, violations, near misses and
certificate lapses; a tie goes to the contractor that worked more permits (the same record over more
work), then by code. Listed: every active contractor, and an inactive one with anything in the period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from cockpit.near_misses import near_miss_counts as counted_near_misses
from cockpit.work_intervals import overlap_seconds, worked_permits
from connectors.database import Database
from models.errors import UserError
from models.plant_clock import DEFAULT_ZONE
from models.rules import contractor_grade as rule
from models.schema import (
    Certificate,
    Command,
    CommandKind,
    Contractor,
    ContractorQualification,
    ContractorViolation,
    Permit,
    Site,
    Worker,
)

MAX_DAYS = 366 * 3  # a longer period is a mistyped year, not a renewal review
KEEP = timedelta(minutes=5)  # the contractor cards share one ranking this long


@dataclass(frozen=True, slots=True)
class GradePoint:
    on: date  # the month's last day (or the period's), in plant time
    grade: str  # the rule's grade at the end of that day
    points: int  # the points that grade counts (the 365 days before)


@dataclass(frozen=True, slots=True)
class ContractorFigures:
    code: str
    name: str
    active: bool
    blacklisted: bool
    grade_now: str  # the grade in force as stored
    permits_worked: int
    work_hours: float
    violations: int
    points: int
    stop_works: int
    certificate_lapses: int
    near_misses: int | None  # None: near misses are not recorded on this database yet
    trend: tuple[GradePoint, ...]
    rank: int = 0

    def sort_key(self) -> tuple[int, int, int, int, int, int, str]:
        return (
            self.points,
            self.stop_works,
            self.violations,
            self.near_misses or 0,
            self.certificate_lapses,
            -self.permits_worked,
            self.code,
        )


@dataclass(frozen=True, slots=True)
class PerformanceReport:
    first_day: date
    last_day: date  # inclusive
    start: datetime  # UTC
    end: datetime  # UTC, exclusive
    zone: str
    generated_at: datetime
    plant: str
    rows: tuple[ContractorFigures, ...]  # ranked, best first
    near_misses_recorded: bool


def period(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    """``first`` 00:00 to the day after ``last`` 00:00, in ``zone``, as UTC; a bad period is a UserError."""
    if last < first:
        raise UserError(f"the period ends ({last}) before it starts ({first}); give --to on or after --from")
    if (last - first).days >= MAX_DAYS:
        raise UserError(f"the period {first} – {last} is longer than {MAX_DAYS} days; give a shorter one")
    tz = ZoneInfo(zone or DEFAULT_ZONE)
    start = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return start, end


def plant_zone(session: Session) -> str:
    """The plant's time zone: the one most sites share (the plant clock's default)."""
    zones = Counter(z or DEFAULT_ZONE for z in session.scalars(select(Site.timezone)))
    return zones.most_common(1)[0][0] if zones else DEFAULT_ZONE


def month_ends(first: date, last: date) -> list[date]:
    """The last day of each month the period touches, the period's last day for its last month."""
    out: list[date] = []
    cursor = first
    while cursor <= last:
        nxt = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        out.append(min(nxt - timedelta(days=1), last))
        cursor = nxt
    return out


def near_miss_counts(session: Session, start: datetime, end: datetime) -> Mapping[str, int] | None:
    """Near misses per contractor that occurred in ``[start, end)`` (the near-miss record's count)."""
    return counted_near_misses(session, start, end, by="contractor")


def _counts(session: Session, query: Select[str | None, int]) -> dict[str, int]:
    return {code: int(n) for code, n in session.execute(query) if code is not None}


def collect_performance(
    session: Session,
    first: date,
    last: date,
    *,
    zone: str = DEFAULT_ZONE,
    now: datetime | None = None,
    plant: str = "",
) -> PerformanceReport:
    """Every contractor's figures over the days ``first`` to ``last`` (inclusive) in ``zone``, ranked."""
    now = now or datetime.now(UTC)
    start, end = period(first, last, zone)
    worked: dict[str, list[str]] = {}
    hours: dict[str, float] = {}
    for w in worked_permits(session, start, end, now, Permit.contractor_code.is_not(None)):
        code = str(w.contractor_code)
        worked.setdefault(code, []).append(w.permit_id)
        hours[code] = hours.get(code, 0.0) + overlap_seconds(w.intervals, start, end) / 3600.0
    in_period = (ContractorViolation.at >= start, ContractorViolation.at < end)
    violations = _counts(
        session,
        select(ContractorViolation.contractor_code, func.count())
        .where(*in_period)
        .group_by(ContractorViolation.contractor_code),
    )
    points = _counts(
        session,
        select(ContractorViolation.contractor_code, func.coalesce(func.sum(ContractorViolation.points), 0))
        .where(*in_period)
        .group_by(ContractorViolation.contractor_code),
    )
    lapses = _counts(
        session,
        select(Worker.contractor_code, func.count(Certificate.id))
        .join(Certificate, Certificate.worker_id == Worker.id)
        .where(Certificate.valid_to >= first, Certificate.valid_to <= last)
        .group_by(Worker.contractor_code),
    )
    stops = _stop_works(session, start, end)
    near = near_miss_counts(session, start, end)
    trends = _trends(session, month_ends(first, last), zone)
    rows = []
    for c in session.scalars(select(Contractor).order_by(Contractor.code)):
        figures = ContractorFigures(
            code=c.code,
            name=c.name,
            active=bool(c.active),
            blacklisted=bool(c.blacklisted),
            grade_now=str(c.grade),
            permits_worked=len(worked.get(c.code, ())),
            work_hours=hours.get(c.code, 0.0),
            violations=violations.get(c.code, 0),
            points=points.get(c.code, 0),
            stop_works=stops.get(c.code, 0),
            certificate_lapses=lapses.get(c.code, 0),
            near_misses=None if near is None else near.get(c.code, 0),
            trend=trends.get(c.code, ()),
        )
        busy = figures.permits_worked or figures.violations or figures.stop_works or figures.near_misses
        if c.active or busy or figures.certificate_lapses:
            rows.append(figures)
    ranked = sorted(rows, key=ContractorFigures.sort_key)
    out = tuple(_with_rank(r, i) for i, r in enumerate(ranked, start=1))
    return PerformanceReport(first, last, start, end, zone, now, plant, out, near is not None)


def _with_rank(row: ContractorFigures, rank: int) -> ContractorFigures:
    return replace(row, rank=rank)


def _stop_works(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    """Stop commands in the period per contractor whose permits they named (one per command)."""
    commands = session.execute(
        select(Command.command_id, Command.permits).where(
            Command.kind == CommandKind.STOP, Command.issued_at >= start, Command.issued_at < end
        )
    ).all()
    named = {str(p) for _, permits in commands for p in (permits or ())}
    owner: dict[str, str] = {}
    ids = sorted(named)
    for i in range(0, len(ids), 500):
        for pid, code in session.execute(
            select(Permit.id, Permit.contractor_code).where(Permit.id.in_(ids[i : i + 500]))
        ):
            if code is not None:
                owner[pid] = code
    counts: dict[str, int] = {}
    for _, permits in commands:
        for code in {owner[str(p)] for p in (permits or ()) if str(p) in owner}:
            counts[code] = counts.get(code, 0) + 1
    return counts


def _trends(session: Session, ends: list[date], zone: str) -> dict[str, tuple[GradePoint, ...]]:
    """Each contractor's rule grade at the end of each of ``ends`` (plant days), from its violations of the
    365 days before and its qualifications: two queries for all contractors."""
    tz = ZoneInfo(zone or DEFAULT_ZONE)
    moments = [datetime.combine(d + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC) for d in ends]
    violations: dict[str, list[tuple[datetime, int]]] = {}
    for code, at, pts in session.execute(
        select(ContractorViolation.contractor_code, ContractorViolation.at, ContractorViolation.points).where(
            ContractorViolation.contractor_code.is_not(None),
            ContractorViolation.at >= rule.window_start(moments[0]),
            ContractorViolation.at < moments[-1],
        )
    ):
        violations.setdefault(str(code), []).append((_utc(at), int(pts)))
    qualifications: dict[str, list[tuple[str, date | None]]] = {}
    for code, name, valid_to in session.execute(
        select(
            ContractorQualification.contractor_code,
            ContractorQualification.name,
            ContractorQualification.valid_to,
        )
    ):
        qualifications.setdefault(code, []).append((name, valid_to))
    out: dict[str, tuple[GradePoint, ...]] = {}
    for code in session.scalars(select(Contractor.code)):
        quals, points = qualifications.get(code, []), []
        for day, moment in zip(ends, moments, strict=True):
            since = rule.window_start(moment)
            pts = sum(p for at, p in violations.get(code, ()) if since <= at < moment)
            decision = rule.derive(
                pts,
                blacklisted=False,
                qualified=bool(quals),
                lapsed_names=rule.lapsed(quals, day + timedelta(days=1)),
            )
            points.append(GradePoint(day, decision.derived, pts))
        out[code] = tuple(points)
    return out


def _utc(ts: datetime) -> datetime:
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


Summary = tuple[PerformanceReport, ContractorFigures | None]


class ContractorPerformance:
    """The contractor card's summary and the report's data; each call opens its own session."""

    def __init__(
        self,
        db: Database,
        *,
        zone: str = DEFAULT_ZONE,
        plant: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._db = db
        self._zone = zone
        self._plant = plant
        self._clock = clock or (lambda: datetime.now(UTC))
        self._kept: tuple[datetime, PerformanceReport] | None = None  # the cards' last ranking

    def report(self, first: date, last: date) -> PerformanceReport:
        with self._db.session() as s:
            return collect_performance(s, first, last, zone=self._zone, now=self._clock(), plant=self._plant)

    def last_quarter(self) -> tuple[date, date]:
        """The card's period: the 90 days up to today, in plant time."""
        today = self._clock().astimezone(ZoneInfo(self._zone or DEFAULT_ZONE)).date()
        return today - timedelta(days=89), today

    def summary(self, code: str) -> Summary:
        """The last 90 days: the whole ranking (for "rank n of m") and this contractor's row.

        The ranking reads every contractor's quarter (seconds on a large plant, ``bench/contractor_heat``),
        so the cards share one for ``KEEP``: opening one card after another reads it once.
        """
        first, last = self.last_quarter()
        now, kept = self._clock(), self._kept
        if kept is None or (kept[1].first_day, kept[1].last_day) != (first, last) or now - kept[0] > KEEP:
            kept = self._kept = (now, self.report(first, last))
        report = kept[1]
        return report, next((r for r in report.rows if r.code == code), None)
