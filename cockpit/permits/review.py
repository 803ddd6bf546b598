"""The green channel's next-day review (issue 17, part 4): the safety manager's queue and verdict.

An urgent permit approved on the green channel carries the shift lead's signature for levels that
would otherwise sign too; the blocking rules still applied. The next plant day the safety manager
looks at each: the reason, who approved and when, what the green channel skipped (the levels whose
signatures it stood for) and what was noted at approval (the rules' warnings), and either accepts it
or records a finding, with a note. A review not done by the end of the next plant day is overdue:
the permit timers tell the site's safety manager through the notifier the day after, and again each
further day it stays undone, then up the line too (``record_overdue_reviews``, docs/NOTIFICATIONS.md).
Every verdict is audited; the acting user is read from the database in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cockpit.permits.facts import load_permit, site_calendar
from cockpit.permits.records import REVIEW_ROLES, PermissionRefused, PermitConfig, SessionSource
from cockpit.permits.signing import GREEN_PREFIX, acting_user
from cockpit.permits.transitions import commit
from cockpit.sessions import SessionKeys
from models.audit import append_audit
from models.errors import UserError
from models.records import HotWorkGrade, PermitType, Role
from models.rules.approval import rank, required_approvals
from models.rules.refusal_texts import coded
from models.schema import Approval, Area, AuditEntry, Permit, PermitEventRow

APPROVED_GREEN = "permit.approve_green_channel"
REVIEWED = "permit.green_channel_reviewed"
ACCEPTED = "accepted"
FINDING = "finding"
READ_ROLES = frozenset({*REVIEW_ROLES, Role.ADMIN})
REVIEW_OVERDUE_EVENT = "review_overdue"  # a permit event: the overdue review told, once a plant day


@dataclass(frozen=True)
class GreenChannelItem:
    """One green-channel approval waiting for its review."""

    permit_id: str
    type: PermitType
    grade: HotWorkGrade | None
    site: str
    area: str
    area_name: str
    approver: str
    approved_at: datetime
    reason: str
    skipped: tuple[str, ...]  # approval levels the green channel stood for
    warnings: tuple[str, ...]  # the rules' warning codes noted at approval
    review_due: date  # the plant day by whose end the review is due
    overdue: bool
    timezone: str
    overdue_days: int = 0  # plant days past the due day (1: the day after it)
    # the warnings noted at approval, to word on screen: (finding text key, its figures, English);
    # None where the approval's record does not keep them in words (older, imported)
    noted: tuple[tuple[str, dict[str, str | int | float], str], ...] | None = None


class GreenChannelReview:
    def __init__(self, db: SessionSource, keys: SessionKeys, config: PermitConfig) -> None:
        self._db = db
        self._keys = keys
        self._config = config

    def queue(self, session: object, now: datetime) -> list[GreenChannelItem]:
        """The approvals waiting for review, overdue first, then oldest first."""
        with self._db.session() as s:
            acting = acting_user(s, self._keys, session)
            if acting.role not in READ_ROLES:
                raise coded(PermissionRefused, "review.not_safety_manager_list")
            return waiting_reviews(s, self._config, now)

    def pending(self) -> list[str]:
        """The permits whose green-channel approval waits for review (for reports and tests)."""
        with self._db.session() as s:
            return list(
                s.scalars(select(Permit.id).where(Permit.green_channel_review.is_(True)).order_by(Permit.id))
            )

    def review(self, permit_id: str, session: object, note: str, *, finding: bool, now: datetime) -> None:
        """Accept the approval, or record a finding; the note says what was looked at (or found)."""
        if not note or not note.strip():
            raise coded(UserError, "review.note_missing")
        with self._db.session() as s:
            acting = acting_user(s, self._keys, session)
            if acting.role not in REVIEW_ROLES:
                raise coded(PermissionRefused, "review.not_safety_manager")
            permit = load_permit(s, permit_id)
            if not permit.green_channel_review:
                raise coded(UserError, "review.nothing_waiting", permit_id=permit_id)
            permit.green_channel_review = False
            permit.updated_at = now
            append_audit(
                s,
                actor=acting.username,
                action=REVIEWED,
                subject=permit.id,
                details={"note": note.strip(), "outcome": FINDING if finding else ACCEPTED},
                ts=now,
            )
            commit(s)


def waiting_reviews(s: Session, config: PermitConfig, now: datetime) -> list[GreenChannelItem]:
    """The green-channel approvals waiting for review (no role check: the queue checks the reader's,
    the permit timers read it for the escalation), overdue first, then oldest first."""
    items = []
    for permit in s.scalars(select(Permit).where(Permit.green_channel_review.is_(True))):
        approval = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == APPROVED_GREEN, AuditEntry.subject == permit.id)
            .order_by(AuditEntry.seq.desc())
            .limit(1)
        ).first()
        details = json.loads(approval.details) if approval is not None else {}
        signed = s.scalars(
            select(Approval).where(Approval.permit_id == permit.id).order_by(Approval.signed_at.desc())
        ).first()  # where no audit entry says more (an older or imported approval)
        calendar = site_calendar(s, config, permit.site_id)
        approver, approved_at, reason = (
            (approval.actor, approval.ts, str(details.get("green_channel_reason", "")))
            if approval is not None
            else (signed.signer, signed.signed_at, signed.reason.removeprefix(GREEN_PREFIX).lstrip())
            if signed is not None
            else ("", permit.updated_at, "")
        )
        due = (
            date.fromisoformat(str(details["review_due"]))
            if details.get("review_due")
            else calendar.local_date(approved_at) + timedelta(days=1)
        )
        area = s.get(Area, (permit.site_id, permit.area_id))
        items.append(
            GreenChannelItem(
                permit_id=permit.id,
                type=permit.type,
                grade=permit.effective_grade,
                site=permit.site_id,
                area=permit.area_id,
                area_name=area.name if area is not None else permit.area_id,
                approver=approver,
                approved_at=approved_at,
                reason=reason,
                skipped=(
                    tuple(str(x) for x in details["skipped"])
                    if "skipped" in details
                    else _stood_for(config, permit, signed)
                ),
                warnings=tuple(str(x) for x in details.get("warnings", ())),
                review_due=due,
                overdue=calendar.local_date(now) > due,
                timezone=calendar.timezone,
                overdue_days=max(0, (calendar.local_date(now) - due).days),
                noted=_noted(details),
            )
        )
    items.sort(key=lambda i: (not i.overdue, i.approved_at))
    return items


def _noted(details: dict[str, Any]) -> tuple[tuple[str, dict[str, str | int | float], str], ...] | None:
    """The warnings an approval's audit entry keeps in words (None: older entries keep only their
    codes, and an imported approval has no entry)."""
    noted = details.get("noted")
    if not isinstance(noted, list):
        return None
    return tuple(
        (str(n.get("key", "")), dict(n.get("params") or {}), str(n.get("message", "")))
        for n in noted
        if isinstance(n, dict)
    )


def _stood_for(config: PermitConfig, permit: Permit, signed: Approval | None) -> tuple[str, ...]:
    """Where no audit entry says what the green channel skipped (an older or imported approval): the
    required levels above the level of the signature it has."""
    required = required_approvals(permit.type, permit.effective_grade, site_levels=config.site_levels)
    if signed is None:
        return tuple(str(x) for x in required)
    return tuple(str(x) for x in required if rank(x) > rank(signed.level))


@dataclass(frozen=True)
class ReviewOverdue:
    """A green-channel review not done by the end of its plant day, told by the notifier as a late
    approval's escalation step is: the day after the due day to the site's safety manager, and each
    further plant day it stays undone again, to the safety manager and up (``days``: plant days past
    the due day). Once per (permit, due day, days)."""

    permit_id: str
    site: str
    area: str
    review_due: date
    approver: str
    found_at: datetime
    days: int = 1


def _told(detail: object) -> tuple[str, int]:
    """(due day, plant days past it) of a ``review_overdue`` event (an older one without its days: 1)."""
    if not isinstance(detail, dict):
        return "", 0
    days = detail.get("days", 1)
    return str(detail.get("due")), days if isinstance(days, int) else 1


def record_overdue_reviews(s: Session, config: PermitConfig, now: datetime) -> list[ReviewOverdue]:
    """The permit timers (duty holder, database worker): each overdue review not yet recorded for this
    plant day past its due day becomes a permit event ``review_overdue`` (the once-per-cause memory,
    across a restart, as ``escalated`` is for approvals) and is returned for the notifier: the day
    after the due day, then once each further day until the review is done. The caller commits."""
    overdue = [i for i in waiting_reviews(s, config, now) if i.overdue]
    if not overdue:
        return []
    seen = {
        (pid, *_told(detail))
        for pid, detail in s.execute(
            select(PermitEventRow.permit_id, PermitEventRow.detail).where(
                PermitEventRow.permit_id.in_([i.permit_id for i in overdue]),
                PermitEventRow.type == REVIEW_OVERDUE_EVENT,
            )
        )
    }
    new = []
    for item in overdue:
        due = item.review_due.isoformat()
        if (item.permit_id, due, item.overdue_days) in seen:
            continue
        s.add(
            PermitEventRow(
                permit_id=item.permit_id,
                ts=now,
                type=REVIEW_OVERDUE_EVENT,
                by="",
                detail={"due": due, "days": item.overdue_days},
            )
        )
        new.append(
            ReviewOverdue(
                item.permit_id, item.site, item.area, item.review_due, item.approver, now, item.overdue_days
            )
        )
    return new
