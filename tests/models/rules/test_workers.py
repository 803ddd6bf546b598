from datetime import date, timedelta

import pytest

from models.records import PermitType as T
from models.rules.workers import (
    TRADE_ELECTRICIAN,
    TRADE_WELDING,
    CertificateInfo,
    check_contractor,
    check_worker,
    normalize_trade,
    review_due_after,
    trade_for,
)

TODAY = date(2026, 11, 23)


def cert(days_left: int, trade: str = TRADE_WELDING, review_in: int | None = None) -> CertificateInfo:
    review = None if review_in is None else TODAY + timedelta(days=review_in)
    return CertificateInfo("T-001", trade, TODAY + timedelta(days=days_left), review)


def codes(findings: list) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in findings]


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (61, []),
        (60, [("worker.certificate_expires_60d", "warn")]),
        (31, [("worker.certificate_expires_60d", "warn")]),
        (30, [("worker.certificate_expires_30d", "warn")]),
        (0, [("worker.certificate_expires_30d", "warn")]),  # valid through its last day
        (-1, [("worker.certificate_expired", "block")]),
    ],
)
def test_certificate_expiry(days_left: int, expected: list[tuple[str, str]]) -> None:
    findings = check_worker("W-10023", TRADE_WELDING, [cert(days_left)], TODAY)
    assert codes(findings) == expected
    for f in findings:
        assert f.field == "workers"
        assert "W-10023" in f.message


def test_missing_certificate_for_the_trade_blocks() -> None:
    findings = check_worker("W-1", TRADE_WELDING, [cert(400, TRADE_ELECTRICIAN)], TODAY)
    assert codes(findings) == [("worker.no_certificate", "block")]
    assert "焊接与热切割" in findings[0].message


def test_no_trade_needs_no_certificate() -> None:
    assert check_worker("W-1", None, [], TODAY) == []


def test_the_newest_certificate_counts() -> None:
    assert check_worker("W-1", TRADE_WELDING, [cert(-100), cert(400)], TODAY) == []


@pytest.mark.parametrize(
    ("review_in", "expected"),
    [
        (61, []),
        (60, [("worker.review_due", "warn")]),
        (0, [("worker.review_due", "warn")]),
        (-1, [("worker.review_overdue", "block")]),
    ],
)
def test_review_every_3_years_applied_for_within_60_days(review_in: int, expected: list) -> None:
    assert codes(check_worker("W-1", TRADE_WELDING, [cert(900, review_in=review_in)], TODAY)) == expected


def test_review_date_three_years_on() -> None:
    assert review_due_after(date(2023, 11, 23)) == date(2026, 11, 23)
    assert review_due_after(date(2024, 2, 29)) == date(2027, 2, 28)


def test_certificate_lapsing_during_the_permit_blocks() -> None:
    findings = check_worker("W-1", TRADE_WELDING, [cert(100)], TODAY, until=TODAY + timedelta(days=101))
    assert ("worker.certificate_expires_during_permit", "block") in codes(findings)
    assert check_worker("W-1", TRADE_WELDING, [cert(100)], TODAY, until=TODAY + timedelta(days=100)) == []


@pytest.mark.parametrize(
    ("ptype", "trade"),
    [
        (T.HOT_WORK, "焊接与热切割"),
        (T.TEMPORARY_POWER, "电工"),
        (T.WORK_AT_HEIGHT, "高处作业"),
        (T.LIFTING, "起重"),
        (T.CONFINED_SPACE, None),
        (T.EXCAVATION, None),
    ],
)
def test_trade_table(ptype: T, trade: str | None) -> None:
    assert trade_for(ptype) == trade


@pytest.mark.parametrize(
    ("alias", "trade"), [("Welder", TRADE_WELDING), (" electrician ", TRADE_ELECTRICIAN)]
)
def test_trade_aliases(alias: str, trade: str) -> None:
    assert normalize_trade(alias) == trade
    assert check_worker("W-1", trade, [cert(400, alias)], TODAY) == []


def test_blacklisted_contractor_blocks() -> None:
    findings = check_contractor(True, date(2030, 1, 1), TODAY, contractor_id="C-0042")
    assert codes(findings) == [("contractor.blacklisted", "block")]
    assert findings[0].field == "contractor" and "C-0042" in findings[0].message


@pytest.mark.parametrize(
    ("valid_to", "expected"),
    [
        (None, [("contractor.no_qualification_record", "warn")]),
        (TODAY - timedelta(days=1), [("contractor.qualification_expired", "block")]),
        (TODAY + timedelta(days=30), [("contractor.qualification_expiring", "warn")]),
        (TODAY + timedelta(days=31), []),
    ],
)
def test_contractor_qualifications(valid_to: date | None, expected: list) -> None:
    assert codes(check_contractor(False, valid_to, TODAY)) == expected
