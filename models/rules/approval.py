"""Who must sign a permit (GB 30871-2022 approval matrix).

special-grade hot work → the senior leader in charge (主管领导); grade 1 hot work → the safety
department (安全管理部门); grade 2 hot work, confined space, blinding → the operating unit (基层单位).
GB leaves the other types (work at height, lifting, temporary power, excavation, road closure) to
the enterprise: the default here is the operating unit, and a site may configure a higher level
(``site_levels``), never a lower one than GB's. The grade to pass is the effective (raised) grade.

A higher level may sign for a lower one. Of the cockpit roles, only the shift lead and the safety
manager sign permits: operators watch and stop, the incident commander runs an incident, and the
admin runs the software (separation of duties).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from models.records import ApprovalLevel, HotWorkGrade, PermitType, Role

LEVEL_ORDER: tuple[ApprovalLevel, ...] = (
    ApprovalLevel.OPERATING_UNIT,
    ApprovalLevel.SAFETY_DEPARTMENT,
    ApprovalLevel.SENIOR_LEADER,
)

SIGNING_ROLES: frozenset[Role] = frozenset({Role.SHIFT_LEAD, Role.SAFETY_MANAGER})

_HOT_WORK_LEVEL: Mapping[HotWorkGrade, ApprovalLevel] = {
    HotWorkGrade.SPECIAL: ApprovalLevel.SENIOR_LEADER,
    HotWorkGrade.GRADE_1: ApprovalLevel.SAFETY_DEPARTMENT,
    HotWorkGrade.GRADE_2: ApprovalLevel.OPERATING_UNIT,
}


def rank(level: ApprovalLevel) -> int:
    return LEVEL_ORDER.index(level)


def gb_approval_level(permit_type: PermitType, grade: HotWorkGrade | None) -> ApprovalLevel:
    """GB's level; hot work with no grade is treated as special (ungraded hot work is blocked anyway)."""
    if permit_type is PermitType.HOT_WORK:
        return _HOT_WORK_LEVEL[grade if grade is not None else HotWorkGrade.SPECIAL]
    return ApprovalLevel.OPERATING_UNIT


def required_approvals(
    permit_type: PermitType,
    grade: HotWorkGrade | None,
    *,
    site_levels: Mapping[PermitType, ApprovalLevel] | None = None,
) -> list[ApprovalLevel]:
    """The levels whose signature the permit needs: one level today, a list so a site could add more.

    A site level below GB's is ignored (a site may be stricter, never looser).
    """
    level = gb_approval_level(permit_type, grade)
    site = (site_levels or {}).get(permit_type)
    if site is not None and rank(site) > rank(level):
        level = site
    return [level]


def may_sign(role: Role, signer_level: ApprovalLevel, required: ApprovalLevel) -> bool:
    """True if a person with ``role`` holding ``signer_level`` may give the ``required`` signature."""
    return role in SIGNING_ROLES and rank(signer_level) >= rank(required)


def missing_approvals(
    required: Sequence[ApprovalLevel], signed: Sequence[ApprovalLevel]
) -> list[ApprovalLevel]:
    """Required levels not yet covered, each signature covering one requirement at or below its level.

    Highest requirements are matched first with the lowest signature that suffices, so one senior
    signature is not spent on a requirement a lower one could meet.
    """
    available = sorted(signed, key=rank)
    missing: list[ApprovalLevel] = []
    for need in sorted(required, key=rank, reverse=True):
        match = next((s for s in available if rank(s) >= rank(need)), None)
        if match is None:
            missing.append(need)
        else:
            available.remove(match)
    return sorted(missing, key=rank, reverse=True)
