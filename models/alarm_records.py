"""The alarm engine's records: states, conditions, transitions, snapshots and operator actions.

Plain frozen values with no engine behind them, so the engine (:mod:`models.alarms`) and its
console sync (:mod:`models.alarm_sync`) share them without importing each other. Everyone else
imports them from :mod:`models.alarms`, which re-exports them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from models.errors import UserError
from models.records import Priority, StrEnum


class AlarmState(StrEnum):
    """ISA-18.2 states as the operator sees them."""

    NORMAL = "normal"
    UNACK = "unack"  # active, unacknowledged
    ACKED = "acked"  # active, acknowledged
    RTN_UNACK = "rtn_unack"  # returned to normal, unacknowledged
    SHELVED = "shelved"
    OUT_OF_SERVICE = "out_of_service"


class Condition(StrEnum):
    """Alarm conditions the engine knows; ``raise_event`` also accepts others with a priority."""

    HIHI = "HIHI"
    HI = "HI"
    LO = "LO"
    LOLO = "LOLO"
    STALE = "STALE"
    FAULT = "FAULT"
    MAN_DOWN = "MAN_DOWN"
    FALL = "FALL"
    SOS = "SOS"
    NO_MOTION = "NO_MOTION"
    GAS_TEST_FAILED = "GAS_TEST_FAILED"
    NO_VALID_PERMIT = "NO_VALID_PERMIT"
    STOP_NOT_EXECUTED = "STOP_NOT_EXECUTED"
    GAS_RETEST_OVERDUE = "GAS_RETEST_OVERDUE"
    CHECKIN_OVERDUE = "CHECKIN_OVERDUE"
    PERMIT_EXPIRED = "PERMIT_EXPIRED"
    PERMIT_EXPIRING = "PERMIT_EXPIRING"
    CERT_EXPIRING = "CERT_EXPIRING"


# Default priority of each discrete condition (brief, "Alarm handling").
EVENT_PRIORITY: dict[str, Priority] = {
    Condition.MAN_DOWN: Priority.CRITICAL,
    Condition.FALL: Priority.CRITICAL,
    Condition.SOS: Priority.CRITICAL,
    Condition.NO_MOTION: Priority.CRITICAL,
    Condition.GAS_TEST_FAILED: Priority.HIGH,
    Condition.NO_VALID_PERMIT: Priority.HIGH,
    Condition.STOP_NOT_EXECUTED: Priority.HIGH,
    Condition.GAS_RETEST_OVERDUE: Priority.MEDIUM,
    Condition.CHECKIN_OVERDUE: Priority.MEDIUM,
    Condition.PERMIT_EXPIRED: Priority.MEDIUM,
    Condition.PERMIT_EXPIRING: Priority.LOW,
    Condition.CERT_EXPIRING: Priority.LOW,
}

# Conditions with no "return": only a person who has checked may clear them.
PERSON_CLEARED = frozenset({Condition.MAN_DOWN, Condition.FALL, Condition.SOS, Condition.NO_MOTION})


@dataclass(frozen=True, slots=True)
class AlarmTransition:
    """One change of one alarm: what the journal stores and what other views apply.

    ``condition`` is the condition shown after the change (for an acknowledgement: the one
    acknowledged); ``who`` is empty when the engine acted on its own.
    """

    alarm_id: str
    ts: datetime
    site: str
    area: str
    source: str
    condition: str
    priority: Priority
    from_state: AlarmState
    to_state: AlarmState
    value: float | None
    unit: str
    who: str
    note: str
    message: str
    limit: float | None = None
    permit: str | None = None


@dataclass(frozen=True, slots=True)
class Alarm:
    """A read-only snapshot of one alarm for lists, popups and the handover report."""

    alarm_id: str
    kind: str  # "level", "stale", "fault", "event"
    site: str
    area: str
    source: str
    condition: str
    priority: Priority
    state: AlarmState
    active: bool
    value: float | None
    unit: str
    limit: float | None
    first_ts: datetime | None
    last_ts: datetime | None
    activations: int
    acked_by: str | None
    acked_at: datetime | None
    shelved_by: str | None
    shelved_until: datetime | None
    shelve_reason: str | None
    oos_by: str | None
    oos_reason: str | None
    message: str
    permit: str | None


@dataclass(frozen=True, slots=True)
class FloodState:
    active: bool
    count_in_window: int


class ActionKind(StrEnum):
    ACK = "ack"
    SHELVE = "shelve"
    UNSHELVE = "unshelve"
    OUT_OF_SERVICE = "out_of_service"
    IN_SERVICE = "in_service"


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _to_ms(ts: datetime) -> int:
    return (ts - EPOCH) // timedelta(milliseconds=1)


def _from_wire(raw: object, name: str) -> datetime:
    if isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw):
        return EPOCH + timedelta(milliseconds=raw)
    if isinstance(raw, str):
        try:
            ts = datetime.fromisoformat(raw)
        except ValueError:
            ts = None
        if ts is not None and ts.tzinfo is not None:
            return ts.astimezone(UTC)
    raise UserError(
        f"operator action: {name} {raw!r} is neither epoch milliseconds nor an ISO time with zone"
    )


@dataclass(frozen=True, slots=True)
class OperatorAction:
    """An operator's act on an alarm, as consoles sharing a broker exchange it.

    ``alarm_id`` holds the alarm id, or for out-of-service the alarm id or source prefix.
    On the wire times are epoch milliseconds, as everywhere in the MQTT contract.
    """

    kind: ActionKind
    alarm_id: str
    who: str
    ts: datetime
    note: str = ""
    reason: str = ""
    until: datetime | None = None
    console: str = ""
    action_id: str = field(default_factory=lambda: uuid4().hex)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "alarm_id": self.alarm_id,
            "who": self.who,
            "ts": _to_ms(self.ts),
            "note": self.note,
            "reason": self.reason,
            "until": None if self.until is None else _to_ms(self.until),
            "console": self.console,
            "action_id": self.action_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OperatorAction:
        try:
            kind = ActionKind(data.get("kind"))
        except ValueError:
            raise UserError(
                f"operator action: kind {data.get('kind')!r} is not one of {', '.join(ActionKind)}"
            ) from None
        texts = {}
        for name in ("alarm_id", "who", "action_id", "note", "reason", "console"):
            value = data.get(name, "")
            if not isinstance(value, str):
                raise UserError(f"operator action: {name} must be text, got {value!r}")
            texts[name] = value
        for name in ("alarm_id", "who", "action_id"):
            if not texts[name].strip():
                raise UserError(f"operator action: {name} is missing")
        until_raw = data.get("until")
        return cls(
            kind=kind,
            ts=_from_wire(data.get("ts"), "ts"),
            until=None if until_raw is None else _from_wire(until_raw, "until"),
            **texts,
        )


def required(value: str | None, what: str, alarm_id: str) -> str:
    """``value`` stripped; a UserError naming ``what`` when it is missing or blank."""
    if value is None or not value.strip():
        raise UserError(f"{alarm_id}: {what} is required")
    return value.strip()
