"""The permit service's old address: every name callers import from here lives in ``cockpit.permits``.

Kept so that screens, the core, the reports, the benches and the tests that import
``from cockpit.permit_service import ...`` keep working; new code imports from the package.
"""

from __future__ import annotations

from cockpit.permits.facts import special_trade, worker_trades
from cockpit.permits.hashing import content_hash, hash_fields, signed_fields
from cockpit.permits.records import (
    CLOSE_ROLES,
    DEFAULT_CHAIN,
    REVIEW_ROLES,
    SUSPEND_ROLES,
    ActivePermit,
    ApprovalBlocked,
    CertState,
    ContractorState,
    Escalation,
    GasTestState,
    PermissionRefused,
    PermitConfig,
    PermitDetail,
    PermitStateChange,
    PrerequisiteState,
    QueueItem,
    SessionSource,
    SignatureRow,
    UserInfo,
    WorkerState,
)
from cockpit.permits.service import PermitService
from cockpit.permits.transitions import PermitTransitionRefused, apply_transition

__all__ = [
    "CLOSE_ROLES",
    "DEFAULT_CHAIN",
    "REVIEW_ROLES",
    "SUSPEND_ROLES",
    "ActivePermit",
    "ApprovalBlocked",
    "CertState",
    "ContractorState",
    "Escalation",
    "GasTestState",
    "PermissionRefused",
    "PermitConfig",
    "PermitDetail",
    "PermitService",
    "PermitStateChange",
    "PermitTransitionRefused",
    "PrerequisiteState",
    "QueueItem",
    "SessionSource",
    "SignatureRow",
    "UserInfo",
    "WorkerState",
    "apply_transition",
    "content_hash",
    "hash_fields",
    "signed_fields",
    "special_trade",
    "worker_trades",
]
