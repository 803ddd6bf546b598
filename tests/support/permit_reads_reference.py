"""The permit detail's reads as they were before issue 20 (ORM entities), kept as the reference the
plain-row reads of ``cockpit/permits/permit_reads.py`` are compared with
(``tests/cockpit/test_permit_reads.py``). Not used by the program; change it only to follow a change of
what the detail means, never to make the comparison pass. What the change left as it was (the
prerequisites and worker states judged from what was read, the site's calendar, the qualifications'
end) is the program's own, imported: the comparison is of the reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Literal, cast

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from cockpit.permits import facts
from cockpit.permits.detail import _prerequisites, _worker_states
from cockpit.permits.escalation import deadline_for, escalation_for
from cockpit.permits.hashing import content_hash
from cockpit.permits.records import (
    ContractorState,
    GasTestState,
    PermitConfig,
    PermitDetail,
    QueueItem,
    SessionSource,
    SignatureRow,
)
from models.records import ApprovalLevel, HotWorkGrade, PermitStatus, PermitType
from models.rules.application import ApplicationContext, PermitDraft, check_application, grade_decision
from models.rules.approval import missing_approvals, required_approvals
from models.rules.conflicts import PermitFootprint
from models.rules.findings import Finding, block
from models.rules.gas_tests import SAMPLE_BEFORE_START, gas_test_findings, needs_gas_test
from models.rules.permit_state import LIVE_STATUSES
from models.rules.validity import max_validity
from models.rules.workers import CertificateInfo
from models.schema import (
    Approval,
    ApprovalDecision,
    Area,
    Certificate,
    Contractor,
    ContractorViolation,
    GasTest,
    Permit,
    PermitEventRow,
    Site,
    User,
    Worker,
)


class ReferencePermitReader:
    """The detail as the ORM read it before issue 20 (a ``Permit`` entity, its relationships, 11+ reads)."""

    def __init__(self, db: SessionSource, config: PermitConfig, wind: facts.Wind) -> None:
        self._db = db
        self._config = config
        self._wind = wind

    def permit_detail(self, permit_id: str, now: datetime) -> PermitDetail:
        with self._db.session() as s:
            permit = facts.load_permit(s, permit_id)
            return self.detail(s, permit, now)

    def detail(self, s: Session, permit: Permit, now: datetime) -> PermitDetail:
        """The detail of ``permit`` as the session sees it (the caller's transaction)."""
        area = s.get(Area, (permit.site_id, permit.area_id))
        worker_ids = [w.worker_id for w in permit.workers]
        ctx, workers, _ = application_context(
            s,
            self._config,
            self._wind,
            permit_type=permit.type,
            site_id=permit.site_id,
            area_id=permit.area_id,
            worker_ids=worker_ids,
            supervisor=permit.supervisor,
            contractor=permit.contractor_code,
            window=(permit.valid_from, permit.valid_to),
            exclude=permit.id,
            now=now,
            stage="approve",
        )
        draft = _draft(permit, area, worker_ids)
        findings = check_application(draft, ctx)
        decision = grade_decision(draft, ctx)
        eff_grade = decision.grade if decision else None
        gas_state: GasTestState | None = None
        if needs_gas_test(permit.type):
            gas_state, gas_findings = self._gas_test(s, permit, eff_grade, now)
            findings += gas_findings
        current = content_hash(permit, worker_ids)
        signatures, signed_levels = _signatures(s, permit, current)
        required = required_approvals(permit.type, eff_grade, site_levels=self._config.site_levels)
        approvals = [sig for sig in signatures if sig.decision == ApprovalDecision.APPROVE.value]
        supervisor = workers.get(permit.supervisor)
        return PermitDetail(
            permit_id=permit.id,
            site=permit.site_id,
            area=permit.area_id,
            area_name=area.name if area else permit.area_id,
            polygon=list(area.polygon or []) if area else [],
            risk_level=str(area.risk_level) if area else "",
            type=permit.type,
            grade=permit.grade,
            effective_grade=eff_grade,
            grade_reasons=list(decision.raised_by) if decision else [],
            status=permit.status,
            valid_from=permit.valid_from,
            valid_to=permit.valid_to,
            max_validity=max_validity(permit.type, eff_grade, self._config.site_max_validity),
            applicant=permit.applicant,
            supervisor=permit.supervisor,
            supervisor_name=supervisor.name if supervisor else "",
            coordinator=permit.coordinator,
            description=permit.description or "",
            urgent=permit.urgent,
            green_channel_review=permit.green_channel_review,
            x=permit.x,
            y=permit.y,
            prerequisites=_prerequisites(permit.type, draft.on_equipment, findings),
            gas_test=gas_state,
            wind_m_s=ctx.wind_m_s if permit.type is PermitType.HOT_WORK else None,
            workers=_worker_states(permit, worker_ids, cast(Mapping[str, facts.WorkerRecord], workers), ctx),
            contractor=_contractor_state(s, permit.contractor_code, ctx.contractor_qualifications_valid_to),
            conflicts=[f for f in findings if f.code.startswith("conflict.")],
            findings=findings,
            required_levels=required,
            missing_levels=missing_approvals(required, signed_levels),
            signatures=signatures,
            content_hash=current,
            signature_valid=bool(approvals) and all(sig.valid for sig in approvals),
            deadline=self._deadline(s, permit),
            timezone=ctx.calendar.timezone,
            site_name=_site_name(s, permit.site_id),
        )

    def _deadline(self, s: Session, permit: Permit) -> datetime | None:
        if permit.status is not PermitStatus.SUBMITTED:
            return None
        sub_at = submitted_times(s, [permit.id]).get(permit.id, permit.created_at)
        return deadline_for(self._config, permit.urgent, sub_at, permit.valid_from)

    def _gas_test(
        self, s: Session, permit: Permit, eff_grade: HotWorkGrade | None, now: datetime
    ) -> tuple[GasTestState | None, list[Finding]]:
        """The latest record decides: a failed one blocks, a stale or missing one blocks."""
        latest = s.scalars(
            select(GasTest).where(GasTest.permit_id == permit.id).order_by(GasTest.taken_at.desc()).limit(1)
        ).first()
        started, paused, resumed = work_times(s, permit.id)
        last_pass = latest.taken_at if latest is not None and latest.passed else None
        state: GasTestState | None = None
        if latest is not None:
            state = GasTestState(
                latest.taken_at,
                latest.by,
                latest.passed,
                list(latest.readings or []),
                now - latest.taken_at,
                SAMPLE_BEFORE_START,
            )
        if latest is not None and not latest.passed:
            failed = block("gas_test.failed", "gas_test", time=latest.taken_at.isoformat(), by=latest.by)
            return state, [failed]
        return state, gas_test_findings(
            permit.type,
            eff_grade,
            last_test_at=last_pass,
            work_started_at=started,
            paused_at=paused,
            resumed_at=resumed,
            now=now,
            periodic_min=self._config.periodic_gas_retest_min.get(permit.site_id, 0),
        )


def _draft(permit: Permit, area: Area | None, worker_ids: Sequence[str]) -> PermitDraft:
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
        pipeline=area.pipeline if area else None,
        coordinator=permit.coordinator,
        area_polygon=tuple((float(q[0]), float(q[1])) for q in (area.polygon or [])) if area else (),
        permit_id=permit.id,
        on_equipment=permit.grade is HotWorkGrade.SPECIAL,
    )


def _contractor_state(s: Session, code: str | None, qual_to: date | None) -> ContractorState | None:
    if not code:
        return None
    row = s.get(Contractor, code)
    if row is None:
        return None
    count, points = s.execute(
        select(
            func.count(ContractorViolation.id), func.coalesce(func.sum(ContractorViolation.points), 0)
        ).where(ContractorViolation.contractor_code == code)
    ).one()
    recent = s.execute(
        select(ContractorViolation.at, ContractorViolation.description, ContractorViolation.points)
        .where(ContractorViolation.contractor_code == code)
        .order_by(ContractorViolation.at.desc())
        .limit(5)
    ).all()
    return ContractorState(
        code=row.code,
        name=row.name,
        grade=str(row.grade),
        blacklisted=row.blacklisted,
        blacklist_reason=row.blacklist_reason or "",
        qualifications_valid_to=qual_to,
        violations=int(count),
        violation_points=int(points),
        recent_violations=[(at, d, p) for at, d, p in recent],
    )


def _signatures(s: Session, permit: Permit, current: str) -> tuple[list[SignatureRow], list[ApprovalLevel]]:
    rows = s.execute(
        select(Approval, User.display_name)
        .join(User, User.username == Approval.signer, isouter=True)
        .where(Approval.permit_id == permit.id)
        .order_by(Approval.signed_at)
    ).all()
    out: list[SignatureRow] = []
    levels: list[ApprovalLevel] = []
    for a, name in rows:
        valid = a.content_hash == current
        out.append(
            SignatureRow(
                a.signer, name or a.signer, a.level, a.role, a.signed_at, str(a.decision), a.reason, valid
            )
        )
        if valid and a.decision is ApprovalDecision.APPROVE:
            levels.append(a.level)
    return out, levels


def _site_name(s: Session, site_id: str) -> str:
    site = s.get(Site, site_id)
    return site.name if site is not None and site.name else site_id


def application_context(
    s: Session,
    config: PermitConfig,
    wind: facts.Wind,
    *,
    permit_type: PermitType,
    site_id: str,
    area_id: str,
    worker_ids: Sequence[str],
    supervisor: str,
    contractor: str | None,
    window: tuple[datetime, datetime],
    exclude: str,
    now: datetime,
    stage: Literal["submit", "approve", "start"],
) -> tuple[ApplicationContext, dict[str, Worker], list[PermitFootprint]]:
    people = set(worker_ids) | ({supervisor} if supervisor else set())
    workers = {w.id: w for w in s.scalars(select(Worker).where(Worker.id.in_(people)))} if people else {}
    certs: dict[str, list[CertificateInfo]] = defaultdict(list)
    if workers:
        for c in s.scalars(select(Certificate).where(Certificate.worker_id.in_(list(workers)))):
            trade = facts.special_trade(c.trade) or c.trade
            certs[c.worker_id].append(CertificateInfo(c.number, trade, c.valid_to, c.review_due))
    blacklisted = False
    qual_to: date | None = None
    if contractor:
        row = s.get(Contractor, contractor)
        if row is not None:
            blacklisted = row.blacklisted
            qual_to = facts.qualifications_valid_to(s, contractor)
    footprints = live_footprints(s, site_id, window, exclude)
    ctx = ApplicationContext(
        now=now,
        calendar=facts.site_calendar(s, config, site_id),
        known_workers=frozenset(workers),
        wind_m_s=wind(site_id, area_id),
        certificates=dict(certs),
        worker_trades=facts.worker_trades(
            permit_type,
            {w: facts.WorkerRecord(w, workers[w].name, workers[w].trade) for w in worker_ids if w in workers},
            certs,
        ),
        contractor_blacklisted=blacklisted,
        contractor_qualifications_valid_to=qual_to,
        footprints=footprints,
        stage=stage,
        site_max_validity=config.site_max_validity,
    )
    return ctx, workers, footprints


def live_footprints(
    s: Session, site_id: str, window: tuple[datetime, datetime], exclude: str
) -> list[PermitFootprint]:
    # No join with areas here: SQLite would drive the query from the areas and scan every permit
    # of each; the status index finds the few live permits, and the pipelines come separately.
    start, end = window
    permits = s.execute(
        select(
            Permit.id,
            Permit.type,
            Permit.area_id,
            Permit.site_id,
            Permit.status,
            Permit.valid_from,
            Permit.valid_to,
            Permit.x,
            Permit.y,
            Permit.coordinator,
        ).where(
            Permit.status.in_(list(LIVE_STATUSES)),
            Permit.site_id == site_id,
            Permit.valid_from < end,
            Permit.valid_to > start,
            Permit.id != exclude,
        )
    ).all()
    used = {p.area_id for p in permits}  # a site's other areas' outlines are not converted
    areas = (
        {
            a: (p, tuple((float(q[0]), float(q[1])) for q in poly or []))
            for a, p, poly in s.execute(
                select(Area.id, Area.pipeline, Area.polygon).where(Area.site_id == site_id)
            )
            if a in used
        }
        if permits
        else {}
    )
    rows = [(p, *areas.get(p.area_id, (None, ()))) for p in permits]
    return [
        PermitFootprint(
            permit_id=p.id,
            type=p.type,
            area=p.area_id,
            site=p.site_id,
            status=p.status,
            valid_from=p.valid_from,
            valid_to=p.valid_to,
            x=p.x,
            y=p.y,
            pipeline=pipeline,
            coordinator=p.coordinator,
            area_polygon=polygon,
        )
        for p, pipeline, polygon in rows
    ]


_SUBMITTED_AT = (
    select(PermitEventRow.permit_id, func.max(PermitEventRow.ts))
    .where(
        PermitEventRow.permit_id.in_(bindparam("ids", expanding=True)),
        PermitEventRow.type.in_(("submitted", "resubmitted")),
    )
    .group_by(PermitEventRow.permit_id)
)


def submitted_times(s: Session, ids: Sequence[str]) -> dict[str, datetime]:
    if not ids:
        return {}
    return {pid: ts for pid, ts in s.connection().execute(_SUBMITTED_AT, {"ids": list(ids)})}


def work_times(s: Session, permit_id: str) -> tuple[datetime | None, datetime | None, datetime | None]:
    """First start, last pause and last resume of the work, from the permit's events."""
    rows = s.execute(
        select(PermitEventRow.type, func.min(PermitEventRow.ts), func.max(PermitEventRow.ts))
        .where(
            PermitEventRow.permit_id == permit_id,
            PermitEventRow.type.in_(("started", "paused", "resumed")),
        )
        .group_by(PermitEventRow.type)
    ).all()
    seen = {t: (first, last) for t, first, last in rows}
    started = seen.get("started", (None, None))[0]
    paused = seen.get("paused", (None, None))[1]
    resumed = seen.get("resumed", (None, None))[1]
    return started, paused, resumed


_DECISIONS = (
    select(Approval.permit_id, Approval.decision, Approval.reason, Approval.signed_at)
    .where(Approval.permit_id.in_(bindparam("ids", expanding=True)))
    .order_by(Approval.signed_at)
)


def last_decisions(s: Session, ids: Sequence[str]) -> dict[str, Any]:
    """The latest decision row (decision, reason, signed_at) per permit."""
    if not ids:
        return {}
    out: dict[str, Any] = {}
    for row in s.connection().execute(_DECISIONS, {"ids": list(ids)}):
        out[row.permit_id] = row
    return out


_QUEUE_SUBMITTED = select(
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


class ReferenceApprovalQueue:
    """The approval queue as five statements read it before issue 20."""

    def __init__(self, db: SessionSource, config: PermitConfig) -> None:
        self._db = db
        self._config = config

    def approval_queue(self, now: datetime) -> list[QueueItem]:
        """Submitted permits: urgent first, then by start time; each with its deadline and escalation."""
        with self._db.session() as s:
            # through the connection: the ORM's result layer costs CPU per row and adds nothing to columns
            permits = s.connection().execute(_QUEUE_SUBMITTED).all()
            names = facts.area_names(s)
            rows = [(p, names.get((p.site_id, p.area_id), p.area_id)) for p in permits]
            ids = [p.id for p in permits]
            submitted_at = submitted_times(s, ids)
            last_decision = last_decisions(s, ids)
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
