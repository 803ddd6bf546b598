from datetime import datetime, timedelta

import pytest

from models.records import HotWorkGrade as G
from models.records import PermitType as T
from models.rules.validity import check_validity, max_validity
from tests.models.rules.helpers import MONDAY_9

H = timedelta(hours=1)
S1 = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("ptype", "grade", "limit"),
    [
        (T.HOT_WORK, G.SPECIAL, 8 * H),
        (T.HOT_WORK, G.GRADE_1, 8 * H),
        (T.HOT_WORK, G.GRADE_2, 72 * H),
        (T.CONFINED_SPACE, None, 24 * H),
        (T.WORK_AT_HEIGHT, None, timedelta(days=7)),
        (T.TEMPORARY_POWER, None, timedelta(days=15)),
    ],
)
def test_gb_maximum_is_allowed_and_one_second_more_is_not(
    ptype: T, grade: G | None, limit: timedelta
) -> None:
    assert check_validity(ptype, grade, MONDAY_9, MONDAY_9 + limit) == []
    findings = check_validity(ptype, grade, MONDAY_9, MONDAY_9 + limit + S1)
    assert [f.code for f in findings] == ["validity.too_long"]
    assert findings[0].field == "valid_to"
    assert findings[0].severity == "block"


def test_message_matches_the_contract_example() -> None:
    (finding,) = check_validity(T.HOT_WORK, G.GRADE_1, MONDAY_9, MONDAY_9 + 8 * H + S1)
    assert finding.message.startswith("hot work grade 1 is valid for at most 8 h")
    assert "8 h 0 min 1 s" in finding.message


@pytest.mark.parametrize("ptype", [T.LIFTING, T.EXCAVATION, T.ROAD_CLOSURE, T.BLINDING])
def test_types_without_gb_maximum_follow_the_site(ptype: T) -> None:
    assert max_validity(ptype, None) is None
    assert check_validity(ptype, None, MONDAY_9, MONDAY_9 + timedelta(days=60)) == []
    site = {ptype: 12 * H}
    assert check_validity(ptype, None, MONDAY_9, MONDAY_9 + 12 * H, site_max=site) == []
    (finding,) = check_validity(ptype, None, MONDAY_9, MONDAY_9 + 12 * H + S1, site_max=site)
    assert "at most 12 h" in finding.message


def test_site_may_be_stricter_never_looser() -> None:
    assert max_validity(T.HOT_WORK, G.GRADE_2, {T.HOT_WORK: 4 * H}) == 4 * H
    assert max_validity(T.CONFINED_SPACE, None, {T.CONFINED_SPACE: 48 * H}) == 24 * H
    with pytest.raises(ValueError):
        max_validity(T.LIFTING, None, {T.LIFTING: timedelta(0)})


def test_hot_work_without_grade_gets_the_strictest_maximum() -> None:
    assert max_validity(T.HOT_WORK, None) == 8 * H


@pytest.mark.parametrize("end_offset", [timedelta(0), -H])
def test_end_must_come_after_start(end_offset: timedelta) -> None:
    findings = check_validity(T.LIFTING, None, MONDAY_9, MONDAY_9 + end_offset)
    assert [f.code for f in findings] == ["validity.end_not_after_start"]


def test_temporary_power_never_outlasts_its_job() -> None:
    job_end = MONDAY_9 + timedelta(days=3)
    assert check_validity(T.TEMPORARY_POWER, None, MONDAY_9, job_end, job_end=job_end) == []
    findings = check_validity(T.TEMPORARY_POWER, None, MONDAY_9, job_end + H, job_end=job_end)
    assert [f.code for f in findings] == ["validity.longer_than_job"]
    assert "1 h after the job" in findings[0].message


def test_job_end_only_binds_temporary_power() -> None:
    job_end = MONDAY_9 + H
    assert check_validity(T.WORK_AT_HEIGHT, None, MONDAY_9, MONDAY_9 + 2 * H, job_end=job_end) == []


def test_naive_times_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        check_validity(T.LIFTING, None, datetime(2026, 1, 1), datetime(2026, 1, 2))
