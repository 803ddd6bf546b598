"""Shelving and out of service for the alarm engine: who hid which alarm, until when, and its return.

* **Shelving** needs who, a reason and an end time no more than the engine's ``shelve_max`` ahead.
  When it ends (expiry or unshelve) an alarm still active comes back UNACK, one that cleared goes
  to NORMAL. The engine unshelves at once an alarm rising above the severity it was shelved at.
* **Out of service** takes an alarm id, or a source prefix (a device, an area) so a detector in
  calibration is covered with all its channels, including alarms that appear later.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from models.alarm_records import AlarmTransition, required
from models.errors import UserError

if TYPE_CHECKING:
    from models.alarm_entries import AlarmEntry
    from models.alarms import AlarmEngine


class Suppression:
    """The shelves and out-of-service targets of one engine, and the operator actions on them.

    Part of the engine: it changes the engine's alarms and reports through the engine's
    ``_emit``, so every transition still comes out in order from the call that caused it.
    """

    def __init__(self, engine: AlarmEngine, alarms: dict[str, AlarmEntry]) -> None:
        self._engine = engine
        self._alarms = alarms
        self._shelved: set[str] = set()
        self._oos_targets: dict[str, tuple[str, str, datetime]] = {}

    # ------------------------------------------------------------------ shelving
    def shelve(
        self, alarm_id: str, who: str, reason: str, until: datetime, ts: datetime | None = None
    ) -> list[AlarmTransition]:
        engine = self._engine
        a = engine._get(alarm_id)
        who = required(who, "who shelves", alarm_id)
        reason = required(reason, "a reason to shelve", alarm_id)
        ts = engine._now(ts)
        if not isinstance(until, datetime) or until.tzinfo is None:
            raise UserError(f"{alarm_id}: the shelve end time must be a date and time with a zone")
        if until <= ts:
            raise UserError(f"{alarm_id}: the shelve end time {until:%Y-%m-%d %H:%M} UTC has already passed")
        if until - ts > engine.shelve_max:
            hours = engine.shelve_max.total_seconds() / 3600
            raise UserError(
                f"{alarm_id}: an alarm may be shelved for at most {hours:g} h; choose an earlier end"
            )
        if a.oos:
            raise UserError(f"{alarm_id} is out of service; return it to service before shelving it")
        before = a.state()
        if not a.shelved:
            a.shelve_rank = max(a.rank, a.live_rank)
        a.shelved, a.shelved_by, a.shelved_until, a.shelve_reason = True, who, until, reason
        self._shelved.add(alarm_id)
        out: list[AlarmTransition] = []
        engine._emit(a, before, a.cond, out, ts=ts, who=who, note=reason, force=True)
        engine._finish(out)
        return out

    def unshelve(
        self, alarm_id: str, who: str, ts: datetime | None = None, note: str = ""
    ) -> list[AlarmTransition]:
        engine = self._engine
        a = engine._get(alarm_id)
        who = required(who, "who unshelves", alarm_id)
        if not a.shelved:
            return []
        out: list[AlarmTransition] = []
        self._end_shelve(a, engine._now(ts), who, note, out)
        engine._finish(out)
        return out

    def expire(self, now: datetime, out: list[AlarmTransition]) -> None:
        """End the shelves whose time is up (the engine's tick)."""
        for alarm_id in sorted(self._shelved):
            a = self._alarms[alarm_id]
            if a.shelved_until is not None and a.shelved_until <= now:
                self._end_shelve(a, now, "", "shelve expired", out)

    def _end_shelve(
        self, a: AlarmEntry, ts: datetime, who: str, note: str, out: list[AlarmTransition]
    ) -> None:
        before, before_cond = a.state(), a.cond
        self.clear_shelve(a)
        self._reveal(a, ts)
        self._engine._emit(a, before, before_cond, out, ts=ts, who=who, note=note, force=True)

    def clear_shelve(self, a: AlarmEntry) -> None:
        a.shelved = False
        a.shelved_by = a.shelved_until = a.shelve_reason = None
        a.shelve_rank = 0
        self._shelved.discard(a.alarm_id)

    @staticmethod
    def _reveal(a: AlarmEntry, ts: datetime) -> None:
        """After shelving or maintenance: an active alarm comes back unacknowledged at its live severity."""
        if a.active:
            a.acked = False
            a.acked_by = a.acked_at = None
            a.cond, a.rank, a.prio, a.limit = a.live_cond, a.live_rank, a.live_prio, a.live_limit
            a.message = a.live_message
            a.last_ts = ts
            if a.first_ts is None:
                a.first_ts = ts
        else:
            a.acked = True

    # ------------------------------------------------------------------ out of service
    def target_of(self, a: AlarmEntry) -> str | None:
        """The out-of-service target covering ``a``, if any."""
        for target in self._oos_targets:
            if target in (a.alarm_id, a.source) or a.source.startswith(target + "/"):
                return target
        return None

    def start_out_of_service(self, a: AlarmEntry) -> None:
        """A new alarm under an out-of-service target starts out of service."""
        target = self.target_of(a)
        if target is not None:
            a.oos = True
            a.oos_by, a.oos_reason, _ = self._oos_targets[target]

    def set_out_of_service(
        self, target: str, who: str, reason: str, ts: datetime | None, in_service: bool
    ) -> list[AlarmTransition]:
        engine = self._engine
        target = required(target, "an alarm or source", "out of service")
        who = required(who, "who", target)
        ts = engine._now(ts)
        out: list[AlarmTransition] = []
        if not in_service:
            reason = required(reason, "a reason for out of service", target)
            self._oos_targets[target] = (who, reason, ts)
            for a in list(self._alarms.values()):
                if not a.oos and self.target_of(a) is not None:
                    before, before_cond = a.state(), a.cond
                    if a.shelved:
                        self.clear_shelve(a)
                    a.oos, a.oos_by, a.oos_reason = True, who, reason
                    engine._emit(a, before, before_cond, out, ts=ts, who=who, note=reason)
        elif self._oos_targets.pop(target, None) is not None:
            for a in list(self._alarms.values()):
                if a.oos and self.target_of(a) is None:
                    before, before_cond = a.state(), a.cond
                    a.oos, a.oos_by, a.oos_reason = False, None, None
                    self._reveal(a, ts)
                    engine._emit(a, before, before_cond, out, ts=ts, who=who, note=reason, force=True)
        engine._finish(out)
        return out

    def out_of_service_targets(self) -> dict[str, tuple[str, str, datetime]]:
        return dict(self._oos_targets)
