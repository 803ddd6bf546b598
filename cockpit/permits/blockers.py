"""Everything that stops a user approving a permit now, all at once, each with what would clear it.

``approve_refusal`` (cockpit.permits.signing) answers "may I?" with the first reason; an approver needs
the whole list at once (ticking the green channel used to reveal the next one). Each blocker is a code
with its parameters and the code of what clears it; the screens translate both
(``views/approval_words.py``), the English ``message`` is for logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from cockpit.permits.records import PermitDetail, UserInfo
from models.records import ApprovalLevel, PermitStatus, Role
from models.rules.approval import SIGNING_ROLES, may_sign, rank
from models.rules.findings import Finding


@dataclass(frozen=True, slots=True)
class Blocker:
    """One reason the approval cannot go ahead: ``code`` with ``params``, cleared by ``clears``."""

    code: str
    params: tuple[str, ...]
    clears: str
    message: str
    finding: Finding | None = None  # a rule's finding, for a screen to word in its language


class Mark(Enum):
    """What the signed-in user can do with a permit of the queue (the queue's mark column)."""

    MAY = "may"  # may approve it now
    MAY_GREEN = "may_green"  # only on the green channel (urgent, shift lead)
    BLOCKED = "blocked"  # the user could sign it, but the permit's rules block it
    NOT_YOURS = "not_yours"  # another signer's (role or level)


# What clears a rule finding, by the finding code's first part (``gas_test.missing`` → gas_test).
_CLEARS_BY_RULE = {
    "gas_test": "clear.gas_test",
    "prerequisites": "clear.prerequisite",
    "prerequisite": "clear.prerequisite",
    "conflict": "clear.coordinator",
    "worker": "clear.worker",
    "workers": "clear.worker",
    "contractor": "clear.contractor",
    "supervisor": "clear.supervisor",
    "validity": "clear.send_back",
    "grade": "clear.send_back",
    "wind": "clear.wind",
}


def clears_for(finding_code: str) -> str:
    """What clears a rule finding: the register, a new test, or the applicant (sent back)."""
    return _CLEARS_BY_RULE.get(finding_code.split(".", 1)[0], "clear.send_back")


def _word(level: ApprovalLevel) -> str:
    return level.value


def signer_blockers(detail: PermitDetail, user: UserInfo, *, green_channel: bool) -> list[Blocker]:
    """What the user's role and level (or the green channel's rule) leave unsigned."""
    out: list[Blocker] = []
    if user.role not in SIGNING_ROLES:
        role = user.role.value
        return [Blocker("signer.role", (role,), "clear.signer", f"the {role} role does not sign permits")]
    if user.approval_level is None:
        return [
            Blocker(
                "signer.no_level", (user.username,), "clear.admin_level", f"{user.username} holds no level"
            )
        ]
    missing = detail.missing_levels or detail.required_levels
    if green_channel:
        if not detail.urgent:
            out.append(
                Blocker("green.not_urgent", (), "clear.normal_route", "green channel: urgent permits only")
            )
        if user.role is not Role.SHIFT_LEAD:
            out.append(
                Blocker("green.not_shift_lead", (), "clear.shift_lead", "green channel: the shift lead only")
            )
        if ApprovalLevel.SENIOR_LEADER in missing and user.approval_level is not ApprovalLevel.SENIOR_LEADER:
            out.append(
                Blocker(
                    "green.senior",
                    (),
                    "clear.senior_leader",
                    "special grade needs the senior leader, even green",
                )
            )
        return out
    if not missing:
        return out
    top = max(missing, key=rank)
    if not may_sign(user.role, user.approval_level, top):
        green = (
            detail.urgent
            and user.role is Role.SHIFT_LEAD
            and (
                ApprovalLevel.SENIOR_LEADER not in missing
                or user.approval_level is ApprovalLevel.SENIOR_LEADER
            )
        )
        out.append(
            Blocker(
                "signer.level",
                (_word(top), _word(user.approval_level)),
                "clear.green_channel" if green else "clear.higher_signer",
                f"needs the {_word(top)} signature; {user.username} signs at {_word(user.approval_level)}",
            )
        )
    return out


def approval_blockers(
    detail: PermitDetail, user: UserInfo | None, *, green_channel: bool = False
) -> list[Blocker]:
    """Every reason ``user`` cannot approve ``detail`` now (empty: the approval may go ahead).

    The same rules as ``approve_refusal`` and ``Signing.approve``, but all of them: who signs, the
    green channel's rule, and every blocking finding of the permit's checks.
    """
    if user is None or not user.active:
        return [Blocker("signer.inactive", (), "clear.log_in", "log in with an active account")]
    out: list[Blocker] = []
    if detail.status is not PermitStatus.SUBMITTED:
        status = detail.status.value
        out.append(Blocker("permit.not_submitted", (status,), "clear.nothing", f"the permit is {status}"))
    out.extend(signer_blockers(detail, user, green_channel=green_channel))
    for finding in detail.blocking:
        clears = clears_for(finding.code)
        out.append(Blocker(finding.code, (finding.message,), clears, finding.message, finding))
    return out


def queue_mark(detail: PermitDetail, user: UserInfo | None) -> Mark:
    """The queue's mark for ``detail``: may approve, only on the green channel, blocked, or another's."""
    if user is None or not user.active or detail.status is not PermitStatus.SUBMITTED:
        return Mark.NOT_YOURS
    normal_ok = not signer_blockers(detail, user, green_channel=False)
    green_ok = detail.urgent and not signer_blockers(detail, user, green_channel=True)
    if not (normal_ok or green_ok):
        return Mark.NOT_YOURS
    if detail.blocking:
        return Mark.BLOCKED
    return Mark.MAY if normal_ok else Mark.MAY_GREEN
