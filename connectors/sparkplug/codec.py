"""Sparkplug B payloads through protobuf: the official ``sparkplug_b.proto`` (Eclipse Tahu, EPL-2.0,
beside this file) compiled into ``sparkplug_b_pb2.py``. Regenerate it, after a change of the .proto or of
the protobuf major version, with ``python connectors/sparkplug/regenerate.py`` (it needs grpcio-tools,
which bundles protoc; the generated module needs the protobuf runtime of the same major version,
``pyproject.toml``).

Topics (Sparkplug 3.0 §4.1): ``spBv1.0/{group}/{TYPE}/{edge node}[/{device}]`` and the host's
``spBv1.0/STATE/{host id}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from connectors.sparkplug import sparkplug_b_pb2 as pb

NAMESPACE = "spBv1.0"
REBIRTH = "Node Control/Rebirth"
BD_SEQ = "bdSeq"

# DataType numbers (sparkplug_b.proto) and the value field each uses
_INT32_FIELD = {1, 2, 3, 5, 6, 7}  # Int8..Int32, UInt8..UInt32: int_value
_INT64_FIELD = {4, 8, 13}  # Int64, UInt64, DateTime: long_value
FLOAT, DOUBLE, BOOLEAN, STRING, TEXT = 9, 10, 11, 12, 14
NUMERIC = frozenset({*_INT32_FIELD, *_INT64_FIELD, FLOAT, DOUBLE})
_SIGNED_BITS = {1: 8, 2: 16, 3: 32, 4: 64}  # two's complement in an unsigned protobuf field
_UNIT_KEYS = ("engunit", "engunits", "engineeringunits", "engineering units", "unit", "units")

Value = float | bool | str | None
_FLOAT_FIELDS = frozenset({"double_value", "float_value"})


class MalformedPayload(ValueError):
    """Not a Sparkplug B payload: counted as a rejection, never half-used."""


@dataclass(frozen=True, slots=True)
class SpTopic:
    group: str
    kind: str  # NBIRTH, NDATA, NDEATH, DBIRTH, DDATA, DDEATH, NCMD, DCMD, STATE
    node: str
    device: str | None = None


def parse_topic(topic: str) -> SpTopic | None:
    """The topic's parts, or None for what is not a Sparkplug B message topic (a host's STATE included)."""
    parts = topic.split("/")
    if len(parts) < 4 or parts[0] != NAMESPACE or parts[1] == "STATE":
        return None
    kind = parts[2]
    if kind[:1] == "N" and len(parts) == 4:
        return SpTopic(parts[1], kind, parts[3])
    if kind[:1] == "D" and len(parts) == 5:
        return SpTopic(parts[1], kind, parts[3], parts[4])
    return None


def decode_payload(payload: bytes) -> Any:
    """The protobuf ``Payload`` message; ``MalformedPayload`` when the bytes are not one."""
    message = pb.Payload()
    try:
        message.ParseFromString(payload)
    except Exception as exc:  # protobuf's DecodeError, and anything its C parser raises
        raise MalformedPayload(f"not a Sparkplug B payload: {exc}") from None
    return message


def metric_value(metric: Any, datatype: int) -> Value:
    """The metric's value as the birth's datatype reads it; None for a null or an unsupported type."""
    if metric.is_null:
        return None
    field = metric.WhichOneof("value")
    if field is None:
        return None
    raw = getattr(metric, field)
    if field in _FLOAT_FIELDS:  # the common case first: a Float or Double reading
        return float(raw) if datatype in NUMERIC else None
    if datatype in _SIGNED_BITS and type(raw) is int:
        bits = _SIGNED_BITS[datatype]
        raw &= (1 << bits) - 1
        if raw >= 1 << (bits - 1):
            raw -= 1 << bits
    if datatype in NUMERIC:
        return float(raw) if type(raw) is int else None
    if datatype == BOOLEAN:
        return raw if type(raw) is bool else None
    if datatype in (STRING, TEXT):
        return raw if type(raw) is str else None
    return None


def metric_properties(metric: Any) -> dict[str, object]:
    """The metric's PropertySet as plain values (``Quality``, ``engUnit`` …), keys as sent."""
    if not metric.HasField("properties"):
        return {}
    out: dict[str, object] = {}
    for key, value in zip(metric.properties.keys, metric.properties.values, strict=False):
        field = value.WhichOneof("value")
        if field is not None and not value.is_null:
            out[key] = getattr(value, field)
    return out


def unit_of(properties: dict[str, object]) -> str | None:
    """The engineering unit a birth gives a metric (``engUnit`` and its usual spellings)."""
    for key, value in properties.items():
        if key.lower() in _UNIT_KEYS and isinstance(value, str) and value.strip():
            return value.strip()
    return None


def encode_command(metrics: Iterable[tuple[str, int, bool | str | float]], timestamp_ms: int) -> bytes:
    """An NCMD/DCMD payload: metrics by name (a command may name them; 3.0 §6.4.16)."""
    message = pb.Payload()
    message.timestamp = timestamp_ms
    for name, datatype, value in metrics:
        metric = message.metrics.add()
        metric.name = name
        metric.timestamp = timestamp_ms
        metric.datatype = datatype
        if datatype == BOOLEAN:
            metric.boolean_value = bool(value)
        elif datatype in (STRING, TEXT):
            metric.string_value = str(value)
        elif datatype in (FLOAT,):
            metric.float_value = float(value)
        else:
            metric.double_value = float(value)
    return bytes(message.SerializeToString())


def rebirth_command(timestamp_ms: int) -> bytes:
    return encode_command([(REBIRTH, BOOLEAN, True)], timestamp_ms)


def command_topic(group: str, node: str, device: str | None = None) -> str:
    if device is None:
        return f"{NAMESPACE}/{group}/NCMD/{node}"
    return f"{NAMESPACE}/{group}/DCMD/{node}/{device}"


def state_topic(host_id: str) -> str:
    return f"{NAMESPACE}/STATE/{host_id}"


def state_payload(online: bool, timestamp_ms: int) -> bytes:
    """The host's STATE (3.0 §7.4): JSON, the same timestamp in the birth and in its will."""
    return json.dumps({"online": online, "timestamp": timestamp_ms}, separators=(",", ":")).encode()
