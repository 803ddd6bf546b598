"""Decoder of the field contract (``/work/shared/contract/mqtt.md``, version 1).

Field systems no one here wrote are pointed at the cockpit with nothing but the
contract page, so this module is that page in code: every message it accepts is
exactly one of the records of ``models.records`` (§1–§5, §10), every message it
turns away is a ``ContractRejection`` with a stable reason key from
``REJECTION_REASONS`` and a readable detail naming the field. It never raises on
any topic or payload: that is what lets the ingest thread run unattended.

Return value of ``ContractDecoder.decode``:

* a ``FieldMessage`` (``SensorMessage``, ``DeviceStatus``, ``WorkerEvent``,
  ``PermitEvent``, ``PermitRequest``, ``CommandAck``);
* a ``ContractRejection`` (a ``models.records.Rejection`` with the list of field
  errors and, for a §5 request whose topic was valid, where to reply);
* an ``OwnMessage`` (``connectors.own_topics``) for what consoles send each other:
  §7/§8 commands, §9 work states, §11 health and ``_cockpit/alarm-action``, checked
  by the same rules (a malformed one is a ``ContractRejection`` too);
* ``None`` for own topics no console reads (its §6 permit state, §5 replies, a newer
  console's ``_cockpit/`` topic): not field input and not an error either.

Topics are routed by the one topic table, ``connectors.topics``; the field checks
shared with the own topics are in ``connectors.contract_fields``. Beside this module:
the payload's exact JSON path (``contract_json``), §5 applications (``request_fields``),
gate requests (``gate_fields``), inspections and near misses (``inspection_fields``,
``near_miss_fields``), and what the cockpit answers (``contract_replies``).

Decisions where the contract leaves room (kept here so the page and the code agree):

* ``ts`` as a JSON number must be an integer (epoch milliseconds); ``1.76e12`` or
  ``123.0`` is ``wrong_type``. A string must be RFC 3339 with ``Z`` or an offset
  (``T``/``t``/space separator; a leap second ``:60`` is read as ``:59.999999``).
  A naive string is ``bad_ts``.
* ``ts`` more than ``future_tolerance_s`` ahead of the receipt time, or more than
  ``past_tolerance_s`` behind it, is ``ts_out_of_range``. §2 device status is
  exempt from the past bound: a gateway's last will is fixed when it connects, so
  a will published by the broker days later is still the truth about the device.
* ``null`` for an optional field means "absent"; ``null`` for a required one is
  ``missing_field``.
* A known channel is recognised in any letter case (``lel`` is LEL) and stored under
  its canonical name, so a gas reading can never slip past its limits by spelling;
  units are compared exactly (``%LEL``, ``%VOL``, ``ppm``, ``C``, ``m/s``).
  Another channel name may be any text of 1–64 printable characters without
  ``/``, ``+`` or ``#`` (it becomes part of the channel identity ``site/area/device/ch``).
* Identifiers (topic segments, §3 ``permit``, §5 ``applicant``, ``supervisor``,
  ``workers``, ``contractor``) follow the identifier pattern; ``by`` of §4 and §10
  and other free text only has to be valid text (no lone surrogates).
* ``NaN``/``Infinity`` literals anywhere in the payload are ``non_finite``; so is a
  number in a used field that does not fit a float (``1e400``).
* A UTF-8 byte-order mark in front of the JSON is skipped.
* §5 ``valid_to`` must be after ``valid_from`` (``bad_value``); a ``grade`` on a
  permit type other than hot work is ignored. Every error of a §5 request is
  collected (the reply lists them all); other messages stop at the first error.
* ``reply_to`` of a §5 rejection is set only when the topic itself was valid.
* A gate request (``gate/{gate}/request``) names the worker by ``badge`` or ``safety_code`` (the
  worker id either carries; ``badge`` wins when both are given; a ``safety_code`` in the badge's
  keyed shape ``W1:ID:CHECK`` is kept whole for the core to check), and/or a paper permit by
  ``permit_code`` (``P1:ID:CHECK``; alone, it checks the paper); ``request_id`` is text of 1-128
  characters. A malformed one whose topic was valid is answered (refused, ``malformed_request``)
  with its ``request_id`` echoed when that much could be read.
* Bounds the page implies but does not number: ``command_id`` at most 128 characters,
  at most 256 ``workers``, a unit of another channel 1–32 printable characters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import Enum
from functools import partial
from typing import Any

import orjson

from connectors.contract_fields import (
    EPOCH,
    MAX_EPOCH_MS,
    FieldError,
    FieldInvalidError,
    ReplyTarget,
    as_choice,
    as_identifier,
    as_number,
    as_rfc3339,
    as_text,
    is_identifier,  # noqa: F401 - imported from here too
    json_type,
    optional_number,
    optional_text,
    required,
    short,
)
from connectors.contract_json import payload_object
from connectors.gate_fields import decode_gate
from connectors.inspection_fields import decode_photos, decode_result, decode_scan
from connectors.near_miss_fields import NEAR_MISS, decode_near_miss
from connectors.own_topics import OwnMessage, decode_own
from connectors.request_fields import decode_request
from connectors.topics import (
    CHECKLIST_RESULT,
    GATE_REQUEST,
    PERMIT_EVENT,
    PERMIT_REQUEST,
    SENSOR,
    STATUS,
    TAG_SCAN,
    UNREAD,
    WORKER,
    Route,
    Topics,
)
from models.errors import UserError
from models.records import (
    CANONICAL_UNITS,
    AckStatus,
    ChecklistResult,
    CommandAck,
    DeviceState,
    DeviceStatus,
    FieldMessage,
    GasTestResult,
    GateRequest,
    NearMissReport,
    PermitEvent,
    PermitEventType,
    PermitRequest,
    Quality,
    Reading,
    Rejection,
    SensorMessage,
    TagScan,
    WorkerEvent,
    WorkerEventType,
)

_PermitOrNearMiss = PermitEvent | NearMissReport  # a §4 event, or a near miss reported on its topic

# The stable reason keys, with what each means (the diagnostics view shows these).
REJECTION_REASONS: dict[str, str] = {
    "too_large": "payload larger than the 64 KiB limit",
    "not_utf8": "payload is not UTF-8 text",
    "not_json": "payload is not JSON",
    "not_object": "payload is JSON but not an object",
    "bad_topic": "topic is not one of the contract's forms",
    "bad_identifier": "an identifier does not match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
    "missing_field": "a required field is missing",
    "wrong_type": "a field has the wrong JSON type",
    "non_finite": "a number is NaN, Infinity or out of range",
    "bad_unit": "a known channel in a unit other than its canonical one",
    "bad_enum": "a field has a value outside its allowed set",
    "bad_value": "a field has a value outside its allowed range",
    "bad_ts": "a time is not epoch milliseconds or RFC 3339 with an offset",
    "ts_out_of_range": "ts is too far in the future or the past",
    "too_many_readings": "more than 64 readings",
    "no_readings": "an empty readings list",
    "decoder_error": "the decoder failed on this message (a bug: please report it)",
}

MAX_READINGS = 64
EXCERPT_CHARS = 200
_CHANNEL_FORBIDDEN = frozenset("/+#")
_TOPIC_CACHE_SIZE = 4096

# Known channels by any letter case -> (canonical name, canonical unit).
_KNOWN_CHANNELS: dict[str, tuple[str, str]] = {}
for _name, _unit in CANONICAL_UNITS.items():
    _KNOWN_CHANNELS[_name] = (_name, _unit)
    _KNOWN_CHANNELS[_name.lower()] = (_name, _unit)


def _enum_map(enum_cls: type[Enum]) -> dict[str, Any]:
    return {member.value: member for member in enum_cls}


_QUALITY = _enum_map(Quality)
_DEVICE_STATE = _enum_map(DeviceState)
_WORKER_EVENT = _enum_map(WorkerEventType)
_PERMIT_EVENT = _enum_map(PermitEventType)
_ACK_STATUS = _enum_map(AckStatus)
_WORKER_ROLES = {"worker": "worker", "supervisor": "supervisor"}


@dataclass(frozen=True, slots=True)
class ContractRejection(Rejection):
    """A ``Rejection`` with every field error found and, for a §5 request, where to reply."""

    errors: tuple[FieldError, ...] = ()
    reply_to: ReplyTarget | None = None


DecodeResult = FieldMessage | OwnMessage | ContractRejection | None


_fast_loads = orjson.loads
# Builds a NamedTuple record without its Python-level __new__ (a third of the cost; every field given).
_tuple_new = tuple.__new__


def excerpt(payload: bytes, limit: int = EXCERPT_CHARS) -> str:
    """The first characters of a payload as printable text, for the diagnostics view."""
    text = bytes(payload[: limit * 4]).decode("utf-8", "replace")
    return "".join(c if c.isprintable() else "\ufffd" for c in text[:limit])


class ContractDecoder:
    """Turns one MQTT message into a field or console record, a counted rejection, or ``None``.

    Stateless apart from a bounded cache of parsed topics (topics repeat: one per
    device), so one decoder may serve one ingest thread; it is not locked.
    """

    def __init__(
        self,
        root: str = "plant",
        *,
        max_payload: int = 65536,
        future_tolerance_s: float = 300,
        past_tolerance_s: float = 7 * 86400,
    ) -> None:
        levels = root.split("/")
        if not root or any(not level or "+" in level or "#" in level for level in levels):
            raise UserError(
                f"MQTT topic root {root!r} is not usable: give one or more non-empty levels "
                "separated by '/', without '+' or '#' (default: plant)"
            )
        if max_payload <= 0 or future_tolerance_s < 0 or past_tolerance_s < 0:
            raise UserError("decoder limits must be positive: check max_payload and the ts tolerances")
        self.root = root
        self._topics = Topics(root)
        self._max_payload = max_payload
        self._future_ms = future_tolerance_s * 1000.0
        self._past_ms = past_tolerance_s * 1000.0
        self._routes: dict[str, Route] = {}
        self._channel_names: set[str] = set()
        # (ch, u, q) combinations already found valid -> (channel name, unit, quality).
        self._shapes: dict[tuple[Any, Any, Any], tuple[str, str, Quality]] = {}
        self._recv_at: datetime | None = None
        self._recv_ms = 0.0

    # ----------------------------------------------------------------- entry point
    def decode(self, topic: str, payload: bytes, received_at: datetime) -> DecodeResult:
        """Decode one message; never raises for any topic or payload.

        ``received_at`` (timezone-aware) anchors the ``ts`` tolerances.
        """
        if received_at.tzinfo is None:
            raise TypeError("received_at must be timezone-aware (UTC)")
        try:
            return self._decode(topic, payload, received_at)
        except Exception as exc:  # the contract: never crash on a message
            return self._reject(
                topic, payload, received_at, FieldError("", f"{type(exc).__name__}: {exc}", "decoder_error")
            )

    def _decode(self, topic: str, payload: bytes, received_at: datetime) -> DecodeResult:
        route = self._routes.get(topic)
        if route is None:
            route = self._topics.route(topic)
            if len(self._routes) >= _TOPIC_CACHE_SIZE:
                self._routes.clear()
            self._routes[topic] = route
        kind = route.kind
        if route.own:
            return self._own(route, topic, payload, received_at)
        if route.error is not None:
            return self._reject(topic, payload, received_at, route.error)
        # Fast parse first (orjson, several times faster than the standard library); it agrees with
        # the standard parser on every payload it accepts except integers beyond 64 bits, which it
        # turns into floats. Anything it refuses, and any message found invalid after it, is decoded
        # again on the exact path below, so a rejection always carries the reason the page defines.
        if type(payload) is bytes and len(payload) <= self._max_payload:
            try:
                obj = _fast_loads(payload)
            except Exception:
                obj = None
            if type(obj) is dict:
                result = self._fields(kind, obj, route, topic, payload, received_at)
                if not isinstance(result, ContractRejection):
                    return result
        try:
            obj = payload_object(payload, self._max_payload)
        except FieldInvalidError as exc:
            return self._reject(topic, payload, received_at, exc.error, reply_to=route.reply_to)
        return self._fields(kind, obj, route, topic, payload, received_at)

    def _fields(
        self, kind: str, obj: dict[str, Any], route: Route, topic: str, payload: bytes, received_at: datetime
    ) -> FieldMessage | ContractRejection:
        if received_at is not self._recv_at:  # one receipt time serves a whole batch
            self._recv_at, self._recv_ms = received_at, received_at.timestamp() * 1000.0
        recv_ms = self._recv_ms
        if kind is PERMIT_REQUEST:
            return self._request_checked(obj, route, recv_ms, (topic, payload, received_at))
        if kind is GATE_REQUEST:
            return self._gate_checked(obj, route, recv_ms, (topic, payload, received_at))
        try:
            if kind is SENSOR:
                return self._sensor(obj, route, recv_ms)
            if kind is STATUS:
                return self._status(obj, route, recv_ms)
            if kind is WORKER:
                return self._worker(obj, route, recv_ms)
            if kind is PERMIT_EVENT:
                return self._permit_event(obj, route, recv_ms)
            return self._rest(kind, obj, route, recv_ms)
        except FieldInvalidError as exc:
            return self._reject(topic, payload, received_at, exc.error)

    def _own(
        self, route: Route, topic: str, payload: bytes, received_at: datetime
    ) -> OwnMessage | ContractRejection | None:
        """A console's own topic: its typed record, a rejection, or None for what no console reads."""
        if route.kind in UNREAD:
            return None
        try:
            return decode_own(payload_object(payload, self._max_payload), route)
        except FieldInvalidError as exc:
            return self._reject(topic, payload, received_at, exc.error)

    @staticmethod
    def _reject(
        topic: str,
        payload: bytes,
        received_at: datetime,
        *errors: FieldError,
        reply_to: ReplyTarget | None = None,
    ) -> ContractRejection:
        first = errors[0]
        detail = f"{first.field}: {first.message}" if first.field else first.message
        if len(errors) > 1:
            detail += f" (and {len(errors) - 1} more)"
        return ContractRejection(
            topic=topic if type(topic) is str else repr(topic),
            reason=first.reason,
            detail=detail,
            excerpt=excerpt(payload) if isinstance(payload, (bytes, bytearray, memoryview)) else "",
            received_at=received_at,
            errors=tuple(errors),
            reply_to=reply_to,
        )

    # ----------------------------------------------------------------- fields
    def _ts(self, value: Any, field: str, recv_ms: float, check_past: bool = True) -> datetime:
        kind = type(value)
        if kind is int:
            if value > recv_ms + self._future_ms:
                raise FieldInvalidError(
                    "ts_out_of_range",
                    field,
                    f"{value} is {(value - recv_ms) / 1000:.0f} s ahead of the cockpit's clock",
                )
            if check_past and value < recv_ms - self._past_ms:
                raise FieldInvalidError(
                    "ts_out_of_range",
                    field,
                    f"{value} is {(recv_ms - value) / 1000:.0f} s behind the cockpit's clock",
                )
            if value < 0 or value > MAX_EPOCH_MS:
                raise FieldInvalidError("ts_out_of_range", field, f"{value} is not a usable epoch time")
            return datetime.fromtimestamp(value / 1000, UTC)
        if kind is str:
            moment = as_rfc3339(value, field)
            ms = (moment - EPOCH) / timedelta(milliseconds=1)
            if ms > recv_ms + self._future_ms or (check_past and ms < recv_ms - self._past_ms):
                raise FieldInvalidError(
                    "ts_out_of_range",
                    field,
                    f"{short(value)} is {abs(ms - recv_ms) / 1000:.0f} s off the cockpit's clock",
                )
            return moment
        raise FieldInvalidError(
            "wrong_type",
            field,
            f"must be integer epoch milliseconds or an RFC 3339 string, not {json_type(value)}",
        )

    def _readings(self, raw: Any, path: str) -> tuple[Reading, ...]:
        if type(raw) is not list:
            raise FieldInvalidError("wrong_type", path, f"must be an array of readings, not {json_type(raw)}")
        count = len(raw)
        if count == 0:
            raise FieldInvalidError("no_readings", path, "must hold at least one reading")
        if count > MAX_READINGS:
            raise FieldInvalidError("too_many_readings", path, f"{count} readings; at most {MAX_READINGS}")
        out: list[Reading] = []
        shapes = self._shapes
        for item in raw:
            # Fast path: a (ch, u, q) combination already checked once, and a finite float value.
            if type(item) is dict:
                get = item.get
                value = get("v")
                try:
                    shape = shapes.get((get("ch"), get("u"), get("q")))
                except TypeError:  # an array or object where a string belongs
                    shape = None
                if shape is not None:
                    name, unit, quality = shape
                    if type(value) is float and value - value == 0.0:
                        out.append(_tuple_new(Reading, (name, value, unit, quality)))
                        continue
                    if type(value) is int and -1e300 < value < 1e300:  # "v": 2 is valid (contract §1)
                        out.append(_tuple_new(Reading, (name, float(value), unit, quality)))
                        continue
            out.append(self._reading(item, f"{path}[{len(out)}]"))
        return tuple(out)

    def _reading(self, item: Any, where: str) -> Reading:
        """Check one reading in full; remember its (ch, u, q) combination when it is valid."""
        if type(item) is not dict:
            raise FieldInvalidError("wrong_type", where, f"must be an object, not {json_type(item)}")
        ch = item.get("ch")
        value = item.get("v")
        unit = item.get("u")
        q = item.get("q")
        if ch is None or value is None or unit is None:
            missing = "ch" if ch is None else "v" if value is None else "u"
            raise FieldInvalidError("missing_field", f"{where}.{missing}", "required field is missing")
        if type(ch) is not str:
            raise FieldInvalidError("wrong_type", f"{where}.ch", f"must be a string, not {json_type(ch)}")
        known = _KNOWN_CHANNELS.get(ch)
        if known is None and len(ch) <= 4:
            known = _KNOWN_CHANNELS.get(ch.lower())
        if known is None:
            self._check_channel_name(ch, f"{where}.ch")
        value = as_number(value, f"{where}.v")
        if type(unit) is not str:
            raise FieldInvalidError("wrong_type", f"{where}.u", f"must be a string, not {json_type(unit)}")
        name = ch
        if known is not None:
            name = known[0]
            if unit != known[1]:
                raise FieldInvalidError(
                    "bad_unit",
                    f"{where}.u",
                    f"{name} must be in {known[1]}, not {short(unit)} (values are never converted)",
                )
        elif not unit.strip() or len(unit) > 32 or not unit.isprintable():
            raise FieldInvalidError(
                "bad_unit", f"{where}.u", f"unit {short(unit)} must be 1 to 32 printable characters"
            )
        quality = Quality.GOOD if q is None else as_choice(q, _QUALITY, f"{where}.q")
        if len(self._shapes) < _TOPIC_CACHE_SIZE:
            self._shapes[(ch, unit, q)] = (name, unit, quality)
        return Reading(name, value, unit, quality)

    def _check_channel_name(self, ch: str, field: str) -> None:
        if ch in self._channel_names:
            return
        if not ch.strip() or len(ch) > 64 or not ch.isprintable() or _CHANNEL_FORBIDDEN.intersection(ch):
            raise FieldInvalidError(
                "bad_identifier",
                field,
                f"channel name {short(ch)} must be 1 to 64 printable characters without '/', '+' or '#'",
            )
        if len(self._channel_names) < _TOPIC_CACHE_SIZE:
            self._channel_names.add(ch)

    # ----------------------------------------------------------------- §1–§4, §10
    def _sensor(self, obj: dict[str, Any], route: Route, recv_ms: float) -> SensorMessage:
        raw_ts = obj.get("ts")
        if type(raw_ts) is int and recv_ms - self._past_ms <= raw_ts <= recv_ms + self._future_ms:
            if not 0 <= raw_ts <= MAX_EPOCH_MS:
                raise FieldInvalidError("ts_out_of_range", "ts", f"{raw_ts} is not a usable epoch time")
            ts = datetime.fromtimestamp(raw_ts / 1000, UTC)  # the common case, as _ts would give it
        else:
            ts = self._ts(required(obj, "ts"), "ts", recv_ms)
        readings = self._readings(required(obj, "readings"), "readings")
        seq = obj.get("seq")
        if seq is not None:
            if type(seq) is not int:
                raise FieldInvalidError("wrong_type", "seq", f"must be an integer, not {json_type(seq)}")
            if seq < 0:
                raise FieldInvalidError("bad_value", "seq", f"{seq} is negative")
        max_age = obj.get("max_age_s")
        if max_age is not None:
            max_age = as_number(max_age, "max_age_s")
            if max_age <= 0:
                raise FieldInvalidError(
                    "bad_value", "max_age_s", f"{max_age} is not a positive number of seconds"
                )
        return _tuple_new(SensorMessage, (route.site, route.area, route.ident, ts, readings, seq, max_age))

    def _status(self, obj: dict[str, Any], route: Route, recv_ms: float) -> DeviceStatus:
        ts = self._ts(required(obj, "ts"), "ts", recv_ms, check_past=False)
        state = as_choice(required(obj, "state"), _DEVICE_STATE, "state")
        battery = optional_number(obj, "battery")
        return DeviceStatus(
            route.site, route.area, route.ident, ts, state, battery, optional_text(obj, "detail")
        )

    def _worker(self, obj: dict[str, Any], route: Route, recv_ms: float) -> WorkerEvent | NearMissReport:
        ts = self._ts(required(obj, "ts"), "ts", recv_ms)
        permit = obj.get("permit")
        if permit is not None:
            permit = as_identifier(permit, "permit")
        if obj.get("type") == NEAR_MISS:
            when = partial(self._ts, recv_ms=recv_ms, check_past=False)  # occurred_at: may lie in the past
            return decode_near_miss(obj, route, ts, when, reporter=route.ident, permit=permit)
        kind = as_choice(required(obj, "type"), _WORKER_EVENT, "type")
        role = obj.get("role")
        if role is not None:
            role = as_choice(role, _WORKER_ROLES, "role")
        x = optional_number(obj, "x")
        y = optional_number(obj, "y")
        return WorkerEvent(route.site, route.area, route.ident, ts, kind, permit, role, x, y)

    def _permit_event(self, obj: dict[str, Any], route: Route, recv_ms: float) -> _PermitOrNearMiss:
        ts = self._ts(required(obj, "ts"), "ts", recv_ms)
        if obj.get("type") == NEAR_MISS:
            by = as_text(required(obj, "by"), "by", required=True)
            when = partial(self._ts, recv_ms=recv_ms, check_past=False)
            return decode_near_miss(obj, route, ts, when, reporter=by, permit=route.ident)
        kind = as_choice(required(obj, "type"), _PERMIT_EVENT, "type")
        by = as_text(required(obj, "by"), "by", required=True)
        gas_test = None
        if kind is PermitEventType.GAS_TEST:
            raw = required(obj, "gas_test")
            if type(raw) is not dict:
                raise FieldInvalidError("wrong_type", "gas_test", f"must be an object, not {json_type(raw)}")
            readings = self._readings(required(raw, "readings", "gas_test."), "gas_test.readings")
            gas_test = GasTestResult(readings)
        return PermitEvent(route.site, route.area, route.ident, ts, kind, by, gas_test, decode_photos(obj))

    def _rest(
        self, kind: str, obj: dict[str, Any], route: Route, recv_ms: float
    ) -> TagScan | ChecklistResult | CommandAck:
        """Inspection scans and results (connectors/inspection_fields.py), else a §10 acknowledgement."""
        if kind is TAG_SCAN:
            return decode_scan(obj, route, self._ts(required(obj, "ts"), "ts", recv_ms))
        if kind is CHECKLIST_RESULT:
            return decode_result(obj, route, self._ts(required(obj, "ts"), "ts", recv_ms))
        return self._ack(obj, route, recv_ms)

    def _ack(self, obj: dict[str, Any], route: Route, recv_ms: float) -> CommandAck:
        command_id = as_text(required(obj, "command_id"), "command_id", required=True)
        if len(command_id) > 128:
            raise FieldInvalidError("bad_value", "command_id", "is longer than 128 characters")
        ts = self._ts(required(obj, "ts"), "ts", recv_ms)
        status = as_choice(required(obj, "status"), _ACK_STATUS, "status")
        return CommandAck(
            route.site,
            route.area,
            command_id,
            ts,
            status,
            optional_text(obj, "by"),
            optional_text(obj, "detail"),
        )

    def _request_checked(
        self, obj: dict[str, Any], route: Route, recv_ms: float, message: tuple[str, bytes, datetime]
    ) -> PermitRequest | ContractRejection:
        errors: list[FieldError] = []
        request = decode_request(obj, route, partial(self._ts, recv_ms=recv_ms), errors)
        if request is None:
            return self._reject(*message, *errors, reply_to=route.reply_to)
        return request

    def _gate_checked(
        self, obj: dict[str, Any], route: Route, recv_ms: float, message: tuple[str, bytes, datetime]
    ) -> GateRequest | ContractRejection:
        """A gate request, or its rejection with where to answer (and its ``request_id`` if readable)."""
        try:
            return decode_gate(obj, route, partial(self._ts, recv_ms=recv_ms))
        except FieldInvalidError as exc:
            reply_to = route.reply_to
            rid = obj.get("request_id")
            if reply_to is not None and type(rid) is str and 0 < len(rid) <= 128:
                reply_to = replace(reply_to, request_id=rid)
            return self._reject(*message, exc.error, reply_to=reply_to)
