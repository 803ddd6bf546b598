from dataclasses import replace
from datetime import date, timedelta

import pytest

from models.records import HotWorkGrade as G
from models.records import PermitRequest, PermitStatus
from models.records import PermitType as T
from models.rules.application import ApplicationContext, PermitDraft, check_application, grade_decision
from models.rules.conflicts import PermitFootprint
from models.rules.findings import blocking, reply_errors
from models.rules.grading import SiteCalendar
from models.rules.workers import TRADE_WELDING, CertificateInfo
from tests.models.rules.helpers import MONDAY_9, sh

H = timedelta(hours=1)
WELDER = CertificateInfo("T-1", TRADE_WELDING, date(2029, 1, 1))

# The contract §5 example: hot work grade 1, 22:00–06:00 in Shanghai.
EXAMPLE = PermitDraft(
    type=T.HOT_WORK,
    grade=G.GRADE_1,
    valid_from=sh(2026, 11, 23, 22),
    valid_to=sh(2026, 11, 24, 6),
    site="S1",
    area="A1",
    applicant="W-10023",
    workers=("W-10023", "W-10031"),
    supervisor="W-20007",
    urgent=True,
    contractor="C-0042",
    prerequisites={"jsa": True, "isolation": True, "gas_test": False},
    permit_id="HW-20261123-007",
    x=0.0,
    y=0.0,
)
CTX = ApplicationContext(
    now=sh(2026, 11, 23, 20),
    calendar=SiteCalendar(),
    known_workers=frozenset({"W-10023", "W-10031", "W-20007"}),
    wind_m_s=3.0,
    certificates={"W-10023": [WELDER], "W-10031": [WELDER]},
    contractor_qualifications_valid_to=date(2028, 1, 1),
)


def codes(findings: list) -> set[str]:
    return {f.code for f in findings}


def test_contract_example_is_accepted_with_warnings() -> None:
    findings = check_application(EXAMPLE, CTX)
    assert blocking(findings) == []
    assert {"grade.raised", "prerequisite.gas_test"} <= codes(findings)
    decision = grade_decision(EXAMPLE, CTX)
    assert decision is not None and decision.grade is G.SPECIAL  # night raises grade 1 to special


def test_validity_is_judged_at_the_raised_grade() -> None:
    # Grade 2 (72 h) over a night becomes grade 1: 10 h is now too long.
    draft = replace(EXAMPLE, grade=G.GRADE_2, valid_from=sh(2026, 11, 23, 20), valid_to=sh(2026, 11, 24, 6))
    errors = reply_errors(check_application(draft, replace(CTX, now=sh(2026, 11, 23, 19))))
    assert errors == [
        {
            "field": "valid_to",
            "message": "hot work grade 1 is valid for at most 8 h; this permit asks for 10 h",
        }
    ]
    day = replace(draft, valid_from=MONDAY_9, valid_to=MONDAY_9 + 10 * H)
    assert blocking(check_application(day, replace(CTX, now=MONDAY_9 - H))) == []


def test_wind_raises_validity_too() -> None:
    day = replace(EXAMPLE, grade=G.GRADE_2, valid_from=MONDAY_9, valid_to=MONDAY_9 + 9 * H)
    calm = replace(CTX, now=MONDAY_9 - H, wind_m_s=7.9)
    assert blocking(check_application(day, calm)) == []
    windy = replace(calm, wind_m_s=8.0)
    assert codes(blocking(check_application(day, windy))) == {"validity.too_long"}


def test_hot_work_without_grade_blocks_on_grade() -> None:
    findings = blocking(check_application(replace(EXAMPLE, grade=None), CTX))
    assert [(f.code, f.field) for f in findings] == [("grade.missing", "grade")]


def test_no_wind_reading_is_a_warning() -> None:
    day = replace(EXAMPLE, grade=G.GRADE_2, valid_from=MONDAY_9, valid_to=MONDAY_9 + 4 * H)
    findings = check_application(day, replace(CTX, now=MONDAY_9 - H, wind_m_s=None))
    assert blocking(findings) == []
    assert "grade.wind_unknown" in codes(findings)


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"workers": ("W-10023", "W-99999")}, "workers.unknown", "workers"),
        ({"workers": ()}, "workers.none", "workers"),
        ({"supervisor": "W-88888"}, "supervisor.unknown", "supervisor"),
        ({"supervisor": "W-10031"}, "supervisor.is_worker", "supervisor"),
        ({"prerequisites": {"isolation": True}}, "prerequisite.jsa", "prerequisites.jsa"),
        (
            {"valid_from": sh(2026, 11, 23, 10), "valid_to": sh(2026, 11, 23, 12)},
            "validity.in_past",
            "valid_to",
        ),
    ],
)
def test_blocking_findings_name_their_field(change: dict, code: str, field: str) -> None:
    found = [(f.code, f.field) for f in blocking(check_application(replace(EXAMPLE, **change), CTX))]
    assert (code, field) in found


def test_worker_without_a_valid_certificate_blocks_and_a_fire_watch_needs_none() -> None:
    expired = CertificateInfo("T-2", TRADE_WELDING, date(2026, 11, 1))
    ctx = replace(CTX, certificates={"W-10023": [WELDER], "W-10031": [expired]})
    assert codes(blocking(check_application(EXAMPLE, ctx))) == {"worker.certificate_expired"}
    fire_watch = replace(ctx, worker_trades={"W-10031": None})
    assert blocking(check_application(EXAMPLE, fire_watch)) == []


def test_certificate_warning_reaches_the_approver() -> None:
    soon = CertificateInfo("T-3", TRADE_WELDING, date(2026, 12, 20))  # 27 days after 23 Nov
    findings = check_application(EXAMPLE, replace(CTX, certificates={"W-10023": [WELDER], "W-10031": [soon]}))
    assert blocking(findings) == []
    assert "worker.certificate_expires_30d" in codes(findings)


def test_blacklisted_contractor_blocks() -> None:
    findings = blocking(check_application(EXAMPLE, replace(CTX, contractor_blacklisted=True)))
    assert [(f.code, f.field) for f in findings] == [("contractor.blacklisted", "contractor")]


def test_approval_stage_needs_the_gas_test() -> None:
    findings = blocking(check_application(EXAMPLE, replace(CTX, stage="approve")))
    assert codes(findings) == {"prerequisite.gas_test"}


def test_conflict_with_blinding_nearby() -> None:
    blinding = PermitFootprint(
        "BL-1",
        T.BLINDING,
        "A2",
        "S1",
        PermitStatus.ACTIVE,
        sh(2026, 11, 23, 23),
        sh(2026, 11, 24, 2),
        x=20.0,
        y=0.0,
    )
    findings = blocking(check_application(EXAMPLE, replace(CTX, footprints=[blinding])))
    assert codes(findings) == {"conflict.hot_work_near_blinding"}


def test_from_request_keeps_the_contract_fields() -> None:
    request = PermitRequest(
        site="S1",
        area="A1",
        permit="HW-20261123-007",
        ts=sh(2026, 11, 23, 20),
        type=T.HOT_WORK,
        applicant="W-10023",
        workers=("W-10023", "W-10031"),
        supervisor="W-20007",
        valid_from=sh(2026, 11, 23, 22),
        valid_to=sh(2026, 11, 24, 6),
        grade=G.GRADE_1,
        urgent=True,
        contractor="C-0042",
        prerequisites={"jsa": True, "isolation": True, "gas_test": False},
    )
    draft = PermitDraft.from_request(request, x=0.0, y=0.0)
    assert draft == EXAMPLE


def test_temporary_power_longer_than_its_job_blocks() -> None:
    power = replace(
        EXAMPLE,
        type=T.TEMPORARY_POWER,
        grade=None,
        valid_from=MONDAY_9,
        valid_to=MONDAY_9 + 48 * H,
        contractor=None,
    )
    ctx = replace(CTX, now=MONDAY_9 - H, certificates={}, worker_trades={"W-10023": None, "W-10031": None})
    assert blocking(check_application(power, ctx)) == []
    late = replace(power, job_end=MONDAY_9 + 24 * H)
    assert codes(blocking(check_application(late, ctx))) == {"validity.longer_than_job"}
