"""How long a permit may run (GB 30871-2022 maximum validity).

hot work special and grade 1: 8 h; hot work grade 2: 72 h; confined space: 24 h; work at height:
7 days; temporary power: 15 days and never longer than the job it serves. The other types have no
GB maximum; a site may set one (and may shorten any of the above, never lengthen them).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType

from models.records import HotWorkGrade, PermitType
from models.rules.findings import Finding, block, permit_term, require_aware, seconds

HOT_WORK_MAX: Mapping[HotWorkGrade, timedelta] = MappingProxyType(
    {
        HotWorkGrade.SPECIAL: timedelta(hours=8),
        HotWorkGrade.GRADE_1: timedelta(hours=8),
        HotWorkGrade.GRADE_2: timedelta(hours=72),
    }
)

TYPE_MAX: Mapping[PermitType, timedelta] = MappingProxyType(
    {
        PermitType.CONFINED_SPACE: timedelta(hours=24),
        PermitType.WORK_AT_HEIGHT: timedelta(days=7),
        PermitType.TEMPORARY_POWER: timedelta(days=15),
    }
)


def gb_max_validity(permit_type: PermitType, grade: HotWorkGrade | None) -> timedelta | None:
    """The GB maximum, or None where GB sets none.

    Hot work with no grade gets the strictest hot-work maximum (8 h): an ungraded hot-work permit is
    itself a blocking finding elsewhere, and this keeps it from looking longer-lived than it may be.
    """
    if permit_type is PermitType.HOT_WORK:
        return HOT_WORK_MAX[grade if grade is not None else HotWorkGrade.SPECIAL]
    return TYPE_MAX.get(permit_type)


def max_validity(
    permit_type: PermitType,
    grade: HotWorkGrade | None,
    site_max: Mapping[PermitType, timedelta] | None = None,
) -> timedelta | None:
    """The maximum in force: the shorter of GB's and the site's (a site may be stricter, never looser)."""
    gb = gb_max_validity(permit_type, grade)
    site = (site_max or {}).get(permit_type)
    if site is not None and site <= timedelta(0):
        raise ValueError(f"site maximum validity for {permit_type.value} must be positive, got {site}")
    candidates = [m for m in (gb, site) if m is not None]
    return min(candidates) if candidates else None


def check_validity(
    permit_type: PermitType,
    grade: HotWorkGrade | None,
    valid_from: datetime,
    valid_to: datetime,
    *,
    job_end: datetime | None = None,
    site_max: Mapping[PermitType, timedelta] | None = None,
) -> list[Finding]:
    """Findings on the validity window; ``grade`` is the effective (raised) grade for hot work."""
    require_aware(valid_from, "valid_from")
    require_aware(valid_to, "valid_to")
    if valid_to <= valid_from:
        return [
            block(
                "validity.end_not_after_start",
                "valid_to",
                valid_to=valid_to.isoformat(),
                valid_from=valid_from.isoformat(),
            )
        ]
    findings: list[Finding] = []
    span = valid_to - valid_from
    limit = max_validity(permit_type, grade, site_max)
    if limit is not None and span > limit:
        findings.append(
            block(
                "validity.too_long",
                "valid_to",
                permit=permit_term(permit_type, grade),
                limit=seconds(limit),
                span=seconds(span),
            )
        )
    if permit_type is PermitType.TEMPORARY_POWER and job_end is not None:
        require_aware(job_end, "job_end")
        if valid_to > job_end:
            findings.append(
                block(
                    "validity.longer_than_job",
                    "valid_to",
                    over=seconds(valid_to - job_end),
                    job_end=job_end.isoformat(),
                )
            )
    return findings
