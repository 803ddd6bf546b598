"""The Sparkplug B 3.0 host application's session rules, one edge node at a time.

``SparkplugHost.handle(topic, payload, now_s)`` takes one message (on one thread: the cockpit's core
thread) and returns what it means: metric values (``SpValue``), births and deaths (``SpBirth``,
``SpDeath``). What it needs of the outside is one callable, ``request_rebirth(group, node)``, which
sends ``NCMD Node Control/Rebirth``.

* NBIRTH gives the node's metrics (names, datatypes, aliases, properties) and its ``bdSeq``; DBIRTH a
  device's. NDATA and DDATA carry metrics by alias (or by name).
* ``seq`` (0–255, wrapping) runs over the node and all its devices: NBIRTH sets it, every NDATA, DBIRTH,
  DDATA and DDEATH is the previous plus one. A gap, an unknown alias, a device without its DBIRTH or any
  data before the NBIRTH: the node's values are no longer trusted, a rebirth is asked (again after
  ``rebirth_wait_s`` if none came) and nothing of that node is used until its NBIRTH.
* NDEATH counts only with the ``bdSeq`` of the node's birth (a late will of an earlier session changes
  nothing); it and DDEATH end the node's or the device's values at once (``SpDeath``).
* A metric's quality is its ``Quality`` property (OPC: 192 good, 64–191 uncertain, below 64 bad);
  ``is_null`` is a bad value; historical metrics (``is_historical``) are returned as such, never as
  the current value; a birth's engineering unit (``engUnit``) stays with the metric.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from connectors.sparkplug.codec import (
    BD_SEQ,
    DOUBLE,
    FLOAT,
    MalformedPayload,
    SpTopic,
    Value,
    decode_payload,
    metric_properties,
    metric_value,
    parse_topic,
    unit_of,
)

SEQ_MOD = 256
_FLOATS = frozenset({FLOAT, DOUBLE})
_FLOAT_FIELDS = frozenset({"double_value", "float_value"})
GOOD, UNCERTAIN, BAD = "good", "uncertain", "bad"


@dataclass(frozen=True, slots=True)
class MetricDef:
    name: str
    datatype: int
    unit: str | None
    device: str | None


class SpValue(NamedTuple):
    """One metric's value (a tuple: one is made for every metric of every message)."""

    group: str
    node: str
    device: str | None
    name: str
    value: Value
    datatype: int
    unit: str | None
    quality: str  # good, uncertain, bad
    ts_ms: int
    historical: bool = False


@dataclass(frozen=True, slots=True)
class SpBirth:
    group: str
    node: str
    device: str | None
    ts_ms: int


@dataclass(frozen=True, slots=True)
class SpDeath:
    group: str
    node: str
    device: str | None  # None: the edge node, with every device of it
    devices: tuple[str, ...]  # the devices that died with it (all of the node's, for an NDEATH)
    ts_ms: int


SpEvent = SpValue | SpBirth | SpDeath


@dataclass
class _Node:
    born: bool = False
    bd_seq: int | None = None
    seq: int = 0
    aliases: dict[int, MetricDef] = field(default_factory=dict)
    names: dict[tuple[str | None, str], MetricDef] = field(default_factory=dict)
    devices: set[str] = field(default_factory=set)
    rebirth_asked: float | None = None  # when, while waiting for the NBIRTH


@dataclass
class HostCounters:
    births: int = 0
    deaths: int = 0
    rebirths_asked: int = 0
    seq_gaps: int = 0
    unknown_alias: int = 0
    before_birth: int = 0
    stale_deaths: int = 0  # an NDEATH whose bdSeq is not the birth's: ignored
    historical: int = 0
    metrics_in: int = 0


class SparkplugHost:
    def __init__(self, request_rebirth: Callable[[str, str], None], *, rebirth_wait_s: float = 5.0) -> None:
        self._request_rebirth = request_rebirth
        self._rebirth_wait = rebirth_wait_s
        self._nodes: dict[tuple[str, str], _Node] = {}
        self.counters = HostCounters()

    def nodes(self) -> dict[str, bool]:
        """``group/node`` -> born (alive and trusted)."""
        return {f"{g}/{n}": node.born for (g, n), node in sorted(self._nodes.items())}

    def handle(self, topic: str, payload: bytes, now_s: float) -> list[SpEvent]:
        """One message; ``MalformedPayload`` for a payload or topic that is not Sparkplug B."""
        t = parse_topic(topic)
        if t is None:
            raise MalformedPayload(f"not a Sparkplug B topic: {topic}")
        if t.kind in ("NCMD", "DCMD"):
            return []  # the host's own commands (and other hosts')
        message = decode_payload(payload)
        node = self._nodes.setdefault((t.group, t.node), _Node())
        ts = int(message.timestamp) if message.HasField("timestamp") else int(now_s * 1000)
        if t.kind == "NBIRTH":
            return self._nbirth(t, node, message, ts)
        if t.kind == "NDEATH":
            return self._ndeath(t, node, message, ts)
        if t.kind not in ("NDATA", "DBIRTH", "DDATA", "DDEATH"):
            raise MalformedPayload(f"unknown Sparkplug message type {t.kind}")
        return self._in_session(t, node, message, ts, now_s)

    def _in_session(self, t: SpTopic, node: _Node, message: Any, ts: int, now_s: float) -> list[SpEvent]:
        """NDATA, DBIRTH, DDATA, DDEATH: only from a born node, each the previous ``seq`` plus one."""
        if not node.born:
            self.counters.before_birth += 1
            return self._distrust(t, node, now_s, ts)
        expected = (node.seq + 1) % SEQ_MOD
        if not message.HasField("seq") or int(message.seq) != expected:
            self.counters.seq_gaps += 1
            return self._distrust(t, node, now_s, ts)
        node.seq = expected
        if t.kind == "DBIRTH":
            return self._dbirth(t, node, message, ts)
        if t.kind == "DDEATH":
            node.devices.discard(t.device or "")
            self.counters.deaths += 1
            return [SpDeath(t.group, t.node, t.device, (t.device or "",), ts)]
        if t.device is not None and t.device not in node.devices:
            self.counters.before_birth += 1
            return self._distrust(t, node, now_s, ts)
        return self._data(t, node, message, ts, now_s)

    # --- births and deaths --------------------------------------------------------------------------

    def _nbirth(self, t: SpTopic, node: _Node, message: Any, ts: int) -> list[SpEvent]:
        devices = tuple(sorted(node.devices))
        node.aliases.clear()
        node.names.clear()
        node.devices.clear()
        node.bd_seq = None
        for metric in message.metrics:
            if metric.name == BD_SEQ:
                value = metric_value(metric, metric.datatype or 4)
                node.bd_seq = int(value) if isinstance(value, float) else None
            self._define(node, metric, None)
        node.seq = int(message.seq) % SEQ_MOD if message.HasField("seq") else 0
        node.born = True
        node.rebirth_asked = None
        self.counters.births += 1
        out: list[SpEvent] = []
        if devices:  # a node reborn without its NDEATH: its devices' values ended with the old session
            out.append(SpDeath(t.group, t.node, None, devices, ts))
        out.append(SpBirth(t.group, t.node, None, ts))
        out.extend(self._values(t, node, message.metrics, ts, None, by_birth=True))
        return out

    def _dbirth(self, t: SpTopic, node: _Node, message: Any, ts: int) -> list[SpEvent]:
        device = t.device or ""
        for metric in message.metrics:
            self._define(node, metric, device)
        node.devices.add(device)
        self.counters.births += 1
        return [
            SpBirth(t.group, t.node, device, ts),
            *self._values(t, node, message.metrics, ts, device, True),
        ]

    def _ndeath(self, t: SpTopic, node: _Node, message: Any, ts: int) -> list[SpEvent]:
        bd_seq = None
        for metric in message.metrics:
            if metric.name == BD_SEQ:
                value = metric_value(metric, metric.datatype or 4)
                bd_seq = int(value) if isinstance(value, float) else None
        if not node.born or (node.bd_seq is not None and bd_seq != node.bd_seq):
            self.counters.stale_deaths += 1  # the will of a session already replaced
            return []
        node.born = False
        devices = tuple(sorted(node.devices))
        node.devices.clear()
        self.counters.deaths += 1
        return [SpDeath(t.group, t.node, None, devices, ts)]

    def _define(self, node: _Node, metric: Any, device: str | None) -> None:
        if not metric.name:
            return
        unit = unit_of(metric_properties(metric))
        definition = MetricDef(metric.name, int(metric.datatype), unit, device)
        node.names[(device, metric.name)] = definition
        if metric.HasField("alias"):
            node.aliases[int(metric.alias)] = definition

    def _distrust(self, t: SpTopic, node: _Node, now_s: float, ts: int) -> list[SpEvent]:
        """Ask for a rebirth (at most once per ``rebirth_wait_s``) and use nothing until it comes."""
        out: list[SpEvent] = []
        if node.born:  # the values it had are not trusted any more either
            out.append(SpDeath(t.group, t.node, None, tuple(sorted(node.devices)), ts))
            node.born = False
            node.devices.clear()
        if node.rebirth_asked is None or now_s - node.rebirth_asked >= self._rebirth_wait:
            node.rebirth_asked = now_s
            self.counters.rebirths_asked += 1
            self._request_rebirth(t.group, t.node)
        return out

    # --- data ---------------------------------------------------------------------------------------

    def _data(self, t: SpTopic, node: _Node, message: Any, ts: int, now_s: float) -> list[SpEvent]:
        """NDATA/DDATA: every metric known (by alias or by name) for this device, or none is used."""
        aliases, names, device = node.aliases, node.names, t.device
        group, edge = t.group, t.node
        out: list[SpEvent] = []
        for metric in message.metrics:
            known = aliases.get(metric.alias) if metric.HasField("alias") else None
            if known is None and metric.name:
                known = names.get((device, metric.name))
            if known is None or known.device != device:
                self.counters.unknown_alias += 1
                return self._distrust(t, node, now_s, ts)
            if known.name == BD_SEQ:
                continue
            if (
                known.datatype in _FLOATS
                and (field := metric.WhichOneof("value")) in _FLOAT_FIELDS
                and not (metric.is_null or metric.is_historical or metric.HasField("properties"))
            ):  # the common reading: a Float or Double, good, current (same as _value, without its checks)
                stamp = metric.timestamp if metric.HasField("timestamp") else ts
                value = metric.double_value if field == "double_value" else metric.float_value
                out.append(
                    SpValue(
                        group, edge, device, known.name, value, known.datatype, known.unit, GOOD, stamp, False
                    )
                )
            else:
                out.append(self._value(t, known, metric, ts))
        self.counters.metrics_in += len(out)
        return out

    def _values(
        self, t: SpTopic, node: _Node, metrics: Any, ts: int, device: str | None, by_birth: bool
    ) -> list[SpValue]:
        out: list[SpValue] = []
        for metric in metrics:
            known = node.names.get((device, metric.name))
            if known is not None and known.name != BD_SEQ:
                out.append(self._value(t, known, metric, ts))
        self.counters.metrics_in += len(out)
        return out

    def _value(self, t: SpTopic, known: MetricDef, metric: Any, ts: int) -> SpValue:
        quality = GOOD
        if metric.HasField("properties"):
            props = metric_properties(metric)
            q = props.get("Quality", props.get("quality"))
            if isinstance(q, int) and not isinstance(q, bool):
                quality = GOOD if q >= 192 else UNCERTAIN if q >= 64 else BAD
        value = metric_value(metric, known.datatype)
        if value is None:
            quality = BAD
        historical = metric.is_historical
        if historical:
            self.counters.historical += 1
        stamp = metric.timestamp if metric.HasField("timestamp") else ts
        return SpValue(
            t.group,
            t.node,
            known.device,
            known.name,
            value,
            known.datatype,
            known.unit,
            quality,
            stamp,
            historical,
        )
