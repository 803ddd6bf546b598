"""The approval queue: submitted permits with their deadline and escalation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from cockpit.permits.escalation import deadline_for, escalation_for
from cockpit.permits.permit_reads import event_time, latest_id
from cockpit.permits.records import Escalation, PermitConfig, QueueItem, SessionSource
from connectors.prepared import PreparedRead
from models.records import PermitStatus
from models.schema import Approval, ApprovalDecision, Area, Permit, Site

# The whole queue in ONE plain-row statement (issue 20: at 1M permits five statements' passes through
# SQLAlchemy cost more CPU than the database's work): each submitted permit with its area's name, its
# site's zone, its latest (re)submission and its latest decision. The latest decision is the one
# signed last; two signed at the same instant: the higher id (the later written) wins, so the
# queue no longer depends on the order the database happens to return a tie in. Built once: its
# cache key is then computed once.
_SUBMITTED_AT = event_time(func.max, "submitted", "resubmitted")
_LAST_DECISION_ID = latest_id(aliased(Approval, name="signed"), "signed_at")
_QUEUE = (
    select(
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
        Area.name.label("area_name"),
        Site.timezone.label("timezone"),
        _SUBMITTED_AT.label("submitted_at"),
        Approval.decision,
        Approval.reason,
        Approval.signed_at,
    )
    .select_from(Permit)
    .outerjoin(Area, and_(Area.site_id == Permit.site_id, Area.id == Permit.area_id))
    .outerjoin(Site, Site.id == Permit.site_id)
    .outerjoin(Approval, Approval.id == _LAST_DECISION_ID)
    .where(Permit.status == PermitStatus.SUBMITTED)
)
# planned once per pooled connection on PostgreSQL (0.5 ms a call at 1M permits): connectors/prepared.py
_QUEUE_READ = PreparedRead("cockpit_approval_queue", _QUEUE)


class ApprovalQueue:
    """Reads the queue; the escalations are the overdue part of it."""

    def __init__(self, db: SessionSource, config: PermitConfig) -> None:
        self._db = db
        self._config = config

    def approval_queue(self, now: datetime) -> list[QueueItem]:
        """Submitted permits: urgent first, then by start time; each with its deadline and escalation."""
        with self._db.session() as s:
            # through the connection: the ORM's result layer costs CPU per row and adds nothing to columns
            rows = _QUEUE_READ.execute(s.connection()).all()
        items: list[QueueItem] = []
        config = self._config
        for row in rows:
            # by position: a row's attribute costs a lookup by name, 19 of them on 200 rows a call
            (
                permit_id, site, area, permit_type, grade, effective_grade, urgent, created_at,
                valid_from, valid_to, applicant, contractor, description, area_name, timezone,
                submitted_at, decision, reason, signed_at,
            ) = row  # fmt: skip
            sub_at = submitted_at or created_at
            sent_back = (
                decision is ApprovalDecision.SEND_BACK and signed_at is not None and signed_at >= sub_at
            )
            deadline = deadline_for(config, urgent, sub_at, valid_from)
            escalation = None if sent_back else escalation_for(config, row, deadline, now)
            items.append(
                QueueItem(
                    permit_id=permit_id,
                    site=site,
                    area=area,
                    area_name=area_name if area_name is not None else area,
                    type=permit_type,
                    grade=grade,
                    effective_grade=effective_grade or grade,
                    urgent=urgent,
                    submitted_at=sub_at,
                    valid_from=valid_from,
                    valid_to=valid_to,
                    applicant=applicant,
                    contractor=contractor,
                    description=description or "",
                    deadline=deadline,
                    sent_back=sent_back,
                    sent_back_reason=reason if sent_back else "",
                    escalation=escalation,
                    timezone=timezone if timezone is not None else "Asia/Shanghai",
                )
            )
        items.sort(key=lambda i: (i.sent_back, not i.urgent, i.valid_from, i.permit_id))
        return items

    def escalations(self, now: datetime) -> list[Escalation]:
        """Permits waiting past their approval deadline, for the alarm service (priority 3)."""
        return [i.escalation for i in self.approval_queue(now) if i.escalation is not None]
