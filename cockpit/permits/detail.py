"""One permit's detail: everything an approver needs on one screen, with every check already run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from cockpit.permits import facts
from cockpit.permits import permit_reads as reads
from cockpit.permits.escalation import deadline_for
from cockpit.permits.hashing import content_hash
from cockpit.permits.records import (
    CertState,
    ContractorState,
    GasTestState,
    PermitConfig,
    PermitDetail,
    PrerequisiteState,
    SessionSource,
    SignatureRow,
    WorkerState,
)
from models.errors import UserError
from models.records import ApprovalLevel, HotWorkGrade, PermitStatus, PermitType
from models.rules.application import ApplicationContext, PermitDraft, check_application, grade_decision
from models.rules.approval import missing_approvals, required_approvals
from models.rules.findings import Finding, block
from models.rules.gas_tests import SAMPLE_BEFORE_START, gas_test_findings, needs_gas_test
from models.rules.grading import SiteCalendar
from models.rules.prerequisites import requirements
from models.rules.refusal_texts import coded
from models.rules.validity import max_validity
from models.rules.workers import check_worker, trade_for
from models.schema import Approval, ApprovalDecision, Permit


class PermitReader:
    """Builds :class:`PermitDetail` (also inside the signing transaction) and checks signatures."""

    def __init__(self, db: SessionSource, config: PermitConfig, wind: facts.Wind) -> None:
        self._db = db
        self._config = config
        self._wind = wind

    def permit_detail(self, permit_id: str, now: datetime) -> PermitDetail:
        with self._db.session() as s:
            return self._read(s.connection(), permit_id, now)

    def signature_valid(self, permit_id: str) -> bool:
        """True while every approval on the permit signed its current content (False with none)."""
        with self._db.session() as s:
            permit = facts.load_permit(s, permit_id)
            current = content_hash(permit)
            hashes = s.scalars(
                select(Approval.content_hash).where(
                    Approval.permit_id == permit_id, Approval.decision == ApprovalDecision.APPROVE
                )
            ).all()
            return bool(hashes) and all(h == current for h in hashes)

    def detail(self, s: Session, permit: Permit, now: datetime) -> PermitDetail:
        """The detail of ``permit`` as the session sees it (the caller's transaction)."""
        s.flush()  # the reads go through the session's connection: what the session holds first
        return self._read(s.connection(), permit.id, now)

    def _read(self, conn: Connection, permit_id: str, now: datetime) -> PermitDetail:
        """Five plain-row statements (``cockpit/permits/permit_reads.py``), then every rule."""
        p = reads.read_permit(conn, permit_id)
        if p is None:
            raise coded(UserError, "permit.unknown", permit_id=permit_id)
        people = reads.read_people(conn, permit_id, p.supervisor)
        worker_ids = people.worker_ids
        has_contractor = p.contractor_found is not None
        ctx = facts.build_context(
            self._config,
            permit_type=p.type,
            worker_ids=worker_ids,
            workers=people.workers,
            certificates=people.certificates,
            calendar=_calendar(self._config, p),
            wind_m_s=self._wind(p.site_id, p.area_id),
            contractor_blacklisted=bool(p.contractor_blacklisted) if has_contractor else False,
            contractor_qualifications_valid_to=reads.qualified_to(p),
            footprints=facts.live_footprints(
                conn, p.site_id, (p.valid_from, p.valid_to), p.id, (p.area_id, p.type)
            ),
            now=now,
            stage="approve",
        )
        has_area = p.area_found is not None
        draft = _draft(p, has_area, worker_ids)
        findings = check_application(draft, ctx)
        decision = grade_decision(draft, ctx)
        eff_grade = decision.grade if decision else None
        gas_state: GasTestState | None = None
        if needs_gas_test(p.type):
            gas_state, gas_findings = self._gas_test(p, eff_grade, now)
            findings += gas_findings
        current = content_hash(p, worker_ids)
        signatures, signed_levels = _signatures(reads.read_signatures(conn, permit_id), current)
        required = required_approvals(p.type, eff_grade, site_levels=self._config.site_levels)
        approvals = [sig for sig in signatures if sig.decision == ApprovalDecision.APPROVE.value]
        supervisor = people.workers.get(p.supervisor)
        return PermitDetail(
            permit_id=p.id,
            site=p.site_id,
            area=p.area_id,
            area_name=p.area_name if has_area else p.area_id,
            polygon=list(p.area_polygon or []) if has_area else [],
            risk_level=str(p.area_risk_level) if has_area else "",
            type=p.type,
            grade=p.grade,
            effective_grade=eff_grade,
            grade_reasons=list(decision.raised_by) if decision else [],
            status=p.status,
            valid_from=p.valid_from,
            valid_to=p.valid_to,
            max_validity=max_validity(p.type, eff_grade, self._config.site_max_validity),
            applicant=p.applicant,
            supervisor=p.supervisor,
            supervisor_name=supervisor.name if supervisor else "",
            coordinator=p.coordinator,
            description=p.description or "",
            urgent=p.urgent,
            green_channel_review=p.green_channel_review,
            x=p.x,
            y=p.y,
            prerequisites=_prerequisites(p.type, draft.on_equipment, findings),
            gas_test=gas_state,
            wind_m_s=ctx.wind_m_s if p.type is PermitType.HOT_WORK else None,
            workers=_worker_states(p, worker_ids, people.workers, ctx),
            contractor=_contractor_state(conn, p) if has_contractor else None,
            conflicts=[f for f in findings if f.code.startswith("conflict.")],
            findings=findings,
            required_levels=required,
            missing_levels=missing_approvals(required, signed_levels),
            signatures=signatures,
            content_hash=current,
            signature_valid=bool(approvals) and all(sig.valid for sig in approvals),
            deadline=self._deadline(p),
            timezone=ctx.calendar.timezone,
            site_name=p.site_name if p.site_found is not None and p.site_name else p.site_id,
        )

    def _deadline(self, p: Any) -> datetime | None:
        if p.status is not PermitStatus.SUBMITTED:
            return None
        sub_at = p.submitted_at or p.created_at
        return deadline_for(self._config, p.urgent, sub_at, p.valid_from)

    def _gas_test(
        self, p: Any, eff_grade: HotWorkGrade | None, now: datetime
    ) -> tuple[GasTestState | None, list[Finding]]:
        """The latest record decides: a failed one blocks, a stale or missing one blocks."""
        taken_at: datetime | None = p.gas_taken_at if p.gas_found is not None else None
        last_pass = taken_at if taken_at is not None and p.gas_passed else None
        state: GasTestState | None = None
        if taken_at is not None:
            state = GasTestState(
                taken_at,
                p.gas_by,
                p.gas_passed,
                list(p.gas_readings or []),
                now - taken_at,
                SAMPLE_BEFORE_START,
            )
        if taken_at is not None and not p.gas_passed:
            failed = block("gas_test.failed", "gas_test", time=taken_at.isoformat(), by=p.gas_by)
            return state, [failed]
        return state, gas_test_findings(
            p.type,
            eff_grade,
            last_test_at=last_pass,
            work_started_at=p.started_at,
            paused_at=p.paused_at,
            resumed_at=p.resumed_at,
            now=now,
            periodic_min=self._config.periodic_gas_retest_min.get(p.site_id, 0),
        )


def _calendar(config: PermitConfig, p: Any) -> SiteCalendar:
    holidays = config.holidays.get(p.site_id, frozenset())
    if p.site_found is None:
        return SiteCalendar(holidays=holidays)
    return SiteCalendar(
        timezone=p.site_timezone,
        night_start=p.site_night_start,
        night_end=p.site_night_end,
        holidays=holidays,
    )


def _draft(permit: Any, has_area: bool, worker_ids: Sequence[str]) -> PermitDraft:
    """The permit as the application rules read it; its gas test is judged from the records instead."""
    prereq = dict(permit.prerequisites or {})
    if needs_gas_test(permit.type):
        prereq["gas_test"] = True  # judged from the gas-test records themselves
    return PermitDraft(
        type=permit.type,
        grade=permit.grade,
        valid_from=permit.valid_from,
        valid_to=permit.valid_to,
        site=permit.site_id,
        area=permit.area_id,
        applicant=permit.applicant,
        workers=tuple(worker_ids),
        supervisor=permit.supervisor,
        urgent=permit.urgent,
        contractor=permit.contractor_code,
        prerequisites=prereq,
        x=permit.x,
        y=permit.y,
        pipeline=permit.area_pipeline if has_area else None,
        coordinator=permit.coordinator,
        area_polygon=tuple((float(q[0]), float(q[1])) for q in (permit.area_polygon or []))
        if has_area
        else (),
        permit_id=permit.id,
        on_equipment=permit.grade is HotWorkGrade.SPECIAL,
    )


def _prerequisites(
    permit_type: PermitType, on_equipment: bool, findings: Sequence[Finding]
) -> list[PrerequisiteState]:
    out: list[PrerequisiteState] = []
    for req in requirements(permit_type, on_equipment=on_equipment):
        own = [f for f in findings if f.blocks and f.code == f"prerequisite.{req.key}"]
        if req.key == "gas_test":
            own = [f for f in findings if f.blocks and f.code.startswith("gas_test.")]
        out.append(
            PrerequisiteState(
                req.key, not own, "; ".join(f.message for f in own) if own else req.reason, tuple(own)
            )
        )
    return out


def _worker_states(
    permit: Any,
    worker_ids: Sequence[str],
    workers: Mapping[str, facts.WorkerRecord],
    ctx: ApplicationContext,
) -> list[WorkerState]:
    today = ctx.calendar.local_date(ctx.now)
    last_day = ctx.calendar.local_date(permit.valid_to)
    out: list[WorkerState] = []
    for wid in worker_ids:
        needed = ctx.worker_trades.get(wid, trade_for(permit.type))
        worker = workers.get(wid)
        certs = list(ctx.certificates.get(wid, ()))
        found = check_worker(wid, needed, certs, today, until=last_day) if worker else []
        judged = None
        if needed is not None:
            matching = [c for c in certs if c.trade == needed]
            judged = max(matching, key=lambda c: c.valid_to) if matching else None
        blocks = any(f.blocks for f in found) or worker is None
        if needed is None:
            state: CertState = "not_required"
        elif judged is None:
            state = "missing"
        elif blocks:
            state = "expired"
        elif any(f.code.startswith("worker.certificate_expires_") for f in found):
            state = "expiring"
        else:
            state = "valid"
        if worker is None:
            found = [block("workers.unknown", "workers", text="workers.not_registered", worker=wid)]
        out.append(
            WorkerState(
                worker_id=wid,
                name=worker.name if worker else "",
                trade=worker.trade if worker else "",
                required_trade=needed,
                certificate=judged.number if judged else "",
                valid_to=judged.valid_to if judged else None,
                days_left=(judged.valid_to - today).days if judged else None,
                state=state,
                blocks=blocks,
                findings=found,
            )
        )
    return out


def _contractor_state(conn: Connection, p: Any) -> ContractorState:
    return ContractorState(
        code=p.contractor_found,
        name=p.contractor_name,
        grade=str(p.contractor_grade),
        blacklisted=p.contractor_blacklisted,
        blacklist_reason=p.contractor_blacklist_reason or "",
        qualifications_valid_to=p.contractor_qualified_to,
        violations=int(p.violations),
        violation_points=int(p.violation_points),
        recent_violations=reads.read_violations(conn, p.contractor_found),
    )


def _signatures(
    rows: Sequence[reads.Signature], current: str
) -> tuple[list[SignatureRow], list[ApprovalLevel]]:
    out: list[SignatureRow] = []
    levels: list[ApprovalLevel] = []
    for a in rows:
        valid = a.content_hash == current
        out.append(
            SignatureRow(a.signer, a.name, a.level, a.role, a.signed_at, str(a.decision), a.reason, valid)
        )
        if valid and a.decision is ApprovalDecision.APPROVE:
            levels.append(a.level)
    return out, levels
