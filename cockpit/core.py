"""The cockpit's core: one thread that owns the live state and closes the loop.

Data flow (docs/ARCHITECTURE.md): paho's network thread only appends raw messages to a
deque and wakes the core thread. The core thread decodes a whole batch, writes the
telemetry store, lets the alarm engine judge it, runs the stop-work loop, and hands
one ``CoreDelta`` per batch to its listener (the GUI's queued-signal bridge, or the
log in ``serve``). Operator actions from the GUI are queued to the same thread, so the
store, the engine and the stop-work service are never touched by two threads at once.
Database work that is not on the stop path (the alarm journal, permit events,
applications) runs on one database worker thread with its own sessions.
"""

from __future__ import annotations

import gc
import json
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, select

from cockpit.config import Config
from cockpit.core_state import CoreDelta, CoreState, CoreStats, PermitInfo
from cockpit.roles import SYSTEM, Actor
from cockpit.stopwork import CommandView, ResumeRefused, StopWorkService
from cockpit.telemetry import TelemetryStore
from cockpit.wire import Topics, dumps, epoch_ms, permit_state_body, permit_state_message
from connectors.contract import ContractDecoder, ContractRejection, encode_reply
from connectors.database import Database
from connectors.mqtt import LinkState, MqttConnector, TlsOptions
from connectors.rejections import RejectionLog
from models.alarms import ActionKind, AlarmEngine, AlarmState, AlarmTransition, Condition, OperatorAction
from models.audit import append_audit
from models.errors import UserError
from models.limits import LimitResolver
from models.records import (
    CommandAck,
    DeviceState,
    DeviceStatus,
    HotWorkGrade,
    PermitEvent,
    PermitEventType,
    PermitRequest,
    PermitStatus,
    PermitType,
    Priority,
    SensorMessage,
    WorkerEvent,
    WorkerEventType,
)
from models.rules.gas_tests import judge_gas_test
from models.rules.permit_state import LIVE_STATUSES
from models.schema import AlarmJournalEntry, GasTest, Permit, PermitEventRow, Site

log = logging.getLogger(__name__)
T = TypeVar("T")

WORKER_ALARMS = {
    WorkerEventType.MAN_DOWN: (Priority.CRITICAL, "MAN_DOWN", "man down"),
    WorkerEventType.FALL: (Priority.CRITICAL, "FALL", "fall detected"),
    WorkerEventType.SOS: (Priority.CRITICAL, "SOS", "SOS pressed"),
    WorkerEventType.NO_MOTION: (Priority.CRITICAL, "NO_MOTION", "no motion"),
    WorkerEventType.GEOFENCE_BREACH: (Priority.HIGH, "GEOFENCE", "geofence breach"),
}
CHECKIN_LIMIT = timedelta(minutes=30)  # the supervisor's check-in interval (as PermitConfig.checkin_interval)
CHUNK = 128  # messages judged together: small enough that an alarm never waits behind a flood
# Woken for a handful of messages, the core waits this long for more: each cycle has a fixed cost
# (waking, handing the GIL back and forth with paho's thread, one delta), and at a few thousand
# messages a second cycles of 3 messages spent a fifth of the process's time on it. 1 ms is nothing
# next to the alarm path's budget (bench/alarm_latency).
COALESCE_S = 0.001
COALESCE_BELOW = 64
STATE_INTERVAL_S = 0.25  # the read model is republished at least this often, and at once for alarms
STOP_PERMIT_TYPES = frozenset({PermitType.HOT_WORK, PermitType.CONFINED_SPACE})


class CockpitCore:
    def __init__(
        self,
        config: Config,
        db: Database,
        *,
        console: str | None = None,
        broker_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        listener: Callable[[CoreDelta], None] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.config = config
        self.db = db
        self.console = console or config.general.console_id
        self.clock = clock
        self.listener = listener
        self.topics = Topics(config.mqtt.root)
        self.decoder = ContractDecoder(config.mqtt.root)
        self.rejections = RejectionLog()
        self.store = TelemetryStore(default_max_age_s=config.mqtt.default_max_age_s)
        self.resolver = LimitResolver(config.alarms.profile, config.alarms.limits)
        self.engine = AlarmEngine(
            self.resolver,
            shelve_max=timedelta(hours=config.alarms.shelve_max_h),
            flood_count=config.alarms.flood_count,
            flood_window=timedelta(minutes=config.alarms.flood_window_min),
        )
        self.stats = CoreStats()
        self.permits: dict[str, PermitInfo] = {}
        self.site_policy: dict[str, str] = {}
        self._inbox: deque[tuple[str, bytes, float]] = deque()
        self._calls: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._idle = True
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._db_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cockpit-db")
        self._journal: list[AlarmTransition] = []
        self._link_changes: deque[LinkState] = deque()
        self._last_tick = 0.0
        self._last_health = 0.0
        self._last_permit_check = 0.0
        self._recorder: Any = None
        self.connector = field_connector(
            config,
            self.console,
            broker_url,
            username,
            password,
            on_message=self._on_message,
            on_link_change=self._on_link_change,
        )
        self.stopwork = StopWorkService(
            db,
            self._publish,
            self.topics,
            console=self.console,
            ack_timeout=timedelta(seconds=config.alarms.stop_ack_timeout_s),
            on_not_executed=self._stop_not_executed,
            on_executed=self._stop_executed,
            run_later=self._db_worker.submit,
        )
        self._pending_delta = CoreDelta()
        self._last_state = 0.0
        self.state: CoreState = self._take_state()  # replaced whole by the core thread, never changed

    # --- life cycle -----------------------------------------------------------------------------------

    def start(self) -> None:
        now = self.clock()
        self._load_permits()
        self._load_registered_devices()
        self.stopwork.load(now - timedelta(days=2))
        if self.config.mqtt.record_file:
            from pathlib import Path

            from connectors.recorder import Recorder

            self._recorder = Recorder(Path(self.config.mqtt.record_file))
        # Everything loaded so far lives as long as the program: keep it out of the collector's full
        # passes, which otherwise walk it all and pause the core (a stop waited 200 ms behind one).
        if gc.isenabled():  # in a window's process only the GUI thread collects (GuiThreadCollector)
            gc.collect()
        gc.freeze()
        self._publish_state()  # what was loaded, before the core thread owns it
        self._thread = threading.Thread(target=self._run, name="cockpit-core", daemon=True)
        self._thread.start()
        self.connector.start()
        self._publish_open_permits(now)

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout=5)
        self._thread = None
        # What the core thread published last: this thread reads nothing the core thread owns.
        last = {**self.state.health, "ts": epoch_ms(self.clock()), "state": "offline"}
        self._publish(self.topics.health(self.console), dumps(last), 1, True)
        self._db_worker.shutdown(wait=True)  # after the journal's last entries the core thread handed it
        self.connector.stop()
        if self._recorder is not None:
            self._recorder.close()

    # --- thread-safe entry points ---------------------------------------------------------------------

    def call(self, fn: Callable[[], T]) -> Future[T]:
        """Run ``fn`` on the core thread; the future carries its result or exception."""
        fut: Future[T] = Future()
        self._calls.put((fn, fut))
        self._wake.set()
        return fut

    def acknowledge(self, actor: Actor, alarm_ids: list[str], note: str = "") -> Future[int]:
        def run() -> int:
            actor.require("acknowledge")
            return sum(
                1
                for alarm_id in alarm_ids
                if self._operator_action(actor, ActionKind.ACK, alarm_id, note=note)
            )

        return self.call(run)

    def shelve(self, actor: Actor, alarm_id: str, reason: str, minutes: float) -> Future[int]:
        def run() -> int:
            actor.require("shelve")
            until = self.clock() + timedelta(minutes=minutes)
            return len(self._operator_action(actor, ActionKind.SHELVE, alarm_id, reason=reason, until=until))

        return self.call(run)

    def unshelve(self, actor: Actor, alarm_id: str) -> Future[int]:
        def run() -> int:
            actor.require("shelve")
            return len(self._operator_action(actor, ActionKind.UNSHELVE, alarm_id))

        return self.call(run)

    def set_out_of_service(self, actor: Actor, alarm_id: str, reason: str, in_service: bool) -> Future[int]:
        def run() -> int:
            actor.require("out_of_service")
            kind = ActionKind.IN_SERVICE if in_service else ActionKind.OUT_OF_SERVICE
            return len(self._operator_action(actor, kind, alarm_id, reason=reason))

        return self.call(run)

    def clear_event(self, actor: Actor, alarm_id: str, note: str = "") -> Future[int]:
        """A person confirms that a man-down (or other discrete alarm) is over."""

        def run() -> int:
            actor.require("clear_event")
            alarm = self.engine.get(alarm_id)
            if alarm is None:
                return 0
            out = self.engine.clear_event(
                alarm.source, alarm.condition, self.clock(), who=actor.username, note=note
            )
            self._emit_transitions(out)
            return len(out)

        return self.call(run)

    def _operator_action(
        self,
        actor: Actor,
        kind: ActionKind,
        alarm_id: str,
        *,
        note: str = "",
        reason: str = "",
        until: datetime | None = None,
    ) -> list[AlarmTransition]:
        """Carry out an operator's act here and tell the other consoles (they apply it idempotently)."""
        action = OperatorAction(
            kind=kind,
            alarm_id=alarm_id,
            who=actor.username,
            ts=self.clock(),
            note=note,
            reason=reason,
            until=until,
            console=self.console,
        )
        transitions = self.engine.apply(action)
        self._emit_transitions(transitions)
        self._publish(self.topics.alarm_action(), dumps(action.to_dict()), 1, False)
        return transitions

    def stop_work(
        self, actor: Actor, site: str, area: str, reason: str, alarm_id: str | None = None
    ) -> Future[CommandView | None]:
        def run() -> CommandView | None:
            now = self.clock()
            cause = self._alarm_cause(alarm_id) if alarm_id else None
            view = self.stopwork.stop(
                site, area, actor=actor, reason=reason, now=now, alarm_id=alarm_id, cause=cause
            )
            self._after_stop(view)
            return view

        return self.call(run)

    def resume_work(self, actor: Actor, site: str, area: str, reason: str) -> Future[CommandView]:
        def run() -> CommandView:
            actor.require("resume_work")
            standing = [
                a
                for a in self.engine.area_alarms(site, area)
                if a.active and a.kind == "level" and a.priority == Priority.CRITICAL
            ]
            if standing:
                raise ResumeRefused([f"{a.source} is still in {a.condition} alarm" for a in standing])
            view = self.stopwork.resume(site, area, actor=actor, reason=reason, now=self.clock())
            self._refresh_permit_statuses(view.permits, PermitStatus.ACTIVE)
            self._pending_delta.commands.append(view)
            self._pending_delta.permits_changed = True
            return view

        return self.call(run)

    # --- paho thread ----------------------------------------------------------------------------------

    def _on_message(self, topic: str, payload: bytes, arrival: float) -> None:
        """paho's thread: append and return. Decoding is the core thread's job, not this one's: paho's
        own per-message work already fills this thread, and decoding here made it the bottleneck
        (bench/alarm_latency: stop p50 154 ms with decoding here, 14 ms with decoding on the core)."""
        self._inbox.append((topic, payload, arrival))
        if (
            self._idle
        ):  # wake the core only when it sleeps: an Event.set per message costs more than the append
            self._wake.set()

    def _on_link_change(self, state: LinkState) -> None:
        self._link_changes.append(state)
        self._wake.set()

    def _publish(self, topic: str, payload: bytes, qos: int, retain: bool) -> object:
        return self.connector.publish(topic, payload, qos=qos, retain=retain)

    # --- the core thread ------------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._idle = True
            if not self._inbox:  # re-checked after going idle: an append in between is never missed
                self._wake.wait(0.1)
            self._wake.clear()
            self._idle = False
            if 0 < len(self._inbox) < COALESCE_BELOW:
                time.sleep(COALESCE_S)
            try:
                self._cycle()
            except Exception:  # one bad cycle must not end the loop that stops work
                log.exception("core cycle failed; carrying on")
        # The thread's last acts: the final read model, and the journal's rest to the database worker.
        try:
            self._publish_state()
        finally:
            self._flush_journal_later()

    def _cycle(self) -> None:
        # Small chunks: a HIHI reading is judged (and the stop sent) without waiting for the
        # thousands of messages that arrived with it to be decoded first.
        # Operator actions and the screens' reads run between chunks, so a click on "stop work" never
        # waits behind a backlog of readings; the cycle hands over to ticks and the GUI every 2,048.
        inbox = self._inbox
        budget = 2048
        self._run_calls()
        while inbox and budget > 0:
            chunk = [inbox.popleft() for _ in range(min(CHUNK, len(inbox)))]
            budget -= len(chunk)
            self._process(chunk)
            if self._pending_delta.transitions or self._pending_delta.commands:
                self._deliver()  # an alarm or a command reaches the screens now, not after the backlog
            self._run_calls()
        if inbox:
            self._wake.set()
        while self._link_changes:
            self._pending_delta.link = self._link_changes.popleft()
        mono = time.monotonic()
        if mono - self._last_tick >= 0.25:
            self._last_tick = mono
            self._tick(self.clock())
        if mono - self._last_health >= 5.0:
            self._last_health = mono
            self._publish(self.topics.health(self.console), dumps(self._health()), 0, True)
        self._flush_journal_later()
        self._deliver()

    def _deliver(self) -> None:
        """Publish the read model when something a reader waits for changed (or 250 ms passed), then
        hand what changed to the listener (the GUI bridge), and start a new delta. The state goes
        first: the listener may read it."""
        delta = self._pending_delta
        mono = time.monotonic()
        if delta.urgent() or mono - self._last_state >= STATE_INTERVAL_S:
            self._publish_state()
        if self._pending_delta and self.listener is not None:
            delta, self._pending_delta = self._pending_delta, CoreDelta()
            try:
                self.listener(delta)
            except Exception:
                log.exception("core listener failed")
        elif self.listener is None:
            self._pending_delta = CoreDelta()

    def _run_calls(self) -> None:
        while True:
            try:
                fn, fut = self._calls.get_nowait()
            except queue.Empty:
                return
            if fut.set_running_or_notify_cancel():
                try:
                    fut.set_result(fn())
                except BaseException as exc:
                    fut.set_exception(exc)

    def _process(self, batch: list[tuple[str, bytes, float]]) -> None:
        now = self.clock()
        stats = self.stats
        stats.messages_in += len(batch)
        stats.batches += 1
        stats.max_batch = max(stats.max_batch, len(batch))
        stats.queue_lag_ms = max(0.0, (time.time() - batch[0][2]) * 1000.0)
        if stats.first_arrival is None:
            stats.first_arrival = batch[0][2]
        decode = self.decoder.decode
        sensors: list[SensorMessage | DeviceStatus] = []
        others: list[Any] = []
        recorder = self._recorder
        for topic, payload, arrival in batch:
            if recorder is not None:
                recorder.record(topic, payload, arrival)
            result = decode(topic, payload, now)
            if result is None:
                self._own_topic(topic, payload, now)
            elif isinstance(result, SensorMessage | DeviceStatus):
                sensors.append(result)
            elif isinstance(result, ContractRejection):
                self.rejections.record(result)
                if result.reply_to is not None:
                    self._publish(result.reply_to.topic, encode_reply(False, result.errors, now), 1, False)
            else:
                others.append(result)
        if sensors:
            self._judge_sensors(sensors, now)
        for msg in others:
            if isinstance(msg, WorkerEvent):
                self._worker_event(msg, now)
            elif isinstance(msg, CommandAck):
                view = self.stopwork.on_ack(msg, now)
                if view is not None:
                    self._pending_delta.commands.append(view)
            elif isinstance(msg, PermitEvent):
                self._db_worker.submit(self._permit_event, msg)
            elif isinstance(msg, PermitRequest):
                self._db_worker.submit(self._permit_request, msg)
        stats.last_done = time.time()

    def _judge_sensors(self, messages: list[SensorMessage | DeviceStatus], now: datetime) -> None:
        update = self.store.ingest(messages, now)
        delta = self._pending_delta
        delta.dirty_channels.update(update.changed)
        engine = self.engine
        transitions: list[AlarmTransition] = []
        for msg in messages:
            if type(msg) is SensorMessage:
                out = engine.process_message(msg.site, msg.area, msg.device, msg.readings, msg.ts)
                if out:
                    transitions.extend(out)
            else:
                faulted = msg.state is DeviceState.FAULT
                out = engine.device_fault(msg.site, msg.area, msg.device, faulted, msg.ts)
                if out:
                    transitions.extend(out)
        for change in update.stale_changes:  # a device's status can stale channels that had no reading
            transitions.extend(engine.set_stale(change.key, change.stale, str(change.reason or ""), now))
            delta.dirty_channels.add(change.key)
        if transitions:
            self._emit_transitions(transitions)

    def _tick(self, now: datetime) -> None:
        transitions: list[AlarmTransition] = []
        for change in self.store.tick(now):
            transitions.extend(self.engine.set_stale(change.key, change.stale, str(change.reason or ""), now))
            self._pending_delta.dirty_channels.add(change.key)
        transitions.extend(self.engine.tick(now))
        if transitions:
            self._emit_transitions(transitions)
        for view in self.stopwork.tick(now):
            self._pending_delta.commands.append(view)
        mono = time.monotonic()
        if mono - self._last_permit_check >= 10.0:
            self._last_permit_check = mono
            self._check_permits(now)

    # --- alarms ---------------------------------------------------------------------------------------

    def _emit_transitions(self, transitions: list[AlarmTransition]) -> None:
        self._journal.extend(transitions)
        self._pending_delta.transitions.extend(transitions)
        for tr in transitions:
            if tr.to_state is AlarmState.UNACK and tr.from_state is not AlarmState.UNACK:
                self._maybe_auto_stop(tr)

    def _alarm_cause(self, alarm_id: str) -> str:
        """The alarm's current activation: a later excursion of the same alarm is a new cause."""
        alarm = self.engine.get(alarm_id)
        activation = alarm.last_ts if alarm is not None and alarm.last_ts is not None else self.clock()
        return f"{alarm_id}@{epoch_ms(activation)}"

    def _maybe_auto_stop(self, tr: AlarmTransition) -> None:
        """Brief, stop-work step 2: the site's policy for priority-1 gas alarms in areas with hot work
        or confined-space permits ("auto" by default)."""
        if tr.priority != Priority.CRITICAL or tr.condition not in ("HIHI", "LOLO"):
            return
        policy = (
            self.config.sites[tr.site].stop_policy
            if tr.site in self.config.sites
            else self.site_policy.get(tr.site, "auto")
        )
        if policy != "auto":
            return
        active = [
            p
            for p in self.permits.values()
            if p.site == tr.site
            and p.area == tr.area
            and p.status is PermitStatus.ACTIVE
            and p.type in STOP_PERMIT_TYPES
        ]
        if not active or self.stopwork.work_state(tr.site, tr.area) == "stopped":
            return
        reason = tr.message or f"{tr.source} {tr.condition}"
        view = self.stopwork.stop(
            tr.site,
            tr.area,
            actor=SYSTEM,
            reason=reason,
            now=self.clock(),
            alarm_id=tr.alarm_id,
            cause=self._alarm_cause(tr.alarm_id),
            auto=True,
        )
        self._after_stop(view)

    def _after_stop(self, view: CommandView | None) -> None:
        if view is None:
            return
        self._refresh_permit_statuses(view.permits, PermitStatus.SUSPENDED)
        self._pending_delta.commands.append(view)
        self._pending_delta.permits_changed = True

    def _refresh_permit_statuses(self, permit_ids: list[str], status: PermitStatus) -> None:
        for pid in permit_ids:
            info = self.permits.get(pid)
            if info is not None:
                info.status = status

    def _stop_not_executed(self, view: CommandView) -> None:
        self._emit_transitions(
            self.engine.raise_event(
                source=f"cmd:{view.command_id}",
                condition=Condition.STOP_NOT_EXECUTED,
                priority=Priority.HIGH,
                site=view.site,
                area=view.area,
                ts=self.clock(),
                message=f"{view.kind}-work not executed within {self.config.alarms.stop_ack_timeout_s:.0f} s",
            )
        )

    def _stop_executed(self, view: CommandView) -> None:
        self._emit_transitions(
            self.engine.clear_event(
                f"cmd:{view.command_id}", Condition.STOP_NOT_EXECUTED, ts=self.clock(), who="field"
            )
        )

    def _worker_event(self, ev: WorkerEvent, now: datetime) -> None:
        if ev.x is not None and ev.y is not None:
            self._pending_delta.worker_positions.append(ev)
        if ev.type is WorkerEventType.CHECKIN:
            if ev.role == "supervisor" and ev.permit and ev.permit in self.permits:
                self.permits[ev.permit].last_checkin = ev.ts
                self._emit_transitions(
                    self.engine.clear_event(
                        f"permit:{ev.permit}", Condition.CHECKIN_OVERDUE, ts=now, who=ev.worker
                    )
                )
            return
        spec = WORKER_ALARMS.get(ev.type)
        if spec is None:
            return
        priority, condition, text = spec
        where = f" (permit {ev.permit})" if ev.permit else ""
        self._emit_transitions(
            self.engine.raise_event(
                source=f"worker:{ev.worker}",
                condition=condition,
                priority=priority,
                site=ev.site,
                area=ev.area,
                ts=ev.ts,
                message=f"{text}: worker {ev.worker}{where}",
                permit=ev.permit,
            )
        )

    def _own_topic(self, topic: str, payload: bytes, now: datetime) -> None:
        parsed = self.topics.parse_own(topic)
        if parsed is None:
            return
        kind, parts = parsed
        try:
            body = json.loads(payload)
        except ValueError:
            return
        if not isinstance(body, dict):
            return
        if kind == "alarm-action":
            if body.get("console") == self.console:
                return
            try:
                action = OperatorAction.from_dict(body)
            except (KeyError, TypeError, ValueError, UserError):
                log.warning("unreadable alarm action from another console: %r", payload[:200])
                return
            self._emit_transitions(self.engine.apply_remote(action))
        elif kind in ("stop-work", "resume-work"):
            self.stopwork.on_remote_command(kind, parts[1], parts[2], body, now)
            view = self.stopwork.commands.get(str(body.get("command_id", "")))
            if view is not None:
                self._pending_delta.commands.append(view)
                self._pending_delta.permits_changed = True
        elif kind == "work-state":
            self.stopwork.on_work_state(parts[1], parts[2], body, now)
            self._pending_delta.permits_changed = True

    # --- permits --------------------------------------------------------------------------------------

    def _load_permits(self) -> None:
        with self.db.session() as session:
            self.site_policy = {s.id: s.stop_policy.value for s in session.scalars(select(Site))}
            rows = session.scalars(select(Permit).where(Permit.status.in_(list(LIVE_STATUSES))))
            self.permits = {
                p.id: PermitInfo(
                    p.id,
                    p.site_id,
                    p.area_id,
                    PermitType(p.type),
                    (p.effective_grade or p.grade).value if (p.effective_grade or p.grade) else None,
                    PermitStatus(p.status),
                    p.valid_to,
                    p.supervisor,
                )
                for p in rows
            }

    def _load_registered_devices(self) -> None:
        from models.queries import plant_detectors

        with self.db.session() as session:
            devices = [(d.site_id, d.area_id, d.device_id) for d in plant_detectors(session)]
        self.store.set_registered_devices(devices)

    def _publish_open_permits(self, now: datetime) -> None:
        """Contract §6: every permit that is not closed is published when the cockpit starts."""
        with self.db.session() as session:
            for p in session.scalars(select(Permit).where(Permit.status.in_(list(LIVE_STATUSES)))):
                self._publish(
                    *permit_state_message(self.topics, p, status=str(p.status), by=self.console, ts=now),
                    1,
                    True,
                )

    def publish_permit_state(
        self,
        site: str,
        area: str,
        permit: str,
        *,
        type_: str,
        grade: str | None,
        status: str,
        valid_to: datetime,
        by: str,
    ) -> None:
        """For the permit service: every change goes out (contract §6), from any thread."""
        self._publish(
            self.topics.permit_state(site, area, permit),
            dumps(
                permit_state_body(
                    ts=self.clock(), type_=type_, grade=grade, status=status, valid_to=valid_to, by=by
                )
            ),
            1,
            True,
        )
        self.call(self._reload_permits_now)

    def _reload_permits_now(self) -> None:
        self._load_permits()
        self._pending_delta.permits_changed = True

    def _check_permits(self, now: datetime) -> None:
        """Every 10 s: permits past their validity and overdue check-ins from memory; overdue gas
        re-tests and approval escalations from the database, on the database worker."""
        for p in list(self.permits.values()):
            if p.status is not PermitStatus.ACTIVE:
                continue
            if p.valid_to < now:
                self._raise_once(
                    p, Condition.PERMIT_EXPIRED, f"permit {p.id} is active past its validity", now
                )
            if p.last_checkin is not None and now - p.last_checkin > CHECKIN_LIMIT:
                self._raise_once(
                    p,
                    Condition.CHECKIN_OVERDUE,
                    f"supervisor {p.supervisor} has not checked in for 30 min",
                    now,
                )
        active = [replace(p) for p in self.permits.values() if p.status is PermitStatus.ACTIVE]
        self._db_worker.submit(self._permit_timers, active, now)

    def _raise_once(
        self, p: PermitInfo, condition: str, message: str, now: datetime, priority: Priority | None = None
    ) -> None:
        if not self._event_active(f"permit:{p.id}", condition):
            self._emit_transitions(
                self.engine.raise_event(
                    source=f"permit:{p.id}",
                    condition=condition,
                    site=p.site,
                    area=p.area,
                    ts=now,
                    message=message,
                    permit=p.id,
                    priority=priority,
                )
            )

    def _permit_timers(self, active: list[PermitInfo], now: datetime) -> None:
        """Database worker: GB 30871 re-test rules on active permits, escalation of late approvals."""
        from cockpit.permit_service import PermitConfig, PermitService
        from models.rules.gas_tests import gas_test_due

        try:
            overdue: list[tuple[str, str]] = []
            ids = [p.id for p in active]
            with self.db.session() as session:
                # Two grouped queries, not two per permit: this runs every 10 s beside the core, in
                # the same process, and 80 small queries for 40 permits took 135 ms of its time.
                last_tests: dict[str, datetime] = dict(
                    session.execute(  # type: ignore[arg-type]
                        select(GasTest.permit_id, func.max(GasTest.taken_at))
                        .where(GasTest.permit_id.in_(ids), GasTest.passed.is_(True))
                        .group_by(GasTest.permit_id)
                    ).all()
                )
                starts: dict[str, datetime] = dict(
                    session.execute(  # type: ignore[arg-type]
                        select(PermitEventRow.permit_id, func.max(PermitEventRow.ts))
                        .where(PermitEventRow.permit_id.in_(ids), PermitEventRow.type == "started")
                        .group_by(PermitEventRow.permit_id)
                    ).all()
                )
            for p in active:
                grade = HotWorkGrade(p.grade) if p.grade else None
                finding = gas_test_due(
                    p.type,
                    grade,
                    last_test_at=last_tests.get(p.id),
                    work_started_at=starts.get(p.id),
                    now=now,
                    periodic_min=self.config.site(p.site).periodic_gas_retest_min,
                )
                if finding is not None:
                    overdue.append((p.id, finding.message))
            service = PermitService(self.db, clock=self.clock, config=PermitConfig.from_config(self.config))
            escalations = service.escalations(now)
        except Exception:
            log.exception("permit timers could not be checked")
            return

        def raise_all() -> None:
            for pid, message in overdue:
                info = self.permits.get(pid)
                if info is not None:
                    self._raise_once(info, Condition.GAS_RETEST_OVERDUE, f"{pid}: {message}", now)
            for esc in escalations:
                source = f"permit:{esc.permit_id}"
                if not self._event_active(source, "APPROVAL_ESCALATED"):
                    self._emit_transitions(
                        self.engine.raise_event(
                            source=source,
                            condition="APPROVAL_ESCALATED",
                            site=esc.site,
                            area=esc.area,
                            ts=now,
                            priority=Priority(esc.priority),
                            permit=esc.permit_id,
                            message=esc.message
                            or f"permit {esc.permit_id} waits past its approval deadline; "
                            f"escalated to {esc.escalated_to}",
                        )
                    )

        self.call(raise_all)

    def _event_active(self, source: str, condition: str) -> bool:
        alarm = self.engine.get(f"{source}:{condition}")
        return alarm is not None and alarm.active

    # database worker thread ---------------------------------------------------------------------------

    def _permit_event(self, ev: PermitEvent) -> None:
        """Contract §4: record it, judge a gas test, flag work without a valid permit."""
        try:
            alarms: list[dict[str, Any]] = []
            with self.db.session() as session:
                permit = session.get(Permit, ev.permit)
                detail: dict[str, Any] = {}
                if ev.type is PermitEventType.GAS_TEST and ev.gas_test is not None:
                    ptype = PermitType(permit.type) if permit else PermitType.HOT_WORK
                    findings = judge_gas_test(ptype, ev.gas_test.readings)
                    passed = not any(f.blocks for f in findings)
                    detail = {"passed": passed, "findings": [f.message for f in findings]}
                    if permit is not None:
                        session.add(
                            GasTest(
                                permit_id=permit.id,
                                taken_at=ev.ts,
                                by=ev.by,
                                passed=passed,
                                readings=[
                                    {"ch": r.ch, "v": r.value, "u": r.unit} for r in ev.gas_test.readings
                                ],
                            )
                        )
                    if not passed:
                        alarms.append(
                            dict(
                                source=f"permit:{ev.permit}",
                                condition=Condition.GAS_TEST_FAILED,
                                site=ev.site,
                                area=ev.area,
                                ts=ev.ts,
                                message=f"gas test failed on {ev.permit}: "
                                + "; ".join(f.message for f in findings if f.blocks),
                                permit=ev.permit,
                            )
                        )
                if ev.type in (PermitEventType.STARTED, PermitEventType.RESUMED):
                    ok = permit is not None and permit.status in (PermitStatus.APPROVED, PermitStatus.ACTIVE)
                    if not ok:
                        status = permit.status.value if permit else "unknown"
                        alarms.append(
                            dict(
                                source=f"permit:{ev.permit}",
                                condition=Condition.NO_VALID_PERMIT,
                                site=ev.site,
                                area=ev.area,
                                ts=ev.ts,
                                message=f"work {ev.type.value} without a valid permit "
                                f"({ev.permit}: {status})",
                                permit=ev.permit,
                            )
                        )
                    elif permit is not None and permit.status is PermitStatus.APPROVED:
                        permit.status = PermitStatus.ACTIVE
                        permit.updated_at = ev.ts
                if permit is not None:
                    session.add(
                        PermitEventRow(
                            permit_id=permit.id, ts=ev.ts, type=ev.type.value, by=ev.by, detail=detail
                        )
                    )
                append_audit(
                    session,
                    actor=ev.by,
                    action=f"permit_event.{ev.type.value}",
                    subject=ev.permit,
                    details={"site": ev.site, "area": ev.area, **detail},
                    ts=ev.ts,
                )
        except Exception:
            log.exception("permit event %s on %s could not be recorded", ev.type, ev.permit)
            return
        for spec in alarms:
            self.call(lambda spec=spec: self._emit_transitions(self.engine.raise_event(**spec)))

    def _permit_request(self, req: PermitRequest) -> None:
        """Contract §5: validate by the rules, answer on `reply`; accepted ones join the queue."""
        from cockpit.permit_service import PermitConfig, PermitService
        from connectors.contract import FieldError

        now = self.clock()
        try:
            service = PermitService(self.db, clock=self.clock, config=PermitConfig.from_config(self.config))
            findings = service.create_from_request(req, now)
        except Exception as exc:
            log.exception("permit request %s could not be handled", req.permit)
            findings = None
            errors = [FieldError("", f"the cockpit could not process the request: {exc}", "internal")]
        else:
            errors = [FieldError(f.field or "", f.message, f.code) for f in findings if f.blocks]
        topic = self.topics.permit_reply(req.site, req.area, req.permit)
        self._publish(topic, encode_reply(not errors, errors, now), 1, False)
        if not errors:
            self.call(self._reload_permits_now)

    def _write_journal(self, transitions: list[AlarmTransition]) -> None:
        try:
            with self.db.session() as session:
                session.add_all(
                    [
                        AlarmJournalEntry(
                            alarm_id=t.alarm_id,
                            ts=t.ts,
                            site_id=t.site,
                            area_id=t.area,
                            source=t.source,
                            condition=t.condition,
                            priority=int(t.priority),
                            from_state=str(t.from_state),
                            to_state=str(t.to_state),
                            value=t.value,
                            unit=t.unit or "",
                            who=t.who or "",
                            note=t.note or "",
                            console=self.console,
                        )
                        for t in transitions
                    ]
                )
        except Exception:
            log.exception("%d alarm journal entries could not be written", len(transitions))

    def _flush_journal_later(self) -> None:
        if self._journal:
            pending, self._journal = self._journal, []
            self._db_worker.submit(self._write_journal, pending)

    # --- the published read model -------------------------------------------------------------------

    def health_payload(self) -> dict[str, Any]:
        """Contract §11, as the core thread published it last (at most 250 ms old): from any thread."""
        return dict(self.state.health)

    def _health(self, alarms_active: int | None = None) -> dict[str, Any]:
        """Core thread: contract §11 from the live engine and counters."""
        return {
            "ts": epoch_ms(self.clock()),
            "state": "online",
            "messages_in": self.stats.messages_in,
            "messages_rejected": self.rejections.total,
            "rejected_by_reason": self.rejections.by_reason(),
            "alarms_active": len(self.engine.active()) if alarms_active is None else alarms_active,
            "alarms_unacked": self.engine.unacked_count(),
            "queue_lag_ms": round(self.stats.queue_lag_ms),
        }

    def _take_state(self) -> CoreState:
        """Core thread: copies of everything a reader may want, never live objects."""
        alarms = tuple(self.engine.active())
        return CoreState(
            alarms=alarms,
            flood=self.engine.flood_state(self.clock()),
            work_states=dict(self.stopwork.work_states),
            commands=tuple(c.copy() for c in self.stopwork.recent()),
            permits={k: replace(p) for k, p in self.permits.items()},
            counters=self.connector.counters(),
            link=self.connector.link_state,
            rejections=self.rejections.snapshot(),
            health=self._health(len(alarms)),
            stats=replace(self.stats),
        )

    def _publish_state(self) -> None:
        """Core thread: one attribute swap, so a reader sees the old state or the new one, whole."""
        self.state = self._take_state()
        self._last_state = time.monotonic()


def field_connector(
    config: Config,
    console: str,
    broker_url: str | None,
    username: str | None,
    password: str | None,
    *,
    on_message: Callable[[str, bytes, float], None] | None = None,
    on_link_change: Callable[[LinkState], None] | None = None,
) -> MqttConnector:
    """The console's link to the plant's broker (not started): its URL, TLS files and credentials are
    checked here, so a mistake in them is one readable ``UserError`` before anything runs."""
    tls = None
    if config.mqtt.tls_ca_file or config.mqtt.tls_cert_file:
        from pathlib import Path

        tls = TlsOptions(
            Path(config.mqtt.tls_ca_file) if config.mqtt.tls_ca_file else None,
            Path(config.mqtt.tls_cert_file) if config.mqtt.tls_cert_file else None,
            Path(config.mqtt.tls_key_file) if config.mqtt.tls_key_file else None,
        )
    topics = Topics(config.mqtt.root)
    offline = dumps({"ts": 0, "state": "offline"})
    return MqttConnector(
        broker_url or config.mqtt.url,
        client_id=f"cockpit-{console}"[:64],
        username=username or config.mqtt.username or None,
        password=password,
        tls=tls,
        will=(topics.health(console), offline, 1, True),
        subscriptions=topics.field_subscriptions(),
        on_message=on_message,
        on_link_change=on_link_change,
        keepalive=config.mqtt.keepalive_s,
    )
