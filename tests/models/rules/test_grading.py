from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.errors import UserError
from models.records import HotWorkGrade as G
from models.rules.grading import SiteCalendar, base_hot_work_grade, beaufort_force, effective_grade
from tests.models.rules.helpers import MONDAY_9, sh

CAL = SiteCalendar(holidays=frozenset({date(2026, 10, 1)}))
H = timedelta(hours=1)
M = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("on_equipment", "in_area", "in_dike", "grade"),
    [
        (True, True, False, G.SPECIAL),
        (False, False, True, G.SPECIAL),
        (False, True, False, G.GRADE_1),
        (False, False, False, G.GRADE_2),
    ],
)
def test_base_grade_from_the_place(on_equipment: bool, in_area: bool, in_dike: bool, grade: G) -> None:
    assert base_hot_work_grade(on_equipment, in_area, in_dike) is grade


def test_ordinary_weekday_daytime_keeps_the_grade() -> None:
    decision = effective_grade(G.GRADE_2, MONDAY_9, MONDAY_9 + 4 * H, CAL, 3.0)
    assert decision.grade is G.GRADE_2
    assert decision.raised_by == []
    assert not decision.raised


@pytest.mark.parametrize(
    ("start", "end", "night"),
    [
        (sh(2026, 11, 23, 14), sh(2026, 11, 23, 22), False),  # ends exactly at 22:00
        (sh(2026, 11, 23, 14), sh(2026, 11, 23, 22, 1), True),  # one minute into the night
        (sh(2026, 11, 23, 22), sh(2026, 11, 23, 23), True),  # starts at 22:00
        (sh(2026, 11, 24, 6), sh(2026, 11, 24, 10), False),  # starts exactly at 06:00
        (sh(2026, 11, 24, 5, 59), sh(2026, 11, 24, 10), True),  # starts one minute before 06:00
        (sh(2026, 11, 23, 6), sh(2026, 11, 23, 22), False),  # the whole day, no night
        (sh(2026, 11, 24, 2), sh(2026, 11, 24, 3), True),  # small hours
    ],
)
def test_night_is_judged_in_local_time_and_touching_counts(
    start: datetime, end: datetime, night: bool
) -> None:
    decision = effective_grade(G.GRADE_2, start, end, CAL, None)
    assert (decision.grade is G.GRADE_1) is night
    assert any(r.startswith("night work") for r in decision.raised_by) is night


def test_utc_day_can_be_shanghai_night() -> None:
    # 15:00–16:00 UTC is daytime in UTC and 23:00–24:00 in Shanghai.
    start = datetime(2026, 11, 23, 15, tzinfo=UTC)
    shanghai = effective_grade(G.GRADE_2, start, start + H, CAL, None)
    utc_site = effective_grade(G.GRADE_2, start, start + H, SiteCalendar(timezone="UTC"), None)
    assert shanghai.grade is G.GRADE_1
    assert utc_site.grade is G.GRADE_2


def test_holiday_raises() -> None:
    decision = effective_grade(G.GRADE_2, sh(2026, 10, 1, 9), sh(2026, 10, 1, 12), CAL, None)
    assert decision.grade is G.GRADE_1
    assert decision.raised_by == ["holiday 2026-10-01"]


def test_saturday_raises_and_a_make_up_workday_does_not() -> None:
    sat = (sh(2026, 11, 28, 9), sh(2026, 11, 28, 12))
    decision = effective_grade(G.GRADE_2, *sat, CAL, None)
    assert decision.grade is G.GRADE_1
    assert decision.raised_by == ["rest day Saturday 2026-11-28"]
    workday = SiteCalendar(extra_workdays=frozenset({date(2026, 11, 28)}))
    assert effective_grade(G.GRADE_2, *sat, workday, None).grade is G.GRADE_2


def test_friday_job_ending_at_midnight_does_not_touch_saturday() -> None:
    night_off = SiteCalendar(night_start=time(0), night_end=time(0))
    decision = effective_grade(G.GRADE_2, sh(2026, 11, 27, 16), sh(2026, 11, 28, 0), night_off, None)
    assert decision.grade is G.GRADE_2


@pytest.mark.parametrize(("wind", "raised"), [(7.9, False), (8.0, True), (12.0, True), (None, False)])
def test_wind_of_beaufort_5_raises(wind: float | None, raised: bool) -> None:
    decision = effective_grade(G.GRADE_2, MONDAY_9, MONDAY_9 + H, CAL, wind)
    assert (decision.grade is G.GRADE_1) is raised


def test_site_may_lower_the_wind_threshold_but_not_raise_it() -> None:
    stricter = effective_grade(G.GRADE_2, MONDAY_9, MONDAY_9 + H, CAL, 6.0, wind_limit_m_s=6.0)
    assert stricter.grade is G.GRADE_1
    looser = effective_grade(G.GRADE_2, MONDAY_9, MONDAY_9 + H, CAL, 9.0, wind_limit_m_s=12.0)
    assert looser.grade is G.GRADE_1


def test_several_causes_raise_once_in_total() -> None:
    # Saturday night in wind: three causes, one level.
    decision = effective_grade(G.GRADE_2, sh(2026, 11, 28, 21), sh(2026, 11, 28, 23), CAL, 9.5)
    assert decision.grade is G.GRADE_1
    assert len(decision.raised_by) == 3
    assert "grade 2 raised to grade 1" in decision.describe()


@pytest.mark.parametrize(("base", "expected"), [(G.GRADE_1, G.SPECIAL), (G.SPECIAL, G.SPECIAL)])
def test_grade_1_becomes_special_and_special_stays(base: G, expected: G) -> None:
    decision = effective_grade(base, sh(2026, 11, 23, 23), sh(2026, 11, 24, 1), CAL, None)
    assert decision.grade is expected
    assert decision.raised_by  # the cause is still shown


def test_night_hours_are_a_site_setting() -> None:
    cal = SiteCalendar(night_start=time(20), night_end=time(7))
    assert effective_grade(G.GRADE_2, sh(2026, 11, 23, 19), sh(2026, 11, 23, 20, 30), cal, None).raised
    assert not effective_grade(G.GRADE_2, sh(2026, 11, 23, 19), sh(2026, 11, 23, 20, 30), CAL, None).raised


def test_unknown_time_zone_is_a_user_error() -> None:
    with pytest.raises(UserError, match="Mars/Olympus"):
        SiteCalendar(timezone="Mars/Olympus")


def test_bad_rest_weekday_is_a_user_error() -> None:
    with pytest.raises(UserError):
        SiteCalendar(rest_weekdays=frozenset({7}))


def test_empty_window_is_judged_at_its_start() -> None:
    at_night = sh(2026, 11, 23, 23)
    assert effective_grade(G.GRADE_2, at_night, at_night - M, CAL, None).raised


def test_night_in_a_zone_with_daylight_saving() -> None:
    berlin = SiteCalendar(timezone="Europe/Berlin", rest_weekdays=frozenset())
    zone = berlin.zone
    # 29 March 2026: clocks jump from 02:00 to 03:00 in Berlin.
    six = datetime(2026, 3, 29, 6, tzinfo=zone).astimezone(UTC)
    assert not effective_grade(G.GRADE_2, six, six + 3 * H, berlin, None).raised
    assert effective_grade(G.GRADE_2, six - M, six + 3 * H, berlin, None).raised
    # On the day after, 22:00 local is 20:00 UTC (summer time), no longer 21:00 UTC.
    ten_pm = datetime(2026, 3, 30, 22, tzinfo=zone).astimezone(UTC)
    assert ten_pm.hour == 20
    assert not effective_grade(G.GRADE_2, ten_pm - 2 * H, ten_pm, berlin, None).raised


def test_long_window_over_a_weekend_lists_each_rest_day() -> None:
    cal = SiteCalendar(night_start=time(0), night_end=time(0))
    decision = effective_grade(G.GRADE_2, sh(2026, 11, 27, 9), sh(2026, 11, 30, 9), cal, None)
    assert decision.grade is G.GRADE_1
    assert decision.raised_by == ["rest day Saturday 2026-11-28, Sunday 2026-11-29"]


@settings(max_examples=40, deadline=None)
@given(
    start_min=st.integers(min_value=0, max_value=14 * 24 * 60),
    length_min=st.integers(min_value=1, max_value=30 * 60),
    night_start=st.integers(min_value=0, max_value=23),
    night_end=st.integers(min_value=0, max_value=23),
)
def test_touches_night_agrees_with_a_minute_by_minute_scan(
    start_min: int, length_min: int, night_start: int, night_end: int
) -> None:
    cal = SiteCalendar(night_start=time(night_start), night_end=time(night_end), rest_weekdays=frozenset())
    start = sh(2026, 11, 16) + start_min * M
    end = start + length_min * M

    def is_night(instant: datetime) -> bool:
        t = instant.astimezone(cal.zone).time()
        if night_start == night_end:
            return False
        if night_start < night_end:
            return time(night_start) <= t < time(night_end)
        return t >= time(night_start) or t < time(night_end)

    scanned = any(is_night(start + i * M) for i in range(length_min))
    assert cal.touches_night(start, end) is scanned
    decision = effective_grade(G.GRADE_2, start, end, cal, None)
    assert (decision.grade is G.GRADE_1) is scanned


@settings(max_examples=40, deadline=None)
@given(
    base=st.sampled_from(list(G)),
    start_min=st.integers(min_value=0, max_value=14 * 24 * 60),
    length_min=st.integers(min_value=1, max_value=72 * 60),
    wind=st.one_of(st.none(), st.floats(min_value=0, max_value=40)),
)
def test_grade_rises_at_most_one_level_and_never_falls(
    base: G, start_min: int, length_min: int, wind: float | None
) -> None:
    order = [G.GRADE_2, G.GRADE_1, G.SPECIAL]
    start = sh(2026, 9, 21) + start_min * M
    decision = effective_grade(base, start, start + length_min * M, CAL, wind)
    step = order.index(decision.grade) - order.index(base)
    assert step in (0, 1)
    assert (step == 1) is (bool(decision.raised_by) and base is not G.SPECIAL)


@pytest.mark.parametrize(
    ("m_s", "force"),
    [(0.0, 0), (0.3, 1), (5.4, 3), (5.5, 4), (7.9, 4), (8.0, 5), (10.7, 5), (10.8, 6), (11.0, 6), (33.0, 12)],
)
def test_beaufort_force_from_the_wind_speed(m_s: float, force: int) -> None:
    """Beaufort 5 (the GB 30871 limit) starts at 8.0 m/s, as the grading's BEAUFORT_5_M_S."""
    assert beaufort_force(m_s) == force
