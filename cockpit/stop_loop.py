"""The stop-work loop on the core thread: stops and resumes, by a person or by the auto-stop policy.

It carries a stop or resume out through ``StopWorkService`` (command, work state, database), tells the
permit cache what the command did to its permits (suspended, active again) before the database says
so, and raises an alarm when the field does not execute a command in time (cleared when it does).
What it changes it reports through the core's delta (``note_command``, ``note_permits``).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from typing import Any

from cockpit.auto_stop import AutoStopPolicy
from cockpit.config import Config
from cockpit.core_acts import settle
from cockpit.permit_monitor import PermitMonitor
from cockpit.resume import ALARM_STANDING, Resumer
from cockpit.resume import reason as resume_reason
from cockpit.sessions import VerifiedActor, acting, core_identity
from cockpit.stopwork import CommandView, ResumeRefused, StopWorkService
from cockpit.wire import epoch_ms
from models.alarms import AlarmEngine, AlarmTransition, Condition
from models.records import PermitStatus, Priority
from models.rules.alarm_texts import alarm_message


class StopLoop:
    def __init__(
        self,
        config: Config,
        engine: AlarmEngine,
        stopwork: StopWorkService,
        permits: PermitMonitor,
        policy: AutoStopPolicy,
        *,
        clock: Callable[[], datetime],
        raise_event: Callable[..., None],
        clear_event: Callable[[str, str, datetime, str], None],
        note_command: Callable[[CommandView], None],
        note_permits: Callable[[], None],
        run_db: Callable[..., Future[Any]],
        run_core: Callable[[Callable[[], Any]], Future[Any]],
    ) -> None:
        self.config = config
        self.engine = engine
        self.stopwork = stopwork
        self.resumer = Resumer(stopwork)
        self.permits = permits
        self.policy = policy
        self.clock = clock
        self._raise_event = raise_event
        self._clear_event = clear_event
        self._note_command = note_command
        self._note_permits = note_permits
        self._run_db = run_db  # the core's database worker (its records of the stop are ahead)
        self._run_core = run_core  # back onto the core thread
        # Taking the duties over (cockpit/duty_lease.py), the alarms that came while nobody held them
        # stop their areas at this instance's next tick (``catch_up``).
        self._takeovers_seen = 0
        stopwork.before_tick = self.catch_up

    def stop(
        self, actor: VerifiedActor, site: str, area: str, reason: str, alarm_id: str | None
    ) -> CommandView | None:
        cause = self._alarm_cause(alarm_id) if alarm_id else None
        view = self.stopwork.stop(
            site, area, actor=actor, reason=reason, now=self.clock(), alarm_id=alarm_id, cause=cause
        )
        self._after_stop(view)
        return view

    def resume(self, actor: VerifiedActor, site: str, area: str, reason: str) -> Future[CommandView]:
        """Core thread: what the core knows is checked here, the database's part runs on its worker
        (``cockpit/resume.py``), and the command goes out back on the core thread; the future says
        the resume sent, or why not (``ResumeRefused``)."""
        acting(actor, "resume_work")
        standing = [
            a
            for a in self.engine.area_alarms(site, area)
            if a.active and a.kind == "level" and a.priority == Priority.CRITICAL
        ]
        reasons = [
            resume_reason(
                ALARM_STANDING,
                f"{a.source} is still in {a.condition} alarm",
                source=a.source,
                condition=a.condition,
            )
            for a in standing
        ]
        reasons += self.permits.resume_blockers(site, area)  # a failed gas test (GB 30871 §5.3)
        if reasons:
            raise ResumeRefused(reasons)
        plan = self.resumer.begin(site, area, actor=actor, why=reason, now=self.clock())
        out: Future[CommandView] = Future()

        def finish(view: CommandView, states: list[tuple[str, bytes]]) -> CommandView:
            view = self.resumer.finish(plan, view, states)
            self.permits.set_status(view.permits, PermitStatus.ACTIVE)
            self._note_command(view)
            self._note_permits()
            return view

        def recorded(job: Future[tuple[CommandView, list[tuple[str, bytes]]]]) -> None:
            if (exc := job.exception()) is not None:
                out.set_exception(exc)
                return
            done = self._run_core(lambda: finish(*job.result()))
            done.add_done_callback(lambda f: settle(out, f))

        self._run_db(self.resumer.record, plan).add_done_callback(recorded)
        return out

    def on_transition(self, tr: AlarmTransition) -> None:
        """Every alarm transition the core emits: the site's policy may stop the area by itself."""
        if self.policy.wants_stop(tr):
            reason = tr.message or f"{tr.source} {tr.condition}"
            self._auto_stop(tr.site, tr.area, tr.alarm_id, reason, send_first=True)

    def catch_up(self, now: datetime) -> None:
        """Core thread, every tick: once this instance has taken the duties over, every standing alarm
        that stops by itself stops its area now. A gas alarm that came in the seconds while nobody held
        them (the old holder killed) is stopped here; one the old holder stopped has the same cause, so
        the same command id, and is not sent again (cockpit/stopwork.py)."""
        duties = self.policy.duties
        if duties is None or duties.takeovers == self._takeovers_seen or not duties.holds():
            return
        self._takeovers_seen = duties.takeovers
        for alarm in self.engine.active():
            if alarm.active and self.policy.would_stop(
                alarm.site, alarm.area, alarm.condition, alarm.priority
            ):
                self._auto_stop(alarm.site, alarm.area, alarm.alarm_id, alarm.message or alarm.source)

    def _auto_stop(
        self, site: str, area: str, alarm_id: str, reason: str, *, send_first: bool = False
    ) -> None:
        """``send_first`` on the live path, as the alarm is judged; a takeover's catch-up claims first:
        the old holder may have sent the same stop already (StopWorkService.stop)."""
        view = self.stopwork.stop(
            site,
            area,
            actor=core_identity(),
            reason=reason,
            now=self.clock(),
            alarm_id=alarm_id,
            cause=self._alarm_cause(alarm_id),
            auto=True,
            fence=self.policy.duties.token() if self.policy.duties is not None else None,
            send_first=send_first,
        )
        self._after_stop(view)

    def not_executed(self, view: CommandView) -> None:
        """StopWorkService: no "executed" from the field in time."""
        spec: dict[str, Any] = dict(
            source=f"cmd:{view.command_id}",
            condition=Condition.STOP_NOT_EXECUTED,
            priority=Priority.HIGH,
            site=view.site,
            area=view.area,
            ts=self.clock(),
            message=alarm_message(
                f"command.{view.kind}_not_executed", seconds=f"{self.config.alarms.stop_ack_timeout_s:.0f}"
            ),
        )
        self._raise_event(**spec)

    def executed(self, view: CommandView) -> None:
        self._clear_event(f"cmd:{view.command_id}", Condition.STOP_NOT_EXECUTED, self.clock(), "field")

    def _alarm_cause(self, alarm_id: str) -> str:
        """The alarm's current activation: a later excursion of the same alarm is a new cause."""
        activation = self.engine.activated_at(alarm_id)
        return f"{alarm_id}@{epoch_ms(activation or self.clock())}"

    def _after_stop(self, view: CommandView | None) -> None:
        if view is None:
            return
        self.permits.set_status(view.permits, PermitStatus.SUSPENDED)
        self._note_command(view)
        self._note_permits()
