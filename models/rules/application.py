"""All GB 30871 checks on one permit application, in one call.

Used to answer contract §5 requests (``findings.reply_errors`` gives the ``errors`` list) and by
the approval screen, which shows the warnings too. The checks, in order: grade, effective grade
and validity, people (workers, supervisor, certificates), contractor, prerequisites, conflicts.
Hot work is judged at its effective (raised) grade.

Decisions beyond the individual rule modules:
- hot work without a grade blocks on field ``grade``; a grade on another type is a warning;
- no wind reading for hot work below special grade is a warning (the grade could not be checked);
- every worker and the supervisor must be known; the supervisor (监护人) may not also be listed
  as a worker, since the supervisor's one job is to watch;
- certificates are judged on the site's local date, and must last to the permit's last local day;
- a permit whose window has already ended blocks on ``valid_to``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType

from models.records import HotWorkGrade, PermitRequest, PermitStatus, PermitType
from models.rules.conflicts import PermitFootprint, find_conflicts
from models.rules.findings import Finding, block, permit_term, require_aware, warn
from models.rules.grading import GradeDecision, SiteCalendar, effective_grade
from models.rules.prerequisites import Stage, check_prerequisites
from models.rules.validity import check_validity
from models.rules.workers import CertificateInfo, check_contractor, check_worker, trade_for

_EMPTY: Mapping[str, bool] = MappingProxyType({})


@dataclass(frozen=True)
class PermitDraft:
    """A permit as applied for, before any status: the fields of contract §5 plus plan data."""

    type: PermitType
    grade: HotWorkGrade | None
    valid_from: datetime
    valid_to: datetime
    site: str
    area: str
    applicant: str
    workers: tuple[str, ...]
    supervisor: str
    urgent: bool = False
    contractor: str | None = None
    prerequisites: Mapping[str, bool] = field(default_factory=lambda: _EMPTY)
    x: float | None = None
    y: float | None = None
    pipeline: str | None = None
    coordinator: str | None = None
    permit_id: str = ""
    on_equipment: bool = False
    job_end: datetime | None = None  # temporary power: end of the job it serves
    area_polygon: tuple[tuple[float, float], ...] = ()  # the area on the site plan, metres

    @classmethod
    def from_request(
        cls,
        request: PermitRequest,
        *,
        x: float | None = None,
        y: float | None = None,
        pipeline: str | None = None,
        coordinator: str | None = None,
        on_equipment: bool = False,
        job_end: datetime | None = None,
        area_polygon: Sequence[Sequence[float]] = (),
    ) -> PermitDraft:
        """A draft from a decoded contract §5 request, plus what the site plan and job records know."""
        return cls(
            type=request.type,
            grade=request.grade,
            valid_from=request.valid_from,
            valid_to=request.valid_to,
            site=request.site,
            area=request.area,
            applicant=request.applicant,
            workers=tuple(request.workers),
            supervisor=request.supervisor,
            urgent=request.urgent,
            contractor=request.contractor,
            prerequisites=dict(request.prerequisites),
            x=x,
            y=y,
            pipeline=pipeline,
            coordinator=coordinator,
            permit_id=request.permit,
            on_equipment=on_equipment,
            job_end=job_end,
            area_polygon=tuple((float(p[0]), float(p[1])) for p in area_polygon),
        )

    def footprint(self, status: PermitStatus = PermitStatus.SUBMITTED) -> PermitFootprint:
        return PermitFootprint(
            permit_id=self.permit_id,
            type=self.type,
            area=self.area,
            site=self.site,
            status=status,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            x=self.x,
            y=self.y,
            pipeline=self.pipeline,
            coordinator=self.coordinator,
            area_polygon=self.area_polygon,
        )


@dataclass(frozen=True)
class ApplicationContext:
    """What the checks need to know about the plant at ``now``.

    ``worker_trades`` says which trade each worker performs (None: no special trade); a worker not
    listed is taken to perform the permit type's trade. ``certificates`` maps worker id to the
    certificates on record.
    """

    now: datetime
    calendar: SiteCalendar
    known_workers: Set[str]
    wind_m_s: float | None = None
    certificates: Mapping[str, Sequence[CertificateInfo]] = field(default_factory=dict)
    worker_trades: Mapping[str, str | None] = field(default_factory=dict)
    contractor_blacklisted: bool = False
    contractor_qualifications_valid_to: date | None = None
    footprints: Sequence[PermitFootprint] = ()
    stage: Stage = "submit"
    site_max_validity: Mapping[PermitType, timedelta] | None = None


def grade_decision(draft: PermitDraft, ctx: ApplicationContext) -> GradeDecision | None:
    """The effective hot-work grade of ``draft`` (None for other types or when no grade is given)."""
    if draft.type is not PermitType.HOT_WORK or draft.grade is None:
        return None
    return effective_grade(draft.grade, draft.valid_from, draft.valid_to, ctx.calendar, ctx.wind_m_s)


def _grade_findings(draft: PermitDraft, ctx: ApplicationContext) -> tuple[list[Finding], HotWorkGrade | None]:
    if draft.type is not PermitType.HOT_WORK:
        if draft.grade is not None:
            return [
                warn("grade.ignored", "grade", permit=permit_term(draft.type), grade=draft.grade.value)
            ], None
        return [], None
    if draft.grade is None:
        return [block("grade.missing", "grade")], None
    findings: list[Finding] = []
    decision = grade_decision(draft, ctx)
    assert decision is not None
    if decision.raised_by:
        findings.append(
            warn(
                "grade.raised",
                "grade",
                text=None if decision.raised else "grade.raised_highest",
                base=permit_term(PermitType.HOT_WORK, decision.base),
                permit=permit_term(PermitType.HOT_WORK, decision.grade),
                causes="; ".join(decision.raised_by),
            )
        )
    if ctx.wind_m_s is None and decision.grade is not HotWorkGrade.SPECIAL:
        findings.append(
            warn("grade.wind_unknown", "grade", permit=permit_term(PermitType.HOT_WORK, decision.grade))
        )
    return findings, decision.grade


def _people_findings(draft: PermitDraft, ctx: ApplicationContext) -> list[Finding]:
    findings: list[Finding] = []
    if not draft.workers:
        findings.append(block("workers.none", "workers"))
    unknown = [w for w in dict.fromkeys(draft.workers) if w not in ctx.known_workers]
    if unknown:
        findings.append(block("workers.unknown", "workers", workers=", ".join(unknown)))
    duplicates = sorted({w for w in draft.workers if draft.workers.count(w) > 1})
    if duplicates:
        findings.append(warn("workers.duplicate", "workers", workers=", ".join(duplicates)))
    if not draft.supervisor:
        findings.append(block("supervisor.none", "supervisor"))
    elif draft.supervisor not in ctx.known_workers:
        findings.append(block("supervisor.unknown", "supervisor", supervisor=draft.supervisor))
    if draft.supervisor and draft.supervisor in draft.workers:
        findings.append(block("supervisor.is_worker", "supervisor", supervisor=draft.supervisor))
    today = ctx.calendar.local_date(ctx.now)
    last_day = ctx.calendar.local_date(max(draft.valid_to, draft.valid_from))
    default_trade = trade_for(draft.type)
    for worker in dict.fromkeys(draft.workers):
        if worker not in ctx.known_workers:
            continue
        trade = ctx.worker_trades.get(worker, default_trade)
        findings += check_worker(worker, trade, ctx.certificates.get(worker, ()), today, until=last_day)
    return findings


def check_application(draft: PermitDraft, ctx: ApplicationContext) -> list[Finding]:
    """Every finding on ``draft``; it may go on when none of them blocks."""
    require_aware(ctx.now, "now")
    findings, grade = _grade_findings(draft, ctx)
    findings += check_validity(
        draft.type,
        grade,
        draft.valid_from,
        draft.valid_to,
        job_end=draft.job_end,
        site_max=ctx.site_max_validity,
    )
    if draft.valid_to <= ctx.now:
        findings.append(block("validity.in_past", "valid_to", valid_to=draft.valid_to.isoformat()))
    findings += _people_findings(draft, ctx)
    if draft.contractor:
        findings += check_contractor(
            ctx.contractor_blacklisted,
            ctx.contractor_qualifications_valid_to,
            ctx.calendar.local_date(ctx.now),
            contractor_id=draft.contractor,
        )
    findings += check_prerequisites(
        draft.type, draft.prerequisites, ctx.stage, on_equipment=draft.on_equipment
    )
    if draft.valid_to > draft.valid_from:
        findings += find_conflicts(draft.footprint(), ctx.footprints)
    return findings
