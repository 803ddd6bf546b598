"""The intake of applications from the field (contract §5): check, then file as a submitted permit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from cockpit.permits import facts
from cockpit.permits.records import PermitConfig, SessionSource
from cockpit.permits.signing import OnChanged
from cockpit.permits.transitions import apply_transition, commit, state_change
from models.audit import append_audit
from models.records import PermitRequest, PermitStatus
from models.rules.application import ApplicationContext, PermitDraft, check_application, grade_decision
from models.rules.findings import Finding, block
from models.schema import Area, Contractor, Permit, PermitWorker


@dataclass
class _Checked:
    """An application judged: every finding, and what filing it needs."""

    findings: list[Finding]
    existing: Permit | None
    draft: PermitDraft
    ctx: ApplicationContext

    @property
    def accepted(self) -> bool:
        return not any(f.blocks for f in self.findings)


class PermitIntake:
    def __init__(
        self, db: SessionSource, config: PermitConfig, wind: facts.Wind, on_changed: OnChanged
    ) -> None:
        self._db = db
        self._config = config
        self._wind = wind
        self._on_changed = on_changed

    def create_from_request(self, request: PermitRequest, now: datetime) -> list[Finding]:
        """Check an application and, when nothing blocks, file it as a submitted permit.

        Returns every finding (``findings.reply_errors`` turns the blocking ones into the reply). A
        request for a permit id still submitted is a resubmission (after a send-back): it replaces
        the content, so any earlier signature no longer counts. Accepted or refused, it is audited.
        """
        with self._db.session() as s:
            checked = self._check(s, request, now)
            audit = {
                "site": request.site,
                "area": request.area,
                "type": request.type,
                "resubmission": checked.existing is not None,
                "findings": [f.code for f in checked.findings],
            }
            change = None
            if checked.accepted:
                permit = _file(s, request, checked, now)
                # Filing sets the status itself (a new row has none to move from): the event and the
                # audit entry go through the one function all the same.
                apply_transition(
                    s,
                    permit,
                    None,
                    by=request.applicant,
                    ts=now,
                    event_type="resubmitted" if checked.existing is not None else "submitted",
                    detail={"urgent": request.urgent},
                    audit_action="permit.apply",
                    audit_details=audit,
                )
                change = state_change(permit, request.applicant, now)
            else:  # refused applications are audited too; there is no permit to record an event on
                append_audit(
                    s,
                    actor=request.applicant,
                    action="permit.apply_refused",
                    subject=request.permit,
                    details=audit,
                    ts=now,
                )
            commit(s)
        if change is not None:
            self._on_changed(change)
        return checked.findings

    def _check(self, s: Session, request: PermitRequest, now: datetime) -> _Checked:
        area = s.get(Area, (request.site, request.area))
        findings: list[Finding] = []
        if area is None:
            findings.append(block("area.unknown", "area", site=request.site, area=request.area))
        if request.contractor and s.get(Contractor, request.contractor) is None:
            findings.append(block("contractor.unknown", "contractor", contractor=request.contractor))
        existing = s.get(Permit, request.permit)
        if existing is not None and existing.status is not PermitStatus.SUBMITTED:
            findings.append(
                block("permit.exists", "permit", permit_id=request.permit, state=existing.status.value)
            )
        ctx, _, _ = facts.application_context(
            s,
            self._config,
            self._wind,
            permit_type=request.type,
            site_id=request.site,
            area_id=request.area,
            worker_ids=request.workers,
            supervisor=request.supervisor,
            contractor=request.contractor,
            window=(request.valid_from, request.valid_to),
            exclude=request.permit,
            now=now,
            stage="submit",
        )
        draft = PermitDraft.from_request(
            request,
            pipeline=area.pipeline if area else None,
            area_polygon=(area.polygon or []) if area else (),
        )
        findings += check_application(draft, ctx)
        return _Checked(findings, existing, draft, ctx)


def _file(s: Session, request: PermitRequest, checked: _Checked, now: datetime) -> Permit:
    """The permit row, new or the resubmitted one with its content replaced (so old signatures lapse)."""
    decision = grade_decision(checked.draft, checked.ctx)
    existing = checked.existing
    permit = existing or Permit(id=request.permit, created_at=now)
    permit.type = request.type
    permit.grade = request.grade
    permit.effective_grade = decision.grade if decision else None
    permit.grade_reasons = list(decision.raised_by) if decision else []
    permit.status = PermitStatus.SUBMITTED
    permit.site_id = request.site
    permit.area_id = request.area
    permit.valid_from = request.valid_from
    permit.valid_to = request.valid_to
    permit.applicant = request.applicant
    permit.supervisor = request.supervisor
    permit.contractor_code = request.contractor
    permit.description = request.description
    permit.urgent = request.urgent
    permit.prerequisites = dict(request.prerequisites)
    permit.updated_at = now
    permit.workers = [PermitWorker(worker_id=w) for w in dict.fromkeys(request.workers)]
    if existing is None:
        s.add(permit)
    s.flush()  # the row exists before its event row refers to it
    return permit
