"""The permit service's settings, errors and the records it hands the screens.

Plain frozen dataclasses: they cross threads (and the field process's pipe) as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy.orm import Session

from cockpit.roles import ACTIONS
from cockpit.roles import PermissionRefused as RolePermissionRefused
from models.errors import UserError
from models.records import ApprovalLevel, HotWorkGrade, PermitStatus, PermitType, Role
from models.rules.findings import Finding, blocking
from models.rules.refusal_texts import REFUSAL_TEXTS


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
    checkin_interval: timedelta = timedelta(minutes=30)  # a type not in checkin_intervals
    checkin_intervals: Mapping[str, timedelta] = field(default_factory=dict)  # per permit type (config)
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
        checkin = {
            kind: timedelta(minutes=minutes) for kind, minutes in config.permits.checkin_interval_min.items()
        }
        overrides.setdefault("checkin_interval", timedelta(minutes=config.permits.checkin_default_min))
        return cls(
            periodic_gas_retest_min=periodic, holidays=holidays, checkin_intervals=checkin, **overrides
        )


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
        more = len(self.findings) - 1
        code = "approve.blocked_more" if more > 0 else "approve.blocked"
        super().__init__(REFUSAL_TEXTS[code].format(first=first, more=more))


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
    """A permit waiting past its approval deadline at one step of its chain: recorded once as a permit
    event, told by the notifier, marked in the queue at ``priority`` (never an alarm: docs/ALARMS.md)."""

    permit_id: str
    site: str
    area: str
    deadline: datetime
    overdue: timedelta
    step: int  # 0 = first link of the chain
    escalated_to: str  # a name of the chain: shift_lead, safety_department, senior_leader
    priority: int = 3
    message: str = ""
    subject: str = "permit"  # permit (a late approval) | work_order (a defect past its due time: issue 23)


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
    findings: tuple[Finding, ...] = ()  # what blocks it, for a screen to word in its language


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
    wind_m_s: float | None = None  # the live wind the grade was judged with (hot work; None: no reading)
    site_name: str = ""  # the site as people call it ("" : the code is all there is)

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
