"""The approval queue: submitted permits with their deadline and escalation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from cockpit.permits import facts
from cockpit.permits.escalation import deadline_for, escalation_for
from cockpit.permits.records import Escalation, PermitConfig, QueueItem, SessionSource
from models.records import PermitStatus
from models.schema import ApprovalDecision, Permit

# plain rows, not ORM objects: building hundreds of mapped instances costs more than the SQL; the
# statement built once (its cache key is then computed once)
_SUBMITTED = select(
    Permit.id,
    Permit.site_id,
    Permit.area_id,
    Permit.type,
    Permit.grade,
    Permit.effective_grade,
    Permit.urgent,
    Permit.created_at,
    Permit.valid_from,
    Permit.valid_to,
    Permit.applicant,
    Permit.contractor_code,
    Permit.description,
).where(Permit.status == PermitStatus.SUBMITTED)


class ApprovalQueue:
    """Reads the queue; the escalations are the overdue part of it."""

    def __init__(self, db: SessionSource, config: PermitConfig) -> None:
        self._db = db
        self._config = config

    def approval_queue(self, now: datetime) -> list[QueueItem]:
        """Submitted permits: urgent first, then by start time; each with its deadline and escalation."""
        with self._db.session() as s:
            # through the connection: the ORM's result layer costs CPU per row and adds nothing to columns
            permits = s.connection().execute(_SUBMITTED).all()
            names = facts.area_names(s)
            rows = [(p, names.get((p.site_id, p.area_id), p.area_id)) for p in permits]
            ids = [p.id for p in permits]
            submitted_at = facts.submitted_times(s, ids)
            last_decision = facts.last_decisions(s, ids)
            zones = facts.zones(s)
            items: list[QueueItem] = []
            for permit, area_name in rows:
                sub_at = submitted_at.get(permit.id, permit.created_at)
                decision = last_decision.get(permit.id)
                sent_back = (
                    decision is not None
                    and decision.decision is ApprovalDecision.SEND_BACK
                    and decision.signed_at >= sub_at
                )
                deadline = deadline_for(self._config, permit.urgent, sub_at, permit.valid_from)
                escalation = None if sent_back else escalation_for(self._config, permit, deadline, now)
                items.append(
                    QueueItem(
                        permit_id=permit.id,
                        site=permit.site_id,
                        area=permit.area_id,
                        area_name=area_name,
                        type=permit.type,
                        grade=permit.grade,
                        effective_grade=permit.effective_grade or permit.grade,
                        urgent=permit.urgent,
                        submitted_at=sub_at,
                        valid_from=permit.valid_from,
                        valid_to=permit.valid_to,
                        applicant=permit.applicant,
                        contractor=permit.contractor_code,
                        description=permit.description or "",
                        deadline=deadline,
                        sent_back=sent_back,
                        sent_back_reason=decision.reason if sent_back and decision else "",
                        escalation=escalation,
                        timezone=zones.get(permit.site_id, "Asia/Shanghai"),
                    )
                )
        items.sort(key=lambda i: (i.sent_back, not i.urgent, i.valid_from, i.permit_id))
        return items

    def escalations(self, now: datetime) -> list[Escalation]:
        """Permits waiting past their approval deadline, for the alarm service (priority 3)."""
        return [i.escalation for i in self.approval_queue(now) if i.escalation is not None]
