"""The cockpit's core: one cycle that owns the live state and closes the loop.

Data flow (docs/ARCHITECTURE.md): paho's network thread appends raw messages to the inbox and,
after each read of its socket, runs the core's cycle itself when no other thread is running it; the
core thread runs it for ticks, operator calls, link changes, and for messages that came while it was
busy (``cockpit/core_loop.py``). The cycle decodes a batch, writes the telemetry store, lets the
alarm engine judge it, runs the stop-work loop, and hands one ``CoreDelta`` per batch to its
listener: the update builder that feeds the window's live model (``cockpit/live.py``), a bench's own
listener, or none (``serve``). Operator actions from the GUI are queued to the cycle, so the store,
the engine, stop-work and the permit cache are never touched by two threads at once.
Anyone else reads ``state``, the ``CoreState`` the core thread publishes (cockpit/core_state.py).
Database work off the stop path (journal, permit events, applications) runs on one database worker.

The constructor is the composition root (``_wire_services``): the services beside the loop are
the permit monitor (cockpit/permit_monitor.py), the alarm journal, console sync, the operator's
alarm acts, the stop-work loop with its auto-stop policy, the notifier (cockpit/notify/, fed by the
alarm transitions and the permit timers' new escalation steps); each gets only the callbacks it needs.
"""

from __future__ import annotations

import gc
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar, cast

from cockpit.ack_check import take_ack
from cockpit.alarm_acts import AlarmActs, alarm_engine
from cockpit.alarm_journal import JOURNAL, AlarmJournal, write_journal
from cockpit.audit_head import AuditHeadKeeper
from cockpit.auto_stop import AutoStopPolicy
from cockpit.config import Config, user_data_dir
from cockpit.connection import CommandLane, field_connector
from cockpit.console_sync import ConsoleSync
from cockpit.core_acts import ActGate, flatten
from cockpit.core_loop import CoreLoop
from cockpit.core_state import CoreDelta, CoreState, CoreStats, PermitInfo, capture_state, core_health
from cockpit.db_records import STOP, WRITERS
from cockpit.duty_lease import duty_keeper
from cockpit.gate import field_gate
from cockpit.inspection.intake import inspection_intake
from cockpit.near_misses import near_miss_intake
from cockpit.notify import core_notifier
from cockpit.outbox import Outbox, OutboxPump, SerialWorker, outbox_path
from cockpit.permit_monitor import AlarmDesk, PermitMonitor
from cockpit.permits.records import PermitStateChange
from cockpit.permits.wind import live_wind
from cockpit.register_live import FollowsRegister, register_follow
from cockpit.sessions import SessionKeys
from cockpit.sparkplug_wiring import sparkplug_host
from cockpit.stop_loop import StopLoop
from cockpit.stopwork import CommandView, StopWorkService
from cockpit.telemetry import TelemetryStore
from cockpit.telemetry_keep import TrendKeeper
from cockpit.wire import dumps, epoch_ms
from cockpit.worker_alarms import worker_alarm
from connectors.contract import ContractDecoder, ContractRejection
from connectors.contract_replies import rejection_reply
from connectors.database import Database
from connectors.mqtt import LinkState
from connectors.own_topics import OWN_RECORDS
from connectors.recorder import open_recorder
from connectors.rejections import RejectionLog
from connectors.topics import Topics
from models.alarms import AlarmTransition
from models.limits import LimitResolver
from models.records import (
    CommandAck,
    DeviceState,
    DeviceStatus,
    GateRequest,
    PermitStatus,
    SensorMessage,
    WorkerEvent,
    WorkerEventType,
)

log = logging.getLogger(__name__)
HEALTH_EVERY_S = 5.0  # the retained health (contract §11), and at once whenever the link is up
T = TypeVar("T")

CHUNK = 128  # messages judged together: small enough that an alarm never waits behind a flood
STATE_INTERVAL_S = 0.25  # the read model is republished at least this often, and at once for alarms


class CockpitCore(FollowsRegister):
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
        data_dir: Path | None = None,
        sessions: SessionKeys | None = None,  # the runtime's, that its logins are signed with
        beside_gui: bool = False,  # in the window's own process: cycles on the core thread only
    ) -> None:
        self.config = config
        self.db = db
        self.console = console or config.general.console_id
        data_dir = data_dir if data_dir is not None else user_data_dir()
        # What the cockpit decides while the database is unreachable waits here (cockpit/outbox.py).
        self.outbox = Outbox(outbox_path(data_dir, self.console), db, {**WRITERS, JOURNAL: write_journal})
        self.clock = clock
        self.listener = listener
        self.topics = Topics(config.mqtt.root)
        self.decoder = ContractDecoder(config.mqtt.root)
        self.rejections = RejectionLog()
        self.store = TelemetryStore(default_max_age_s=config.mqtt.default_max_age_s)
        self.trends = TrendKeeper(self.store, data_dir, self.console, clock=clock)  # kept across restarts
        self.resolver = LimitResolver(config.alarms.profile, config.alarms.limits)
        self.engine = alarm_engine(config, self.resolver)
        self.stats = CoreStats()
        # Who runs the cycle (cockpit/core_loop.py).
        self.loop = CoreLoop(self._cycle, self._last_acts, on_network_thread=not beside_gui)
        self._db_worker = SerialWorker("cockpit-db")
        self.records = OutboxPump(self.outbox, self._db_worker)
        self.record = self.records.record  # a record for the database, in order, never lost to an outage
        self._link_changes: deque[LinkState] = deque()
        self._last_tick = 0.0
        self._left = 0  # messages of the chunk being processed still to judge after this one
        self._last_health = 0.0
        self._recorder: Any = None
        self.connector = field_connector(
            config,
            self.console,
            broker_url,
            username,
            password,
            on_message=self.loop.append,
            on_link_change=self._on_link_change,
            on_read=self.loop.offer,
        )
        self.command_lane = CommandLane(self.connector)
        self.stopwork = StopWorkService(
            db,
            self.command_lane.publish,
            self.topics,
            console=self.console,
            ack_timeout=timedelta(seconds=config.alarms.stop_ack_timeout_s),
            # the stop loop is wired after this service, so these look it up when called
            on_not_executed=lambda view: self.stop_loop.not_executed(view),  # noqa: PLW0108
            on_executed=lambda view: self.stop_loop.executed(view),  # noqa: PLW0108
            record=self.record,
            db_down=lambda: self.outbox.waiting > 0,
            area_permits=self._area_permits,
            send_now=self.command_lane.send_now,
            settle=self._settle_stop,
        )
        self.audit_head = AuditHeadKeeper(
            db, data_dir, publish=self._publish, topic=self.topics.audit_head(), console=self.console
        )
        self.gate = ActGate(db, sessions or SessionKeys(), self.call, db_down=lambda: self.outbox.waiting > 0)
        self._pending_delta = CoreDelta()
        self._last_state = 0.0
        self._state_fresh = False  # published during the current delivery
        self.duties = duty_keeper(config, db, self.console)  # who runs the plant's duties (issue 19)
        self._wire_services()
        self.state: CoreState = capture_state(self)  # swapped whole by the core thread

    def _wire_services(self) -> None:
        """The composition root of the core's services: each gets only what it needs of the core."""
        self.journal = AlarmJournal(self.console, self.record)
        self.notifier = core_notifier(self.config, self.db, self.clock, self.duties.acting)  # own thread
        self.inspections = inspection_intake(self)  # rounds' scans and results, defect work orders
        self.alarm_acts = AlarmActs(
            self.engine,
            self.topics,
            console=self.console,
            clock=self.clock,
            emit=self._emit_transitions,
            publish=self._publish,
        )
        desk = AlarmDesk(
            raise_event=self._raise_event,
            clear_event=self._clear_event,
            event_active=self._event_active,
            permits_changed=self._note_permits,
            call=self.call,
            run_later=self._db_worker.submit,
            publish=self._publish,
        )
        self.permit_monitor = PermitMonitor(
            self.config,
            self.db,
            self.topics,
            desk,
            console=self.console,
            clock=self.clock,
            wind=live_wind(self.store),  # the wind masts grade hot work up (GB 30871 §5.3.2)
            on_escalations=self.notifier.escalated,  # the new steps, once each, to the roles they name
            more_timers=self.inspections.timers,  # defect work orders escalate as approvals do (issue 23)
            duty=self.duties.acting,  # escalations and replies: the duty holder only
        )
        self.field_gate = field_gate(self, desk)  # the field gate: entry checks and who is inside
        routes = self.permit_monitor.field_routes() | self.inspections.routes()  # by record type
        self._db_routes = routes | near_miss_intake(self).routes()  # and the field's near misses
        self.sparkplug = sparkplug_host(self)  # Sparkplug B edge nodes beside the JSON contract (issue 22)
        self.register = register_follow(self, self._db_worker.submit)  # register changes go live
        self.stop_loop = StopLoop(
            self.config,
            self.engine,
            self.stopwork,
            self.permit_monitor,
            AutoStopPolicy(self.permit_monitor, self.stopwork, self.duties),
            clock=self.clock,
            raise_event=self._raise_event,
            clear_event=self._clear_event,
            note_command=self._note_command,
            note_permits=self._note_permits,
            run_db=self._db_worker.submit,
            run_core=self.call,
        )
        self.console_sync = ConsoleSync(
            self.console,
            self.engine,
            self.stopwork,
            emit=self._emit_transitions,
            on_command=self._note_command,
            on_permits=self._note_permits,
        )

    @property
    def permits(self) -> dict[str, PermitInfo]:
        """The live permit cache (the permit monitor's): on the core thread only; others read ``state``."""
        return self.permit_monitor.permits

    def _area_permits(self, site: str, area: str) -> list[PermitInfo]:
        """Core thread: the area's active permits, from the cache (a stop names them without the database)."""
        return [p for p in self.permit_monitor.in_area(site, area) if p.status is PermitStatus.ACTIVE]

    def publish_permit_state(self, change: PermitStateChange) -> None:
        """For the permit service: every change goes out (contract §6), from any thread."""
        self.permit_monitor.publish_state(change)

    # --- life cycle -----------------------------------------------------------------------------------

    def start(self) -> None:
        now = self.clock()
        # The link's handshake runs on paho's thread while the registers load; messages wait in the inbox.
        self.connector.start()
        self.command_lane.start()
        self.outbox.drain()  # what waited from before a restart is on record before anything is loaded
        self.permit_monitor.load()
        self.field_gate.load(now)  # who is inside, by the record (cockpit/gate_presence.py)
        self.register.take(*self.register.load())  # the register's limits and detectors, then followed
        self.stopwork.load(now - timedelta(days=2))
        self.stopwork.adopt_pending(self.outbox.pending(STOP))  # the stops still waiting are ours
        self.trends.start()  # the history kept before a restart (cockpit/telemetry_keep.py)
        self._recorder = open_recorder(self.config.mqtt.record_file)  # raw messages, when asked
        # What was loaded lives as long as the program: out of the collector's passes (a stop waited 200 ms).
        if gc.isenabled():  # in a window's process only the GUI thread collects (GuiThreadCollector)
            gc.collect()
        gc.freeze()
        self.duties.start()  # the lease taken (or not) before the first reading is judged
        self._publish_state()  # what was loaded, before the core thread owns it
        self.loop.start()
        self.notifier.start()
        self.sparkplug.start()
        self.permit_monitor.publish_open(now)

    def stop(self) -> None:
        if not self.loop.stop():  # the core thread ended, and no cycle runs any more
            return
        self.duties.stop()  # the duties ended with the core thread: the lease goes back at once
        self.gate.close()
        self.stopwork.claims.close()
        self.trends.stop()  # the last save, with everything the core thread wrote
        # What the core thread published last: this thread reads nothing the core thread owns.
        last = {**self.state.health, "ts": epoch_ms(self.clock()), "state": "offline"}
        self._publish(self.topics.health(self.console), dumps(last), 1, True)
        self.records.close()  # after the journal's last entries the core thread handed it
        self.sparkplug.stop()
        self.command_lane.stop()
        self.connector.stop()
        self.notifier.stop()
        if self._recorder is not None:
            self._recorder.close()

    # --- thread-safe entry points (acts take a LoginSession, checked by the gate: core_acts) ---------

    def call(self, fn: Callable[[], T]) -> Future[T]:
        """Run ``fn`` in the core's cycle; the future carries its result or exception."""
        return self.loop.call(fn)

    def acknowledge(self, who: object, alarm_ids: list[str], note: str = "") -> Future[int]:
        return self.gate.act(who, "acknowledge", lambda a: self.alarm_acts.acknowledge(a, alarm_ids, note))

    def shelve(self, who: object, alarm_id: str, reason: str, minutes: float) -> Future[int]:
        return self.gate.act(who, "shelve", lambda a: self.alarm_acts.shelve(a, alarm_id, reason, minutes))

    def unshelve(self, who: object, alarm_id: str) -> Future[int]:
        return self.gate.act(who, "unshelve", lambda a: self.alarm_acts.unshelve(a, alarm_id))

    def set_out_of_service(self, who: object, alarm_id: str, reason: str, in_service: bool) -> Future[int]:
        out = self.alarm_acts.set_out_of_service
        return self.gate.act(who, "set_out_of_service", lambda a: out(a, alarm_id, reason, in_service))

    def clear_event(self, who: object, alarm_id: str, note: str = "") -> Future[int]:
        return self.gate.act(who, "clear_event", lambda a: self.alarm_acts.clear_event(a, alarm_id, note))

    def stop_work(
        self, who: object, site: str, area: str, reason: str, alarm_id: str | None = None
    ) -> Future[CommandView | None]:
        return self.gate.act(who, "stop_work", lambda a: self.stop_loop.stop(a, site, area, reason, alarm_id))

    def resume_work(self, who: object, site: str, area: str, reason: str) -> Future[CommandView]:
        started = self.gate.act(who, "resume_work", lambda a: self.stop_loop.resume(a, site, area, reason))
        return flatten(started)  # checked on the core thread, recorded on the database worker, then sent

    # --- paho thread ----------------------------------------------------------------------------------

    def _on_link_change(self, state: LinkState) -> None:
        self._link_changes.append(state)
        self.loop.wake()

    def _publish(self, topic: str, payload: bytes, qos: int, retain: bool) -> object:
        return self.connector.publish(topic, payload, qos=qos, retain=retain)

    # --- the core's cycle (on whichever thread runs it: cockpit/core_loop.py) --------------------------

    def _last_acts(self) -> None:
        """The core thread's last acts: the final read model, the journal's rest to the database worker."""
        try:
            self._publish_state()
        finally:
            self.journal.hand_over()

    def _cycle(self) -> None:
        # Small chunks: a HIHI is judged (and its stop sent) before the thousands that came with it are
        # decoded; operator acts and reads run between chunks; ticks and the GUI get a turn every 2,048.
        inbox = self.loop.inbox
        budget = 2048
        self.loop.run_calls()
        while inbox and budget > 0:
            chunk = [inbox.popleft() for _ in range(min(CHUNK, len(inbox)))]
            budget -= len(chunk)
            self._process(chunk)
            if self._pending_delta.transitions or self._pending_delta.commands:
                self._deliver()  # an alarm or a command reaches the screens now, not after the backlog
            self.loop.run_calls()
        if inbox:
            self.loop.wake()
        while self._link_changes:
            link = self._pending_delta.link = self._link_changes.popleft()
            if link.connected:  # subscribed: say so at once, not at the next 5 s tick (consoles, tools)
                self._last_health = -math.inf
        mono = time.monotonic()
        if mono - self._last_tick >= 0.25:
            self._last_tick = mono
            self._tick(self.clock())
        if mono - self._last_health >= HEALTH_EVERY_S:
            self._last_health = mono
            self._publish(self.topics.health(self.console), dumps(core_health(self)), 0, True)
            self.audit_head.poll()  # a head the window's process wrote (its approvals) goes out too
        self.journal.hand_over()
        self._deliver()

    def _deliver(self) -> None:
        """Hand what changed to the listener (the GUI's update builder, a bench), start a new delta, and
        publish the read model every 250 ms, not per alarm (a copy per alarm: stop p50 6.6 -> 9.2 ms,
        bench/alarm_latency); a listener that needs it with an alarm takes ``fresh_state``."""
        self._state_fresh = False
        if self._pending_delta and self.listener is not None:
            delta, self._pending_delta = self._pending_delta, CoreDelta()
            try:
                self.listener(delta)
            except Exception:
                log.exception("core listener failed")
        elif self.listener is None and self._pending_delta:  # an empty one serves again (serve, benches)
            self._pending_delta = CoreDelta()
        if not self._state_fresh and time.monotonic() - self._last_state >= STATE_INTERVAL_S:
            self._publish_state()
        self._state_fresh = False

    def fresh_state(self) -> CoreState:
        """Core thread only: the state as of now, published for every reader (once per delivery)."""
        if not self._state_fresh:
            self._publish_state()
        return self.state

    def _process(self, batch: list[tuple[str, bytes, float]]) -> None:
        now = self.clock()
        stats = self.stats
        stats.messages_in += len(batch)
        stats.batches += 1
        stats.max_batch = max(stats.max_batch, len(batch))
        stats.queue_lag_ms = max(0.0, (time.time() - batch[0][2]) * 1000.0)
        if stats.first_arrival is None:
            stats.first_arrival = batch[0][2]
        decode = self.sparkplug.decode  # the JSON decoder's own, or Sparkplug's beside it
        sensors: list[SensorMessage | DeviceStatus] = []
        others: list[Any] = []
        recorder = self._recorder
        judge = self._judge
        for self._left, (topic, payload, arrival) in zip(reversed(range(len(batch))), batch, strict=True):
            if recorder is not None:
                recorder.record(topic, payload, arrival)
            result = decode(topic, payload, now)
            if type(result) is SensorMessage:  # judged as it is decoded: the common case first
                sensors.append(result)
                judge(result)
            elif result is not None:  # None: a console's topic no console reads (its §6 state, §5 reply)
                self._sort(result, sensors, others, now)
        self._left = 0
        if sensors:
            self._keep_readings(sensors, now)
        if others:
            self._dispatch(others, now)
        stats.last_done = time.time()

    def _sort(
        self, result: Any, sensors: list[SensorMessage | DeviceStatus], others: list[Any], now: datetime
    ) -> None:
        """A decoded message other than a detector's readings, in arrival order: a status judged at
        once as readings are, a rejection counted (and answered), a console's record synced; the rest
        dispatched after the chunk's readings are kept."""
        if type(result) is list:  # Sparkplug: readings, statuses, acks (cockpit/sparkplug_link.py)
            for item in result:
                if isinstance(item, CommandAck):
                    others.append(item)
                else:
                    sensors.append(item)
                    self._judge(item)
        elif isinstance(result, DeviceStatus):
            sensors.append(result)
            self._judge(result)
        elif isinstance(result, ContractRejection):
            self.rejections.record(result)
            if result.reply_to is not None and self.duties.acting():  # one answer: the holder's
                self._publish(result.reply_to.topic, rejection_reply(result, now), 1, False)
        elif isinstance(result, OWN_RECORDS):
            self.console_sync.handle(result, now)  # in arrival order, between the field's messages
        else:
            others.append(result)

    def _dispatch(self, others: list[Any], now: datetime) -> None:
        """Worker events and acks on this thread; permit and inspection messages to the database worker."""
        for msg in others:
            if isinstance(msg, WorkerEvent):
                self._worker_event(msg, now)
            elif isinstance(msg, CommandAck):
                self._ack(msg, now)
            elif type(msg) in self._db_routes:  # permit events and applications, inspection messages
                self._db_worker.submit(self._db_routes[type(msg)], msg)
            elif isinstance(msg, GateRequest) and self.duties.acting():  # one answer: the duty holder's
                self.field_gate.on_request(msg)  # answered from the database worker (cockpit/gate.py)

    def _ack(self, ack: CommandAck, now: datetime) -> None:
        """Only for a command sent to the ack's own site and area (cockpit/ack_check.py)."""
        topic = self.topics.command_ack(ack.site, ack.area)
        view = take_ack(ack, self.stopwork, topic, self.rejections.record, now)
        if view is not None:
            self._pending_delta.commands.append(view)

    def _settle_stop(self) -> None:
        """A stop and its states are written: with nothing else waiting to be judged, the broker gets
        this thread's core until it has taken them (``CommandLane.settle``); readings waiting (under
        load, or a gas cloud stopping several areas in one chunk) come first."""
        self.command_lane.settle(wait=self._left == 0 and not self.loop.inbox)

    def _judge(self, msg: SensorMessage | DeviceStatus) -> None:
        """The engine judges a message as soon as it is decoded, and what it raised goes on at once (an
        automatic stop sent), before the rest of its chunk is decoded: a HIHI among a burst's 128
        readings used to wait for all of them to be decoded first (issue 20)."""
        if type(msg) is SensorMessage:
            out = self.engine.process_message(msg.site, msg.area, msg.device, msg.readings, msg.ts)
        else:
            status = cast(DeviceStatus, msg)
            faulted = status.state is DeviceState.FAULT
            out = self.engine.device_fault(status.site, status.area, status.device, faulted, status.ts)
        if out:
            self._emit_transitions(out)

    def _keep_readings(self, messages: list[SensorMessage | DeviceStatus], now: datetime) -> None:
        """The store keeps a chunk's readings once the engine has judged them (``_judge``): it judges
        nothing the engine reads, and its work is off a stop's path. Its staleness changes follow, as
        before, after the levels."""
        update = self.store.ingest(messages, now)
        delta = self._pending_delta
        delta.dirty_channels.update(update.changed)
        stale: list[AlarmTransition] = []
        for change in update.stale_changes:  # a device's status can stale channels that had no reading
            stale.extend(self.engine.set_stale(change.key, change.stale, str(change.reason or ""), now))
            delta.dirty_channels.add(change.key)
        if stale:
            self._emit_transitions(stale)

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
        self.permit_monitor.tick(now)
        self.field_gate.tick(now)  # a non-holder follows the holder's headcount; a new holder reads it
        self.register.tick()  # register changes, read on the database worker
        self.records.tick()

    # --- alarms ---------------------------------------------------------------------------------------

    def _emit_transitions(self, transitions: list[AlarmTransition]) -> None:
        self.journal.add(transitions)
        self.notifier.add(transitions)
        self._pending_delta.transitions.extend(transitions)
        for tr in transitions:
            self.stop_loop.on_transition(tr)

    def _raise_event(self, **spec: Any) -> None:
        self._emit_transitions(self.engine.raise_event(**spec))

    def _clear_event(self, source: str, condition: str, ts: datetime, who: str) -> None:
        self._emit_transitions(self.engine.clear_event(source, condition, ts=ts, who=who))

    def _note_command(self, view: CommandView) -> None:
        self._pending_delta.commands.append(view)

    def _note_permits(self) -> None:
        self._pending_delta.permits_changed = True

    def _worker_event(self, ev: WorkerEvent, now: datetime) -> None:
        if ev.x is not None and ev.y is not None:
            self._pending_delta.worker_positions.append(ev)
        if ev.type is WorkerEventType.CHECKIN:
            self.permit_monitor.on_checkin(ev, now)
            return
        self.field_gate.on_movement(ev, now)  # entry and exit: the headcount, an entry nobody allowed
        if (spec := worker_alarm(ev)) is not None:
            self._raise_event(**spec)

    def _event_active(self, source: str, condition: str) -> bool:
        alarm = self.engine.get(f"{source}:{condition}")
        return alarm is not None and alarm.active

    # --- the published read model -------------------------------------------------------------------

    def health_payload(self) -> dict[str, Any]:
        """Contract §11, as the core thread published it last (at most 250 ms old): from any thread."""
        return dict(self.state.health)

    def _publish_state(self) -> None:
        """Core thread: one attribute swap, so a reader sees the old state or the new one, whole."""
        self.state = capture_state(self)
        self._last_state = time.monotonic()
        self._state_fresh = True
