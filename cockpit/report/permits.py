"""The handover's permits: those live at the end of the shift, the shift's changes, green-channel
approvals and the expiring certificates of the workers on live permits.

Permit state *at the end of the shift* is rebuilt from ``permit_events`` (the last state-changing event
at or before ``end``), falling back to the permit's current status when it has no events, so a report
for a past shift does not show today's state.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from cockpit.report.journal import JournalLine, channel_of, is_annunciation, site_filter
from cockpit.report.records import (
    ExpiringCertificate,
    GreenChannelApproval,
    OpenPoint,
    PermitChange,
    PermitLine,
)
from models.records import PermitStatus, PermitType
from models.rules.prerequisites import requirements
from models.schema import (
    Approval,
    ApprovalDecision,
    AuditEntry,
    Certificate,
    GasTest,
    Permit,
    PermitEventRow,
    PermitWorker,
    Worker,
)

CERT_WARN_DAYS = 60
GAS_TEST_MAX_AGE = timedelta(hours=2)  # confined space: a reading at least every 2 h (GB 30871)

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
GREEN_AUDIT_ACTION = "permit.approve_green_channel"  # cockpit.permits.review.APPROVED_GREEN
GREEN_PREFIX = "green channel:"  # how ``permits.signing`` marks the green-channel signature's reason
# Escalation is computed by the permit service and raised as an alarm; either record is taken.
ESCALATION_CONDITIONS = frozenset({"ESCALATED", "APPROVAL_ESCALATED", "APPROVAL_OVERDUE"})


def _worker_names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(ids))
    names: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        names.update(session.execute(select(Worker.id, Worker.name).where(Worker.id.in_(chunk))).all())
    return names


def active_permits(
    session: Session,
    start: datetime,
    end: datetime,
    site: str | None,
    timezone: str,
    at: datetime | None = None,
) -> tuple[tuple[PermitLine, ...], dict[str, list[str]]]:
    """The permits active or suspended at ``end``, and the workers of each.

    Validity and gas-test age are judged at ``at`` (default ``end``): a report made in the middle of
    the shift judges them at the time it is made, so a permit valid now is not printed as overdue.
    """
    at_time = at or end
    live = (PermitStatus.ACTIVE, PermitStatus.SUSPENDED)
    candidate = and_(
        Permit.valid_from <= end,
        or_(Permit.status.in_(live), Permit.valid_to >= start),
        Permit.status.not_in((PermitStatus.SUBMITTED, PermitStatus.REJECTED)),
        site_filter(Permit.site_id, site),
    )
    rows = session.scalars(select(Permit).where(candidate)).all()
    ids_q = select(Permit.id).where(candidate)
    state_at_end, suspend_reason = _states_at_end(session, ids_q, end)
    tests = _latest_gas_tests(session, ids_q, at_time)

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
        points = _open_points(p, status_of[p.id], suspend_reason.get(p.id, ""), at, passed, at_time)
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
                validity_left=p.valid_to - at_time,
                last_gas_test=at,
                gas_test_age=(at_time - at) if at else None,
                gas_test_passed=passed,
                workers=len(workers_by_permit.get(p.id, ())),
                open_points=tuple(points),
            )
        )
    return tuple(lines), dict(workers_by_permit)


def _states_at_end(
    session: Session, ids_q: Any, end: datetime
) -> tuple[dict[str, str | None], dict[str, str]]:
    """Each permit's state after its last state-changing event up to ``end``, and why it was suspended."""
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
    return state_at_end, suspend_reason


def _latest_gas_tests(session: Session, ids_q: Any, end: datetime) -> dict[str, tuple[datetime, bool]]:
    """Each permit's last gas test up to ``end``: when, and whether it passed."""
    latest_test = (
        select(GasTest.permit_id, func.max(GasTest.taken_at).label("at"))
        .where(GasTest.permit_id.in_(ids_q), GasTest.taken_at <= end)
        .group_by(GasTest.permit_id)
        .subquery()
    )
    return {
        pid: (at, passed)
        for pid, at, passed in session.execute(
            select(GasTest.permit_id, GasTest.taken_at, GasTest.passed).join(
                latest_test,
                and_(GasTest.permit_id == latest_test.c.permit_id, GasTest.taken_at == latest_test.c.at),
            )
        )
    }


def _open_points(
    p: Permit, status: str, suspend_reason: str, at: datetime | None, passed: bool | None, end: datetime
) -> list[OpenPoint]:
    """What the incoming lead must follow up on a live permit."""
    points: list[OpenPoint] = []
    if status == "suspended":
        points.append(OpenPoint("suspended", suspend_reason))
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
    return points


def permit_changes(
    session: Session, start: datetime, end: datetime, site: str | None, journal: list[JournalLine]
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
            Permit.site_id,
        )
        .join(Permit, Permit.id == PermitEventRow.permit_id)
        .where(
            PermitEventRow.ts >= start,
            PermitEventRow.ts < end,
            func.lower(PermitEventRow.type).in_(sorted(wanted)),
            site_filter(Permit.site_id, site),
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

    for pid, etype, ts, by, detail, ptype, area, site_id in rows:
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
        add(PermitChange(kind, pid, str(ptype), area, ts, by, text, site_id))
    # A rejection signed in the approval panel counts even when no event row was written for it.
    for pid, ts, signer, reason, ptype, area, site_id in session.execute(
        select(
            Approval.permit_id,
            Approval.signed_at,
            Approval.signer,
            Approval.reason,
            Permit.type,
            Permit.area_id,
            Permit.site_id,
        )
        .join(Permit, Permit.id == Approval.permit_id)
        .where(
            Approval.signed_at >= start,
            Approval.signed_at < end,
            Approval.decision == ApprovalDecision.REJECT,
            site_filter(Permit.site_id, site),
        )
    ):
        add(PermitChange("rejected", pid, str(ptype), area, ts, signer, reason, site_id))
    for e in journal:
        if e.condition.upper() in ESCALATION_CONDITIONS and is_annunciation(e):
            add(
                PermitChange("escalated", channel_of(e.source), "", e.area_id, e.ts, e.who, e.note, e.site_id)
            )
    order = {"opened": 0, "closed": 1, "rejected": 2, "escalated": 3}
    out.sort(key=lambda c: (order[c.kind], c.ts, c.permit_id))
    return tuple(out)


def green_channel_approvals(
    session: Session, start: datetime, end: datetime, site: str | None
) -> tuple[GreenChannelApproval, ...]:
    """The green-channel signatures of the shift, one per permit, with the reason the approver gave.

    The reason is the audit entry's (``permit.approve_green_channel``, what the approval panel writes);
    where none is on record (an imported or seeded approval), the signature row's reason without its
    ``green channel:`` prefix. Other signatures on an urgent permit (the rest of the matrix) are not
    green-channel approvals and are not listed.
    """
    rows = session.execute(
        select(
            Approval.permit_id,
            Permit.type,
            Permit.area_id,
            Permit.site_id,
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
            site_filter(Permit.site_id, site),
        )
        .order_by(Approval.signed_at, Approval.id)
    ).all()
    audited = _green_channel_audit(session, {r[0] for r in rows})
    chosen: dict[str, GreenChannelApproval] = {}
    for pid, ptype, area, site_id, signer, ts, reason, review in rows:
        entry = audited.get(pid)
        prefixed = (reason or "").startswith(GREEN_PREFIX)
        if entry is not None:
            if signer != entry[0] or (pid in chosen and not prefixed):
                continue  # the green signature is the audited signer's
            text = entry[1]
        elif prefixed or (review and pid not in chosen):
            text = (reason or "")[len(GREEN_PREFIX) :].strip() if prefixed else (reason or "").strip()
        else:
            continue
        chosen[pid] = GreenChannelApproval(pid, str(ptype), area, signer, ts, text, bool(review), site_id)
    return tuple(sorted(chosen.values(), key=lambda g: (g.signed_at, g.permit_id)))


def _green_channel_audit(session: Session, permit_ids: set[str]) -> dict[str, tuple[str, str]]:
    """Per permit, the newest green-channel approval on the audit chain: (approver, reason)."""
    found: dict[str, tuple[str, str]] = {}
    wanted = sorted(permit_ids)
    for i in range(0, len(wanted), 500):
        for subject, actor, details in session.execute(
            select(AuditEntry.subject, AuditEntry.actor, AuditEntry.details)
            .where(AuditEntry.action == GREEN_AUDIT_ACTION, AuditEntry.subject.in_(wanted[i : i + 500]))
            .order_by(AuditEntry.seq)
        ):
            try:
                parsed = json.loads(details) if isinstance(details, str) else dict(details or {})
            except (TypeError, ValueError):
                parsed = {}
            found[subject] = (actor, str(parsed.get("green_channel_reason") or "").strip())
    return found


def expiring_certificates(
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
