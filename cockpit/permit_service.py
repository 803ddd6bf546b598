"""Permit approval, the active-permit board and escalation: the service behind the approval screens.

Why it looks like this:
- Every method that changes something is ONE transaction that also writes its audit entry, and it
  checks the acting user's role and approval level itself from the ``users`` table: a screen that
  forgot to grey out a button still cannot approve a permit for the wrong person.
- Every GB 30871 verdict comes from ``models.rules``; this module only gathers the facts from the
  database (certificates, contractor, live permits, gas tests, events) and hands them over.
- The electronic signature is bound to the permit's content: an approval stores the sha256 of a
  canonical JSON of the decisive fields (:func:`content_hash`); any later change to one of them makes
  the signature invalid, and an invalid signature no longer counts towards the approval matrix.
- No Qt: state changes leave through the plain ``on_permit_changed`` callback (the lead wires it to
  the MQTT publisher of contract §6) and escalations are returned as data (the alarm service raises
  the priority-3 alarm).

Approval deadline (decided here, shown in the queue with a countdown):
- an urgent (green-channel) permit must be decided within ``urgent_deadline`` (15 min) of submission;
- any other permit by ``valid_from - approval_lead`` (30 min before work starts: the pre-start gas
  test is itself valid for only 30 min, so a later approval leaves the crew waiting);
- a permit submitted so late that this moment has passed gets ``late_grace`` (15 min) from
  submission instead, so it is not escalated the very second it arrives.
Past the deadline a permit escalates along ``escalation_chain`` (shift lead → safety department →
senior leader by default), one step per ``escalation_step`` (15 min). A sent-back permit waits for
the applicant and does not escalate.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cockpit.roles import ACTIONS
from cockpit.roles import PermissionRefused as RolePermissionRefused
from models.audit import append_audit, canonical_json
from models.errors import UserError
from models.passwords import verify_password
from models.records import ApprovalLevel, HotWorkGrade, PermitRequest, PermitStatus, PermitType, Role
from models.rules.application import ApplicationContext, PermitDraft, check_application, grade_decision
from models.rules.approval import SIGNING_ROLES, may_sign, missing_approvals, rank, required_approvals
from models.rules.conflicts import PermitFootprint
from models.rules.findings import Finding, block, blocking
from models.rules.gas_tests import (
    SAMPLE_BEFORE_START,
    gas_test_findings,
    needs_gas_test,
    next_gas_test_due,
)
from models.rules.grading import SiteCalendar
from models.rules.permit_state import LIVE_STATUSES, check_transition
from models.rules.prerequisites import requirements
from models.rules.validity import max_validity
from models.rules.workers import (
    TRADE_ELECTRICIAN,
    TRADE_HEIGHT,
    TRADE_LIFTING,
    TRADE_NAMES_EN,
    TRADE_WELDING,
    CertificateInfo,
    check_worker,
    normalize_trade,
    trade_for,
)
from models.schema import (
    Approval,
    ApprovalDecision,
    Area,
    Certificate,
    Contractor,
    ContractorQualification,
    ContractorViolation,
    GasTest,
    Permit,
    PermitEventRow,
    PermitWorker,
    Site,
    User,
    Worker,
)

# ---------------------------------------------------------------- configuration and records


class SessionSource(Protocol):
    """What the service needs of ``connectors.database.Database``: a transactional session."""

    def session(self) -> AbstractContextManager[Session]: ...


DEFAULT_CHAIN: tuple[str, ...] = ("shift_lead", "safety_department", "senior_leader")

#: Roles that may suspend and close permits: the team's one table (``cockpit.roles``).
SUSPEND_ROLES = ACTIONS["suspend_permit"]
CLOSE_ROLES = ACTIONS["close_permit"]
#: Roles that review green-channel approvals the next day.
REVIEW_ROLES = frozenset({Role.SAFETY_MANAGER})


@dataclass(frozen=True)
class PermitConfig:
    """The service's settings; :meth:`from_config` reads the per-site parts of the cockpit config."""

    approval_lead: timedelta = timedelta(minutes=30)
    urgent_deadline: timedelta = timedelta(minutes=15)
    late_grace: timedelta = timedelta(minutes=15)
    escalation_chain: tuple[str, ...] = DEFAULT_CHAIN
    escalation_step: timedelta = timedelta(minutes=15)
    checkin_interval: timedelta = timedelta(minutes=30)  # as the core's CHECKIN_OVERDUE alarm
    expiring_soon: timedelta = timedelta(hours=1)
    periodic_gas_retest_min: Mapping[str, int] = field(default_factory=dict)  # per site
    holidays: Mapping[str, frozenset[date]] = field(default_factory=dict)  # per site
    site_max_validity: Mapping[PermitType, timedelta] | None = None
    site_levels: Mapping[PermitType, ApprovalLevel] | None = None

    @classmethod
    def from_config(cls, config: Any, **overrides: Any) -> PermitConfig:
        """Per-site re-test policy and holidays from ``cockpit.config.Config``."""
        periodic = {sid: s.periodic_gas_retest_min for sid, s in config.sites.items()}
        holidays = {
            sid: frozenset(date.fromisoformat(d) for d in s.holidays) for sid, s in config.sites.items()
        }
        return cls(periodic_gas_retest_min=periodic, holidays=holidays, **overrides)


class PermissionRefused(RolePermissionRefused, UserError):
    """The acting user may not do this (role, approval level, password, green-channel rule)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ApprovalBlocked(UserError):
    """A GB 30871 rule blocks the approval; ``findings`` are the blocking ones."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        first = self.findings[0].message if self.findings else "a rule blocks it"
        more = f" (and {len(self.findings) - 1} more)" if len(self.findings) > 1 else ""
        super().__init__(f"cannot approve: {first}{more}; fix it and check again")


@dataclass(frozen=True)
class PermitStateChange:
    """One permit's new state, the payload of contract §6."""

    site: str
    area: str
    permit: str
    type: PermitType
    grade: HotWorkGrade | None
    status: PermitStatus
    valid_to: datetime
    by: str
    ts: datetime


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str
    role: Role
    approval_level: ApprovalLevel | None
    active: bool


@dataclass(frozen=True)
class Escalation:
    """A permit waiting past its approval deadline; the alarm service raises it at ``priority``."""

    permit_id: str
    site: str
    area: str
    deadline: datetime
    overdue: timedelta
    step: int  # 0 = first link of the chain
    escalated_to: str  # a name of the chain: shift_lead, safety_department, senior_leader
    priority: int = 3
    message: str = ""


@dataclass(frozen=True)
class QueueItem:
    permit_id: str
    site: str
    area: str
    area_name: str
    type: PermitType
    grade: HotWorkGrade | None
    effective_grade: HotWorkGrade | None
    urgent: bool
    submitted_at: datetime
    valid_from: datetime
    valid_to: datetime
    applicant: str
    contractor: str | None
    description: str
    deadline: datetime
    sent_back: bool
    sent_back_reason: str
    escalation: Escalation | None
    timezone: str = "Asia/Shanghai"  # the site's, for local times on screen

    def remaining(self, now: datetime) -> timedelta:
        """Time left to the approval deadline (negative when overdue)."""
        return self.deadline - now


@dataclass(frozen=True)
class PrerequisiteState:
    key: str  # jsa, isolation, gas_test
    passed: bool
    reason: str  # why it is required, or why it blocks


@dataclass(frozen=True)
class GasTestState:
    taken_at: datetime
    by: str
    passed: bool
    readings: list[dict[str, Any]]
    age: timedelta
    max_age: timedelta  # the rule: sampled no more than this before work starts


CertState = Literal["valid", "expiring", "expired", "missing", "not_required"]


@dataclass(frozen=True)
class WorkerState:
    worker_id: str
    name: str
    trade: str
    required_trade: str | None
    certificate: str  # number of the certificate judged, "" if none
    valid_to: date | None
    days_left: int | None
    state: CertState
    blocks: bool
    findings: list[Finding]


@dataclass(frozen=True)
class ContractorState:
    code: str
    name: str
    grade: str
    blacklisted: bool
    blacklist_reason: str
    qualifications_valid_to: date | None
    violations: int
    violation_points: int
    recent_violations: list[tuple[datetime, str, int]]


@dataclass(frozen=True)
class SignatureRow:
    signer: str
    signer_name: str
    level: ApprovalLevel
    role: str
    signed_at: datetime
    decision: str
    reason: str
    valid: bool  # signed the permit's current content


@dataclass(frozen=True)
class PermitDetail:
    """Everything an approver needs on one screen, with every check already run."""

    permit_id: str
    site: str
    area: str
    area_name: str
    polygon: list[Any]
    risk_level: str
    type: PermitType
    grade: HotWorkGrade | None
    effective_grade: HotWorkGrade | None
    grade_reasons: list[str]
    status: PermitStatus
    valid_from: datetime
    valid_to: datetime
    max_validity: timedelta | None
    applicant: str
    supervisor: str
    supervisor_name: str
    coordinator: str | None
    description: str
    urgent: bool
    green_channel_review: bool
    x: float | None
    y: float | None
    prerequisites: list[PrerequisiteState]
    gas_test: GasTestState | None
    workers: list[WorkerState]
    contractor: ContractorState | None
    conflicts: list[Finding]
    findings: list[Finding]
    required_levels: list[ApprovalLevel]
    missing_levels: list[ApprovalLevel]
    signatures: list[SignatureRow]
    content_hash: str
    signature_valid: bool
    deadline: datetime | None
    timezone: str = "Asia/Shanghai"

    @property
    def blocking(self) -> list[Finding]:
        return blocking(self.findings)

    @property
    def validity(self) -> timedelta:
        return self.valid_to - self.valid_from


@dataclass(frozen=True)
class ActivePermit:
    permit_id: str
    site: str
    area: str
    area_name: str
    type: PermitType
    effective_grade: HotWorkGrade | None
    status: PermitStatus
    valid_from: datetime
    valid_to: datetime
    supervisor: str
    workers: int
    started_at: datetime | None
    last_gas_test_at: datetime | None
    gas_test_due: datetime | None  # None: no gas rule applies
    gas_test_finding: Finding | None
    checkin_due: datetime | None  # supervisor check-in, while work runs
    green_channel_review: bool
    signature_valid: bool
    timezone: str = "Asia/Shanghai"

    def expired(self, now: datetime) -> bool:
        return now >= self.valid_to

    def remaining(self, now: datetime) -> timedelta:
        return self.valid_to - now


# ---------------------------------------------------------------- trades

# Official certificate categories (e.g. 熔化焊接与热切割作业, 低压电工作业, 登高架设作业) and register trades
# (焊工, 架子工, 起重工) that ``models.rules.workers.normalize_trade`` does not fold yet.
_TRADE_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("焊", TRADE_WELDING),
    ("热切割", TRADE_WELDING),
    ("电工", TRADE_ELECTRICIAN),
    ("登高", TRADE_HEIGHT),
    ("高处", TRADE_HEIGHT),
    ("架子", TRADE_HEIGHT),
    ("起重", TRADE_LIFTING),
)


def special_trade(name: str) -> str | None:
    """The special trade (canonical name) a register trade or certificate category stands for, or None."""
    canonical = normalize_trade(name)
    if canonical in TRADE_NAMES_EN:
        return canonical
    return next((trade for key, trade in _TRADE_KEYWORDS if key in name), None)


def worker_trades(
    permit_type: PermitType,
    workers: Mapping[str, Worker],
    certificates: Mapping[str, Sequence[CertificateInfo]],
) -> dict[str, str | None]:
    """Which workers perform the permit's special trade (and so need its certificate).

    A worker does when the register gives him that trade or he holds a certificate of it; a helper of
    another trade (a fire watch, an insulator) does not. If nobody on the permit would, everyone is
    taken to (the safe side: somebody must hold the certificate).
    """
    needed = trade_for(permit_type)
    if needed is None:
        return {}
    out: dict[str, str | None] = {}
    for wid, worker in workers.items():
        holds = any(c.trade == needed for c in certificates.get(wid, ()))
        out[wid] = needed if special_trade(worker.trade) == needed or holds else None
    if not any(out.values()):
        return {}
    return out


# ---------------------------------------------------------------- content hash (the signature)


def signed_fields(
    *,
    permit_id: str,
    type: PermitType | str,
    grade: HotWorkGrade | str | None,
    valid_from: datetime,
    valid_to: datetime,
    site: str,
    area: str,
    workers: Sequence[str],
    supervisor: str,
    contractor: str | None,
    prerequisites: Mapping[str, Any] | None,
    description: str,
) -> dict[str, Any]:
    """The decisive fields an approver signs, in canonical form; a change to any of them invalidates
    the signature. Plain values, so a seeder or an importer can compute the same hash."""
    return {
        "permit": permit_id,
        "type": str(type),
        "grade": None if grade is None else str(grade),
        "valid_from": valid_from.astimezone(UTC).isoformat(),
        "valid_to": valid_to.astimezone(UTC).isoformat(),
        "site": site,
        "area": area,
        "workers": sorted(workers),
        "supervisor": supervisor,
        "contractor": contractor,
        "prerequisites": {k: bool(v) for k, v in sorted((prerequisites or {}).items())},
        "description": description or "",
    }


def hash_fields(fields: Mapping[str, Any]) -> str:
    """sha256 (hex) of the canonical JSON of :func:`signed_fields`."""
    return hashlib.sha256(canonical_json(dict(fields)).encode("utf-8")).hexdigest()


def content_hash(permit: Permit, worker_ids: Sequence[str] | None = None) -> str:
    """The signature hash of a permit row as it is now."""
    workers = worker_ids if worker_ids is not None else [w.worker_id for w in permit.workers]
    return hash_fields(
        signed_fields(
            permit_id=permit.id,
            type=permit.type,
            grade=permit.grade,
            valid_from=permit.valid_from,
            valid_to=permit.valid_to,
            site=permit.site_id,
            area=permit.area_id,
            workers=workers,
            supervisor=permit.supervisor,
            contractor=permit.contractor_code,
            prerequisites=permit.prerequisites,
            description=permit.description or "",
        )
    )


# ---------------------------------------------------------------- the service


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("the permit service works in timezone-aware UTC times")
    return now.astimezone(UTC)


def _level_word(level: ApprovalLevel) -> str:
    return level.value.replace("_", " ")


class PermitService:
    """Approval queue, permit detail, approve / reject / send back, active permits, escalations."""

    def __init__(
        self,
        db: SessionSource,
        *,
        clock: Callable[[], datetime],
        config: PermitConfig | None = None,
        on_permit_changed: Callable[[PermitStateChange], None] = lambda c: None,
        wind: Callable[[str, str], float | None] = lambda site, area: None,
        last_checkin: Callable[[str], datetime | None] = lambda permit: None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._config = config or PermitConfig()
        self._on_changed = on_permit_changed
        self._wind = wind
        self._last_checkin = last_checkin  # the live link's supervisor check-ins (not in the database)

    @property
    def config(self) -> PermitConfig:
        return self._config

    def _now(self, now: datetime | None) -> datetime:
        return _aware(now if now is not None else self._clock())

    # ------------------------------------------------------------ users

    def user_info(self, username: str) -> UserInfo | None:
        with self._db.session() as s:
            user = s.get(User, username)
            if user is None:
                return None
            return UserInfo(user.username, user.display_name, user.role, user.approval_level, user.active)

    @staticmethod
    def _acting_user(s: Session, username: str) -> User:
        user = s.get(User, username)
        if user is None or not user.active:
            raise PermissionRefused(
                f"user {username!r} is unknown or disabled: log in with an active account"
            )
        return user

    # ------------------------------------------------------------ queue and escalation

    def approval_queue(self, now: datetime | None = None) -> list[QueueItem]:
        """Submitted permits: urgent first, then by start time; each with its deadline and escalation."""
        now = self._now(now)
        with self._db.session() as s:
            # plain rows, not ORM objects: building hundreds of mapped instances costs more than the SQL
            permits = s.execute(
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
                ).where(Permit.status == PermitStatus.SUBMITTED)
            ).all()
            names = self._area_names(s)
            rows = [(p, names.get((p.site_id, p.area_id), p.area_id)) for p in permits]
            ids = [p.id for p in permits]
            submitted_at = self._submitted_times(s, ids)
            last_decision = self._last_decisions(s, ids)
            zones = self._zones(s)
            items: list[QueueItem] = []
            for permit, area_name in rows:
                sub_at = submitted_at.get(permit.id, permit.created_at)
                decision = last_decision.get(permit.id)
                sent_back = (
                    decision is not None
                    and decision.decision is ApprovalDecision.SEND_BACK
                    and decision.signed_at >= sub_at
                )
                deadline = self.deadline_for(permit.urgent, sub_at, permit.valid_from)
                escalation = None if sent_back else self._escalation(permit, deadline, now)
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

    def escalations(self, now: datetime | None = None) -> list[Escalation]:
        """Permits waiting past their approval deadline, for the alarm service (priority 3)."""
        return [i.escalation for i in self.approval_queue(now) if i.escalation is not None]

    def deadline_for(self, urgent: bool, submitted_at: datetime, valid_from: datetime) -> datetime:
        """The approval deadline (see the module docstring for the rule)."""
        cfg = self._config
        if urgent:
            return submitted_at + cfg.urgent_deadline
        deadline = valid_from - cfg.approval_lead
        if deadline < submitted_at:
            deadline = submitted_at + cfg.late_grace
        return deadline

    def _escalation(self, permit: Any, deadline: datetime, now: datetime) -> Escalation | None:
        if now <= deadline:
            return None
        chain = self._config.escalation_chain or DEFAULT_CHAIN
        overdue = now - deadline
        step = min(int(overdue / self._config.escalation_step), len(chain) - 1)
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

    @staticmethod
    def _area_names(s: Session) -> dict[tuple[str, str], str]:
        return {
            (site, area): name for site, area, name in s.execute(select(Area.site_id, Area.id, Area.name))
        }

    @staticmethod
    def _zones(s: Session) -> dict[str, str]:
        return {sid: tz for sid, tz in s.execute(select(Site.id, Site.timezone))}

    @staticmethod
    def _submitted_times(s: Session, ids: Sequence[str]) -> dict[str, datetime]:
        if not ids:
            return {}
        rows = s.execute(
            select(PermitEventRow.permit_id, func.max(PermitEventRow.ts))
            .where(PermitEventRow.permit_id.in_(ids), PermitEventRow.type.in_(("submitted", "resubmitted")))
            .group_by(PermitEventRow.permit_id)
        ).all()
        return {pid: ts for pid, ts in rows}

    @staticmethod
    def _last_decisions(s: Session, ids: Sequence[str]) -> dict[str, Any]:
        """The latest decision row (decision, reason, signed_at) per permit."""
        if not ids:
            return {}
        out: dict[str, Any] = {}
        rows = s.execute(
            select(Approval.permit_id, Approval.decision, Approval.reason, Approval.signed_at)
            .where(Approval.permit_id.in_(ids))
            .order_by(Approval.signed_at)
        )
        for row in rows:
            out[row.permit_id] = row
        return out

    # ------------------------------------------------------------ detail and checks

    def permit_detail(self, permit_id: str, now: datetime | None = None) -> PermitDetail:
        now = self._now(now)
        with self._db.session() as s:
            permit = self._permit(s, permit_id)
            return self._detail(s, permit, now)

    @staticmethod
    def _permit(s: Session, permit_id: str) -> Permit:
        permit = s.get(Permit, permit_id)
        if permit is None:
            raise UserError(f"permit {permit_id!r} does not exist: refresh the list")
        return permit

    def _calendar(self, s: Session, site_id: str) -> SiteCalendar:
        site = s.get(Site, site_id)
        holidays = self._config.holidays.get(site_id, frozenset())
        if site is None:
            return SiteCalendar(holidays=holidays)
        return SiteCalendar(
            timezone=site.timezone, night_start=site.night_start, night_end=site.night_end, holidays=holidays
        )

    def _context(
        self,
        s: Session,
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
                trade = special_trade(c.trade) or c.trade
                certs[c.worker_id].append(CertificateInfo(c.number, trade, c.valid_to, c.review_due))
        blacklisted = False
        qual_to: date | None = None
        if contractor:
            row = s.get(Contractor, contractor)
            if row is not None:
                blacklisted = row.blacklisted
                qual_to = self._qualifications_valid_to(s, contractor)
        footprints = self._footprints(s, site_id, window, exclude)
        ctx = ApplicationContext(
            now=now,
            calendar=self._calendar(s, site_id),
            known_workers=frozenset(workers),
            wind_m_s=self._wind(site_id, area_id),
            certificates=dict(certs),
            worker_trades=worker_trades(
                permit_type, {w: workers[w] for w in worker_ids if w in workers}, certs
            ),
            contractor_blacklisted=blacklisted,
            contractor_qualifications_valid_to=qual_to,
            footprints=footprints,
            stage=stage,
            site_max_validity=self._config.site_max_validity,
        )
        return ctx, workers, footprints

    @staticmethod
    def _qualifications_valid_to(s: Session, code: str) -> date | None:
        """The earliest end among the contractor's qualifications, each name at its latest renewal."""
        rows = s.execute(
            select(ContractorQualification.name, func.max(ContractorQualification.valid_to))
            .where(ContractorQualification.contractor_code == code)
            .group_by(ContractorQualification.name)
        ).all()
        ends = [end for _, end in rows if end is not None]
        return min(ends) if ends else None

    @staticmethod
    def _footprints(
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
        pipelines = (
            {a: p for a, p in s.execute(select(Area.id, Area.pipeline).where(Area.site_id == site_id))}
            if permits
            else {}
        )
        rows = [(p, pipelines.get(p.area_id)) for p in permits]
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
            )
            for p, pipeline in rows
        ]

    def _detail(self, s: Session, permit: Permit, now: datetime) -> PermitDetail:
        area = s.get(Area, (permit.site_id, permit.area_id))
        worker_ids = [w.worker_id for w in permit.workers]
        ctx, workers, _ = self._context(
            s,
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
        prereq = dict(permit.prerequisites or {})
        gas_required = needs_gas_test(permit.type)
        if gas_required:
            prereq["gas_test"] = True  # judged below from the gas-test records themselves
        draft = PermitDraft(
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
            permit_id=permit.id,
            on_equipment=permit.grade is HotWorkGrade.SPECIAL,
        )
        findings = check_application(draft, ctx)
        decision = grade_decision(draft, ctx)
        eff_grade = decision.grade if decision else None
        reasons = list(decision.raised_by) if decision else []

        # Gas test: the latest record decides; a failed one blocks, a stale or missing one blocks.
        gas_state: GasTestState | None = None
        if gas_required:
            latest = s.scalars(
                select(GasTest)
                .where(GasTest.permit_id == permit.id)
                .order_by(GasTest.taken_at.desc())
                .limit(1)
            ).first()
            started, paused, resumed = self._work_times(s, permit.id)
            last_pass = latest.taken_at if latest is not None and latest.passed else None
            if latest is not None:
                gas_state = GasTestState(
                    latest.taken_at,
                    latest.by,
                    latest.passed,
                    list(latest.readings or []),
                    now - latest.taken_at,
                    SAMPLE_BEFORE_START,
                )
            if latest is not None and not latest.passed:
                findings.append(
                    block(
                        "gas_test.failed",
                        f"the latest gas test ({latest.taken_at:%H:%M} UTC, by {latest.by}) failed: "
                        "ventilate or isolate, then test again",
                        "gas_test",
                    )
                )
            else:
                findings += gas_test_findings(
                    permit.type,
                    eff_grade,
                    last_test_at=last_pass,
                    work_started_at=started,
                    paused_at=paused,
                    resumed_at=resumed,
                    now=now,
                    periodic_min=self._config.periodic_gas_retest_min.get(permit.site_id, 0),
                )

        prereqs: list[PrerequisiteState] = []
        for req in requirements(permit.type, on_equipment=draft.on_equipment):
            own = [f for f in findings if f.blocks and f.code == f"prerequisite.{req.key}"]
            if req.key == "gas_test":
                own = [f for f in findings if f.blocks and f.code.startswith("gas_test.")]
            prereqs.append(
                PrerequisiteState(req.key, not own, "; ".join(f.message for f in own) if own else req.reason)
            )

        worker_states = self._worker_states(s, permit, worker_ids, workers, ctx)
        contractor = self._contractor_state(s, permit.contractor_code, ctx.contractor_qualifications_valid_to)
        current = content_hash(permit, worker_ids)
        signatures, signed_levels = self._signatures(s, permit, current)
        required = required_approvals(permit.type, eff_grade, site_levels=self._config.site_levels)
        missing = missing_approvals(required, signed_levels)
        approvals = [sig for sig in signatures if sig.decision == ApprovalDecision.APPROVE.value]
        supervisor = workers.get(permit.supervisor)
        deadline = None
        if permit.status is PermitStatus.SUBMITTED:
            sub_at = self._submitted_times(s, [permit.id]).get(permit.id, permit.created_at)
            deadline = self.deadline_for(permit.urgent, sub_at, permit.valid_from)
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
            grade_reasons=reasons,
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
            prerequisites=prereqs,
            gas_test=gas_state,
            workers=worker_states,
            contractor=contractor,
            conflicts=[f for f in findings if f.code.startswith("conflict.")],
            findings=findings,
            required_levels=required,
            missing_levels=missing,
            signatures=signatures,
            content_hash=current,
            signature_valid=bool(approvals) and all(sig.valid for sig in approvals),
            deadline=deadline,
            timezone=ctx.calendar.timezone,
        )

    @staticmethod
    def _work_times(s: Session, permit_id: str) -> tuple[datetime | None, datetime | None, datetime | None]:
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

    def _worker_states(
        self,
        s: Session,
        permit: Permit,
        worker_ids: Sequence[str],
        workers: Mapping[str, Worker],
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
                found = [block("workers.unknown", f"worker {wid} is not registered", "workers")]
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

    @staticmethod
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

    @staticmethod
    def _signatures(
        s: Session, permit: Permit, current: str
    ) -> tuple[list[SignatureRow], list[ApprovalLevel]]:
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

    def signature_valid(self, permit_id: str) -> bool:
        """True while every approval on the permit signed its current content (False with none)."""
        with self._db.session() as s:
            permit = self._permit(s, permit_id)
            current = content_hash(permit)
            hashes = s.scalars(
                select(Approval.content_hash).where(
                    Approval.permit_id == permit_id, Approval.decision == ApprovalDecision.APPROVE
                )
            ).all()
            return bool(hashes) and all(h == current for h in hashes)

    # ------------------------------------------------------------ what a user may do

    def approve_refusal(
        self, detail: PermitDetail, user: UserInfo | None, *, green_channel: bool = False
    ) -> str | None:
        """Why ``user`` may not approve ``detail`` now (role, level, green-channel rule, a block), or None.

        The screen uses it to disable the button with a tooltip; :meth:`approve` applies the same rule.
        """
        if user is None or not user.active:
            return "log in with an active account to approve"
        if detail.status is not PermitStatus.SUBMITTED:
            return f"the permit is {detail.status.value}; only a submitted permit can be approved"
        refusal = self._role_refusal(detail, user, green_channel=green_channel)
        if refusal:
            return refusal
        if detail.blocking:
            return "blocked: " + detail.blocking[0].message
        return None

    def _role_refusal(self, detail: PermitDetail, user: UserInfo, *, green_channel: bool) -> str | None:
        if user.role not in SIGNING_ROLES:
            return f"the {user.role.value.replace('_', ' ')} role does not sign permits"
        if user.approval_level is None:
            return f"{user.username} holds no approval level: ask the administrator"
        missing = detail.missing_levels or detail.required_levels
        if green_channel:
            if not detail.urgent:
                return "the green channel is only for permits applied for as urgent"
            if user.role is not Role.SHIFT_LEAD:
                return "only the shift lead approves on the green channel"
            if (
                ApprovalLevel.SENIOR_LEADER in missing
                and user.approval_level is not ApprovalLevel.SENIOR_LEADER
            ):
                return "special-grade hot work needs the senior leader's signature, even on the green channel"
            return None
        top = max(missing, key=rank)
        if not may_sign(user.role, user.approval_level, top):
            hint = " (or use the green channel as shift lead)" if detail.urgent else ""
            return (
                f"this permit needs the {_level_word(top)}'s signature; "
                f"{user.username} signs at {_level_word(user.approval_level)} level{hint}"
            )
        return None

    # ------------------------------------------------------------ actions (one transaction each)

    def approve(
        self,
        permit_id: str,
        user: str,
        password: str,
        *,
        green_channel_reason: str | None = None,
        now: datetime | None = None,
    ) -> PermitDetail:
        """Sign the permit; it becomes approved once the matrix is satisfied. Returns the new detail."""
        now = self._now(now)
        green = green_channel_reason is not None
        if green and not green_channel_reason.strip():  # type: ignore[union-attr]
            raise UserError("the green channel needs a reason: say why the work cannot wait")
        with self._db.session() as s:
            acting = self._acting_user(s, user)
            info = UserInfo(
                acting.username, acting.display_name, acting.role, acting.approval_level, acting.active
            )
            permit = self._permit(s, permit_id)
            transition = check_transition(permit.status, PermitStatus.APPROVED)
            if transition is not None:
                raise UserError(transition.message)
            detail = self._detail(s, permit, now)
            refusal = self._role_refusal(detail, info, green_channel=green)
            if refusal:
                raise PermissionRefused(refusal)
            if not verify_password(password, acting.password_hash):
                raise PermissionRefused("wrong password: re-enter your own password to sign")
            if detail.blocking:
                raise ApprovalBlocked(detail.blocking)
            assert acting.approval_level is not None
            signed = [sig.level for sig in detail.signatures if sig.valid and sig.decision == "approve"]
            if green:
                # The shift lead's green-channel signature stands for every level but the senior leader's.
                covered = [lvl for lvl in detail.missing_levels if lvl is not ApprovalLevel.SENIOR_LEADER]
                still = [lvl for lvl in detail.missing_levels if lvl not in covered]
                if still and acting.approval_level is ApprovalLevel.SENIOR_LEADER:
                    still = []
            else:
                still = missing_approvals(detail.required_levels, [*signed, acting.approval_level])
            reason = f"green channel: {green_channel_reason.strip()}" if green else ""  # type: ignore[union-attr]
            s.add(
                Approval(
                    permit_id=permit.id,
                    level=acting.approval_level,
                    signer=acting.username,
                    role=str(acting.role),
                    signed_at=now,
                    decision=ApprovalDecision.APPROVE,
                    reason=reason,
                    content_hash=detail.content_hash,
                )
            )
            old = permit.status
            if not still:
                permit.status = PermitStatus.APPROVED
            permit.effective_grade = detail.effective_grade
            permit.grade_reasons = detail.grade_reasons
            if green:
                permit.green_channel_review = True
            permit.updated_at = now
            s.add(
                PermitEventRow(
                    permit_id=permit.id,
                    ts=now,
                    type="approved" if not still else "signed",
                    by=acting.username,
                    detail={"green_channel": green, "level": str(acting.approval_level)},
                )
            )
            details: dict[str, Any] = {
                "level": acting.approval_level,
                "content_hash": detail.content_hash,
                "from": old,
                "to": permit.status,
                "still_needed": [str(x) for x in still],
                "warnings": [f.code for f in detail.findings if not f.blocks],
            }
            if green:
                details["green_channel_reason"] = green_channel_reason
                details["review_due"] = self._calendar(s, permit.site_id).local_date(now) + timedelta(days=1)
            append_audit(
                s,
                actor=acting.username,
                action="permit.approve_green_channel" if green else "permit.approve",
                subject=permit.id,
                details=details,
                ts=now,
            )
            change = self._change(permit, acting.username, now) if not still else None
            self._commit(s)
        if change is not None:
            self._on_changed(change)
        return self.permit_detail(permit_id, now)

    def reject(self, permit_id: str, user: str, reason: str, *, now: datetime | None = None) -> None:
        """Refuse the application for good (a new one is needed)."""
        self._decide(permit_id, user, reason, ApprovalDecision.REJECT, self._now(now))

    def send_back(self, permit_id: str, user: str, reason: str, *, now: datetime | None = None) -> None:
        """Return the application to the applicant to correct; it stays submitted, not escalating."""
        self._decide(permit_id, user, reason, ApprovalDecision.SEND_BACK, self._now(now))

    def _decide(
        self, permit_id: str, user: str, reason: str, decision: ApprovalDecision, now: datetime
    ) -> None:
        word = "rejecting" if decision is ApprovalDecision.REJECT else "sending back"
        if not reason or not reason.strip():
            raise UserError(f"give a reason for {word} the permit: the applicant needs to know what to fix")
        with self._db.session() as s:
            acting = self._acting_user(s, user)
            if acting.role not in SIGNING_ROLES or acting.approval_level is None:
                raise PermissionRefused(
                    f"{acting.username} ({acting.role.value.replace('_', ' ')}) does not decide on permits"
                )
            permit = self._permit(s, permit_id)
            target = PermitStatus.REJECTED if decision is ApprovalDecision.REJECT else PermitStatus.SUBMITTED
            refused = check_transition(permit.status, target)
            if refused is not None:
                raise UserError(refused.message)
            s.add(
                Approval(
                    permit_id=permit.id,
                    level=acting.approval_level,
                    signer=acting.username,
                    role=str(acting.role),
                    signed_at=now,
                    decision=decision,
                    reason=reason.strip(),
                    content_hash=content_hash(permit),
                )
            )
            old = permit.status
            permit.status = target
            permit.updated_at = now
            s.add(
                PermitEventRow(
                    permit_id=permit.id,
                    ts=now,
                    type=str(decision),
                    by=acting.username,
                    detail={"reason": reason.strip()},
                )
            )
            append_audit(
                s,
                actor=acting.username,
                action=f"permit.{decision.value}",
                subject=permit.id,
                details={"reason": reason.strip(), "from": old, "to": target},
                ts=now,
            )
            change = self._change(permit, acting.username, now) if target is not old else None
            self._commit(s)
        if change is not None:
            self._on_changed(change)

    def suspend(self, permit_id: str, user: str, reason: str, *, now: datetime | None = None) -> None:
        """Stop the work on an active permit (it can resume later)."""
        if not reason or not reason.strip():
            raise UserError("give a reason for suspending the permit")
        self._move(
            permit_id,
            user,
            PermitStatus.SUSPENDED,
            roles=SUSPEND_ROLES,
            reason=reason.strip(),
            now=self._now(now),
        )

    def close(self, permit_id: str, user: str, *, now: datetime | None = None) -> None:
        """Work done and the site checked (完工验收)."""
        self._move(permit_id, user, PermitStatus.CLOSED, roles=CLOSE_ROLES, reason="", now=self._now(now))

    def _move(
        self,
        permit_id: str,
        user: str,
        target: PermitStatus,
        *,
        roles: frozenset[Role],
        reason: str,
        now: datetime,
    ) -> None:
        with self._db.session() as s:
            acting = self._acting_user(s, user)
            if acting.role not in roles:
                allowed = ", ".join(sorted(r.value.replace("_", " ") for r in roles))
                raise PermissionRefused(f"only {allowed} may set a permit {target.value}")
            permit = self._permit(s, permit_id)
            refused = check_transition(permit.status, target)
            if refused is not None:
                raise UserError(refused.message)
            old = permit.status
            permit.status = target
            permit.updated_at = now
            s.add(
                PermitEventRow(
                    permit_id=permit.id,
                    ts=now,
                    type=str(target),
                    by=acting.username,
                    detail={"reason": reason},
                )
            )
            append_audit(
                s,
                actor=acting.username,
                action=f"permit.{target.value}",
                subject=permit.id,
                details={"reason": reason, "from": old, "to": target},
                ts=now,
            )
            change = self._change(permit, acting.username, now)
            self._commit(s)
        self._on_changed(change)

    def review_green_channel(
        self, permit_id: str, user: str, note: str, *, now: datetime | None = None
    ) -> None:
        """The next-day review of a green-channel approval clears its flag (safety manager)."""
        now = self._now(now)
        if not note or not note.strip():
            raise UserError("write a review note for the green-channel approval")
        with self._db.session() as s:
            acting = self._acting_user(s, user)
            if acting.role not in REVIEW_ROLES:
                raise PermissionRefused("only the safety manager reviews green-channel approvals")
            permit = self._permit(s, permit_id)
            if not permit.green_channel_review:
                raise UserError(f"permit {permit_id} has no green-channel approval waiting for review")
            permit.green_channel_review = False
            permit.updated_at = now
            append_audit(
                s,
                actor=acting.username,
                action="permit.green_channel_reviewed",
                subject=permit.id,
                details={"note": note.strip()},
                ts=now,
            )
            self._commit(s)

    def green_channel_pending(self) -> list[str]:
        """Permits approved on the green channel and not yet reviewed."""
        with self._db.session() as s:
            return list(
                s.scalars(select(Permit.id).where(Permit.green_channel_review.is_(True)).order_by(Permit.id))
            )

    @staticmethod
    def _commit(s: Session) -> None:
        try:
            s.commit()
        except StaleDataError:
            s.rollback()
            raise UserError(
                "the permit was changed on another console meanwhile: reload it and try again"
            ) from None

    @staticmethod
    def _change(permit: Permit, by: str, now: datetime) -> PermitStateChange:
        return PermitStateChange(
            site=permit.site_id,
            area=permit.area_id,
            permit=permit.id,
            type=permit.type,
            grade=permit.effective_grade or permit.grade,
            status=permit.status,
            valid_to=permit.valid_to,
            by=by,
            ts=now,
        )

    # ------------------------------------------------------------ active permits

    def active_permits(self, now: datetime | None = None) -> list[ActivePermit]:
        """Approved, active and suspended permits with their timers; soonest to expire first."""
        now = self._now(now)
        live = (PermitStatus.APPROVED, PermitStatus.ACTIVE, PermitStatus.SUSPENDED)
        with self._db.session() as s:
            permits = s.scalars(select(Permit).where(Permit.status.in_(live))).all()
            names = self._area_names(s)
            rows = [(p, names.get((p.site_id, p.area_id), p.area_id)) for p in permits]
            ids = [p.id for p in permits]
            zones = self._zones(s)
            events: dict[str, dict[str, tuple[datetime, datetime]]] = defaultdict(dict)
            last_test: dict[str, datetime] = {}
            workers: dict[str, list[str]] = defaultdict(list)
            hashes: dict[str, list[str]] = defaultdict(list)
            for chunk in _chunks(ids, 500):
                for pid, etype, first, last in s.execute(
                    select(
                        PermitEventRow.permit_id,
                        PermitEventRow.type,
                        func.min(PermitEventRow.ts),
                        func.max(PermitEventRow.ts),
                    )
                    .where(
                        PermitEventRow.permit_id.in_(chunk),
                        PermitEventRow.type.in_(("started", "paused", "resumed", "checkin")),
                    )
                    .group_by(PermitEventRow.permit_id, PermitEventRow.type)
                ):
                    events[pid][etype] = (first, last)
                for pid, taken in s.execute(
                    select(GasTest.permit_id, func.max(GasTest.taken_at))
                    .where(GasTest.permit_id.in_(chunk), GasTest.passed.is_(True))
                    .group_by(GasTest.permit_id)
                ):
                    last_test[pid] = taken
                for pid, wid in s.execute(
                    select(PermitWorker.permit_id, PermitWorker.worker_id).where(
                        PermitWorker.permit_id.in_(chunk)
                    )
                ):
                    workers[pid].append(wid)
                for pid, h in s.execute(
                    select(Approval.permit_id, Approval.content_hash).where(
                        Approval.permit_id.in_(chunk), Approval.decision == ApprovalDecision.APPROVE
                    )
                ):
                    hashes[pid].append(h)
            out: list[ActivePermit] = []
            for permit, area_name in rows:
                ev = events.get(permit.id, {})
                started = ev["started"][0] if "started" in ev else None
                paused = ev["paused"][1] if "paused" in ev else None
                resumed = ev["resumed"][1] if "resumed" in ev else None
                grade = permit.effective_grade or permit.grade
                gas_due: datetime | None = None
                gas_finding: Finding | None = None
                if needs_gas_test(permit.type):
                    kwargs: dict[str, Any] = {
                        "last_test_at": last_test.get(permit.id),
                        "work_started_at": started,
                        "paused_at": paused,
                        "resumed_at": resumed,
                        "now": now,
                        "periodic_min": self._config.periodic_gas_retest_min.get(permit.site_id, 0),
                    }
                    gas_due = next_gas_test_due(permit.type, grade, **kwargs)
                    found = gas_test_findings(permit.type, grade, **kwargs)
                    gas_finding = found[0] if found else None
                checkin_due = None
                if permit.status is PermitStatus.ACTIVE:
                    seen = [
                        t for t in (ev.get("checkin", (None, None))[1], self._last_checkin(permit.id)) if t
                    ]
                    if seen:  # timed from the first check-in on, as the core's alarm is
                        checkin_due = max(seen) + self._config.checkin_interval
                current = content_hash(permit, workers.get(permit.id, []))
                signed = hashes.get(permit.id, [])
                out.append(
                    ActivePermit(
                        permit_id=permit.id,
                        site=permit.site_id,
                        area=permit.area_id,
                        area_name=area_name,
                        type=permit.type,
                        effective_grade=grade,
                        status=permit.status,
                        valid_from=permit.valid_from,
                        valid_to=permit.valid_to,
                        supervisor=permit.supervisor,
                        workers=len(workers.get(permit.id, [])),
                        started_at=started,
                        last_gas_test_at=last_test.get(permit.id),
                        gas_test_due=gas_due,
                        gas_test_finding=gas_finding,
                        checkin_due=checkin_due,
                        green_channel_review=permit.green_channel_review,
                        signature_valid=bool(signed) and all(h == current for h in signed),
                        timezone=zones.get(permit.site_id, "Asia/Shanghai"),
                    )
                )
        out.sort(key=lambda a: (a.valid_to, a.permit_id))
        return out

    # ------------------------------------------------------------ applications (contract §5)

    def create_from_request(self, request: PermitRequest, now: datetime | None = None) -> list[Finding]:
        """Check an application and, when nothing blocks, file it as a submitted permit.

        Returns every finding (``findings.reply_errors`` turns the blocking ones into the reply). A
        request for a permit id still submitted is a resubmission (after a send-back): it replaces
        the content, so any earlier signature no longer counts. Accepted or refused, it is audited.
        """
        now = self._now(now)
        with self._db.session() as s:
            area = s.get(Area, (request.site, request.area))
            findings: list[Finding] = []
            if area is None:
                findings.append(
                    block(
                        "area.unknown",
                        f"area {request.site}/{request.area} is not on the plant register",
                        "area",
                    )
                )
            if request.contractor and s.get(Contractor, request.contractor) is None:
                findings.append(
                    block(
                        "contractor.unknown",
                        f"contractor {request.contractor} is not registered",
                        "contractor",
                    )
                )
            existing = s.get(Permit, request.permit)
            if existing is not None and existing.status is not PermitStatus.SUBMITTED:
                findings.append(
                    block(
                        "permit.exists",
                        f"permit {request.permit} already exists ({existing.status.value}): "
                        "apply under a new id",
                        "permit",
                    )
                )
            ctx, _, _ = self._context(
                s,
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
            draft = PermitDraft.from_request(request, pipeline=area.pipeline if area else None)
            findings += check_application(draft, ctx)
            accepted = not any(f.blocks for f in findings)
            change = None
            if accepted:
                decision = grade_decision(draft, ctx)
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
                s.add(
                    PermitEventRow(
                        permit_id=request.permit,
                        ts=now,
                        type="resubmitted" if existing is not None else "submitted",
                        by=request.applicant,
                        detail={"urgent": request.urgent},
                    )
                )
                s.flush()
                change = self._change(permit, request.applicant, now)
            append_audit(
                s,
                actor=request.applicant,
                action="permit.apply" if accepted else "permit.apply_refused",
                subject=request.permit,
                details={
                    "site": request.site,
                    "area": request.area,
                    "type": request.type,
                    "resubmission": existing is not None,
                    "findings": [f.code for f in findings],
                },
                ts=now,
            )
            self._commit(s)
        if change is not None:
            self._on_changed(change)
        return findings


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
