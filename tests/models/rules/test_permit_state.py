import pytest

from models.records import PermitStatus as S
from models.rules.permit_state import (
    FINAL_STATUSES,
    LIVE_STATUSES,
    TransitionRefused,
    check_transition,
    transition,
)

ALLOWED = {
    (S.SUBMITTED, S.APPROVED),
    (S.SUBMITTED, S.REJECTED),
    (S.SUBMITTED, S.CANCELLED),
    (S.SUBMITTED, S.SUBMITTED),  # send back for correction
    (S.APPROVED, S.ACTIVE),
    (S.APPROVED, S.CANCELLED),
    (S.APPROVED, S.EXPIRED),
    (S.ACTIVE, S.SUSPENDED),
    (S.ACTIVE, S.CLOSED),
    (S.ACTIVE, S.EXPIRED),
    (S.SUSPENDED, S.ACTIVE),
    (S.SUSPENDED, S.CLOSED),
    (S.SUSPENDED, S.CANCELLED),
    (S.SUSPENDED, S.EXPIRED),
}
ALL_PAIRS = [(a, b) for a in S for b in S]


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_moves(current: S, target: S) -> None:
    assert check_transition(current, target) is None
    assert transition(current, target) is target


@pytest.mark.parametrize(("current", "target"), [p for p in ALL_PAIRS if p not in ALLOWED])
def test_refused_moves_name_both_states(current: S, target: S) -> None:
    finding = check_transition(current, target)
    assert finding is not None
    assert finding.severity == "block"
    assert f"from {current.value} to {target.value}" in finding.message
    with pytest.raises(TransitionRefused) as info:
        transition(current, target)
    assert info.value.finding == finding


def test_reasons_tell_what_to_do() -> None:
    active_cancel = check_transition(S.ACTIVE, S.CANCELLED)
    assert active_cancel is not None and "suspend" in active_cancel.message
    closed = check_transition(S.CLOSED, S.ACTIVE)
    assert closed is not None and "closed is final" in closed.message
    approved_close = check_transition(S.APPROVED, S.CLOSED)
    assert approved_close is not None and "cancelled, not closed" in approved_close.message


def test_final_and_live_statuses() -> None:
    assert {S.REJECTED, S.CANCELLED, S.EXPIRED, S.CLOSED} == FINAL_STATUSES
    assert {S.SUBMITTED, S.APPROVED, S.ACTIVE, S.SUSPENDED} == LIVE_STATUSES


def test_stop_and_resume_loop() -> None:
    status = transition(S.SUBMITTED, S.APPROVED)
    status = transition(status, S.ACTIVE)
    for _ in range(3):
        status = transition(status, S.SUSPENDED)
        status = transition(status, S.ACTIVE)
    assert transition(status, S.CLOSED) is S.CLOSED
