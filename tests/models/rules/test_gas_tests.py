from datetime import timedelta
from typing import Any

import pytest

from models.records import HotWorkGrade as G
from models.records import PermitType as T
from models.records import Quality, Reading
from models.rules.gas_tests import (
    combustible_limit_pct_vol,
    gas_test_due,
    gas_test_findings,
    judge_gas_test,
    needs_continuous_monitoring,
    next_gas_test_due,
)
from tests.models.rules.helpers import MONDAY_9

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
T0 = MONDAY_9


def lel(v: float, q: Quality = Quality.GOOD) -> Reading:
    return Reading("LEL", v, "%LEL", q)


def o2(v: float) -> Reading:
    return Reading("O2", v, "%VOL")


def codes(findings: list) -> list[str]:
    return [f.code for f in findings]


# --- timing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("age", "ok"), [(30 * MIN, True), (30 * MIN + SEC, False), (5 * MIN, True)])
@pytest.mark.parametrize(("ptype", "grade"), [(T.HOT_WORK, G.GRADE_2), (T.CONFINED_SPACE, None)])
def test_sample_at_most_30_min_before_start(ptype: T, grade: G | None, age: timedelta, ok: bool) -> None:
    due = gas_test_due(ptype, grade, last_test_at=T0 - age, now=T0)
    assert (due is None) is ok
    if not ok:
        assert due is not None and due.code == "gas_test.stale" and due.severity == "block"
        assert "30 min 1 s old" in due.message
    assert next_gas_test_due(ptype, grade, last_test_at=T0 - age, now=T0) == T0 - age + 30 * MIN


def test_no_test_at_all_is_due_now() -> None:
    due = gas_test_due(T.HOT_WORK, G.GRADE_1, last_test_at=None, now=T0)
    assert due is not None and due.code == "gas_test.missing"
    assert next_gas_test_due(T.HOT_WORK, G.GRADE_1, last_test_at=None, now=T0) == T0


@pytest.mark.parametrize("ptype", [T.WORK_AT_HEIGHT, T.LIFTING, T.BLINDING])
def test_types_without_gas_rules(ptype: T) -> None:
    assert gas_test_due(ptype, None, last_test_at=None, now=T0, periodic_min=30) is None
    assert next_gas_test_due(ptype, None, last_test_at=None, now=T0) is None


@pytest.mark.parametrize(
    ("ptype", "grade", "limit"),
    [
        (T.HOT_WORK, G.SPECIAL, 30 * MIN),
        (T.HOT_WORK, G.GRADE_1, 30 * MIN),
        (T.HOT_WORK, G.GRADE_2, 60 * MIN),
        (T.CONFINED_SPACE, None, 60 * MIN),
    ],
)
def test_retest_after_a_long_pause(ptype: T, grade: G | None, limit: timedelta) -> None:
    started = T0
    paused = T0 + 60 * MIN
    kwargs: dict[str, Any] = {"last_test_at": T0 - 10 * MIN, "work_started_at": started, "paused_at": paused}
    # While paused: exactly the limit is fine, one second more needs a re-test.
    assert gas_test_due(ptype, grade, now=paused + limit, **kwargs) is None
    due = gas_test_due(ptype, grade, now=paused + limit + SEC, **kwargs)
    assert due is not None and due.code == "gas_test.retest_after_pause"
    assert next_gas_test_due(ptype, grade, now=paused + MIN, **kwargs) == paused + limit
    # Resumed after exactly the limit: fine. After more without a test: blocked.
    ok = gas_test_findings(ptype, grade, now=paused + limit, resumed_at=paused + limit, **kwargs)
    assert "gas_test.resumed_without_retest" not in codes(ok)
    late = paused + limit + SEC
    bad = gas_test_findings(ptype, grade, now=late, resumed_at=late, **kwargs)
    assert codes(bad)[0] == "gas_test.resumed_without_retest"
    # A re-test taken during the pause, fresh at resumption, clears it.
    retested: dict[str, Any] = {**kwargs, "last_test_at": late - 5 * MIN}
    assert gas_test_findings(ptype, grade, now=late, resumed_at=late, **retested) == []


def test_retest_during_pause_must_be_fresh_at_resumption() -> None:
    paused = T0 + 60 * MIN
    retest = paused + 40 * MIN
    kwargs: dict[str, Any] = {"last_test_at": retest, "work_started_at": T0, "paused_at": paused}
    assert gas_test_due(T.HOT_WORK, G.GRADE_1, now=retest + 30 * MIN, **kwargs) is None
    due = gas_test_due(T.HOT_WORK, G.GRADE_1, now=retest + 31 * MIN, **kwargs)
    assert due is not None and due.code == "gas_test.retest_after_pause"


def test_start_without_a_fresh_test_is_flagged() -> None:
    findings = gas_test_findings(
        T.HOT_WORK, G.GRADE_2, last_test_at=T0 - 45 * MIN, work_started_at=T0, now=T0
    )
    assert codes(findings) == ["gas_test.started_without_test"]
    assert "45 min earlier" in findings[0].message
    none = gas_test_findings(T.HOT_WORK, G.GRADE_2, last_test_at=None, work_started_at=T0, now=T0 + MIN)
    assert codes(none) == ["gas_test.started_without_test"]


@pytest.mark.parametrize(("elapsed", "overdue"), [(30 * MIN, False), (30 * MIN + SEC, True)])
def test_site_periodic_retest(elapsed: timedelta, overdue: bool) -> None:
    kwargs: dict[str, Any] = {"last_test_at": T0 - 5 * MIN, "work_started_at": T0, "periodic_min": 30}
    due = gas_test_due(T.HOT_WORK, G.GRADE_2, now=T0 - 5 * MIN + elapsed, **kwargs)
    assert (due is not None and due.code == "gas_test.periodic_overdue" and due.severity == "warn") is overdue
    assert next_gas_test_due(T.HOT_WORK, G.GRADE_2, now=T0, **kwargs) == T0 + 25 * MIN
    off: dict[str, Any] = {**kwargs, "periodic_min": 0}
    assert gas_test_due(T.HOT_WORK, G.GRADE_2, now=T0 + 5 * 60 * MIN, **off) is None
    assert next_gas_test_due(T.HOT_WORK, G.GRADE_2, now=T0, **off) is None


def test_confined_space_records_a_reading_every_2_h() -> None:
    kwargs: dict[str, Any] = {"last_test_at": T0 - 5 * MIN, "work_started_at": T0}
    assert gas_test_due(T.CONFINED_SPACE, None, now=T0 + 115 * MIN, **kwargs) is None
    due = gas_test_due(T.CONFINED_SPACE, None, now=T0 + 116 * MIN, **kwargs)
    assert due is not None and due.code == "gas_test.record_overdue"
    # A continuous-monitoring record resets the clock.
    recorded = gas_test_due(
        T.CONFINED_SPACE, None, now=T0 + 116 * MIN, last_reading_at=T0 + 100 * MIN, **kwargs
    )
    assert recorded is None
    assert next_gas_test_due(T.CONFINED_SPACE, None, now=T0, last_reading_at=T0 + 100 * MIN, **kwargs) == (
        T0 + 220 * MIN
    )
    # Hot work has no such rule.
    assert gas_test_due(T.HOT_WORK, G.GRADE_2, now=T0 + 6 * 60 * MIN, **kwargs) is None


@pytest.mark.parametrize(
    ("ptype", "grade", "needed"),
    [
        (T.HOT_WORK, G.SPECIAL, True),
        (T.HOT_WORK, G.GRADE_1, False),
        (T.HOT_WORK, G.GRADE_2, False),
        (T.CONFINED_SPACE, None, True),
        (T.WORK_AT_HEIGHT, None, False),
    ],
)
def test_continuous_monitoring(ptype: T, grade: G | None, needed: bool) -> None:
    assert needs_continuous_monitoring(ptype, grade) is needed
    findings = gas_test_findings(
        ptype, grade, last_test_at=T0, work_started_at=T0, now=T0 + MIN, monitoring_online=False
    )
    assert ("gas_test.no_continuous_monitoring" in codes(findings)) is needed


def test_blocking_findings_come_first() -> None:
    findings = gas_test_findings(
        T.CONFINED_SPACE,
        None,
        last_test_at=T0 - 45 * MIN,
        work_started_at=T0,
        now=T0 + 3 * 60 * MIN,
        periodic_min=30,
    )
    assert [f.severity for f in findings] == ["block", "warn", "warn"]


# --- pass limits --------------------------------------------------------------------------------


@pytest.mark.parametrize(("lel_vol", "limit"), [(5.0, 0.5), (4.0, 0.5), (3.9, 0.2), (1.2, 0.2)])
def test_combustible_limit_depends_on_the_gas_lel(lel_vol: float, limit: float) -> None:
    assert combustible_limit_pct_vol(lel_vol) == limit


@pytest.mark.parametrize(
    ("readings", "lel_vol", "passes"),
    [
        ([lel(10.0)], 5.0, True),  # 10 %LEL of methane = 0.5 %VOL: at the limit
        ([lel(10.2)], 5.0, False),  # 0.51 %VOL
        ([Reading("CH4", 0.5, "%VOL")], 5.0, True),
        ([Reading("CH4", 0.51, "%VOL")], 5.0, False),
        ([lel(10.0)], 2.0, True),  # 0.2 %VOL of a gas with LEL 2 %VOL: at the 0.2 limit
        ([lel(10.5)], 2.0, False),  # 0.21 %VOL
        ([lel(0.0), Reading("CH4", 0.6, "%VOL")], 5.0, False),  # every combustible channel counts
    ],
)
def test_hot_work_combustible(readings: list[Reading], lel_vol: float, passes: bool) -> None:
    findings = judge_gas_test(T.HOT_WORK, readings, combustible_lel_pct_vol=lel_vol)
    assert (findings == []) is passes
    if not passes:
        assert codes(findings) == ["gas_test.combustible_high"]


def test_hot_work_needs_a_combustible_reading() -> None:
    findings = judge_gas_test(T.HOT_WORK, [o2(20.9)])
    assert codes(findings) == ["gas_test.no_combustible"]
    assert "no combustible gas reading" in findings[0].message


def test_bad_quality_never_passes_and_uncertain_warns() -> None:
    findings = judge_gas_test(T.HOT_WORK, [lel(0.0, Quality.BAD)])
    assert codes(findings) == ["gas_test.bad_quality", "gas_test.no_combustible"]
    uncertain = judge_gas_test(T.HOT_WORK, [lel(0.0, Quality.UNCERTAIN)])
    assert [(f.code, f.severity) for f in uncertain] == [("gas_test.uncertain_quality", "warn")]


@pytest.mark.parametrize(
    ("value", "enriched", "code"),
    [
        (19.5, False, None),
        (19.4, False, "gas_test.oxygen_low"),
        (21.0, False, None),
        (21.1, False, "gas_test.oxygen_high"),
        (23.5, True, None),
        (23.6, True, "gas_test.oxygen_high"),
    ],
)
def test_confined_space_oxygen(value: float, enriched: bool, code: str | None) -> None:
    findings = judge_gas_test(T.CONFINED_SPACE, [lel(0.0), o2(value)], oxygen_enriched=enriched)
    assert codes(findings) == ([] if code is None else [code])


def test_confined_space_needs_oxygen_and_combustible() -> None:
    assert codes(judge_gas_test(T.CONFINED_SPACE, [lel(0.0)])) == ["gas_test.no_oxygen"]
    assert codes(judge_gas_test(T.CONFINED_SPACE, [o2(20.9)])) == ["gas_test.no_combustible"]


@pytest.mark.parametrize(
    ("ch", "ok_value", "limit"),
    [("H2S", 6.9, 7.0), ("CO", 16.0, 17.0), ("SO2", 1.9, 2.0), ("NH3", 24.0, 25.0), ("CL2", 0.4, 0.5)],
)
def test_confined_space_toxics_below_cn_hi(ch: str, ok_value: float, limit: float) -> None:
    base = [lel(0.0), o2(20.9)]
    assert judge_gas_test(T.CONFINED_SPACE, [*base, Reading(ch, ok_value, "ppm")]) == []
    at_limit = judge_gas_test(T.CONFINED_SPACE, [*base, Reading(ch, limit, "ppm")])
    assert codes(at_limit) == ["gas_test.toxic_high"]
    assert ch in at_limit[0].message


def test_toxic_limits_can_be_passed_in() -> None:
    readings = [lel(0.0), o2(20.9), Reading("H2S", 8.0, "ppm")]
    assert judge_gas_test(T.CONFINED_SPACE, readings, toxic_limits_ppm={"H2S": 10.0}) == []


def test_wrong_units_cannot_pass() -> None:
    findings = judge_gas_test(T.CONFINED_SPACE, [lel(0.0), Reading("O2", 209000, "ppm")])
    assert codes(findings) == ["gas_test.bad_unit", "gas_test.no_oxygen"]


def test_other_types_judge_what_is_given_and_require_nothing() -> None:
    assert judge_gas_test(T.BLINDING, []) == []
    assert codes(judge_gas_test(T.BLINDING, [Reading("H2S", 20.0, "ppm")])) == ["gas_test.toxic_high"]


def test_unknown_channels_are_ignored() -> None:
    assert judge_gas_test(T.HOT_WORK, [lel(1.0), Reading("TEMP", 80.0, "C", Quality.BAD)]) == []


def test_toxic_limit_names_are_case_insensitive() -> None:
    readings = [lel(0.0), o2(20.9), Reading("H2S", 8.0, "ppm")]
    assert codes(judge_gas_test(T.CONFINED_SPACE, readings, toxic_limits_ppm={"h2s": 7.0})) == [
        "gas_test.toxic_high"
    ]
