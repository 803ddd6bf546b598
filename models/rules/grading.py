"""Hot-work grade: the base grade from the place, raised by time and weather.

GB 30871-2022 §5.3.2: hot work at night, on holidays and rest days, or in wind of Beaufort 5 or
more (≥ 8.0 m/s) is upgraded by one level. We read "upgraded by one level" as one level in total:
night work on a windy Sunday is raised once, not three times, and every cause is still listed so
the approver sees why. Special grade is the top and stays special.

Night, holidays and rest days are judged in the site's local time zone. A window that touches the
night at all (even one minute) is night work; a window that ends exactly when the night begins
(22:00) or begins exactly when it ends (06:00) does not touch it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.errors import UserError
from models.records import HotWorkGrade
from models.rules.findings import grade_label, require_aware

# Beaufort 5 starts at 8.0 m/s (fresh breeze, 8.0–10.7 m/s).
BEAUFORT_5_M_S = 8.0

# The lower bounds (m/s) of Beaufort forces 1 … 12 (WMO, 10 m above ground).
_BEAUFORT_FROM_M_S: tuple[float, ...] = (0.3, 1.6, 3.4, 5.5, 8.0, 10.8, 13.9, 17.2, 20.8, 24.5, 28.5, 32.7)


# GB 30871-2022 §5.3.2: hot work in wind of this force or more is graded up one level.
BEAUFORT_GRADE_UP = 5


def beaufort_force(wind_m_s: float) -> int:
    """The Beaufort force (0 … 12) of a mean wind speed in m/s."""
    return sum(1 for bound in _BEAUFORT_FROM_M_S if wind_m_s >= bound)


# Lowest first: raising a grade moves one step to the right.
GRADE_ORDER: tuple[HotWorkGrade, ...] = (HotWorkGrade.GRADE_2, HotWorkGrade.GRADE_1, HotWorkGrade.SPECIAL)

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class SiteCalendar:
    """A site's clock: time zone, night hours, holidays and rest days.

    ``rest_weekdays`` uses Python's numbering (Monday 0 … Sunday 6). ``extra_workdays`` are rest
    weekdays worked in exchange for a holiday (调休, e.g. a Saturday before National Day): they are
    not rest days. Night hours wrap midnight when ``night_start > night_end``; equal times mean the
    site has no night hours.
    """

    timezone: str = "Asia/Shanghai"
    night_start: time = time(22, 0)
    night_end: time = time(6, 0)
    holidays: frozenset[date] = field(default_factory=frozenset)
    rest_weekdays: frozenset[int] = frozenset({5, 6})
    extra_workdays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise UserError(
                f"unknown time zone {self.timezone!r} in the site calendar: use an IANA name such as "
                "'Asia/Shanghai'"
            ) from exc
        bad = sorted(d for d in self.rest_weekdays if not 0 <= d <= 6)
        if bad:
            raise UserError(f"rest weekdays must be 0 (Monday) to 6 (Sunday), got {bad}")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, instant: datetime) -> datetime:
        require_aware(instant, "instant")
        return instant.astimezone(self.zone)

    def local_date(self, instant: datetime) -> date:
        return self.local(instant).date()

    def is_rest_day(self, day: date) -> bool:
        return day.weekday() in self.rest_weekdays and day not in self.extra_workdays

    def nights(self, first: date, last: date) -> list[tuple[datetime, datetime]]:
        """Night intervals (UTC) beginning on local dates ``first`` … ``last``."""
        if self.night_start == self.night_end:
            return []
        zone = self.zone
        out: list[tuple[datetime, datetime]] = []
        day = first
        while day <= last:
            begin = datetime.combine(day, self.night_start, tzinfo=zone)
            end_day = day + timedelta(days=1) if self.night_start > self.night_end else day
            end = datetime.combine(end_day, self.night_end, tzinfo=zone)
            out.append((begin.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))))
            day += timedelta(days=1)
        return out

    def touches_night(self, start: datetime, end: datetime) -> bool:
        """True if [start, end) overlaps the night hours anywhere (an empty window: its start instant)."""
        require_aware(start, "start")
        require_aware(end, "end")
        if end <= start:
            end = start + timedelta(microseconds=1)
        first = self.local_date(start) - timedelta(days=1)
        last = self.local_date(end)
        return any(n_begin < end and start < n_end for n_begin, n_end in self.nights(first, last))

    def local_dates(self, start: datetime, end: datetime) -> list[date]:
        """Local dates that [start, end) touches (an empty window: its start date)."""
        first = self.local_date(start)
        last = self.local_date(end - timedelta(microseconds=1)) if end > start else first
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@dataclass(frozen=True)
class GradeDecision:
    """The grade that applies, with the causes found.

    ``raised_by`` lists every cause present (night, holiday, rest day, wind) even when the grade is
    already special and cannot go higher, so the approver still sees them; ``raised`` says whether
    the grade actually moved.
    """

    base: HotWorkGrade
    grade: HotWorkGrade
    raised_by: list[str]

    @property
    def raised(self) -> bool:
        return self.grade is not self.base

    def describe(self) -> str:
        if not self.raised_by:
            return f"hot work {grade_label(self.grade)}"
        causes = "; ".join(self.raised_by)
        if self.raised:
            return f"hot work {grade_label(self.base)} raised to {grade_label(self.grade)}: {causes}"
        return f"hot work {grade_label(self.grade)} (already the highest grade): {causes}"


def base_hot_work_grade(
    on_operating_equipment_in_hazard_area: bool,
    in_hazard_area: bool,
    inside_major_hazard_tank_dike: bool,
) -> HotWorkGrade:
    """特级 on operating equipment in a fire/explosion hazard area or inside a major-hazard tank dike;
    一级 other work in such an area; 二级 elsewhere."""
    if on_operating_equipment_in_hazard_area or inside_major_hazard_tank_dike:
        return HotWorkGrade.SPECIAL
    if in_hazard_area:
        return HotWorkGrade.GRADE_1
    return HotWorkGrade.GRADE_2


def raise_one_level(grade: HotWorkGrade) -> HotWorkGrade:
    index = GRADE_ORDER.index(grade)
    return GRADE_ORDER[min(index + 1, len(GRADE_ORDER) - 1)]


def grade_causes(
    start: datetime,
    end: datetime,
    calendar: SiteCalendar,
    wind_m_s: float | None,
    *,
    wind_limit_m_s: float = BEAUFORT_5_M_S,
) -> list[str]:
    """Readable causes for raising a hot-work grade over [start, end)."""
    require_aware(start, "start")
    require_aware(end, "end")
    causes: list[str] = []
    if calendar.touches_night(start, end):
        causes.append(
            f"night work ({calendar.night_start:%H:%M}–{calendar.night_end:%H:%M} {calendar.timezone})"
        )
    days = calendar.local_dates(start, end)
    holidays = [d for d in days if d in calendar.holidays]
    if holidays:
        causes.append("holiday " + ", ".join(d.isoformat() for d in holidays))
    rest = [d for d in days if d not in calendar.holidays and calendar.is_rest_day(d)]
    if rest:
        causes.append("rest day " + ", ".join(f"{_WEEKDAYS[d.weekday()]} {d.isoformat()}" for d in rest))
    limit = min(wind_limit_m_s, BEAUFORT_5_M_S)  # a site may be stricter, never looser
    if wind_m_s is not None and wind_m_s >= limit:
        causes.append(f"wind {wind_m_s:.1f} m/s (at least {limit:.1f} m/s, Beaufort 5)")
    return causes


def effective_grade(
    base: HotWorkGrade,
    start: datetime,
    end: datetime,
    calendar: SiteCalendar,
    wind_m_s: float | None,
    *,
    wind_limit_m_s: float = BEAUFORT_5_M_S,
) -> GradeDecision:
    """The grade after §5.3.2: one level up if any cause applies (once in total), special stays special.

    ``wind_m_s`` None means no wind reading: wind does not raise the grade (the application check
    warns about it).
    """
    causes = grade_causes(start, end, calendar, wind_m_s, wind_limit_m_s=wind_limit_m_s)
    grade = raise_one_level(base) if causes else base
    return GradeDecision(base=base, grade=grade, raised_by=causes)
