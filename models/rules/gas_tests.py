"""Gas tests (气体分析) for hot work and confined space: when one is due, and whether it passes.

When (GB 30871-2022 §5.2.6, §6.5):
- sampled no more than 30 min before hot work or confined-space entry starts;
- re-tested after a pause of more than 30 min (hot work special and grade 1) or more than 60 min
  (hot work grade 2, confined space); the re-test must also be no more than 30 min old when work
  resumes;
- special-grade hot work and confined space need continuous monitoring, and confined space records
  a reading at least every 2 h;
- a site may add a periodic re-test (``periodic_min``, 0 = off) on top.
Boundaries are inclusive: a test exactly 30 min old still allows the start, a pause of exactly
30 min needs no re-test. Missing the start or resume rule blocks; an overdue periodic re-test or
2-hourly record is a warning (the alarm service raises it as an overdue re-test).

Pass limits: hot work: combustible ≤ 0.5 %VOL where the gas's LEL is ≥ 4 %VOL, ≤ 0.2 %VOL otherwise.
Confined space: O₂ 19.5–21 %VOL (never above 23.5 %VOL, even where the site declares an
oxygen-enriched space), combustible as for hot work, toxics below the HI limits of the "cn" profile.
Other types have no GB gas test; readings given for them are judged by the same limits but none is
required. A bad-quality reading never passes and is not counted as present.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType

from models.records import HotWorkGrade, PermitType, Quality, Reading
from models.rules.findings import (
    Finding,
    block,
    permit_term,
    require_aware,
    seconds,
    warn,
)

SAMPLE_BEFORE_START = timedelta(minutes=30)
CONFINED_RECORD_INTERVAL = timedelta(hours=2)

_PAUSE_LIMIT_HOT: Mapping[HotWorkGrade, timedelta] = MappingProxyType(
    {
        HotWorkGrade.SPECIAL: timedelta(minutes=30),
        HotWorkGrade.GRADE_1: timedelta(minutes=30),
        HotWorkGrade.GRADE_2: timedelta(minutes=60),
    }
)
_PAUSE_LIMIT_CONFINED = timedelta(minutes=60)

# Default toxic limits: the HI limits of the "cn" profile (brief); models/limits.py holds the profiles.
CN_TOXIC_LIMITS_PPM: Mapping[str, float] = MappingProxyType(
    {"H2S": 7.0, "CO": 17.0, "SO2": 2.0, "NH3": 25.0, "CL2": 0.5}
)
O2_MIN_PCT_VOL = 19.5
O2_MAX_PCT_VOL = 21.0
O2_ENRICHED_MAX_PCT_VOL = 23.5
METHANE_LEL_PCT_VOL = 5.0
COMBUSTIBLE_CHANNELS = ("LEL", "CH4")
_EPS = 1e-9
_FIELD = "gas_test"


def needs_gas_test(permit_type: PermitType) -> bool:
    return permit_type in (PermitType.HOT_WORK, PermitType.CONFINED_SPACE)


def needs_continuous_monitoring(permit_type: PermitType, grade: HotWorkGrade | None) -> bool:
    """Special-grade hot work (and ungraded hot work, taken at its strictest) and confined space."""
    if permit_type is PermitType.CONFINED_SPACE:
        return True
    return permit_type is PermitType.HOT_WORK and grade in (HotWorkGrade.SPECIAL, None)


def pause_retest_limit(permit_type: PermitType, grade: HotWorkGrade | None) -> timedelta | None:
    """The longest pause after which work may resume without a new test; None if no gas rule applies."""
    if permit_type is PermitType.HOT_WORK:
        return _PAUSE_LIMIT_HOT[grade if grade is not None else HotWorkGrade.SPECIAL]
    if permit_type is PermitType.CONFINED_SPACE:
        return _PAUSE_LIMIT_CONFINED
    return None


@dataclass(frozen=True)
class _Due:
    """A deadline and the finding raised once it has passed (built lazily: the message needs "now").

    ``broken`` marks a rule already broken whatever the clock says (no test at all, a start or a
    resume without a fresh test).
    """

    deadline: datetime
    make: Callable[[datetime], Finding]
    broken: bool = False

    def finding_at(self, now: datetime) -> Finding | None:
        return self.make(now) if self.broken or now > self.deadline else None


def _dues(
    permit_type: PermitType,
    grade: HotWorkGrade | None,
    *,
    last_test_at: datetime | None,
    work_started_at: datetime | None,
    paused_at: datetime | None,
    resumed_at: datetime | None,
    now: datetime,
    periodic_min: int,
    last_reading_at: datetime | None,
) -> list[_Due]:
    for name, value in (
        ("last_test_at", last_test_at),
        ("work_started_at", work_started_at),
        ("paused_at", paused_at),
        ("resumed_at", resumed_at),
        ("now", now),
        ("last_reading_at", last_reading_at),
    ):
        if value is not None:
            require_aware(value, name)
    if periodic_min < 0:
        raise ValueError(f"periodic_min must be 0 (off) or positive, got {periodic_min}")
    limit = pause_retest_limit(permit_type, grade)
    if limit is None:
        return []
    rule = _Rule(permit_term(permit_type, grade), limit, last_test_at)
    if work_started_at is None:
        return [rule.before_start(now)]
    if paused_at is not None and (resumed_at is None or resumed_at < paused_at):
        return [rule.while_paused(paused_at)]
    dues = rule.since_start(work_started_at, paused_at, resumed_at)
    if periodic_min > 0:
        dues.append(rule.periodic(work_started_at, timedelta(minutes=periodic_min)))
    if permit_type is PermitType.CONFINED_SPACE:
        dues.append(rule.confined_record(work_started_at, last_reading_at))
    return dues


_WINDOW = seconds(SAMPLE_BEFORE_START)


@dataclass(frozen=True)
class _Rule:
    """The gas-test deadlines of one permit, one method per phase of its work."""

    permit: str  # the ``permit`` parameter of the findings
    limit: timedelta  # the longest pause without a re-test
    last_test_at: datetime | None
    window: int = _WINDOW

    def pause_deadline(self, paused: datetime) -> datetime:
        deadline = paused + self.limit
        if self.last_test_at is not None and self.last_test_at >= paused:
            deadline = max(deadline, self.last_test_at + SAMPLE_BEFORE_START)
        return deadline

    def before_start(self, now: datetime) -> _Due:
        permit, window = self.permit, self.window
        if self.last_test_at is None:
            missing = block("gas_test.missing", _FIELD, permit=permit, window=window)
            return _Due(now, lambda _n: missing, broken=True)
        tested = self.last_test_at
        return _Due(
            tested + SAMPLE_BEFORE_START,
            lambda n: block("gas_test.stale", _FIELD, age=seconds(n - tested), permit=permit, window=window),
        )

    def while_paused(self, paused: datetime) -> _Due:
        permit, window, limit = self.permit, self.window, self.limit
        return _Due(
            self.pause_deadline(paused),
            lambda n: block(
                "gas_test.retest_after_pause",
                _FIELD,
                permit=permit,
                pause=seconds(n - paused),
                limit=seconds(limit),
                window=window,
            ),
        )

    def since_start(
        self, started: datetime, paused_at: datetime | None, resumed_at: datetime | None
    ) -> list[_Due]:
        """The rules already broken: a start, or a resume after a long pause, without a fresh test."""
        permit, window, last_test_at = self.permit, self.window, self.last_test_at
        dues: list[_Due] = []
        if last_test_at is None or last_test_at < started - SAMPLE_BEFORE_START:
            no_start_test = (
                block("gas_test.started_without_test", _FIELD, permit=permit, window=window)
                if last_test_at is None
                else block(
                    "gas_test.started_without_test",
                    _FIELD,
                    text="gas_test.started_after_old_test",
                    permit=permit,
                    window=window,
                    age=seconds(started - last_test_at),
                )
            )
            deadline = started if last_test_at is None else last_test_at + SAMPLE_BEFORE_START
            dues.append(_Due(deadline, lambda _n: no_start_test, broken=True))
        if paused_at is not None and resumed_at is not None and resumed_at > self.pause_deadline(paused_at):
            no_resume_test = block(
                "gas_test.resumed_without_retest",
                _FIELD,
                permit=permit,
                pause=seconds(resumed_at - paused_at),
                limit=seconds(self.limit),
                window=window,
            )
            dues.append(_Due(self.pause_deadline(paused_at), lambda _n: no_resume_test, broken=True))
        return dues

    def periodic(self, started: datetime, period: timedelta) -> _Due:
        reference = self.last_test_at if self.last_test_at is not None else started
        return _Due(
            reference + period,
            lambda n: warn(
                "gas_test.periodic_overdue", _FIELD, period=seconds(period), age=seconds(n - reference)
            ),
        )

    def confined_record(self, started: datetime, last_reading_at: datetime | None) -> _Due:
        records = [t for t in (self.last_test_at, last_reading_at) if t is not None]
        record = max(records) if records else started
        return _Due(
            record + CONFINED_RECORD_INTERVAL,
            lambda n: warn(
                "gas_test.record_overdue",
                _FIELD,
                period=seconds(CONFINED_RECORD_INTERVAL),
                age=seconds(n - record),
            ),
        )


def gas_test_findings(
    permit_type: PermitType,
    grade: HotWorkGrade | None,
    *,
    last_test_at: datetime | None,
    work_started_at: datetime | None = None,
    paused_at: datetime | None = None,
    resumed_at: datetime | None = None,
    now: datetime,
    periodic_min: int = 0,
    last_reading_at: datetime | None = None,
    monitoring_online: bool | None = None,
) -> list[Finding]:
    """Every timing rule broken at ``now``, blocking ones first.

    ``work_started_at`` None means work has not started (``now`` is then the intended start);
    ``paused_at`` after ``resumed_at`` (or no ``resumed_at``) means work is paused now.
    ``last_reading_at`` is the last continuous-monitoring reading recorded (confined space).
    ``monitoring_online`` False on a permit that needs continuous monitoring blocks; None = unknown.
    """
    dues = _dues(
        permit_type,
        grade,
        last_test_at=last_test_at,
        work_started_at=work_started_at,
        paused_at=paused_at,
        resumed_at=resumed_at,
        now=now,
        periodic_min=periodic_min,
        last_reading_at=last_reading_at,
    )
    findings = [f for f in (due.finding_at(now) for due in dues) if f is not None]
    if monitoring_online is False and needs_continuous_monitoring(permit_type, grade):
        findings.append(
            block("gas_test.no_continuous_monitoring", _FIELD, permit=permit_term(permit_type, grade))
        )
    return sorted(findings, key=lambda f: f.severity != "block")


def gas_test_due(
    permit_type: PermitType,
    grade: HotWorkGrade | None,
    *,
    last_test_at: datetime | None,
    work_started_at: datetime | None = None,
    paused_at: datetime | None = None,
    resumed_at: datetime | None = None,
    now: datetime,
    periodic_min: int = 0,
    last_reading_at: datetime | None = None,
    monitoring_online: bool | None = None,
) -> Finding | None:
    """The most pressing timing finding at ``now`` (blocking before warning), or None."""
    findings = gas_test_findings(
        permit_type,
        grade,
        last_test_at=last_test_at,
        work_started_at=work_started_at,
        paused_at=paused_at,
        resumed_at=resumed_at,
        now=now,
        periodic_min=periodic_min,
        last_reading_at=last_reading_at,
        monitoring_online=monitoring_online,
    )
    return findings[0] if findings else None


def next_gas_test_due(
    permit_type: PermitType,
    grade: HotWorkGrade | None,
    *,
    last_test_at: datetime | None,
    work_started_at: datetime | None = None,
    paused_at: datetime | None = None,
    resumed_at: datetime | None = None,
    now: datetime,
    periodic_min: int = 0,
    last_reading_at: datetime | None = None,
) -> datetime | None:
    """The earliest deadline for a gas test (for countdowns); it may lie in the past (overdue).

    Before the start it is the last moment work may start on the last test (``now`` when none);
    while paused, the moment the pause needs a re-test; while working, the next periodic re-test or
    2-hourly confined-space record. None when no rule sets a deadline.
    """
    dues = _dues(
        permit_type,
        grade,
        last_test_at=last_test_at,
        work_started_at=work_started_at,
        paused_at=paused_at,
        resumed_at=resumed_at,
        now=now,
        periodic_min=periodic_min,
        last_reading_at=last_reading_at,
    )
    return min((due.deadline for due in dues), default=None)


def combustible_limit_pct_vol(lel_pct_vol: float) -> float:
    """GB 30871 hot-work limit: 0.5 %VOL for gases whose LEL is ≥ 4 %VOL, 0.2 %VOL for the others."""
    return 0.5 if lel_pct_vol >= 4.0 else 0.2


def _fmt(value: float) -> str:
    return f"{value:g}"


def judge_gas_test(
    permit_type: PermitType,
    readings: Sequence[Reading],
    *,
    combustible_lel_pct_vol: float = METHANE_LEL_PCT_VOL,
    toxic_limits_ppm: Mapping[str, float] = CN_TOXIC_LIMITS_PPM,
    oxygen_enriched: bool = False,
) -> list[Finding]:
    """Findings for one gas test; an empty list means the test passes.

    ``combustible_lel_pct_vol`` is the LEL of the gas the LEL channel measures (methane 5 %VOL by
    default): it converts %LEL to %VOL and chooses the 0.5 or 0.2 %VOL limit. The CH4 channel is
    methane. ``oxygen_enriched`` lets O₂ go up to 23.5 %VOL for a space the site declares
    oxygen-enriched (富氧环境); above 23.5 never passes.
    """
    if combustible_lel_pct_vol <= 0:
        raise ValueError(f"combustible_lel_pct_vol must be positive, got {combustible_lel_pct_vol}")
    findings: list[Finding] = []
    label = permit_term(permit_type)
    toxic = {ch.upper(): limit for ch, limit in toxic_limits_ppm.items()}
    judged = {*COMBUSTIBLE_CHANNELS, "O2", *toxic}
    seen: set[str] = set()
    for r in readings:
        ch = r.ch.upper()
        if ch not in judged:
            continue
        if r.quality is Quality.BAD:
            findings.append(block("gas_test.bad_quality", _FIELD, channel=ch))
            continue
        if r.quality is Quality.UNCERTAIN:
            findings.append(
                warn("gas_test.uncertain_quality", _FIELD, channel=ch, value=_fmt(r.value), unit=r.unit)
            )
        if ch in COMBUSTIBLE_CHANNELS:
            lel = METHANE_LEL_PCT_VOL if ch == "CH4" else combustible_lel_pct_vol
            finding, counted = _judge_combustible(r, ch, lel, label)
            kind = "combustible"
        elif ch == "O2":
            finding, counted = _judge_oxygen(r, oxygen_enriched)
            kind = "O2"
        else:
            finding, counted, kind = _judge_toxic(r, ch, toxic[ch]), False, ch
        if counted:
            seen.add(kind)
        if finding is not None:
            findings.append(finding)
    return findings + _missing_readings(permit_type, seen, label)


def _judge_combustible(r: Reading, ch: str, lel: float, label: str) -> tuple[Finding | None, bool]:
    """The finding for one combustible reading (``lel``: its gas's LEL in %VOL), and whether it counts
    as the test's combustible reading (it does when its unit can be judged)."""
    if r.unit == "%VOL":
        vol = r.value
        shown: dict[str, str] = {}
    elif r.unit == "%LEL":
        vol = r.value * lel / 100.0
        shown = {"text": "gas_test.combustible_high_lel", "vol": _fmt(round(vol, 4)), "lel": _fmt(lel)}
    else:
        return _bad_unit(ch, r.unit, "%LEL or %VOL"), False
    limit = combustible_limit_pct_vol(lel)
    if vol > limit + _EPS:
        return block(
            "gas_test.combustible_high",
            _FIELD,
            channel=ch,
            value=_fmt(r.value),
            limit_vol=_fmt(limit),
            permit=label,
            **shown,
        ), True
    return None, True


def _judge_oxygen(r: Reading, oxygen_enriched: bool) -> tuple[Finding | None, bool]:
    if r.unit != "%VOL":
        return _bad_unit("O2", r.unit, "%VOL"), False
    upper = O2_ENRICHED_MAX_PCT_VOL if oxygen_enriched else O2_MAX_PCT_VOL
    if r.value < O2_MIN_PCT_VOL - _EPS:
        return block("gas_test.oxygen_low", _FIELD, value=_fmt(r.value), bound=_fmt(O2_MIN_PCT_VOL)), True
    if r.value > upper + _EPS:
        return block("gas_test.oxygen_high", _FIELD, value=_fmt(r.value), bound=_fmt(upper)), True
    return None, True


def _judge_toxic(r: Reading, ch: str, limit: float) -> Finding | None:
    if r.unit != "ppm":
        return _bad_unit(ch, r.unit, "ppm")
    if r.value >= limit - _EPS:
        return block("gas_test.toxic_high", _FIELD, channel=ch, value=_fmt(r.value), bound=_fmt(limit))
    return None


def _missing_readings(permit_type: PermitType, seen: set[str], label: str) -> list[Finding]:
    findings: list[Finding] = []
    if permit_type in (PermitType.HOT_WORK, PermitType.CONFINED_SPACE) and "combustible" not in seen:
        findings.append(block("gas_test.no_combustible", _FIELD, permit=label))
    if permit_type is PermitType.CONFINED_SPACE and "O2" not in seen:
        findings.append(block("gas_test.no_oxygen", _FIELD))
    return findings


def _bad_unit(ch: str, unit: str, expected: str) -> Finding:
    return block("gas_test.bad_unit", _FIELD, channel=ch, unit=unit, expected=expected)
