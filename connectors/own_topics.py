"""The consoles' own topics as typed records: what other consoles on the broker send to stay in step.

``ContractDecoder`` returns these for the own topics of the table (``connectors.topics``) with the same
rules as field messages: the payload must be a UTF-8 JSON object of at most the payload limit, each
field of its type (identifiers, enumerations, text); a malformed one is a counted rejection, never a
crash. One difference, on purpose: ``ts`` is checked for its form but not for its distance from the
cockpit's clock. These messages are retained (work state, health) or fixed in advance (the health
will carries ``"ts": 0``), so an old ``ts`` is normal for them; no console uses it to judge anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connectors.contract_fields import (
    MAX_EPOCH_MS,
    FieldInvalidError,
    as_choice,
    as_rfc3339,
    as_text,
    json_type,
    optional_text,
    required,
)
from connectors.topics import ALARM_ACTION, HEALTH, RESUME_WORK, STOP_WORK, WORK_STATE, Route
from models.alarms import ActionKind, OperatorAction

_WORK_STATES = {"stopped": "stopped", "normal": "normal"}
_CONSOLE_STATES = {"online": "online", "offline": "offline"}
_ACTION_KINDS = {str(kind): kind for kind in ActionKind}
_COMMAND_KINDS = {STOP_WORK: "stop-work", RESUME_WORK: "resume-work"}


@dataclass(frozen=True, slots=True)
class ConsoleCommand:
    """Contract §7/§8: a stop- or resume-work command as a console published it."""

    kind: str  # "stop-work" or "resume-work"
    site: str
    area: str
    command_id: str
    ts: datetime
    permits: tuple[str, ...]
    reason: str
    alarm_id: str | None
    issued_by: str
    auto: bool
    ends: str | None = None  # resume-work: the stop it ends


@dataclass(frozen=True, slots=True)
class WorkStateMessage:
    """Contract §9: an area's work state (retained)."""

    site: str
    area: str
    state: str  # "stopped" or "normal"
    command_id: str
    reason: str
    ts: datetime


@dataclass(frozen=True, slots=True)
class ConsoleHealth:
    """Contract §11: a console's health (retained; its will says offline)."""

    console: str
    state: str  # "online" or "offline"
    ts: datetime


@dataclass(frozen=True, slots=True)
class AlarmActionMessage:
    """An operator's act on an alarm, as the console where it was done published it."""

    action: OperatorAction


OwnMessage = ConsoleCommand | WorkStateMessage | ConsoleHealth | AlarmActionMessage
OWN_RECORDS = (ConsoleCommand, WorkStateMessage, ConsoleHealth, AlarmActionMessage)


def decode_own(obj: dict[str, Any], route: Route) -> OwnMessage:
    """The record of one own-topic payload (a JSON object); raises ``FieldInvalidError``."""
    kind = route.kind
    if kind is STOP_WORK or kind is RESUME_WORK:
        return _command(obj, route)
    if kind is WORK_STATE:
        return WorkStateMessage(
            route.site,
            route.area,
            as_choice(required(obj, "state"), _WORK_STATES, "state"),
            _bounded_text(obj, "command_id"),
            optional_text(obj, "reason"),
            any_ts(required(obj, "ts"), "ts"),
        )
    if kind is HEALTH:
        state = as_choice(required(obj, "state"), _CONSOLE_STATES, "state")
        return ConsoleHealth(route.ident, state, any_ts(required(obj, "ts"), "ts"))
    if kind is ALARM_ACTION:
        return AlarmActionMessage(_action(obj))
    raise FieldInvalidError("bad_topic", "topic", f"{kind} is not a topic the cockpit reads")


def _command(obj: dict[str, Any], route: Route) -> ConsoleCommand:
    command_id = as_text(required(obj, "command_id"), "command_id", required=True)
    if len(command_id) > 128:
        raise FieldInvalidError("bad_value", "command_id", "is longer than 128 characters")
    permits = obj.get("permits")
    if permits is not None and type(permits) is not list:
        raise FieldInvalidError(
            "wrong_type", "permits", f"must be an array of permit ids, not {json_type(permits)}"
        )
    auto = obj.get("auto")
    if auto is not None and type(auto) is not bool:
        raise FieldInvalidError("wrong_type", "auto", f"must be true or false, not {json_type(auto)}")
    ends = obj.get("ends")
    return ConsoleCommand(
        kind=_COMMAND_KINDS[route.kind],
        site=route.site,
        area=route.area,
        command_id=command_id,
        ts=any_ts(required(obj, "ts"), "ts"),
        permits=tuple(as_text(p, f"permits[{i}]", required=True) for i, p in enumerate(permits or ())),
        reason=optional_text(obj, "reason"),
        alarm_id=optional_text(obj, "alarm_id") or None,
        issued_by=optional_text(obj, "issued_by"),
        auto=bool(auto),
        ends=None if ends is None else as_text(ends, "ends"),
    )


def _action(obj: dict[str, Any]) -> OperatorAction:
    kind = as_choice(required(obj, "kind"), _ACTION_KINDS, "kind")
    texts = {
        name: as_text(required(obj, name), name, required=True) for name in ("alarm_id", "who", "action_id")
    }
    until = obj.get("until")
    return OperatorAction(
        kind=kind,
        ts=any_ts(required(obj, "ts"), "ts"),
        until=None if until is None else any_ts(until, "until"),
        note=optional_text(obj, "note"),
        reason=optional_text(obj, "reason"),
        console=optional_text(obj, "console"),
        **texts,
    )


def _bounded_text(obj: dict[str, Any], name: str) -> str:
    value = optional_text(obj, name)
    if len(value) > 128:
        raise FieldInvalidError("bad_value", name, "is longer than 128 characters")
    return value


def any_ts(value: Any, field: str) -> datetime:
    """``ts`` in the contract's forms (integer epoch milliseconds or RFC 3339), at any distance."""
    if type(value) is int:
        if not 0 <= value <= MAX_EPOCH_MS:
            raise FieldInvalidError("ts_out_of_range", field, f"{value} is not a usable epoch time")
        return datetime.fromtimestamp(value / 1000, UTC)
    if type(value) is str:
        return as_rfc3339(value, field)
    raise FieldInvalidError(
        "wrong_type",
        field,
        f"must be integer epoch milliseconds or an RFC 3339 string, not {json_type(value)}",
    )
