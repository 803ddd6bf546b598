"""Everything the shift handover prints, gathered from the database into plain records.

The PDF module never touches the database and this one never draws: the records below are the whole
interface, so the report can be rendered from a test fixture, and its content hashed for the signatures.

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

import hashlib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from models.audit import canonical_json, chain_head
from models.records import PermitStatus, PermitType
from models.rules.prerequisites import requirements
from models.schema import (
    AlarmJournalEntry,
    Approval,
    ApprovalDecision,
    Certificate,
    Command,
    CommandAckRow,
    GasTest,
    Permit,
    PermitEventRow,
    PermitWorker,
    Site,
    Worker,
)

DEFAULT_TZ = "Asia/Shanghai"
ALARM_LOOKBACK = timedelta(days=30)
STANDING_AFTER = timedelta(hours=24)
FLOOD_WINDOW = timedelta(minutes=10)
FLOOD_COUNT = 10
CERT_WARN_DAYS = 60
GAS_CONDITIONS = frozenset({"HI", "HIHI", "LO", "LOLO"})
GAS_TEST_MAX_AGE = timedelta(hours=2)  # confined space: a reading at least every 2 h (GB 30871)
MAX_PRIORITY1_LISTED = 200

# Permit event types (free text in the table) and the permit state each one leaves behind.
_EVENT_STATE: dict[str, str | None] = {
    "started": "active",
    "active": "active",
    "activated": "active",
    "resumed": "active",
    "paused": "suspended",
    "suspended": "suspended",
    "stopped": "suspended",
    "completed": None,
    "closed": None,
    "cancelled": None,
    "expired": None,
    "rejected": None,
    "reject": None,
    "approved": "approved",
    "approve": "approved",
    "submitted": "submitted",
}
OPENED_EVENTS = frozenset({"started", "active", "activated", "opened"})
CLOSED_EVENTS = frozenset({"completed", "closed"})
REJECTED_EVENTS = frozenset({"rejected", "reject"})
ESCALATED_EVENTS = frozenset({"escalated", "escalation"})
# Escalation is computed by the permit service and raised as an alarm; either record is taken.
ESCALATION_CONDITIONS = frozenset({"ESCALATED", "APPROVAL_ESCALATED", "APPROVAL_OVERDUE"})

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


def alarm_state(raw: str) -> str:
    """One spelling for each ISA-18.2 state (``Active-Unacknowledged`` → ``active_unack``)."""
    key = raw.strip().lower().replace("-", "_").replace(" ", "_")
    return _STATE_ALIASES.get(key, key)


# ---------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class OpenPoint:
    """Something the incoming lead must follow up; ``code`` picks the sentence in the PDF's language."""

    code: (
        str  # suspended, no_gas_test, gas_test_failed, gas_test_old, expiring, expired, prerequisite, review
    )
    arg: str = ""


@dataclass(frozen=True, slots=True)
class PermitLine:
    id: str
    type: str
    grade: str | None
    status: str  # "active" or "suspended" at the end of the shift
    site: str
    area: str
    supervisor: str  # name (id when the worker is unknown)
    valid_to: datetime
    validity_left: timedelta  # negative when past validity
    last_gas_test: datetime | None
    gas_test_age: timedelta | None
    gas_test_passed: bool | None
    workers: int
    open_points: tuple[OpenPoint, ...] = ()


@dataclass(frozen=True, slots=True)
class PermitChange:
    kind: str  # opened, closed, rejected, escalated
    permit_id: str
    type: str
    area: str
    ts: datetime
    by: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class GreenChannelApproval:
    permit_id: str
    type: str
    area: str
    signer: str
    signed_at: datetime
    reason: str
    review_pending: bool


@dataclass(frozen=True, slots=True)
class AckLine:
    ts: datetime
    status: str
    by: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class CommandLine:
    command_id: str
    kind: str  # stop or resume
    site: str
    area: str
    issued_at: datetime
    issued_by: str
    auto: bool
    reason: str
    alarm_id: str | None
    state: str
    permits: tuple[str, ...]
    acks: tuple[AckLine, ...]


@dataclass(frozen=True, slots=True)
class AlarmAction:
    """One thing done about an alarm: ``kind`` is ack, shelve, normal, stop or resume."""

    ts: datetime
    kind: str
    by: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class CriticalAlarm:
    alarm_id: str
    ts: datetime
    site: str
    area: str
    source: str
    condition: str
    value: float | None
    unit: str
    actions: tuple[AlarmAction, ...]


@dataclass(frozen=True, slots=True)
class AlarmFigures:
    """Counts over the shift and the EEMUA 191 figures."""

    total: int
    by_priority: dict[int, int]
    per_10min_avg: float
    per_10min_peak: int
    floods: int  # episodes of FLOOD_COUNT or more alarms within FLOOD_WINDOW
    flood_starts: tuple[datetime, ...]
    standing_24h: int  # active at the end of the shift and raised more than 24 h before it
    shelved_now: int  # shelved at the end of the shift


@dataclass(frozen=True, slots=True)
class GasPoint:
    ts: datetime
    value: float


@dataclass(frozen=True, slots=True)
class GasSeries:
    channel: str
    unit: str
    points: tuple[GasPoint, ...]


@dataclass(frozen=True, slots=True)
class Excursion:
    ts: datetime
    source: str
    condition: str
    value: float | None
    unit: str


@dataclass(frozen=True, slots=True)
class AreaExcursions:
    site: str
    area: str
    excursions: tuple[Excursion, ...]
    series: tuple[GasSeries, ...]


@dataclass(frozen=True, slots=True)
class ExpiringCertificate:
    worker_id: str
    worker_name: str
    trade: str
    number: str
    valid_to: date
    days_left: int  # negative: expired
    permits: tuple[str, ...]


@dataclass(frozen=True)
class HandoverData:
    plant: str
    site: str | None
    site_name: str
    timezone: str
    start: datetime
    end: datetime
    generated_at: datetime
    audit_head: str
    permits: tuple[PermitLine, ...] = ()
    changes: tuple[PermitChange, ...] = ()
    green_channel: tuple[GreenChannelApproval, ...] = ()
    alarms: AlarmFigures = field(
        default_factory=lambda: AlarmFigures(0, {1: 0, 2: 0, 3: 0, 4: 0}, 0.0, 0, 0, (), 0, 0)
    )
    critical: tuple[CriticalAlarm, ...] = ()
    critical_total: int = 0
    commands: tuple[CommandLine, ...] = ()
    excursions: tuple[AreaExcursions, ...] = ()
    certificates: tuple[ExpiringCertificate, ...] = ()
    outgoing_lead: str = ""
    incoming_lead: str = ""

    @property
    def has_events(self) -> bool:
        """False for a quiet shift: no alarm, command, permit change or green-channel approval."""
        return bool(
            self.alarms.total or self.commands or self.changes or self.green_channel or self.excursions
        )

    def local(self, ts: datetime) -> datetime:
        """A UTC instant in the site's local time (paper shows local time only)."""
        return ts.astimezone(ZoneInfo(self.timezone))


def content_hash(data: HandoverData, notes: str = "") -> str:
    """sha256 of what the leads sign: the gathered content and the notes (not the PDF bytes)."""
    payload = asdict(data)
    payload.pop("generated_at", None)
    payload["notes"] = notes
    text = canonical_json(_jsonable(payload))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


# ---------------------------------------------------------------- gathering


def _site_filter(column: Any, site: str | None) -> Any:
    return column == site if site else True


def collect_handover(
    session: Session,
    *,
    start: datetime,
    end: datetime,
    site: str | None,
    plant: str = "",
    now: datetime | None = None,
) -> HandoverData:
    """Gather the handover for the window [start, end) (aware datetimes) of one site or all sites."""
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

    permits, workers_by_permit = _active_permits(session, start, end, site, timezone)
    alarms, critical, critical_total, journal = _alarms(session, start, end, site)
    commands = _commands(session, start, end, site)
    critical = _attach_commands(critical, session, start, end, site)
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
        changes=_changes(session, start, end, site, journal),
        green_channel=_green_channel(session, start, end, site),
        alarms=alarms,
        critical=critical,
        critical_total=critical_total,
        commands=commands,
        excursions=_excursions(session, journal, start, end, site),
        certificates=_certificates(session, workers_by_permit, end, timezone),
    )


def _worker_names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(ids))
    names: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        names.update(session.execute(select(Worker.id, Worker.name).where(Worker.id.in_(chunk))).all())
    return names


def _active_permits(
    session: Session, start: datetime, end: datetime, site: str | None, timezone: str
) -> tuple[tuple[PermitLine, ...], dict[str, list[str]]]:
    live = (PermitStatus.ACTIVE, PermitStatus.SUSPENDED)
    candidate = and_(
        Permit.valid_from <= end,
        or_(Permit.status.in_(live), Permit.valid_to >= start),
        Permit.status.not_in((PermitStatus.SUBMITTED, PermitStatus.REJECTED)),
        _site_filter(Permit.site_id, site),
    )
    rows = session.scalars(select(Permit).where(candidate)).all()
    ids_q = select(Permit.id).where(candidate)

    state_at_end: dict[str, str | None] = {}
    events = session.execute(
        select(PermitEventRow.permit_id, PermitEventRow.type, PermitEventRow.detail, PermitEventRow.ts)
        .where(PermitEventRow.permit_id.in_(ids_q), PermitEventRow.ts <= end)
        .order_by(PermitEventRow.ts, PermitEventRow.id)
    ).all()
    suspend_reason: dict[str, str] = {}
    for pid, etype, detail, _ts in events:
        key = etype.lower()
        if key in _EVENT_STATE:
            state_at_end[pid] = _EVENT_STATE[key]
            if _EVENT_STATE[key] == "suspended":
                suspend_reason[pid] = (
                    str((detail or {}).get("reason", "")) if isinstance(detail, dict) else ""
                )

    latest_test = (
        select(GasTest.permit_id, func.max(GasTest.taken_at).label("at"))
        .where(GasTest.permit_id.in_(ids_q), GasTest.taken_at <= end)
        .group_by(GasTest.permit_id)
        .subquery()
    )
    tests = {
        pid: (at, passed)
        for pid, at, passed in session.execute(
            select(GasTest.permit_id, GasTest.taken_at, GasTest.passed).join(
                latest_test,
                and_(GasTest.permit_id == latest_test.c.permit_id, GasTest.taken_at == latest_test.c.at),
            )
        )
    }

    chosen: list[Permit] = []
    status_of: dict[str, str] = {}
    for p in rows:
        # No state-changing event: the permit's present status stands for its state at the end.
        fallback = str(p.status) if p.status in live else None
        status = state_at_end.get(p.id, fallback)
        if status in ("active", "suspended"):
            chosen.append(p)
            status_of[p.id] = status
    chosen.sort(key=lambda p: (p.site_id, p.area_id, p.id))
    live_ids = [p.id for p in chosen]

    workers_by_permit: dict[str, list[str]] = defaultdict(list)
    if live_ids:
        for pid, wid in session.execute(
            select(PermitWorker.permit_id, PermitWorker.worker_id).where(PermitWorker.permit_id.in_(ids_q))
        ):
            if pid in status_of:
                workers_by_permit[pid].append(wid)
    names = _worker_names(session, [p.supervisor for p in chosen])

    lines = []
    for p in chosen:
        at, passed = tests.get(p.id, (None, None))
        points: list[OpenPoint] = []
        if status_of[p.id] == "suspended":
            points.append(OpenPoint("suspended", suspend_reason.get(p.id, "")))
        left = p.valid_to - end
        needs_gas = p.type in (PermitType.HOT_WORK, PermitType.CONFINED_SPACE)
        if needs_gas and at is None:
            points.append(OpenPoint("no_gas_test"))
        elif passed is False:
            points.append(OpenPoint("gas_test_failed"))
        elif p.type is PermitType.CONFINED_SPACE and at is not None and end - at > GAS_TEST_MAX_AGE:
            points.append(OpenPoint("gas_test_old"))
        if left < timedelta(0):
            points.append(OpenPoint("expired"))
        elif left < timedelta(hours=1):
            points.append(OpenPoint("expiring", f"{int(left.total_seconds() // 60)}"))
        given = p.prerequisites or {}
        missing = [r.key for r in requirements(p.type) if given and given.get(r.key) is not True]
        if missing:
            points.append(OpenPoint("prerequisite", ", ".join(sorted(missing))))
        if p.green_channel_review:
            points.append(OpenPoint("review"))
        lines.append(
            PermitLine(
                id=p.id,
                type=str(p.type),
                grade=str(p.effective_grade or p.grade) if (p.effective_grade or p.grade) else None,
                status=status_of[p.id],
                site=p.site_id,
                area=p.area_id,
                supervisor=names.get(p.supervisor, p.supervisor),
                valid_to=p.valid_to,
                validity_left=left,
                last_gas_test=at,
                gas_test_age=(end - at) if at else None,
                gas_test_passed=passed,
                workers=len(workers_by_permit.get(p.id, ())),
                open_points=tuple(points),
            )
        )
    return tuple(lines), dict(workers_by_permit)


def _changes(
    session: Session, start: datetime, end: datetime, site: str | None, journal: list[AlarmJournalEntry]
) -> tuple[PermitChange, ...]:
    wanted = OPENED_EVENTS | CLOSED_EVENTS | REJECTED_EVENTS | ESCALATED_EVENTS
    rows = session.execute(
        select(
            PermitEventRow.permit_id,
            PermitEventRow.type,
            PermitEventRow.ts,
            PermitEventRow.by,
            PermitEventRow.detail,
            Permit.type,
            Permit.area_id,
        )
        .join(Permit, Permit.id == PermitEventRow.permit_id)
        .where(
            PermitEventRow.ts >= start,
            PermitEventRow.ts < end,
            func.lower(PermitEventRow.type).in_(sorted(wanted)),
            _site_filter(Permit.site_id, site),
        )
        .order_by(PermitEventRow.ts)
    ).all()
    seen: set[tuple[str, str]] = set()
    out: list[PermitChange] = []

    def add(change: PermitChange) -> None:
        key = (change.kind, change.permit_id)
        if key not in seen:
            seen.add(key)
            out.append(change)

    for pid, etype, ts, by, detail, ptype, area in rows:
        key = etype.lower()
        kind = (
            "opened"
            if key in OPENED_EVENTS
            else "closed"
            if key in CLOSED_EVENTS
            else "rejected"
            if key in REJECTED_EVENTS
            else "escalated"
        )
        text = ""
        if isinstance(detail, dict):
            text = str(detail.get("reason") or detail.get("to") or "")
        add(PermitChange(kind, pid, str(ptype), area, ts, by, text))
    # A rejection signed in the approval panel counts even when no event row was written for it.
    for pid, ts, signer, reason, ptype, area in session.execute(
        select(
            Approval.permit_id,
            Approval.signed_at,
            Approval.signer,
            Approval.reason,
            Permit.type,
            Permit.area_id,
        )
        .join(Permit, Permit.id == Approval.permit_id)
        .where(
            Approval.signed_at >= start,
            Approval.signed_at < end,
            Approval.decision == ApprovalDecision.REJECT,
            _site_filter(Permit.site_id, site),
        )
    ):
        add(PermitChange("rejected", pid, str(ptype), area, ts, signer, reason))
    for e in journal:
        if e.condition.upper() in ESCALATION_CONDITIONS and _is_annunciation(e):
            add(PermitChange("escalated", _channel_of(e.source), "", e.area_id, e.ts, e.who, e.note))
    order = {"opened": 0, "closed": 1, "rejected": 2, "escalated": 3}
    out.sort(key=lambda c: (order[c.kind], c.ts, c.permit_id))
    return tuple(out)


def _green_channel(
    session: Session, start: datetime, end: datetime, site: str | None
) -> tuple[GreenChannelApproval, ...]:
    rows = session.execute(
        select(
            Approval.permit_id,
            Permit.type,
            Permit.area_id,
            Approval.signer,
            Approval.signed_at,
            Approval.reason,
            Permit.green_channel_review,
        )
        .join(Permit, Permit.id == Approval.permit_id)
        .where(
            Approval.signed_at >= start,
            Approval.signed_at < end,
            Approval.decision == ApprovalDecision.APPROVE,
            Permit.urgent.is_(True),
            _site_filter(Permit.site_id, site),
        )
        .order_by(Approval.signed_at)
    )
    return tuple(
        GreenChannelApproval(pid, str(ptype), area, signer, ts, reason, bool(review))
        for pid, ptype, area, signer, ts, reason, review in rows
    )


def _alarms(
    session: Session, start: datetime, end: datetime, site: str | None
) -> tuple[AlarmFigures, tuple[CriticalAlarm, ...], int, list[AlarmJournalEntry]]:
    journal = list(
        session.scalars(
            select(AlarmJournalEntry)
            .where(
                AlarmJournalEntry.ts >= start,
                AlarmJournalEntry.ts < end,
                _site_filter(AlarmJournalEntry.site_id, site),
            )
            .order_by(AlarmJournalEntry.ts, AlarmJournalEntry.id)
        )
    )
    raised = [e for e in journal if _is_annunciation(e)]
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
            _site_filter(AlarmJournalEntry.site_id, site),
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

    followups: dict[str, list[AlarmJournalEntry]] = defaultdict(list)
    for e in journal:
        followups[e.alarm_id].append(e)
    critical_all = [e for e in raised if e.priority == 1]
    critical: list[CriticalAlarm] = []
    for e in critical_all[:MAX_PRIORITY1_LISTED]:
        actions: list[AlarmAction] = []
        for f in followups[e.alarm_id]:
            if f.ts < e.ts or f.id == e.id:
                continue
            if _is_annunciation(f):
                break  # the next annunciation of the same alarm starts its own story
            kind = _action_kind(f)
            if kind:
                actions.append(AlarmAction(f.ts, kind, f.who, f.note))
        critical.append(
            CriticalAlarm(
                e.alarm_id, e.ts, e.site_id, e.area_id, e.source, e.condition, e.value, e.unit, tuple(actions)
            )
        )
    return figures, tuple(critical), len(critical_all), journal


def _is_annunciation(e: AlarmJournalEntry) -> bool:
    return alarm_state(e.to_state) == "active_unack" and alarm_state(e.from_state) != "active_unack"


def _action_kind(e: AlarmJournalEntry) -> str | None:
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


def _acks_for(session: Session, command_ids: Any) -> dict[str, list[AckLine]]:
    acks: dict[str, list[AckLine]] = defaultdict(list)
    for cid, ts, status, by, detail in session.execute(
        select(
            CommandAckRow.command_id,
            CommandAckRow.ts,
            CommandAckRow.status,
            CommandAckRow.by,
            CommandAckRow.detail,
        )
        .where(CommandAckRow.command_id.in_(command_ids))
        .order_by(CommandAckRow.ts, CommandAckRow.id)
    ):
        acks[cid].append(AckLine(ts, status, by, detail))
    return acks


def _command_line(c: Command, acks: dict[str, list[AckLine]]) -> CommandLine:
    return CommandLine(
        command_id=c.command_id,
        kind=str(c.kind),
        site=c.site_id,
        area=c.area_id,
        issued_at=c.issued_at,
        issued_by=c.issued_by,
        auto=bool(c.auto),
        reason=c.reason,
        alarm_id=c.alarm_id,
        state=str(c.state),
        permits=tuple(str(p) for p in (c.permits or ())),
        acks=tuple(acks.get(c.command_id, ())),
    )


def _commands(session: Session, start: datetime, end: datetime, site: str | None) -> tuple[CommandLine, ...]:
    where = and_(Command.issued_at >= start, Command.issued_at < end, _site_filter(Command.site_id, site))
    rows = session.scalars(select(Command).where(where).order_by(Command.issued_at)).all()
    acks = _acks_for(session, select(Command.command_id).where(where))
    return tuple(_command_line(c, acks) for c in rows)


def _attach_commands(
    critical: tuple[CriticalAlarm, ...], session: Session, start: datetime, end: datetime, site: str | None
) -> tuple[CriticalAlarm, ...]:
    """Add to each priority-1 alarm the stop/resume commands issued for it, with their acknowledgements."""
    if not critical:
        return critical
    alarm_ids = sorted({c.alarm_id for c in critical})
    by_alarm: dict[str, list[CommandLine]] = defaultdict(list)
    for i in range(0, len(alarm_ids), 500):
        chunk = alarm_ids[i : i + 500]
        where = and_(Command.alarm_id.in_(chunk), Command.issued_at < end)
        rows = session.scalars(select(Command).where(where).order_by(Command.issued_at)).all()
        acks = _acks_for(session, select(Command.command_id).where(where))
        for c in rows:
            by_alarm[c.alarm_id or ""].append(_command_line(c, acks))
    out = []
    for alarm in critical:
        actions = list(alarm.actions)
        for cmd in by_alarm.get(alarm.alarm_id, ()):
            if cmd.issued_at < alarm.ts - timedelta(minutes=1):
                continue
            who = "auto" if cmd.auto else cmd.issued_by
            actions.append(AlarmAction(cmd.issued_at, cmd.kind, who, cmd.command_id[:8]))
            actions.extend(AlarmAction(a.ts, f"{cmd.kind}_{a.status}", a.by, a.detail) for a in cmd.acks)
        actions.sort(key=lambda a: a.ts)
        out.append(
            CriticalAlarm(
                alarm.alarm_id,
                alarm.ts,
                alarm.site,
                alarm.area,
                alarm.source,
                alarm.condition,
                alarm.value,
                alarm.unit,
                tuple(actions),
            )
        )
    return tuple(out)


def _channel_of(source: str) -> str:
    """``site/area/device/CH`` → ``CH`` (a worker or permit source stays as it is)."""
    return source.rsplit("/", 1)[-1]


def _excursions(
    session: Session, journal: list[AlarmJournalEntry], start: datetime, end: datetime, site: str | None
) -> tuple[AreaExcursions, ...]:
    per_area: dict[tuple[str, str], list[Excursion]] = defaultdict(list)
    points: dict[tuple[str, str], dict[tuple[str, str], list[GasPoint]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for e in journal:
        if e.condition.upper() not in GAS_CONDITIONS:
            continue
        key = (e.site_id, e.area_id)
        if _is_annunciation(e):
            per_area[key].append(Excursion(e.ts, e.source, e.condition.upper(), e.value, e.unit))
        if e.value is not None:
            points[key][(_channel_of(e.source), e.unit)].append(GasPoint(e.ts, float(e.value)))
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
        channels = {ch for ch, _u in ((_channel_of(x.source), x.unit) for x in per_area[key])}
        series = tuple(
            GasSeries(ch, unit, tuple(sorted(pts, key=lambda p: p.ts)))
            for (ch, unit), pts in sorted(points[key].items())
            if ch in channels and pts
        )
        out.append(AreaExcursions(key[0], key[1], tuple(per_area[key]), series))
    return tuple(out)


def _certificates(
    session: Session, workers_by_permit: dict[str, list[str]], end: datetime, timezone: str
) -> tuple[ExpiringCertificate, ...]:
    """Certificates of workers on live permits whose newest one per trade ends within 60 days."""
    permits_of: dict[str, list[str]] = defaultdict(list)
    for pid, workers in workers_by_permit.items():
        for w in workers:
            permits_of[w].append(pid)
    if not permits_of:
        return ()
    today = end.astimezone(ZoneInfo(timezone)).date()
    limit = today + timedelta(days=CERT_WARN_DAYS)
    newest: dict[tuple[str, str], Certificate] = {}
    ids = sorted(permits_of)
    for i in range(0, len(ids), 500):
        for cert in session.scalars(select(Certificate).where(Certificate.worker_id.in_(ids[i : i + 500]))):
            key = (cert.worker_id, cert.trade)
            if key not in newest or cert.valid_to > newest[key].valid_to:
                newest[key] = cert
    due = [c for c in newest.values() if c.valid_to <= limit]
    names = _worker_names(session, [c.worker_id for c in due])
    lines = [
        ExpiringCertificate(
            worker_id=c.worker_id,
            worker_name=names.get(c.worker_id, c.worker_id),
            trade=c.trade,
            number=c.number,
            valid_to=c.valid_to,
            days_left=(c.valid_to - today).days,
            permits=tuple(sorted(permits_of[c.worker_id])),
        )
        for c in due
    ]
    lines.sort(key=lambda c: (c.days_left, c.worker_id))
    return tuple(lines)
