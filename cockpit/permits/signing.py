"""Signing and the moves of a permit: approve, reject, send back, suspend, close, the green-channel review.

Every method that changes something is ONE transaction that also writes its audit entry (through
:func:`cockpit.permits.transitions.apply_transition`), and it checks the acting user's role and
approval level itself from the ``users`` table, for the user the login's session signs (the session's
MAC, the user still active with the role and level of the login: ``cockpit.sessions.session_user``): a
screen that forgot to grey out a button still cannot approve a permit for the wrong person, and a name
a caller states is nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from cockpit.permits import facts
from cockpit.permits.detail import PermitReader
from cockpit.permits.hashing import content_hash
from cockpit.permits.records import (
    CLOSE_ROLES,
    SUSPEND_ROLES,
    ApprovalBlocked,
    PermissionRefused,
    PermitConfig,
    PermitDetail,
    PermitStateChange,
    SessionSource,
    UserInfo,
)
from cockpit.permits.transitions import PermitTransitionRefused, apply_transition, commit, state_change
from cockpit.sessions import SessionKeys, session_user
from models.errors import UserError
from models.passwords import verify_password
from models.records import ApprovalLevel, PermitStatus, Role
from models.rules.approval import SIGNING_ROLES, may_sign, missing_approvals, rank
from models.rules.permit_state import check_transition
from models.rules.refusal_texts import coded
from models.schema import Approval, ApprovalDecision, Permit, User

OnChanged = Callable[[PermitStateChange], None]

GREEN_PREFIX = "green channel:"  # marks the green-channel signature's reason (review, hand-over)


def acting_user(s: Session, keys: SessionKeys, session: object) -> User:
    """The user the login's ``session`` signs, as stored now (``SessionRefused`` otherwise)."""
    return session_user(s, keys, session)


def role_refusal(detail: PermitDetail, user: UserInfo, *, green_channel: bool) -> PermissionRefused | None:
    """Why ``user``'s role or level may not sign ``detail`` (on the green channel or not), or None: a
    coded refusal (``str()`` is its English), raised by ``approve`` and shown by the screens."""
    if user.role not in SIGNING_ROLES:
        return coded(PermissionRefused, "sign.role", role=user.role.value)
    if user.approval_level is None:
        return coded(PermissionRefused, "sign.no_level", user=user.username)
    missing = detail.missing_levels or detail.required_levels
    if green_channel:
        return _green_refusal(detail, user, missing)
    top = max(missing, key=rank)
    if not may_sign(user.role, user.approval_level, top):
        levels = dict(level=top.value, user=user.username, own=user.approval_level.value)
        if detail.urgent:
            return coded(PermissionRefused, "sign.level_urgent", **levels)
        return coded(PermissionRefused, "sign.level", **levels)
    return None


def _green_refusal(
    detail: PermitDetail, user: UserInfo, missing: Sequence[ApprovalLevel]
) -> PermissionRefused | None:
    if not detail.urgent:
        return coded(PermissionRefused, "green.not_urgent")
    if user.role is not Role.SHIFT_LEAD:
        return coded(PermissionRefused, "green.not_shift_lead")
    if ApprovalLevel.SENIOR_LEADER in missing and user.approval_level is not ApprovalLevel.SENIOR_LEADER:
        return coded(PermissionRefused, "green.needs_senior")
    return None


def approve_refusal(
    detail: PermitDetail, user: UserInfo | None, *, green_channel: bool = False
) -> PermissionRefused | ApprovalBlocked | None:
    """Why ``user`` may not approve ``detail`` now (role, level, green-channel rule, a block), or None:
    the refusal ``approve`` would raise (``str()`` is English; ``views.finding_words.refusal_text``).

    The screen uses it to disable the button with a tooltip; :meth:`Signing.approve` applies the same rule.
    """
    if user is None or not user.active:
        return coded(PermissionRefused, "approve.log_in")
    if detail.status is not PermitStatus.SUBMITTED:
        return coded(PermissionRefused, "approve.not_submitted", state=detail.status.value)
    refusal = role_refusal(detail, user, green_channel=green_channel)
    if refusal:
        return refusal
    if detail.blocking:
        return ApprovalBlocked(detail.blocking)
    return None


def _still_needed(detail: PermitDetail, level: ApprovalLevel, green: bool) -> list[ApprovalLevel]:
    """The levels still missing once ``level`` has signed (on the green channel or not)."""
    if green:
        # The shift lead's green-channel signature stands for every level but the senior leader's.
        covered = [lvl for lvl in detail.missing_levels if lvl is not ApprovalLevel.SENIOR_LEADER]
        still = [lvl for lvl in detail.missing_levels if lvl not in covered]
        if still and level is ApprovalLevel.SENIOR_LEADER:
            still = []
        return still
    signed = [sig.level for sig in detail.signatures if sig.valid and sig.decision == "approve"]
    return missing_approvals(detail.required_levels, [*signed, level])


class Signing:
    """The actions on a permit, each one transaction; state changes leave through ``on_changed``."""

    def __init__(
        self,
        db: SessionSource,
        keys: SessionKeys,
        config: PermitConfig,
        reader: PermitReader,
        on_changed: OnChanged,
    ) -> None:
        self._db = db
        self._keys = keys
        self._config = config
        self._reader = reader
        self._on_changed = on_changed

    def user_info(self, session: object) -> UserInfo:
        """The session's user as the database has them now (``SessionRefused`` when the session is made
        up, or the user is gone, disabled or changed since the login)."""
        with self._db.session() as s:
            user = session_user(s, self._keys, session)
            return UserInfo(user.username, user.display_name, user.role, user.approval_level, user.active)

    # ------------------------------------------------------------ approve

    def approve(
        self,
        permit_id: str,
        session: object,
        password: str,
        *,
        green_channel_reason: str | None,
        now: datetime,
    ) -> PermitDetail:
        """Sign the permit; it becomes approved once the matrix is satisfied. Returns the new detail."""
        green = green_channel_reason is not None
        if green_channel_reason is not None and not green_channel_reason.strip():
            raise coded(UserError, "green.reason_missing")
        with self._db.session() as s:
            acting = acting_user(s, self._keys, session)
            info = UserInfo(
                acting.username, acting.display_name, acting.role, acting.approval_level, acting.active
            )
            permit = facts.load_permit(s, permit_id)
            # The status first, before the rules and the signer's rights: a permit already decided
            # says so rather than listing why this user could not have signed it anyway.
            transition = check_transition(permit.status, PermitStatus.APPROVED)
            if transition is not None:
                raise PermitTransitionRefused(transition)
            detail = self._reader.detail(s, permit, now)
            refusal = role_refusal(detail, info, green_channel=green)
            if refusal:
                raise refusal
            if not verify_password(password, acting.password_hash):
                raise coded(PermissionRefused, "sign.wrong_password")
            if detail.blocking:
                raise ApprovalBlocked(detail.blocking)
            assert acting.approval_level is not None
            still = _still_needed(detail, acting.approval_level, green)
            self._record_approval(s, permit, acting, detail, still, green_channel_reason, now)
            change = state_change(permit, acting.username, now) if not still else None
            commit(s)
        if change is not None:
            self._on_changed(change)
        return self._reader.permit_detail(permit_id, now)

    def _record_approval(
        self,
        s: Session,
        permit: Permit,
        acting: User,
        detail: PermitDetail,
        still: list[ApprovalLevel],
        green_reason: str | None,
        now: datetime,
    ) -> None:
        """The signature row, the new grade, and the move to approved when nothing is still missing."""
        assert acting.approval_level is not None
        green = green_reason is not None
        # Read before any change: a query here would flush the permit half-changed (one more version).
        review_due = facts.site_calendar(s, self._config, permit.site_id).local_date(now) if green else None
        s.add(
            Approval(
                permit_id=permit.id,
                level=acting.approval_level,
                signer=acting.username,
                role=str(acting.role),
                signed_at=now,
                decision=ApprovalDecision.APPROVE,
                reason=f"{GREEN_PREFIX} {green_reason.strip()}" if green_reason is not None else "",
                content_hash=detail.content_hash,
            )
        )
        target = PermitStatus.APPROVED if not still else None  # a signature short of the matrix: no move
        permit.effective_grade = detail.effective_grade
        permit.grade_reasons = detail.grade_reasons
        if green:
            permit.green_channel_review = True
        permit.updated_at = now
        details: dict[str, Any] = {
            "level": acting.approval_level,
            "content_hash": detail.content_hash,
            "from": permit.status,
            "to": target or permit.status,
            "still_needed": [str(x) for x in still],
            "warnings": [f.code for f in detail.findings if not f.blocks],
        }
        if green:
            details["green_channel_reason"] = green_reason
            # The levels whose signatures the shift lead's green-channel signature stood for (the review).
            details["skipped"] = [
                str(x) for x in detail.missing_levels if x not in still and x != acting.approval_level
            ]
            details["review_due"] = review_due + timedelta(days=1) if review_due else None
            # The warnings in words for the review (the codes above are for counting): key, figures, English.
            details["noted"] = [
                {"key": f.text_key, "params": dict(f.params), "message": f.message}
                for f in detail.findings
                if not f.blocks
            ]
        apply_transition(
            s,
            permit,
            target,
            by=acting.username,
            ts=now,
            event_type="approved" if not still else "signed",
            detail={"green_channel": green, "level": str(acting.approval_level)},
            audit_action="permit.approve_green_channel" if green else "permit.approve",
            audit_details=details,
        )

    # ------------------------------------------------------------ reject, send back

    def decide(
        self, permit_id: str, session: object, reason: str, decision: ApprovalDecision, now: datetime
    ) -> None:
        """Reject (for good) or send back (to correct; it stays submitted) with a reason."""
        if not reason or not reason.strip():
            code = "reject" if decision is ApprovalDecision.REJECT else "send_back"
            raise coded(UserError, f"{code}.reason_missing")
        with self._db.session() as s:
            acting = acting_user(s, self._keys, session)
            if acting.role not in SIGNING_ROLES or acting.approval_level is None:
                who = {"user": acting.username, "role": acting.role.value}
                raise coded(PermissionRefused, "decide.not_a_signer", **who)
            permit = facts.load_permit(s, permit_id)
            target = PermitStatus.REJECTED if decision is ApprovalDecision.REJECT else PermitStatus.SUBMITTED
            refused = check_transition(permit.status, target)
            if refused is not None:  # before the signature row: a refused move writes nothing
                raise PermitTransitionRefused(refused)
            s.add(
                Approval(
                    permit_id=permit.id,
                    level=acting.approval_level,
                    signer=acting.username,
                    role=str(acting.role),
                    signed_at=now,
                    decision=decision,
                    reason=reason.strip(),
                    content_hash=content_hash(permit),
                )
            )
            old = apply_transition(
                s,
                permit,
                target,
                by=acting.username,
                ts=now,
                event_type=str(decision),
                detail={"reason": reason.strip()},
                audit_action=f"permit.{decision.value}",
                audit_details={"reason": reason.strip(), "from": permit.status, "to": target},
            )
            change = state_change(permit, acting.username, now) if target is not old else None
            commit(s)
        if change is not None:
            self._on_changed(change)

    # ------------------------------------------------------------ suspend, close

    def suspend(self, permit_id: str, session: object, reason: str, *, now: datetime) -> None:
        """Stop the work on an active permit (it can resume later)."""
        if not reason or not reason.strip():
            raise coded(UserError, "suspend.reason_missing")
        self.move(
            permit_id, session, PermitStatus.SUSPENDED, roles=SUSPEND_ROLES, reason=reason.strip(), now=now
        )

    def close(self, permit_id: str, session: object, *, now: datetime) -> None:
        """Work done and the site checked (完工验收)."""
        self.move(permit_id, session, PermitStatus.CLOSED, roles=CLOSE_ROLES, reason="", now=now)

    def move(
        self,
        permit_id: str,
        session: object,
        target: PermitStatus,
        *,
        roles: frozenset[Role],
        reason: str,
        now: datetime,
    ) -> None:
        with self._db.session() as s:
            acting = acting_user(s, self._keys, session)
            if acting.role not in roles:
                allowed = ",".join(sorted(r.value for r in roles))
                raise coded(PermissionRefused, "move.role", roles=allowed, target=target.value)
            permit = facts.load_permit(s, permit_id)
            apply_transition(
                s,
                permit,
                target,
                by=acting.username,
                ts=now,
                event_type=str(target),
                detail={"reason": reason},
                audit_action=f"permit.{target.value}",
                audit_details={"reason": reason, "from": permit.status, "to": target},
            )
            change = state_change(permit, acting.username, now)
            commit(s)
        self._on_changed(change)
