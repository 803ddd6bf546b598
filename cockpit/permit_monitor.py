"""Permit monitoring beside the core: the cache of live permits, its timers, and the field's permit traffic.

What it owns: ``permits`` (the live permits by id, as ``PermitInfo``) and ``site_policy``, both read and
changed on the core thread only; the 10 s timers (validity, supervisor check-in, GB 30871 gas re-tests,
late approvals); the field's permit events (contract §4) and applications (§5), which it records on the
database worker; the permit states the cockpit publishes (§6).

What it may do to the rest of the core is narrow: raise an alarm event, ask whether one is active, say
that permits changed, and run something on the core thread (``AlarmDesk``). Work on the database
worker comes back to the core thread through ``call`` before it touches the cache or the engine.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cockpit.config import Config
from cockpit.core_state import PermitInfo
from cockpit.held_requests import HeldApplications
from cockpit.permits import live_checks
from cockpit.permits.facts import Wind
from cockpit.permits.records import Escalation, PermitStateChange
from cockpit.permits.review import ReviewOverdue
from cockpit.permits.transitions import apply_transition
from cockpit.wire import dumps, permit_state_body, permit_state_message
from connectors.contract_fields import FieldError
from connectors.contract_replies import encode_reply, reply_failure
from connectors.database import Database
from connectors.topics import Topics
from models.alarms import Condition
from models.audit import append_audit
from models.records import (
    HotWorkGrade,
    PermitEvent,
    PermitEventType,
    PermitRequest,
    PermitStatus,
    PermitType,
    Priority,
    WorkerEvent,
)
from models.rules.alarm_texts import alarm_message, retest_message
from models.rules.gas_tests import judge_gas_test
from models.rules.permit_state import LIVE_STATUSES
from models.rules.photo_evidence import photo_list
from models.schema import GasTest, Permit, PermitEventRow, Site

log = logging.getLogger(__name__)

CHECK_INTERVAL_S = 10.0
# After a start, absence is judged only once the field had time to speak: the check-ins the broker kept
# for this console (QoS 1, persistent session) and those a field sends on reconnect arrive first.
CHECKIN_SETTLE = timedelta(seconds=60)
STOP_PERMIT_TYPES = frozenset({PermitType.HOT_WORK, PermitType.CONFINED_SPACE})


@dataclass(frozen=True)
class AlarmDesk:
    """What the permit monitor may ask of the core. ``raise_event``, ``event_active`` and
    ``permits_changed`` run on the core thread only; ``call`` and ``run_later`` from any thread."""

    raise_event: Callable[..., None]  # AlarmEngine.raise_event's keywords; the transitions are emitted
    clear_event: Callable[[str, str, datetime, str], None]  # (source, condition, ts, who)
    event_active: Callable[[str, str], bool]  # (source, condition)
    permits_changed: Callable[[], None]
    call: Callable[[Callable[[], Any]], Future[Any]]  # run on the core thread
    run_later: Callable[..., Future[Any]]  # run on the database worker
    publish: Callable[[str, bytes, int, bool], object]


class PermitMonitor:
    def __init__(
        self,
        config: Config,
        db: Database,
        topics: Topics,
        desk: AlarmDesk,
        *,
        console: str,
        clock: Callable[[], datetime],
        wind: Wind = lambda site, area: None,
        on_escalations: Callable[[list[Escalation | ReviewOverdue]], None] = lambda new: None,
        more_timers: Callable[[datetime], None] = lambda now: None,
        duty: Callable[[], bool] = lambda: True,
    ) -> None:
        self.config = config
        self.db = db
        self.topics = topics
        self.desk = desk
        self.console = console
        self.clock = clock
        self.wind = wind  # the live wind (m/s) at a site and area: wind masts grade hot work up
        # Database worker, with the escalation steps just recorded (committed): O(1), no I/O (the notifier)
        self.on_escalations = on_escalations
        # Database worker, the duty holder, after the permit timers: other paperwork's timers (the
        # defect work orders' escalation, cockpit/inspection/intake.py)
        self.more_timers = more_timers
        # The plant's duties (cockpit/duty_lease.py): escalations and the replies to applications run
        # only where this says the instance holds them, so the field gets one answer, not one per console.
        self.duty = duty
        self.held = HeldApplications(db, duty, desk.run_later, self.on_request, clock=clock)  # the gap
        self.permits: dict[str, PermitInfo] = {}
        # The same by (site, area), for a stop's path (it scanned the whole cache three times); rebuilt
        # in ``load``, the only place permits come and go (a permit never changes area)
        self._by_area: dict[tuple[str, str], list[PermitInfo]] = {}
        self._copies: dict[str, tuple[tuple[object, ...], PermitInfo]] = {}  # copies()' last
        self.site_policy: dict[str, str] = {}
        self._last_check = 0.0
        self._checkins_from: datetime | None = None  # the first check's time + CHECKIN_SETTLE

    # --- the cache (core thread) ------------------------------------------------------------------------

    def load(self) -> None:
        with self.db.session() as session:
            self.site_policy = {s.id: s.stop_policy.value for s in session.scalars(select(Site))}
            rows = list(session.scalars(select(Permit).where(Permit.status.in_(list(LIVE_STATUSES)))))
            marks = live_checks.read_marks(session, [p.id for p in rows])
        old, self.permits = self.permits, {}
        for p in rows:
            info = _info(p, marks[p.id])
            seen = old.get(p.id)
            if seen is not None and seen.last_checkin is not None:
                # A check-in is written on the database worker: one that arrived just before this read
                # may not be on record yet, and must not be forgotten.
                info.last_checkin = max(filter(None, (info.last_checkin, seen.last_checkin)))
            self.permits[p.id] = info
        self._by_area = {}
        for info in self.permits.values():
            self._by_area.setdefault((info.site, info.area), []).append(info)

    def in_area(self, site: str, area: str) -> list[PermitInfo]:
        """Core thread: the area's live permits, from the cache (the caller does not change the list)."""
        return self._by_area.get((site, area), [])

    def copies(self) -> dict[str, PermitInfo]:
        """The cache as copies for the read model (every 250 ms), an unchanged permit's copy reused:
        its fields are plain values, so comparing them costs less than copying (cockpit/core_state.py)."""
        kept: dict[str, tuple[tuple[object, ...], PermitInfo]] = {}
        for pid, info in self.permits.items():
            shown = tuple(vars(info).values())
            last = self._copies.get(pid)
            kept[pid] = last if last is not None and last[0] == shown else (shown, replace(info))
        self._copies = kept
        return {pid: copy for pid, (_shown, copy) in kept.items()}

    def reload(self) -> None:
        """Core thread: read the cache again after a permit changed elsewhere, and tell the screens."""
        self.load()
        self.desk.permits_changed()

    def set_status(self, permit_ids: list[str], status: PermitStatus) -> None:
        """What stop-work did to the permits (suspended, active again), before the database says so."""
        for pid in permit_ids:
            info = self.permits.get(pid)
            if info is not None:
                info.status = status

    def stop_policy(self, site: str) -> str:
        """The site's stop-work policy: the configuration's, else the database's ("auto" by default)."""
        if site in self.config.sites:
            return self.config.sites[site].stop_policy
        return self.site_policy.get(site, "auto")

    def checkin_stop_policy(self, site: str) -> str:
        """What a supervisor absent past the grace does: "propose" (the default) or "auto"."""
        return self.config.site(site).checkin_stop_policy

    def stoppable(self, site: str, area: str) -> list[PermitInfo]:
        """Active permits in the area whose work an automatic stop protects (hot work, confined space)."""
        active = PermitStatus.ACTIVE
        return [p for p in self.in_area(site, area) if p.status is active and p.type in STOP_PERMIT_TYPES]

    def on_checkin(self, ev: WorkerEvent, now: datetime) -> None:
        """A worker checked in (contract §3): a supervisor's check-in on a live permit restarts its
        check-in clock (kept in the database), and clears an overdue check-in and its stop proposal."""
        info = self.permits.get(ev.permit) if ev.role == "supervisor" and ev.permit else None
        if info is None:
            return
        info.last_checkin = max(filter(None, (info.last_checkin, ev.ts)))
        self.desk.run_later(self._record_checkin, info.id, ev.worker, ev.ts)
        for condition in (Condition.CHECKIN_OVERDUE, live_checks.CHECKIN_STOP_PROPOSED):
            self.desk.clear_event(f"permit:{info.id}", condition, now, ev.worker)

    def _record_checkin(self, permit_id: str, worker: str, ts: datetime) -> None:
        """Database worker: the check-in on record, so that a reload or a restart keeps it."""
        try:
            with self.db.session() as session:
                live_checks.record_checkin(session, permit_id, worker, ts)
        except Exception:
            log.exception("check-in of %s on %s could not be recorded", worker, permit_id)

    def resume_blockers(self, site: str, area: str) -> list[str]:
        """Core thread: why the area may not resume, or nothing; each reason is ``code(params): sentence``
        (``views.permit_reasons`` translates it)."""
        return [
            f"{live_checks.RESUME_GAS_TEST_FAILED}(permit={p.id}): the last gas test of permit {p.id} "
            "failed; a passing gas test is needed before work resumes"
            for p in self.in_area(site, area)
            if p.gas_failed
        ]

    # --- contract §6: what the cockpit publishes ----------------------------------------------------------

    def publish_open(self, now: datetime) -> None:
        """Contract §6: every permit that is not closed is published when the cockpit starts."""
        with self.db.session() as session:
            for p in session.scalars(select(Permit).where(Permit.status.in_(list(LIVE_STATUSES)))):
                topic, payload = permit_state_message(
                    self.topics, p, status=str(p.status), by=self.console, ts=now
                )
                self.desk.publish(topic, payload, 1, True)

    def publish_state(self, change: PermitStateChange) -> None:
        """For the permit service: every change goes out (contract §6), from any thread."""
        body = permit_state_body(
            ts=self.clock(),
            type_=str(change.type),
            grade=str(change.grade) if change.grade else None,
            status=str(change.status),
            valid_to=change.valid_to,
            by=change.by,
        )
        topic = self.topics.permit_state(change.site, change.area, change.permit)
        self.desk.publish(topic, dumps(body), 1, True)
        self.desk.call(self.reload)

    # --- timers -------------------------------------------------------------------------------------------

    def tick(self, now: datetime) -> None:
        """Core thread, from the core's tick: the permit checks every 10 s."""
        self.held.tick()  # applications that came while nobody held the duties, on taking them over
        mono = time.monotonic()
        if mono - self._last_check >= CHECK_INTERVAL_S:
            self._last_check = mono
            self.check(now)

    def check(self, now: datetime) -> None:
        """Permits past their validity and overdue check-ins from memory; overdue gas re-tests and
        approval escalations from the database, on the database worker."""
        if self._checkins_from is None:
            self._checkins_from = now + CHECKIN_SETTLE
        for p in list(self.permits.values()):
            if p.status is not PermitStatus.ACTIVE:
                continue
            if p.valid_to < now:
                self._raise_once(
                    p, Condition.PERMIT_EXPIRED, f"permit {p.id} is active past its validity", now
                )
            if now >= self._checkins_from:
                self._check_checkin(p, now)
        active = [replace(p) for p in self.permits.values() if p.status is PermitStatus.ACTIVE]
        winds: dict[str, float] = {}
        places: dict[tuple[str, str], float | None] = {}  # one reading of the masts per place
        for p in active:
            if p.type is not PermitType.HOT_WORK:
                continue
            if (p.site, p.area) not in places:
                places[p.site, p.area] = self.wind(p.site, p.area)
            wind = places[p.site, p.area]
            if wind is not None:
                winds[p.id] = wind
        self.desk.run_later(self._timers, active, now, winds)

    def _check_checkin(self, p: PermitInfo, now: datetime) -> None:
        """Overdue check-in: priority 2; overdue by the grace more: a stop proposal (the operator stops)."""
        verdict = live_checks.checkin_verdict(
            p.last_checkin,
            p.started_at,
            None,
            interval=self.config.checkin_interval(p.type.value),
            grace=timedelta(minutes=self.config.permits.checkin_stop_grace_min),
            now=now,
        )
        if verdict is None or not verdict.overdue:
            return
        minutes = verdict.interval.total_seconds() / 60
        code = "checkin.late" if p.last_checkin is not None else "checkin.never"
        who = dict(supervisor=p.supervisor, minutes=f"{minutes:.0f}")
        message = alarm_message(code, **who)
        self._raise_once(p, Condition.CHECKIN_OVERDUE, message, now, live_checks.CHECKIN_OVERDUE_PRIORITY)
        if verdict.stop_proposed:
            self._raise_once(
                p,
                live_checks.CHECKIN_STOP_PROPOSED,
                alarm_message(f"{code}_stop", **who, permit_id=p.id),
                now,
                live_checks.LIVE_CONDITIONS[live_checks.CHECKIN_STOP_PROPOSED],
            )

    def _raise_once(
        self, p: PermitInfo, condition: str, message: str, now: datetime, priority: Priority | None = None
    ) -> None:
        if not self.desk.event_active(f"permit:{p.id}", condition):
            self.desk.raise_event(
                source=f"permit:{p.id}",
                condition=condition,
                site=p.site,
                area=p.area,
                ts=now,
                message=message,
                permit=p.id,
                priority=priority,
            )

    def _timers(self, active: list[PermitInfo], now: datetime, winds: dict[str, float] | None = None) -> None:
        """Database worker: GB 30871 re-test rules on active permits, hot work the wind grades above its
        approval, escalation of late approvals."""
        from cockpit.permit_service import PermitConfig, PermitService
        from cockpit.permits.escalation import record_escalations
        from cockpit.permits.review import record_overdue_reviews

        try:
            overdue = self._overdue_retests(active, now)
            permit_config = PermitConfig.from_config(self.config)
            with self.db.session() as session:
                windy = live_checks.wind_findings(session, permit_config, winds or {})
            service = PermitService(self.db, clock=self.clock, config=permit_config)
            # Paperwork, not an alarm (docs/ALARMS.md): each escalation step is a permit event,
            # and the task lane shows the permits waiting.
            escalated: list[Escalation | ReviewOverdue] = []
            if self.duty():  # and an overdue green-channel review, to the site's safety manager
                with self.db.session() as session:
                    escalated += record_escalations(session, service.escalations(now), now)
                    escalated += record_overdue_reviews(session, permit_config, now)
        except Exception:
            log.exception("permit timers could not be checked")
            return
        if escalated:  # committed: each step is told once, even across a restart (docs/NOTIFICATIONS.md)
            self.on_escalations(escalated)
        if self.duty():
            try:
                self.more_timers(now)
            except Exception:
                log.exception("work-order timers could not be checked")

        def raise_all() -> None:
            for pid, message in overdue:
                info = self.permits.get(pid)
                if info is not None:
                    self._raise_once(info, Condition.GAS_RETEST_OVERDUE, message, now)
            for found in windy:
                info = self.permits.get(found.permit_id)
                if info is not None and info.status is PermitStatus.ACTIVE:
                    condition = live_checks.WIND_GRADE_ABOVE_APPROVAL
                    self._raise_once(
                        info, condition, found.message(), now, live_checks.LIVE_CONDITIONS[condition]
                    )

        self.desk.call(raise_all)

    def _overdue_retests(self, active: list[PermitInfo], now: datetime) -> list[tuple[str, str]]:
        """Database worker: (permit, finding) for every active permit whose gas re-test is due."""
        from models.rules.gas_tests import gas_test_due

        ids = [p.id for p in active]
        with self.db.session() as session:
            # Two grouped queries, not two per permit: this runs every 10 s beside the core, in
            # the same process, and 80 small queries for 40 permits took 135 ms of its time.
            last_tests: dict[str, datetime] = {
                pid: ts
                for pid, ts in session.execute(
                    select(GasTest.permit_id, func.max(GasTest.taken_at))
                    .where(GasTest.permit_id.in_(ids), GasTest.passed.is_(True))
                    .group_by(GasTest.permit_id)
                )
            }
            marks: dict[tuple[str, str], datetime] = {
                (pid, etype): ts
                for pid, etype, ts in session.execute(
                    select(PermitEventRow.permit_id, PermitEventRow.type, func.max(PermitEventRow.ts))
                    .where(
                        PermitEventRow.permit_id.in_(ids),
                        PermitEventRow.type.in_(("started", "paused", "resumed")),
                    )
                    .group_by(PermitEventRow.permit_id, PermitEventRow.type)
                )
            }
        overdue: list[tuple[str, str]] = []
        for p in active:
            finding = gas_test_due(
                p.type,
                HotWorkGrade(p.grade) if p.grade else None,
                last_test_at=last_tests.get(p.id),
                work_started_at=marks.get((p.id, "started")),
                paused_at=marks.get((p.id, "paused")),
                resumed_at=marks.get((p.id, "resumed")),
                now=now,
                periodic_min=self.config.site(p.site).periodic_gas_retest_min,
            )
            if finding is not None:
                overdue.append(
                    (p.id, retest_message(p.id, finding.text_key, finding.params, finding.message))
                )
                continue
            paused_min = live_checks.paused_too_long(
                marks.get((p.id, "paused")),
                marks.get((p.id, "resumed")),
                last_tests.get(p.id),
                now,
                self.config.site(p.site).pause_retest_min,
            )
            if paused_min is not None and p.type in STOP_PERMIT_TYPES:
                most = self.config.site(p.site).pause_retest_min
                overdue.append(
                    (p.id, alarm_message("retest.site_pause", permit_id=p.id, minutes=paused_min, most=most))
                )
        return overdue

    # --- contract §4 and §5 (database worker) --------------------------------------------------------------

    def field_routes(self) -> dict[type, Callable[[Any], None]]:
        """What the core hands this monitor on its database worker, by record type."""
        return {PermitEvent: self.on_event, PermitRequest: self.on_request}

    def on_event(self, ev: PermitEvent) -> None:
        """Contract §4: record it, judge a gas test, flag work without a valid permit."""
        try:
            alarms: list[dict[str, Any]] = []
            moved: tuple[str, bytes] | None = None  # the permit's new state (§6), once it is on record
            with self.db.session() as session:
                permit = session.get(Permit, ev.permit)
                detail: dict[str, Any] = {"photos": photo_list(ev.photos)} if ev.photos else {}  # issue 23
                if ev.type is PermitEventType.GAS_TEST and ev.gas_test is not None:
                    detail |= self._record_gas_test(session, permit, ev, alarms)
                to_status = self._judge_start(session, permit, ev, alarms)
                audit = {"site": ev.site, "area": ev.area, **detail}
                action = f"permit_event.{ev.type.value}"
                if permit is not None:
                    apply_transition(
                        session,
                        permit,
                        to_status,
                        by=ev.by,
                        ts=ev.ts,
                        event_type=ev.type.value,
                        detail=detail,
                        audit_action=action,
                        audit_details=audit,
                    )
                    if to_status is not None:
                        moved = permit_state_message(
                            self.topics, permit, status=to_status.value, by=ev.by, ts=ev.ts
                        )
                else:  # an unknown permit: nothing to move, but the field's word is on record
                    append_audit(
                        session, actor=ev.by, action=action, subject=ev.permit, details=audit, ts=ev.ts
                    )
        except Exception:
            log.exception("permit event %s on %s could not be recorded", ev.type, ev.permit)
            return
        if moved is not None:
            # On record now: the field hears it (§6), and the core's cache follows at once, so that a gas
            # alarm in the area stops this work and the permit's timers watch it.
            self.desk.publish(*moved, 1, True)
            self.desk.call(functools.partial(self._now_active, ev.permit, ev.ts))
        if ev.type is PermitEventType.GAS_TEST and "passed" in detail:
            self.desk.call(functools.partial(self._gas_result, ev.permit, not detail["passed"]))
        for spec in alarms:
            self.desk.call(functools.partial(self.desk.raise_event, **spec))

    def _judge_start(
        self, session: Session, permit: Permit | None, ev: PermitEvent, alarms: list[dict[str, Any]]
    ) -> PermitStatus | None:
        """A ``started`` or ``resumed``: work without a valid permit, a resume after a failed gas test or
        a long pause without a re-test, a start without its key-step photo are alarms; approved work that
        starts turns active."""
        if ev.type not in (PermitEventType.STARTED, PermitEventType.RESUMED):
            return None
        if permit is None or permit.status not in (PermitStatus.APPROVED, PermitStatus.ACTIVE):
            if permit is None:
                message = alarm_message(f"permit.unknown_{ev.type.value}", permit_id=ev.permit)
            else:
                code = f"permit.no_valid_{ev.type.value}"
                message = alarm_message(code, permit_id=ev.permit, status=permit.status.value)
            alarms.append(_permit_alarm(ev, Condition.NO_VALID_PERMIT, message))
            return None
        site_min, steps = self.config.site(ev.site).pause_retest_min, self.config.permits.photo_steps
        for condition, message in live_checks.start_alarms(session, permit, ev, site_min, steps):
            spec = _permit_alarm(ev, condition, message)
            alarms.append({**spec, "priority": live_checks.LIVE_CONDITIONS[condition]})
        # The one permit move the core makes: approved work turns active when the field reports it started.
        return PermitStatus.ACTIVE if permit.status is PermitStatus.APPROVED else None

    def _now_active(self, permit_id: str, started_at: datetime) -> None:
        """Core thread: a started permit is active in the cache too; its check-in clock runs from now."""
        self.set_status([permit_id], PermitStatus.ACTIVE)
        info = self.permits.get(permit_id)
        if info is not None and info.started_at is None:
            info.started_at = started_at
        self.desk.permits_changed()

    def _gas_result(self, permit_id: str, failed: bool) -> None:
        """Core thread: a failed gas test keeps the area from resuming until one passes."""
        info = self.permits.get(permit_id)
        if info is not None:
            info.gas_failed = failed

    @staticmethod
    def _record_gas_test(
        session: Session, permit: Permit | None, ev: PermitEvent, alarms: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Judge a field gas test (GB 30871), keep it with the permit; a failed one becomes an alarm."""
        assert ev.gas_test is not None
        ptype = PermitType(permit.type) if permit else PermitType.HOT_WORK
        findings = judge_gas_test(ptype, ev.gas_test.readings)
        passed = not any(f.blocks for f in findings)
        if permit is not None:
            session.add(
                GasTest(
                    permit_id=permit.id,
                    taken_at=ev.ts,
                    by=ev.by,
                    passed=passed,
                    readings=[{"ch": r.ch, "v": r.value, "u": r.unit} for r in ev.gas_test.readings],
                )
            )
        if not passed:
            blocking = "; ".join(f.message for f in findings if f.blocks)
            alarms.append(
                _permit_alarm(ev, Condition.GAS_TEST_FAILED, f"gas test failed on {ev.permit}: {blocking}")
            )
        return {"passed": passed, "findings": [f.message for f in findings]}

    def on_request(self, req: PermitRequest) -> None:
        """Contract §5: validate by the rules, answer on `reply`; accepted ones join the queue."""
        from cockpit.permit_service import PermitConfig, PermitService

        if not self.duty():
            log.debug("permit request %s: left to the duty holder", req.permit)
            self.held.keep(req)
            return
        now = self.clock()
        warnings: list[FieldError] = []
        try:
            service = PermitService(
                self.db, clock=self.clock, config=PermitConfig.from_config(self.config), wind=self.wind
            )
            findings = service.create_from_request(req, now)
        except Exception as exc:
            # The detail stays in our log; the field gets a code and a plain sentence, never the driver's
            # message (it names the database's host and port).
            log.exception("permit request %s could not be handled", req.permit)
            errors = [reply_failure(exc)]
        else:
            errors = [FieldError(f.field or "", f.message, f.code) for f in findings or () if f.blocks]
            warnings = [FieldError(f.field or "", f.message, f.code) for f in findings or () if not f.blocks]
        topic = self.topics.permit_reply(req.site, req.area, req.permit)
        self.desk.publish(topic, encode_reply(not errors, errors, now, warnings=warnings), 1, False)
        if not errors:
            self.desk.call(self.reload)


def _info(p: Permit, marks: live_checks.PermitMarks) -> PermitInfo:
    grade = p.effective_grade or p.grade
    return PermitInfo(
        p.id,
        p.site_id,
        p.area_id,
        PermitType(p.type),
        grade.value if grade else None,
        PermitStatus(p.status),
        p.valid_to,
        p.supervisor,
        last_checkin=marks.last_checkin,
        started_at=marks.started_at,
        gas_failed=marks.gas_failed,
    )


def _permit_alarm(ev: PermitEvent, condition: str, message: str) -> dict[str, Any]:
    """An alarm event on the permit that ``ev`` reported, as ``AlarmEngine.raise_event``'s keywords."""
    return dict(
        source=f"permit:{ev.permit}",
        condition=condition,
        site=ev.site,
        area=ev.area,
        ts=ev.ts,
        message=message,
        permit=ev.permit,
    )
