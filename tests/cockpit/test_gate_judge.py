"""The gate's verdict from facts already read (``cockpit.gate.judge``): every reason, at once."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cockpit.gate import GateFacts, GatePermit, judge
from models.records import GateRequest, PermitType
from models.rules.workers import TRADE_WELDING, CertificateInfo

TODAY = date(2026, 12, 2)
HOT = GatePermit("HW-1", PermitType.HOT_WORK)
VALID = CertificateInfo("T-1", TRADE_WELDING, date(2027, 6, 1), date(2027, 1, 1))


def ask(permit: str | None = "HW-1") -> GateRequest:
    return GateRequest("S1", "A1", "G-1", datetime(2026, 12, 2, 2, 0, tzinfo=UTC), "r-1", "W-1", permit)


def welder(**changes: object) -> GateFacts:
    base: dict[str, object] = {
        "worker": "W-1",
        "name": "李焊工",
        "trade": "焊工",
        "contractor": "C-1",
        "certificates": (VALID,),
        "admission_passed": True,
        "on_permits": frozenset({"HW-1"}),
    }
    return GateFacts(**{**base, **changes})  # type: ignore[arg-type]


def codes(reasons: list[tuple[str, dict[str, object], str]]) -> list[str]:
    return [code for code, _, _ in reasons]


def test_a_qualified_welder_on_the_permit_is_allowed() -> None:
    assert judge(ask(), welder(), [HOT], False, TODAY) == []
    assert judge(ask(None), welder(), [HOT], False, TODAY) == []


def test_every_reason_comes_at_once() -> None:
    facts = welder(certificates=(), admission_passed=False, blacklisted=("C-1",))
    assert codes(judge(ask(), facts, [HOT], True, TODAY)) == [
        "certificate_missing",
        "admission_exam_missing",
        "contractor_blacklisted",
        "area_stopped",
    ]


def test_a_fire_watch_needs_no_welding_certificate_but_a_welder_without_a_trade_does() -> None:
    assert judge(ask(), welder(trade="看火人", certificates=()), [HOT], False, TODAY) == []
    assert codes(judge(ask(), welder(trade="", certificates=()), [HOT], False, TODAY)) == [
        "certificate_missing"
    ]


def test_a_suspended_permit_refuses_unless_the_stop_is_the_reason_already() -> None:
    suspended = GatePermit("HW-1", PermitType.HOT_WORK, active=False)
    refused = judge(ask(), welder(), [suspended], False, TODAY)
    assert codes(refused) == ["not_on_active_permit"]
    assert "suspended" in refused[0][2]
    assert codes(judge(ask(), welder(), [suspended], True, TODAY)) == ["area_stopped"]


def test_plant_staff_need_no_admission_exam_and_an_unknown_badge_says_so() -> None:
    assert judge(ask(), welder(contractor=None, admission_passed=False), [HOT], False, TODAY) == []
    unknown = judge(ask(), GateFacts("W-1", None), [HOT], True, TODAY)
    assert codes(unknown) == ["worker_unknown", "area_stopped"]


def test_a_permit_of_another_area_or_without_him() -> None:
    other = judge(ask("HW-9"), welder(), [HOT], False, TODAY)
    assert codes(other) == ["not_on_active_permit"]
    assert other[0][1] == {"permit": "HW-9", "area": "S1/A1"}
    assert codes(judge(ask(), welder(on_permits=frozenset()), [HOT], False, TODAY)) == [
        "not_on_active_permit"
    ]
