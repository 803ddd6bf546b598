"""Field checks of the MQTT contract, shared by the field decoder and the consoles' own topics.

Each check returns the value in its record's type or raises ``FieldInvalidError`` with the field's
path, a readable message and a stable reason key (``connectors.contract.REJECTION_REASONS``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
RFC3339 = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2}:[0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_EPOCH_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem found in a message: the field path, a readable message and its reason key."""

    field: str
    message: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReplyTarget:
    """Where the answer to a §5 permit request, or to a gate's request, goes."""

    site: str
    area: str
    permit: str  # the permit, or the gate when ``gate``
    topic: str  # {root}/{site}/{area}/permit/{permit}/reply or …/gate/{gate}/reply
    gate: bool = False  # a gate's request: the reply is a gate answer, not a §5 reply
    request_id: str | None = None  # a gate's request id, echoed in the answer


class FieldInvalidError(Exception):
    """Raised by the checks; the decoders turn it into a rejection, it never leaves them."""

    def __init__(self, reason: str, field: str, message: str) -> None:
        super().__init__(message)
        self.error = FieldError(field, message, reason)


def is_identifier(value: object) -> bool:
    """True when ``value`` is a contract identifier (site, area, device, worker, permit)."""
    return type(value) is str and IDENTIFIER.fullmatch(value) is not None


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def required(obj: Mapping[str, Any], name: str, path: str = "") -> Any:
    value = obj.get(name)
    if value is None:
        raise FieldInvalidError("missing_field", path + name, "required field is missing")
    return value


def as_rfc3339(value: Any, field: str) -> datetime:
    if type(value) is not str:
        raise FieldInvalidError("wrong_type", field, f"must be an RFC 3339 string, not {json_type(value)}")
    match = RFC3339.fullmatch(value)
    if match is None:
        raise FieldInvalidError(
            "bad_ts",
            field,
            f"{short(value)} is not RFC 3339 with an offset (e.g. 2026-11-23T22:00:00+08:00)",
        )
    date, hhmm, sec, frac, offset = match.groups()
    if sec == "60":  # a leap second: the last instant of the minute
        sec, frac = "59", ".999999"
    frac = (frac or "")[:7]
    offset = "+00:00" if offset in ("Z", "z") else offset
    try:
        moment = datetime.fromisoformat(f"{date}T{hhmm}:{sec}{frac}{offset}")
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise FieldInvalidError("bad_ts", field, f"{short(value)} is not a valid date and time") from None


def as_number(value: Any, field: str) -> float:
    kind = type(value)
    if kind is float:
        if value - value != 0.0:  # inf - inf and nan - nan are nan
            raise FieldInvalidError("non_finite", field, "must be a finite number")
        return value
    if kind is int:
        try:
            return float(value)
        except OverflowError:
            raise FieldInvalidError("non_finite", field, "number is too large") from None
    raise FieldInvalidError("wrong_type", field, f"must be a number, not {json_type(value)}")


def optional_number(obj: Mapping[str, Any], name: str) -> float | None:
    value = obj.get(name)
    return None if value is None else as_number(value, name)


def as_identifier(value: Any, field: str) -> str:
    if type(value) is not str:
        raise FieldInvalidError("wrong_type", field, f"must be an identifier string, not {json_type(value)}")
    if IDENTIFIER.fullmatch(value) is None:
        raise FieldInvalidError(
            "bad_identifier",
            field,
            f"{short(value)} is not an identifier (letters, digits, '_', '.', '-'; at most 64)",
        )
    return value


def as_text(value: Any, field: str, *, required: bool = False) -> str:
    if type(value) is not str:
        raise FieldInvalidError("wrong_type", field, f"must be a string, not {json_type(value)}")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise FieldInvalidError(
                "wrong_type", field, "contains a character that is not valid text"
            ) from None
    if required and not value.strip():
        raise FieldInvalidError("bad_value", field, "must not be empty")
    return value


def optional_text(obj: Mapping[str, Any], name: str) -> str:
    value = obj.get(name)
    return "" if value is None else as_text(value, name)


def as_choice(value: Any, choices: Mapping[str, Any], field: str) -> Any:
    if type(value) is not str:
        raise FieldInvalidError("wrong_type", field, f"must be a string, not {json_type(value)}")
    member = choices.get(value)
    if member is None:
        allowed = ", ".join(choices)
        raise FieldInvalidError("bad_enum", field, f"{short(value)} is not one of: {allowed}")
    return member
