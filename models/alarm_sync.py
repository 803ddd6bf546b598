"""Console sync for the alarm engine: each operator action once, remote ones held for their alarm.

Consoles sharing a broker exchange :class:`~models.alarm_records.OperatorAction` records. An action
whose ``action_id`` was seen before is ignored (idempotent). A remote one for an alarm this console
does not know yet, or an acknowledgement of an alarm not yet active here, is parked for the
engine's ``remote_hold`` and applied when the alarm appears: messages from two brokers' paths
arrive in any order. A remote acknowledgement never acknowledges an activation newer than the
click (``op.ts``).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from models.alarm_records import ActionKind, AlarmState, AlarmTransition, OperatorAction
from models.errors import UserError

if TYPE_CHECKING:
    from models.alarms import AlarmEngine

log = logging.getLogger(__name__)

_SEEN_MAX = 10_000
_AWAITS_ACK = (AlarmState.UNACK, AlarmState.RTN_UNACK)


class _SyncedAlarm(Protocol):
    """What the sync reads of an alarm the engine holds."""

    @property
    def last_ts(self) -> datetime | None: ...

    def state(self) -> AlarmState: ...


class ConsoleSync:
    """Operator actions by id for one engine, and the remote ones waiting for their alarm.

    ``parked`` and ``due`` are shared with the engine by identity: the engine marks a parked
    alarm due when it changes and drains when ``due`` is not empty, so its ingest path checks a
    list and never calls in here for nothing.
    """

    def __init__(self, engine: AlarmEngine, alarms: Mapping[str, _SyncedAlarm]) -> None:
        self._engine = engine
        self._alarms = alarms
        self._seen: set[str] = set()
        self._seen_order: deque[str] = deque()
        self.parked: dict[str, list[OperatorAction]] = {}
        self.due: list[str] = []

    def _remember(self, action_id: str) -> None:
        self._seen.add(action_id)
        self._seen_order.append(action_id)
        if len(self._seen_order) > _SEEN_MAX:
            self._seen.discard(self._seen_order.popleft())

    def apply(self, op: OperatorAction) -> list[AlarmTransition]:
        """Carry out a local operator action (raises UserError when it cannot be done)."""
        if op.action_id in self._seen:
            return []
        out = self._dispatch(op)
        self._remember(op.action_id)
        return out

    def _dispatch(self, op: OperatorAction) -> list[AlarmTransition]:
        engine, kind = self._engine, op.kind
        if kind is ActionKind.ACK:
            return engine.acknowledge(op.alarm_id, op.who, op.note, op.ts)
        if kind is ActionKind.SHELVE:
            if op.until is None:
                raise UserError(f"{op.alarm_id}: a shelve needs an end time")
            return engine.shelve(op.alarm_id, op.who, op.reason, op.until, op.ts)
        if kind is ActionKind.UNSHELVE:
            return engine.unshelve(op.alarm_id, op.who, op.ts, op.note)
        in_service = kind is ActionKind.IN_SERVICE
        return engine.set_out_of_service(op.alarm_id, op.who, op.reason, op.ts, in_service=in_service)

    def apply_remote(self, op: OperatorAction) -> list[AlarmTransition]:
        """Apply an action another console did; the same action twice gives one transition."""
        if op.action_id in self._seen:
            return []
        self._remember(op.action_id)
        result = self._try_remote(op)
        if result is None:
            if op.kind is ActionKind.SHELVE and (not op.reason.strip() or op.until is None):
                raise UserError(f"{op.alarm_id}: a remote shelve without reason or end time was refused")
            self.parked.setdefault(op.alarm_id, []).append(op)
            return []
        return result

    def _try_remote(self, op: OperatorAction) -> list[AlarmTransition] | None:
        """The transitions of ``op``, or ``None`` when it must wait for its alarm."""
        if op.kind in (ActionKind.OUT_OF_SERVICE, ActionKind.IN_SERVICE):
            return self._dispatch(op)
        a = self._alarms.get(op.alarm_id)
        if a is None:
            return None
        if op.kind is ActionKind.ACK:
            if a.state() not in _AWAITS_ACK:
                return None
            if a.last_ts is not None and op.ts < a.last_ts:
                return []  # acknowledges an earlier activation; this one is new
        return self._dispatch(op)

    def drain(self, out: list[AlarmTransition]) -> None:
        """Apply what was parked for the alarms marked due, keeping what must still wait."""
        due = self.due[:]
        self.due.clear()
        for alarm_id in dict.fromkeys(due):
            ops = self.parked.pop(alarm_id, [])
            waiting = []
            for op in ops:
                try:
                    result = self._try_remote(op)
                except UserError as exc:
                    log.warning("remote operator action %s dropped: %s", op.action_id, exc)
                    continue
                if result is None:
                    waiting.append(op)
                else:
                    out.extend(result)
            if waiting:
                self.parked[alarm_id] = waiting
        self.due.clear()  # transitions made while draining do not re-trigger it

    def forget_older_than(self, oldest: datetime) -> None:
        """Drop parked actions done before ``oldest``: their alarm never came."""
        for alarm_id in list(self.parked):
            kept = [op for op in self.parked[alarm_id] if op.ts >= oldest]
            if kept:
                self.parked[alarm_id] = kept
            else:
                del self.parked[alarm_id]
