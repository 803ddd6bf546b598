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

An escalation is paperwork, not an alarm (docs/ALARMS.md): it asks someone to decide a permit,
not an operator to act on the plant. It is never raised in the alarm engine (which refuses the
condition); each step is recorded once as a permit event ``escalated`` (the handover lists it),
and the task lane (views/tasks_view.py) shows the permits waiting past their deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cockpit.permits.records import DEFAULT_CHAIN, Escalation, PermitConfig
from models.schema import PermitEventRow

ESCALATED_EVENT = "escalated"


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


def record_escalations(
    session: Session, escalations: Sequence[Escalation], now: datetime
) -> list[Escalation]:
    """Write one ``escalated`` permit event per permit and step not recorded yet; the new ones back.

    The permit timers call this every 10 s: a step already in the permit's events is not written again.
    """
    if not escalations:
        return []
    ids = sorted({e.permit_id for e in escalations})
    seen: set[tuple[str, int]] = set()
    for permit_id, detail in session.execute(
        select(PermitEventRow.permit_id, PermitEventRow.detail).where(
            PermitEventRow.permit_id.in_(ids), PermitEventRow.type == ESCALATED_EVENT
        )
    ):
        step = detail.get("step") if isinstance(detail, dict) else None
        if isinstance(step, int):
            seen.add((permit_id, step))
    new = [e for e in escalations if (e.permit_id, e.step) not in seen]
    for e in new:
        session.add(
            PermitEventRow(
                permit_id=e.permit_id,
                ts=now,
                type=ESCALATED_EVENT,
                by="",
                detail={"to": e.escalated_to, "step": e.step, "deadline": e.deadline.isoformat()},
            )
        )
    return new
