"""What each role may do. The services check it; the screens only mirror it."""

from __future__ import annotations

from dataclasses import dataclass

from models.records import ApprovalLevel, Role
from models.rules.refusal_texts import coded


class PermissionRefused(Exception):
    """The acting user's role may not do this; ``str(exc)`` says which role may, in English; its
    ``code`` and ``params`` (``models.rules.refusal_texts``) let a screen say it in its language."""


ACTIONS: dict[str, frozenset[Role]] = {
    # Stopping is the safe direction: everyone in the control room may stop work.
    "stop_work": frozenset(Role),
    "acknowledge": frozenset({Role.OPERATOR, Role.SHIFT_LEAD, Role.INCIDENT_COMMANDER, Role.ADMIN}),
    "shelve": frozenset({Role.SHIFT_LEAD, Role.INCIDENT_COMMANDER, Role.ADMIN}),
    "out_of_service": frozenset({Role.SHIFT_LEAD, Role.ADMIN}),
    "clear_event": frozenset({Role.OPERATOR, Role.SHIFT_LEAD, Role.INCIDENT_COMMANDER, Role.ADMIN}),
    # The brief: resume needs a shift lead.
    "resume_work": frozenset({Role.SHIFT_LEAD}),
    "approve": frozenset({Role.SHIFT_LEAD, Role.SAFETY_MANAGER}),  # who signs follows models.rules.approval
    "reject": frozenset({Role.SHIFT_LEAD, Role.SAFETY_MANAGER}),
    "suspend_permit": frozenset({Role.OPERATOR, Role.SHIFT_LEAD, Role.INCIDENT_COMMANDER, Role.ADMIN}),
    "close_permit": frozenset({Role.SHIFT_LEAD, Role.ADMIN}),
    "sign_handover": frozenset({Role.SHIFT_LEAD, Role.ADMIN}),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: the logged-in user of a console, or the cockpit itself (``system``)."""

    username: str
    role: Role
    display_name: str = ""
    approval_level: ApprovalLevel | None = None

    def may(self, action: str) -> bool:
        return self.role in ACTIONS[action]

    def require(self, action: str) -> None:
        if not self.may(action):
            allowed = ",".join(sorted(r.value for r in ACTIONS[action]))
            raise coded(
                PermissionRefused,
                "role.may_not",
                user=self.username,
                role=self.role.value,
                action=action,
                roles=allowed,
            )
