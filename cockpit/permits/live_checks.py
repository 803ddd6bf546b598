"""The permit rules judged while the work runs: supervisor check-ins, wind, gas re-tests after a pause.

The permit monitor (``cockpit.permit_monitor``) calls these: the database reads on its database worker,
the verdicts on the core thread. New alarm conditions are codes (``LIVE_CONDITIONS``), named on screen by
``widgets.alarm_words``; their messages carry the parameters for the journal and the popup's detail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cockpit.permits import facts
from cockpit.permits.records import PermitConfig
from models.records import HotWorkGrade, PermitEvent, PermitEventType, PermitType, Priority
from models.rules.alarm_texts import alarm_message
from models.rules.findings import permit_term
from models.rules.gas_tests import pause_retest_limit
from models.rules.grading import BEAUFORT_5_M_S, GRADE_ORDER, beaufort_force, effective_grade
from models.rules.photo_evidence import photos_of
from models.schema import GasTest, Permit, PermitEventRow

# Alarm conditions raised here (codes; the screens name them through widgets.alarm_words).
CHECKIN_STOP_PROPOSED = "CHECKIN_STOP_PROPOSED"
WIND_GRADE_ABOVE_APPROVAL = "WIND_GRADE_ABOVE_APPROVAL"
RESUMED_WITHOUT_GAS_TEST = "RESUMED_WITHOUT_GAS_TEST"
RESUMED_AFTER_FAILED_GAS_TEST = "RESUMED_AFTER_FAILED_GAS_TEST"
STARTED_WITHOUT_PHOTO = "STARTED_WITHOUT_PHOTO"  # a required key-step photo never referenced (issue 23)
LIVE_CONDITIONS: dict[str, Priority] = {
    CHECKIN_STOP_PROPOSED: Priority.HIGH,
    WIND_GRADE_ABOVE_APPROVAL: Priority.HIGH,
    RESUMED_WITHOUT_GAS_TEST: Priority.HIGH,
    RESUMED_AFTER_FAILED_GAS_TEST: Priority.HIGH,
    STARTED_WITHOUT_PHOTO: Priority.MEDIUM,
}
# A supervisor's overdue check-in is priority 2 (not the engine's default 3 for CHECKIN_OVERDUE).
CHECKIN_OVERDUE_PRIORITY = Priority.HIGH

# Why an area may not resume (``ResumeRefused``), as a code heading its sentence.
RESUME_GAS_TEST_FAILED = "gas_test_failed"


@dataclass(frozen=True)
class PermitMarks:
    """What the live checks need of a permit's history, read from the database."""

    started_at: datetime | None = None
    last_checkin: datetime | None = None
    gas_failed: bool = False


def read_marks(s: Session, ids: Sequence[str]) -> dict[str, PermitMarks]:
    """Start, last supervisor check-in and whether the latest gas test failed, in grouped queries."""
    events: dict[str, dict[str, datetime]] = {}
    last_any: dict[str, datetime] = {}
    last_pass: dict[str, datetime] = {}
    for chunk in facts.chunks(list(ids), 500):
        for pid, etype, ts in s.execute(
            select(PermitEventRow.permit_id, PermitEventRow.type, func.max(PermitEventRow.ts))
            .where(PermitEventRow.permit_id.in_(chunk), PermitEventRow.type.in_(("started", "checkin")))
            .group_by(PermitEventRow.permit_id, PermitEventRow.type)
        ):
            events.setdefault(pid, {})[etype] = ts
        for pid, passed, ts in s.execute(
            select(GasTest.permit_id, GasTest.passed, func.max(GasTest.taken_at))
            .where(GasTest.permit_id.in_(chunk))
            .group_by(GasTest.permit_id, GasTest.passed)
        ):
            last_any[pid] = max(ts, last_any.get(pid, ts))
            if passed:
                last_pass[pid] = ts
    return {
        pid: PermitMarks(
            started_at=events.get(pid, {}).get("started"),
            last_checkin=events.get(pid, {}).get("checkin"),
            gas_failed=pid in last_any and (pid not in last_pass or last_pass[pid] < last_any[pid]),
        )
        for pid in ids
    }


def record_checkin(s: Session, permit_id: str, worker: str, ts: datetime) -> None:
    """A supervisor's check-in, kept as a permit event (it survives reloads and restarts)."""
    if s.get(Permit, permit_id) is not None:
        s.add(PermitEventRow(permit_id=permit_id, ts=ts, type="checkin", by=worker, detail={}))


@dataclass(frozen=True)
class CheckinVerdict:
    overdue: bool
    stop_proposed: bool
    since: datetime
    interval: timedelta


def checkin_verdict(
    last_checkin: datetime | None,
    started_at: datetime | None,
    valid_from: datetime | None,
    *,
    interval: timedelta,
    grace: timedelta,
    now: datetime,
) -> CheckinVerdict | None:
    """Overdue once ``interval`` passed since the last check-in (never checked in: since the start);
    a stop is proposed once it is overdue by ``grace`` more. None: nothing to time it from."""
    since = last_checkin or started_at or valid_from
    if since is None:
        return None
    late = now - since - interval
    return CheckinVerdict(late > timedelta(0), late > grace, since, interval)


@dataclass(frozen=True)
class WindFinding:
    permit_id: str
    wind_m_s: float
    force: int
    grade: HotWorkGrade
    approved: HotWorkGrade

    def message(self) -> str:
        return alarm_message(
            "wind.above_approval",
            permit_id=self.permit_id,
            wind=f"{self.wind_m_s:.1f}",
            force=self.force,
            permit=permit_term(PermitType.HOT_WORK, self.grade),
            base=permit_term(PermitType.HOT_WORK, self.approved),
        )


def wind_findings(s: Session, config: PermitConfig, winds: dict[str, float]) -> list[WindFinding]:
    """Active hot work whose grade the current wind raises above the grade it was approved at."""
    out: list[WindFinding] = []
    for pid, wind in winds.items():
        permit = s.get(Permit, pid)
        if permit is None or permit.grade is None or wind < BEAUFORT_5_M_S:
            continue
        calendar = facts.site_calendar(s, config, permit.site_id)
        window = (permit.valid_from, permit.valid_to)
        windy = effective_grade(permit.grade, *window, calendar, wind).grade
        calm = effective_grade(permit.grade, *window, calendar, None).grade
        approved = permit.effective_grade or permit.grade
        # Only the wind's doing: night or a rest day raised it already (and was approved, or not, at
        # approval), and GB 30871 raises a grade once in total.
        rank = GRADE_ORDER.index
        if rank(windy) > rank(calm) and rank(windy) > rank(approved):
            out.append(WindFinding(pid, wind, beaufort_force(wind), windy, approved))
    return out


def start_alarms(
    s: Session, permit: Permit, ev: PermitEvent, site_limit_min: int, photo_steps: Mapping[str, Sequence[str]]
) -> list[tuple[str, str]]:
    """(condition, message) for a field ``started`` or ``resumed`` of an approved or active permit: a
    resume's gas-test rules (``resume_alarms``); a start without a reference to every key-step photo its
    type requires, in this event or an earlier one (the hash is checked where the photo is shown: a
    fetch has no place on the database worker)."""
    if ev.type is PermitEventType.RESUMED:
        return resume_alarms(s, permit, ev.ts, site_limit_min)
    required = photo_steps.get(PermitType(permit.type).value, ())
    if ev.type is not PermitEventType.STARTED or not required:
        return []
    shown = {p.step for p in ev.photos}
    earlier = s.scalars(
        select(PermitEventRow.detail).where(PermitEventRow.permit_id == permit.id, PermitEventRow.ts <= ev.ts)
    )
    for detail in earlier:
        shown |= {p.step for p in photos_of(detail or {})}
    missing = [step for step in required if step not in shown]
    if not missing:
        return []
    message = alarm_message("permit.started_without_photo", permit_id=permit.id, step=",".join(missing))
    return [(STARTED_WITHOUT_PHOTO, message)]


def resume_alarms(
    s: Session, permit: Permit, resumed_at: datetime, site_limit_min: int
) -> list[tuple[str, str]]:
    """(condition, message) for a field ``resumed``: after a failed gas test, or after a long pause
    without a passing test since it (GB 30871 §5.3 and the site's ``pause_retest_min``)."""
    pid = permit.id
    latest = s.execute(
        select(GasTest.passed, GasTest.taken_at)
        .where(GasTest.permit_id == pid, GasTest.taken_at <= resumed_at)
        .order_by(GasTest.taken_at.desc())
        .limit(1)
    ).first()
    if latest is not None and not latest.passed:
        return [(RESUMED_AFTER_FAILED_GAS_TEST, alarm_message("resume.after_failed_test", permit_id=pid))]
    paused_at = s.scalar(
        select(func.max(PermitEventRow.ts)).where(
            PermitEventRow.permit_id == pid, PermitEventRow.type == "paused", PermitEventRow.ts <= resumed_at
        )
    )
    limit = pause_limit(PermitType(permit.type), permit.effective_grade or permit.grade, site_limit_min)
    if paused_at is None or limit is None or resumed_at - paused_at <= limit:
        return []
    if latest is not None and latest.taken_at >= paused_at:
        return []
    minutes = (resumed_at - paused_at).total_seconds() / 60
    return [
        (
            RESUMED_WITHOUT_GAS_TEST,
            alarm_message(
                "resume.long_pause",
                permit_id=pid,
                minutes=f"{minutes:.0f}",
                most=f"{limit.total_seconds() / 60:.0f}",
            ),
        )
    ]


def paused_too_long(
    paused_at: datetime | None,
    resumed_at: datetime | None,
    last_test_at: datetime | None,
    now: datetime,
    site_limit_min: int,
) -> str | None:
    """While paused: the whole minutes paused, once the pause passed the site's stricter limit with no
    passing test since (GB 30871's own limits are judged by ``models.rules.gas_tests``); else None."""
    if site_limit_min <= 0 or paused_at is None or (resumed_at is not None and resumed_at >= paused_at):
        return None
    if last_test_at is not None and last_test_at >= paused_at:
        return None
    paused = now - paused_at
    if paused <= timedelta(minutes=site_limit_min):
        return None
    return f"{paused.total_seconds() / 60:.0f}"


def pause_limit(permit_type: PermitType, grade: HotWorkGrade | None, site_limit_min: int) -> timedelta | None:
    """The longest pause without a re-test: GB 30871's, or the site's if it is stricter."""
    limit = pause_retest_limit(permit_type, grade)
    if site_limit_min > 0:
        site = timedelta(minutes=site_limit_min)
        return site if limit is None else min(limit, site)
    return limit
