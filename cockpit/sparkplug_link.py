"""Sparkplug B edge nodes beside the JSON contract (issue 22, docs/mqtt-cockpit-topics.md, "Sparkplug B 3.0").

Wired by the core's composition root (``sparkplug_wiring.sparkplug_host``); everything here runs on the core
thread except paho's append. The host application has a connection of its own to the plant's broker:
its STATE (``spBv1.0/STATE/{host_id}``, retained, with its will) is published on every connect before
it subscribes. Its messages join the core's inbox like any field message; ``decode`` routes them to
the session rules (``connectors/sparkplug/host.py``) and turns what they mean into the core's records:

* a mapped metric's value -> a ``SensorMessage`` of its area's detector (judged, stored and stopping work
  exactly as a JSON reading); unmapped metrics are listed (``snapshot``: diagnostics, health);
* a birth -> the detector ``online``; NDEATH and DDEATH -> ``offline``: every channel STALE at once;
* the stop target's acknowledgement metric -> a ``CommandAck`` (executed).

A stop-work or resume-work command the core publishes to an area with a configured Sparkplug target is
also sent as a DCMD (or NCMD) writing the target's Boolean metric, with the command's id beside it.
"""

from __future__ import annotations

import fnmatch
import logging
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from cockpit.sparkplug_config import SparkplugConfig, SparkplugMap, SparkplugStop
from connectors.contract import EXCERPT_CHARS, ContractRejection
from connectors.sparkplug.codec import (
    BOOLEAN,
    NAMESPACE,
    STRING,
    MalformedPayload,
    command_topic,
    encode_command,
    rebirth_command,
    state_payload,
    state_topic,
)
from connectors.sparkplug.host import BAD, GOOD, SparkplugHost, SpBirth, SpDeath, SpEvent, SpValue
from models.records import (
    CANONICAL_UNITS,
    AckStatus,
    CommandAck,
    DeviceState,
    DeviceStatus,
    Quality,
    Reading,
    SensorMessage,
)

if TYPE_CHECKING:
    from connectors.mqtt import MqttConnector

log = logging.getLogger(__name__)

# Reason keys beside the decoder's (connectors.contract.REJECTION_REASONS).
SPARKPLUG_REJECTION_REASONS: dict[str, str] = {
    "not_sparkplug": "a spBv1.0 topic whose payload is not a Sparkplug B protobuf payload",
    "sparkplug_unit": "a mapped metric whose birth gives a unit other than its channel's",
    "ts_out_of_range": "ts is too far in the future or the past",
}
TS_WINDOW_MS = 300_000  # as the JSON decoder: a time more than 5 minutes off the cockpit's clock
UNMAPPED_KEPT = 500
_QUALITY = {GOOD: Quality.GOOD, BAD: Quality.BAD}
Record = SensorMessage | DeviceStatus | CommandAck
_UNSEEN: Any = object()  # a metric not yet looked up in the mapping
DetectorKey = tuple[str, str, str]  # site, area, detector
MetricKey = tuple[str, str, str | None, str]  # group, node, device, metric


class _Target(NamedTuple):
    ack: SparkplugStop | None  # the stop target whose acknowledgement this metric carries
    key: DetectorKey
    channel: str
    unit: str  # the channel's (a known gas's canonical unit)
    canonical: bool  # a known gas: a birth in another unit is refused, never converted


class SparkplugLink:
    def __init__(
        self,
        config: SparkplugConfig,
        json_decode: Callable[[str, bytes, datetime], Any],
        connector: MqttConnector,
        record_rejection: Callable[[ContractRejection], None],
        clock: Callable[[], datetime],
        read_register: Callable[[], tuple[list[SparkplugMap], list[SparkplugStop]]] | None = None,
    ) -> None:
        self.config = config
        self._read_register = read_register  # the mapping kept with the registers, read at start
        self.mapping: list[SparkplugMap] = list(config.map)  # the file's entries, then the register's
        self._json_decode = json_decode
        self._record_rejection = record_rejection
        self._clock = clock
        started = int(clock().timestamp() * 1000)  # one timestamp in the birth and its will (3.0 §7.4)
        topic = state_topic(config.host_id)
        groups = config.groups or ["#"]
        subscriptions = [(f"{NAMESPACE}/{g}/#" if g != "#" else f"{NAMESPACE}/#", 1) for g in groups]
        if config.groups:
            subscriptions.append((topic, 1))  # our own STATE: an offline one is answered (below)
        self.connector: MqttConnector = connector
        self.host = SparkplugHost(self._rebirth, rebirth_wait_s=config.rebirth_wait_s)
        self._targets: dict[MetricKey, _Target | None] = {}
        self._unmapped: dict[
            str, tuple[str, str, str, str, str]
        ] = {}  # name -> group, node, device, metric, unit
        self._detectors: dict[tuple[str, str, str | None], set[DetectorKey]] = {}
        self.stops: list[SparkplugStop] = []  # the file's targets, then the register's
        self._acks: dict[MetricKey, SparkplugStop] = {}
        self._commanded: set[MetricKey] = set()  # the stop targets' own metrics: not gas, never "unmapped"
        self._use_stops(list(config.stop))
        self._sent: dict[tuple[str, str, str | None], str] = {}  # the last command id sent to a target
        self.dcmds_sent = 0
        self.state_repeated = 0
        self._will = (topic, state_payload(False, started), 1, True)
        self._birth = (topic, state_payload(True, started), 1, True)
        self._subscriptions = subscriptions

    # --- wiring ---------------------------------------------------------------------------------------

    def connection(self, base: MqttConnector, console: str, on_message: Any, on_read: Any = None) -> None:
        """The host's own connection, a sibling of the console's (same broker, login and TLS)."""
        self.connector = base.sibling(
            f"cockpit-{console}-spb"[:64],
            will=self._will,
            birth=self._birth,
            subscriptions=self._subscriptions,
            on_message=on_message,
            on_read=on_read,
        )

    def start(self) -> None:
        """Reads the register's mapping (before the connection: no Sparkplug message yet), then connects."""
        if self._read_register is not None:
            try:
                self.reload_mapping(*self._read_register())
            except Exception:  # the database down at start: the file's entries map, the log says so
                log.warning(
                    "Sparkplug: the register's mapping could not be read; the file's only", exc_info=True
                )
        self.connector.start()

    def reload_mapping(self, register: list[SparkplugMap], stops: list[SparkplugStop] | None = None) -> None:
        """The configuration's entries followed by ``register`` (the register's, in their order) are the
        mapping from now on, and its stop targets followed by ``stops``; every metric is looked up again
        at its next value. Core thread (or before the connection starts): the hook for "register changes
        go live" (read both on the database worker with ``cockpit.sparkplug_register.read_sparkplug_map``,
        then call this through ``core.call``)."""
        self.mapping = [*self.config.map, *register]
        self._use_stops([*self.config.stop, *(stops or [])])
        self._targets.clear()
        self._unmapped.clear()

    def _use_stops(self, stops: list[SparkplugStop]) -> None:
        self.stops = stops
        self._acks = {(s.group, s.node, s.device or None, s.ack_metric): s for s in stops if s.ack_metric}
        self._commanded = {
            (s.group, s.node, s.device or None, name)
            for s in stops
            for name in (s.metric, s.command_id_metric, s.ack_metric)
        }

    def stop(self) -> None:
        # A clean stop says offline itself: the broker keeps the will to itself on a DISCONNECT.
        self.connector.publish(self._will[0], self._will[1], 1, True)
        self.connector.stop()

    def beside(
        self, publish: Callable[[str, bytes, int, bool], object]
    ) -> Callable[[str, bytes, int, bool], object]:
        """The stop-work service's publish, with the Sparkplug command sent after each JSON command."""

        def publish_both(topic: str, payload: bytes, qos: int, retain: bool) -> object:
            result = publish(topic, payload, qos, retain)
            parts = topic.split("/")
            if len(parts) >= 4 and parts[-2] == "cmd" and parts[-1] in ("stop-work", "resume-work"):
                self._command(parts[-4], parts[-3], parts[-1] == "stop-work", payload)
            return result

        return publish_both

    # --- the core thread ------------------------------------------------------------------------------

    def decode(self, topic: str, payload: bytes, now: datetime) -> Any:
        """A JSON message as the contract decodes it; a Sparkplug one as a list of the core's records."""
        if not topic.startswith(NAMESPACE):
            return self._json_decode(topic, payload, now)
        if topic.startswith(f"{NAMESPACE}/STATE/"):
            if topic == self._birth[0] and b'"online":false' in payload.replace(b" ", b""):
                # A will of an earlier session of ours said offline after our birth: the retained STATE
                # would tell every edge node we are gone. Say it again (never for another's online STATE:
                # two hosts given one id would answer each other for ever).
                self.connector.publish(*self._birth)
                self.state_repeated += 1
            return None  # host applications' STATE
        now_s = now.timestamp()
        try:
            events = self.host.handle(topic, payload, now_s)
        except MalformedPayload as exc:
            self._reject(topic, payload, now, "not_sparkplug", str(exc))
            return None
        return self._records(topic, payload, events, now)

    def _records(self, topic: str, payload: bytes, events: list[SpEvent], now: datetime) -> list[Record]:
        out: list[Record] = []
        values: list[SpValue] = []
        for ev in events:
            if type(ev) is SpValue:
                if not ev.historical:  # history is not the current value (counted by the host)
                    values.append(ev)
            elif type(ev) is SpBirth:
                out += self._status(ev.group, ev.node, (ev.device,), DeviceState.ONLINE, ev.ts_ms, "birth")
            elif type(ev) is SpDeath:
                died = (ev.device,) if ev.device is not None else (None, *ev.devices)
                kind = "DDEATH" if ev.device is not None else "NDEATH"
                out += self._status(ev.group, ev.node, died, DeviceState.OFFLINE, ev.ts_ms, kind)
        if values:
            self._readings(topic, payload, values, now, out)
        return out

    def _readings(
        self, topic: str, payload: bytes, values: list[SpValue], now: datetime, out: list[Record]
    ) -> None:
        """Each mapped value as a reading of its detector (one ``SensorMessage`` per detector); acks."""
        readings: dict[DetectorKey, list[Reading]] = {}
        stamps: dict[DetectorKey, int] = {}
        targets = self._targets
        values = self._in_window(topic, payload, values, now)
        for ev in values:
            target = targets.get(ev[:4], _UNSEEN)
            if target is _UNSEEN:
                target = self._target(ev)
            if target is None:
                continue
            if target.ack is not None:
                if (ack := self._ack(ev, target.ack)) is not None:
                    out.append(ack)
                continue
            unit = ev.unit or target.unit
            if target.canonical and unit != target.unit:
                said = f"{ev.name}: its birth says {unit}, {target.channel} is in {target.unit}"
                self._reject(topic, payload, now, "sparkplug_unit", said + " (never converted)")
                continue
            value = ev.value
            if type(value) is float:
                reading = Reading(target.channel, value, unit, _QUALITY.get(ev.quality, Quality.UNCERTAIN))
            else:
                reading = Reading(target.channel, math.nan, unit, Quality.BAD)
            key = target.key
            if key in readings:
                readings[key].append(reading)
                stamps[key] = max(stamps[key], ev.ts_ms)
            else:
                readings[key] = [reading]
                stamps[key] = ev.ts_ms
        max_age = self.config.max_age_s
        for key, found in readings.items():
            ts = datetime.fromtimestamp(stamps[key] / 1000, UTC)
            out.append(SensorMessage(key[0], key[1], key[2], ts, tuple(found), None, max_age))

    def _in_window(self, topic: str, payload: bytes, values: list[SpValue], now: datetime) -> list[SpValue]:
        """The values within 5 minutes of the cockpit's clock; the others refused one by one."""
        now_ms = now.timestamp() * 1000
        lo, hi = now_ms - TS_WINDOW_MS, now_ms + TS_WINDOW_MS
        if all(lo <= ev.ts_ms <= hi for ev in values):
            return values
        for ev in values:
            if not lo <= ev.ts_ms <= hi:
                self._reject(topic, payload, now, "ts_out_of_range", f"{ev.name}: {ev.ts_ms} off the clock")
        return [ev for ev in values if lo <= ev.ts_ms <= hi]

    def _target(self, ev: SpValue) -> _Target | None:
        """What a metric is for (once per metric: cached): a stop target's ack, a gas channel, or nothing."""
        metric_key: MetricKey = (ev.group, ev.node, ev.device, ev.name)
        target = None
        if (stop := self._acks.get(metric_key)) is not None:
            target = _Target(stop, ("", "", ""), "", "", False)
        elif (entry := self._match(ev)) is not None:
            canonical = CANONICAL_UNITS.get(entry.channel.upper())
            channel = entry.channel.upper() if canonical is not None else entry.channel
            key: DetectorKey = (entry.site, entry.area, entry.detector or ev.device or ev.node)
            target = _Target(None, key, channel, canonical or entry.unit, canonical is not None)
            self._detectors.setdefault((ev.group, ev.node, ev.device), set()).add(key)
        elif metric_key not in self._commanded and len(self._unmapped) < UNMAPPED_KEPT:
            name = "/".join(p for p in metric_key if p is not None)
            self._unmapped[name] = (ev.group, ev.node, ev.device or "", ev.name, ev.unit or "")
        self._targets[metric_key] = target
        return target

    def _match(self, ev: SpValue) -> SparkplugMap | None:
        for entry in self.mapping:
            if (
                fnmatch.fnmatchcase(ev.group, entry.group)
                and fnmatch.fnmatchcase(ev.node, entry.node)
                and fnmatch.fnmatchcase(ev.device or "", entry.device)
                and fnmatch.fnmatchcase(ev.name, entry.metric)
            ):
                return entry
        return None

    def _status(
        self, group: str, node: str, devices: tuple[str | None, ...], state: DeviceState, ts_ms: int, why: str
    ) -> list[Record]:
        ts = datetime.fromtimestamp(ts_ms / 1000, UTC)
        if state is DeviceState.OFFLINE:
            ts = max(ts, self._clock())  # a will carries the birth's time: the death is now
        out: list[Record] = []
        for device in devices:
            for site, area, detector in sorted(self._detectors.get((group, node, device), ())):
                out.append(DeviceStatus(site, area, detector, ts, state, None, f"sparkplug {why}"))
        return out

    # --- stop-work ------------------------------------------------------------------------------------

    def _command(self, site: str, area: str, stop: bool, payload: bytes) -> None:
        import json

        try:
            command_id = str(json.loads(payload).get("command_id", ""))
        except ValueError:
            command_id = ""
        ts = int(self._clock().timestamp() * 1000)
        for target in self.stops:
            if target.site != site or target.area != area:
                continue
            metrics: list[tuple[str, int, bool | str | float]] = [(target.metric, BOOLEAN, stop)]
            if target.command_id_metric:
                metrics.append((target.command_id_metric, STRING, command_id))
            device = target.device or None
            self._sent[(target.group, target.node, device)] = command_id
            self.connector.publish(
                command_topic(target.group, target.node, device), encode_command(metrics, ts), 0
            )
            self.dcmds_sent += 1

    def _ack(self, ev: SpValue, target: SparkplugStop) -> CommandAck | None:
        value = ev.value
        if value is True:
            command_id = self._sent.get((ev.group, ev.node, ev.device), "")
        elif isinstance(value, str) and value:
            command_id = value
        else:
            return None
        if not command_id:
            return None
        ts = datetime.fromtimestamp(ev.ts_ms / 1000, UTC)
        by = "/".join(p for p in (ev.group, ev.node, ev.device) if p)
        return CommandAck(target.site, target.area, command_id, ts, AckStatus.EXECUTED, f"sparkplug:{by}")

    def _rebirth(self, group: str, node: str) -> None:
        ts = int(self._clock().timestamp() * 1000)
        log.info("Sparkplug %s/%s: asking for a rebirth", group, node)
        self.connector.publish(command_topic(group, node), rebirth_command(ts), 0)

    def _reject(self, topic: str, payload: bytes, now: datetime, reason: str, detail: str) -> None:
        excerpt = payload[:EXCERPT_CHARS].hex()
        self._record_rejection(ContractRejection(topic, reason, detail, excerpt, now))

    def snapshot(self) -> dict[str, Any]:
        """For health and diagnostics (core thread)."""
        c = self.host.counters
        return {
            "host_id": self.config.host_id,
            "online": self.connector.link_state.connected,
            "nodes": self.host.nodes(),
            "unmapped": sorted(self._unmapped),
            # the same as their parts (a metric's name may hold "/"): the mapping screen prefills from them
            "unmapped_metrics": [list(self._unmapped[name]) for name in sorted(self._unmapped)],
            "map_entries": [len(self.config.map), len(self.mapping) - len(self.config.map)],  # file, register
            "stop_targets": [len(self.config.stop), len(self.stops) - len(self.config.stop)],
            "metrics_in": c.metrics_in,
            "births": c.births,
            "deaths": c.deaths,
            "rebirths_asked": c.rebirths_asked,
            "seq_gaps": c.seq_gaps,
            "unknown_alias": c.unknown_alias,
            "before_birth": c.before_birth,
            "historical": c.historical,
            "dcmds_sent": self.dcmds_sent,
            "state_repeated": self.state_repeated,
        }
