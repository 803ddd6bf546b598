"""The approval deadline and the escalation of a permit waiting past it.

Approval deadline (decided here, shown in the queue with a countdown):
- an urgent (green-channel) permit must be decided within ``urgent_deadline`` (15 min) of submission;
- any other permit by ``valid_from - approval_lead`` (30 min before work starts: the pre-start gas
  test is itself valid for only 30 min, so a later approval leaves the crew waiting);
- a permit submitted so late that this moment has passed gets ``late_grace`` (15 min) from
  submission instead, so it is not escalated the very second it arrives.
Past the deadline a permit escalates along ``escalation_chain`` (shift lead → safety department →
senior leader by default), one step per ``escalation_step`` (15 min). A sent-back permit waits for
the applicant and does not escalate (the queue decides that).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cockpit.permits.records import DEFAULT_CHAIN, Escalation, PermitConfig


def deadline_for(
    config: PermitConfig, urgent: bool, submitted_at: datetime, valid_from: datetime
) -> datetime:
    """The approval deadline (see the module docstring for the rule)."""
    if urgent:
        return submitted_at + config.urgent_deadline
    deadline = valid_from - config.approval_lead
    if deadline < submitted_at:
        deadline = submitted_at + config.late_grace
    return deadline


def escalation_for(config: PermitConfig, permit: Any, deadline: datetime, now: datetime) -> Escalation | None:
    """The escalation of a permit row (``id``, ``site_id``, ``area_id``) at ``now``, or None in time."""
    if now <= deadline:
        return None
    chain = config.escalation_chain or DEFAULT_CHAIN
    overdue = now - deadline
    step = min(int(overdue / config.escalation_step), len(chain) - 1)
    minutes = int(overdue.total_seconds() // 60)
    return Escalation(
        permit_id=permit.id,
        site=permit.site_id,
        area=permit.area_id,
        deadline=deadline,
        overdue=overdue,
        step=step,
        escalated_to=chain[step],
        message=(
            f"permit {permit.id} waits {minutes} min past its approval deadline: "
            f"escalated to {chain[step].replace('_', ' ')}"
        ),
    )
