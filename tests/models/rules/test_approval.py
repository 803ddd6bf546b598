import pytest

from models.records import ApprovalLevel as L
from models.records import HotWorkGrade as G
from models.records import PermitType as T
from models.records import Role
from models.rules.approval import may_sign, missing_approvals, required_approvals


@pytest.mark.parametrize(
    ("ptype", "grade", "level"),
    [
        (T.HOT_WORK, G.SPECIAL, L.SENIOR_LEADER),
        (T.HOT_WORK, G.GRADE_1, L.SAFETY_DEPARTMENT),
        (T.HOT_WORK, G.GRADE_2, L.OPERATING_UNIT),
        (T.HOT_WORK, None, L.SENIOR_LEADER),  # ungraded: strictest
        (T.CONFINED_SPACE, None, L.OPERATING_UNIT),
        (T.BLINDING, None, L.OPERATING_UNIT),
        (T.WORK_AT_HEIGHT, None, L.OPERATING_UNIT),
        (T.LIFTING, None, L.OPERATING_UNIT),
        (T.TEMPORARY_POWER, None, L.OPERATING_UNIT),
        (T.EXCAVATION, None, L.OPERATING_UNIT),
        (T.ROAD_CLOSURE, None, L.OPERATING_UNIT),
    ],
)
def test_gb_matrix(ptype: T, grade: G | None, level: L) -> None:
    assert required_approvals(ptype, grade) == [level]


def test_site_may_raise_a_level_but_not_lower_it() -> None:
    assert required_approvals(T.LIFTING, None, site_levels={T.LIFTING: L.SAFETY_DEPARTMENT}) == [
        L.SAFETY_DEPARTMENT
    ]
    lowered = required_approvals(T.HOT_WORK, G.SPECIAL, site_levels={T.HOT_WORK: L.OPERATING_UNIT})
    assert lowered == [L.SENIOR_LEADER]


@pytest.mark.parametrize(
    ("signer", "required", "ok"),
    [
        (L.SENIOR_LEADER, L.SENIOR_LEADER, True),
        (L.SENIOR_LEADER, L.OPERATING_UNIT, True),
        (L.SAFETY_DEPARTMENT, L.OPERATING_UNIT, True),
        (L.SAFETY_DEPARTMENT, L.SENIOR_LEADER, False),
        (L.OPERATING_UNIT, L.SAFETY_DEPARTMENT, False),
        (L.OPERATING_UNIT, L.OPERATING_UNIT, True),
    ],
)
def test_higher_level_signs_for_lower(signer: L, required: L, ok: bool) -> None:
    assert may_sign(Role.SHIFT_LEAD, signer, required) is ok


@pytest.mark.parametrize(
    ("role", "ok"),
    [
        (Role.SHIFT_LEAD, True),
        (Role.SAFETY_MANAGER, True),
        (Role.OPERATOR, False),
        (Role.INCIDENT_COMMANDER, False),
        (Role.ADMIN, False),
    ],
)
def test_only_signing_roles_sign(role: Role, ok: bool) -> None:
    assert may_sign(role, L.SENIOR_LEADER, L.OPERATING_UNIT) is ok


def test_missing_approvals() -> None:
    assert missing_approvals([L.SENIOR_LEADER], []) == [L.SENIOR_LEADER]
    assert missing_approvals([L.SENIOR_LEADER], [L.SAFETY_DEPARTMENT]) == [L.SENIOR_LEADER]
    assert missing_approvals([L.OPERATING_UNIT], [L.SENIOR_LEADER]) == []
    # The senior signature is kept for the senior requirement, the unit one covers the unit.
    assert missing_approvals([L.OPERATING_UNIT, L.SENIOR_LEADER], [L.SENIOR_LEADER, L.OPERATING_UNIT]) == []
    assert missing_approvals([L.OPERATING_UNIT, L.SENIOR_LEADER], [L.SENIOR_LEADER]) == [L.OPERATING_UNIT]
