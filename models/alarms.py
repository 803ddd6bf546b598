"""The alarm engine: ISA-18.2 / IEC 62682 alarm states, pure Python, no Qt, no database.

Design decisions (each is tested in ``tests/models/test_alarms*.py``):

* **One alarm per source, not per limit.** A gas channel has one alarm,
  ``"{site}/{area}/{device}/{ch}:LEVEL"``, whose condition moves through LO/LOLO/HI/HIHI.
  HI then HIHI is the same alarm escalating: one row on screen, one stop-work cause, and
  the brief's rule "an alarm keeps its highest severity until acknowledged" falls out of it.
  A rise above the shown severity re-annunciates (back to UNACK, counted as an activation).
  STALE (``…/{ch}:STALE``), detector fault (``{site}/{area}/{device}:FAULT``) and discrete
  events (``{source}:{CONDITION}``) are alarms of their own.
* **Latching.** While unacknowledged the shown condition and priority stay at their highest;
  acknowledging drops them to the live condition (a second transition says so).
  Returning to normal while unacknowledged gives RTN_UNACK; acknowledging that clears it.
* **Anti-chatter.** Per limit deadband (``ChannelLimits.deadband``), on-delay for HI/LO,
  ``critical_on_delay_s`` (0 s by default) for HIHI/LOLO, off-delay for every return.
  Delays run on sample time stamps and on :meth:`AlarmEngine.tick`. While an activation waits
  for its on-delay the deadband already applies, so a value hovering at the limit alarms once
  instead of restarting the delay at every dip.
* **Bad data never clears an alarm.** A BAD-quality or NaN sample is not judged, and it (like a
  STALE channel) cancels a pending return to normal; a pending activation goes on.
* **Shelving** needs who, a reason and an end time no more than ``shelve_max`` ahead. When it ends
  (expiry or unshelve) an alarm still active comes back UNACK, one that cleared goes to NORMAL.
  A shelved alarm that rises above the severity it was shelved at is unshelved at once: a
  shelved nuisance HI never hides a HIHI.
* **Out of service** takes an alarm id, or a source prefix (a device, an area) so a detector in
  calibration is covered with all its channels, including alarms that appear later. It hides
  the alarm from annunciation; :meth:`AlarmEngine.active` still lists it as OUT_OF_SERVICE.
* **Discrete events with no return** (man-down, fall, SOS, no motion) stay active until a
  person clears them: :meth:`AlarmEngine.clear_event` refuses them without ``who``.
  A permit past its validity is priority 3 (medium: someone must close or extend it now);
  "about to expire" and expiring certificates are priority 4 (advisories), per the brief.
* **Console sync.** Operator actions are :class:`OperatorAction` records. A remote action whose
  ``action_id`` was seen before is ignored (idempotent). One for an alarm this console does not
  know yet, or an acknowledgement of an alarm not yet active here, is held for ``remote_hold``
  and applied when the alarm appears: messages from two brokers' paths arrive in any order.
  A remote acknowledgement never acknowledges an activation newer than the click (``op.ts``).
* **Alarms only** (docs/ALARMS.md): an alarm asks an operator for an action within a time.
  Paperwork timers (:data:`PAPERWORK_CONDITIONS`: an approval past its deadline, a certificate
  review due) are tasks: :meth:`AlarmEngine.raise_event` refuses them, so they never sound, never
  count towards a flood, and never reach the journal's EEMUA figures.
* **Flood** (EEMUA 191): ``flood_count`` activations within ``flood_window``. Repeats of one
  source stay one row: each alarm counts ``activations`` with ``first_ts``/``last_ts``.

``who`` is ``""`` in transitions the engine makes on its own (limits, expiry, escalation).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from models.alarm_entries import AlarmEntry, ChannelEntry, FloodWindow, bind_limits
from models.alarm_records import (
    EPOCH,
    EVENT_PRIORITY,
    PERSON_CLEARED,
    ActionKind,
    Alarm,
    AlarmState,
    AlarmTransition,
    Condition,
    FloodState,
    OperatorAction,
    required,
)
from models.alarm_suppression import Suppression
from models.alarm_sync import ConsoleSync
from models.errors import UserError
from models.limits import ChannelLimits, LimitResolver
from models.records import CANONICAL_UNITS, SAFETY_CHANNELS, ChannelKey, Priority, Quality, Reading
from models.rules.alarm_texts import alarm_message, cleared_text, fault_text, level_text

# The records live in models.alarm_records; importers keep using this module.
__all__ = [
    "EVENT_PRIORITY",
    "PERSON_CLEARED",
    "ActionKind",
    "Alarm",
    "AlarmEngine",
    "AlarmState",
    "AlarmTransition",
    "Condition",
    "FloodState",
    "OperatorAction",
]


_LEVEL_NAME = {2: Condition.HIHI, 1: Condition.HI, -1: Condition.LO, -2: Condition.LOLO}
_LEVEL_LIMIT = {2: "hihi", 1: "hi", -1: "lo", -2: "lolo"}
_ANNUNCIATED = frozenset({AlarmState.UNACK, AlarmState.ACKED, AlarmState.RTN_UNACK})
_BAD = Quality.BAD

#: Paperwork timers: tasks for the task lane, never alarms (docs/ALARMS.md).
PAPERWORK_CONDITIONS = frozenset({"APPROVAL_ESCALATED", "APPROVAL_OVERDUE", "REVIEW_OVERDUE"})


class AlarmEngine:
    """Judges readings and events into alarms and keeps their ISA-18.2 state.

    Not thread-safe: one owner (the alarm service) calls it from one thread. Every mutating
    call returns the :class:`AlarmTransition` records it caused, in order. Shelving and out of
    service (:class:`~models.alarm_suppression.Suppression`), console sync
    (:class:`~models.alarm_sync.ConsoleSync`) and flood counting
    (:class:`~models.alarm_entries.FloodWindow`) are jobs of
    their own that the engine delegates to; they change its alarms only through it.
    """

    def __init__(
        self,
        resolver: LimitResolver,
        *,
        shelve_max: timedelta = timedelta(hours=8),
        flood_count: int = 10,
        flood_window: timedelta = timedelta(minutes=10),
        remote_hold: timedelta = timedelta(seconds=60),
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._resolver = resolver
        self.shelve_max = shelve_max
        self.remote_hold = remote_hold
        self._clock = clock or (lambda: datetime.now(UTC))
        self._channels: dict[ChannelKey, ChannelEntry] = {}
        # The same channels by detector, then channel name: the ingest path looks a message up once.
        self._by_device: dict[tuple[str, str, str], dict[str, ChannelEntry]] = {}
        self._alarms: dict[str, AlarmEntry] = {}
        self._pending: set[ChannelEntry] = set()
        self._suppression = Suppression(self, self._alarms)
        self._flood = FloodWindow(flood_count, flood_window)
        self._sync = ConsoleSync(self, self._alarms)
        # The sync's own dict and list, shared by identity: ``_emit`` and the ingest path only
        # test them, and stay free of calls while nothing is parked.
        self._parked = self._sync.parked
        self._due = self._sync.due

    # ------------------------------------------------------------------ readings
    def process(self, key: ChannelKey, value: float, quality: Quality, ts: datetime) -> list[AlarmTransition]:
        """Judge one reading. The normal case is two dict/attribute lookups and two compares."""
        ch = self._channels.get(key)
        if ch is None:
            ch = self._open_channel(key)
        if quality is _BAD:
            if ch.pending_toward:
                self._cancel(ch)
            return []
        if ch.live == 0 and ch.pending is None and ch.lo_in < value < ch.hi_in:
            return []
        out: list[AlarmTransition] = []
        self._judge(ch, value, ts, out)
        if self._due:
            self._sync.drain(out)
        return out

    def process_message(
        self, site: str, area: str, device: str, readings: Iterable[Reading], ts: datetime
    ) -> list[AlarmTransition]:
        """Judge every reading of one detector message: ``process`` for each, with one lookup of the
        detector instead of a channel key per reading (the ingest path)."""
        channels = self._by_device.get((site, area, device))
        if channels is None:
            channels = self._by_device[(site, area, device)] = {}
        out: list[AlarmTransition] = []
        for name, value, _unit, quality in readings:
            ch = channels.get(name)
            if ch is None:
                ch = self._open_channel(ChannelKey(site, area, device, name))
            if quality is _BAD:
                if ch.pending_toward:
                    self._cancel(ch)
                continue
            if ch.live == 0 and ch.pending is None and ch.lo_in < value < ch.hi_in:
                continue
            self._judge(ch, value, ts, out)
            if self._due:
                self._sync.drain(out)
        return out

    def _open_channel(self, key: ChannelKey) -> ChannelEntry:
        ch = ChannelEntry(key, self._resolver.limits_for(key))
        self._channels[key] = ch
        site, area, device, name = key
        self._by_device.setdefault((site, area, device), {})[name] = ch
        return ch

    def use_limits(self, resolver: LimitResolver) -> None:
        """The register changed: every channel is judged by ``resolver`` from its next reading on."""
        self._resolver = resolver
        for ch in self._channels.values():
            bind_limits(ch, resolver.limits_for(ch.key))

    def limits(self, key: ChannelKey) -> ChannelLimits | None:
        """The limits this engine judges ``key`` against (for trends drawing limit lines)."""
        return self._resolver.limits_for(key)

    def _level(self, ch: ChannelEntry, value: float) -> int:
        lim = ch.lim
        assert lim is not None
        db = lim.deadband
        # A pending activation already counts as "in alarm" for the deadband, so a value that
        # hovers at the limit keeps its on-delay running instead of restarting it forever.
        live = ch.pending if ch.pending is not None and not ch.pending_toward else ch.live
        if lim.hihi is not None and (value >= lim.hihi or (live >= 2 and value > lim.hihi - db)):
            return 2
        if lim.hi is not None and (value >= lim.hi or (live >= 1 and value > lim.hi - db)):
            return 1
        if lim.lolo is not None and (value <= lim.lolo or (live <= -2 and value < lim.lolo + db)):
            return -2
        if lim.lo is not None and (value <= lim.lo or (live <= -1 and value < lim.lo + db)):
            return -1
        return 0

    def _judge(self, ch: ChannelEntry, value: float, ts: datetime, out: list[AlarmTransition]) -> None:
        if ch.lim is None:
            return
        if math.isnan(value):  # as bad quality
            if ch.pending_toward:
                self._cancel(ch)
            return
        ch.last_value = value
        alarm = ch.alarm
        if alarm is not None and alarm.active:
            alarm.value = value
        raw = self._level(ch, value)
        live = ch.live
        if raw == live:
            if ch.pending is not None:
                self._cancel(ch)
            return
        toward = live != 0 and raw * live >= 0 and abs(raw) < abs(live)
        if ch.pending is None or ch.pending_toward != toward:
            ch.pending_since = ts
            ch.pending_toward = toward
        ch.pending = raw
        self._pending.add(ch)
        self._advance(ch, ts, out)

    def _cancel(self, ch: ChannelEntry) -> None:
        ch.pending = None
        ch.pending_since = None
        ch.pending_toward = False
        self._pending.discard(ch)

    def _advance(self, ch: ChannelEntry, now: datetime, out: list[AlarmTransition]) -> None:
        """Move ``ch.live`` toward ``ch.pending`` once the matching delay has run."""
        lim = ch.lim
        raw = ch.pending
        assert lim is not None and raw is not None and ch.pending_since is not None
        if ch.pending_toward:
            delay = lim.off_delay_s
        else:
            delay = lim.critical_on_delay_s if abs(raw) == 2 else lim.on_delay_s
        if (now - ch.pending_since).total_seconds() < delay:
            return
        ch.live = raw
        self._cancel(ch)
        self._apply_level(ch, raw, now, out)

    def _apply_level(self, ch: ChannelEntry, level: int, ts: datetime, out: list[AlarmTransition]) -> None:
        key, lim, value = ch.key, ch.lim, ch.last_value
        assert lim is not None
        alarm = ch.alarm
        if level == 0:
            if alarm is not None:
                msg = level_text(key.ch, value, lim.unit, str(key))
                self._update(alarm, None, out, ts=ts, value=value, message=msg)
            return
        if alarm is None:
            alarm = ch.alarm = self._new_alarm(
                f"{key}:LEVEL", "level", (key.site, key.area, str(key)), lim.unit
            )
        cond = _LEVEL_NAME[level]
        limit = getattr(lim, _LEVEL_LIMIT[level])
        prio = Priority.CRITICAL if abs(level) == 2 else Priority.HIGH
        msg = level_text(key.ch, value, lim.unit, str(key), cond, limit)
        self._update(alarm, (cond, abs(level), prio, limit), out, ts=ts, value=value, message=msg)

    # ------------------------------------------------------------------ the state machine
    def _new_alarm(self, alarm_id: str, kind: str, key: tuple[str, str, str], unit: str = "") -> AlarmEntry:
        """``key`` is (site, area, source)."""
        alarm = AlarmEntry(alarm_id, kind, *key)
        alarm.unit = unit
        self._suppression.start_out_of_service(alarm)
        self._alarms[alarm_id] = alarm
        return alarm

    def _update(
        self,
        a: AlarmEntry,
        live: tuple[str, int, Priority, float | None] | None,
        out: list[AlarmTransition],
        *,
        ts: datetime,
        message: str,
        value: float | None = None,
        who: str = "",
        note: str = "",
    ) -> None:
        """Apply a new live condition ``(cond, rank, priority, limit)``; ``None`` = returned to normal."""
        before, before_cond = a.state(), a.cond
        was_active = a.active
        if value is not None:
            a.value = value
        if live is None:
            if not was_active:
                return
            a.active = False
            a.live_cond, a.live_rank, a.live_limit = "", 0, None
            if not (a.oos or a.shelved):
                a.message = message
                self._emit(a, before, before_cond, out, ts=ts, who=who, note=note)
            return
        cond, rank, prio, limit = live
        a.active = True
        a.live_cond, a.live_rank, a.live_prio, a.live_limit = cond, rank, prio, limit
        a.live_message = message
        if a.oos:
            return
        if a.shelved:
            if rank <= a.shelve_rank:
                return
            # Rising above the shelved severity: the shelve ends and the alarm comes back.
            self._suppression.clear_shelve(a)
            note = alarm_message("note.rose_shelved", cond=cond)
        if not was_active or rank > a.rank:
            # A new excursion while RTN_UNACK keeps the higher severity not yet acknowledged.
            if a.acked or rank >= a.rank:
                a.cond, a.rank, a.prio, a.limit = cond, rank, prio, limit
                a.message = message
            a.acked = False
            a.acked_by = a.acked_at = None
            a.activations += 1
            a.last_ts = ts
            if a.first_ts is None:
                a.first_ts = ts
            self._flood.record(ts)
        elif a.acked and cond != a.cond:
            a.cond, a.rank, a.prio, a.limit = cond, rank, prio, limit
            a.message = message
        self._emit(a, before, before_cond, out, ts=ts, who=who, note=note)

    def _emit(
        self,
        a: AlarmEntry,
        before: AlarmState,
        before_cond: str,
        out: list[AlarmTransition],
        *,
        ts: datetime,
        who: str = "",
        note: str = "",
        force: bool = False,
    ) -> None:
        after = a.state()
        if not force and after is before and a.cond == before_cond:
            return
        out.append(a.transition(before, after, ts, who, note))
        if self._parked and a.alarm_id in self._parked:
            self._due.append(a.alarm_id)

    # ------------------------------------------------------------------ stale, fault, events
    def set_stale(self, key: ChannelKey, stale: bool, reason: str, ts: datetime) -> list[AlarmTransition]:
        """A channel lost (or regained) valid data. Only safety channels raise an alarm (priority 3)."""
        ch = self._channels.get(key) or self._open_channel(key)
        if stale and ch.pending_toward:
            self._cancel(ch)  # no return to normal on data we no longer have
        if key.ch not in SAFETY_CHANNELS:
            return []
        out: list[AlarmTransition] = []
        alarm_id = f"{key}:STALE"
        alarm = self._alarms.get(alarm_id)
        if stale:
            if alarm is None:
                unit = CANONICAL_UNITS.get(key.ch, "")
                alarm = self._new_alarm(alarm_id, "stale", (key.site, key.area, str(key)), unit)
            msg = alarm_message("stale.active", ch=key.ch, source=str(key), why=reason)
            self._update(
                alarm, (Condition.STALE, 2, Priority.MEDIUM, None), out, ts=ts, message=msg, note=reason
            )
        elif alarm is not None:
            msg = alarm_message("stale.cleared", ch=key.ch, source=str(key))
            self._update(alarm, None, out, ts=ts, message=msg, note=reason)
        self._finish(out)
        return out

    def device_fault(
        self, site: str, area: str, device: str, faulted: bool, ts: datetime, *, detail: str = ""
    ) -> list[AlarmTransition]:
        """Detector fault (priority 3), one alarm per device."""
        source = f"{site}/{area}/{device}"
        alarm_id = f"{source}:FAULT"
        alarm = self._alarms.get(alarm_id)
        out: list[AlarmTransition] = []
        if faulted:
            if alarm is None:
                alarm = self._new_alarm(alarm_id, "fault", (site, area, source))
            msg = fault_text(device, site, area, detail)
            self._update(
                alarm, (Condition.FAULT, 2, Priority.MEDIUM, None), out, ts=ts, message=msg, note=detail
            )
        elif alarm is not None:
            msg = fault_text(device, site, area, None)
            self._update(alarm, None, out, ts=ts, message=msg, note=detail)
        self._finish(out)
        return out

    def raise_event(
        self,
        *,
        source: str,
        condition: str,
        site: str,
        area: str,
        message: str,
        ts: datetime,
        priority: Priority | None = None,
        value: float | None = None,
        permit: str | None = None,
    ) -> list[AlarmTransition]:
        """A discrete alarm (man-down, failed gas test …); repeated while active it changes nothing.

        ``priority`` defaults to :data:`EVENT_PRIORITY`; a condition not listed there needs one.
        """
        cond = condition.upper()
        if cond in PAPERWORK_CONDITIONS:
            raise ValueError(f"{cond} is paperwork, a task and not an alarm (docs/ALARMS.md)")
        prio = priority if priority is not None else EVENT_PRIORITY.get(cond)
        if prio is None:
            raise ValueError(f"no default priority for condition {cond!r}: pass priority=")
        alarm_id = f"{source}:{cond}"
        alarm = self._alarms.get(alarm_id)
        if alarm is None:
            alarm = self._new_alarm(alarm_id, "event", (site, area, source))
        if permit is not None:
            alarm.permit = permit
        out: list[AlarmTransition] = []
        self._update(alarm, (cond, 5 - prio, Priority(prio), None), out, ts=ts, value=value, message=message)
        self._finish(out)
        return out

    def clear_event(
        self, source: str, condition: str, ts: datetime, *, who: str | None = None, note: str = ""
    ) -> list[AlarmTransition]:
        """The event's cause is gone. Man-down, fall, SOS and no-motion need the person who checked."""
        cond = condition.upper()
        alarm = self._alarms.get(f"{source}:{cond}")
        if alarm is None or not alarm.active:
            return []
        if cond in PERSON_CLEARED and not (who and who.strip()):
            raise UserError(f"{cond} at {source} is cleared only by a person: give the name of who checked")
        out: list[AlarmTransition] = []
        msg = cleared_text(cond, source, who)
        self._update(alarm, None, out, ts=ts, message=msg, who=(who or "").strip(), note=note)
        self._finish(out)
        return out

    # ------------------------------------------------------------------ operator actions
    def _get(self, alarm_id: str) -> AlarmEntry:
        alarm = self._alarms.get(alarm_id)
        if alarm is None:
            raise UserError(f"no alarm {alarm_id!r}: the list may be out of date, refresh it")
        return alarm

    def _now(self, ts: datetime | None) -> datetime:
        return self._clock() if ts is None else ts

    def acknowledge(
        self, alarm_id: str, who: str, note: str = "", ts: datetime | None = None
    ) -> list[AlarmTransition]:
        """Acknowledge; a no-op (empty list) when there is nothing to acknowledge."""
        a = self._get(alarm_id)
        who = required(who, "who acknowledges", alarm_id)
        ts = self._now(ts)
        before = a.state()
        if before not in (AlarmState.UNACK, AlarmState.RTN_UNACK):
            return []
        out: list[AlarmTransition] = []
        a.acked, a.acked_by, a.acked_at = True, who, ts
        self._emit(a, before, a.cond, out, ts=ts, who=who, note=note, force=True)
        if a.active and a.cond != a.live_cond:  # the latched severity drops to the live one
            old = a.cond
            a.cond, a.rank, a.prio, a.limit = a.live_cond, a.live_rank, a.live_prio, a.live_limit
            a.message = a.live_message
            note = alarm_message("note.acked_now", old=old, cond=a.cond)
            self._emit(a, AlarmState.ACKED, old, out, ts=ts, note=note)
        self._finish(out)
        return out

    def shelve(
        self, alarm_id: str, who: str, reason: str, until: datetime, ts: datetime | None = None
    ) -> list[AlarmTransition]:
        """Shelve until ``until`` (at most ``shelve_max`` ahead); shelving again changes the end time."""
        return self._suppression.shelve(alarm_id, who, reason, until, ts)

    def unshelve(
        self, alarm_id: str, who: str, ts: datetime | None = None, note: str = ""
    ) -> list[AlarmTransition]:
        return self._suppression.unshelve(alarm_id, who, ts, note)

    def set_out_of_service(
        self,
        target: str,
        who: str,
        reason: str,
        ts: datetime | None = None,
        *,
        in_service: bool = False,
    ) -> list[AlarmTransition]:
        """Take an alarm, or every alarm of a source prefix (device, area), out of service or back.

        A target with no alarm yet is kept, so alarms appearing later start out of service.
        """
        return self._suppression.set_out_of_service(target, who, reason, ts, in_service)

    def out_of_service_targets(self) -> dict[str, tuple[str, str, datetime]]:
        """Each out-of-service target with (who, reason, since)."""
        return self._suppression.out_of_service_targets()

    # ------------------------------------------------------------------ time
    def tick(self, now: datetime | None = None) -> list[AlarmTransition]:
        """Run on a timer (about 1 s): finishes on/off delays, ends shelves, forgets old remote ops."""
        now = self._now(now)
        out: list[AlarmTransition] = []
        for ch in list(self._pending):
            if ch.pending is not None:
                self._advance(ch, now, out)
        self._suppression.expire(now, out)
        self._flood.forget(now)
        if self._parked:
            self._sync.forget_older_than(now - self.remote_hold)
        self._finish(out)
        return out

    # ------------------------------------------------------------------ console sync
    def apply(self, op: OperatorAction) -> list[AlarmTransition]:
        """Carry out a local operator action (raises UserError when it cannot be done)."""
        return self._sync.apply(op)

    def apply_remote(self, op: OperatorAction) -> list[AlarmTransition]:
        """Apply an action another console did; the same action twice gives one transition.

        Held for ``remote_hold`` when its alarm is unknown here, or (an acknowledgement) not yet
        active here. Raises UserError for an action that is malformed (no reason, bad end time).
        """
        return self._sync.apply_remote(op)

    def _finish(self, out: list[AlarmTransition]) -> None:
        if self._due:
            self._sync.drain(out)

    # ------------------------------------------------------------------ queries
    def get(self, alarm_id: str) -> Alarm | None:
        alarm = self._alarms.get(alarm_id)
        return None if alarm is None else alarm.snapshot()

    def activated_at(self, alarm_id: str) -> datetime | None:
        """When ``alarm_id``'s activation began (a stop's cause): no snapshot built on a stop's path."""
        alarm = self._alarms.get(alarm_id)
        return None if alarm is None else alarm.last_ts

    def _sorted(self, alarms: Iterable[AlarmEntry]) -> list[Alarm]:
        snaps = [a.snapshot() for a in alarms]
        snaps.sort(key=lambda s: s.last_ts or EPOCH, reverse=True)
        snaps.sort(key=lambda s: s.priority)
        return snaps

    def active(self) -> list[Alarm]:
        """Every alarm not NORMAL (shelved and out of service included, as such): priority, newest first."""
        return self._sorted(a for a in self._alarms.values() if a.state() is not AlarmState.NORMAL)

    def annunciated(self) -> list[Alarm]:
        """What the operator must see: UNACK, ACKED and RTN_UNACK (not shelved, not out of service)."""
        return self._sorted(a for a in self._alarms.values() if a.state() in _ANNUNCIATED)

    def area_alarms(self, site: str, area: str) -> list[Alarm]:
        return self._sorted(
            a
            for a in self._alarms.values()
            if a.site == site and a.area == area and a.state() is not AlarmState.NORMAL
        )

    def counts_by_priority(self, site: str | None = None, area: str | None = None) -> dict[Priority, int]:
        """Annunciated alarms per priority (every priority present, zero included)."""
        counts = dict.fromkeys(Priority, 0)
        for a in self._alarms.values():
            wanted = (site is None or a.site == site) and (area is None or a.area == area)
            if wanted and a.state() in _ANNUNCIATED:
                counts[a.prio] += 1
        return counts

    def unacked_count(self) -> int:
        """UNACK plus RTN_UNACK: everything still waiting for an acknowledgement."""
        unacked = (AlarmState.UNACK, AlarmState.RTN_UNACK)
        return sum(1 for a in self._alarms.values() if a.state() in unacked)

    def flood_state(self, now: datetime | None = None) -> FloodState:
        """EEMUA 191 flood: ``flood_count`` or more activations in the last ``flood_window``."""
        return self._flood.state(self._now(now))
