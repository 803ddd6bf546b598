"""Workers' special-trade certificates (特种作业操作证) and contractors.

Which trade a permit type calls for (``TRADE_FOR_TYPE``):

=================  ==========================================  ==============================
permit type        trade                                       why
=================  ==========================================  ==============================
hot work           焊接与热切割 (welding and thermal cutting)  the person doing the hot work
temporary power    电工 (electrician)                          connects and removes the supply
work at height     高处作业 (work at height)                   climbing, scaffolding
lifting            起重 (lifting / crane operation)            crane and rigging operators
others             none                                        no special trade by default
=================  ==========================================  ==============================

Not every worker on a permit does the trade (a fire watch on hot work is no welder): the caller may
say per worker which trade he performs, and None for none; by default a worker is taken to do the
permit's trade (the safe side).

A certificate is valid through its ``valid_to`` day. An expired or missing certificate blocks; 60 and
30 days before expiry the approver is warned (two codes, so the alarm list can escalate). The review
(复审) falls due every 3 years and must be applied for within the 60 days before it; an overdue
review blocks like an expired certificate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from models.records import PermitType
from models.rules.findings import Finding, block, warn

TRADE_WELDING = "焊接与热切割"
TRADE_ELECTRICIAN = "电工"
TRADE_HEIGHT = "高处作业"
TRADE_LIFTING = "起重"

TRADE_FOR_TYPE: Mapping[PermitType, str] = MappingProxyType(
    {
        PermitType.HOT_WORK: TRADE_WELDING,
        PermitType.TEMPORARY_POWER: TRADE_ELECTRICIAN,
        PermitType.WORK_AT_HEIGHT: TRADE_HEIGHT,
        PermitType.LIFTING: TRADE_LIFTING,
    }
)

TRADE_NAMES_EN: Mapping[str, str] = MappingProxyType(
    {
        TRADE_WELDING: "welding and thermal cutting",
        TRADE_ELECTRICIAN: "electrician",
        TRADE_HEIGHT: "work at height",
        TRADE_LIFTING: "lifting",
    }
)

# Spellings met in imports and field apps, folded onto the canonical Chinese name.
_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "welding": TRADE_WELDING,
        "welder": TRADE_WELDING,
        "welding_and_thermal_cutting": TRADE_WELDING,
        "hot_cutting": TRADE_WELDING,
        "焊工": TRADE_WELDING,
        "electrician": TRADE_ELECTRICIAN,
        "electrical": TRADE_ELECTRICIAN,
        "work_at_height": TRADE_HEIGHT,
        "height": TRADE_HEIGHT,
        "登高架设": TRADE_HEIGHT,
        "lifting": TRADE_LIFTING,
        "crane": TRADE_LIFTING,
        "rigging": TRADE_LIFTING,
        "起重机械": TRADE_LIFTING,
    }
)

WARN_DAYS_FIRST = 60
WARN_DAYS_SECOND = 30
REVIEW_APPLY_DAYS = 60
REVIEW_PERIOD_YEARS = 3


@dataclass(frozen=True)
class CertificateInfo:
    number: str
    trade: str
    valid_to: date
    review_due: date | None = None


def normalize_trade(name: str) -> str:
    """The canonical trade name for ``name`` (aliases, case and spacing folded)."""
    key = name.strip()
    return _ALIASES.get(key.lower().replace(" ", "_").replace("-", "_"), key)


def trade_label(trade: str) -> str:
    english = TRADE_NAMES_EN.get(trade)
    return f"{trade} ({english})" if english else trade


def trade_for(permit_type: PermitType) -> str | None:
    return TRADE_FOR_TYPE.get(permit_type)


def review_due_after(issued_or_reviewed: date) -> date:
    """Three years after issue or the last review (29 February falls back to 28 February)."""
    year = issued_or_reviewed.year + REVIEW_PERIOD_YEARS
    try:
        return issued_or_reviewed.replace(year=year)
    except ValueError:
        return issued_or_reviewed.replace(year=year, day=28)


def check_worker(
    worker_id: str,
    trade_required: str | None,
    certificates: Sequence[CertificateInfo],
    today: date,
    *,
    until: date | None = None,
) -> list[Finding]:
    """Certificate findings for one worker; ``until`` (the permit's last local day) also blocks a
    certificate that lapses before the permit ends."""
    if trade_required is None:
        return []
    trade = normalize_trade(trade_required)
    matching = [c for c in certificates if normalize_trade(c.trade) == trade]
    if not matching:
        return [block("worker.no_certificate", "workers", worker=worker_id, trade=trade)]
    cert = max(matching, key=lambda c: c.valid_to)
    who = {"worker": worker_id, "trade": trade, "number": cert.number}
    valid_to = cert.valid_to.isoformat()
    if cert.valid_to < today:
        return [block("worker.certificate_expired", "workers", **who, date=valid_to)]
    findings: list[Finding] = []
    review_due = cert.review_due.isoformat() if cert.review_due is not None else ""
    if cert.review_due is not None and cert.review_due < today:
        findings.append(block("worker.review_overdue", "workers", **who, date=review_due))
    if until is not None and cert.valid_to < until:
        findings.append(
            block(
                "worker.certificate_expires_during_permit",
                "workers",
                **who,
                date=valid_to,
                until=until.isoformat(),
            )
        )
    days_left = (cert.valid_to - today).days
    if days_left <= WARN_DAYS_SECOND:
        findings.append(
            warn("worker.certificate_expires_30d", "workers", **who, days=days_left, date=valid_to)
        )
    elif days_left <= WARN_DAYS_FIRST:
        findings.append(
            warn("worker.certificate_expires_60d", "workers", **who, days=days_left, date=valid_to)
        )
    if cert.review_due is not None and 0 <= (cert.review_due - today).days <= REVIEW_APPLY_DAYS:
        findings.append(warn("worker.review_due", "workers", **who, date=review_due, days=REVIEW_APPLY_DAYS))
    return findings


def check_contractor(
    blacklisted: bool,
    qualifications_valid_to: date | None,
    today: date,
    *,
    contractor_id: str | None = None,
) -> list[Finding]:
    """A blacklisted contractor or lapsed qualifications block; no record or 30 days left warn."""
    name = contractor_id or "?"
    if blacklisted:
        return [block("contractor.blacklisted", "contractor", contractor=name)]
    if qualifications_valid_to is None:
        return [warn("contractor.no_qualification_record", "contractor", contractor=name)]
    if qualifications_valid_to < today:
        return [
            block(
                "contractor.qualification_expired",
                "contractor",
                contractor=name,
                date=qualifications_valid_to.isoformat(),
            )
        ]
    days_left = (qualifications_valid_to - today).days
    if days_left <= WARN_DAYS_SECOND:
        return [
            warn(
                "contractor.qualification_expiring",
                "contractor",
                contractor=name,
                days=days_left,
                date=qualifications_valid_to.isoformat(),
            )
        ]
    return []
