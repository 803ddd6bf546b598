"""One permit transition: the status, its event row and its audit entry, written together.

Every place that moves a permit (approval, rejection, send-back, suspend, close, the stop-work loop,
the field's "started" event in cockpit/permit_monitor.py) calls :func:`apply_transition` inside its
own transaction, so the three writes cannot drift apart and the state machine of
``models.rules.permit_state`` is checked before anything is written. The caller commits (or its
session block does): one action, one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cockpit.permits.records import PermitStateChange
from models.audit import append_audit
from models.errors import UserError
from models.records import PermitStatus
from models.rules.findings import Finding
from models.rules.permit_state import TransitionRefused, check_transition
from models.rules.refusal_texts import coded
from models.schema import Permit, PermitEventRow


class PermitTransitionRefused(TransitionRefused, UserError):
    """The state machine refuses the move; a ``UserError`` too, so screens show its one line."""

    def __reduce__(self) -> tuple[type[PermitTransitionRefused], tuple[Finding]]:
        return (PermitTransitionRefused, (self.finding,))  # pickles with its finding (field process)


APPROVED_EVENT = "approved"


def approval_lead(permit: Permit, ts: datetime) -> tuple[float, bool]:
    """An approval at ``ts``: seconds since the permit was submitted, and whether its work should
    already have started."""
    return round((ts - permit.created_at).total_seconds(), 3), ts > permit.valid_from


def apply_transition(
    session: Session,
    permit: Permit,
    to_status: PermitStatus | None,
    *,
    by: str,
    ts: datetime,
    event_type: str,
    detail: Mapping[str, Any],
    audit_action: str,
    audit_details: Mapping[str, Any] | None = None,
) -> PermitStatus:
    """Move ``permit`` to ``to_status`` and record the move; returns the status it had before.

    ``to_status`` None records the event without a move (a signature that does not yet complete the
    approval matrix, a gas test). A move the state machine refuses raises
    :class:`PermitTransitionRefused` before anything is written. The event row carries ``detail``;
    the audit entry carries ``audit_details`` (``detail`` when not given) and names the permit.
    """
    old = permit.status
    if to_status is not None:
        refused = check_transition(old, to_status)
        if refused is not None:
            raise PermitTransitionRefused(refused)
        permit.status = to_status
        permit.updated_at = ts
    row = PermitEventRow(permit_id=permit.id, ts=ts, type=event_type, by=by, detail=dict(detail))
    if event_type == APPROVED_EVENT:  # kept for the monthly report (migration 0014)
        row.lead_s, row.after_start = approval_lead(permit, ts)
    session.add(row)
    append_audit(
        session,
        actor=by,
        action=audit_action,
        subject=permit.id,
        details=detail if audit_details is None else audit_details,
        ts=ts,
    )
    return old


def state_change(permit: Permit, by: str, now: datetime) -> PermitStateChange:
    """The permit's state as contract §6 publishes it."""
    return PermitStateChange(
        site=permit.site_id,
        area=permit.area_id,
        permit=permit.id,
        type=permit.type,
        grade=permit.effective_grade or permit.grade,
        status=permit.status,
        valid_to=permit.valid_to,
        by=by,
        ts=now,
    )


def commit(s: Session) -> None:
    """Commit, turning a lost optimistic-lock race into the one line a user can act on."""
    try:
        s.commit()
    except StaleDataError:
        s.rollback()
        raise coded(UserError, "permit.changed_meanwhile") from None
