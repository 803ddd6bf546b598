"""The life of a permit, as a table of allowed moves.

::

    submitted ──► approved ──► active ◄──► suspended ──► closed
        │  ▲          │          │  │          │  │
        │  └ send back│          │  └► closed  │  └► cancelled / expired
        ├► rejected   ├► cancelled              │
        └► cancelled  └► expired   active ─► expired

Decisions (GB 30871 names the steps, not a state machine):

- *Send back* (退回修改) is ``submitted → submitted``: the approver returns the application with a
  reason and it stays in the queue as submitted; no separate status is needed because the field
  app resubmits the same permit id. It is the only move from a status to itself.
- An *active* permit cannot be cancelled directly: work has to be stopped first (suspended), so the
  field is always told to stop before the paper goes away.
- A permit that never started (approved) is *cancelled*, not *closed*: closing means the work was
  done and the site checked (完工验收).
- A *suspended* permit may be closed (work ends after a stop without resuming), cancelled or expire.
- rejected, cancelled, expired and closed are final.
"""

from __future__ import annotations

from collections.abc import Mapping

from models.records import PermitStatus
from models.rules.findings import Finding, block

S = PermitStatus

TRANSITIONS: Mapping[PermitStatus, frozenset[PermitStatus]] = {
    S.SUBMITTED: frozenset({S.SUBMITTED, S.APPROVED, S.REJECTED, S.CANCELLED}),
    S.APPROVED: frozenset({S.ACTIVE, S.CANCELLED, S.EXPIRED}),
    S.ACTIVE: frozenset({S.SUSPENDED, S.CLOSED, S.EXPIRED}),
    S.SUSPENDED: frozenset({S.ACTIVE, S.CLOSED, S.CANCELLED, S.EXPIRED}),
    S.REJECTED: frozenset(),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
    S.CLOSED: frozenset(),
}

FINAL_STATUSES = frozenset(s for s, targets in TRANSITIONS.items() if not targets)

# Permits that still hold a place on site: they count for conflicts and are published at start-up.
LIVE_STATUSES = frozenset({S.SUBMITTED, S.APPROVED, S.ACTIVE, S.SUSPENDED})


class TransitionRefused(Exception):
    """A move the state machine does not allow; ``finding`` says why in one sentence."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def allowed_targets(current: PermitStatus) -> frozenset[PermitStatus]:
    return TRANSITIONS[current]


def is_final(status: PermitStatus) -> bool:
    return status in FINAL_STATUSES


# Why a refused move is refused (a key of ``FINDING_TEXTS``). A pair with a reason of its own says it
# first (the two that people try: cancelling running work, closing work that never started); else what
# the target needs.
_PAIR_REASONS: Mapping[tuple[PermitStatus, PermitStatus], str] = {
    (S.ACTIVE, S.CANCELLED): "state.cancel_running",
    (S.APPROVED, S.CLOSED): "state.close_unstarted",
}
_TARGET_REASONS: Mapping[PermitStatus, str] = {
    S.SUBMITTED: "state.send_back_submitted",
    S.REJECTED: "state.reject_submitted",
    S.APPROVED: "state.approve_submitted",
    S.ACTIVE: "state.start_approved",
    S.SUSPENDED: "state.suspend_active",
    S.EXPIRED: "state.expire_unapproved",
}


def _reason(current: PermitStatus, target: PermitStatus) -> str:
    if current in FINAL_STATUSES:
        return "state.final"
    if current is target:
        return "state.already"
    return _PAIR_REASONS.get((current, target), _TARGET_REASONS.get(target, "state.allowed"))


def check_transition(current: PermitStatus, target: PermitStatus) -> Finding | None:
    """None when ``current → target`` is allowed, else a blocking finding naming both states."""
    if target in TRANSITIONS[current]:
        return None
    allowed = ",".join(sorted(t.value for t in TRANSITIONS[current] if t is not current))
    reason = _reason(current, target)
    return block(
        f"state.{current.value}_to_{target.value}",
        "status",
        text=reason,
        state=current.value,
        target=target.value,
        **({"states": allowed} if reason == "state.allowed" else {}),
    )


def transition(current: PermitStatus, target: PermitStatus) -> PermitStatus:
    """The new status, or ``TransitionRefused`` carrying the reason."""
    finding = check_transition(current, target)
    if finding is not None:
        raise TransitionRefused(finding)
    return target
